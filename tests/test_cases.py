"""Worked examples as data: every tests/cases/**/*.toml file is one test."""

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ssreg


CASES = sorted((Path(__file__).parent / "cases").rglob("*.toml"))


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f, parse_float=Decimal)


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_there_are_case_files():
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=_ids)
def test_case_file(path: Path):
    case = _load(path)
    assert case.get("sources"), f"{path.name}: a case file cites where its expectation comes from"
    decision = ssreg.evaluate(case["input"], on=case["on"], overrides=case.get("overrides"))
    expected = case["expected"]
    data = decision.to_dict()
    if "route" in expected:
        assert decision.route == expected["route"]
    if "blocks" in expected:
        assert list(decision.blocks) == expected["blocks"]
    if "fired" in expected:
        fired = [f["rule"] for f in data["trace"]["fired"]]
        for rule_id in expected["fired"]:
            assert rule_id in fired
    if expected.get("route") == "cpam":
        assert "checklist" not in data
    if "checklist" in expected:
        _check_checklist(data["checklist"], expected["checklist"])
    if "claims" in expected:
        rows = data["reimbursements"]["claims"]
        assert len(rows) == len(expected["claims"])
        for row, want in zip(rows, expected["claims"], strict=True):
            for key, value in want.items():
                assert row[key] == str(value) if isinstance(value, Decimal) else row[key] == value, (
                    f"{key}: {row[key]} != {value}")


def _check_checklist(got: dict[str, Any], want: dict[str, Any]) -> None:
    by_id = {item["requirement"]: item for item in got["items"]}
    if "complete" in want:
        assert got["complete"] == want["complete"]
    if "blocks" in want:  # TOML has no null: "none" stands for no blocked step
        assert got["blocks"] == (None if want["blocks"] == "none" else want["blocks"])
    for requirement, status in want.get("status", {}).items():
        assert requirement in by_id, f"{requirement} not required; got {sorted(by_id)}"
        assert by_id[requirement]["status"] == status, requirement
    for requirement in want.get("absent", []):
        assert requirement not in by_id, requirement
