"""Every script in examples/ runs."""

import runpy
from pathlib import Path

import pytest


SCRIPTS = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


def test_there_are_examples():
    assert SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script, capsys, monkeypatch):
    monkeypatch.setattr("sys.argv", [str(script)])
    monkeypatch.chdir(script.parent)
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out.strip()
