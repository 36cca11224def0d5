"""Tools for testing your application and your rules: hypothesis strategies, case files,
the rulebook checker.

Strategies for ssreg's models, for your own property tests.

The strategies need hypothesis (``pip install ssreg[testing]``); ``import ssreg`` never
imports it.  Every strategy is *sound*: it draws valid values for the built-in
rulebook unless asked for invalid ones (``valid=False``), and aims at the boundaries
that matter (ages 15-19 and 25-26, cards and documents expiring around the end of the
academic year, dates around rule changes).  The plain JSON forms a web form would send
come from ``*_data()`` strategies.  Registered with hypothesis, ``st.from_type(T)``
works for every public model.

>>> from datetime import date
>>> from hypothesis import given, settings
>>> import ssreg
>>> from ssreg.testing import students
>>> @settings(max_examples=20)
... @given(students(route="online", on=date(2026, 10, 1)))
... def test_route(student):
...     assert ssreg.evaluate({"student": student}, on="2026-10-01").route == "online"
>>> test_route()

Layer: the top, beside :mod:`ssreg.cli`.  It may import every lower layer (model, rulebook,
engines, pricing, registration, output, notebook).  Its modules: ``strategies``,
``unknowns`` and ``journeys`` (hypothesis strategies), ``casefiles`` (``ssreg test``),
``lint`` (``ssreg check-rulebook``) and ``plugin`` (the hypothesis entry point).  The
names below are loaded on first use, so ``ssreg test`` and the case-file runner work
without hypothesis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from .casefiles import CaseOutcome, Coverage, case_files, coverage, run_case_file
    from .journeys import dossiers, event_sequences, events
    from .lint import Finding, Report, check_rulebook
    from .strategies import (
        academic_years,
        amounts,
        any_students,
        case_data,
        cases,
        claim_data,
        claims,
        covers,
        documents,
        evaluation_dates,
        ibans,
        nirs,
        scenarios,
        student_data,
        students,
    )
    from .unknowns import completions, condition_trees, partial_students, unknown_environments

_HOME = {
    "CaseOutcome": "casefiles", "case_files": "casefiles", "run_case_file": "casefiles",
    "Coverage": "casefiles", "coverage": "casefiles",
    "Finding": "lint", "Report": "lint", "check_rulebook": "lint",
    "dossiers": "journeys", "event_sequences": "journeys", "events": "journeys",
    **dict.fromkeys(["academic_years", "amounts", "any_students", "case_data", "cases",
                     "claim_data", "claims", "covers", "documents", "evaluation_dates", "ibans",
                     "nirs", "scenarios", "student_data", "students"], "strategies"),
    **dict.fromkeys(["completions", "condition_trees", "partial_students",
                     "unknown_environments"], "unknowns"),
}

__all__ = [
    "CaseOutcome",
    "Coverage",
    "Finding",
    "Report",
    "academic_years",
    "amounts",
    "any_students",
    "case_data",
    "case_files",
    "cases",
    "check_rulebook",
    "claim_data",
    "claims",
    "completions",
    "condition_trees",
    "coverage",
    "covers",
    "documents",
    "dossiers",
    "evaluation_dates",
    "event_sequences",
    "events",
    "ibans",
    "nirs",
    "partial_students",
    "run_case_file",
    "scenarios",
    "student_data",
    "students",
    "unknown_environments",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'ssreg.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
