"""Worked examples as data: every tests/cases/**/*.toml file is one test, run by the same
runner as ``ssreg test`` (see docs/testing.md for the format)."""

from pathlib import Path

import pytest

from ssreg.testing.casefiles import case_files, run_case_file


CASES = case_files([Path(__file__).parent / "cases"])


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_there_are_case_files_for_every_domain():
    domains = {path.parent.name for path in CASES}
    assert {"route", "documents", "reimbursement", "dossier"} <= domains
    assert len(CASES) >= 60


@pytest.mark.parametrize("path", CASES, ids=_ids)
def test_case_file(path: Path):
    outcome = run_case_file(path)
    assert outcome.passed, f"{outcome.name}:\n" + "\n".join(outcome.differences)
