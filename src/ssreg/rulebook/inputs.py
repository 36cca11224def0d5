"""Checks of an input against a rulebook and a date: closed vocabularies, ages, payloads.

The models check types and formats when built; what depends on the rulebook (care
types, specialties, medicine classes, sectors, document kinds, cover keys, event
types) or on the evaluation date (an age within a human range, a claim's age agreeing
with the student's birth date) is checked here, every problem at once.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..exceptions import Problem
from ..model.limits import excerpt
from ..model.models import Case, Claim, Cover
from .facts import age_on
from .rulebook import Rulebook


MAX_AGE = 120
CLAIM_CODES = (("care", "care"), ("sector", "sector"), ("specialty", "specialty"),
               ("medicine_class", "medicine_class"))


def _known(value: str, allowed: Iterable[str], path: str, what: str) -> list[Problem]:
    if isinstance(value, str) and value in allowed:  # (a list or a table is no code)
        return []
    known = tuple(sorted(allowed))
    if not known:
        return []
    hint = _hint(value, known) if isinstance(value, str) and len(value) <= 100 else ""
    return [Problem(path, f"unknown {what} {excerpt(value)}{hint}; known: "
                          f"{', '.join(known)}")]


@functools.lru_cache(maxsize=1024)
def _hint(value: str, known: tuple[str, ...]) -> str:
    """" (did you mean 'x'?)" for the closest known value, if one is close (the same
    unknown values come back in a batch: kept)."""
    import difflib

    close = difflib.get_close_matches(value, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _vocabularies(book: Rulebook) -> dict[str, frozenset[str]]:
    memo: dict[str, frozenset[str]] | None = book.memo().get("claim_codes")
    if memo is None:
        memo = book.memo()["claim_codes"] = {
            fact: frozenset(book.values_of(fact)) for _, fact in CLAIM_CODES}
    return memo


_CODES = operator.attrgetter("care", "sector", "specialty", "medicine_class")


def claim_problems(claim: Claim, book: Rulebook, path: str) -> list[Problem]:
    """Unknown codes of a claim, named with the allowed values."""
    codes_seen: set[tuple[Any, ...]] | None = book.memo().get("claim_codes_seen")
    if codes_seen is None:
        codes_seen = book.memo()["claim_codes_seen"] = set()
    if claim.birth_date is None and _CODES(claim) in codes_seen:
        return []  # codes already found valid together, nothing else to check
    found = []
    codes = _vocabularies(book)
    for attribute, fact in CLAIM_CODES:
        value = getattr(claim, attribute)
        allowed = codes[fact]
        if value is not None and allowed and value not in allowed:
            found += _known(value, allowed, f"{path}.{attribute}", fact.replace("_", " "))
    if claim.care == "medicine" and claim.medicine_class is None:
        found.append(Problem(f"{path}.medicine_class", "required for a medicine: one of "
                             f"{', '.join(book.values_of('medicine_class'))}"))
    born = claim.birth_date
    if born is not None and born > claim.date:
        found.append(Problem(f"{path}.birth_date", f"{born} is after the date of care "
                             f"{claim.date}"))
    elif born is not None and age_on(born, claim.date) > MAX_AGE:
        found.append(Problem(f"{path}.birth_date", f"{born} gives an age over {MAX_AGE} on "
                             f"{claim.date}"))
    elif born is not None and claim.age is not None and claim.age != age_on(born, claim.date):
        found.append(Problem(f"{path}.age", f"{claim.age} contradicts the birth date {born} "
                             f"(age {age_on(born, claim.date)} on {claim.date})"))
    if not found and len(codes_seen) < 10_000:
        codes_seen.add(_CODES(claim))
    return found


def cover_problems(cover: Cover, book: Rulebook, path: str) -> list[Problem]:
    """Cover keys that are not care types (a typo would silently pay nothing)."""
    care = book.values_of("care")
    found = []
    for table in ("levels", "levels_non_optam", "yearly_allowance"):
        allowed = (*care, "default") if table != "yearly_allowance" else care
        for key in getattr(cover, table):
            found += _known(key, allowed, f"{path}.{table}.{key}", "care type")
    return found


def case_problems(case: Case, book: Rulebook, on: date) -> list[Problem]:
    """Every problem of a case against the rulebook and the evaluation date."""
    found = []
    student = case.student
    if student.birth_date > on:
        found.append(Problem("student.birth_date", f"{student.birth_date} is after the "
                             f"evaluation date {on}"))
    elif age_on(student.birth_date, on) > MAX_AGE:
        found.append(Problem("student.birth_date", f"{student.birth_date} gives an age of "
                             f"{age_on(student.birth_date, on)} on {on}; expected at most "
                             f"{MAX_AGE}"))
    for i, doc in enumerate(case.documents):
        found += _known(doc.kind, book.documents, f"documents[{i}].kind", "document kind")
    for i, claim in enumerate(case.claims):
        path = f"claims[{i}]"
        if claim.person == student.id:
            if claim.birth_date is not None and claim.birth_date != student.birth_date:
                found.append(Problem(f"{path}.birth_date", f"{claim.birth_date} differs from "
                                     f"the student's birth date {student.birth_date}"))
                continue
            claim = student_claim(claim, student.birth_date)
        found += claim_problems(claim, book, path)
    if case.cover is not None:
        found += cover_problems(case.cover, book, "cover")
    return found


def student_claim(claim: Claim, birth_date: date) -> Claim:
    """A student's claim with the student's birth date (its age is derived from it)."""
    if claim.birth_date is not None:
        return claim
    import attrs

    return attrs.evolve(claim, birth_date=birth_date)
