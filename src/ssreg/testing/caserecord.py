"""``ssreg test --record``: the current answers written into case files, for review.

The ``[expected]`` tables of a case file are replaced by what the rulebook answers today
(route, blocks, rules fired, warnings, checklist, journey, priced claims); everything
else in the file (its name, sources, input, comments) is kept as written.  Review the
change with ``git diff`` before committing it: a recorded answer is only an expectation
once someone has checked it against the sources.

>>> print(toml_table("expected", {"route": "online", "blocks": [], "fired": ["a", "b"]}))
[expected]
route = "online"
blocks = []
fired = ["a", "b"]
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


#: the fields of a priced claim that are recorded
CLAIM_FIELDS = ("care", "base", "rate", "deduction", "amo", "flat_charge", "top_up",
                "patient", "rules")


def recorded_decision(decision: Any, claim_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A Decision's answers as an ``[expected]`` table."""
    data = decision.to_dict()
    answers: dict[str, Any] = {}
    if decision.route is not None:
        answers["route"] = decision.route
        answers["blocks"] = list(decision.blocks)
    answers["academic_year"] = decision.academic_year
    answers["fired"] = sorted({f["rule"] for f in data["trace"]["fired"]})
    answers["warnings"] = sorted({w["code"] for w in data["warnings"]})
    checklist = data["checklist"]
    if checklist["items"]:
        answers["checklist"] = {
            "complete": checklist["complete"],
            "blocked_step": checklist["blocked_step"] or "none",
            "status": {i["requirement"]: i["status"] for i in checklist["items"]}}
    flow = data.get("workflow")
    if flow is not None:
        answers["workflow"] = {"stage": flow["stage"], "number_status": flow["number_status"],
                               "next_steps": [s["step"] for s in flow["next_steps"]],
                               "allowed": list(flow["allowed_events"])}
    if claim_rows:
        answers.update(recorded_claims(claim_rows))
    return answers


def recorded_claims(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Priced claims as ``[[expected.claims]]`` tables."""
    return {"claims": [{k: row[k] for k in CLAIM_FIELDS if k in row} if row.get("ok")
                       else {"ok": False} for row in rows]}


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"-]+)\s*\]\]?")


def write_recorded(path: Path, answers: Mapping[str, Any]) -> None:
    """Replace the ``[expected...]`` tables of the case file at ``path`` by ``answers``."""
    kept: list[str] = []
    inside = top = False
    for line in path.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header:
            top = True
            inside = header.group(1).split(".")[0].strip('"') == "expected"
        elif not top and re.match(r"\s*expected\s*=", line):
            continue  # an inline `expected = {...}` before the first table
        if not inside:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    text = "\n".join(kept) + "\n\n" + toml_table("expected", answers)
    path.write_text(text, encoding="utf-8")


def toml_document(data: Mapping[str, Any]) -> str:
    """A whole case file (top-level keys, then its tables) as TOML."""
    top = {k: v for k, v in data.items() if not isinstance(v, Mapping) and not _is_tables(v)}
    parts = ["\n".join(f"{_key(k)} = {_value(v)}" for k, v in top.items()) + "\n"]
    for key, value in data.items():
        if isinstance(value, Mapping):
            parts.append(toml_table(key, value))
        elif _is_tables(value):
            for item in value:
                parts.append(f"[[{_key(key)}]]\n" + toml_table(key, item).split("\n", 1)[1])
    return "\n".join(parts)


def toml_table(name: str, table: Mapping[str, Any]) -> str:
    """A table of plain values (strings, booleans, numbers, dates, lists, tables, arrays
    of tables) as TOML."""
    plain = {k: v for k, v in table.items() if not _is_table(v) and not _is_tables(v)}
    lines = [f"[{name}]", *(f"{_key(k)} = {_value(v)}" for k, v in plain.items()), ""]
    for key, value in table.items():
        if _is_table(value):
            lines.append(toml_table(f"{name}.{_key(key)}", value))
        elif _is_tables(value):
            for item in value:
                body = toml_table(f"{name}.{_key(key)}", item).split("\n", 1)[1]
                lines.append(f"[[{name}.{_key(key)}]]\n{body}")
    return "\n".join(lines)


def _is_table(value: Any) -> bool:
    return (isinstance(value, Mapping) and any(_is_table(v) for v in value.values())) or (
        isinstance(value, Mapping) and len(value) > 3)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping)
                                                           for v in value)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _value(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return '"none"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'
