"""Plain data (dicts, JSON) to models, and models back to plain data.

The model constructors check every field themselves (:mod:`ssreg.model.fields`); structuring
only adds what a constructor cannot see: keys that are not strings, unknown keys (with a
suggestion), and inputs nested too deeply.  Both doors therefore report the same
problems with the same paths, all at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from ..exceptions import InvalidInputError, Problem
from .fields import SPEC_KEY, join, model_schema, specs
from .kinds import Found, Invalid, Kind, _expected
from .limits import MAX_DEPTH, MAX_PROBLEMS, excerpt, too_deep


T = TypeVar("T")
MAX_FIELDS = 1_000
"""Most keys of a table read as a model (each model has a few dozen fields at most)."""


def structure_problems(data: Any, model: type[T]) -> tuple[T | None, list[tuple[str, str]]]:
    """``(instance, [])`` or ``(None, problems)`` for plain data (or an instance)."""
    if isinstance(data, model):
        return data, []
    if not isinstance(data, Mapping):
        return None, [("", f"expected a table (a JSON object) for {model.__name__}, "
                           f"got {excerpt(data)}")]
    known = {name for name, _ in specs(model)}
    if len(data) > MAX_FIELDS:  # a table of a million keys is not a misspelt field
        return None, [("", f"expected a table of at most {len(known)} fields for "
                           f"{model.__name__}, got {len(data)} keys")]
    found: list[tuple[str, str]] = []
    given: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            found.append(("", f"field names must be texts, got {excerpt(key)}"))
        elif key not in known:
            close = difflib.get_close_matches(key, known, n=1) if (
                len(key) < 64 and len(found) < MAX_PROBLEMS) else []
            hint = f"did you mean {close[0]!r}? " if close else ""
            found.append((key if len(key) < 64 else excerpt(key),
                           f"unknown field; {hint}known fields: {', '.join(sorted(known))}"))
        else:
            given[key] = value
    try:
        built = model(**given)
    except InvalidInputError as exc:
        found.extend((p.path if p.path != "(input)" else "", p.message) for p in exc.problems)
        return None, found
    return (None, found) if found else (built, [])


def to_problems(found: list[tuple[str, str]], prefix: str = "") -> list[Problem]:
    """Located problems (at most :data:`MAX_PROBLEMS`, then a count of the rest)."""
    out = [Problem(path or "(input)", message)
           for path, message in join(prefix, found[:MAX_PROBLEMS])]
    if len(found) > MAX_PROBLEMS:
        out.append(Problem(prefix or "(input)",
                           f"and {len(found) - MAX_PROBLEMS} more problems not shown"))
    return out


def structure(data: Any, model: type[T], *, error: Callable[[list[Problem]], Exception],
              path: str = "") -> T:
    """A model from plain data or an instance, or ``error`` with every located problem."""
    if isinstance(data, model):
        return data
    if isinstance(data, Mapping) and too_deep(data, MAX_DEPTH):
        raise error([Problem(path or "(input)", f"nested more than {MAX_DEPTH} levels deep")])
    built, found = structure_problems(data, model)
    if found or built is None:
        raise error(to_problems(found, path))
    return built


def unstructure(value: Any) -> Any:
    """Plain JSON-ready data from a model (dates as ISO strings, amounts as strings).

    Fields left at their default are omitted, so the result is what a person would
    write; :func:`structure` reads it back to an equal model.
    """
    if attrs.has(type(value)):
        out: dict[str, Any] = {}
        for f in attrs.fields(type(value)):
            if SPEC_KEY not in f.metadata:
                continue
            item = getattr(value, f.name)
            default = f.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if item == default and not f.metadata[SPEC_KEY].required:
                continue
            out[f.name] = unstructure(item)
        return out
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): unstructure(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [unstructure(v) for v in value]
    return value


@attrs.frozen
class ModelKind(Kind):
    """A nested model: an instance, or a mapping structured into one."""

    model: type

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"a table (a JSON object) for {self.model.__name__}"

    def convert(self, value: Any) -> Any:
        if isinstance(value, self.model) or not isinstance(value, Mapping):
            return value
        built, problems = structure_problems(value, self.model)
        return Invalid(tuple(problems)) if problems else built

    def check(self, value: Any) -> Found:
        if isinstance(value, Invalid):
            return [(("." + path) if path and not path.startswith("[") else path, message)
                    for path, message in value.problems]
        if isinstance(value, self.model):
            return []
        return _expected(f"a table (a JSON object) for {self.model.__name__}", value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        name = self.model.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = model_schema(self.model, defs)
        return {"$ref": f"#/$defs/{name}"}
