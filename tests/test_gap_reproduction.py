"""Every gap ``check-rulebook`` reports names every fact that decides it and, written as a
case file, reproduces the gap when run (property-tested over overlays that disable
rules of the first-hit tables)."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.engines.engine import rules_in_force
from ssreg.rulebook import conditions as cond
from ssreg.testing import check_rulebook, run_case_file


BASE = ssreg.default_rulebook()
TABLES = ("route", "top_up", "claim_base", "claim_rate", "claim_deduction",
          "claim_flat_charge", "claim_top_up")
RULES = sorted({r.id for name in TABLES for r in BASE.rules_of(name)})


def _overlay(tmp: Path, disabled: list[str]) -> ssreg.Rulebook:
    path = tmp / "overlay.toml"
    path.write_text("".join(f'[[rules]]\nid = "{rule}"\ndisabled = true\n\n'
                            for rule in disabled), encoding="utf-8")
    return ssreg.load_rulebook(path, base=BASE)


def _check_gaps(book: ssreg.Rulebook, tmp: Path) -> int:
    report = check_rulebook(book, examples=30, invariants=False)
    checked = 0
    for finding in report.findings:
        if finding.kind != "gap":
            continue
        assert finding.on is not None
        read = {c.key for r in rules_in_force(book, finding.decision, finding.on,
                                              required=False)
                for c in cond.comparisons(r.when)}
        assert read <= set(finding.example), f"facts missing from {finding.example}"
        if finding.case is None:
            assert "not reproduced as a case" in finding.message
            continue
        path = tmp / f"gap_{finding.decision}.toml"
        path.write_text(finding.case_file(), encoding="utf-8")
        outcome = run_case_file(path, book)
        assert outcome.passed, (finding.case_file(), outcome.differences)
        checked += 1
    return checked


def test_the_reported_route_gap_reproduces(tmp_path):
    book = _overlay(tmp_path, ["route.online.first_time_international"])
    assert _check_gaps(book, tmp_path) == 1
    text = check_rulebook(book, examples=30, invariants=False).text()
    assert "eu_eea_swiss = False" in text and "as a case file that reproduces it" in text


def test_a_claim_gap_reproduces(tmp_path):
    book = _overlay(tmp_path, [r.id for r in BASE.rules_of("claim_rate")
                               if r.id.startswith("claim_rate.consultation")])
    assert _check_gaps(book, tmp_path) >= 1


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(RULES), min_size=1, max_size=4, unique=True))
def test_every_reported_gap_reproduces_as_a_case(tmp_path_factory, disabled):
    tmp = tmp_path_factory.mktemp("gaps")
    _check_gaps(_overlay(tmp, disabled), tmp)
