"""Hypothesis strategies for ssreg's models, for your own property tests.

Importing this module imports hypothesis (``pip install ssreg[testing]``); ``import
ssreg`` never does.  The strategies are sound (every value is a valid model) and aim
at the interesting boundaries (ages around 16 and 18, cards expiring around the end of
the academic year, dates around rule changes).

>>> from hypothesis import given
>>> import ssreg
>>> from ssreg.testing import students
>>> @given(students())
... def test_route_is_known(student):
...     assert ssreg.evaluate({"student": student}, on="2026-10-01").route in {
...         "online", "cpam", "no_registration", "private_insurance"}
>>> test_route_is_known()
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from ._model import QUEBEC_FORMS, Claim, Student


__all__ = ["amounts", "claims", "evaluation_dates", "students"]

_COUNTRIES = ["FR", "DE", "IT", "ES", "BE", "GB", "CH", "NO", "BR", "US", "CN", "IN", "MA",
              "DZ", "SN", "CA", "JP", "NC", "PF", "GR", "BG", "VU"]


def evaluation_dates(start: date = date(2018, 9, 1), end: date = date(2027, 12, 31)) -> (
    st.SearchStrategy[date]
):
    """Dates within the rulebook's periods (the student site opened on 1 Sept 2018)."""
    return st.dates(min_value=start, max_value=end)


@st.composite
def students(draw: st.DrawFn, on: date | None = None) -> Student:
    """Valid :class:`~ssreg.Student` values (as attrs instances)."""
    anchor = on or date(2026, 10, 1)
    age_days = draw(st.integers(min_value=14 * 365, max_value=40 * 365))
    birth = date.fromordinal(anchor.toordinal() - age_days)
    card = st.none() | st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 12, 31))
    return Student(
        birth_date=birth,
        nationality=draw(st.sampled_from(_COUNTRIES)),
        country_of_birth=draw(st.sampled_from(_COUNTRIES)),
        previously_affiliated=draw(st.booleans()),
        enrolled_in_french_institution=draw(st.booleans()),
        stay_months=draw(st.none() | st.integers(min_value=0, max_value=60)),
        address_in_france=draw(st.none() | st.just("1 rue de Rivoli, Paris")),
        has_s1=draw(st.booleans()),
        quebec_form=draw(st.sampled_from(QUEBEC_FORMS)),
        ehic_expiry=draw(card),
        ghic_expiry=draw(card),
    )


def amounts(max_value: int = 2000) -> st.SearchStrategy[Decimal]:
    """Amounts in euros with at most two decimals (never floats)."""
    return st.integers(min_value=0, max_value=max_value * 100).map(lambda c: Decimal(c) / 100)


CARE_TYPES = ("gp_consultation", "specialist_consultation", "gp_teleconsultation", "medicine",
              "paramedical", "lab_biology", "lab_pathology", "radiology", "dental", "optics",
              "hospital_stay", "medical_device")
MEDICINE_CLASSES = ("irreplaceable", "major", "moderate", "low", "homeopathy")


@st.composite
def claims(draw: st.DrawFn, persons: tuple[str, ...] = ("a", "b", "c"),
           start: date = date(2023, 1, 1), end: date = date(2026, 12, 31)) -> Claim:
    """Valid :class:`~ssreg.Claim` values for the built-in rulebook's care types."""
    care = draw(st.sampled_from(CARE_TYPES))
    day = draw(st.dates(min_value=start, max_value=end))
    sector = draw(st.sampled_from(("sector_1", "sector_2_optam", "sector_2", "sector_3")))
    base = draw(st.none() | amounts(300))
    # no fixed base is published for these (see the parameters' periods): give one
    no_default_base = (care == "gp_teleconsultation" and day < date(2024, 12, 22)) or (
        sector == "sector_2" and day < date(2024, 1, 1))
    if base is None and no_default_base:
        base = draw(amounts(300))
    return Claim(
        care=care,
        date=day,
        billed=draw(amounts(400)),
        age=draw(st.integers(min_value=10, max_value=40)),
        person=draw(st.sampled_from(persons)),
        base=base,
        sector=sector,
        specialty=draw(st.sampled_from(("general", "gynaecology", "ophthalmology",
                                        "psychiatry", "cardiology"))),
        medicine_class=draw(st.sampled_from(MEDICINE_CLASSES)) if care == "medicine" else None,
        boxes=draw(st.integers(min_value=1, max_value=4)),
        referent_doctor_declared=draw(st.booleans()),
        referred=draw(st.booleans()),
        emergency=draw(st.booleans()),
        ald=draw(st.booleans()),
        css=draw(st.booleans()),
        pregnancy_exempt=draw(st.booleans()),
        hospital_days=draw(st.integers(min_value=0, max_value=5)) if care == "hospital_stay"
        else 0,
    )


def _hypothesis_setup_hook() -> None:
    """Registered as a hypothesis entry point: ``st.from_type(Student)`` works."""
    st.register_type_strategy(Student, students())
    st.register_type_strategy(Claim, claims())
