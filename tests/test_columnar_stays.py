"""Hospital stays priced by columns equal them priced claim by claim, and stay in columns.

Stays of 0 to 60 days (or days left out), with and without an explicit base (some too
small for the charges: refused), with a costly act, in psychiatry, under the ALD or the
CSS, dated across the change of the daily charge on 1 March 2026, with the daily charge
set off against the co-payment or added to it, in every rounding mode, mixed with other
care of the same persons (their running totals), under covers that pay or do not pay the
costly-act flat charge: the columnar pricer gives the same results, parameters read
included, and prices every one of them itself (none claim by claim).
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.model.structure import unstructure
from ssreg.pricing.batch import make_pricer
from ssreg.pricing.columnar import check_columns, price_columns
from ssreg.pricing.columns import ClaimColumns
from ssreg.pricing.stay_columns import _finite_decimal
from ssreg.testing import claims, covers


CHANGE = date(2026, 3, 1)  # the daily charge goes from 20 to 23 EUR (15 to 17 in psychiatry)
ROUNDINGS = ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP")


@st.composite
def stays(draw):
    """A hospital stay: days 0-60 or left out, dated anywhere or just before the change of
    the daily charge, a base left out, fitting the bill or not, a costly act or not."""
    claim = draw(claims(persons=("a", "b"), care="hospital_stay"))
    days = draw(st.none() | st.integers(0, 60) | st.sampled_from([31, 36, 42, 45, 54, 60]))
    day = claim.date
    if draw(st.booleans()):  # the stay crosses the change (or ends just before it)
        day = CHANGE - timedelta(days=draw(st.integers(0, 40)))
    if claim.birth_date is not None and claim.birth_date > day:
        day = claim.date
    billed = claim.billed
    if draw(st.booleans()):
        billed = draw(st.sampled_from([Decimal("0.03"), Decimal(50), Decimal(2500),
                                       Decimal("10000.01")]))
    base = draw(st.none() | st.sampled_from([Decimal("0.03"), Decimal("0.09"), Decimal(6),
                                             Decimal(300), billed]))
    return attrs.evolve(claim, date=day, hospital_days=days, billed=billed, base=base,
                        pregnancy_start=None, delivery_date=None)


def batches():
    others = claims(persons=("a", "b"), start=date(2025, 6, 1), end=date(2026, 6, 30))
    mixed = st.lists(st.one_of(stays(), others), max_size=25)
    return mixed.map(lambda batch: [attrs.evolve(c, pregnancy_start=None, delivery_date=None)
                                    for c in batch])


def cover_choices():
    unpaid = covers().map(lambda c: attrs.evolve(c, costly_act_flat_charge=False))
    return st.none() | covers() | unpaid | st.dictionaries(
        st.sampled_from(["a", "b"]), st.one_of(covers(), unpaid), max_size=2)


def overrides():
    return st.fixed_dictionaries({}, optional={
        "daily_charge_imputation": st.sampled_from(["imputed", "added"]),
        "rounding": st.sampled_from(ROUNDINGS),
        "daily_charge": st.sampled_from([Decimal("20.005"), Decimal(21)])})


def _priced_by_columns(batch, cover, changes):
    pricer = make_pricer(None, "compiled", changes, cover)
    columns = ClaimColumns.from_claims(batch)
    check_columns(pricer, columns)
    return price_columns(pricer, columns)


@given(batches(), cover_choices(), overrides())
def test_stays_priced_by_columns_equal_them_priced_claim_by_claim(batch, cover, changes):
    expected = list(ssreg.price_claims(batch, cover=cover, overrides=changes,
                                       errors="collect"))
    priced = _priced_by_columns(batch, cover, changes)
    assert list(priced) == expected  # amounts, parameters read, notes, refused rows
    assert priced.fallback == 0  # every stay priced by the columns


@settings(max_examples=40)
@given(batches(), st.booleans())
def test_a_frame_of_stays_priced_by_columns_equals_it_claim_by_claim(batch, added):
    frame = pd.DataFrame([unstructure(c) for c in batch])
    changes = {"daily_charge_imputation": "added" if added else "imputed"}
    expected = ssreg.price_frame(frame, columnar=False, errors="collect", overrides=changes)
    got = ssreg.price_frame(frame, errors="collect", overrides=changes)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs["ssreg"]["claim_by_claim"] == 0


def _stay(**fields):
    return ssreg.Claim(**{"care": "hospital_stay", "person": "a", "age": 30,
                          "date": date(2025, 5, 2), "billed": Decimal(1400), **fields})


def test_a_stay_across_the_change_of_the_daily_charge_reads_both_values():
    stay = _stay(date=date(2026, 2, 27), hospital_days=4, billed=Decimal(86))
    priced = _priced_by_columns([stay], None, None)
    (result,) = list(priced)
    assert priced.fallback == 0
    assert result == ssreg.price_claim(stay)
    assert result.flat_charge == Decimal("86.00")  # 2 days at 20 EUR, 2 days at 23 EUR
    values = [str(v.value) for name, v in result.parameters if name == "daily_charge"]
    assert values == ["20", "23"]


def test_a_co_payment_on_a_half_cent_is_rounded_as_the_decimal_share_says():
    """36 days: the share is 0.2 x 30 / 36 = 1/6, a Decimal of 28 digits slightly above
    1/6; 1/6 of 3 cents is half a cent exactly, which halves-to-even would round down but
    the Decimal product (just above the half) rounds up, as the claim-by-claim pricer."""
    stay = _stay(hospital_days=36, base=Decimal("0.03"), billed=Decimal(800))
    changes = {"rounding": "ROUND_HALF_EVEN"}
    priced = _priced_by_columns([stay], None, changes)
    (result,) = list(priced)
    assert result == next(iter(ssreg.price_claims([stay], overrides=changes)))
    assert result.amo_gross == Decimal("0.02")  # 0.03 less a co-payment of 0.01
    assert priced.fallback == 0


def test_a_base_too_small_for_the_charges_is_refused_with_the_same_problem():
    stays = [_stay(hospital_days=10, base=Decimal(890), billed=Decimal(900)),
             _stay(hospital_days=10, base=Decimal(600), billed=Decimal(900))]
    priced = list(_priced_by_columns(stays, None, None))
    expected = list(ssreg.price_claims(stays, errors="collect"))
    assert priced == expected
    assert isinstance(priced[0], ssreg.ClaimError) and priced[1].base == Decimal(600)


def test_stays_do_not_fall_back_to_the_claim_by_claim_pricer():
    """A year of stays of every kind among consultations: none priced claim by claim (this
    fails if stays go back to the claim-by-claim pricer)."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(300):
        stay = i % 3 == 0
        rows.append({
            "care": "hospital_stay" if stay else "gp_consultation", "person": f"p{i % 7}",
            "date": date(2025, 9, 1) + timedelta(days=int(rng.integers(0, 240))),
            "billed": float(rng.integers(40, 4000)) if stay else 30.0, "age": 30,
            "hospital_days": float(rng.integers(1, 61)) if stay else np.nan,
            "costly_act_in_stay": bool(rng.integers(0, 2)) if stay else None,
            "psychiatry": bool(rng.integers(0, 2)) if stay else None})
    frame = pd.DataFrame(rows)
    for imputation in ("imputed", "added"):
        changes = {"daily_charge_imputation": imputation}
        got = ssreg.price_frame(frame, errors="collect", overrides=changes)
        expected = ssreg.price_frame(frame, columnar=False, errors="collect",
                                     overrides=changes)
        pd.testing.assert_frame_equal(got, expected)
        assert got.attrs["ssreg"]["claim_by_claim"] == 0
        assert got["ok"].all()


def test_a_finite_decimal_share_is_told_from_a_rounded_one():
    numerators = np.array([6, 6, 6, 6, 1, 0])
    denominators = np.array([32, 36, 40, 42, 3, 7])
    assert _finite_decimal(numerators, denominators).tolist() == [
        True, False, True, False, False, True]


def test_a_base_derived_on_a_whole_cent_is_rounded_as_the_decimal_share_says():
    """39 days: the share is 6/39 = 2/13, a Decimal of 28 digits; the base that holds the
    daily charges, 7.81 / (11/13) = 9.23 EUR exactly, is just below it as a Decimal
    quotient: rounded down, 9.22, as the claim-by-claim pricer says."""
    stay = _stay(hospital_days=39, billed=Decimal("787.81"))
    changes = {"rounding": "ROUND_DOWN"}
    priced = _priced_by_columns([stay], None, changes)
    (result,) = list(priced)
    assert result == next(iter(ssreg.price_claims([stay], overrides=changes)))
    assert result.base == Decimal("9.22")
    assert priced.fallback == 0


def _daily_charge_overlay(tmp_path: Path) -> ssreg.Rulebook:
    """The built-in rules with a daily charge of 20.005 EUR from 10 March 2026 (a test
    value: each rounding mode gives its own cents)."""
    path = tmp_path / "overlay.toml"
    path.write_text("""
[parameters."daily_charge"]
type = "decimal"
unit = "EUR"
label = { en = "hospital daily charge", fr = "forfait hospitalier", es = "cargo diario hospitalario" }

[[parameters."daily_charge".values]]
start = 2018-09-01
end = 2026-03-09
value = 20
citations = ["H3"]

[[parameters."daily_charge".values]]
start = 2026-03-10
value = 20.005
citations = ["H3"]
note = "A test value: half a cent."
""", encoding="utf-8")
    try:
        return ssreg.load_rulebook(path, base=ssreg.default_rulebook())
    except ssreg.RulebookError as exc:  # pragma: no cover - shows the loader's words
        pytest.fail(str(exc))


@pytest.mark.parametrize("rounding", ROUNDINGS)
def test_daily_charges_to_the_cent_in_each_rounding_mode(tmp_path, rounding):
    book = _daily_charge_overlay(tmp_path)
    batch = [_stay(date=date(2026, 3, 12), hospital_days=3, billed=Decimal(2000)),
             _stay(date=date(2026, 2, 25), hospital_days=3, billed=Decimal(2000)),
             _stay(date=date(2026, 3, 8), hospital_days=5, billed=Decimal(2000))]
    changes = {"rounding": rounding}
    pricer = make_pricer(book, "compiled", changes, None)
    columns = ClaimColumns.from_claims(batch)
    check_columns(pricer, columns)
    priced = list(price_columns(pricer, columns))
    expected = list(ssreg.price_claims(batch, rulebook=book, overrides=changes,
                                       errors="collect"))
    assert priced == expected
    per_day = Decimal("20.005").quantize(Decimal("0.01"), rounding=rounding)
    assert priced[0].flat_charge == 3 * per_day
    assert priced[2].flat_charge == 2 * Decimal(20) + 3 * per_day  # across the change


@settings(max_examples=30)
@given(batches(), st.booleans())
def test_the_refused_stay_raised_is_the_same(raised_both_ways, batch, presorted):
    frame = pd.DataFrame([unstructure(c) for c in batch])
    by_claim, by_columns = raised_both_ways(frame, presorted=presorted)
    assert by_claim == by_columns
