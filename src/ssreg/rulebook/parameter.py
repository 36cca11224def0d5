"""A dated parameter: its values, each in force over a period with its citations, and the
kind every value must be of (:mod:`ssreg.rulebook.values`)."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import attrs

from ..exceptions import NoValueInForce
from .values import Kind as ValueKind


FAR_FUTURE = date.max
ONE_DAY = timedelta(days=1)


def period_text(start: date, end: date) -> str:
    return f"{start}..{'' if end == FAR_FUTURE else end}"


@attrs.frozen
class ParameterValue:
    start: date
    end: date
    value: Any
    citations: tuple[str, ...]
    note: str = ""
    uncertain: bool = False


@attrs.frozen
class Parameter:
    """A dated value (rate, amount, choice) with the period and citation of each value.

    A *choice* parameter (``options`` not empty) models a point where sources disagree:
    ``alternatives`` cites the sources behind each option not taken by default.
    """

    name: str
    type: str
    unit: str
    label: Mapping[str, str]
    values: tuple[ParameterValue, ...]
    options: tuple[str, ...] = ()
    alternatives: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    origin: str = ""
    option_labels: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    minimum: Any = None
    maximum: Any = None
    _starts: tuple[date, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    @property
    def kind(self) -> ValueKind:
        """What its values may be: type, unit, range and options (see
        :mod:`ssreg.rulebook.values`)."""
        return ValueKind(self.type, self.unit, self.minimum, self.maximum, self.options)

    def value_on(self, on: date) -> ParameterValue:
        """The value in force on ``on``, or :class:`NoValueInForce`."""
        i = bisect.bisect_right(self._starts, on) - 1
        if i >= 0 and on <= self.values[i].end:
            return self.values[i]
        known = ", ".join(period_text(v.start, v.end) for v in self.values)
        raise NoValueInForce(self.name, on, known or "none")

    def gaps(self, start: date, end: date) -> list[tuple[date, date]]:
        """The parts of ``start..end`` where this parameter has no value (empty: covered)."""
        found = []
        cursor = start
        for value in self.values:  # sorted and without overlaps (checked on load)
            if value.end < cursor:
                continue
            if value.start > end:
                break
            if value.start > cursor:
                found.append((cursor, value.start - ONE_DAY))
            if value.end >= end:
                return found
            cursor = value.end + ONE_DAY
        found.append((cursor, end))
        return found
