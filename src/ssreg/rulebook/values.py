"""What a parameter's values may be: its type, its unit and its range.

A parameter declares in the rule data its ``type`` (``decimal``, ``int``, ``str``,
``bool``, ``date``, ``str_list``), its ``unit`` (``rate``, ``EUR``, ``months``...) and,
where the unit's natural range is too wide, ``min`` and ``max`` beside them::

    [parameters.academic_year_start_month]
    type = "int"
    unit = "count"
    min = 1
    max = 12

The same check runs on every value of the rule files, of an overlay and of the
``overrides`` given to :func:`ssreg.evaluate` or :func:`ssreg.price_claims`, so nothing
of the wrong kind or out of range reaches an engine or the pricer.

>>> from decimal import Decimal
>>> value_problem(Kind("decimal", "rate"), Decimal("0.7"))
''
>>> value_problem(Kind("decimal", "rate"), Decimal("24"))
'a rate is between 0 and 1, got 24'
>>> value_problem(Kind("int", "count", 1, 12), -221330)
'expected a whole number from 1 to 12, got -221330'
>>> value_problem(Kind("decimal", "EUR"), ["a", "list"])
"expected a number such as '0.70' or 2, got ['a', 'list']"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from ..model.kinds import DateKind, to_decimal
from ..model.limits import MAX_AMOUNT, MAX_CODE, MAX_TEXT, excerpt
from ..model.text import text_problem


PARAMETER_TYPES = ("decimal", "int", "str", "bool", "date", "str_list")
UNITS = ("rate", "EUR", "months", "days", "years", "count", "choice", "text", "list")
#: the type a unit implies, and its natural range (``min`` and ``max`` may narrow it)
UNIT_KINDS: Mapping[str, tuple[str, Any, Any]] = {
    "rate": ("decimal", Decimal(0), Decimal(1)),
    "EUR": ("decimal", Decimal(0), Decimal(MAX_AMOUNT)),
    "months": ("int", 0, 1_200),
    "days": ("int", 0, 36_600),
    "years": ("int", 0, 150),
    "count": ("int", 0, 1_000_000),
    "choice": ("str", None, None),
    "text": ("str", None, None),
    "list": ("str_list", None, None),
}
MAX_PLACES = 10
"""Most decimal places of a parameter's decimal value."""
MAX_LIST = 1_000
"""Most items of a list parameter."""
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")
_UNIT_WORDS = {"rate": "a rate", "EUR": "an amount in euros"}


class Kind(NamedTuple):
    """A parameter's kind: type, unit, range (``None``: the unit's) and options."""

    type: str
    unit: str
    minimum: Any = None
    maximum: Any = None
    options: tuple[str, ...] = ()

    def bounds(self) -> tuple[Any, Any]:
        """The range of values: the declared one, else the unit's."""
        _, low, high = UNIT_KINDS.get(self.unit, ("", None, None))
        return (low if self.minimum is None else self.minimum,
                high if self.maximum is None else self.maximum)


def unit_problem(type_name: str, unit: str) -> str:
    """Why a unit does not go with a type ("" when it does)."""
    implied = UNIT_KINDS.get(unit)
    if implied is not None and implied[0] != type_name:
        return f"unit {unit!r} is for {implied[0]} values, not {type_name}"
    return ""


def range_problem(kind: Kind) -> str:
    """Why the declared ``min``/``max`` do not fit the type and unit ("" when they do)."""
    if kind.minimum is None and kind.maximum is None:
        return ""
    if kind.type not in ("decimal", "int", "date"):
        return f"min and max apply to numbers and dates, not to {kind.type} values"
    _, low, high = UNIT_KINDS.get(kind.unit, ("", None, None))
    for name, bound in (("min", kind.minimum), ("max", kind.maximum)):
        if bound is None:
            continue
        if not _typed(kind.type, bound):
            return f"{name} must be a {kind.type} value, got {excerpt(bound)}"
        if (low is not None and bound < low) or (high is not None and bound > high):
            return f"{name} {bound} is outside the range of unit {kind.unit!r} ({low} to {high})"
    if kind.minimum is not None and kind.maximum is not None and kind.minimum > kind.maximum:
        return f"min {kind.minimum} is above max {kind.maximum}"
    return ""


def _typed(type_name: str, value: Any) -> bool:
    if type_name == "decimal":
        return (isinstance(value, Decimal) and value.is_finite()) or (
            isinstance(value, int) and not isinstance(value, bool)
            and value.bit_length() < 64)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    return True


def value_problem(kind: Kind, value: Any) -> str:
    """Why ``value`` cannot be a value of a parameter of this kind ("" when it can)."""
    if kind.type == "decimal":
        return _decimal_problem(kind, value)
    if kind.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected a whole number, got {excerpt(value)}"
        return _range_problem(kind, value, "a whole number")
    if kind.type == "bool":
        return "" if isinstance(value, bool) else f"expected true or false, got {excerpt(value)}"
    if kind.type == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            return f"expected a date (YYYY-MM-DD), got {excerpt(value)}"
        return _range_problem(kind, value, "a date")
    if kind.type == "str_list":
        if not isinstance(value, list | tuple) or len(value) > MAX_LIST:
            return f"expected a list of at most {MAX_LIST} codes, got {excerpt(value)}"
        for item in value:
            problem = text_problem(item, MAX_CODE, code=True)
            if problem:
                return f"each item {problem}"
        return ""
    problem = text_problem(value, MAX_TEXT)
    if problem:
        return problem
    if kind.options and value not in kind.options:
        return f"expected one of {', '.join(kind.options)}, got {excerpt(value)}"
    return ""


def _decimal_problem(kind: Kind, value: Any) -> str:
    what = _UNIT_WORDS.get(kind.unit, "a number")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() < 64:
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        return f"expected a number such as '0.70' or 2, got {excerpt(value)}"
    if value.as_tuple().exponent < -MAX_PLACES:  # type: ignore[operator]
        return f"expected {what} with at most {MAX_PLACES} decimals, got {excerpt(value)}"
    if kind.unit == "rate":
        low, high = kind.bounds()
        if not low <= value <= high:
            return f"a rate is between {low} and {high}, got {value}"
        return ""
    return _range_problem(kind, value, what)


def _range_problem(kind: Kind, value: Any, what: str) -> str:
    low, high = kind.bounds()
    if (low is not None and value < low) or (high is not None and value > high):
        shown = value if isinstance(value, date) or abs(value) < 10 ** 30 else excerpt(value)
        return (f"expected {what} from {'any' if low is None else low} to "
                f"{'any' if high is None else high}, got {shown}")
    return ""


def convert(kind: Kind, value: Any) -> Any:
    """A value given as text (an override, ``--set NAME=VALUE``) in the parameter's type;
    anything else unchanged (the check says what is wrong)."""
    if kind.type == "decimal":
        return to_decimal(value)
    if kind.type == "int" and isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    if kind.type == "date" and isinstance(value, str):
        return DateKind().convert(value.strip() if len(value) < 40 else value)
    if kind.type == "bool" and isinstance(value, str) and value.strip().lower() in (
            "true", "false"):
        return value.strip().lower() == "true"
    if kind.type == "str_list":
        if isinstance(value, str) and len(value) <= MAX_TEXT * 10:
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, list):
            return tuple(value)
    return value
