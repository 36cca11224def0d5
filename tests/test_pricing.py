"""Reimbursement invariants over generated claims and contracts, and the batch contract."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.testing import amounts, claims, covers


MONEY = ("billed", "base", "amo_gross", "deduction", "amo", "flat_charge", "top_up", "patient")
GP = {"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
      "referent_doctor_declared": True}


def check_result(r: ssreg.ClaimResult) -> None:
    assert r.amo + r.top_up + r.patient == r.billed
    for name in MONEY:
        value = getattr(r, name)
        assert type(value) is Decimal, name
        assert value >= 0, name
        assert value == value.quantize(Decimal("0.01")), name
        assert str(value) != "-0.00", name
    assert r.deduction <= r.amo_gross
    assert r.amo_gross <= r.base <= r.billed


@given(st.lists(claims(), max_size=25), st.none() | covers())
def test_conservation_no_negative_share_no_float(batch, cover):
    results = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
    assert [r.position for r in results] == list(range(len(batch)))
    for r in results:
        if r.ok:
            check_result(r)
            assert not any(isinstance(v, float) for v in r.row().values())
        else:  # only a costly act below its threshold is refused among valid claims
            assert "costly act" in r.problems[0].message


@given(claims(), st.none() | covers())
def test_top_up_never_above_the_contract(claim, cover):
    try:
        r = ssreg.price_claim(claim, cover=cover)
    except ssreg.InvalidClaimError:
        return
    if cover is None:
        assert r.top_up == 0
        return
    level = Decimal(100) if cover.kind == "css" else cover.level(claim.care) or Decimal(0)
    allowed = max(min(r.billed - r.flat_charge, (r.base * level / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)) - r.amo_gross, Decimal(0))
    allowance = Decimal(0) if cover.kind == "css" else cover.yearly_allowance.get(
        claim.care, Decimal(0))
    assert r.top_up <= allowed + allowance + r.flat_charge
    if cover.responsable or cover.kind == "css":
        # never the fixed charges: the patient keeps the participation or franchise
        assert r.patient >= r.deduction


@given(claims(), amounts(300, 130), amounts(300, 130), st.none() | covers())
def test_monotonic_in_the_amount_billed(claim, a, b, cover):
    low, high = sorted((a, b))
    base = claim.base if claim.base is not None and claim.base >= 120 else Decimal("120.00")
    if claim.care == "hospital_stay":  # a stay's bill holds its base and its daily charges
        floor = base + 30 * (claim.hospital_days or 0)  # the daily charge is at most 20 EUR
        low, high = low + floor, high + floor
    r_low = ssreg.price_claim(attrs.evolve(claim, billed=low, base=base), cover=cover)
    r_high = ssreg.price_claim(attrs.evolve(claim, billed=high, base=base), cover=cover)
    assert r_low.patient <= r_high.patient
    assert r_low.amo + r_low.top_up <= r_high.amo + r_high.top_up


@given(st.lists(claims(persons=("a", "b")), max_size=20, unique_by=lambda c: (c.person, c.date)),
       st.randoms(use_true_random=False), st.none() | covers())
def test_input_order_does_not_matter_without_ties(batch, rnd, cover):
    """With at most one claim per person and day, results do not depend on input order."""
    shuffled = list(enumerate(batch))
    rnd.shuffle(shuffled)
    first = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
    second = list(ssreg.price_claims([c for _, c in shuffled], cover=cover, errors="collect"))
    by_original = {orig: second[pos] for pos, (orig, _) in enumerate(shuffled)}
    for i, r in enumerate(first):
        other = by_original[i]
        if r.ok:
            assert r._replace(position=0) == other._replace(position=0)
            # to the digit, though one batch is regrouped from packed records
            assert {**r.to_dict(), "position": 0} == {**other.to_dict(), "position": 0}
        else:
            assert not other.ok


@given(st.lists(claims(), max_size=15), st.none() | covers())
def test_presorted_stream_equals_the_sorted_batch(batch, cover):
    ordered = sorted(batch, key=lambda c: c.date)
    streamed = list(ssreg.price_claims(ordered, presorted=True, errors="collect",
                                       cover=cover))
    packed = list(ssreg.price_claims(ordered, errors="collect", cover=cover))
    assert streamed == packed
    # the unsorted batch rebuilds results from packed records: same text, to the digit
    assert [r.to_dict() for r in streamed] == [r.to_dict() for r in packed]


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
    batch = [dict(GP, date=f"2025-{m:02d}-{d:02d}") for m in range(1, 13) for d in (3, 17)]
    batch.append(dict(GP, date="2026-01-02"))
    results = list(ssreg.price_claims(batch))
    assert sum(r.deduction for r in results[:-1]) == Decimal("48.00")  # 24 acts x 2 EUR
    batch2 = batch[:-1] + [dict(GP, date="2025-12-30")] * 2 + [batch[-1]]
    results2 = list(ssreg.price_claims(batch2))
    assert sum(r.deduction for r in results2 if r.date.year == 2025) == Decimal("50.00")
    assert results2[-1].deduction == Decimal("2.00")


class TestBatches:
    """A batch yields exactly one result per claim, in order, and loses nothing."""

    BAD = ({"care": "massage", "date": "2025-01-01", "billed": "10", "age": 20},
           {"care": "dental", "date": "2025-01-01", "billed": 10.5, "age": 20},
           {"care": "dental", "date": "2025-01-01", "billed": "10"}, "not a claim", None)

    def test_collect_keeps_every_position(self):
        good = {"care": "dental", "date": "2025-01-02", "billed": "20", "age": 20}
        batch = [good, *self.BAD, good]
        for presorted in (False, True):
            results = list(ssreg.price_claims(batch, errors="collect", presorted=presorted))
            assert len(results) == len(batch)
            assert [r.position for r in results] == list(range(len(batch)))
            assert [r.ok for r in results] == [True] + [False] * len(self.BAD) + [True]
            assert results[1].problems[0].path == "claims[1].care"

    def test_raise_stops_at_the_first_refused_claim(self):
        with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[0\]\.care"):
            list(ssreg.price_claims(self.BAD))

    def test_unknown_errors_option(self):
        with pytest.raises(ssreg.InvalidInputError, match="errors"):
            ssreg.price_claims([], errors="ignore")

    def test_a_consumed_batch_refuses_a_second_pass(self):
        batch = ssreg.price_claims([GP])
        assert ssreg.summarize(batch).totals()["amo"] == Decimal("19.00")
        with pytest.raises(ssreg.BatchConsumed, match="already consumed"):
            ssreg.summarize(batch)


@pytest.mark.parametrize(("claim", "path", "message"), [
    ({"care": "massage", "date": "2025-01-01", "billed": "10", "age": 20}, "claims[0].care",
     "unknown care"),
    ({"care": "medicine", "date": "2025-01-01", "billed": "10", "age": 20},
     "claims[0].medicine_class", "required for a medicine"),
    ({"care": "dental", "date": "2025-01-01", "billed": 10.5, "age": 20}, "claims[0].billed",
     "a float is not exact"),
    ({"care": "dental", "date": "2025-01-01", "billed": "10.005", "age": 20},
     "claims[0].billed", "at most 2 decimals"),
    ({"care": "dental", "date": "2025-01-01", "billed": "10"}, "claims[0].age",
     "required"),
    ({**GP, "specialty": "gynecology", "care": "specialist_consultation"},
     "claims[0].specialty", "did you mean 'gynaecology'"),
    ({**GP, "billed": "NaN"}, "claims[0].billed", "expected an amount"),
    ({**GP, "billed": "-0"}, None, None),
])
def test_bad_claims_name_the_field(claim, path, message):
    if path is None:
        r = ssreg.price_claim(claim)
        assert str(r.billed) == "0.00" and str(r.patient) == "0.00"
        return
    with pytest.raises(ssreg.InvalidClaimError) as info:
        list(ssreg.price_claims([claim]))
    problem = info.value.problems[0]
    assert problem.path == path
    assert message in problem.message


def test_a_cover_typo_is_refused_not_ignored():
    cover = {"levels": {"specialist_consultaton": 200}}
    with pytest.raises(ssreg.InvalidClaimError, match=r"did you mean 'specialist_consultation'"):
        ssreg.price_claim(GP, cover=cover)


def test_date_before_the_rules_is_a_clear_error():
    with pytest.raises(ssreg.NoValueInForce, match=r"2017-01-01"):
        ssreg.price_claim({"care": "dental", "date": "2017-01-01", "billed": "10", "age": 20})


def test_overrides_replace_a_parameter_and_accept_strings():
    claim = {**GP, "billed": "23", "sector": "sector_2"}
    assert ssreg.price_claim(claim).base == Decimal("23.00")
    r = ssreg.price_claim(claim, overrides={"base.gp_consultation_non_optam": "20"})
    assert r.base == Decimal("20.00")
    with pytest.raises(ssreg.InvalidInputError, match=r"overrides\.rounding"):
        ssreg.price_claim(claim, overrides={"rounding": "ROUND_SOMETIMES"})
    with pytest.raises(ssreg.InvalidInputError, match=r"a rate is between 0 and 1"):
        ssreg.price_claim(claim, overrides={"rate.consultation": "70"})


def test_explain_cites_and_translates():
    r = ssreg.price_claim(GP)
    fr = r.explain("fr")
    assert "19,00" in fr and "C1" in fr and "participation forfaitaire" in fr
    assert "Assurance Maladie" in r.explain("es")
    data = r.to_dict()
    assert data["amo"] == "19.00"
    assert {"name": "participation_forfaitaire", "value": "2",
            "period": {"start": "2024-05-15", "end": None},
            "citations": ["P3", "P4", "C1", "LF3", "LF1"]} in data["parameters"]


def test_defaults_that_change_a_price_are_stated():
    r = ssreg.price_claim({k: v for k, v in GP.items() if k != "referent_doctor_declared"})
    assert r.rate == Decimal("0.30")  # a new student without a médecin traitant
    assert "referent_doctor_declared_not_given" in r.assumptions
    assert "provider_not_given" in r.assumptions
    assert "pas de médecin traitant déclaré" in r.explain("fr")


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


STUDENT = {"birth_date": "2003-05-05", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "x", "stay_months": 10, "enrolled_in_french_institution": True,
           "previously_affiliated": False, "salaried": False, "andorran_insured": False}


def test_a_case_with_claims_gets_reimbursements_in_its_decision():
    claim = {k: v for k, v in GP.items() if k != "age"}
    d = ssreg.evaluate({"student": STUDENT, "claims": [claim]}, on=date(2025, 3, 10))
    assert d.to_dict()["reimbursements"]["totals"]["amo"] == "19.00"
    assert "Remboursements" in d.explain("fr")


def test_a_students_claim_takes_its_age_from_the_birth_date():
    claim = {**GP, "age": 12}  # the student is 21 on the date of care
    with pytest.raises(ssreg.InvalidCaseError, match=r"claims\[0\]\.age: 12 contradicts"):
        ssreg.evaluate({"student": STUDENT, "claims": [claim]}, on=date(2025, 3, 10))


def test_decision_displays_as_html_in_notebooks():
    d = ssreg.evaluate({"student": STUDENT,
                        "claims": [{"care": "dental", "date": "2025-03-10", "billed": "23"}]},
                       on=date(2025, 3, 10))
    page = d._repr_html_()
    assert "online" in page or "Register online" in page
    assert "13.80" in page


# --------------------------------------------------------------------------- hospital stays

CENT = Decimal("0.01")


def _stay(billed, days, on, **more):
    return ssreg.price_claim({"care": "hospital_stay", "date": on, "billed": str(billed),
                              "hospital_days": days, "age": 22, **more})


def _daily_charges(on, days):
    book = ssreg.default_rulebook()
    param = book.parameters["daily_charge"]
    return sum((Decimal(param.value_on(on + timedelta(days=i)).value) for i in range(days)),
               Decimal(0))


@given(amounts(6000, 1), st.integers(0, 30),
       st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)))
def test_the_daily_charge_is_set_off_against_the_co_payment(billed, days, on):
    """L174-4: the student pays the larger of the co-payment and the daily charges."""
    without = _stay(billed, 0, on)
    stay = _stay(billed, days, on)
    daily = _daily_charges(on, days)
    assert without.patient == (billed * Decimal("0.20")).quantize(CENT, ROUND_HALF_UP)
    assert abs(stay.patient - max(without.patient, min(daily, billed))) <= CENT
    assert stay.amo + stay.top_up + stay.patient == billed
    if without.patient >= daily:  # the days change nothing when the co-payment holds them
        assert stay == without._replace(flat_charge=stay.flat_charge,
                                        parameters=stay.parameters)


@given(amounts(6000, 1), st.integers(1, 60),
       st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)))
def test_an_explicit_stay_base_is_kept_or_refused_never_cut(base, days, on):
    daily = _daily_charges(on, days)
    for extra in (Decimal(0), daily):
        billed = base + extra
        try:
            stay = _stay(billed, days, on, base=str(base))
        except ssreg.InvalidClaimError as refused:
            assert refused.problems[0].path == "claims[0].base"
            assert "never cut" in refused.problems[0].message
        else:
            assert stay.base == base


def test_a_costly_act_replaces_the_co_payment_and_the_days_stay_on_top():
    stay = _stay("1440", 2, "2025-06-10", costly_act_in_stay=True)
    assert (stay.amo, stay.patient, stay.flat_charge_kind) == (
        Decimal("1376.00"), Decimal("64.00"), "daily_charge_costly_act")
    ald = _stay("1440", 2, "2025-06-10", costly_act_in_stay=True, ald=True)
    assert (ald.rate, ald.patient) == (Decimal("1.00"), Decimal("40.00"))  # no flat charge


def test_no_co_payment_from_the_31st_day():
    assert _stay("12000", 40, "2026-01-01").patient == Decimal("1800.00")  # 20 % of 30/40
    assert _stay("12000", 30, "2026-01-01").patient == Decimal("2400.00")


def test_a_stay_billed_less_than_its_daily_charges_leaves_no_negative_share():
    """Found by the conservation property after the stays rework: without a base, the
    daily charges are capped at the bill (as every flat charge), so no share is negative."""
    cover = ssreg.Cover(name="basic", levels={})
    for days in (1, 3):
        r = ssreg.price_claim({"care": "hospital_stay", "date": "2022-01-01", "billed": "5",
                               "age": 15, "hospital_days": days}, cover=cover)
        check_result(r)
        assert r.flat_charge == Decimal("5.00")


def test_a_stay_billed_less_than_its_daily_charges_owes_no_more_than_billed():
    cover = ssreg.Cover(name="basic", hospital_daily_charge=True)
    stay = ssreg.price_claim({"care": "hospital_stay", "date": "2022-01-01", "billed": "0",
                              "age": 15, "hospital_days": 1}, cover=cover)
    assert (stay.amo, stay.top_up, stay.patient) == (0, 0, 0)


@pytest.mark.parametrize(("specialty", "age", "option", "in_pathway"), [
    ("psychiatry", 25, "service_public", True),
    ("psychiatry", 26, "service_public", False),   # service-public: 16 to 25 only
    ("psychiatry", 26, "code_d162_1_7", True),     # art. D162-1-7: no age limit
    ("neuropsychiatry", 40, "code_d162_1_7", True),
    ("stomatology", 30, "service_public", True),
    ("stomatology", 30, "code_d162_1_7", False),   # not in art. D162-1-7's list
    ("ophthalmology", 30, "code_d162_1_7", True),
    ("cardiology", 30, "code_d162_1_7", False),
])
def test_direct_access_follows_the_chosen_list(specialty, age, option, in_pathway):
    claim = {"care": "specialist_consultation", "specialty": specialty, "billed": "60",
             "base": "60", "sector": "sector_1", "date": "2026-03-10", "age": age,
             "referent_doctor_declared": True, "referred": False}
    r = ssreg.price_claim(claim, overrides={"psychiatry_direct_access": option})
    assert (r.rate == Decimal("0.70")) is in_pathway
    assert (r.rate == Decimal("0.30")) is not in_pathway


OPTICS_ITEMS = {"frame": "100", "simple_lenses": "420", "complex_lenses": "700",
                "very_complex_lenses": "800"}


@given(st.sampled_from(sorted(OPTICS_ITEMS)), amounts(3000), amounts(20),
       st.dates(date(2020, 1, 1), date(2026, 4, 21)), st.integers(100, 400))
def test_a_contrat_responsable_and_the_amo_together_stay_under_the_optics_maximum(
        item, billed, base, day, level):
    # art. R871-2 from 2020: the maximum includes the Assurance Maladie's share
    claim = {"care": "optics", "optics_item": item, "billed": str(billed),
             "base": str(min(base, billed)), "date": day.isoformat(), "age": 22}
    r = ssreg.price_claim(claim, cover=ssreg.Cover(levels={"default": level},
                                                    responsable=True,
                                                    yearly_allowance={"optics": 2000}))
    check_result(r)
    assert r.amo + r.top_up <= max(Decimal(OPTICS_ITEMS[item]), r.amo)
