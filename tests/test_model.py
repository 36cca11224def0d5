"""Cases are structured from plain data; every bad field is named with what was expected."""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.testing import students


BASE = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR"}


def problems(case):
    with pytest.raises(ssreg.InvalidCaseError) as info:
        ssreg.evaluate(case, on="2026-09-15")
    return {p.path: p.message for p in info.value.problems}


class TestErrorsNameTheField:
    @pytest.mark.parametrize(("field", "value", "expected"), [
        ("birth_date", "31/02/2004", "expected a date (YYYY-MM-DD), got '31/02/2004'"),
        ("birth_date", "2004-02-30", "expected a date"),
        ("nationality", "Brazil", "expected an ISO 3166 two-letter country code"),
        ("stay_months", -2, "expected a value >= 0, got -2"),
        ("stay_months", "three", "expected int"),
        ("previously_affiliated", "yes", "expected bool"),
        ("quebec_form", "SE-999", "expected one of none, SE401-Q-106, SE401-Q-102bis"),
    ])
    def test_student_field(self, field, value, expected):
        found = problems({"student": {**BASE, field: value}})
        assert expected in found[f"student.{field}"]

    def test_missing_fields_are_all_listed(self):
        found = problems({"student": {"nationality": "BR"}})
        assert {"student.birth_date", "student.country_of_birth"} <= set(found)

    def test_unknown_field(self):
        found = problems({"student": {**BASE, "favourite_colour": "blue"}})
        assert "favourite_colour" in found["student"]

    def test_float_money_is_refused(self):
        case = {"student": BASE, "claims": [{"care": "gp_consultation", "date": "2025-01-10",
                                             "billed": 30.0, "age": 20}]}
        assert "got float" in problems(case)["claims[0].billed"]

    def test_datetime_is_not_a_date(self):
        from datetime import datetime
        found = problems({"student": {**BASE, "birth_date": datetime(2004, 3, 1, 12, 0)}})
        assert "datetime" in found["student.birth_date"]

    def test_lower_case_country_is_normalised(self):
        d = ssreg.evaluate({"student": {**BASE, "nationality": "br"}}, on="2026-09-15")
        assert d.trace.facts["nationality"] == "BR"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    | st.dates().map(date.isoformat),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=8,
)
_student_keys = st.sampled_from(["birth_date", "nationality", "country_of_birth", "stay_months",
                                 "has_s1", "ehic_expiry", "quebec_form", "address_in_france"])


@given(st.dictionaries(_student_keys, _json_values, max_size=8),
       st.sampled_from(["2026-09-15", "2019-01-01"]))
def test_any_input_gives_a_decision_or_an_ssreg_error(student, on):
    """Junk never leaks a KeyError/TypeError/engine crash: a Decision or an SsregError."""
    try:
        decision = ssreg.evaluate({"student": student}, on=on)
    except ssreg.SsregError as exc:
        assert str(exc)
    else:
        assert decision.route in {"online", "cpam", "no_registration", "private_insurance"}


@given(students())
def test_models_round_trip_through_json(student):
    from ssreg._model import converter
    data = json.loads(json.dumps(converter().unstructure(student)))
    assert converter().structure(data, ssreg.Student) == student


def test_hypothesis_entry_point_registers_the_models():
    from hypothesis import find
    from hypothesis import strategies as st

    student = find(st.from_type(ssreg.Student), lambda s: s.nationality == "DZ")
    assert isinstance(student, ssreg.Student)
    claim = find(st.from_type(ssreg.Claim), lambda c: c.care == "medicine")
    assert claim.medicine_class is not None
