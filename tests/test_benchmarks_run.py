"""The benchmark scripts run and print their ratios (tiny sizes: no timing is asserted)."""

import subprocess
import sys
from pathlib import Path

import pytest


BENCH = Path(__file__).parent.parent / "benchmarks"


@pytest.mark.parametrize(("script", "args", "expected"), [
    ("bench_route.py", ["--calls", "200", "--rounds", "1"], "ratio to hand-written"),
    ("bench_claims.py", ["--n", "2000", "--rounds", "1", "--round-size", "1000"],
     "0 mismatches"),
])
def test_benchmark_script_runs(script, args, expected):
    out = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                         text=True, timeout=300, check=True)
    assert expected in out.stdout
    assert "ratio" in out.stdout
