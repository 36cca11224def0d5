"""Case files: worked examples as TOML, run against a rulebook (``ssreg test``).

A case file states an input, a date, what is expected and where that expectation
comes from (``sources``, required).  It can hold

- a case or a dossier under ``[input]`` (a dossier has ``events``), checked against
  ``[expected]``: ``route``, ``blocks``, ``academic_year``, ``fired`` / ``not_fired``
  (rule ids), ``warnings`` (codes), ``[expected.checklist]`` (``complete``,
  ``blocked_step``, ``status = {requirement = status}``, ``absent``),
  ``[expected.workflow]`` (``stage``, ``next_steps``, ``allowed``, ``refused``,
  ``number_status``) and ``[[expected.claims]]`` (fields of each priced claim);
  ``open`` (the answers that must be open, e.g. ``["route"]``), ``questions`` (the
  facts the questions start with, in order), ``[[expected.answers]]`` (what an answer
  of a question gives: ``question``, ``value`` or ``from`` / ``to``, and outcomes such
  as ``route = "online"``) and ``assumed`` (the facts taken by default with
  ``unknown = "assume"``);
- events to apply in turn (``[[apply]]``, each with ``expect = "accepted"`` or
  ``"refused"`` and, for a refusal, ``because`` = names of failed facts or refusal
  codes that must be among the reasons); ``[expected]`` then checks the final dossier;
- claims priced on their own (``[[claims]]`` with an optional ``[cover]``), checked
  against ``[[expected.claims]]``.

Unknown keys are refused (with the closest known one), a file that checks nothing fails,
and ``[expected] citations`` (or a claim's ``citations``) names sources the answer must
cite.  Each outcome also says which rules fired and which parameters were read, for
``ssreg test --coverage``.  A case is evaluated in the ask mode (a fact it does not state
is unknown) unless the file says ``unknown = "assume"``.  See ``docs/testing.md`` for the
format and examples.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import EventRefused, InvalidInputError, Problem, RulebookError, SsregError
from ..model.files import read_text
from ..rulebook.rulebook import Rulebook
from .caseexpect import (
    APPLY_KEYS,
    compare_claims,
    compare_decision,
    count_checks,
    expectation_problems,
)


KEYS = frozenset({"name", "on", "sources", "overrides", "input", "apply", "claims", "cover",
                  "expected", "engine", "unknown"})


@attrs.frozen
class CaseOutcome:
    """The result of one case file: passed, or the differences found.

    ``checks`` counts what the file checks, ``fired`` and ``parameters`` are the rules
    that fired and the parameters read while running it, and ``answers`` (with
    ``record=True``) the current answers written as an ``[expected]`` table.
    """

    path: str
    name: str
    differences: tuple[str, ...]
    checks: int = 0
    fired: frozenset[str] = frozenset()
    parameters: frozenset[str] = frozenset()
    answers: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "name": self.name, "passed": self.passed,
                "checks": self.checks, "differences": list(self.differences)}

    @property
    def passed(self) -> bool:
        return not self.differences


def case_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``*.toml`` case files of files and folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        found.extend(sorted(path.rglob("*.toml")) if path.is_dir() else [path])
    return found


def load_case_file(path: Path) -> dict[str, Any]:
    """Read and check a case file: known keys only, ``name``, ``on`` and ``sources``
    given, and something to check."""
    try:
        data = tomllib.loads(read_text(path), parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError([Problem(str(path), f"not valid TOML: {exc}")]) from None
    problems = [Problem(f"{path.name}:{key}", "unknown key; known: " + ", ".join(sorted(KEYS)))
                for key in data if key not in KEYS]
    for key in ("name", "on", "sources"):
        if key not in data:
            problems.append(Problem(f"{path.name}:{key}", "required"))
    if "sources" in data and not data["sources"]:
        problems.append(Problem(f"{path.name}:sources", "cite where the expectation comes from"))
    for text in expectation_problems(data.get("expected", {}), path.name):
        where, _, message = text.partition(": ")
        problems.append(Problem(where, message))
    applied = data.get("apply", [])
    for i, event in enumerate(applied if isinstance(applied, list) else []):
        expect = event.get("expect", "accepted") if isinstance(event, dict) else None
        if expect not in ("accepted", "refused"):
            problems.append(Problem(f"{path.name}:apply[{i}].expect",
                                    f"expected 'accepted' or 'refused', got {expect!r}"))
    if not problems and not _checks(data):
        problems.append(Problem(f"{path.name}:expected", "this file checks nothing: give "
                                "[expected] route, fired, checklist, workflow, claims... "
                                "(see docs/testing.md)"))
    if problems:
        raise InvalidInputError(problems)
    return data


def _checks(data: Mapping[str, Any]) -> int:
    """What a case file checks: its expectations and the events it applies."""
    applied = data.get("apply", [])
    return count_checks(data.get("expected", {})) + (
        len(applied) if isinstance(applied, list) else 0)


def run_case_file(path: Path, book: Rulebook | None = None, *,
                  engine: str = "compiled", record: bool = False) -> CaseOutcome:
    """Run one case file; never raises for a wrong expectation (it is a difference)."""
    from ..pricing.batch import price_claims
    from ..registration.evaluate import evaluate
    from ..rulebook.loader import default_rulebook
    from .caserecord import recorded_claims, recorded_decision

    try:
        data = load_case_file(path)
    except SsregError as exc:
        return CaseOutcome(str(path), path.stem, tuple(_problems(exc)))
    book = book or default_rulebook()
    name = str(data["name"])
    unknown = [s for s in data["sources"] if s not in book.sources]
    diffs: list[str] = [f"unknown source {s!r}" for s in unknown]
    expected = data.get("expected", {})
    mode = data.get("unknown", "ask")
    seen = _Seen()
    answers: dict[str, Any] = {}
    try:
        if "claims" in data:
            results = list(price_claims(data["claims"], cover=data.get("cover"),
                                        rulebook=book, engine=engine,
                                        overrides=data.get("overrides")))
            rows = [seen.claim(book, r) for r in results]
            diffs += compare_claims(rows, expected.get("claims", []))
            if record:
                answers = recorded_claims(rows)
        else:
            subject = data.get("input", {})
            seen.history(book, subject, engine, data.get("overrides"))
            if "apply" in data:
                subject, more = _apply(subject, data["apply"], book, engine,
                                       data.get("overrides"), seen, mode)
                diffs += more
            decision = evaluate(subject, on=data["on"], rulebook=book, engine=engine,
                                overrides=data.get("overrides"), unknown=mode)
            rows = seen.decision(book, decision)
            diffs += compare_decision(decision, expected, rows)
            if record:
                answers = recorded_decision(decision, rows)
    except SsregError as exc:
        found = "; ".join(_problems(exc))  # every problem, never "see .details()"
        answers = {"error": found[:200]}
        if expected.get("error"):
            if expected["error"] not in found:
                diffs.append(f"error: expected {expected['error']!r} in {found}")
        else:
            diffs.append(f"error: {found}")
    else:
        if expected.get("error"):
            diffs.append(f"error: expected an error containing {expected['error']!r}")
    return CaseOutcome(str(path), name, tuple(diffs), checks=_checks(data),
                       fired=frozenset(seen.fired), parameters=frozenset(seen.parameters),
                       answers=answers if record else None)


class _Seen:
    """The rules fired and parameters read while a case file runs."""

    def __init__(self) -> None:
        self.fired: set[str] = set()
        self.parameters: set[str] = set()

    def claim(self, book: Rulebook, result: Any) -> dict[str, Any]:
        """A priced claim's dict with the sources it cites (its rules' and values')."""
        row: dict[str, Any] = result.to_dict()
        if not result.ok:
            return row
        cited = {k for _, value in result.parameters for k in value.citations}
        for rule_id in result.rules:
            self.fired.add(rule_id)
            rule = book.rule(rule_id, result.date)
            cited.update(rule.citations)
            self.parameters.update(rule.reads)
        self.parameters.update(name for name, _ in result.parameters)
        row["citations"] = sorted(cited)
        return row

    def history(self, book: Rulebook, subject: Any, engine: str, overrides: Any) -> None:
        """The rules that answered at each event of a dossier given with its history."""
        from ..registration.evaluate import evaluate

        events = subject.get("events") if isinstance(subject, Mapping) else None
        if not isinstance(events, list) or "case" not in subject:
            return
        for i, event in enumerate(events):
            if isinstance(event, Mapping) and "date" in event:
                self.decision(book, evaluate({**subject, "events": events[:i]},
                                             on=event["date"], rulebook=book, engine=engine,
                                             overrides=overrides))

    def refusal(self, book: Rulebook, refused: EventRefused) -> None:
        """The refusal rules behind an event refused (one rule per refusal code)."""
        for reason in refused.reasons:
            code = reason.get("refusal")
            rules = {r.id for r in book.rules_of("event_refusals")
                     if code in r.outcome.values()}
            if code is not None and len(rules) == 1:
                self.fired.update(rules)

    def decision(self, book: Rulebook, decision: Any) -> list[dict[str, Any]]:
        self.fired.update(f.rule for f in decision.trace.fired)
        self.parameters.update(p.name for p in decision.parameters)
        found = decision.reimbursements
        return [self.claim(book, r) for r in found.results] if found is not None else []


def _problems(exc: SsregError) -> list[str]:
    """An error's problems, one each (an input error's every problem, with its path)."""
    if isinstance(exc, InvalidInputError | RulebookError):
        return [str(p) for p in exc.problems]
    return [str(exc)]


def _apply(subject: Any, events: list[dict[str, Any]], book: Rulebook,
           engine: str, overrides: Any, seen: _Seen, mode: str) -> tuple[Any, list[str]]:
    from ..registration.evaluate import apply_event, evaluate

    diffs: list[str] = []
    dossier = subject
    for i, raw in enumerate(events):
        event = {k: v for k, v in raw.items() if k not in APPLY_KEYS}
        expect = raw.get("expect", "accepted")
        try:
            dossier = apply_event(dossier, event, rulebook=book, engine=engine,
                                  overrides=overrides, unknown=mode)
        except EventRefused as exc:
            seen.refusal(book, exc)
            if expect != "refused":
                diffs.append(f"apply[{i}] {event.get('type')}: refused ({exc})")
                continue
            names = {str(r.get("fact") or r.get("refusal") or r.get("param") or "")
                     for r in exc.reasons}
            names |= {m for r in exc.reasons for m in r.get("missing", [])}
            for reason in raw.get("because", []):
                if reason not in names:
                    diffs.append(f"apply[{i}] {event.get('type')}: refused, but not because "
                                 f"of {reason!r} (reasons: {sorted(names)})")
        else:
            if expect == "refused":
                diffs.append(f"apply[{i}] {event.get('type')}: accepted, expected a refusal")
            if "date" in event:  # the rules that answered on the way count as reached
                seen.decision(book, evaluate(dossier, on=event["date"], rulebook=book,
                                             engine=engine, overrides=overrides))
    return dossier, diffs


@attrs.frozen
class Coverage:
    """What a set of case files reached: the rules never fired, the parameters never read."""

    rules: int
    parameters: int
    never_fired: tuple[str, ...]
    never_read: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rules": self.rules, "rules_fired": self.rules - len(self.never_fired),
                "parameters": self.parameters,
                "parameters_read": self.parameters - len(self.never_read),
                "never_fired": list(self.never_fired), "never_read": list(self.never_read)}

    def text(self) -> str:
        lines = [f"coverage: {self.rules - len(self.never_fired)} of {self.rules} rules fired, "
                 f"{self.parameters - len(self.never_read)} of {self.parameters} parameters "
                 "read"]
        if self.never_fired:
            lines.append("rules never fired: " + ", ".join(self.never_fired))
        if self.never_read:
            lines.append("parameters never read: " + ", ".join(self.never_read))
        return "\n".join(lines)


def coverage(book: Rulebook, outcomes: Iterable[CaseOutcome]) -> Coverage:
    """The rules of ``book`` that no outcome fired and the parameters none read."""
    fired: set[str] = set()
    read: set[str] = set()
    for outcome in outcomes:
        fired |= outcome.fired
        read |= outcome.parameters
    rules = sorted({rule.id for rule in book.rules})
    return Coverage(rules=len(rules), parameters=len(book.parameters),
                    never_fired=tuple(r for r in rules if r not in fired),
                    never_read=tuple(p for p in sorted(book.parameters) if p not in read))
