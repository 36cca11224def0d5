"""Scenarios: covers, overrides and dates compared on the same claims, exactly."""

from datetime import date
from decimal import Decimal

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import claims, covers


matplotlib.use("Agg", force=False)  # the tests draw off screen; the library never chooses

YEAR = [{"care": care, "date": f"2025-{m:02d}-1{m % 9}", "billed": billed, "age": 22,
         "person": person, "referent_doctor_declared": True, "medicine_class": cls}
        for m in range(1, 13) for person in ("ana", "ben")
        for care, billed, cls in (("gp_consultation", "30", None),
                                  ("medicine", "12.40", "major"),
                                  ("specialist_consultation", "60", None))]
for claim in YEAR:
    if claim["medicine_class"] is None:
        del claim["medicine_class"]


@settings(max_examples=25, deadline=None)
@given(st.lists(claims(), max_size=10), st.dictionaries(
    st.sampled_from(["a", "b", "c"]), st.none() | covers(), min_size=1, max_size=3))
def test_each_scenario_equals_pricing_alone(batch, scenarios):
    comparison = ssreg.compare(batch, scenarios, errors="collect")
    assert comparison.names == list(scenarios)
    for name, cover in scenarios.items():
        alone = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
        assert list(comparison.results[name]) == alone
        totals = comparison.totals()[name]
        assert totals["amo"] + totals["top_up"] + totals["patient"] == totals["billed"]
    first = comparison.rows()[0]
    assert first["patient_change"] == Decimal("0.00")


def test_covers_rows_by_care_and_differences():
    c = ssreg.compare(YEAR, {"none": None, "basic": ssreg.Cover(levels={"default": 100}),
                             "200 %": ssreg.Cover(levels={"default": 200})})
    rows = c.rows(by="care")
    assert {r["scenario"] for r in rows} == {"none", "basic", "200 %"}
    rich = {r["care"]: r for r in rows if r["scenario"] == "200 %"}
    # the specialist's 60 EUR: 100 % of the base leaves the overcharge, 200 % covers it
    assert rich["specialist_consultation"]["patient_change"] < 0
    assert all(r["patient_change"] == 0 for r in rows if r["scenario"] == "none")
    text = str(c)
    assert text.splitlines()[0].split()[:2] == ["scenario", "claims"]
    assert "200 %" in c._repr_html_()
    frame = c.to_frame(by=["person", "care"], money="cents")
    assert frame["patient"].dtype == "Int64" and len(frame) == 3 * 2 * 3


def test_the_same_claims_a_year_later():
    c = ssreg.compare(YEAR, {"2025": {}, "2026": {"years": 1}})
    moved = [dict(claim, date=claim["date"].replace("2025", "2026")) for claim in YEAR]
    later = list(ssreg.price_claims(moved))
    assert [r.amo for r in c.results["2026"]] == [r.amo for r in later]
    assert c.results["2026"][0].date == date(2026, 1, 11)


def test_an_override_scenario():
    c = ssreg.compare(YEAR, {"rules": {}, "4 EUR fixed charge": {"overrides": {
        "participation_forfaitaire": "4"}}})
    totals = c.totals()
    assert totals["4 EUR fixed charge"]["amo"] < totals["rules"]["amo"]


def test_bad_scenarios_are_refused():
    with pytest.raises(ssreg.InvalidInputError, match="scenarios"):
        ssreg.compare(YEAR, {})
    with pytest.raises(ssreg.InvalidInputError, match="years"):
        ssreg.compare(YEAR, {"x": {"years": "one"}})
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[1\]"):
        ssreg.compare([YEAR[0], {"care": "massage"}], {"x": None})


def test_plots_return_their_axes():
    results = list(ssreg.price_claims(YEAR, cover=ssreg.Cover(levels={"default": 100})))
    ax = ssreg.year_of_care(results)
    assert len(ax.get_xticklabels()) == 12
    assert len(ax.patches) == 3 * 12  # AMO, top-up, patient per month
    c = ssreg.compare(YEAR, {"none": None, "basic": ssreg.Cover(levels={"default": 100})})
    assert len(c.plot().patches) == 3 * 2
    assert len(ssreg.summarize(results, by="person").plot().patches) == 3 * 2
    import matplotlib.pyplot as plt

    plt.close("all")
