"""Ask, don't assume, over HTTP (a real server): the questions of a partial case and the
one to ask now, ``unknown=ask|assume`` on decisions and events, and the assumptions a
price rests on; each answer equal to the library's own."""

import json
from pathlib import Path

import httpx
import jsonschema
import pytest

import ssreg
from ssreg.output.asking import question_dict
from ssreg.output.schema import schema


ROOT = Path(__file__).parent.parent
SITE_URL = "https://example.org/ssreg"  # as --base-url of the api_server fixture
ON = "2026-10-01"
#: a German student who says nothing of a European Health Insurance Card
GERMAN = json.loads((ROOT / "examples/cases/german_card_not_said.json").read_text())
QUESTION = schema("decision")["properties"]["questions"]["items"]


def conforms(data, component):
    """``data`` is valid against a component of the OpenAPI document."""
    from ssreg.api.openapi import document
    from ssreg.output.i18n import LANGUAGES

    components = document(languages=LANGUAGES)["components"]
    jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{component}",
                                     "components": components}).validate(data)


@pytest.fixture(scope="module")
def client(api_server):
    with httpx.Client(base_url=api_server.url, timeout=120) as c:
        yield c


def _json(data):
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_questions_of_a_partial_case(client, lang):
    answer = client.post("/questions", params={"on": ON, "lang": lang}, json=GERMAN)
    assert answer.status_code == 200 and answer.headers["content-language"] == lang
    body = answer.json()
    book = ssreg.default_rulebook()
    expected = [question_dict(book, q, lang) for q in ssreg.questions(GERMAN, on=ON)]
    assert body["questions"] == _json(expected)
    assert body["next"] == _json(question_dict(book, ssreg.next_question(GERMAN, on=ON), lang))
    assert body["next"]["fact"] == "ehic_expiry" and body["next"]["path"] == "student.ehic_expiry"
    assert [a["outcomes"]["route"] for a in body["next"]["answers"]][-1] == "no_registration"
    assert body["on"] == ON and body["lang"] == lang and body["rulebook_version"]
    for question in body["questions"]:
        jsonschema.validate(question, QUESTION)
    conforms(body, "Questions")
    text = body["next"]["text"]  # typeset in the language asked
    assert {"en": text.endswith(" valid?"), "fr": text.endswith("\u202f?"),
            "es": text.startswith("¿")}[lang], text


def test_one_question_at_a_time_until_the_route_is_settled(client):
    """A chatbot's loop: ask the next question, write the answer at its path, ask again."""
    facts = {"nationality": "US", "country_of_birth": "US", "birth_date": "2004-03-01",
             "salaried": False, "stay_months": 3, "enrolled_in_french_institution": True,
             "previously_affiliated": False, "andorran_insured": False}
    case, asked = {"student": {}}, []
    for _ in range(10):
        body = client.post("/questions", params=[("on", ON), ("settle", "route"),
                                                 ("lang", "es")], json=case).json()
        if body["next"] is None:
            break
        question = body["next"]
        assert question["path"] == f"student.{question['fact']}" and question["text"]
        asked.append(question["fact"])
        case["student"][question["fact"]] = facts[question["fact"]]
    else:
        pytest.fail(f"still asking after {asked}")
    assert asked[:3] == ["nationality", "country_of_birth", "birth_date"]
    assert "stay_months" in asked and len(asked) <= 6
    decision = client.post("/evaluate", params={"on": ON}, json=case).json()
    assert decision["outcomes"]["route"] == "private_insurance"
    assert "route" not in decision["open"]
    conforms(body, "Questions")


def test_what_the_person_does_not_know_is_skipped(client):
    params = [("on", ON), ("skip", "ehic_expiry")]
    body = client.post("/questions", params=params, json=GERMAN).json()
    expected = ssreg.next_question(GERMAN, on=ON, skip=["ehic_expiry"])
    assert (body["next"] and body["next"]["fact"]) == (expected and expected.fact)
    assert body["next"] is None or body["next"]["fact"] != "ehic_expiry"
    assert body["questions"][0]["fact"] == "ehic_expiry"  # listed still, not asked next


@pytest.mark.parametrize("form", ["full", "compact"])
def test_a_fact_not_given_is_asked_unless_assumed(client, form):
    asked = client.post("/evaluate", params={"on": ON, "lang": "fr", "form": form},
                        json=GERMAN).json()
    decision = ssreg.evaluate(GERMAN, on=ON)
    assert asked == _json(decision.to_dict("fr", form=form, base_url=SITE_URL))
    assert asked["unknown"] == "ask" and "route" not in asked["outcomes"]
    assert asked["open"]["route"] == ["no_registration", "online"]
    assert asked["questions"][0]["fact"] == "ehic_expiry"
    assumed = client.post("/evaluate", params={"on": ON, "lang": "fr", "form": form,
                                               "unknown": "assume"}, json=GERMAN).json()
    decision = ssreg.evaluate(GERMAN, on=ON, unknown="assume")
    assert assumed == _json(decision.to_dict("fr", form=form, base_url=SITE_URL))
    assert assumed["unknown"] == "assume" and assumed["outcomes"]["route"] == "online"
    assert not assumed["open"] and not assumed["questions"]
    codes = [a["code"] for a in assumed["assumptions"]]
    assert "assumed" in codes
    jsonschema.validate(assumed, schema("decision" if form == "full" else "decision-compact"))


def test_an_event_that_depends_on_facts_not_given(client):
    student = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
               "address_in_france": "1 rue de Rivoli, Paris"}
    body = {"dossier": {"case": {"student": student}, "events": []},
            "event": {"type": "account_created", "date": "2026-08-25"}}
    refused = client.post("/events", params={"lang": "es"}, json=body)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["stage"] is None and "stay_months" in problem["reasons"][0]["unknown"]
    conforms(problem, "Problem")
    with pytest.raises(ssreg.EventRefused) as info:
        ssreg.apply_event(body["dossier"], body["event"])
    assert problem["detail"] == info.value.text("es")
    accepted = client.post("/events", params={"unknown": "assume"}, json=body)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["dossier"]["events"][-1]["type"] == "account_created"


def test_a_price_names_the_defaults_it_rests_on(client):
    claim = {"care": "dental", "billed": "500", "date": "2025-03-10", "age": 22}
    body = client.post("/claims/price", params={"lang": "fr"}, json=[claim]).json()
    priced = body["claims"][0]
    expected = ssreg.price_claim(claim)
    assert priced["assumptions"] == list(expected.assumptions)
    assert "base_from_bill" in priced["assumptions"]
    labels = dict(zip(priced["assumptions"], priced["assumption_labels"], strict=True))
    assert labels["base_from_bill"].startswith("base de remboursement non indiquée")
