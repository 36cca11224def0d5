"""Every claim field in every dtype a notebook user naturally gets, present and missing.

Each cell of the table (field x dtype) is a two-row frame: row 0 holds the value in that
dtype, row 1 the dtype's missing value (``NaN``, ``None``, ``pd.NA``, ``NaT``) where the
dtype has one.  The frame is priced by columns and claim by claim, and must equal the
same claims given as dicts, as docs/scale.md documents the reading: a missing cell is
left out (not given: the field's default, named among the assumptions where it matters;
the frames' assumptions columns are compared too), a whole float is an integer where an integer is
expected, a timestamp at midnight is its date (in its own time zone), categories and
strings are their values.
"""

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

import ssreg


BASE = {"care": "gp_consultation", "date": "2025-03-10", "billed": "30.00", "age": 22,
        "referent_doctor_declared": True}
# field: (the value as a dict holds it, other fields the value needs)
VALUES = {
    "care": ("dental", {}),
    "date": ("2025-03-11", {}),
    "billed": ("12.40", {}),
    "age": (17, {}),
    "birth_date": ("2003-01-05", {"age": None}),
    "person": ("ana", {}),
    "id": ("claim-1", {}),
    "base": ("20.00", {}),
    "provider": ("dr-a", {}),
    "sector": ("sector_2", {}),
    "specialty": ("gynaecology", {"care": "specialist_consultation"}),
    "medicine_class": ("moderate", {"care": "medicine", "billed": "12.40"}),
    "boxes": (3, {"care": "medicine", "medicine_class": "major", "billed": "12.40"}),
    "referent_doctor_declared": (False, {}),
    "referent_doctor_seen": (False, {}),
    "referred": (True, {"care": "specialist_consultation"}),
    "emergency": (True, {}),
    "away_from_home": (True, {}),
    "ald": (True, {}),
    "css": (True, {}),
    "pregnancy_window": (True, {}),
    "contraception": (True, {"age": 19}),
    "prescribed_by_sector_3": (True, {"care": "lab_biology"}),
    "hospital_days": (3, {"care": "hospital_stay", "billed": "900.00"}),
    "psychiatry": (True, {"care": "hospital_stay", "billed": "900.00",
                          "hospital_days": 2}),
    "optics_item": ("frame", {"care": "optics", "billed": "180.00"}),
    "pregnancy_start": ("2024-09-01", {}),
    "delivery_date": ("2025-03-15", {}),
    "emergency_contraception": (True, {"care": "medicine", "medicine_class": "major",
                                       "billed": "12.40"}),
    "costly_act_in_stay": (True, {"care": "hospital_stay", "billed": "900.00",
                                  "hospital_days": 2}),
}
TEXT = ("object", "str", "string", "category")
DATES = ("datetime64[ns]", "datetime64[us]", "datetime64[s]", "tz Europe/Paris", "tz UTC",
         "object date", "object text", "str")
MONEY = ("float64", "Float64", "Int64", "int64", "object text", "object Decimal", "str")
INTEGER = ("int64", "int32", "Int64", "float64", "Float64", "object")
BOOL = ("bool", "boolean", "object")
DTYPES = {**dict.fromkeys(("care", "person", "id", "provider", "sector", "specialty",
                           "medicine_class", "optics_item"), TEXT),
          **dict.fromkeys(("date", "birth_date", "pregnancy_start", "delivery_date"), DATES),
          **dict.fromkeys(("billed", "base"), MONEY),
          **dict.fromkeys(("age", "boxes", "hospital_days"), INTEGER)}
CELLS = [(field, dtype) for field in VALUES
         for dtype in DTYPES.get(field, BOOL)
         if not (field in ("billed", "base") and dtype in ("Int64", "int64"))
         or Decimal(VALUES[field][0]) == int(Decimal(VALUES[field][0]))]
CELLS += [("billed", "Int64"), ("billed", "int64")]  # whole euros, below


def column(field: str, value, dtype: str, missing: bool) -> pd.Series:
    """[value, missing] (or [value, value] when ``missing`` is False) in ``dtype``."""
    if field in ("billed", "base") and dtype in ("Int64", "int64"):
        value = "40.00"
    values = [value, None] if missing else [value, value]
    if dtype in TEXT:
        return pd.Series(values, dtype=dtype if dtype != "object" else object)
    if dtype in DATES:
        if dtype == "object text":
            return pd.Series(values, dtype=object)
        if dtype == "str":
            return pd.Series(values, dtype="str")
        if dtype == "object date":
            return pd.Series([None if v is None else date.fromisoformat(v) for v in values],
                             dtype=object)
        stamps = pd.to_datetime(pd.Series(values, dtype=object))
        if dtype.startswith("tz"):
            return stamps.dt.tz_localize(dtype.split()[1])
        return stamps.astype(dtype)
    if field in ("billed", "base"):
        number = [None if v is None else Decimal(v) for v in values]
        if dtype in ("float64", "Float64"):
            return pd.Series([None if v is None else float(v) for v in number], dtype=dtype)
        if dtype in ("Int64", "int64"):
            return pd.Series([None if v is None else int(v) for v in number], dtype=dtype)
        if dtype == "object Decimal":
            return pd.Series(number, dtype=object)
        return pd.Series(values, dtype=object if dtype == "object text" else dtype)
    if dtype in ("float64", "Float64"):
        return pd.Series([None if v is None else float(v) for v in values], dtype=dtype)
    return pd.Series(values, dtype=object if dtype == "object" else dtype)


def dicts(field: str, dtype: str, missing: bool) -> list[dict]:
    value, needs = VALUES[field]
    if field in ("billed", "base") and dtype in ("Int64", "int64"):
        value = "40.00"
    rows = []
    for row, given in enumerate((True, not missing)):
        item = {**BASE, **needs, "person": f"p{row}"}
        item = {k: v for k, v in item.items() if v is not None}
        if given:
            item[field] = value
        elif field in item and field != "person":
            del item[field]
        elif field == "person":
            del item["person"]
        rows.append(item)
    return rows


@pytest.mark.parametrize(("field", "dtype"), CELLS)
def test_each_field_in_each_dtype_reads_as_the_same_dict(field, dtype):
    can_miss = dtype not in ("int64", "int32", "bool")
    for missing in (False, True) if can_miss else (False,):
        items = dicts(field, dtype, missing)
        names = sorted({name for item in items for name in item} - {field})
        frame = pd.DataFrame({name: pd.Series([item.get(name) for item in items],
                                              dtype=object) for name in names})
        frame[field] = column(field, VALUES[field][0], dtype, missing)
        expected = ssreg.to_frame(ssreg.price_claims(items, errors="collect"),
                                  money="decimal")
        for columnar in (True, False):
            got = ssreg.price_frame(frame, money="decimal", errors="collect",
                                    columnar=columnar)
            pd.testing.assert_frame_equal(got, expected, obj=f"{field} as {dtype}, "
                                          f"{'missing' if missing else 'present'}, "
                                          f"columnar={columnar}")


def _one(field, series, **base):
    frame = pd.DataFrame({**{k: [v] for k, v in {**BASE, **base}.items()}, field: series})
    return (ssreg.price_frame(frame, errors="collect", money="cents"),
            ssreg.price_frame(frame, errors="collect", money="cents", columnar=False))


@pytest.mark.parametrize(("field", "series", "message"), [
    ("boxes", pd.Series([2.5]), "expected an integer, got 2.5"),
    ("age", pd.Series([22.5]), "expected an integer, got 22.5"),
    ("billed", pd.Series([10.005]), "at most 2 decimals"),
    ("date", pd.Series(pd.to_datetime(["2025-03-10 14:30"])), "got a datetime"),
    ("emergency", pd.Series([1]), "expected true or false"),
    ("person", pd.Series([7]), "expected a text"),
])
def test_what_cannot_be_read_exactly_is_refused_the_same_way(field, series, message):
    base = {"care": "medicine", "medicine_class": "major"} if field == "boxes" else {}
    got, expected = _one(field, series, **base)
    pd.testing.assert_frame_equal(got, expected)
    assert not got.loc[0, "ok"] and message in got.loc[0, "problems"]


def test_the_cells_that_used_to_be_refused_are_read_as_documented():
    """The 8 (field, dtype) cells a user met: float ages, boxes and hospital days (a
    column with a gap is float64), NA in Int64 base, boxes and hospital days, NA in
    boolean pathway answers."""
    frame = pd.DataFrame({
        "care": ["medicine", "hospital_stay", "gp_consultation", "specialist_consultation"],
        "medicine_class": ["major", None, None, None],
        "date": pd.to_datetime(["2025-03-10"] * 4), "billed": [12.4, 900.0, 30.0, 50.0],
        "age": [22.0, 22.0, 22.0, None], "birth_date": pd.to_datetime(
            [None, None, None, "2003-01-05"]),
        "boxes": pd.array([2, None, None, None], dtype="Int64"),
        "hospital_days": [None, 3.0, None, None],
        "base": pd.array([None, None, 25, None], dtype="Int64"),
        "referent_doctor_declared": pd.array([None, None, True, True], dtype="boolean"),
        "referred": pd.array([None, None, None, pd.NA], dtype="boolean"),
        "person": ["a", "b", "c", "d"]})
    got = ssreg.price_frame(frame, money="decimal")
    assert got["ok"].all()
    assert got["deduction"].tolist()[0] == Decimal("2.00")  # two boxes
    assert got["flat_charge"].tolist()[1] == Decimal("60.00")  # three days at 20 EUR
    assert got["base"].tolist()[2] == Decimal("25.00")
    pd.testing.assert_frame_equal(got, ssreg.price_frame(frame, money="decimal",
                                                         columnar=False))


TRICKY = ["", " ", "a", " a ", "\x1c a\u3000", "\u200b", "x" * 64, " " + "x" * 64,
          "x" * 65, "y" * 200, " " + "y" * 200 + " ", "z" * 201, "\ud800", "é\u0301",
          "\t" * 300 + "w"]


def test_texts_read_at_once_are_read_as_their_kind_reads_them():
    """The one-pass reading of codes and free texts mirrors the kinds' own conversion
    and check (a change to either shows here)."""
    import sys

    from ssreg.model.fields import specs
    from ssreg.notebook.texts import WHITESPACE, stripped

    assert "".join(c for c in map(chr, range(sys.maxunicode + 1))
                                 if c.isspace()) == WHITESPACE
    for name, spec in specs(ssreg.Claim):
        kind = getattr(spec.kind, "inner", spec.kind)
        if name not in ("care", "person", "sector", "specialty", "medicine_class",
                        "provider", "id"):
            continue
        expected = [None if kind.check(spec.kind.convert(t)) else spec.kind.convert(t)
                    for t in TRICKY]
        assert stripped(TRICKY, kind) == expected, name


@pytest.mark.parametrize("dtype", ["object", "str", "string"])
def test_ids_with_spaces_and_long_ids_read_as_dicts(dtype):
    ids = [" a ", "\u3000b", "x" * 200, "y" * 201, "\x1c" * 401 + "z", None, "c"]
    frame = pd.DataFrame({**{k: [v] * len(ids) for k, v in BASE.items()},
                          "person": [f"p{i}" for i in range(len(ids))],
                          "id": pd.Series(ids, dtype=object if dtype == "object" else dtype)})
    frame["billed"] = frame["billed"].astype(object)
    items = [{**BASE, "person": f"p{i}", **({"id": v} if v is not None else {})}
             for i, v in enumerate(ids)]
    expected = ssreg.to_frame(ssreg.price_claims(items, errors="collect"), money="cents")
    got = ssreg.price_frame(frame, money="cents", errors="collect")
    pd.testing.assert_frame_equal(got, expected)


def test_the_columns_hold_every_field_of_a_claim():
    """A field added to Claim must be added to the columns (and read from frames)."""
    from ssreg.model.fields import specs
    from ssreg.pricing.columns import FIELDS

    assert sorted(FIELDS) == sorted(name for name, _ in specs(ssreg.Claim))
    assert set(VALUES) == {name for name, _ in specs(ssreg.Claim)}
