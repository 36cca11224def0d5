"""The HTTP API against a real server: ``ssreg serve`` in its own process on 127.0.0.1 (a
free port), talked to over loopback by a real HTTP client; every endpoint, the three
languages, every kind of problem, and answers equal to the library's own."""

import json
import socket
from pathlib import Path

import httpx
import jsonschema
import pytest

import ssreg
from ssreg.output.i18n import typeset
from ssreg.output.labels import claim_dict
from ssreg.output.schema import SCHEMAS, schema


ROOT = Path(__file__).parent.parent
SITE_URL = "https://example.org/ssreg"  # as --base-url of the api_server fixture
STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "1 rue de Rivoli, Paris", "stay_months": 10,
           "enrolled_in_french_institution": True, "previously_affiliated": False,
           "salaried": False, "andorran_insured": False, "quebec_form": "none"}
CASE = {"student": STUDENT, "claims": [
    {"care": "gp_consultation", "date": "2026-10-02", "billed": "30",
     "referent_doctor_declared": True}]}
DOSSIER = json.loads((ROOT / "examples/dossiers/brazil_in_progress.json").read_text())
EVENTS = ROOT / "examples/events"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}


def clean(response: httpx.Response) -> dict:
    """A problem details answer that shows nothing of the server's insides."""
    assert response.headers["content-type"].startswith("application/problem+json")
    text = response.text
    for leak in ("Traceback", 'File "', "site-packages", "ssreg/", ".py", "Error:", "0x"):
        assert leak not in text, text
    body = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == response.status_code
    assert body["type"].startswith("https://ssreg.example/problems/")
    return body


@pytest.fixture(scope="module")
def client(api_server):
    with httpx.Client(base_url=api_server.url, timeout=120) as c:
        yield c


def test_health_says_which_rules_answer(client):
    body = client.get("/health").json()
    version = ssreg.default_rulebook().version
    assert body == {"status": "ok", "version": ssreg.__version__,
                    "rulebook": version.fingerprint, "rulebook_version": version.version,
                    "rulebook_horizon": version.horizon.isoformat()}


def test_openapi_and_schemas_are_the_published_ones(client):
    from ssreg.api.openapi import document
    from ssreg.output.i18n import LANGUAGES

    assert client.get("/openapi.json").json() == document(languages=LANGUAGES)
    listed = client.get("/schemas").json()["schemas"]
    assert sorted(listed) == sorted(SCHEMAS)
    for name, url in listed.items():
        answer = client.get(url)
        assert answer.headers["content-type"].startswith("application/schema+json")
        assert answer.json() == schema(name)
        published = ROOT / "docs" / "schemas" / f"{name}.schema.json"
        assert answer.json() == json.loads(published.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_evaluate_a_case_in_each_language(client, lang):
    answer = client.post("/evaluate", params={"on": "2026-10-05", "lang": lang}, json=CASE)
    assert answer.status_code == 200 and answer.headers["content-language"] == lang
    expected = ssreg.evaluate(CASE, on="2026-10-05").to_dict(lang, base_url=SITE_URL)
    assert answer.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    jsonschema.validate(answer.json(), schema("decision"))
    assert answer.json()["links"]["rules"]  # each cited rule links to its page


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_compact_form_beside_the_full_one(client, lang):
    answer = client.post("/evaluate", params={"on": "2026-10-05", "form": "compact"},
                         json=CASE, headers={"Accept-Language": lang})
    expected = ssreg.evaluate(CASE, on="2026-10-05").to_dict(lang, form="compact",
                                                             base_url=SITE_URL)
    assert answer.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    assert answer.json()["schema"] == "ssreg.decision-compact/1"
    jsonschema.validate(answer.json(), schema("decision-compact"))
    assert len(answer.content) * 3 < len(client.post(
        "/evaluate", params={"on": "2026-10-05", "lang": lang}, json=CASE).content)


def test_the_language_comes_from_accept_language_unless_lang_says(client):
    def lang_of(headers, params=None):
        answer = client.post("/evaluate", params={"on": "2026-10-05", **(params or {})},
                             json=CASE, headers=headers)
        return answer.headers["content-language"], answer.json()["lang"]

    assert lang_of({"Accept-Language": "es-AR,es;q=0.9"}) == ("es", "es")
    assert lang_of({"Accept-Language": "de-DE, fr;q=0.7, en;q=0.3"}) == ("fr", "fr")
    assert lang_of({"Accept-Language": "de"}) == ("en", "en")
    assert lang_of({"Accept-Language": "fr"}, {"lang": "es"}) == ("es", "es")


def test_evaluate_a_dossier_and_set_a_parameter(client):
    answer = client.post("/evaluate", params={"on": "2026-09-10", "lang": "fr",
                                              "set": "quebec_form_policy=exempt"}, json=DOSSIER)
    expected = ssreg.evaluate(DOSSIER, on="2026-09-10", overrides={
        "quebec_form_policy": "exempt"}).to_dict("fr", base_url=SITE_URL)
    assert answer.status_code == 200
    assert answer.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    assert answer.json()["workflow"]["stage"] == expected["workflow"]["stage"]


def test_an_event_allowed_gives_the_new_dossier(client):
    event = json.loads((EVENTS / "provisional_certificate.json").read_text())
    answer = client.post("/events", json={"dossier": DOSSIER, "event": event})
    assert answer.status_code == 200
    assert answer.json()["dossier"] == ssreg.apply_event(DOSSIER, event).to_dict()
    assert answer.json()["rulebook_version"] == ssreg.default_rulebook().version.version
    jsonschema.validate(answer.json()["dossier"], schema("dossier"))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_refused_event_is_409_with_its_reasons(client, lang):
    event = json.loads((EVENTS / "carte_vitale_too_early.json").read_text())
    answer = client.post("/events", params={"lang": lang},
                         json={"dossier": DOSSIER, "event": event})
    assert answer.status_code == 409
    body = clean(answer)
    with pytest.raises(ssreg.EventRefused) as refused:
        ssreg.apply_event(DOSSIER, event)
    assert body["stage"] == refused.value.stage and body["event"] == "carte_vitale_ordered"
    assert body["reasons"] == json.loads(json.dumps(list(refused.value.reasons), default=str))
    assert body["citations"] == list(refused.value.citations) and body["reasons"]
    assert body["title"] == {"en": "The dossier's stage does not allow this event",
                             "fr": "L'étape du dossier ne permet pas cet événement",
                             "es": "La etapa del expediente no permite este evento"}[lang]
    assert body["detail"] == refused.value.text(lang)


def test_an_event_with_problems_names_each_field(client):
    answer = client.post("/events", json={"dossier": {"case": {"student": {}}},
                                          "event": {"type": 3}})
    body = clean(answer)
    assert answer.status_code == 422
    paths = [p["path"] for p in body["problems"]]
    assert "dossier.case.student.birth_date" in paths
    answer = client.post("/events", json={"dossier": DOSSIER, "event": {"type": 3},
                                          "extra": 1})
    assert {p["path"] for p in clean(answer)["problems"]} == {"extra"}


def _claims(n, persons=300, seed=7):
    """Deterministic claims as JSON, each person's in date order."""
    import random
    from datetime import date, timedelta

    rnd = random.Random(seed)
    menu = [("gp_consultation", None, "30"), ("specialist_consultation", None, "50"),
            ("medicine", "major", "12.40"), ("medicine", "low", "4.10"),
            ("lab_biology", None, "24.30"), ("paramedical", None, "16.13"),
            ("dental", None, "60")]
    day = date(2025, 1, 1)
    for i in range(n):
        if i and i % 100 == 0:
            day += timedelta(days=1)
        care, cls, billed = menu[rnd.randrange(len(menu))]
        claim = {"care": care, "date": day.isoformat(), "billed": billed,
                 "age": rnd.choice((19, 22, 24)), "person": f"p{rnd.randrange(persons)}",
                 "referent_doctor_declared": rnd.random() < 0.8, "id": f"c{i}"}
        if cls:
            claim["medicine_class"] = cls
        yield claim


def test_price_a_json_array_with_a_cover(client):
    claims = [*_claims(40), {"care": "no_such_care", "date": "2025-01-01", "billed": "1",
                             "age": 20}]
    cover = {"kind": "mutuelle", "responsable": True, "levels": {"default": 100}}
    answer = client.post("/claims/price", params={"lang": "es"},
                         json={"claims": claims, "cover": cover})
    assert answer.status_code == 200
    body = answer.json()
    book = ssreg.default_rulebook()
    local = list(ssreg.price_claims(claims, cover=cover, errors="collect"))
    assert body["claims"] == [claim_dict(book, r, "es", SITE_URL if r.ok else None)
                              for r in local]
    assert body["refused"] == 1 and body["claims"][-1]["problems"][0]["path"].startswith(
        "claims[40]")
    totals = ssreg.summarize(local).totals()
    assert body["totals"] == {k: str(v) for k, v in totals.items()}
    for item in body["claims"]:
        jsonschema.validate(item, schema("claim-result"))


def test_a_json_array_answered_as_json_lines_on_request(client):
    claims = list(_claims(10))
    answer = client.post("/claims/price", json=claims,
                         headers={"Accept": "application/x-ndjson"})
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert [line["id"] for line in lines] == [c["id"] for c in claims]


def duplex_lines(port, target, blocks):
    """POST JSON Lines over HTTP/1.1 the way a streaming client does: a thread sends the
    body in chunks while the answer is read, so neither side waits for the other to finish
    (h11 parses the answer); yields the status, then each line of the answer."""
    import threading

    import h11

    sock = socket.create_connection(("127.0.0.1", port), timeout=300)
    conn = h11.Connection(h11.CLIENT)
    sock.sendall(conn.send(h11.Request(method="POST", target=target, headers=[
        ("Host", "127.0.0.1"), ("Content-Type", "application/x-ndjson"),
        ("Transfer-Encoding", "chunked")])))

    def send():  # the chunked body, written by hand beside h11's reading
        for block in blocks:
            sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
        sock.sendall(b"0\r\n\r\n")

    writer = threading.Thread(target=send, daemon=True)
    writer.start()
    pending = b""
    try:
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                conn.receive_data(sock.recv(262144))
            elif isinstance(event, h11.Response):
                yield event.status_code
            elif isinstance(event, h11.Data):
                pending += bytes(event.data)
                *lines, pending = pending.split(b"\n")
                yield from lines
            elif isinstance(event, h11.EndOfMessage):
                break
        writer.join(timeout=60)
        assert not pending
    finally:
        sock.close()


def test_a_streamed_batch_of_100000_claims_equals_price_claims(api_server):
    """JSON Lines in, JSON Lines out, presorted, sent and read at once: equal claim for
    claim to price_claims."""
    n = 100_000
    book = ssreg.default_rulebook()

    def blocks():
        block = []
        for claim in _claims(n):
            block.append(json.dumps(claim))
            if len(block) == 1000:
                yield ("\n".join(block) + "\n").encode()
                block = []

    local = iter(ssreg.price_claims(_claims(n), presorted=True, errors="collect"))
    answer = duplex_lines(api_server.port, "/claims/price?presorted=true&lang=fr", blocks())
    assert next(answer) == 200
    count = 0
    for line in answer:
        assert json.loads(line) == claim_dict(book, next(local), "fr", SITE_URL), count
        count += 1
    assert count == n and next(local, None) is None


def test_a_batch_in_any_order_is_read_whole_then_streamed(client):
    """Not presorted: the server reads the batch, prices person by person, and answers
    in input order (a client that sends everything first, like httpx, is served)."""
    import random

    claims = list(_claims(3000))
    random.Random(3).shuffle(claims)
    book = ssreg.default_rulebook()
    body = "".join(json.dumps(c) + "\n" for c in claims).encode()
    answer = client.post("/claims/price", content=body,
                         headers={"Content-Type": "application/x-ndjson",
                                  "Accept-Language": "es"})
    assert answer.status_code == 200 and answer.headers["content-language"] == "es"
    local = ssreg.price_claims(claims, errors="collect")
    assert [json.loads(line) for line in answer.text.splitlines()] == [
        claim_dict(book, r, "es", SITE_URL) for r in local]


def test_a_stream_answers_before_the_request_ends(api_server):
    """Streaming both ways: the first results come back while the client still holds
    the rest of the batch (raw HTTP/1.1, chunked)."""
    claims = [json.dumps(c) for c in _claims(600)]
    first, rest = "\n".join(claims[:500]) + "\n", "\n".join(claims[500:]) + "\n"
    with socket.create_connection(("127.0.0.1", api_server.port), timeout=60) as sock:
        sock.sendall(b"POST /claims/price?presorted=true HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
                     b"\r\n" + f"{len(first.encode()):x}\r\n".encode() + first.encode()
                     + b"\r\n")
        received = b""
        while received.count(b'"ok": true') < 20:  # results, with the batch unfinished
            chunk = sock.recv(65536)
            assert chunk, received[:300]
            received += chunk
        assert received.startswith(b"HTTP/1.1 200")
        sock.sendall(f"{len(rest.encode()):x}\r\n".encode() + rest.encode() + b"\r\n0\r\n\r\n")
        while not received.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            assert chunk
            received += chunk
    assert received.count(b'"ok": true') == 600


def test_a_bad_json_line_is_refused_at_its_place(client):
    claims = [json.dumps(c) for c in _claims(5)]
    text = "\n".join([claims[0], "{not json", "", claims[1], "[1, 2]", *claims[2:]]) + "\n"
    answer = client.post("/claims/price", content=text.encode(), params={"lang": "en"},
                         headers={"Content-Type": "application/x-ndjson"})
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert [line["ok"] for line in lines] == [True, False, True, False, True, True, True]
    assert [line["position"] for line in lines] == list(range(7))
    assert lines[1]["problems"][0]["path"] == "line 2"
    assert lines[3]["problems"][0]["path"].startswith("line 5")
    assert [line.get("id") for line in lines if line["ok"]] == [f"c{i}" for i in range(5)]


def test_rules_and_one_rule(client):
    from datetime import date

    book = ssreg.default_rulebook()
    body = client.get("/rules", params={"on": "2026-10-01", "lang": "fr"}).json()
    in_force = [r for r in book.rules if r.in_force(date(2026, 10, 1))]
    assert len(body["rules"]) == len(in_force) and body["on"] == "2026-10-01"
    row = next(r for r in body["rules"] if r["id"] == "route.no_registration.ehic")
    rule = book.rule("route.no_registration.ehic", date(2026, 10, 1))
    assert row["label"] == typeset(rule.label["fr"], "fr")
    assert row["citations"] == list(rule.citations)
    assert row["page"] == f"{SITE_URL}/fr/rules/route.no_registration.ehic.html"
    only = client.get("/rules", params={"decision": "route"}).json()["rules"]
    assert only and {r["decision"] for r in only} == {"route"}
    one = client.get("/rules/route.no_registration.ehic",
                     params={"lang": "es", "on": "2026-10-01"}).json()
    assert one["id"] == "route.no_registration.ehic" and len(one["versions"]) == 1
    version = one["versions"][0]
    assert version["label"] == typeset(rule.label["es"], "es")
    assert version["priority"] == rule.priority
    assert version["when"] and set(one["sources"]) == set(rule.citations)


def test_parameters_and_one_parameter(client):
    body = client.get("/parameters", params={"on": "2025-03-10",
                                             "name": "participation_forfaitaire"}).json()
    first = body["parameters"][0]
    assert (first["name"], first["value"], first["start"]) == (
        "participation_forfaitaire", "2", "2024-05-15")
    one = client.get("/parameters/participation_forfaitaire", params={"lang": "fr"}).json()
    param = ssreg.default_rulebook().parameters["participation_forfaitaire"]
    assert [v["value"] for v in one["values"]] == [str(v.value) for v in param.values]
    assert one["label"] == typeset(param.label["fr"], "fr")
    dated = client.get("/parameters/participation_forfaitaire",
                       params={"on": "2020-01-01"}).json()
    assert [v["value"] for v in dated["values"]] == ["1"]


def test_the_site_served_beside_the_api(serve_api, built_site):
    """--site: the pages of `ssreg site` under /site/, and answers link to them."""
    server = serve_api("--site", str(built_site.out))
    with httpx.Client(base_url=server.url, timeout=60) as c:
        page = c.get("/site/fr/rules/route.no_registration.ehic.html")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        decision = c.post("/evaluate", params={"on": "2026-10-05", "lang": "fr"},
                          json=CASE).json()
        links = list(decision["links"]["rules"].values())
        assert links and all(link.startswith("/site/fr/rules/") for link in links)
        assert c.get(links[0]).status_code == 200
        row = c.get("/rules/route.no_registration.ehic", params={"lang": "es"}).json()
        assert c.get(row["page"]).status_code == 200
        missing = c.get("/site/fr/rules/nothing.html")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")
