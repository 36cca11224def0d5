"""Shared helpers of the rulebook checks: the gathered raw tables and the problem collector."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from ..exceptions import Problem
from ..model.limits import excerpt
from .rulebook import LANGUAGES


Entry = tuple[str, dict[str, Any]]


@attrs.define
class Raw:
    """Raw tables gathered from files, each remembering where it came from."""

    sources: dict[str, Entry] = attrs.Factory(dict)
    facts: dict[str, Entry] = attrs.Factory(dict)
    decisions: dict[str, Entry] = attrs.Factory(dict)
    vocabulary: dict[str, Entry] = attrs.Factory(dict)
    parameters: dict[str, Entry] = attrs.Factory(dict)
    documents: dict[str, Entry] = attrs.Factory(dict)
    requirements: dict[str, Entry] = attrs.Factory(dict)
    events: dict[str, Entry] = attrs.Factory(dict)
    steps: dict[str, Entry] = attrs.Factory(dict)
    reasons: dict[str, Entry] = attrs.Factory(dict)
    rules: dict[str, list[Entry]] = attrs.Factory(dict)
    disabled: set[str] = attrs.Factory(set)
    meta: Entry | None = None


class Checker:
    """Collects problems; helpers for the parts every table has (labels, citations, dates)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def labels(self, where: str, data: Any, name: str = "label") -> Mapping[str, str]:
        if not isinstance(data, Mapping):
            self.add(f"{where}.{name}", f"missing {name} table with en, fr and es")
            return MappingProxyType({})
        for lang in LANGUAGES:
            text = data.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(f"{where}.{name}.{lang}", f"missing translation ({lang})")
        return MappingProxyType({str(k): str(v) for k, v in data.items()})

    def citations(self, where: str, data: Any, sources: Mapping[str, Any]) -> tuple[str, ...]:
        if not isinstance(data, list | tuple) or not data:
            self.add(f"{where}.citations", "a value without citation: give at least one source")
            return ()
        for key in data:
            if not isinstance(key, str) or key not in sources:
                self.add(f"{where}.citations", f"unknown source {excerpt(key)}")
        return tuple(str(k) for k in data)

    def day(self, where: str, value: Any, *, required: bool) -> date | None:
        if value is None and not required:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.add(where, f"expected a TOML date like 2024-05-15, got {excerpt(value)}")
            return None
        return value

    def names(self, where: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(where, "expected an array of names")
            return ()
        return tuple(value)


def type_ok(type_name: str, value: Any) -> bool:
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "decimal":
        return isinstance(value, Decimal | int) and not isinstance(value, bool)
    if type_name == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if type_name == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)
