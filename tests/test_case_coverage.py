"""The project's case files reach every rule and parameter, except those listed with a
reason in tests/case_coverage.toml (kept exact: CI prints the same coverage)."""

import tomllib
from pathlib import Path

import ssreg
from ssreg.testing import case_files, coverage, run_case_file


HERE = Path(__file__).parent


def test_case_files_reach_every_rule_but_those_listed():
    listed = tomllib.loads((HERE / "case_coverage.toml").read_text(encoding="utf-8"))
    book = ssreg.default_rulebook()
    outcomes = [run_case_file(path, book) for path in case_files([HERE / "cases"])]
    assert all(o.passed for o in outcomes)
    reached = coverage(book, outcomes)
    assert set(reached.never_fired) == set(listed["rules"]), reached.text()
    assert set(reached.never_read) == set(listed["parameters"]), reached.text()
    for reason in [*listed["rules"].values(), *listed["parameters"].values()]:
        assert len(reason.split()) >= 5
