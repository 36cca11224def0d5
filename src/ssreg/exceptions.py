"""Every error ssreg raises on purpose.

All of them derive from :class:`SsregError`, so ``except ssreg.SsregError`` catches
anything the library reports about bad input, bad rule data or an unavailable engine.
Where a builtin base fits, it is added too (``ValueError``, ``LookupError``)::

    SsregError
    ├── InvalidCaseError (ValueError)        a case field is missing or malformed
    ├── RulebookError (ValueError)           a rulebook file has problems (file + key)
    ├── NoValueInForce (LookupError)         a dated rule or parameter has no value on a date
    ├── InvalidClaimError (ValueError)       a claim cannot be priced
    └── EngineError                          an engine failed or is unavailable
        └── EngineUnavailable                e.g. durable-rules on Python >= 3.13

>>> import ssreg
>>> try:
...     ssreg.evaluate({"student": {"birth_date": "yesterday"}}, on="2026-09-01")
... except ssreg.InvalidCaseError as exc:
...     print(exc.problems[0].path)
student.birth_date
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


__all__ = [
    "EngineError",
    "EngineUnavailable",
    "InvalidCaseError",
    "InvalidClaimError",
    "NoValueInForce",
    "Problem",
    "RulebookError",
    "SsregError",
]


class SsregError(Exception):
    """Root of every error raised by ssreg."""


@attrs.frozen
class Problem:
    """One problem found in an input: where it is and what was expected.

    ``location`` is a dotted field path for cases (``student.birth_date``) or
    ``file:key`` for rulebooks.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _ProblemsError(SsregError, ValueError):
    """An error made of one or more located problems."""

    kind = "input"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        first = str(self.problems[0]) if self.problems else "no detail"
        more = len(self.problems) - 1
        summary = f"invalid {self.kind}: {first}"
        if more:
            summary += f" (and {more} more problem{'s' if more > 1 else ''})"
        super().__init__(summary)

    def details(self) -> str:
        """All problems, one per line."""
        return "\n".join(str(p) for p in self.problems)


class InvalidCaseError(_ProblemsError):
    """A case (student, documents, claims, cover) has a missing or malformed field."""

    kind = "case"


class InvalidClaimError(_ProblemsError):
    """A claim cannot be priced (malformed field or no rule for it)."""

    kind = "claim"


class RulebookError(_ProblemsError):
    """A rulebook has problems; each one names its file and key."""

    kind = "rulebook"


class NoValueInForce(SsregError, LookupError):
    """A parameter or rule has no value in force on the requested date."""

    def __init__(self, name: str, on: object, known: str) -> None:
        self.name = name
        self.on = on
        super().__init__(f"{name}: no value in force on {on} (known periods: {known})")


class EngineError(SsregError):
    """An engine failed; the original exception is chained."""


class EngineUnavailable(EngineError):
    """The requested engine cannot run here (and the message says why and what to use)."""
