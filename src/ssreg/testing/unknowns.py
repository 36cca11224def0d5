"""Hypothesis strategies for facts not given: condition trees over unknown values (to test
an engine against the reference three-valued logic), students with facts removed, and
the completions of what was removed.

>>> from hypothesis import find
>>> from ssreg.rulebook.conditions import Unknown
>>> env = find(unknown_environments(), lambda e: isinstance(e.get("a"), Unknown))
>>> env["a"]
UNKNOWN
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from ..model.models import QUEBEC_FORMS, Student
from ..rulebook.conditions import OPERATORS, UNKNOWN, AllOf, AnyOf, Compare, Node, Not, Unknown
from ..rulebook.facts import add_months, named_year
from .strategies import any_students


#: the student's fields a case may leave out, and evaluate then asks about
ASKED = ("previously_affiliated", "enrolled_in_french_institution", "stay_months", "has_s1",
         "quebec_form", "ehic_expiry", "ghic_expiry")


def _comparisons() -> st.SearchStrategy[Compare]:
    def build(key: str, op: str, value: int, members: list[int]) -> Compare:
        if op in ("in", "not_in"):
            return Compare("fact", key, op, frozenset(members))
        return Compare("fact", key, op, value)

    return st.builds(build, st.sampled_from(["a", "b"]), st.sampled_from(sorted(OPERATORS)),
                     st.integers(-2, 2), st.lists(st.integers(-2, 2), min_size=1, max_size=3))


def condition_trees(max_leaves: int = 8) -> st.SearchStrategy[Node]:
    """Random conditions (``all``, ``any``, ``not``, every operator) on facts ``a``, ``b``."""
    return st.recursive(
        _comparisons(),
        lambda children: st.one_of(
            st.builds(lambda items: AllOf(tuple(items)), st.lists(children, max_size=3)),
            st.builds(lambda items: AnyOf(tuple(items)), st.lists(children, max_size=3)),
            st.builds(Not, children)),
        max_leaves=max_leaves)


def _values(unknown: bool) -> st.SearchStrategy[Any]:
    known = st.none() | st.integers(-3, 3)
    if not unknown:
        return known
    restricted = st.frozensets(st.none() | st.integers(-3, 3), min_size=2, max_size=4).map(
        Unknown)
    return known | st.just(UNKNOWN) | restricted


def unknown_environments(unknown: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Values of ``a`` and ``b``: absent, an integer, unknown, or unknown among some
    values (``unknown=False``: known or absent only)."""
    values = _values(unknown)
    return st.fixed_dictionaries({}, optional={"a": values, "b": values})


@st.composite
def partial_students(draw: st.DrawFn, on: date | None = None, most: int = len(ASKED),
                     least: int = 0) -> tuple[Student, tuple[str, ...]]:
    """A student stating every fact, then with ``least`` to ``most`` of them removed: the
    partial student and the names of the removed fields."""
    student = draw(any_students(on=on))
    removed = tuple(draw(st.lists(st.sampled_from(ASKED), unique=True, min_size=least,
                                  max_size=most)))
    cleared: dict[str, Any] = dict.fromkeys(removed)
    return attrs.evolve(student, **cleared), removed


def completions(student: Student, removed: tuple[str, ...], on: date) -> Iterator[
        dict[str, Any]]:
    """Every combination of values worth trying for the removed fields: both answers of a
    yes/no, every form, and numbers and dates on both sides of each threshold the rules
    and derived facts compare them with (the evaluation date, the end of the academic
    year, the end of the stay, three months)."""
    year_end = named_year(on.year if on.month >= 9 else on.year - 1, 9)[2]
    day = timedelta(days=1)
    stay_ends = [add_months(on, m) for m in (3, 4, 12)]
    if student.stay_months is not None:
        stay_ends.append(add_months(on, student.stay_months))
    cards = ["none", on - day, on, year_end - day, year_end,
             *(d + delta for d in stay_ends for delta in (-day, timedelta(0)))]
    choices: dict[str, list[Any]] = {
        "previously_affiliated": [False, True], "enrolled_in_french_institution": [False, True],
        "has_s1": [False, True], "quebec_form": list(QUEBEC_FORMS),
        "stay_months": [0, 3, 4, 12], "ehic_expiry": cards, "ghic_expiry": ["none", year_end - day,
                                                                          year_end]}
    if isinstance(student.ehic_expiry, date):  # the first stay the card no longer covers
        months = next((m for m in range(1200) if add_months(on, m) > student.ehic_expiry), 0)
        choices["stay_months"] += [max(months - 1, 0), months]
    for values in itertools.product(*(choices[name] for name in removed)):
        yield dict(zip(removed, values, strict=True))
