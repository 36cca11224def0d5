"""Text columns of a DataFrame read at once, exactly as the model's text kinds read one
text: stripped (when not too long to be worth it), then within a length.

The free-text ``id`` is usually different on every row: where pandas keeps strings in
Arrow, the ends of each text are checked for whitespace by Arrow compute, and the column
is kept as Arrow when nothing needs stripping (its Python strings are made only if
someone reads them).  ``tests/test_frame_dtypes.py`` checks these against the kinds.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..model.kinds import CodeKind, Kind, TextKind
from ..model.limits import MAX_CODE
from ..model.text import text_problem
from ..pricing.caps import Array
from ..pricing.columns import ClaimColumns


def all_texts(series: Any) -> bool:
    import pandas as pd

    if isinstance(series.dtype, pd.StringDtype):
        return True
    return series.dtype.kind == "O" and pd.api.types.infer_dtype(series, skipna=True) in (
        "string", "empty")


#: the characters ``str.strip()`` removes (``str.isspace``); a test checks the list
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002"
              "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f"
              "\u205f\u3000")


def strips(kind: Kind) -> bool:
    """Whether a kind is a text kind read by :func:`stripped` (strip, then a length)."""
    return type(kind) in (TextKind, CodeKind) and kind.strip  # type: ignore[attr-defined]


def stripped(texts: Any, kind: Any) -> list[str | None]:
    """Texts as :class:`~ssreg.model.kinds.TextKind` / ``CodeKind`` convert and check
    them: stripped (when not too long to be worth it), then at most ``max_length``
    characters that can be written back (None: refused)."""
    limit = 4 * MAX_CODE if type(kind) is CodeKind else 2 * kind.max_length
    longest = kind.max_length
    kept = (t.strip() if len(t) <= limit else t for t in texts)
    return [t if len(t) <= longest and writable(t, kind) else None for t in kept]


def writable(text: str, kind: Any) -> bool:
    """Whether a text within its length passes the kind's check (no lone surrogate, no
    control character where it makes no sense): printable texts at once."""
    return text.isprintable() or not text_problem(text, kind.max_length, code=kind.code)


def read_texts(columns: ClaimColumns, series: Any, present: Array, kind: TextKind) -> Array:
    """A free text column (``id``, each value usually distinct) in one pass: as
    :func:`stripped`, the whitespace at the ends found by Arrow when the strings are
    there (only those values are stripped one by one)."""
    ends = space_at_ends(series)
    if ends is not None and not ends.any() and printable(series):  # the Arrow ids as read
        lengths = series.str.len().to_numpy(dtype=np.float64, na_value=0)
        good = present & (lengths <= kind.max_length)
        columns.ids_arrow = arrow(series)
        return present & ~good  # type: ignore[no-any-return]
    values = series.to_numpy(dtype=object, copy=True)
    if ends is None:
        rows = np.flatnonzero(present)
        kept = stripped(values[rows].tolist(), kind)
        good = np.zeros(len(series), dtype=bool)
        good[rows] = [t is not None for t in kept]
        values[rows] = kept
    else:
        lengths = series.str.len().to_numpy(dtype=np.float64, na_value=0, copy=True)
        for row in np.flatnonzero(ends & present).tolist():
            text = values[row]
            if len(text) <= 2 * kind.max_length:
                values[row] = text.strip()
                lengths[row] = len(values[row])
        good = present & (lengths <= kind.max_length)
        for row in np.flatnonzero(good).tolist():  # (Arrow holds no lone surrogate)
            good[row] = writable(values[row], kind)
    columns.ids[good] = values[good]
    return present & ~good  # type: ignore[no-any-return]


def arrow(series: Any) -> Any:
    """A column of Arrow-backed strings as one Arrow array."""
    import pyarrow as pa  # type: ignore[import-untyped]

    return pa.array(series.array)


def space_at_ends(series: Any) -> Array | None:
    """Rows of an Arrow string column whose first or last character is whitespace (None:
    the strings are not in Arrow)."""
    import pandas as pd

    if not (isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    strings = arrow(series)
    spaces = pa.array(list(WHITESPACE))
    first = pc.is_in(pc.utf8_slice_codeunits(strings, 0, 1), value_set=spaces)
    last = pc.is_in(pc.utf8_slice_codeunits(strings, -1), value_set=spaces)
    found = pc.fill_null(pc.or_(first, last), False)
    return found.to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]


def printable(series: Any) -> bool:
    """Whether every text of an Arrow string column is printable (no control character:
    then no text of it needs the full check)."""
    import pyarrow.compute as pc

    return bool(pc.all(pc.utf8_is_printable(arrow(series)), skip_nulls=True).as_py()
                is not False)
