"""Reading a DataFrame of claims: each cell as a dict would hold it, each column at once.

A cell pandas counts as missing (``pd.isna``: ``None``, ``NaN``, ``NaT``, ``pd.NA``, in
any dtype, nullable ones included) is left out, so the field takes its default.  A
present cell is read as the plain value a dict would hold (:func:`cell`):

- a float in an integer field (``age``, ``boxes``, ``hospital_days``) that is whole is
  that integer (``2.0`` is 2; ``2.5`` is refused, never rounded); any other float is read
  through its shortest representation (``16.13`` is 16.13 euros, and an amount with more
  than two decimals is refused);
- a timestamp at midnight is its calendar date (a time-zone-aware one in its own time
  zone); with a time of day it is refused, not cut;
- numpy scalars are the Python values they hold; categories are their values.

:func:`frame_items` gives the rows as dicts (the claim-by-claim door).  :func:`read_frame`
gives the same claims as :class:`~ssreg.pricing.columns.ClaimColumns`, dtype by dtype
(numbers, dates and booleans at once, texts once per distinct value through the field's
own kind); a row it cannot vouch for goes through the dict door, so its problems are
exactly those of the same row given as a dict.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import numpy as np

from ..model.fields import specs
from ..model.kinds import (
    BoolKind,
    DateKind,
    DecimalKind,
    IntKind,
    Kind,
    Optional,
    TextKind,
)
from ..model.models import Claim
from ..pricing.caps import Array
from ..pricing.columns import CODED, ClaimColumns, suspects
from ..pricing.packed import TRI, cents
from ..pricing.pricer import Pricer
from .texts import all_texts, read_texts, stripped, strips


SPECS = dict(specs(Claim))
REQUIRED = tuple(name for name, spec in SPECS.items() if spec.required)
#: object columns whose distinct values cannot be equal across types (1 == True == 1.0)
SAFE_OBJECTS = frozenset({"string", "boolean", "integer", "floating", "mixed-integer-float",
                          "decimal", "date", "datetime", "datetime64", "empty"})
_ORDINAL_1970 = date(1970, 1, 1).toordinal()
MAX_ORDINAL = date.max.toordinal()
MIDNIGHT = time(0)


def _inner(kind: Kind) -> Kind:
    return kind.inner if isinstance(kind, Optional) else kind


INTEGRAL = frozenset(name for name, spec in SPECS.items()
                     if isinstance(_inner(spec.kind), IntKind))


def cell(value: Any, integral: bool = False) -> Any:
    """A present DataFrame cell as the plain Python value a dict would hold.

    >>> cell(2.0, integral=True), cell(2.5, integral=True), cell(16.13)
    (2, 2.5, Decimal('16.13'))
    """
    item = getattr(value, "item", None)
    if item is not None and not isinstance(value, int | float | str | Decimal):
        value = item()  # numpy scalars
    if isinstance(value, float):
        if integral and value.is_integer():
            return int(value)
        return value if integral else Decimal(repr(value))
    if isinstance(value, datetime):
        if value.time() == MIDNIGHT and not getattr(value, "nanosecond", 0):
            return value.date()
        return value
    return value


def missing_cells(series: Any) -> Array:
    """Which cells of a column are missing (None, NaN, NaT, NA); a cell pandas cannot
    compare (a signaling NaN ``Decimal``) is present, and refused by its field's kind."""
    try:
        return series.isna().to_numpy(dtype=bool)  # type: ignore[no-any-return]
    except ArithmeticError:  # decimal.InvalidOperation
        return np.array([_missing_cell(v) for v in series.tolist()], dtype=bool)


def _missing_cell(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Decimal):
        return value.is_qnan()  # as pandas: a quiet NaN is missing
    try:
        return bool(value != value) or type(value).__name__ in ("NAType", "NaTType")
    except Exception:  # a cell that cannot be compared is there
        return False


def frame_items(frame: Any, rows: Any = None) -> list[dict[str, Any]]:
    """The rows of a DataFrame (or the rows at ``rows``) as dicts, missing cells left out."""
    if rows is not None:
        frame = frame.iloc[rows]
    names = [str(c) for c in frame.columns]
    items: list[dict[str, Any]] = [{} for _ in range(len(frame))]
    for i, name in enumerate(names):
        series = frame.iloc[:, i]
        missing = missing_cells(series)
        integral = name in INTEGRAL
        values = series.to_numpy(dtype=object) if series.dtype.kind != "M" else (
            series.astype(object).to_numpy())
        for row in np.flatnonzero(~missing).tolist():
            items[row][name] = cell(values[row], integral)
    return items


# ---------------------------------------------------------------------------- columns


class _Rows:
    """The rows of a DataFrame given as dicts on demand (kept once built)."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.built: dict[int, dict[str, Any]] = {}

    def add(self, rows: list[int]) -> None:
        for row, item in zip(rows, frame_items(self.frame, rows), strict=True):
            self.built[row] = item

    def __call__(self, row: int) -> dict[str, Any]:
        if row not in self.built:
            self.add([row])
        return self.built[row]


def read_frame(frame: Any, pricer: Pricer, positions: Array | None = None) -> ClaimColumns:
    """The claims of a DataFrame as checked columns (refused rows with their problems);
    ``positions``: the rows' places in a larger batch, which results and errors name."""
    from ..pricing.columnar import check_rows

    size = len(frame)
    columns = ClaimColumns(size)
    columns.positions = positions
    source = _Rows(frame)
    columns.source = source
    names = [str(c) for c in frame.columns]
    doubt = np.zeros(size, dtype=bool)
    given: dict[str, Array] = {}
    if len(set(names)) != len(names):  # the last column of a name would win: by dict
        doubt[:] = True
    else:
        for i, name in enumerate(names):
            series = frame.iloc[:, i]
            if name not in SPECS:  # an unknown field: refused where a cell is given
                doubt |= ~missing_cells(series)
                continue
            present, bad = _read(columns, name, series)
            doubt |= bad
            given[name] = present
    for name in REQUIRED:
        if name in given:
            doubt |= ~given[name]
        else:
            doubt[:] = True
    for name, spec in SPECS.items():  # defaults where a cell is missing
        if name in CODED and isinstance(spec.default, str):
            missing = ~given[name] if name in given else np.ones(size, dtype=bool)
            columns.codes[name][missing] = columns.code(spec.default)
    rows = np.flatnonzero(doubt)
    source.add(rows.tolist())
    check_rows(pricer, columns, rows)
    rows = np.flatnonzero(suspects(columns, pricer.book))  # against the rulebook
    source.add(rows.tolist())
    check_rows(pricer, columns, rows)
    return columns


def read_part(frame: Any, positions: Array, pricer: Pricer) -> ClaimColumns:
    """The rows at ``positions`` of a DataFrame as checked columns (for a worker)."""
    return read_frame(frame.iloc[positions], pricer, positions)


def frame_owners(frame: Any, workers: int) -> Array:
    """The process of each row, from its person (one hash per distinct person)."""
    from ..pricing.spread import owners_of, person_of

    names = [str(c) for c in frame.columns]
    if "person" not in names or names.count("person") > 1:
        return np.zeros(len(frame), dtype=np.int64)
    series = frame.iloc[:, names.index("person")]
    codes, uniques = _distinct(series, missing_cells(series))
    if uniques is None:
        return owners_of([person_of(item) for item in frame_items(frame[["person"]])],
                         workers)
    chosen = owners_of([person_of({"person": cell(v)}) for v in uniques] + ["student"],
                       workers)
    return chosen[codes]


def _read(columns: ClaimColumns, name: str, series: Any) -> tuple[Array, Array]:
    """Write one column into ``columns``; return (present, doubtful) row masks."""
    kind = _inner(SPECS[name].kind)
    missing = missing_cells(series)
    present = ~missing
    dtype = series.dtype
    if name == "id":
        columns.ids_given = True
    numeric = dtype.kind in "iufb" and str(dtype) != "category"
    if isinstance(kind, DecimalKind) and numeric and dtype.kind != "b" and kind.places == 2:
        good, values = _money(series, missing, kind)
        columns.values[name][good] = values[good]
        return present, present & ~good
    if isinstance(kind, IntKind) and numeric and dtype.kind != "b":
        good, values = _integers(series, missing, kind)
        columns.values[name][good] = values[good]
        return present, present & ~good
    if isinstance(kind, BoolKind) and dtype.kind == "b" and str(dtype) != "category":
        values = series.to_numpy(dtype=bool, na_value=False)
        _store(columns, name, values.astype(np.int64), present)
        return present, np.zeros(len(series), dtype=bool)
    if isinstance(kind, DateKind) and dtype.kind == "M":
        good, ordinals = _dates(series, missing)
        columns.values[name][good] = ordinals[good]
        return present, present & ~good
    if type(kind) is TextKind and name == "id" and all_texts(series):
        return present, read_texts(columns, series, present, kind)
    if isinstance(kind, BoolKind) and dtype.kind == "O" and _only_booleans(series):
        # yes/no answers as Python objects (True, False, None): read as the bool dtype
        values = np.where(missing, False, series.to_numpy(dtype=object)).astype(bool)
        _store(columns, name, values.astype(np.int64), present)
        return present, np.zeros(len(series), dtype=bool)
    codes, uniques = _distinct(series, missing)
    if uniques is None:
        return present, present
    good = np.zeros(len(uniques) + 1, dtype=bool)  # the last one: missing (code -1)
    stored = np.zeros(len(uniques) + 1, dtype=np.int64)
    objects = np.full(len(uniques) + 1, None, dtype=object)
    if name in CODED and strips(kind) and all(type(u) is str for u in uniques):
        for number, text in enumerate(stripped(uniques, kind)):  # codes, persons
            if text is not None:
                good[number] = True
                stored[number] = columns.code(text)
        uniques = []
    for number, value in enumerate(uniques):
        converted = SPECS[name].kind.convert(cell(value, name in INTEGRAL))
        if converted is None or kind.check(converted):
            continue
        good[number] = True
        if name == "id":
            objects[number] = converted
        else:
            stored[number] = _number(columns, name, converted)
    ok = good[codes]
    if name == "id":
        columns.ids[ok] = objects[codes][ok]
    else:
        _store(columns, name, stored[codes], ok)
    return present, present & ~ok


def _number(columns: ClaimColumns, name: str, value: Any) -> int:
    """A checked field value as the number its column keeps."""
    if name in CODED:
        return columns.code(value)
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Decimal):
        return cents(value)
    return int(value)


def _store(columns: ClaimColumns, name: str, values: Array, rows: Array) -> None:
    if name in CODED:
        columns.codes[name][rows] = values[rows]
    elif name in TRI:
        columns.answers[name][rows] = values[rows]
    else:
        columns.values[name][rows] = values[rows]


def _only_booleans(series: Any) -> bool:
    """Whether an object column's present cells are all ``bool`` (or numpy's)."""
    import pandas as pd

    return bool(pd.api.types.infer_dtype(series, skipna=True) == "boolean")


def _distinct(series: Any, missing: Array) -> tuple[Array, Any]:
    """Each row's number among the column's distinct present values, and those values
    (None when they cannot be told apart safely: every present row then goes by dict)."""
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(dtype=np.int64), list(series.cat.categories)
    if series.dtype.kind == "O" and pd.api.types.infer_dtype(
            series, skipna=True) not in SAFE_OBJECTS:
        return np.zeros(0, dtype=np.int64), None
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable cells
        return np.zeros(0, dtype=np.int64), None
    codes = np.where(missing, -1, codes)
    return codes.astype(np.int64), list(uniques)


def _money(series: Any, missing: Array, kind: DecimalKind) -> tuple[Array, Array]:
    """Amounts in euros as cents: integers, or floats with at most two decimals."""
    if series.dtype.kind == "f":
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            inside = ~missing & np.isfinite(x) & (x >= float(kind.minimum)) & (
                x <= float(kind.maximum))
            scaled = np.rint(np.where(inside, x, 0.0) * 100)
            good = inside & (scaled / 100 == x)
        return good, scaled.astype(np.int64)
    x = series.to_numpy(dtype=np.float64 if series.dtype.kind == "u" else np.int64,
                        na_value=0)
    good = ~missing & (x >= int(kind.minimum)) & (x <= int(kind.maximum))
    return good, np.where(good, x, 0).astype(np.int64) * 100


def _integers(series: Any, missing: Array, kind: IntKind) -> tuple[Array, Array]:
    """Whole numbers within the kind's bounds (whole floats included)."""
    if series.dtype.kind in "iu":
        x = series.to_numpy(dtype=np.float64 if series.dtype.kind == "u" else np.int64,
                            na_value=0)
        good = ~missing & (x >= kind.minimum) & (x <= kind.maximum)
    else:
        x = series.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            good = ~missing & (x >= kind.minimum) & (x <= kind.maximum) & (np.floor(x) == x)
    return good, np.where(good, x, 0).astype(np.int64)


def _dates(series: Any, missing: Array) -> tuple[Array, Array]:
    """Timestamps at midnight as day ordinals (a time-zone-aware one in its own zone)."""
    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    values = series.to_numpy()
    days = values.astype("datetime64[D]")
    good = ~missing & (days.astype(values.dtype) == values)
    ordinals = days.astype(np.int64) + _ORDINAL_1970
    good &= (ordinals >= 1) & (ordinals <= MAX_ORDINAL)
    return good, np.where(good, ordinals, 0)
