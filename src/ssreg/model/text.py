"""Text a user sends that can be written back, and digits that are digits.

Whatever ssreg accepts must be savable and readable back unchanged: a lone surrogate
(``"\\udc80"``, which JSON can carry) cannot be written as UTF-8, and control characters
in an address or a code are a corruption, not content.  Identifiers and numbers are
made of ASCII digits only: Python's ``str.isdigit`` and ``int`` also take ``"³"`` or the
Arabic-Indic ``"٣"``, which no French form or number contains.

>>> text_problem("12 rue des Écoles\\nParis", 200)
''
>>> text_problem("Paris\\udc80", 200)
'expected text that can be written as UTF-8 (a lone surrogate \\\\udc80 at position 5)'
>>> text_problem("a\\x00b", 200)
'expected text without control characters (\\\\x00 at position 1)'
>>> ascii_digits("٣19"), ascii_digits("319"), ascii_digits("")
(False, True, False)
"""

from __future__ import annotations

import re
from typing import Any

from .limits import excerpt


# C0 and C1 controls but tab, line feed and carriage return (free text may hold lines)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CODE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def text_problem(value: Any, max_length: int, *, code: bool = False) -> str:
    """Why ``value`` is not an acceptable text ("" when it is).

    ``code``: an identifier or a code, where no control character (not even a line
    break) makes sense.
    """
    if not isinstance(value, str):
        return f"expected a text (a string), got {excerpt(value)}"
    if len(value) > max_length:
        return f"expected at most {max_length} characters, got {len(value)}"
    if value.isascii():
        found = (_CODE_CONTROL if code else _CONTROL).search(value)
    else:
        surrogate = _SURROGATE.search(value)
        if surrogate is not None:
            return (f"expected text that can be written as UTF-8 (a lone surrogate "
                    f"\\u{ord(surrogate.group()):04x} at position {surrogate.start()})")
        found = (_CODE_CONTROL if code else _CONTROL).search(value)
    if found is not None:
        return (f"expected text without control characters (\\x{ord(found.group()):02x} at "
                f"position {found.start()})")
    return ""


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the digits 0-9 (and nothing else)."""
    return text.isascii() and text.isdigit()
