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

A case is evaluated in the ask mode (a fact it does not state is unknown) unless the
file says ``unknown = "assume"``.

See ``docs/testing.md`` for the format and examples.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import EventRefused, InvalidInputError, Problem, SsregError
from ..model.files import read_text
from ..rulebook.rulebook import Rulebook


KEYS = frozenset({"name", "on", "sources", "overrides", "input", "apply", "claims", "cover",
                  "expected", "engine", "unknown"})


@attrs.frozen
class CaseOutcome:
    """The result of one case file: passed, or the differences found."""

    path: str
    name: str
    differences: tuple[str, ...]

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
    if problems:
        raise InvalidInputError(problems)
    return data


def run_case_file(path: Path, book: Rulebook | None = None, *,
                  engine: str = "compiled") -> CaseOutcome:
    """Run one case file; never raises for a wrong expectation (it is a difference)."""
    from ..pricing.batch import price_claims
    from ..registration.evaluate import evaluate
    from ..rulebook.loader import default_rulebook

    try:
        data = load_case_file(path)
    except SsregError as exc:
        return CaseOutcome(str(path), path.stem, (str(exc),))
    book = book or default_rulebook()
    name = str(data["name"])
    unknown = [s for s in data["sources"] if s not in book.sources]
    diffs: list[str] = [f"unknown source {s!r}" for s in unknown]
    expected = data.get("expected", {})
    mode = data.get("unknown", "ask")
    try:
        if "claims" in data:
            results = list(price_claims(data["claims"], cover=data.get("cover"),
                                              rulebook=book, engine=engine,
                                              overrides=data.get("overrides")))
            diffs += _claims([r.to_dict() for r in results], expected.get("claims", []))
        else:
            subject = data.get("input", {})
            if "apply" in data:
                subject, more = _apply(subject, data["apply"], book, engine,
                                       data.get("overrides"), mode)
                diffs += more
            decision = evaluate(subject, on=data["on"], rulebook=book, engine=engine,
                                overrides=data.get("overrides"), unknown=mode)
            diffs += compare_decision(decision, expected)
    except SsregError as exc:
        if expected.get("error"):
            if expected["error"] not in str(exc):
                diffs.append(f"error: expected {expected['error']!r} in {exc}")
        else:
            diffs.append(f"error: {exc}")
    else:
        if expected.get("error"):
            diffs.append(f"error: expected an error containing {expected['error']!r}")
    return CaseOutcome(str(path), name, tuple(diffs))


def _apply(subject: Any, events: list[dict[str, Any]], book: Rulebook,
           engine: str, overrides: Any, mode: str) -> tuple[Any, list[str]]:
    from ..registration.evaluate import apply_event

    diffs: list[str] = []
    dossier = subject
    for i, raw in enumerate(events):
        event = {k: v for k, v in raw.items() if k not in ("expect", "because")}
        expect = raw.get("expect", "accepted")
        try:
            dossier = apply_event(dossier, event, rulebook=book, engine=engine,
                                  overrides=overrides, unknown=mode)
        except EventRefused as exc:
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
    return dossier, diffs


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, Decimal | int) and not isinstance(want, bool) and isinstance(got, str):
        try:
            return Decimal(got) == Decimal(want)
        except ArithmeticError:
            return False
    if isinstance(want, date) and isinstance(got, str):
        return got == want.isoformat()
    if want == "none" and got is None:  # TOML has no null
        return True
    return bool(got == want)


def _claims(rows: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[str]:
    diffs = []
    if wanted and len(rows) != len(wanted):
        diffs.append(f"claims: {len(rows)} results, {len(wanted)} expected")
    for i, (row, want) in enumerate(zip(rows, wanted, strict=False)):
        for key, value in want.items():
            got = row.get(key)
            if isinstance(value, list):
                missing = [v for v in value if v not in (got or [])]
                if missing:
                    diffs.append(f"claims[{i}].{key}: {got!r} lacks {missing}")
            elif not _same(got, value):
                diffs.append(f"claims[{i}].{key}: {got!r} != {value!r}")
    return diffs


def compare_decision(decision: Any, expected: Mapping[str, Any]) -> list[str]:
    """The differences between a Decision and a case file's ``[expected]`` table."""
    diffs: list[str] = []
    data = decision.to_dict()
    fired = {f["rule"] for f in data["trace"]["fired"]}
    simple = {"route": decision.route, "academic_year": decision.academic_year}
    for key, got in simple.items():
        if key in expected and not _same(got, expected[key]):
            diffs.append(f"{key}: {got!r} != {expected[key]!r}")
    if "blocks" in expected and list(decision.blocks) != list(expected["blocks"]):
        diffs.append(f"blocks: {list(decision.blocks)} != {expected['blocks']}")
    for rule in expected.get("fired", []):
        if rule not in fired:
            diffs.append(f"fired: {rule!r} did not fire")
    for rule in expected.get("not_fired", []):
        if rule in fired:
            diffs.append(f"not_fired: {rule!r} fired")
    codes = {w["code"] for w in data["warnings"]}
    for code in expected.get("warnings", []):
        if code not in codes:
            diffs.append(f"warnings: {code!r} not among {sorted(codes)}")
    if "checklist" in expected:
        diffs += _checklist(data["checklist"], expected["checklist"])
    if "workflow" in expected:
        diffs += _workflow(data.get("workflow"), expected["workflow"])
    if "claims" in expected:
        rows = (data.get("reimbursements") or {}).get("claims", [])
        diffs += _claims(rows, expected["claims"])
    diffs += _asking(decision, expected)
    return diffs


def _asking(decision: Any, expected: Mapping[str, Any]) -> list[str]:
    """Open answers, questions, what their answers give, and assumptions."""
    diffs = []
    for name in expected.get("open", []):
        if name not in decision.open:
            diffs.append(f"open: {name!r} is settled ({decision.outcomes.get(name)!r})")
    asked = [q.fact for q in decision.questions]
    wanted = list(expected.get("questions", []))
    if asked[:len(wanted)] != wanted:
        diffs.append(f"questions: {asked} do not start with {wanted}")
    for want in expected.get("answers", []):
        question = next((q for q in decision.questions if q.fact == want.get("question")),
                        None)
        if question is None:
            diffs.append(f"answers: no question {want.get('question')!r}")
            continue
        found = [a for a in question.answers if _answer_is(a, want)]
        if not found:
            diffs.append(f"answers: {question.fact} has no answer {want}")
            continue
        for key, value in want.items():
            if key in ("question", "value", "from", "to"):
                continue
            got = found[0].outcomes.get(key, "open")
            if not _same(got, value):
                diffs.append(f"answers: {question.fact} {want}: {key} is {got!r}")
    assumed = [n.values.get("fact") for n in decision.assumptions if n.code == "assumed"]
    if "assumed" in expected and sorted(assumed) != sorted(expected["assumed"]):
        diffs.append(f"assumed: {sorted(assumed)} != {sorted(expected['assumed'])}")
    return diffs


def _answer_is(answer: Any, want: Mapping[str, Any]) -> bool:
    if "value" in want:
        return not answer.is_range and _same(answer.value, want["value"])
    return answer.is_range and all(
        _same(getattr(answer, attr), want[key]) if key in want else getattr(answer, attr) is None
        for key, attr in (("from", "low"), ("to", "high")))


def _checklist(got: dict[str, Any], want: Mapping[str, Any]) -> list[str]:
    diffs = []
    by_id = {item["requirement"]: item for item in got["items"]}
    for key in ("complete", "blocked_step"):
        if key in want and not _same(got[key], want[key]):
            diffs.append(f"checklist.{key}: {got[key]!r} != {want[key]!r}")
    for requirement, status in want.get("status", {}).items():
        if requirement not in by_id:
            diffs.append(f"checklist: {requirement!r} not required (got {sorted(by_id)})")
        elif by_id[requirement]["status"] != status:
            diffs.append(f"checklist.{requirement}: {by_id[requirement]['status']!r} != "
                         f"{status!r}")
    for requirement in want.get("absent", []):
        if requirement in by_id:
            diffs.append(f"checklist: {requirement!r} should not be required")
    return diffs


def _workflow(got: dict[str, Any] | None, want: Mapping[str, Any]) -> list[str]:
    if got is None:
        return ["workflow: the input is not a dossier"]
    diffs = []
    for key in ("stage", "number_status"):
        if key in want and got[key] != want[key]:
            diffs.append(f"workflow.{key}: {got[key]!r} != {want[key]!r}")
    steps = [s["step"] for s in got["next_steps"]]
    if "next_steps" in want and steps[:len(want["next_steps"])] != list(want["next_steps"]):
        diffs.append(f"workflow.next_steps: {steps} does not start with {want['next_steps']}")
    for event in want.get("allowed", []):
        if event not in got["allowed_events"]:
            diffs.append(f"workflow.allowed: {event!r} not allowed")
    refused = {r["event"]: r for r in got["refused_events"]}
    for event in want.get("refused", []):
        if event not in refused:
            diffs.append(f"workflow.refused: {event!r} is allowed")
    return diffs
