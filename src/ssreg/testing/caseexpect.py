"""What a case file may expect, and how an answer is compared with it.

Every key of ``[expected]`` (and of its ``checklist``, ``workflow`` and ``claims``
tables) is known here: an unknown key is refused with the closest known one ("did you
mean 'route'?"), so a misspelt expectation can never pass by checking nothing.

>>> for problem in expectation_problems({"rout": "online", "checklist": {"statuss": {}}},
...                                     "case.toml"):
...     print(problem)
case.toml:expected.rout: unknown key; did you mean 'route'?
case.toml:expected.checklist.statuss: unknown key; did you mean 'status'?
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any


#: the keys of [expected] and what each checks
EXPECTED_KEYS = ("route", "blocks", "academic_year", "outcomes", "fired", "not_fired",
                 "warnings", "citations", "checklist", "workflow", "claims", "error",
                 "open", "questions", "answers", "assumed")
CHECKLIST_KEYS = ("complete", "blocked_step", "status", "absent")
WORKFLOW_KEYS = ("stage", "number_status", "next_steps", "allowed", "refused")
#: the fields of a priced claim (ClaimResult.to_dict) a case may expect, and its citations
CLAIM_KEYS = ("ok", "position", "id", "person", "date", "care", "billed", "base", "rate",
              "amo_gross", "deduction_kind", "deduction", "amo", "flat_charge_kind",
              "flat_charge", "top_up", "patient", "rules", "assumptions", "warnings",
              "rulebook_version", "rulebook_horizon", "citations", "problems")
APPLY_KEYS = ("expect", "because")
#: list expectations that check nothing when empty
_LISTS = frozenset({"fired", "not_fired", "warnings", "citations", "open", "questions",
                    "answers"})


def _unknown(where: str, key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "known: " + ", ".join(known)
    return f"{where}.{key}: unknown key; {hint}"


def expectation_problems(expected: Any, name: str) -> list[str]:
    """Every unknown or malformed key of an ``[expected]`` table, as ``file:path: why``."""
    where = f"{name}:expected"
    if not isinstance(expected, Mapping):
        return [f"{where}: expected a table"]
    problems = [_unknown(where, k, EXPECTED_KEYS) for k in expected if k not in EXPECTED_KEYS]
    for key, known in (("checklist", CHECKLIST_KEYS), ("workflow", WORKFLOW_KEYS)):
        table = expected.get(key)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            problems.append(f"{where}.{key}: expected a table")
            continue
        problems += [_unknown(f"{where}.{key}", k, known) for k in table if k not in known]
    claims = expected.get("claims")
    if claims is not None:
        if not isinstance(claims, list) or not all(isinstance(c, Mapping) for c in claims):
            problems.append(f"{where}.claims: expected an array of tables [[expected.claims]]")
        else:
            for i, claim in enumerate(claims):
                problems += [_unknown(f"{where}.claims[{i}]", k, CLAIM_KEYS)
                             for k in claim if k not in CLAIM_KEYS]
    return problems


def count_checks(expected: Mapping[str, Any]) -> int:
    """How many things an ``[expected]`` table checks (0: it checks nothing)."""
    count = 0
    for key, value in expected.items():
        if key in ("checklist", "workflow") and isinstance(value, Mapping):
            count += sum(1 for v in value.values() if v not in ([], {}))
        elif key == "claims" and isinstance(value, list):
            count += 1 + sum(len(claim) for claim in value)
        elif not (key in _LISTS and value == []):
            count += 1
    return count


def same(got: Any, want: Any) -> bool:
    """Equal once TOML's forms are read as the JSON ones (amounts, dates, ``"none"``)."""
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


def compare_claims(rows: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[str]:
    """Differences between priced claims (as dicts, with their ``citations``) and
    ``[[expected.claims]]``."""
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
            elif not same(got, value):
                diffs.append(f"claims[{i}].{key}: {got!r} != {value!r}")
    return diffs


def compare_decision(decision: Any, expected: Mapping[str, Any],
                     claim_rows: list[dict[str, Any]] | None = None) -> list[str]:
    """The differences between a Decision and a case file's ``[expected]`` table."""
    diffs: list[str] = []
    data = decision.to_dict()
    fired = {f["rule"] for f in data["trace"]["fired"]}
    simple = {"route": decision.route, "academic_year": decision.academic_year}
    for key, got in simple.items():
        if key in expected and not same(got, expected[key]):
            diffs.append(f"{key}: {got!r} != {expected[key]!r}")
    for name, want in (expected.get("outcomes") or {}).items():
        got = decision.outcomes.get(name)
        got = list(got) if isinstance(got, tuple) else got
        if not same(got, want):
            diffs.append(f"outcomes.{name}: {got!r} != {want!r}")
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
    cited = set(data["citations"])
    for key in expected.get("citations", []):
        if key not in cited:
            diffs.append(f"citations: {key!r} is not cited (cited: {', '.join(sorted(cited))})")
    if "checklist" in expected:
        diffs += _checklist(data["checklist"], expected["checklist"])
    if "workflow" in expected:
        diffs += _workflow(data.get("workflow"), expected["workflow"])
    if "claims" in expected:
        rows = claim_rows if claim_rows is not None else (
            data.get("reimbursements") or {}).get("claims", [])
        diffs += compare_claims(rows, expected["claims"])
    diffs += _asking(decision, expected)
    return diffs


def _asking(decision: Any, expected: Mapping[str, Any]) -> list[str]:
    """Open answers, questions, what their answers give, and assumptions."""
    diffs = []
    for name in expected.get("open", []):
        if name not in decision.open:
            diffs.append(f"open: {name!r} is settled ({decision.outcomes.get(name)!r})")
    wanted = list(expected.get("questions", []))
    asked = [q.fact for q in decision.questions] if wanted or "answers" in expected else []
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
            if not same(got, value):
                diffs.append(f"answers: {question.fact} {want}: {key} is {got!r}")
    assumed = [n.values.get("fact") for n in decision.assumptions if n.code == "assumed"]
    if "assumed" in expected and sorted(assumed) != sorted(expected["assumed"]):
        diffs.append(f"assumed: {sorted(assumed)} != {sorted(expected['assumed'])}")
    return diffs


def _answer_is(answer: Any, want: Mapping[str, Any]) -> bool:
    if "value" in want:
        return not answer.is_range and same(answer.value, want["value"])
    return bool(answer.is_range) and all(
        same(getattr(answer, attr), want[key]) if key in want else getattr(answer, attr) is None
        for key, attr in (("from", "low"), ("to", "high")))


def _checklist(got: dict[str, Any], want: Mapping[str, Any]) -> list[str]:
    diffs = []
    by_id = {item["requirement"]: item for item in got["items"]}
    for key in ("complete", "blocked_step"):
        if key in want and not same(got[key], want[key]):
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
