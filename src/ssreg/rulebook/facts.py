"""Derived facts, written once, and the reader of dated parameters.

Each derived fact is declared in ``rules/facts.toml`` (type, trilingual label, citation)
and computed here.  A test checks both lists match.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from ..exceptions import InvalidInputError, NoValueInForce, Problem
from ..model.kinds import to_decimal
from ..model.limits import excerpt
from .conditions import UNKNOWN, Unknown
from .css import css_facts
from .rulebook import Parameter, ParameterValue, Rulebook


# --------------------------------------------------------------------------- parameters


def _convert_override(param: Parameter, value: Any) -> tuple[Any, str]:
    """An override converted to the parameter's type, or a problem message."""
    kind = param.type
    if kind == "decimal":
        value = to_decimal(value)
        if not isinstance(value, Decimal) or not value.is_finite():
            return None, f"expected a number such as '0.70' or 2, got {excerpt(value)}"
        if param.unit == "rate" and not 0 <= value <= 1:
            return None, f"a rate is between 0 and 1, got {value}"
        return value, ""
    if kind == "int":
        if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 12:
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"expected an integer, got {excerpt(value)}"
        return value, ""
    if kind == "date":
        if isinstance(value, str):
            from ..model.kinds import DateKind

            value = DateKind().convert(value)
        if not isinstance(value, date):
            return None, f"expected a date (YYYY-MM-DD), got {excerpt(value)}"
        return value, ""
    if kind == "bool":
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            return None, f"expected true or false, got {excerpt(value)}"
        return value, ""
    if kind == "str_list":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return None, f"expected a list of texts (or 'A,B,C'), got {excerpt(value)}"
        return tuple(value), ""
    if not isinstance(value, str):
        return None, f"expected a text, got {excerpt(value)}"
    if param.options and value not in param.options:
        return None, f"expected one of {', '.join(param.options)}, got {excerpt(value)}"
    return value, ""


def check_overrides(book: Rulebook, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Overrides converted to their parameters' types (strings accepted where clear).

    >>> import ssreg
    >>> check_overrides(ssreg.default_rulebook(), {"participation_forfaitaire": "4"})
    {'participation_forfaitaire': Decimal('4')}
    """
    if not overrides:
        return {}
    if not isinstance(overrides, Mapping):
        raise InvalidInputError([Problem("overrides", "expected a table NAME = VALUE, got "
                                         f"{excerpt(overrides)}")])
    out: dict[str, Any] = {}
    problems = []
    for name, value in overrides.items():
        param = book.parameters.get(name) if isinstance(name, str) else None
        if param is None:
            close = difflib.get_close_matches(name, sorted(book.parameters), n=1) if \
                isinstance(name, str) and len(name) < 64 else []
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(Problem(f"overrides.{excerpt(name)}" if not isinstance(name, str)
                                    else f"overrides.{name[:64]}",
                                    f"unknown parameter; {hint}`ssreg parameters` lists them"))
            continue
        converted, problem = _convert_override(param, value)
        if problem:
            problems.append(Problem(f"overrides.{name}", problem))
        else:
            out[name] = converted
    if problems:
        raise InvalidInputError(problems)
    return out


class ParameterReader:
    """Reads parameters in force on a date, applying overrides and recording each read."""

    def __init__(self, book: Rulebook, on: date, overrides: Mapping[str, Any] | None = None,
                 *, checked: bool = False) -> None:
        self.book = book
        self.on = on
        self.overrides = dict(overrides or {}) if checked else check_overrides(book, overrides)
        self.reads: dict[str, tuple[Parameter, ParameterValue, bool]] = {}

    def __call__(self, name: str) -> Any:
        found = self.reads.get(name)
        if found is None:
            param = self.book.parameter(name)
            found = self.reads[name] = (param, param.value_on(self.on), name in self.overrides)
        return self.overrides[name] if found[2] else found[1].value


# --------------------------------------------------------------------------- dates


@lru_cache(maxsize=4096)
def age_on(birth_date: date, on: date) -> int:
    """Completed years on ``on`` (a 29 February birthday counts on 28 February).

    >>> age_on(date(2010, 6, 15), date(2026, 6, 14)), age_on(date(2010, 6, 15), date(2026, 6, 15))
    (15, 16)
    """
    years: int = relativedelta(on, birth_date).years
    return years


@lru_cache(maxsize=4096)
def add_months(day: date, months: int) -> date:
    """``day`` plus whole months (end of month kept), never past the last date."""
    try:
        result: date = day + relativedelta(months=months)
    except (OverflowError, ValueError):
        return date.max
    return result


def in_pregnancy_window(start: date | None, delivery: date | None, on: date,
                        assumptions: list[str]) -> bool:
    """Whether ``on`` falls from the 1st day of the 6th month of pregnancy to the 12th
    day after delivery [AG1].  A missing date is estimated (a pregnancy of 9 months) and
    the estimate is named in ``assumptions``.

    >>> notes: list[str] = []
    >>> in_pregnancy_window(date(2026, 1, 10), None, date(2026, 6, 10), notes), notes
    (True, ['delivery_date_estimated'])
    >>> [in_pregnancy_window(None, date(2026, 9, 1), date(2026, 9, day), []) for day in (13, 14)]
    [True, False]
    """
    if start is None:
        if delivery is None:
            return False
        start = add_months(delivery, -9)
        assumptions.append("pregnancy_start_estimated")
    if delivery is None:
        delivery = add_months(start, 9)
        assumptions.append("delivery_date_estimated")
    return add_months(start, 5) <= on <= delivery + timedelta(days=12)


def academic_year(on: date, start_month: int) -> tuple[str, date, date]:
    """The academic year containing ``on``: its name, first day and last day.

    >>> academic_year(date(2026, 11, 26), 9)
    ('2026-2027', datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    >>> academic_year(date(2027, 2, 1), 9)[0]
    '2026-2027'
    >>> academic_year(date(9999, 12, 31), 9)[2]
    datetime.date(9999, 12, 31)
    """
    first_year = on.year if on.month >= start_month else on.year - 1
    return named_year(first_year, start_month)


@lru_cache(maxsize=1024)
def named_year(first_year: int, start_month: int) -> tuple[str, date, date]:
    """The academic year starting in ``first_year``: its name, first and last day."""
    start = date(max(first_year, 1), start_month, 1)
    end = (date(first_year + 1, start_month, 1) - timedelta(days=1)
           if first_year < 9999 else date.max)
    return f"{first_year}-{first_year + 1}", start, end


@attrs.frozen
class YearApplied:
    """The academic year a case is judged against, and how it was found."""

    name: str
    start: date
    end: date
    how: str  # "given", "arrival_date" or "evaluation_date"


def year_applied(academic: str | None, arrival: date | None, on: date,
                 param: Callable[[str], Any]) -> YearApplied:
    """The year applied for: given; else from the arrival date; else the evaluation date.

    An arrival within ``academic_year_early_arrival_months`` before a year's first day
    counts for that year (a student arriving on 25 August registers for the year
    starting on 1 September).
    """
    start_month = param("academic_year_start_month")
    if academic is not None:
        return YearApplied(*named_year(int(academic[:4]), start_month), how="given")
    if arrival is not None:
        early = param("academic_year_early_arrival_months")
        name, _, _ = academic_year(add_months(arrival, early), start_month)
        return YearApplied(*named_year(int(name[:4]), start_month), how="arrival_date")
    return YearApplied(*academic_year(on, start_month), how="evaluation_date")


# --------------------------------------------------------------------------- students

#: an unknown yes-or-no fact
UNKNOWN_BOOL = Unknown(frozenset({True, False}))


def _given(value: Any, domain: frozenset[Any] | None = None) -> Any:
    """A student's field as a fact: its value, or unknown when it was not given."""
    if value is not None:
        return value
    return UNKNOWN if domain is None else Unknown(domain)


def _card_valid_until(expiry: date | str | None, end: date) -> Any:
    """Whether a card (a date, ``"none"`` or not given) is valid until ``end``."""
    if expiry is None:
        return UNKNOWN_BOOL
    return isinstance(expiry, date) and expiry >= end


def _ehic_valid_for_stay(ehic: date | str | None, stay_end: date | None, on: date) -> Any:
    if ehic == "none" or (isinstance(ehic, date) and ehic < on):
        return False
    if ehic is None or stay_end is None:
        return UNKNOWN_BOOL
    assert isinstance(ehic, date)
    return ehic >= stay_end


def student_facts(student: Any, on: date, param: Callable[[str], Any], year: YearApplied,
                  arrival: date | None) -> dict[str, Any]:
    """Input and derived facts of a :class:`~ssreg.Student` on a date.

    A field the student did not give is an :class:`~ssreg.rulebook.conditions.Unknown`
    fact, and so is a derived fact that depends on it (in three values: a card that is
    not given may or may not be valid; a card given as ``"none"`` is not valid).
    """
    # French citizens follow the French rules even though France is in the EU list
    eu = student.nationality != "FR" and student.nationality in param("eu_eea_swiss_countries")
    stay_end = (add_months(arrival or on, student.stay_months)
                if student.stay_months is not None else None)
    ehic = student.ehic_expiry
    return {
        # input facts
        "nationality": student.nationality,
        "country_of_birth": student.country_of_birth,
        "previously_affiliated": _given(student.previously_affiliated, BOOLS),
        "enrolled_in_french_institution": _given(student.enrolled_in_french_institution,
                                                 BOOLS),
        "stay_months": _given(student.stay_months),
        "has_s1": _given(student.has_s1, BOOLS),
        "quebec_form": _given(student.quebec_form, QUEBEC_FORMS),
        # derived facts
        "age": age_on(student.birth_date, on),
        "andorran_insured": _given(student.andorran_insured, BOOLS),
        "salaried": _given(student.salaried, BOOLS),
        "household_size": student.household_size,
        "household_resources": student.household_resources,
        # a French overseas département is France [BR1]
        "born_in_france": student.country_of_birth == "FR"
        or student.country_of_birth in param("french_overseas_departments"),
        "french_citizen": student.nationality == "FR",
        "from_overseas_collectivity": student.country_of_birth
        in param("overseas_collectivities"),
        "eu_eea_swiss": eu,
        "ehic_valid_for_academic_year": _card_valid_until(ehic, year.end),
        "ehic_valid_for_stay": _ehic_valid_for_stay(ehic, stay_end, on),
        "ehic_ends_during_academic_year": UNKNOWN_BOOL if ehic is None else
        isinstance(ehic, date) and on <= ehic < year.end,
        "ghic_valid_for_academic_year": _card_valid_until(student.ghic_expiry, year.end),
        "has_address_in_france": bool(student.address_in_france and
                                      student.address_in_france.strip()),
        "academic_year_end": year.end,
        "academic_year": year.name,
        "ehic_expiry": _card(ehic),
        "ghic_expiry": _card(student.ghic_expiry),
        **css_facts(student, css_age(student.birth_date, on, param), param),
    }


def _card(expiry: date | str | None) -> Any:
    """A card's expiry as a fact: its date, absent without a card, unknown if not given."""
    return expiry if isinstance(expiry, date) else UNKNOWN if expiry is None else None


def breakpoints(name: str, student: Any, on: date, year_end: date,
                arrival: date | None) -> list[Any]:
    """Where a date or number the student did not give starts to change a derived fact.

    ``ehic_expiry``: the evaluation date (a card expired before is no card), the end of
    the stay (when known) and of the academic year; ``ghic_expiry``: the end of the
    year; ``stay_months``: the first stay that outlasts a known card.  The rules' own
    literals (``stay_months <= 3``) are added by the caller.

    >>> from types import SimpleNamespace
    >>> s = SimpleNamespace(stay_months=None, ehic_expiry=date(2027, 1, 31))
    >>> breakpoints("stay_months", s, date(2026, 10, 1), date(2027, 8, 31), None)
    [4]
    """
    if name == "ehic_expiry":
        found = [on, year_end]
        if student.stay_months is not None:
            found.append(add_months(arrival or on, student.stay_months))
        return found
    if name == "ghic_expiry":
        return [year_end]
    if name == "stay_months" and isinstance(student.ehic_expiry, date) \
            and student.ehic_expiry >= on:
        start = arrival or on
        months = 0
        while months < 1200 and add_months(start, months) <= student.ehic_expiry:
            months += 1
        return [months]
    return []


BOOLS = frozenset({True, False})
QUEBEC_FORMS = frozenset({"none", "SE401-Q-106", "SE401-Q-102bis"})


def css_age(birth_date: date, on: date, param: Callable[[str], Any]) -> int:
    """The age that sets the CSS participation: from 30 June 2024 the age reached on
    1 January of the year the CSS is granted, taken as the year of ``on``
    [CSS-R861-16-1]; before, the age on ``on`` (the choice
    ``css.participation_age_reference``).

    >>> book = {"css.participation_age_reference": "january_1"}
    >>> css_age(date(1996, 6, 15), date(2026, 9, 1), book.__getitem__)
    29
    >>> book = {"css.participation_age_reference": "evaluation_date"}
    >>> css_age(date(1996, 6, 15), date(2026, 9, 1), book.__getitem__)
    30
    """
    try:
        reference = param("css.participation_age_reference")
    except NoValueInForce:  # before the CSS (1 November 2019): no participation to set
        reference = "evaluation_date"
    if reference == "january_1":
        return age_on(birth_date, date(on.year, 1, 1))
    return age_on(birth_date, on)


DERIVED_STUDENT_FACTS = frozenset({
    "age", "born_in_france", "french_citizen", "from_overseas_collectivity", "eu_eea_swiss",
    "ehic_valid_for_academic_year", "ehic_valid_for_stay", "ehic_ends_during_academic_year",
    "ghic_valid_for_academic_year", "has_address_in_france", "academic_year_end",
    "academic_year", "household_resources_given", "css_ceilings_known", "within_css_free_ceiling",
    "within_css_participation_ceiling", "css_monthly_participation",
})
