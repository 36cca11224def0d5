"""Declaring model fields with their kind, and reading the declarations back.

A model field is an attrs field whose converter is its kind's lenient conversion and whose
metadata holds a :class:`Spec` (kind, description, required or default).  The models'
checks, the dict/JSON door and the JSON Schemas all read these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import attrs

from .kinds import REQUIRED, Found, Kind


# declaring fields ------------------------------------------------------------------------

SPEC_KEY = "ssreg"


@attrs.frozen
class Spec:
    """What a model field accepts: its kind, whether it is required, and its description."""

    kind: Kind
    doc: str = ""
    required: bool = False
    default: Any = None  # the field's default (valid by construction: never re-checked)


def field(kind: Kind, *, default: Any = REQUIRED, doc: str = "",
          factory: Callable[[], Any] | None = None) -> Any:
    """An attrs field converted and checked by ``kind`` (``default=REQUIRED``: must be given)."""
    spec = Spec(kind=kind, doc=doc, required=default is REQUIRED and factory is None,
                default=default if factory is None else REQUIRED)
    converter = kind.convert if kind.converts else None
    if factory is not None:
        return attrs.field(factory=factory, converter=converter, metadata={SPEC_KEY: spec})
    return attrs.field(default=default, converter=converter, metadata={SPEC_KEY: spec})


def specs(model: type) -> tuple[tuple[str, Spec], ...]:
    """The declared fields of a model, in order (kept per model)."""
    found = _SPECS.get(model)
    if found is None:
        found = _SPECS[model] = _specs(model)
    return found


_SPECS: dict[type, tuple[tuple[str, Spec], ...]] = {}


def _specs(model: type) -> tuple[tuple[str, Spec], ...]:
    """The declared fields of a model, in order."""
    return tuple((f.name, f.metadata[SPEC_KEY]) for f in attrs.fields(model)
                 if SPEC_KEY in f.metadata)


def quick_check(model: type) -> Callable[[Any], bool]:
    """A function telling, fast, that every field of an instance of ``model`` is valid
    (False: ask :func:`check_fields` for the problems).  Generated once per model from
    the fields' kinds (:meth:`Kind.quick`); the names in it are the model's own field
    names, read as attributes, never input."""
    found = _QUICK.get(model)
    if found is None:
        namespace: dict[str, Any] = {"_date": date}
        lines = ["def quick(self):"]
        for i, (name, spec) in enumerate(specs(model)):
            if not name.isidentifier():  # pragma: no cover - our own declarations
                raise ValueError(name)
            namespace[f"_k{i}"], namespace[f"_d{i}"] = spec.kind, spec.default
            lines.append(f"    v = self.{name}")
            test = spec.kind.quick("v", f"_k{i}")
            if spec.default is not REQUIRED:  # a default is valid as it is
                test = f"v is _d{i} or {test}"
            lines.append(f"    if not ({test}):")
            lines.append("        return False")
        lines.append("    return True")
        exec("\n".join(lines), namespace)
        found = _QUICK[model] = namespace["quick"]
    return found


_QUICK: dict[type, Callable[[Any], bool]] = {}


def check_fields(instance: Any) -> Found:
    """Every problem of a model instance's fields, as ``(path, message)``."""
    found: Found = []
    for name, spec in specs(type(instance)):
        value = getattr(instance, name)
        if value is spec.default:
            if value is REQUIRED:
                found.append((name, "required field missing"))
            continue
        found.extend((name + sub, message) for sub, message in spec.kind.check(value))
    return found


def join(prefix: str, found: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Paths of nested problems under ``prefix``."""
    out = []
    for path, message in found:
        if not prefix:
            out.append((path, message))
        elif not path:
            out.append((prefix, message))
        else:
            out.append((prefix + (path if path.startswith("[") else "." + path), message))
    return out


def model_schema(model: type, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one model's JSON form (its fields, required ones, nothing else);
    nested models go to ``defs``."""
    properties = {}
    required = []
    for name, spec in specs(model):
        prop = spec.kind.schema(defs)
        if spec.doc:
            prop = {**prop, "description": spec.doc}
        properties[name] = prop
        if spec.required:
            required.append(name)
    data: dict[str, Any] = {"type": "object", "properties": properties,
                            "additionalProperties": False}
    if required:
        data["required"] = required
    if model.__doc__:
        data["description"] = model.__doc__.strip().splitlines()[0]
    return data
