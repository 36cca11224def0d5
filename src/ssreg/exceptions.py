"""Every error ssreg raises on purpose.

All of them derive from :class:`SsregError`, so ``except ssreg.SsregError`` catches
anything the library reports about bad input, bad rule data or an unavailable engine.
Where a builtin base fits, it is added too (``ValueError``, ``LookupError``)::

    SsregError
    ├── InvalidInputError (ValueError)       an input has problems (each with its field path)
    │   ├── InvalidCaseError                 a case: student, documents, cover, ...
    │   ├── InvalidClaimError                a claim (or a batch of claims)
    │   └── InvalidDossierError              a dossier or an event
    ├── EventRefused (ValueError)            an event the dossier's stage does not allow
    ├── RulebookError (ValueError)           a rulebook file has problems (file + key)
    ├── NoValueInForce (LookupError)         a dated rule or parameter has no value on a date
    └── EngineError                          an engine failed or is unavailable
        └── EngineUnavailable                e.g. durable-rules on Python >= 3.13

Input errors carry *every* problem found, not only the first: ``exc.problems`` is a
tuple of :class:`Problem` (``path`` and ``message``), and ``exc.details()`` lists them
one per line.  Every error speaks English, French and Spanish: ``exc.text(lang)``,
``exc.details(lang)`` and ``problem.text(lang)`` (messages are written in English where
they are raised; the catalogue of :mod:`ssreg.texts` gives their French and Spanish).

>>> import ssreg
>>> try:
...     ssreg.evaluate({"student": {"birth_date": "yesterday", "nationality": "XX"}},
...                    on="2026-09-01")
... except ssreg.InvalidCaseError as exc:
...     print(exc.details())
student.birth_date: expected a date (YYYY-MM-DD), got 'yesterday'
student.nationality: expected an ISO 3166 two-letter country code such as 'FR' or 'BR', got 'XX'
student.country_of_birth: required field missing
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs


__all__ = [
    "EngineError",
    "EngineUnavailable",
    "EventRefused",
    "InvalidCaseError",
    "InvalidClaimError",
    "InvalidDossierError",
    "InvalidInputError",
    "NoValueInForce",
    "Problem",
    "RulebookError",
    "SsregError",
]


class SsregError(Exception):
    """Root of every error raised by ssreg."""

    def text(self, lang: str = "en") -> str:
        """The message in English, French or Spanish, with the language's typography."""
        from . import texts

        return texts.typeset(texts.translate(str(self), lang), lang)


@attrs.frozen
class Problem:
    """One problem found in an input: where it is and what was expected.

    ``path`` is a dotted field path for inputs (``student.birth_date``,
    ``claims[3].billed``; ``(case)`` for the input as a whole) or ``file:key`` for
    rulebooks.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def text(self, lang: str = "en") -> str:
        """``path: message`` with the message in English, French or Spanish."""
        from . import texts

        colon = " : " if lang == "fr" else ": "
        return texts.typeset(f"{self.path}{colon}{texts.translate(self.message, lang)}", lang)

    def to_dict(self, lang: str | None = None) -> dict[str, str]:
        """``{"path", "message"}`` (English), and ``text`` in ``lang`` when one is given."""
        data = {"path": self.path, "message": self.message}
        if lang is not None:
            data["text"] = self.text(lang)
        return data


class _ProblemsError(SsregError, ValueError):
    """An error made of one or more located problems."""

    kind = "input"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems) or (
            Problem(f"({self.kind})", "no detail"),)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        summary = f"invalid {self.kind}: {first}"
        if more:
            summary += (f" (and {more} more problem{'s' if more > 1 else ''}; "
                        "see .details())")
        super().__init__(summary)

    def details(self, lang: str = "en") -> str:
        """All problems, one per line (in English, French or Spanish)."""
        return "\n".join(p.text(lang) for p in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole (e.g. from a worker process)
        return (type(self), (self.problems,))


class InvalidInputError(_ProblemsError):
    """An input (case, claim, dossier, event, option) has missing or malformed fields."""

    kind = "input"


class InvalidCaseError(InvalidInputError):
    """A case (student, documents, claims, cover) has a missing or malformed field."""

    kind = "case"


class InvalidClaimError(InvalidInputError):
    """A claim cannot be priced (malformed field, unknown code or no rule for it)."""

    kind = "claim"


class InvalidDossierError(InvalidInputError):
    """A dossier or an event has a missing or malformed field."""

    kind = "dossier"


class RulebookError(_ProblemsError):
    """A rulebook has problems; each one names its file and key."""

    kind = "rulebook"


class EventRefused(SsregError, ValueError):
    """An event that the dossier's stage does not allow on its date.

    ``stage`` is the dossier's stage, ``event`` the event type, ``reasons`` a tuple of
    dicts for programs (the failing conditions with the actual and required values, or
    the refusal rule that fired, or ``{"unknown": [facts]}`` when whether the event is
    allowed depends on facts not given) and ``citations`` the sources of the rules
    involved.  ``text(lang)`` is what a person reads, written from the rules' reasons in
    English, French or Spanish (``str(exc)`` is the English one).  ``stage`` is ``None``
    while the stage itself depends on facts not given.  The dossier is unchanged.
    """

    def __init__(self, stage: str | None, event: str, reasons: Sequence[dict[str, Any]],
                 citations: Sequence[str], message: str,
                 texts: Mapping[str, str] | None = None) -> None:
        self.stage = stage
        self.event = event
        self.reasons = tuple(reasons)
        self.citations = tuple(citations)
        self.message = message
        self.texts = dict(texts or {})
        super().__init__(message)

    def text(self, lang: str = "en") -> str:
        """Why the event is refused, in English, French or Spanish."""
        found = self.texts.get(lang)
        return found if found is not None else super().text(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.stage, self.event, self.reasons, self.citations,
                             self.message, self.texts))


class NoValueInForce(SsregError, LookupError):
    """A parameter or rule has no value in force on the requested date."""

    def __init__(self, name: str, on: object, known: str, message: str = "") -> None:
        self.name = name
        self.on = on
        self.known = known
        super().__init__(message or f"{name}: no value in force on {on} (known periods: {known})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.on, self.known, str(self)))


class EngineError(SsregError):
    """An engine failed; the original exception is chained."""


class WorkerError(EngineError):
    """A worker process pricing part of a batch died twice; no result was given for its
    claims (none is dropped or duplicated silently)."""


class EngineUnavailable(EngineError):
    """The requested engine cannot run here (and the message says why and what to use)."""
