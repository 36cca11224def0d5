"""Inputs are checked where they enter, whatever the door, with every problem at once."""

import json
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.model.structure import structure, unstructure
from ssreg.testing import any_students, cases, covers, documents


BASE = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR"}


def problems(case, on="2026-09-15"):
    with pytest.raises(ssreg.InvalidCaseError) as info:
        ssreg.evaluate(case, on=on)
    return {p.path: p.message for p in info.value.problems}


class TestErrorsNameTheField:
    @pytest.mark.parametrize(("field", "value", "expected"), [
        ("birth_date", "31/02/2004", "expected a date (YYYY-MM-DD), got '31/02/2004'"),
        ("birth_date", "2004-02-30", "expected a date"),
        ("birth_date", "20040301", "expected a date"),
        ("birth_date", None, "expected a date"),
        ("nationality", "Brazil", "expected an ISO 3166 two-letter country code"),
        ("nationality", "UK", "for this country write 'GB'"),
        ("nationality", "EU", "expected an ISO 3166"),
        ("nationality", "ZZ", "expected an ISO 3166"),
        ("stay_months", -2, "expected an integer from 0 to 1200, got -2"),
        ("stay_months", "three", "expected an integer"),
        ("previously_affiliated", "yes", "expected true or false"),
        ("previously_affiliated", 1, "expected true or false"),
        ("quebec_form", "SE-999", "expected one of none, SE401-Q-106, SE401-Q-102bis"),
    ])
    def test_student_field(self, field, value, expected):
        found = problems({"student": {**BASE, field: value}})
        assert expected in found[f"student.{field}"]

    def test_every_problem_at_once(self):
        found = problems({"student": {"birth_date": "yesterday", "nationality": "XX",
                                      "country_of_birth": "YY", "has_s1": "no"}})
        assert set(found) == {"student.birth_date", "student.nationality",
                              "student.country_of_birth", "student.has_s1"}

    def test_missing_fields_are_all_listed(self):
        found = problems({"student": {"nationality": "BR"}})
        assert {"student.birth_date", "student.country_of_birth"} <= set(found)

    def test_unknown_field_with_a_hint(self):
        found = problems({"student": {**BASE, "nationalty": "BR"}})
        assert "did you mean 'nationality'" in found["student.nationalty"]

    def test_float_money_is_refused(self):
        case = {"student": BASE, "claims": [{"care": "gp_consultation", "date": "2025-01-10",
                                             "billed": 30.0}]}
        assert "a float is not exact" in problems(case)["claims[0].billed"]

    def test_datetime_is_not_a_date(self):
        found = problems({"student": {**BASE, "birth_date": datetime(2004, 3, 1, 12, 0)}})
        assert "datetime" in found["student.birth_date"]

    def test_lower_case_country_is_normalised(self):
        d = ssreg.evaluate({"student": {**BASE, "nationality": "br"}}, on="2026-09-15")
        assert d.trace.facts["nationality"] == "BR"

    @pytest.mark.parametrize(("birth", "message"), [
        ("2030-01-01", "is after the evaluation date"),
        ("1900-01-01", "expected at most 120"),
    ])
    def test_impossible_ages(self, birth, message):
        assert message in problems({"student": {**BASE, "birth_date": birth}})[
            "student.birth_date"]

    def test_keys_that_are_not_texts(self):
        found = problems({"student": {**BASE, 3: "x"}})
        assert "field names must be texts" in found["student"]

    def test_deep_nesting_is_refused_without_recursion(self):
        deep: object = "x"
        for _ in range(100_000):
            deep = [deep]
        found = problems({"student": BASE, "documents": deep})
        assert "nested more than" in next(iter(found.values()))

    def test_long_values_are_quoted_short(self):
        found = problems({"student": {**BASE, "nationality": "x" * 1_000_000}})
        assert len(found["student.nationality"]) < 300


class TestDirectConstruction:
    """The public models check themselves: same errors as the dict door."""

    def test_strings_are_converted_where_unambiguous(self):
        student = ssreg.Student(birth_date="2004-01-01", nationality="br", country_of_birth="BR")
        assert student.birth_date == date(2004, 1, 1) and student.nationality == "BR"

    def test_wrong_types_are_refused_with_every_problem(self):
        with pytest.raises(ssreg.InvalidCaseError) as info:
            ssreg.Student(birth_date=20040101, nationality="BR", country_of_birth="BR",
                          previously_affiliated="yes")
        assert {p.path for p in info.value.problems} == {"birth_date", "previously_affiliated"}

    def test_missing_required_fields(self):
        with pytest.raises(ssreg.InvalidCaseError) as info:
            ssreg.Student(nationality="BR")
        assert {p.path for p in info.value.problems} == {"birth_date", "country_of_birth"}

    def test_claim_errors_are_claim_errors(self):
        with pytest.raises(ssreg.InvalidClaimError, match="billed"):
            ssreg.Claim(care="dental", date="2025-01-01", billed=10.5, age=20)

    def test_nested_dicts_are_structured(self):
        case = ssreg.Case(student=BASE, documents=[{"kind": "passport"}])
        assert isinstance(case.student, ssreg.Student)
        assert case.documents[0].kind == "passport"

    def test_nested_errors_have_their_path(self):
        with pytest.raises(ssreg.InvalidCaseError) as info:
            ssreg.Case(student={**BASE, "nationality": "XX"},
                       documents=[{"kind": "passport", "expires": "soon"}])
        assert {p.path for p in info.value.problems} == {"student.nationality",
                                                         "documents[0].expires"}


@given(st.dictionaries(st.sampled_from(["birth_date", "nationality", "country_of_birth",
                                        "stay_months", "has_s1", "ehic_expiry", "quebec_form",
                                        "address_in_france", "previously_affiliated"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.text(
                           max_size=12) | st.dates().map(date.isoformat),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.text(max_size=8), inner, max_size=3), max_leaves=8),
                       max_size=9),
       st.sampled_from(["2026-09-15", "2019-01-01"]))
def test_any_input_gives_a_decision_or_an_ssreg_error(student, on):
    """Junk never leaks a KeyError/TypeError/engine crash: a Decision or an SsregError."""
    try:
        decision = ssreg.evaluate({"student": student}, on=on)
    except ssreg.SsregError as exc:
        assert str(exc)
    else:
        assert decision.route in {"online", "cpam", "no_registration", "private_insurance"}


@given(any_students())
def test_students_round_trip_through_json(student):
    data = json.loads(json.dumps(unstructure(student)))
    assert structure(data, ssreg.Student, error=ssreg.InvalidCaseError) == student


@given(cases())
def test_cases_round_trip_through_json(case):
    data = json.loads(json.dumps(unstructure(case)))
    assert ssreg.Case(**data) == case


@given(documents(), covers())
def test_documents_and_covers_round_trip(document, cover):
    assert structure(json.loads(json.dumps(unstructure(document))), ssreg.Document,
                     error=ssreg.InvalidCaseError) == document
    assert ssreg.load_cover(json.loads(json.dumps(unstructure(cover)))) == cover


def test_hypothesis_entry_point_registers_the_models():
    from hypothesis import find

    student = find(st.from_type(ssreg.Student), lambda s: s.nationality == "DZ")
    assert isinstance(student, ssreg.Student)
    claim = find(st.from_type(ssreg.Claim), lambda c: c.care == "medicine")
    assert claim.medicine_class is not None


def test_every_default_is_a_valid_value():
    """Defaults are not re-checked when an instance is built: they must be valid."""
    from ssreg.model.dossier import Dossier, Event
    from ssreg.model.fields import REQUIRED, specs

    for model in (ssreg.Student, ssreg.Document, ssreg.Claim, ssreg.Cover, ssreg.Case,
                  Dossier, Event):
        for name, spec in specs(model):
            if spec.default is not REQUIRED:
                converted = spec.kind.convert(spec.default)
                assert converted is spec.default, (model.__name__, name)
                assert spec.kind.check(converted) == [], (model.__name__, name)


def test_errors_survive_pickling_whole():
    """Errors cross process boundaries (workers) with their problems intact."""
    import pickle

    errors = [ssreg.InvalidClaimError([ssreg.Problem("claims[3].care", "unknown")]),
              ssreg.RulebookError([ssreg.Problem("a.toml", "bad"), ssreg.Problem("b", "c")]),
              ssreg.EventRefused("start", "x", [{"a": 1}], ["S1"], "refused"),
              ssreg.NoValueInForce("rate", "2020-01-01", "from 2021")]
    for error in errors:
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert getattr(back, "problems", None) == getattr(error, "problems", None)
