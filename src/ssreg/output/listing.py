"""The rulebook listed for programs: its rules and dated parameters as JSON rows.

One place builds the rows that ``ssreg rules --json``, ``ssreg parameters --json`` and the
HTTP API (``GET /rules``, ``GET /parameters``) return, so they cannot drift.  A date keeps
only what is in force on it; a language adds the labels.

>>> import ssreg
>>> book = ssreg.default_rulebook()
>>> rows = rule_rows(book, None, "fr")
>>> row = next(r for r in rows if r["id"] == "route.no_registration.ehic")
>>> row["decision"], row["citations"][:1]
('route', ['E1'])
>>> rows = parameter_rows(book, date(2025, 3, 10), "en", name="participation_forfaitaire")
>>> [(r["name"], r["value"], r["start"]) for r in rows][0]
('participation_forfaitaire', '2', '2024-05-15')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..exceptions import NoValueInForce
from ..rulebook.conditions import jsonable, to_data
from ..rulebook.provenance import best_kind, last_checked
from ..rulebook.rulebook import FAR_FUTURE, Parameter, ParameterValue, Rule, Rulebook
from .i18n import typeset
from .sources import source_dict


def _end(day: date) -> str | None:
    return None if day == FAR_FUTURE else day.isoformat()


def rule_row(rule: Rule, lang: str) -> dict[str, Any]:
    """One version of a rule: its table, period, citations and label."""
    return {"id": rule.id, "decision": rule.decision, "start": rule.start.isoformat(),
            "end": _end(rule.end), "citations": list(rule.citations),
            "label": typeset(rule.label[lang], lang)}


def rule_rows(book: Rulebook, on: date | None, lang: str) -> list[dict[str, Any]]:
    """Every rule version (in force on ``on`` when given), by table, priority and id."""
    ordered = sorted(book.rules, key=lambda r: (r.decision, r.priority, r.id, r.start))
    return [rule_row(rule, lang) for rule in ordered if on is None or rule.in_force(on)]


def rule_detail(book: Rulebook, rule_id: str, on: date | None, lang: str) -> dict[str, Any]:
    """One rule with every version (or the one in force on ``on``): its condition as data,
    its outcome, the parameters it reads and its sources.

    An unknown id, or a rule with no version in force on ``on``, is
    :class:`~ssreg.NoValueInForce` naming the known periods.
    """
    versions = [r for r in book.rules if r.id == rule_id]
    if not versions:
        raise NoValueInForce(f"rule {rule_id!r}", on or "any date", "unknown rule")
    if on is not None:
        versions = [book.rule(rule_id, on)]
    keys = dict.fromkeys(k for r in versions for k in r.citations)
    return {"id": rule_id, "versions": [
        {**rule_row(rule, lang), "priority": rule.priority,
         "outcome": {k: jsonable(v) for k, v in rule.outcome.items()},
         "when": jsonable(to_data(rule.when)), "parameters": list(rule.parameters_read)}
        for rule in sorted(versions, key=lambda r: r.start)],
        "sources": {key: source_dict(book, key, lang) for key in keys if key in book.sources}}


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return list(value) if isinstance(value, tuple) else value


def parameter_value_row(book: Rulebook, param: Parameter, value: ParameterValue,
                        lang: str) -> dict[str, Any]:
    """One dated value of a parameter, with its sources' best kind and last check."""
    from .claimtext import param_value

    checked = last_checked(book.sources, value.citations)
    return {
        "name": param.name, "label": typeset(param.label[lang], lang), "unit": param.unit,
        "value": _value(value.value),
        "shown": typeset(param_value(param.unit, value.value, lang, param), lang),
        "start": value.start.isoformat(), "end": _end(value.end),
        "citations": list(value.citations), "uncertain": value.uncertain,
        "note": value.note, "options": list(param.options),
        "alternatives": {k: list(v) for k, v in param.alternatives.items()},
        "kind": best_kind(book.sources, value.citations),
        "checked": checked.isoformat() if checked else None,
        "sources": {k: book.sources[k].kind for k in value.citations if k in book.sources}}


def parameter_rows(book: Rulebook, on: date | None, lang: str, *,
                   name: str | None = None) -> list[dict[str, Any]]:
    """Every dated value (the one in force on ``on`` when given) of every parameter whose
    name contains ``name``, by name."""
    rows = []
    for key in sorted(book.parameters):
        if name and name not in key:
            continue
        param = book.parameters[key]
        rows += [parameter_value_row(book, param, value, lang) for value in param.values
                 if on is None or value.start <= on <= value.end]
    return rows
