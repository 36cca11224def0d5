"""DataFrames: numeric dtypes, one row per input, exact money on request, frames priced."""

from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import claims, covers


GP = {"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
      "referent_doctor_declared": True}


def test_dtypes_are_numbers_dates_and_categories():
    frame = ssreg.to_frame(ssreg.price_claims([GP, dict(GP, date="2025-04-02")]))
    assert str(frame["date"].dtype) == "datetime64[s]"
    assert frame["amo"].dtype == "float64"
    assert str(frame["care"].dtype) == "category"
    assert frame.select_dtypes("number").columns.tolist()[:3] == ["position", "billed", "base"]
    assert frame.groupby(frame["date"].dt.month)["amo"].sum().tolist() == [19.0, 19.0]


@settings(max_examples=30)
@given(st.lists(claims(), max_size=12), st.none() | covers())
def test_exact_modes_keep_every_cent(batch, cover):
    results = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
    cents = ssreg.to_frame(results, money="cents")
    exact = ssreg.to_frame(results, money="decimal")
    assert len(cents) == len(exact) == len(batch)  # one row per input, in order
    assert cents["position"].tolist() == list(range(len(batch)))
    priced = [r for r in results if r.ok]
    for name in ("amo", "top_up", "patient"):
        total = sum((getattr(r, name) for r in priced), Decimal("0.00"))
        assert int(cents[name].sum()) == int(total * 100)
        assert sum((v for v in exact[name] if v is not None), Decimal("0.00")) == total
    assert cents["ok"].tolist() == [r.ok for r in results]


def test_refused_claims_keep_their_row_with_the_problem():
    frame = ssreg.to_frame(ssreg.price_claims(
        [GP, {"care": "massage", "date": "2025-03-10", "billed": "1", "age": 20}],
        errors="collect"))
    assert frame["ok"].tolist() == [True, False]
    assert "claims[1].care" in frame.loc[1, "problems"]
    assert pd.isna(frame.loc[1, "amo"])


def test_price_frame_keeps_the_index_and_reads_floats_by_their_repr():
    claims_frame = pd.DataFrame({
        "care": ["paramedical", "gp_consultation"],
        "date": pd.to_datetime(["2025-03-10", "2025-03-11"]),
        "billed": [16.13, 30.0], "age": [22, 22],
        "referent_doctor_declared": [None, True]}, index=["a", "b"])
    priced = ssreg.price_frame(claims_frame, money="decimal")
    assert priced.index.tolist() == ["a", "b"]
    assert priced.loc["a", "billed"] == Decimal("16.13")
    one = ssreg.price_claim({"care": "paramedical", "date": "2025-03-10", "billed": "16.13",
                             "age": 22})
    assert priced.loc["a", "amo"] == one.amo


def test_price_frame_refuses_what_it_cannot_read_exactly():
    frame = pd.DataFrame({"care": ["dental"], "date": ["2025-03-10"], "billed": [10.005],
                          "age": [20], "colour": ["red"]})
    with pytest.raises(ssreg.InvalidClaimError) as info:
        ssreg.price_frame(frame)
    paths = {p.path for p in info.value.problems}
    assert {"claims[0].billed", "claims[0].colour"} <= paths


def test_unknown_money_mode_is_refused():
    with pytest.raises(ssreg.InvalidInputError, match="money"):
        ssreg.to_frame([], money="euros")


def test_summary_frame_and_text():
    summary = ssreg.summarize(ssreg.price_claims([GP, dict(GP, care="specialist_consultation",
                                                          billed="50")]), by=["year", "care"])
    frame = summary.to_frame(money="cents")
    assert frame.columns.tolist() == ["year", "care", "claims", "billed", "amo", "top_up",
                                      "patient", "assumed", "warned"]
    assert int(frame["billed"].sum()) == 8000
    text = str(summary)
    assert text.splitlines()[0].split() == ["year", "care", "claims", "billed", "amo",
                                            "top_up", "patient", "assumed", "warned"]
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split()[:3] == ["total", "2", "80.00"]


def test_caveats_travel_with_frames_summaries_and_comparisons():
    """A price resting on a default, or dated after the rulebook's horizon, says so in the
    claim frame, the summary (text, HTML, frame) and the comparison."""
    horizon = ssreg.default_rulebook().meta.horizon
    late = dict(GP, date=str(horizon.replace(year=horizon.year + 1)))
    dental = {"care": "dental", "date": "2025-03-10", "billed": "500", "age": 22}
    results = list(ssreg.price_claims([dental, late]))
    frame = ssreg.to_frame(results)
    assert "base_from_bill" in frame.loc[0, "assumptions"].split(",")
    assert frame.loc[1, "warnings"] == "after_rulebook_horizon"
    assert frame.loc[0, "warnings"] == ""
    summary = ssreg.summarize(results, by="care")
    assert dict(summary.warnings) == {"after_rulebook_horizon": 1}
    assert dict(summary.assumptions)["base_from_bill"] == 1
    assert summary.to_frame()["warned"].tolist() == [0, 1]
    for lang, word in (("en", "amount billed"), ("fr", "montant facturé"),
                       ("es", "importe facturado")):
        assert any(word in line for line in summary.caveats(lang)), lang
    assert "newest source" in str(summary) and "newest source" in summary._repr_html_()
    comparison = ssreg.compare([dental, late], {"none": None,
                                                "100 %": ssreg.Cover(levels={"default": 100})})
    assert {r["warned"] for r in comparison.rows()} == {1}
    assert any("newest source" in line for line in comparison.caveats())
    assert "montant facturé" in "\n".join(comparison.caveats("fr"))
    assert "amount billed" in str(comparison)


def test_summarize_refuses_an_unknown_group():
    with pytest.raises(ssreg.InvalidInputError, match="weekday"):
        ssreg.summarize([], by="weekday")


def test_import_ssreg_does_not_import_pandas():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, ssreg; ssreg.evaluate; "
                          "print(sorted(m for m in ('pandas', 'matplotlib', 'dask', 'babel') "
                          "if m in sys.modules))"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_cells_of_every_kind_are_left_out():
    frame = pd.DataFrame({"care": pd.array(["medicine", "dental"], dtype="string"),
                          "medicine_class": pd.array(["major", pd.NA], dtype="string"),
                          "date": pd.to_datetime(["2025-03-10", "2025-03-11"]),
                          "billed": ["10", "20"], "age": pd.array([22, 22], dtype="Int64"),
                          "provider": [None, float("nan")]})
    priced = ssreg.price_frame(frame, money="decimal")
    assert priced["ok"].tolist() == [True, True]
    assert priced.loc[1, "care"] == "dental"


EDGE_DAYS = st.sampled_from(["2025-03-10", "2262-04-11", "2262-04-12", "2263-01-01",
                             "9999-12-31", "0001-01-01"]) | st.dates().map(str)
EDGE_TEXTS = st.sampled_from(["dr-a", "x" * 201, "x" * 1_000_000, "\udc80", "a\x00b",
                              "٣٠", ""])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fixed_dictionaries({"date": EDGE_DAYS, "provider": EDGE_TEXTS,
                                       "id": EDGE_TEXTS, "person": st.sampled_from(
                                           ["ana", "ben", "x" * 65, "\ud800"])}),
                min_size=1, max_size=6), st.sampled_from(["float", "cents", "decimal"]))
def test_the_frame_path_equals_the_dict_path_at_the_edges(edges, money):
    """Every year, any text: the frame path answers as the dict path, row for row, fast.

    Guards the frame path against what escaped it before (a date after 2262 overflowing
    nanoseconds, a 1 MB text not bounded) and any columnar pricer that replaces it.
    """
    import time

    batch = [{**GP, **edge} for edge in edges]
    expected = ssreg.to_frame(ssreg.price_claims(batch, errors="collect"), money=money)
    started = time.perf_counter()
    got = ssreg.price_frame(pd.DataFrame(batch, dtype=object), money=money, errors="collect")
    assert time.perf_counter() - started < 20  # a 1 MB text is refused, not worked through
    assert len(got) == len(batch)
    for column in ("ok", "date", "person", "amo", "patient", "problems"):
        left = got[column].astype(object).where(got[column].notna(), None).tolist()
        right = expected[column].astype(object).where(expected[column].notna(), None).tolist()
        assert left == right, column


def test_claims_refused_together_each_name_their_own_date():
    """Claims of one combination of facts refused before the rules start: each refusal
    names its claim's date, as claim by claim (the columns once gave the first claim's
    date to all; found by the edges property)."""
    batch = [{**GP, "date": "2000-01-01"}, {**GP, "date": "0001-01-01"}, GP,
             {**GP, "date": "2000-01-01"}]
    got = ssreg.price_frame(pd.DataFrame(batch, dtype=object), errors="collect")
    expected = ssreg.to_frame(ssreg.price_claims(batch, errors="collect"))
    problems = got["problems"].astype(object).where(got["problems"].notna(), None).tolist()
    assert "on 2000-01-01" in problems[0] and "on 0001-01-01" in problems[1]
    assert problems[2] is None and problems == expected["problems"].astype(object).where(
        expected["problems"].notna(), None).tolist()


def test_a_signaling_nan_in_a_frame_is_refused_in_its_place():
    """pandas cannot tell whether Decimal('sNaN') is missing (it raises): the cell is
    there, and refused as the dict path refuses it (issue 25)."""
    from decimal import Decimal

    batch = [{**GP, "billed": Decimal("-sNaN")}, GP, {**GP, "person": Decimal("sNaN")}]
    got = ssreg.price_frame(pd.DataFrame(batch, dtype=object), errors="collect")
    expected = ssreg.to_frame(ssreg.price_claims(batch, errors="collect"))
    assert got["ok"].tolist() == [False, True, False]
    assert got["problems"].tolist()[::2] == expected["problems"].tolist()[::2]
