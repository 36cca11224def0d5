"""The columnar pricer equals the claim-by-claim pricer on every row.

Frames are generated from valid and invalid claims, each column in a dtype a notebook
user would get (strings as object, ``str``, ``string`` or categories; amounts as floats,
strings or nullable integers; dates as naive, time-zone-aware or ISO strings...), and
priced both ways: the whole frames must be equal (amounts, kinds, assumptions,
warnings, refused rows with their problems), in every money mode.  Caps are reached
(many claims per person and day), and the cases the columnar pricer leaves to the
claim-by-claim one (a cap changing within a year, a level too long to stay exact in
64 bits) are priced that way, counted and equal.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.model.structure import unstructure
from ssreg.pricing.batch import make_pricer
from ssreg.pricing.columnar import check_columns, price_columns
from ssreg.pricing.columns import ClaimColumns, years_between
from ssreg.rulebook.facts import age_on
from ssreg.testing import claims, covers


DAYS = [date(2024, 1, 3), date(2024, 5, 20), date(2024, 5, 20), date(2025, 2, 1),
        date(2025, 2, 1), date(2025, 12, 31), date(2026, 1, 2)]
TEXTS = ("object", "str", "string", "category")
AMOUNTS = ("float64", "object-str", "object-decimal", "Float64", "Int64-if-whole")
INTEGERS = ("float64", "Int64", "object", "int64-if-full")
BOOLS = ("object", "boolean", "bool-if-full")
DATES = ("datetime64[ns]", "datetime64[us]", "tz", "object-date", "str")


def _crowded(claim: ssreg.Claim, day: date) -> ssreg.Claim:
    """The claim moved to one of a few days (so caps are reached), its age kept valid."""
    if claim.birth_date is not None and claim.birth_date > day:
        return claim
    return attrs.evolve(claim, date=day)


def batches(max_size: int = 30) -> st.SearchStrategy[list[ssreg.Claim]]:
    crowded = st.tuples(claims(persons=("a", "b")), st.sampled_from(DAYS)).map(
        lambda pair: _crowded(*pair))
    return st.lists(st.one_of(crowded, claims()), max_size=max_size)


def _column(values: list, how: str, draw_nothing: bool = False):
    """One column of ``values`` (None: missing) in the dtype named ``how``."""
    missing = [v is None for v in values]
    if how in TEXTS:
        if how == "object":
            return pd.Series(values, dtype=object)
        return pd.Series(values, dtype="category" if how == "category" else how)
    if how == "float64":
        return pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    if how == "Float64":
        return pd.Series([None if v is None else float(v) for v in values], dtype="Float64")
    if how == "object-str":
        return pd.Series([None if v is None else str(v) for v in values], dtype=object)
    if how == "object-decimal":
        return pd.Series([None if v is None else Decimal(v) for v in values], dtype=object)
    if how == "Int64-if-whole":
        if all(v is None or Decimal(v) == int(Decimal(v)) for v in values):
            return pd.Series([None if v is None else int(Decimal(v)) for v in values],
                             dtype="Int64")
        return pd.Series([None if v is None else str(v) for v in values], dtype=object)
    if how == "Int64":
        return pd.Series(values, dtype="Int64")
    if how in ("int64-if-full", "bool-if-full"):
        if any(missing):
            return pd.Series(values, dtype=object)
        return pd.Series(values, dtype="int64" if how == "int64-if-full" else "bool")
    if how == "boolean":
        return pd.Series(values, dtype="boolean")
    if how == "object" or how == "object-date":
        return pd.Series([None if v is None else date.fromisoformat(v) if how == "object-date"
                          else v for v in values], dtype=object)
    if how == "str":
        return pd.Series(values, dtype=object)
    stamps = pd.to_datetime(pd.Series(values, dtype=object))
    if how == "tz":
        return stamps.dt.tz_localize("Europe/Paris")
    return stamps.astype(how)


KINDS = {"care": TEXTS, "person": TEXTS, "sector": TEXTS, "specialty": TEXTS,
         "medicine_class": TEXTS, "provider": TEXTS, "id": ("object", "str", "string"),
         "billed": AMOUNTS, "base": AMOUNTS, "age": INTEGERS, "boxes": INTEGERS,
         "hospital_days": INTEGERS, "date": DATES, "birth_date": DATES,
         "pregnancy_start": DATES, "delivery_date": DATES, "optics_item": TEXTS}


@st.composite
def frames(draw, max_size: int = 30):
    """A DataFrame of claims as a notebook user builds it, and the claims as dicts."""
    batch = draw(batches(max_size))
    items = [unstructure(c) for c in batch]
    if items and draw(st.booleans()):  # some rows a user got wrong
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(items) - 1))
            field, bad = draw(st.sampled_from([
                ("care", "massage"), ("billed", "12.345"), ("age", "22.5"),
                ("medicine_class", "rare"), ("sector", None), ("billed", None),
                ("boxes", "-1"), ("date", None), ("colour", "red")]))
            items[i] = {**items[i], field: bad}
    names = sorted({k for item in items for k in item})
    data = {}
    for name in names:
        values = [item.get(name) for item in items]
        if name in ("billed", "base") and any(v is not None and not _number(v)
                                              for v in values):
            how = "object-str"
        elif name in ("age", "boxes", "hospital_days"):
            how = draw(st.sampled_from(INTEGERS))
            if any(v is not None and not _whole(v) for v in values):
                how = "object"
            values = [None if v is None else int(v) if _whole(v) else v for v in values]
        elif name in KINDS:
            how = draw(st.sampled_from(KINDS[name]))
            if name in ("date", "birth_date", "pregnancy_start", "delivery_date") and any(
                    v is None for v in values) and how == "str":
                how = "object-date"
        elif name == "colour":
            how = "object"
        else:
            how = draw(st.sampled_from(BOOLS))
        data[name] = _column(values, how)
    return pd.DataFrame(data, index=pd.RangeIndex(len(items)) * 3), items


def _number(text) -> bool:
    try:
        Decimal(text)
    except Exception:
        return False
    return True


def _whole(value) -> bool:
    return isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())


def _same_frames(frame, money="cents", **options):
    expected = ssreg.price_frame(frame, money=money, columnar=False, **options)
    got = ssreg.price_frame(frame, money=money, **options)
    pd.testing.assert_frame_equal(got, expected)
    return got


@given(frames(), st.none() | covers() | st.dictionaries(st.sampled_from(["a", "b", "c"]),
                                                        covers(), max_size=2),
       st.sampled_from(["cents", "float", "decimal"]), st.booleans())
def test_a_frame_priced_by_columns_equals_it_priced_claim_by_claim(pair, cover, money,
                                                                    presorted):
    frame, _ = pair
    _same_frames(frame, money=money, cover=cover, errors="collect", presorted=presorted)


@settings(max_examples=30)
@given(frames(), st.booleans())
def test_the_refused_claim_raised_is_the_same(raised_both_ways, pair, presorted):
    frame, _ = pair
    by_claim, by_columns = raised_both_ways(frame, presorted=presorted)
    assert by_claim == by_columns


@given(batches(40), st.none() | covers())
def test_claim_objects_priced_by_columns_equal_the_batch(batch, cover):
    expected = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
    pricer = make_pricer(None, "compiled", None, cover)
    columns = ClaimColumns.from_claims(batch)
    check_columns(pricer, columns)
    priced = price_columns(pricer, columns)
    assert list(priced) == expected
    # claim by claim only the persons' years with pregnancy dates (stays are in columns)
    special = {(c.person, c.date.year) for c in batch
               if c.pregnancy_start is not None or c.delivery_date is not None}
    assert priced.fallback <= sum((c.person, c.date.year) in special for c in batch)
    if not special:
        assert priced.fallback == 0


def test_caps_are_reached_and_kept_on_a_crowded_year():
    """Medicine boxes, consultations and paramedical acts every third day for two persons: the daily
    caps and the yearly caps both bind, in date order with ties in input order."""
    rows = []
    for day in pd.date_range("2025-01-01", periods=60, freq="3D"):
        for person in ("ana", "ben"):
            rows += [{"care": "medicine", "medicine_class": "major", "billed": 12.4,
                      "boxes": 3.0, "date": day, "person": person, "age": 22},
                     {"care": "gp_consultation", "billed": 30.0, "date": day,
                      "person": person, "age": 22, "provider": "dr-a",
                      "referent_doctor_declared": True},
                     {"care": "paramedical", "billed": 16.13, "boxes": 4.0, "date": day,
                      "person": person, "age": 22},
                     {"care": "specialist_consultation", "billed": 50.0, "date": day,
                      "person": person, "age": 22, "provider": "dr-b"}]
    frame = pd.DataFrame(rows).sample(frac=1, random_state=3).reset_index(drop=True)
    got = _same_frames(frame, cover=ssreg.Cover(levels={"default": 100}))
    per_year = got.groupby(["person", got["date"].dt.year], observed=True)
    totals = per_year.apply(lambda g: g.groupby("deduction_kind", observed=True)[
        "deduction"].sum(), include_groups=False)
    assert (totals["participation_forfaitaire"] == 5000).all()  # 50 EUR a year
    assert int(got["deduction"].sum()) == 2 * 10000  # both yearly caps, both persons


def _overlay(tmp_path: Path) -> ssreg.Rulebook:
    """The built-in rules with the franchise's yearly cap changed in mid-2025."""
    text = """
[parameters."franchise_yearly_cap"]
type = "decimal"
unit = "EUR"
label = { en = "franchise cap per calendar year", fr = "plafond annuel de la franchise", es = "tope anual de la franquicia" }

[[parameters."franchise_yearly_cap".values]]
start = 2018-09-01
value = 50
citations = ["F1", "F2", "F5"]

[[parameters."franchise_yearly_cap".values]]
start = 2025-07-01
value = 20
citations = ["F1"]
note = "A test value: a cap that changes within a year."
"""
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    try:
        return ssreg.load_rulebook(path, base=ssreg.default_rulebook())
    except ssreg.RulebookError as exc:  # pragma: no cover - shows the loader's words
        pytest.fail(str(exc))


def test_a_cap_changing_within_a_year_is_priced_claim_by_claim(tmp_path):
    book = _overlay(tmp_path)
    frame = pd.DataFrame({
        "care": ["medicine"] * 6 + ["gp_consultation"], "medicine_class": ["major"] * 6
        + [None], "boxes": [30] * 6 + [1], "billed": [80.0] * 6 + [30.0], "age": 22,
        "person": ["ana"] * 3 + ["ben"] * 3 + ["ana"],
        "date": pd.to_datetime(["2025-03-01", "2025-06-01", "2025-08-01"] * 2
                               + ["2026-02-01"])})
    got = _same_frames(frame, rulebook=book)
    assert got.attrs["ssreg"]["claim_by_claim"] == 6  # both persons' 2025, not 2026
    assert got["deduction"].tolist()[:3] == [3000, 2000, 0]


def test_a_level_too_long_for_64_bits_is_priced_claim_by_claim():
    long_level = Decimal("133.333333333333333333")
    frame = pd.DataFrame({"care": ["dental", "dental", "optics"], "billed": [90.0] * 3,
                          "date": ["2025-03-01"] * 3, "age": 22,
                          "person": ["ana", "ana", "ben"]})
    cover = {"ana": ssreg.Cover(levels={"default": long_level}),
             "ben": ssreg.Cover(levels={"default": 150})}
    got = _same_frames(frame, cover=cover)
    assert got.attrs["ssreg"]["claim_by_claim"] == 2  # ana's claims only
    assert got.attrs["ssreg"]["rows"] == 3


@settings(max_examples=200)
@given(st.dates(date(1900, 1, 1), date(2030, 12, 31)),
       st.dates(date(1900, 1, 1), date(2030, 12, 31)))
def test_ages_in_whole_columns_count_like_age_on(born, on):
    assume(born <= on)
    got = years_between(np.array([born.toordinal()]), np.array([on.toordinal()]))
    assert int(got[0]) == age_on(born, on)


def test_numpy_and_pandas_are_not_imported_by_import_ssreg():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, ssreg; ssreg.evaluate; "
                          "ssreg.price_claims; print(sorted(m for m in ('numpy', 'pandas', "
                          "'pyarrow') if m in sys.modules))"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_optics_caps_of_a_contrat_responsable_are_priced_in_the_columns():
    """Before 2020 the cap holds the top-up alone, from 2020 the Assurance Maladie's share
    too (R871-2): both in the columns, no claim by claim, the cap binding on big bills,
    the yearly allowance shared by the items of a person's year."""
    items = ["frame", "simple_lenses", "complex_lenses", "very_complex_lenses", None]
    rows = [{"care": "optics", "optics_item": item, "billed": billed, "base": base,
             "date": day, "age": 22, "person": person}
            for day in pd.to_datetime(["2019-06-01", "2019-06-02", "2021-06-01",
                                       "2021-06-02"])
            for item in items for person in ("ana", "ben")
            for billed, base in ((900.0, 12.0), (150.0, None), (60.0, 9.0))]
    frame = pd.DataFrame(rows)
    cover = ssreg.Cover(levels={"default": 400}, responsable=True,
                        yearly_allowance={"optics": 300})
    got = _same_frames(frame, cover=cover)
    assert got.attrs["ssreg"]["claim_by_claim"] == 0
    late = (got["date"].dt.year == 2021) & (frame["optics_item"] == "frame").to_numpy()
    assert ((got["amo"] + got["top_up"])[late & (frame["billed"] == 900).to_numpy()]
            <= 10000).all()  # the frame's 100 EUR, the Assurance Maladie's share included
    assert got["assumptions"].str.contains("optics_item_not_given").any()
