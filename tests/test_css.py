"""Complémentaire santé solidaire: resources against dated ceilings, a decision table."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.rulebook.facts import css_age
from ssreg.testing import amounts


CENT = Decimal("0.01")
ORDER = {"free": 0, "with_participation": 1, "above_ceiling": 2}
# the facts the route depends on, stated (CSS eligibility follows the route)
STATED = {"stay_months": 10, "enrolled_in_french_institution": True, "salaried": False,
          "previously_affiliated": False, "andorran_insured": False}


def eligibility(resources, size, on="2025-10-01", birth="2004-02-10"):
    student = {"birth_date": birth, "nationality": "BR", "country_of_birth": "BR",
               "household_size": size, "household_resources": str(resources), **STATED}
    return ssreg.evaluate({"student": student}, on=on).outcomes["css_eligibility"]


@given(amounts(60000), amounts(60000), st.integers(1, 8))
def test_more_resources_never_give_a_better_answer(a, b, size):
    low, high = sorted((a, b))
    assert ORDER[eligibility(low, size)] <= ORDER[eligibility(high, size)]


@given(st.integers(1, 7))
def test_each_ceiling_is_inclusive_and_a_cent_above_is_out(size):
    book = ssreg.default_rulebook()
    on = date(2025, 10, 1)

    def ceiling(kind):
        value = book.parameters[f"css.{kind}_ceiling.{min(size, 4)}"].value_on(on).value
        extra = book.parameters[f"css.{kind}_ceiling.extra"].value_on(on).value
        return value + max(size - 4, 0) * extra

    free, paid = ceiling("free"), ceiling("participation")
    assert eligibility(free, size) == "free"
    assert eligibility(free + CENT, size) == "with_participation"
    assert eligibility(paid, size) == "with_participation"
    assert eligibility(paid + CENT, size) == "above_ceiling"


def test_no_ceiling_is_guessed_after_march_2026_nor_before_april_2024():
    assert eligibility(5000, 1, on="2026-04-01") == "ceilings_not_found"
    assert eligibility(5000, 1, on="2024-03-31") == "ceilings_not_found"
    assert eligibility(5000, 1, on="2026-03-31") == "free"


def test_the_participation_follows_the_age_band():
    student = {"birth_date": "1990-02-10", "nationality": "BR", "country_of_birth": "BR",
               "household_resources": "12000", **STATED}
    decision = ssreg.evaluate({"student": student}, on="2025-10-01")
    assert decision.outcomes["css_eligibility"] == "with_participation"
    assert "14.00 a month" in decision.summary("en")  # aged 35: 30-49 band
    read = {p.name for p in decision.parameters}
    assert {"css.participation.30_to_49", "css.free_ceiling.1"} <= read


def _participation(birth: str, on: str, **overrides: str) -> str:
    student = {"birth_date": birth, "nationality": "BR", "country_of_birth": "BR",
               "household_resources": "12000", **STATED}
    decision = ssreg.evaluate({"student": student}, on=on, overrides=overrides)
    assert decision.outcomes["css_eligibility"] == "with_participation"
    return decision.summary("en")


def test_the_age_band_is_the_age_reached_on_1_january_from_june_2024():
    # 30 on 15 June 2025, 29 on 1 January 2025: the under-30 band (8 EUR), art. R861-16-1
    assert "8.00 a month" in _participation("1995-06-15", "2025-10-01")
    # the other reading of the choice: the age on the evaluation date, 30-49 band
    assert "14.00 a month" in _participation("1995-06-15", "2025-10-01",
                                             **{"css.participation_age_reference":
                                                "evaluation_date"})


@given(st.dates(date(1950, 1, 1), date(2008, 12, 31)), st.dates(date(2024, 7, 1),
                                                             date(2026, 3, 31)))
def test_the_age_band_never_changes_within_a_calendar_year(birth, on):
    book = ssreg.default_rulebook()
    def param(name):
        return book.parameters[name].value_on(on).value

    assert css_age(birth, on, param) == css_age(birth, date(on.year, 1, 1), param)
