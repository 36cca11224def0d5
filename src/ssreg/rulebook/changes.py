"""The law changes a rulebook knows of, by the date they take effect, from its own data.

Every dated parameter value and every rule version has a period; where a period starts
(or ends without a successor) after the rulebook's first day, the law changed.  The log
is generated from the rule data, never kept by hand: ``ssreg law-changes`` prints it and
the "Law changes" part of ``CHANGELOG.md`` is that output (a test fails when it is stale).

>>> import ssreg
>>> from datetime import date
>>> changes = ssreg.default_rulebook().law_changes()
>>> franchise = next(c for c in changes if c.effective == date(2024, 3, 31))
>>> [(p.parameter, str(p.before), str(p.after)) for p in franchise.parameters][:1]
[('franchise_medicine', '0.50', '1')]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from .conditions import jsonable
from .rulebook import FAR_FUTURE, ONE_DAY, Rulebook


@attrs.frozen
class ParameterChange:
    """A parameter's value changing on a date (``before`` or ``after`` None: it starts or
    stops having a value)."""

    parameter: str
    before: Any
    after: Any
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "before": jsonable(self.before),
                "after": jsonable(self.after), "citations": list(self.citations)}


@attrs.frozen
class RuleChange:
    """A rule taking effect (``added``), replaced by a new version (``changed``) or no
    longer in force (``ended``) on a date."""

    rule: str
    change: str
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "change": self.change, "citations": list(self.citations)}


@attrs.frozen
class LawChange:
    """Everything that changes on one effective date."""

    effective: date
    parameters: tuple[ParameterChange, ...]
    rules: tuple[RuleChange, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources cited by the values and rules that change, sorted."""
        keys = {k for p in self.parameters for k in p.citations}
        keys |= {k for r in self.rules for k in r.citations}
        return tuple(sorted(keys))

    def to_dict(self) -> dict[str, Any]:
        return {"effective": self.effective.isoformat(),
                "parameters": [p.to_dict() for p in self.parameters],
                "rules": [r.to_dict() for r in self.rules], "sources": list(self.sources)}


def law_changes(book: Rulebook) -> tuple[LawChange, ...]:
    """The law changes of ``book``, newest first (see the module docstring)."""
    first = book.first_day
    params: dict[date, list[ParameterChange]] = {}
    for name in sorted(book.parameters):
        values = book.parameters[name].values
        for i, value in enumerate(values):
            previous = values[i - 1] if i else None
            joined = previous is not None and previous.end + ONE_DAY == value.start
            if value.start > first:
                params.setdefault(value.start, []).append(ParameterChange(
                    name, previous.value if joined and previous else None, value.value,
                    value.citations))
            following = values[i + 1] if i + 1 < len(values) else None
            if value.end != FAR_FUTURE and (following is None
                                             or following.start != value.end + ONE_DAY):
                params.setdefault(value.end + ONE_DAY, []).append(ParameterChange(
                    name, value.value, None, value.citations))
    rules: dict[date, list[RuleChange]] = {}
    by_id: dict[str, list[Any]] = {}
    for rule in book.rules:
        by_id.setdefault(rule.id, []).append(rule)
    for rule_id in sorted(by_id):
        versions = sorted(by_id[rule_id], key=lambda r: r.start)
        for i, rule in enumerate(versions):
            previous = versions[i - 1] if i else None
            if rule.start > first:
                joined = previous is not None and previous.end + ONE_DAY == rule.start
                rules.setdefault(rule.start, []).append(RuleChange(
                    rule_id, "changed" if joined else "added", rule.citations))
            following = versions[i + 1] if i + 1 < len(versions) else None
            if rule.end != FAR_FUTURE and (following is None
                                            or following.start != rule.end + ONE_DAY):
                rules.setdefault(rule.end + ONE_DAY, []).append(RuleChange(
                    rule_id, "ended", rule.citations))
    days = sorted(set(params) | set(rules), reverse=True)
    return tuple(LawChange(day, tuple(params.get(day, ())), tuple(rules.get(day, ())))
                 for day in days)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def render_law_changes(book: Rulebook) -> str:
    """The law changes as a Markdown table (the generated part of ``CHANGELOG.md``)."""
    version = book.version
    lines = [f"Rulebook {version.version}, horizon {version.horizon or 'none'}.  Generated "
             "from the rule data by `ssreg law-changes`; a test fails when it is stale.  "
             "Each date is the day a value or rule takes effect; the sources are the keys "
             "of `ssreg/rules/sources.toml` (their kind in brackets: law, guidance, "
             "institution, secondary).", "",
             "| takes effect | parameters | rules | sources |", "|---|---|---|---|"]
    for change in law_changes(book):
        params = "<br>".join(f"`{p.parameter}` {_shown(p.before)} → {_shown(p.after)}"
                             for p in change.parameters) or "—"
        rules = "<br>".join(f"`{r.rule}` {r.change}" for r in change.rules) or "—"
        sources = ", ".join(f"{k} ({book.sources[k].kind})" for k in change.sources
                            if k in book.sources)
        lines.append(f"| {change.effective} | {params} | {rules} | {sources} |")
    return "\n".join(lines) + "\n"
