"""The ends of the calendar and of text: every year from 1 to 9999 in every date field,
and the derived dates (academic years, windows, caps), accepted or refused cleanly;
texts that cannot be written back refused; digits that are not ASCII refused."""

from __future__ import annotations

import copy
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing.fuzz import amounts_are_exact, paths


ROOT = Path(__file__).parent.parent
DOSSIER = json.loads((ROOT / "examples" / "dossiers" / "brazil_in_progress.json").read_text(
    encoding="utf-8"))
STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "Paris", "ehic_expiry": "2027-12-31", "stay_months": 10}
CASE = {"student": STUDENT, "arrival_date": "2026-08-20",
        "documents": [{"kind": "passport", "issued": "2020-01-01", "expires": "2031-05-01"}],
        "claims": [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30",
                    "referent_doctor_declared": True}]}
CLAIM = {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
         "billed": "12.40", "boxes": 2, "birth_date": "2004-03-01"}
EDGES = [date(1, 1, 1), date(1, 8, 31), date(1, 12, 31), date(999, 12, 31),
         date(2262, 4, 11), date(2262, 4, 12), date(2263, 1, 1), date(9998, 9, 1),
         date(9999, 8, 31), date(9999, 9, 1), date(9999, 12, 31)]
DAYS = st.sampled_from(EDGES) | st.dates()
CHECKED = settings(max_examples=int(os.environ.get("SSREG_EDGE_EXAMPLES", "80")), deadline=None,
                   database=None,
                   suppress_health_check=list(HealthCheck))


def date_fields(document):
    """Paths of every date field of a document (ISO strings)."""
    return [p for p in paths(document) if p and isinstance(_get(document, p), str)
            and len(_get(document, p)) == 10 and _get(document, p)[4] == "-"]


def _get(document, path):
    for step in path:
        document = document[step]
    return document


def _with(document, path, value):
    document = copy.deepcopy(document)
    parent = _get(document, path[:-1])
    parent[path[-1]] = value
    return document


def clean(call, *args, **kwargs):
    """The answer, or None for an ssreg error; nothing else may come out."""
    try:
        return call(*args, **kwargs)
    except ssreg.SsregError as exc:
        str(exc).encode("utf-8")
        return None


@CHECKED
@given(st.sampled_from(date_fields(CASE)), DAYS, st.booleans(),
       st.sampled_from(["2026-09-15", "9999-12-31"]))
def test_every_year_in_every_case_date(path, day, as_text, on):
    case = _with(CASE, path, day.isoformat() if as_text else day)
    decision = clean(ssreg.evaluate, case, on=on)
    if decision is not None:
        json.dumps(decision.to_dict("fr"))
        assert decision.explain("es")
        assert decision.academic_year[4] == "-" and len(decision.academic_year) >= 9
        for result in decision.reimbursements.results:
            if result.ok:
                amounts_are_exact(result)


@CHECKED
@given(st.sampled_from(date_fields(DOSSIER)), DAYS, st.sampled_from(EDGES[-4:]))
def test_every_year_in_every_dossier_date(path, day, on):
    dossier = _with(DOSSIER, path, day.isoformat())
    decision = clean(ssreg.evaluate, dossier, on=on)
    if decision is not None:
        json.dumps(decision.to_dict("en"))
    event = {"type": "document_accepted", "date": day.isoformat(), "kind": "passport"}
    clean(ssreg.apply_event, DOSSIER, event)
    event = {"type": "provisional_certificate_issued", "date": day.isoformat(),
             "number": "704039912345655"}
    applied = clean(ssreg.apply_event, DOSSIER, event)
    if applied is not None:  # the provisional number's validity window, at the calendar end
        for later in (day, date.max):
            clean(ssreg.evaluate, applied, on=later)


@CHECKED
@given(st.sampled_from(date_fields(CLAIM)), DAYS)
def test_every_year_in_every_claim_date(path, day):
    claim = _with(CLAIM, path, day.isoformat())
    results = clean(lambda: list(ssreg.price_claims([claim, claim], errors="collect")))
    assert results is not None and len(results) == 2
    for result in results:
        if result.ok:
            amounts_are_exact(result)
    frame = ssreg.to_frame(results)
    assert len(frame) == 2  # datetime64[s] holds every year
    if results[0].ok:
        assert frame["date"].iloc[0].date() == results[0].date


@pytest.mark.parametrize("years", [-9000, -3, 3, 9000])
def test_scenarios_moving_claims_off_the_calendar_are_refused(years):
    claim = {**CLAIM, "date": "9998-03-10", "birth_date": "9980-03-01"} if years > 0 else {
        **CLAIM, "date": "0002-03-10", "birth_date": "0001-03-01"}
    with pytest.raises(ssreg.SsregError, match="years"):
        ssreg.compare([claim], {"base": {}, "moved": {"years": years}}, errors="collect")


def test_the_academic_year_of_any_arrival():
    book = ssreg.default_rulebook()
    assert book.parameters["academic_year_start_month"].maximum == 12
    for arrival, year in (("0001-01-01", "0000-0001"), ("0001-06-01", "0001-0002"),
                          ("0027-12-30", "0027-0028"), ("9999-12-31", "9999-10000")):
        decision = ssreg.evaluate({**CASE, "arrival_date": arrival}, on="2026-09-15")
        assert decision.academic_year == year


@pytest.mark.parametrize("text", ["\udc80", "a\ud800b", "x\x00y", "\x1b[31m", "a\x85b"])
@pytest.mark.parametrize("field", ["address_in_france", "id"])
def test_text_that_cannot_be_written_back_is_refused(field, text):
    with pytest.raises(ssreg.InvalidCaseError, match=f"student.{field}"):
        ssreg.evaluate({"student": {**STUDENT, field: text}}, on="2026-09-15")


def test_lines_and_tabs_are_kept_where_text_is_free():
    decision = ssreg.evaluate({"student": {**STUDENT, "address_in_france":
                                           "12 rue des Écoles\n75005\tParis"}},
                              on="2026-09-15", unknown="assume")
    assert decision.route == "online"
    with pytest.raises(ssreg.InvalidClaimError, match="person"):
        ssreg.price_claim({**CLAIM, "person": "ana\nben"})


@pytest.mark.parametrize("digits", ["٣٠", "３０", "³", "1_000", "٢٠٢٦"])
def test_only_ascii_digits_make_numbers(digits):
    with pytest.raises(ssreg.InvalidClaimError, match="billed"):
        ssreg.price_claim({**CLAIM, "billed": digits})
    with pytest.raises(ssreg.InvalidInputError, match="overrides"):
        ssreg.price_claim(CLAIM, overrides={"psychologist_sessions_yearly_cap": digits})
    with pytest.raises(ssreg.InvalidCaseError, match="academic_year"):
        ssreg.evaluate({"student": STUDENT, "academic_year": f"{digits}-2027"},
                       on="2026-09-15")
    with pytest.raises(ssreg.InvalidCaseError, match="birth_date"):
        ssreg.evaluate({"student": {**STUDENT, "birth_date": f"{digits}04-03-01"}},
                       on="2026-09-15")


def test_whatever_is_accepted_reads_back_unchanged():
    dossier = ssreg.load_dossier(DOSSIER)
    text = dossier.to_json()
    assert ssreg.load_dossier(json.loads(text.encode("utf-8"))) == dossier
    claim = ssreg.Claim(**{**CLAIM, "billed": Decimal("12.40"), "id": "é\tx"})
    from ssreg.model.structure import unstructure

    assert ssreg.Claim(**json.loads(json.dumps(unstructure(claim)))) == claim


def test_a_table_of_a_million_keys_is_refused_at_once(tmp_path):
    """A 3 MB cover of 300,000 unknown fields took seconds (a hint searched for each)."""
    many = {f"k{i}": 1 for i in range(300_000)}
    path = tmp_path / "cover.json"
    path.write_text(json.dumps(many), encoding="utf-8")
    for source in (many, path):
        with pytest.raises(ssreg.InvalidCaseError) as info:
            ssreg.load_cover(source)
        assert [p.message for p in info.value.problems] == [
            "expected a table of at most 9 fields for Cover, got 300000 keys"]
    with pytest.raises(ssreg.InvalidCaseError, match="student: expected a table of at most"):
        ssreg.evaluate({"student": many}, on="2026-09-15")


def test_files_too_large_for_their_kind_are_refused_unread(tmp_path):
    overlay = tmp_path / "big.toml"
    overlay.write_text("a = 1\n" * 200_000, encoding="utf-8")  # 1.2 MB of TOML
    with pytest.raises(ssreg.RulebookError, match="larger than 1048576 bytes"):
        ssreg.load_rulebook(overlay, base=ssreg.default_rulebook())
    with pytest.raises(ssreg.InvalidInputError, match="larger than 1048576 bytes"):
        ssreg.load_cover(overlay)
    with pytest.raises(ssreg.RulebookError, match=r"not a file|no such file"):
        ssreg.load_rulebook("/dev/zero", base=ssreg.default_rulebook())
