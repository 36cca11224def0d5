"""Every kind of problem the API answers, from a real server (two workers, tiny limits):
problem details in the language asked, every field path, nothing of the server's
insides; CORS; and a server that stops cleanly."""

import asyncio
import json
import logging
import socket

import httpx
import pytest

import ssreg
from ssreg.api.problems import KINDS


STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "1 rue de Rivoli, Paris", "stay_months": 10,
           "enrolled_in_french_institution": True, "previously_affiliated": False,
           "salaried": False, "andorran_insured": False, "quebec_form": "none"}


def problem(response: httpx.Response, status: int, kind: str) -> dict:
    """A problem details answer of that kind that shows nothing of the server's insides."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    for leak in ("Traceback", 'File "', "site-packages", "ssreg/", ".py", "Error:"):
        assert leak not in response.text, response.text
    body = response.json()
    assert body["type"] == f"https://ssreg.example/problems/{kind}"
    assert body["status"] == status == KINDS[kind]
    assert body["title"] and body["detail"] and body["instance"].startswith("/")
    return body


@pytest.fixture(scope="module")
def api(api_server):
    with httpx.Client(base_url=api_server.url, timeout=60) as c:
        yield c


@pytest.fixture(scope="module")
def tight(tight_server):
    with httpx.Client(base_url=tight_server.url, timeout=60) as c:
        yield c


def test_invalid_json_is_400_where_it_breaks(api):
    body = problem(api.post("/evaluate?on=2026-09-15", content=b'{"student": '), 400,
                   "invalid-json")
    assert body["problems"][0]["path"] == "(body)" and "line 1" in body["problems"][0]["message"]
    problem(api.post("/evaluate?on=2026-09-15", content=b"\xff\xfe{}"), 400, "invalid-json")
    problem(api.post("/evaluate?on=2026-09-15", content=b"[" * 100_000), 400, "invalid-json")


@pytest.mark.parametrize(("lang", "title"), [
    ("en", "The input has problems"), ("fr", "Les données envoyées comportent des erreurs"),
    ("es", "Los datos enviados contienen errores")])
def test_invalid_input_lists_every_problem_with_its_path(api, lang, title):
    case = {"student": {"birth_date": "yesterday", "nationality": "XX"}, "claims": "no"}
    body = problem(api.post("/evaluate", params={"on": "2026-09-15"}, json=case,
                            headers={"Accept-Language": lang}), 422, "invalid-input")
    assert body["title"] == title
    with pytest.raises(ssreg.InvalidCaseError) as exc:
        ssreg.evaluate(case, on="2026-09-15")
    assert body["problems"] == [p.to_dict(lang) for p in exc.value.problems]
    assert body["detail"].endswith(exc.value.problems[0].text(lang))
    assert len(body["problems"]) >= 4


def test_query_options_are_checked_like_inputs(api):
    cases = {"/evaluate": ("on", {}), "/evaluate?on=2026-13-40": ("on", {}),
             "/evaluate?on=2026-09-15&lang=de": ("lang", {}),
             "/evaluate?on=2026-09-15&set=nothing": ("set", {}),
             "/evaluate?on=2026-09-15&set=no_such_parameter=1": ("set.no_such_parameter", {}),
             "/claims/price?presorted=maybe": ("presorted", {}),
             "/evaluate?on=2026-09-15&form=short": ("form", {}),
             "/evaluate?on=2026-09-15&unknown=guess": ("unknown", {}),
             "/events?unknown=guess": ("unknown", {}),
             "/questions": ("on", {}),
             "/claims/price?cover=%7B%22levels%22%3A3%7D": ("cover", {})}
    for target, (path, _) in cases.items():
        sent = [] if target.startswith("/claims") else {"student": STUDENT}
        body = problem(api.post(target, json=sent), 422, "invalid-input")
        assert any(p["path"].startswith(path) for p in body["problems"]), (target, body)
    body = problem(api.get("/rules?decision=nope"), 422, "invalid-input")
    assert body["problems"][0]["path"] == "decision"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_a_partial_case_is_checked_for_what_it_gives(api, lang):
    """Missing fields are asked, not refused; what is given wrong, and answers or facts
    unknown to the rules, are refused all at once."""
    case = {"student": {"nationality": "XX", "colour": "blue"}, "pets": 2}
    params = [("on", "2026-10-01"), ("settle", "rout"), ("skip", "ehic_expiri"),
              ("lang", lang)]
    body = problem(api.post("/questions", params=params, json=case), 422, "invalid-input")
    with pytest.raises(ssreg.InvalidInputError) as exc:
        ssreg.next_question(case, on="2026-10-01", settle=["rout"], skip=["ehic_expiri"])
    assert body["problems"] == [p.to_dict(lang) for p in exc.value.problems]
    assert {p["path"] for p in body["problems"]} == {"pets", "student.colour",
                                                      "student.nationality", "settle", "skip"}
    assert "did you mean 'ehic_expiry'?" in body["problems"][-1]["message"]
    assert problem(api.post("/questions?on=2026-10-01", json=[]), 422,
                   "invalid-input")["problems"][0]["path"] == "(body)"


def test_a_body_of_the_wrong_shape_is_422(api):
    assert problem(api.post("/evaluate?on=2026-09-15", json=[1]), 422,
                   "invalid-input")["problems"][0]["path"] == "(body)"
    assert problem(api.post("/claims/price", json={"claims": [], "extra": 1}), 422,
                   "invalid-input")["problems"][0]["path"] == "extra"
    problem(api.post("/claims/price", json="claims"), 422, "invalid-input")


def test_a_date_outside_the_rules_is_422(api):
    body = problem(api.post("/evaluate", params={"on": "2010-01-01", "lang": "fr"},
                            json={"student": STUDENT}), 422, "no-value-in-force")
    assert "2018-09-01" in body["detail"]
    problem(api.get("/parameters/participation_forfaitaire?on=1990-01-01"), 422,
            "no-value-in-force")
    problem(api.get("/rules/route.no_registration.ehic?on=1990-01-01"), 422,
            "no-value-in-force")


def test_what_does_not_exist_is_404(api):
    for target in ("/nowhere", "/rules/no.such.rule", "/parameters/no_such_value",
                   "/schemas/nothing"):
        body = problem(api.get(target, headers={"Accept-Language": "es"}), 404, "not-found")
        assert body["title"] == "No encontrado" and body["instance"] == target


def test_a_method_not_allowed_is_405_with_allow(api):
    response = api.delete("/evaluate")
    problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"
    assert problem(api.post("/rules"), 405, "method-not-allowed")


def test_a_body_that_is_not_json_is_415(api):
    response = api.post("/evaluate?on=2026-09-15", content=b"student=1",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "application/json" in problem(response, 415, "unsupported-media-type")["detail"]


def test_a_refused_event_is_409(api):
    dossier = {"case": {"student": STUDENT}, "events": [
        {"type": "account_created", "date": "2026-08-25"}]}
    event = {"type": "carte_vitale_ordered", "date": "2026-08-26", "photo": True,
             "id_document": True}
    body = problem(api.post("/events", json={"dossier": dossier, "event": event}), 409,
                   "event-refused")
    assert body["stage"] == "account_created" and body["reasons"]


def test_too_large_and_too_many_claims_are_413(tight):
    body = problem(tight.post("/evaluate?on=2026-09-15", json={"student": STUDENT,
                                                               "x": "y" * 5000}),
                   413, "too-large")
    assert "4096" in body["detail"]
    claims = [{"care": "gp_consultation", "date": "2025-01-02", "billed": "30", "age": 20}]
    body = problem(tight.post("/claims/price", json=claims * 4), 413, "too-many-claims")
    assert "3" in body["detail"]
    lines = "".join(json.dumps(c) + "\n" for c in claims * 5).encode()
    problem(tight.post("/claims/price", content=lines,
                       headers={"Content-Type": "application/x-ndjson"}), 413,
            "too-many-claims")
    long_line = b'{"care": "' + b"x" * (1024 * 1024 + 10) + b'"}\n'
    problem(tight.post("/claims/price", content=long_line,
                       headers={"Content-Type": "application/x-ndjson"}), 413, "too-large")


def test_past_the_time_limit_is_503(tight):
    claims = [{"care": "gp_consultation", "date": f"2026-10-{d:02d}", "billed": "30"}
              for d in range(1, 29)]  # about 10 ms of work, 2 kB
    body = problem(tight.post("/evaluate?on=2026-10-30&lang=fr",
                              json={"student": STUDENT, "claims": claims}),
                   503, "time-limit")
    assert "0,001" in body["detail"]  # in French


def test_a_stream_past_its_time_limit_ends_with_a_problem_line(tight_server):
    """The stream limit is 0.5 s: the lines sent before it stand, the last one says why."""
    import time

    def slowly():
        for day in range(1, 4):
            yield (json.dumps({"care": "gp_consultation", "date": f"2026-10-{day:02d}",
                               "billed": "30", "age": 20}) + "\n").encode()
            time.sleep(0.4)

    with socket.create_connection(("127.0.0.1", tight_server.port), timeout=60) as sock:
        sock.sendall(b"POST /claims/price?presorted=true HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
                     b"Connection: close\r\n\r\n")
        try:
            for block in slowly():
                sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close once it has given up
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    if head.startswith(b"HTTP/1.1 503"):  # gave up before its first line
        assert b"time-limit" in body
        return
    assert head.startswith(b"HTTP/1.1 200"), head
    lines = [line for line in body.split(b"\r\n") if line.startswith(b"{")]
    last = json.loads(lines[-1])
    assert last["type"].endswith("/time-limit") and last["status"] == 503
    assert lines[:-1] and all(json.loads(line)["ok"] for line in lines[:-1])


def test_cors_only_for_the_origins_given(tight, api):
    preflight = {"Origin": "https://portal.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    allowed = tight.options("/evaluate", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    answer = tight.get("/health", headers={"Origin": "https://portal.example"})
    assert answer.headers["access-control-allow-origin"] == "https://portal.example"
    other = tight.get("/health", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers
    assert "access-control-allow-origin" not in api.get(
        "/health", headers={"Origin": "https://portal.example"}).headers


def test_a_bug_answers_500_with_an_incident_and_no_internals(caplog):
    """An unexpected error (here a broken endpoint, in process) says nothing of itself."""
    from ssreg.api import app as app_module

    async def broken(request):
        raise RuntimeError("secret internal text at /srv/ssreg/x.py line 3")

    from starlette.routing import Route

    app = app_module.create_app()
    app.router.routes.insert(0, Route("/health", app_module._guarded(broken)))

    async def call():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.get("/health", headers={"Accept-Language": "fr"})

    with caplog.at_level(logging.ERROR, logger="ssreg.api"):
        response = asyncio.run(call())
    body = problem(response, 500, "internal-error")
    assert "secret" not in response.text and body["title"] == "Erreur interne"
    incident = body["detail"].split("incident ")[1].split()[0]
    assert any(incident in r.getMessage() and r.exc_info for r in caplog.records)


def test_every_kind_of_problem_is_checked_here():
    """Each kind of KINDS is asked of a server by one of the tests above."""
    import re
    from pathlib import Path

    source = Path(__file__).read_text(encoding="utf-8")
    checked = set(re.findall(r'(?:\d{3}),\s+"([a-z-]+)"\)', source))
    assert checked == set(KINDS), set(KINDS) ^ checked


def test_a_server_stops_cleanly(serve_api):
    """SIGTERM: requests answered until then, exit status 0, the port closed, no traceback."""
    server = serve_api("--workers", "2")
    with httpx.Client(base_url=server.url, timeout=60) as c:
        assert c.post("/evaluate?on=2026-09-15", json={"student": STUDENT}).status_code == 200
    assert server.stop() == 0
    assert "ssreg serve: stopped" in server.log and "Traceback" not in server.log, server.log
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()


def test_serve_refuses_bad_options_before_listening(capsys, tmp_path):
    from ssreg.cli.main import main

    assert main(["serve", "--port", "70000", "--workers", "0", "--timeout", "-1",
                 "--cors-origin", "portal.example", "--site", str(tmp_path),
                 "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    for option in ("--port", "--workers", "--timeout", "--cors-origins", "--site"):
        assert option in err, err
    assert "attendu" in err and "Traceback" not in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rules]]\nid = 3\n", encoding="utf-8")
    assert main(["serve", "--port", "0", "--rules", str(bad)]) == 2
    assert "bad.toml" in capsys.readouterr().err
