"""Field kinds: how each input field is converted, checked and described, in one place.

Every public model field is declared with a :class:`Kind`.  The same kind is used

- by the model's constructor: a lenient conversion (an ISO string becomes a date, a
  numeric string a ``Decimal``; anything else is kept as given) and then a check that
  reports *every* problem of the instance at once;
- by :func:`ssreg.model.structure.structure` for plain data (dicts, JSON), which only adds
  the unknown and nested keys, so both doors give the same errors and field paths;
- by :mod:`ssreg.output.schema` to publish the JSON Schema, and by :mod:`ssreg.testing`.

A check returns ``(subpath, message)`` pairs: ``""`` for the field itself, ``".x"`` or
``"[2].x"`` inside a nested model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from .limits import MAX_AMOUNT, MAX_CODE, MAX_ITEMS, MAX_TEXT, excerpt
from .text import text_problem


Found = list[tuple[str, str]]


class _Required:
    """The default of a required field: reported as missing, never used."""

    _instance: _Required | None = None

    def __new__(cls) -> _Required:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REQUIRED"

    def __bool__(self) -> bool:
        return False


REQUIRED: Any = _Required()


@attrs.frozen
class Invalid:
    """A nested value that could not be built: its problems, reported by the parent."""

    problems: tuple[tuple[str, str], ...]


class Kind:
    """How one field is converted and checked (subclasses override both)."""

    description = "a value"

    def convert(self, value: Any) -> Any:
        return value

    def check(self, value: Any) -> Found:
        return []

    def ok(self, value: Any) -> bool:  # (subclasses may answer without writing messages)
        return not self.check(value)

    @property
    def converts(self) -> bool:
        """Whether :meth:`convert` may change a value (else no converter is needed)."""
        return type(self).convert is not Kind.convert

    def quick(self, value: str, kind: str) -> str:
        """A Python expression, true only when :meth:`check` finds nothing in ``value``
        (the expression names the value ``value`` and this kind ``kind``).  A model
        checks its fields with these expressions first, in one generated function, and
        asks :meth:`check` for the messages only when one of them is false.  The
        default is exact by definition; subclasses give faster ones, never looser."""
        return f"not {kind}.check({value})"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {}


def _expected(what: str, value: Any) -> Found:
    return [("", f"expected {what}, got {excerpt(value)}")]


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DateKind(Kind):
    """A calendar date: a ``date`` (not a ``datetime``) or an ISO string ``YYYY-MM-DD``."""

    description = "a date (YYYY-MM-DD)"

    def convert(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return value
        return value

    def quick(self, value: str, kind: str) -> str:
        return f"{value}.__class__ is _date"

    def check(self, value: Any) -> Found:
        if isinstance(value, datetime):
            return [("", f"expected a date (YYYY-MM-DD), got a datetime {excerpt(value)}")]
        if isinstance(value, date):
            return []
        return _expected("a date (YYYY-MM-DD)", value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class BoolKind(Kind):
    description = "true or false"

    def quick(self, value: str, kind: str) -> str:
        return f"({value} is True or {value} is False)"

    def check(self, value: Any) -> Found:
        return [] if isinstance(value, bool) else _expected("true or false (a boolean)", value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}


@attrs.frozen
class IntKind(Kind):
    minimum: int = 0
    maximum: int = MAX_AMOUNT
    description = "an integer"

    def quick(self, value: str, kind: str) -> str:
        return (f"({value}.__class__ is int and {int(self.minimum)} <= {value} "
                f"<= {int(self.maximum)})")

    def check(self, value: Any) -> Found:
        if isinstance(value, bool) or not isinstance(value, int):
            return _expected("an integer", value)
        if not self.minimum <= value <= self.maximum:
            return [("", f"expected an integer from {self.minimum} to {self.maximum}, "
                         f"got {excerpt(value)}")]
        return []

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}


def to_decimal(value: Any) -> Any:
    """A finite ``Decimal`` from a Decimal, an int or a numeric string; else ``value``.

    ``-0`` becomes ``0`` so that no amount is ever shown as ``-0.00``.
    """
    if isinstance(value, bool | float):
        return value
    if isinstance(value, int) and value.bit_length() > 64:
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 40 or not text.isascii() or "_" in text:
            return value  # Decimal() would read "٣" or "1_000": only ASCII digits count
        try:
            value = Decimal(text)
        except InvalidOperation:
            return value
    elif isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value.adjusted()) > 20:
            return value
        return value.copy_abs() if value.is_zero() else value
    return value


@attrs.frozen
class DecimalKind(Kind):
    """An exact number: a string (``"26.50"``), an integer or a ``Decimal``; never a float."""

    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(MAX_AMOUNT)
    places: int | None = 2
    what: str = "an amount in euros"

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.what

    def convert(self, value: Any) -> Any:
        value = to_decimal(value)
        if (self.places is not None and isinstance(value, Decimal) and value.is_finite()
                and abs(value.adjusted()) <= 20 and -value.as_tuple().exponent <= self.places):  # type: ignore[operator]
            return value.quantize(Decimal(1).scaleb(-self.places))  # "30" -> 30.00
        return value

    def check(self, value: Any) -> Found:
        example = "'26.50'" if self.places == 2 else "'100'"
        if isinstance(value, float):
            return [("", f"expected {self.what} as a string or an integer (e.g. {example}); "
                         f"a float is not exact, got {excerpt(value)}")]
        if not isinstance(value, Decimal) or not value.is_finite() or abs(
                value.adjusted()) > 20:
            return [("", f"expected {self.what} as a string or an integer (e.g. {example}), "
                         f"got {excerpt(value)}")]
        if not self.minimum <= value <= self.maximum:
            return [("", f"expected {self.what} from {self.minimum} to {self.maximum}, "
                         f"got {value}")]
        if self.places is not None and value != value.quantize(Decimal(1).scaleb(-self.places)):
            return [("", f"expected {self.what} with at most {self.places} decimals, "
                         f"got {value}")]
        return []

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        decimals = f"{{1,{self.places}}}" if self.places else "+"
        pattern = rf"^-?\d+(\.\d{decimals})?$"
        return {"oneOf": [{"type": "string", "pattern": pattern}, {"type": "integer"}],
                "description": f"{self.what}, exact (a string such as '26.50' or an integer; "
                               "never a float)"}


@attrs.frozen
class TextKind(Kind):
    """A text that can be written back: bounded, valid UTF-8, no control characters
    (``code``: not even a line break)."""

    max_length: int = MAX_TEXT
    strip: bool = True
    code: bool = False
    description = "a text"

    def convert(self, value: Any) -> Any:
        if self.strip and isinstance(value, str) and len(value) <= self.max_length * 2:
            return value.strip()
        return value

    def quick(self, value: str, kind: str) -> str:  # (not printable: the full check says)
        return (f"({value}.__class__ is str and len({value}) <= {int(self.max_length)} "
                f"and {value}.isprintable())")

    def check(self, value: Any) -> Found:
        problem = text_problem(value, self.max_length, code=self.code)
        return [("", problem)] if problem else []

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.max_length}


@attrs.frozen
class CodeKind(TextKind):
    """A code checked later against a rulebook's declared values (care type, document kind)."""

    max_length: int = MAX_CODE
    vocabulary: str = ""
    code: bool = True

    def convert(self, value: Any) -> Any:
        return value.strip() if isinstance(value, str) and len(value) <= 4 * MAX_CODE else value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.vocabulary:
            data["description"] = f"one of the rulebook's values of {self.vocabulary}"
        return data


@attrs.frozen
class ChoiceKind(Kind):
    values: tuple[str, ...]

    def convert(self, value: Any) -> Any:
        return value.strip() if isinstance(value, str) and len(value) <= 4 * MAX_CODE else value

    def check(self, value: Any) -> Found:
        if isinstance(value, str) and value in self.values:
            return []
        return [("", f"expected one of {', '.join(self.values)}, got {excerpt(value)}")]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


@attrs.frozen
class Optional(Kind):
    """``None`` or a value of ``inner``."""

    inner: Kind

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"{self.inner.description}, or null"

    def convert(self, value: Any) -> Any:
        return None if value is None else self.inner.convert(value)

    @property
    def converts(self) -> bool:
        return self.inner.converts

    def quick(self, value: str, kind: str) -> str:
        return f"({value} is None or {self.inner.quick(value, kind + '.inner')})"

    def check(self, value: Any) -> Found:
        return [] if value is None else self.inner.check(value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [self.inner.schema(defs), {"type": "null"}]}


@attrs.frozen
class OrWord(Kind):
    """A value of ``inner`` or the word ``word`` (``"none"``: there is none)."""

    inner: Kind
    word: str = "none"

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"{self.inner.description}, or {self.word!r}"

    def convert(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() == self.word:
            return self.word
        return self.inner.convert(value)

    def check(self, value: Any) -> Found:
        if value == self.word:
            return []
        found = self.inner.check(value)
        return [(path, f"{message}; or {self.word!r}") for path, message in found]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"anyOf": [self.inner.schema(defs), {"const": self.word}]}


@attrs.frozen
class ListKind(Kind):
    """A list (kept as a tuple) of items of one kind."""

    item: Kind
    max_items: int = MAX_ITEMS

    def convert(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) <= self.max_items:
            return tuple(self.item.convert(v) for v in value)
        return value

    def check(self, value: Any) -> Found:
        if not isinstance(value, tuple | list):
            return _expected("a list (a JSON array)", value)
        if len(value) > self.max_items:
            return [("", f"expected at most {self.max_items} items, got {len(value)}")]
        found: Found = []
        for i, item in enumerate(value):
            found.extend((f"[{i}]{sub}", message) for sub, message in self.item.check(item))
        return found

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema(defs), "maxItems": self.max_items}


@attrs.frozen
class MappingKind(Kind):
    """A table with text keys (checked later against a vocabulary) and values of one kind."""

    value: Kind
    vocabulary: str = ""

    def convert(self, value: Any) -> Any:
        if isinstance(value, Mapping) and len(value) <= 1000:
            return {k: self.value.convert(v) for k, v in value.items()}
        return value

    def check(self, value: Any) -> Found:
        if not isinstance(value, Mapping):
            return _expected("a table (a JSON object)", value)
        if len(value) > 1000:
            return [("", f"expected at most 1000 keys, got {len(value)}")]
        found: Found = []
        for key, item in value.items():
            if not isinstance(key, str) or not key or text_problem(key, MAX_CODE, code=True):
                found.append(("", f"keys must be non-empty texts, got {excerpt(key)}"))
                continue
            found.extend((f".{key}{sub}", message) for sub, message in self.value.check(item))
        return found

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "object", "additionalProperties": self.value.schema(defs)}
        if self.vocabulary:
            data["description"] = f"keys: {self.vocabulary}"
        return data
