"""Bounds on everything a user can send, and short excerpts of bad values for messages.

Inputs come from web forms, files and fuzzers: a value may be a megabyte of text, an
integer with thousands of digits, a list nested thousands deep or a key that is not a
string.  These helpers keep every check and every error message bounded.

>>> excerpt("x" * 1_000_000)
"'xxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxx' (1000000 characters)"
>>> excerpt(10 ** 5000)
'an integer of about 5001 digits'
>>> excerpt([1, 2, 3])
'[1, 2, 3]'
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any


MAX_TEXT = 2_000
"""Longest free-text field (an address, a rejection reason), in characters."""
MAX_CODE = 64
"""Longest code or identifier (an id, a care type, a document kind)."""
MAX_DEPTH = 12
"""Deepest nesting of an input (a case is 3 levels deep; a dossier 4)."""
MAX_ITEMS = 1_000_000
"""Most items of one list in an input (claims of a case, events of a dossier)."""
MAX_AMOUNT = 10 ** 9
"""Largest amount in euros or count accepted."""
MAX_EXCERPT = 40
"""Characters of a bad value quoted in a message."""
MAX_PROBLEMS = 100
"""Most problems reported for one input (the count of the others is given)."""

_PLAIN = (bool, int, float, complex, bytes, bytearray, date, time, timedelta, Decimal)


class _Short(reprlib.Repr):
    """``reprlib`` that never calls the ``__repr__`` of an object it does not know: a
    user's object may print a megabyte (a Rulebook) or raise."""

    def repr_instance(self, x: Any, level: int) -> str:
        if isinstance(x, _PLAIN) or type(x).__module__ in ("decimal", "datetime", "builtins"):
            return super().repr_instance(x, level)
        return f"a {type(x).__name__}"


_repr = _Short()
_repr.maxstring = MAX_EXCERPT
_repr.maxother = MAX_EXCERPT
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 4
_repr.maxlevel = 2


def excerpt(value: Any) -> str:
    """A short, safe ``repr`` of a user's value (never raises, never long)."""
    try:
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, int):
            if value.bit_length() > 128:  # str() of a huge int is slow, refused past 4300 digits
                return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
            return repr(value)
        if isinstance(value, str):
            text = _repr.repr(value)
            return text if len(value) <= MAX_EXCERPT else f"{text} ({len(value)} characters)"
        text = _repr.repr(value)
        return text if len(text) <= 3 * MAX_EXCERPT else text[: 3 * MAX_EXCERPT] + "..."
    except Exception:  # a broken __repr__ of a user's object must not hide the real error
        return f"a {type(value).__name__}"


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` (plain data) nests deeper than ``limit`` lists and mappings.

    Iterative, so a 100,000-deep list is answered without recursion.

    >>> too_deep([[[1]]], limit=3), too_deep([[[[1]]]], limit=3)
    (False, True)
    """
    if isinstance(value, Mapping) and limit > 0 and not any(
            isinstance(v, Mapping | list | tuple) for v in value.values()):
        return False  # a flat table (the common case: one claim)
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
