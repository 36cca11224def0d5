"""Reimbursement invariants over generated claims and contracts."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.testing import amounts, claims


covers = st.none() | st.builds(
    ssreg.Cover,
    kind=st.sampled_from(["mutuelle", "css"]),
    responsable=st.booleans(),
    levels=st.dictionaries(st.sampled_from(["default", "gp_consultation", "optics", "dental"]),
                           st.sampled_from([Decimal(0), Decimal(100), Decimal(150),
                                            Decimal(200), Decimal(300)]), max_size=3),
    yearly_allowance=st.dictionaries(st.sampled_from(["optics", "dental"]),
                                     amounts(200), max_size=2),
)
MONEY = ("billed", "base", "amo_gross", "deduction", "amo", "daily_charge", "top_up", "patient")


def check_result(r: ssreg.ClaimResult) -> None:
    assert r.amo + r.top_up + r.patient == r.billed
    for name in MONEY:
        value = getattr(r, name)
        assert type(value) is Decimal, name
        assert value >= 0, name
        assert value == value.quantize(Decimal("0.01")), name
    assert r.deduction <= r.amo_gross
    assert r.amo_gross <= r.base <= r.billed


@given(st.lists(claims(), max_size=25), covers)
def test_conservation_no_negative_share_no_float(batch, cover):
    results = list(ssreg.price_claims(batch, cover=cover))
    assert [r.position for r in results] == list(range(len(batch)))
    for r in results:
        check_result(r)
        assert not any(isinstance(v, float) for v in r.row().values())


@given(claims(), covers)
def test_top_up_never_above_the_contract(claim, cover):
    r = ssreg.price_claim(claim, cover=cover)
    if cover is None:
        assert r.top_up == 0
        return
    level = Decimal(100) if cover.kind == "css" else cover.levels.get(
        claim.care, cover.levels.get("default", Decimal(0)))
    allowed = max(min(r.billed - r.daily_charge, (r.base * level / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)) - r.amo_gross, Decimal(0))
    allowance = Decimal(0) if cover.kind == "css" else cover.yearly_allowance.get(
        claim.care, Decimal(0))
    assert r.top_up <= allowed + allowance + r.daily_charge
    if cover.responsable or cover.kind == "css":
        # never the fixed charges: the patient keeps the participation or franchise
        assert r.patient >= r.deduction


@given(claims(), amounts(300), amounts(300), covers)
def test_monotonic_in_the_amount_billed(claim, a, b, cover):
    low, high = sorted((a, b))
    base = claim.base if claim.base is not None else Decimal("20.00")
    r_low = ssreg.price_claim(attrs.evolve(claim, billed=low, base=base), cover=cover)
    r_high = ssreg.price_claim(attrs.evolve(claim, billed=high, base=base), cover=cover)
    assert r_low.patient <= r_high.patient
    assert r_low.amo + r_low.top_up <= r_high.amo + r_high.top_up


@given(st.lists(claims(persons=("a", "b")), max_size=20, unique_by=lambda c: (c.person, c.date)),
       st.randoms(use_true_random=False), covers)
def test_input_order_does_not_matter_without_ties(batch, rnd, cover):
    """With at most one claim per person and day, results do not depend on input order."""
    shuffled = list(enumerate(batch))
    rnd.shuffle(shuffled)
    first = list(ssreg.price_claims(batch, cover=cover))
    second = list(ssreg.price_claims([c for _, c in shuffled], cover=cover))
    by_original = {orig: second[pos] for pos, (orig, _) in enumerate(shuffled)}
    for i, r in enumerate(first):
        assert r._replace(position=0) == by_original[i]._replace(position=0)


@given(st.lists(claims(), max_size=15))
def test_presorted_stream_equals_the_sorted_batch(batch):
    ordered = sorted(batch, key=lambda c: c.date)
    assert list(ssreg.price_claims(ordered, presorted=True)) == list(
        ssreg.price_claims(ordered))


def test_presorted_stream_refuses_a_claim_out_of_order():
    batch = [{"care": "dental", "date": "2025-03-02", "billed": "20", "age": 20},
             {"care": "dental", "date": "2025-03-01", "billed": "20", "age": 20}]
    stream = ssreg.price_claims(batch, presorted=True)
    assert next(stream).position == 0
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[1\]\.date"):
        next(stream)


def test_tie_rule_same_day_in_input_order():
    """Two doctor acts of one person on one day, participation cap reached: the first pays."""
    claim = {"care": "lab_biology", "date": "2025-03-10", "billed": "10", "age": 22,
             "provider": "lab"}
    results = list(ssreg.price_claims([dict(claim, id=str(i)) for i in range(5)]))
    assert [r.deduction for r in results] == [Decimal("2.00")] * 4 + [Decimal("0.00")]


def test_participation_yearly_cap_resets_on_1_january():
    claim = {"care": "gp_consultation", "billed": "30", "age": 22}
    batch = [dict(claim, date=f"2025-{m:02d}-{d:02d}") for m in range(1, 13) for d in (3, 17)]
    batch.append(dict(claim, date="2026-01-02"))
    results = list(ssreg.price_claims(batch))
    assert sum(r.deduction for r in results[:-1]) == Decimal("48.00")  # 24 acts x 2 EUR
    batch2 = batch[:-1] + [dict(claim, date="2025-12-30")] * 2 + [batch[-1]]
    results2 = list(ssreg.price_claims(batch2))
    assert sum(r.deduction for r in results2 if r.date.year == 2025) == Decimal("50.00")
    assert results2[-1].deduction == Decimal("2.00")


@pytest.mark.parametrize(("claim", "path", "message"), [
    ({"care": "massage", "date": "2025-01-01", "billed": "10", "age": 20}, "claims[0].care",
     "unknown care type 'massage'"),
    ({"care": "medicine", "date": "2025-01-01", "billed": "10", "age": 20},
     "claims[0].medicine_class", "required for a medicine"),
    ({"care": "dental", "date": "2025-01-01", "billed": 10.5, "age": 20}, "claims[0].billed",
     "got float"),
    ({"care": "dental", "date": "2025-01-01", "billed": "10.005", "age": 20},
     "claims[0].billed", "at most 2 decimals"),
    ({"care": "dental", "date": "2025-01-01", "billed": "10"}, "claims[0].age",
     "required field missing"),
])
def test_bad_claims_name_the_field(claim, path, message):
    with pytest.raises(ssreg.InvalidClaimError) as info:
        list(ssreg.price_claims([claim]))
    problem = info.value.problems[0]
    assert problem.path == path
    assert message in problem.message


def test_date_outside_every_period_is_a_clear_error():
    with pytest.raises(ssreg.NoValueInForce, match=r"2017-01-01"):
        ssreg.price_claim({"care": "dental", "date": "2017-01-01", "billed": "10", "age": 20})


def test_teleconsultation_base_before_its_first_known_value_asks_for_a_base():
    claim = {"care": "gp_teleconsultation", "date": "2024-06-01", "billed": "25", "age": 20}
    with pytest.raises(ssreg.NoValueInForce, match=r"base\.gp_teleconsultation"):
        ssreg.price_claim(claim)
    assert ssreg.price_claim(dict(claim, base="25")).amo_gross == Decimal("17.50")


def test_overrides_replace_a_parameter():
    claim = {"care": "gp_consultation", "date": "2025-03-10", "billed": "23", "age": 22,
             "sector": "sector_2"}
    assert ssreg.price_claim(claim).base == Decimal("23.00")
    r = ssreg.price_claim(claim, overrides={"base.gp_consultation_non_optam": Decimal("20")})
    assert r.base == Decimal("20.00")
    with pytest.raises(ssreg.InvalidCaseError, match=r"overrides\.rounding"):
        ssreg.price_claim(claim, overrides={"rounding": "ROUND_SOMETIMES"})


def test_explain_cites_and_translates():
    r = ssreg.price_claim({"care": "gp_consultation", "date": "2025-03-10", "billed": "30",
                           "age": 22})
    fr = r.explain("fr")
    assert "19,00" in fr
    assert "C1" in fr
    assert "participation forfaitaire" in fr
    assert "Assurance Maladie" in r.explain("es")
    data = r.to_dict()
    assert data["amo"] == "19.00"
    assert {"name": "participation_forfaitaire", "value": "2",
            "period": {"start": "2024-05-15", "end": None},
            "citations": ["P3", "P4", "C1"]} in data["parameters"]


def test_rows_feed_pandas():
    pandas = pytest.importorskip("pandas")
    results = ssreg.price_claims([{"care": "dental", "date": "2025-01-01", "billed": "10",
                                   "age": 20}] * 3)
    frame = pandas.DataFrame(ssreg.rows(results))
    assert list(frame["amo"]) == [Decimal("6.00")] * 3


def test_summary_html_table():
    results = ssreg.price_claims([{"care": "dental", "date": f"2025-0{m}-01", "billed": "10",
                                   "age": 20} for m in (1, 2)])
    summary = ssreg.summarize(results)
    assert [line.month for line in summary.lines] == ["2025-01", "2025-02"]
    assert "<table" in summary._repr_html_()
    assert summary.totals()["amo"] == Decimal("12.00")


def test_a_case_with_claims_gets_reimbursements_in_its_decision():
    d = ssreg.evaluate({"student": {"birth_date": "2003-05-05", "nationality": "BR",
                                    "country_of_birth": "BR"},
                        "claims": [{"care": "gp_consultation", "date": "2025-03-10",
                                    "billed": "30", "age": 22}]}, on=date(2025, 3, 10))
    assert d.to_dict()["reimbursements"]["totals"]["amo"] == "19.00"
    assert "Remboursements" in d.explain("fr")


def test_decision_displays_as_html_in_notebooks():
    d = ssreg.evaluate({"student": {"birth_date": "2003-05-05", "nationality": "BR",
                                    "country_of_birth": "BR", "address_in_france": "x"},
                        "claims": [{"care": "dental", "date": "2025-03-10", "billed": "23",
                                    "age": 22}]}, on=date(2025, 3, 10))
    page = d._repr_html_()
    assert "Registration route" in page
    assert "bank_details" in page
    assert "13.80" in page
