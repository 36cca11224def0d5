"""Derived facts, written once, and the reader of dated parameters.

Each derived fact is declared in ``rules/facts.toml`` (type, trilingual label, citation)
and computed here.  A test checks both lists match.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta

from ._rulebook import Parameter, ParameterValue, Rulebook
from .exceptions import InvalidCaseError, Problem


class ParameterReader:
    """Reads parameters in force on a date, applying overrides and recording each read."""

    def __init__(self, book: Rulebook, on: date, overrides: Mapping[str, Any] | None = None):
        self.book = book
        self.on = on
        self.overrides = dict(overrides or {})
        self.reads: dict[str, tuple[Parameter, ParameterValue, bool]] = {}
        problems = [
            Problem(f"overrides.{name}", problem)
            for name, value in self.overrides.items()
            if (problem := _override_problem(book, name, value))
        ]
        if problems:
            raise InvalidCaseError(problems)

    def __call__(self, name: str) -> Any:
        param = self.book.parameter(name)
        in_force = param.value_on(self.on)
        overridden = name in self.overrides
        self.reads[name] = (param, in_force, overridden)
        return self.overrides[name] if overridden else in_force.value


def _override_problem(book: Rulebook, name: str, value: Any) -> str:
    param = book.parameters.get(name)
    if param is None:
        return f"unknown parameter; known: {', '.join(sorted(book.parameters))}"
    if param.options and value not in param.options:
        return f"expected one of {', '.join(param.options)}, got {value!r}"
    sample = param.values[0].value if param.values else None
    if sample is not None and not isinstance(value, type(sample)):
        return f"expected a {param.type} value, got {value!r}"
    return ""


@lru_cache(maxsize=4096)
def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on`` (a 29 February birthday counts on 28 February).

    >>> age_on(date(2010, 6, 15), date(2026, 6, 14)), age_on(date(2010, 6, 15), date(2026, 6, 15))
    (15, 16)
    """
    years: int = relativedelta(on, birth_date).years
    return years


def academic_year(on: date, start_month: int) -> tuple[str, date, date]:
    """The academic year containing ``on``: its name, first day and last day.

    >>> academic_year(date(2026, 11, 26), 9)
    ('2026-2027', datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    >>> academic_year(date(2027, 2, 1), 9)[0]
    '2026-2027'
    """
    first_year = on.year if on.month >= start_month else on.year - 1
    start = date(first_year, start_month, 1)
    end = date(first_year + 1, start_month, 1) - timedelta(days=1)
    return f"{first_year}-{first_year + 1}", start, end


def _valid_until(expiry: date | None, end: date) -> bool:
    return expiry is not None and expiry >= end


def student_facts(student: Any, on: date, param: Callable[[str], Any]) -> dict[str, Any]:
    """Input and derived facts of a :class:`~ssreg.Student` on a date."""
    name, _, year_end = academic_year(on, param("academic_year_start_month"))
    # French citizens follow the French rules even though France is in the EU list
    eu = student.nationality != "FR" and student.nationality in param("eu_eea_swiss_countries")
    return {
        # input facts
        "nationality": student.nationality,
        "country_of_birth": student.country_of_birth,
        "previously_affiliated": student.previously_affiliated,
        "enrolled_in_french_institution": student.enrolled_in_french_institution,
        "stay_months": student.stay_months,
        "has_s1": student.has_s1,
        "quebec_form": student.quebec_form,
        # derived facts
        "age": age_on(student.birth_date, on),
        "born_in_france": student.country_of_birth == "FR",
        "french_citizen": student.nationality == "FR",
        "from_overseas_collectivity": student.country_of_birth
        in param("overseas_collectivities"),
        "eu_eea_swiss": eu,
        "ehic_valid_for_academic_year": _valid_until(student.ehic_expiry, year_end),
        "ghic_valid_for_academic_year": _valid_until(student.ghic_expiry, year_end),
        "has_address_in_france": bool(student.address_in_france and
                                      student.address_in_france.strip()),
        "academic_year_end": year_end,
        "academic_year": name,
    }


DERIVED_STUDENT_FACTS = frozenset({
    "age", "born_in_france", "french_citizen", "from_overseas_collectivity", "eu_eea_swiss",
    "ehic_valid_for_academic_year", "ghic_valid_for_academic_year", "has_address_in_france",
    "academic_year_end",
})
