"""The published JSON Schemas accept real inputs and outputs and refuse malformed ones."""

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.output.schema import schema
from ssreg.testing import case_data, claim_data, dossiers


ROOT = Path(__file__).parent.parent


def validator(which):
    return jsonschema.Draft202012Validator(schema(which),
                                           format_checker=jsonschema.FormatChecker())


def test_the_schemas_are_valid_schemas():
    for which in ("case", "dossier", "event", "claim", "cover", "decision"):
        jsonschema.Draft202012Validator.check_schema(schema(which))


@given(case_data())
def test_generated_cases_fit_the_case_schema(data):
    validator("case").validate(json.loads(json.dumps(data)))


@given(claim_data())
def test_generated_claims_fit_the_claim_schema(data):
    validator("claim").validate(json.loads(json.dumps(data)))


@settings(max_examples=15)
@given(dossiers(), st.sampled_from([None, "en", "fr", "es"]))
def test_decisions_of_dossiers_fit_the_decision_schema(dossier, lang):
    validator("dossier").validate(json.loads(dossier.to_json()))
    decision = ssreg.evaluate(dossier, on="2026-10-15")
    validator("decision").validate(json.loads(json.dumps(decision.to_dict(lang))))


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "cases").glob("*.json")),
                         ids=lambda p: p.stem)
def test_example_cases_and_their_decisions(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator("case").iter_errors(data))
    if path.name == "malformed.json":
        assert errors  # the schema catches what the model catches
        return
    assert not errors
    decision = ssreg.evaluate(data, on="2026-09-15")
    validator("decision").validate(json.loads(json.dumps(decision.to_dict("fr"))))


def test_a_case_with_claims_and_reimbursements_fits():
    case = {"student": {"birth_date": "2003-05-05", "nationality": "BR",
                        "country_of_birth": "BR"},
            "claims": [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30",
                        "referent_doctor_declared": True},
                       {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
                        "billed": "10"}],
            "cover": {"levels": {"default": 100}}}
    validator("case").validate(case)
    decision = ssreg.evaluate(case, on="2025-06-01")
    validator("decision").validate(json.loads(json.dumps(decision.to_dict("es"))))
    linked = json.loads(json.dumps(decision.to_dict("es", base_url="https://example.org/s")))
    validator("decision").validate(linked)
    assert linked["reimbursements"]["claims"][0]["links"]["rules"]
    linked["links"]["pages"] = {}
    with pytest.raises(jsonschema.ValidationError, match="pages"):
        validator("decision").validate(linked)


@pytest.mark.parametrize(("which", "data"), [
    ("case", {"student": {"birth_date": "2004-03-01", "nationality": "UK",
                          "country_of_birth": "GB"}}),
    ("case", {"student": {"birth_date": "2004-03-01", "nationality": "BR"}}),
    ("claim", {"care": "dental", "date": "2025-01-01", "billed": 10.5}),
    ("event", {"type": "account_created"}),
    ("cover", {"levels": {"default": "lots"}}),
])
def test_malformed_inputs_are_refused_by_the_schema(which, data):
    assert list(validator(which).iter_errors(data))
