"""Where each value of a rulebook comes from, and how fresh that knowledge is.

Every source has a *kind* (a law or regulation, official guidance, an institution, a
secondary page) and the day it was last *checked*.  A dated parameter value is as
authoritative as the best source it cites and as fresh as the most recently checked one.
:func:`provenance` gathers, for a rulebook on a date, the sources and values by kind, the
values that have a primary text, those backed only by secondary pages and those not checked
for longer than a given age.  ``ssreg check-rulebook`` prints it; ``ssreg parameters
--provenance`` shows it value by value.

>>> import ssreg
>>> from datetime import date
>>> report = ssreg.default_rulebook().provenance(on=date(2026, 12, 4))
>>> report.values_total == sum(report.values_by_kind.values())
True
>>> 0 < report.values_primary < report.values_total
True
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from .conditions import jsonable
from .rulebook import FAR_FUTURE, Rulebook
from .sources import SOURCE_KINDS, Source


#: values not checked for longer than this many days are listed as stale by default
DEFAULT_MAX_AGE_DAYS = 365
#: the age buckets of the freshness table, in days
AGE_BUCKETS = (30, 90, 180, 365, 730)


@attrs.frozen
class ValueProvenance:
    """One dated parameter value with the best kind of its sources and their last check."""

    parameter: str
    start: date
    end: date
    value: Any
    citations: tuple[str, ...]
    kind: str
    checked: date | None
    uncertain: bool = False

    def age(self, on: date) -> int | None:
        """Days since the last check of its sources, on a date (None: never checked)."""
        return None if self.checked is None else (on - self.checked).days

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "start": self.start.isoformat(),
                "end": None if self.end == FAR_FUTURE else self.end.isoformat(),
                "value": jsonable(self.value), "citations": list(self.citations),
                "kind": self.kind,
                "checked": self.checked.isoformat() if self.checked else None,
                "uncertain": self.uncertain}


@attrs.frozen
class Provenance:
    """The provenance and freshness of a rulebook's values on a date."""

    on: date
    max_age_days: int
    sources_by_kind: Mapping[str, int]
    values: tuple[ValueProvenance, ...]
    rules_total: int
    rules_primary: int

    @property
    def values_total(self) -> int:
        return len(self.values)

    @property
    def values_by_kind(self) -> dict[str, int]:
        """How many values have each kind as their best source."""
        counts = dict.fromkeys(SOURCE_KINDS, 0)
        for value in self.values:
            counts[value.kind] += 1
        return counts

    @property
    def values_primary(self) -> int:
        """How many values cite a primary text (a law or regulation)."""
        return self.values_by_kind["law"]

    @property
    def secondary_only(self) -> tuple[ValueProvenance, ...]:
        """Values whose every source is a secondary page."""
        return tuple(v for v in self.values if v.kind == "secondary")

    @property
    def stale(self) -> tuple[ValueProvenance, ...]:
        """Values whose sources were last checked more than ``max_age_days`` ago."""
        return tuple(v for v in self.values
                     if (v.age(self.on) or 0) > self.max_age_days or v.checked is None)

    def freshness(self) -> list[tuple[str, int]]:
        """Values by the age of their last check: ``[("<= 30 days", 12), ...]``."""
        rows = []
        lower = -1
        for bound in AGE_BUCKETS:
            count = sum(1 for v in self.values if lower < (v.age(self.on) or 0) <= bound)
            rows.append((f"{lower + 1}-{bound} days", count))
            lower = bound
        rows.append((f"over {lower} days", sum(1 for v in self.values
                                               if (v.age(self.on) or 0) > lower)))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "max_age_days": self.max_age_days,
                "sources_by_kind": dict(self.sources_by_kind),
                "values_total": self.values_total, "values_by_kind": self.values_by_kind,
                "values_primary": self.values_primary,
                "rules_total": self.rules_total, "rules_primary": self.rules_primary,
                "freshness": [{"age": label, "values": n} for label, n in self.freshness()],
                "secondary_only": [v.to_dict() for v in self.secondary_only],
                "stale": [v.to_dict() for v in self.stale]}

    def text(self) -> str:
        """The provenance and freshness tables, then the values to look at."""
        total = self.values_total
        lines = ["Provenance of the dated values (best source of each):", "",
                 "| kind | sources | values |", "|---|---|---|"]
        by_kind = self.values_by_kind
        for kind in SOURCE_KINDS:
            lines.append(f"| {kind} | {self.sources_by_kind.get(kind, 0)} | {by_kind[kind]} |")
        lines += ["", f"{self.values_primary} of {total} values have a primary source (a law "
                      f"or regulation); {self.rules_primary} of {self.rules_total} rule "
                      "versions cite one.", "",
                  f"Freshness on {self.on} (days since a source of the value was checked):",
                  "", "| last checked | values |", "|---|---|"]
        lines += [f"| {label} | {count} |" for label, count in self.freshness()]
        secondary = self.secondary_only
        lines += ["", f"{len(secondary)} values are backed only by secondary sources:"]
        lines += [f"- {_value_line(v)}" for v in secondary]
        stale = self.stale
        lines += ["", f"{len(stale)} values not checked for more than {self.max_age_days} "
                      "days" + (":" if stale else ".")]
        lines += [f"- {_value_line(v)} (checked {v.checked})" for v in stale]
        return "\n".join(lines)


def _value_line(value: ValueProvenance) -> str:
    end = "" if value.end == FAR_FUTURE else str(value.end)
    return (f"{value.parameter} = {jsonable(value.value)} [{value.start}..{end}] "
            f"({', '.join(value.citations)})")


def best_kind(sources: Mapping[str, Source], keys: tuple[str, ...]) -> str:
    """The most authoritative kind among the sources ``keys`` (``secondary`` if none)."""
    ranks = [SOURCE_KINDS.index(sources[k].kind) for k in keys if k in sources]
    return SOURCE_KINDS[min(ranks)] if ranks else "secondary"


def last_checked(sources: Mapping[str, Source], keys: tuple[str, ...]) -> date | None:
    """The most recent check among the sources ``keys``."""
    days = [sources[k].checked for k in keys if k in sources and sources[k].checked]
    return max(days) if days else None  # type: ignore[type-var]


def provenance(book: Rulebook, *, on: date,
               max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> Provenance:
    """The provenance and freshness of every dated value of ``book`` on ``on``."""
    sources = book.sources
    by_kind = dict.fromkeys(SOURCE_KINDS, 0)
    for source in sources.values():
        by_kind[source.kind] += 1
    values = tuple(
        ValueProvenance(parameter=name, start=v.start, end=v.end, value=v.value,
                        citations=v.citations, kind=best_kind(sources, v.citations),
                        checked=last_checked(sources, v.citations), uncertain=v.uncertain)
        for name in sorted(book.parameters) for v in book.parameters[name].values)
    primary_rules = sum(1 for rule in book.rules
                        if best_kind(sources, rule.citations) == "law")
    return Provenance(on=on, max_age_days=max_age_days, sources_by_kind=by_kind,
                      values=values, rules_total=len(book.rules), rules_primary=primary_rules)
