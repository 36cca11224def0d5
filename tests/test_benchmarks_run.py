"""The benchmark scripts run and print their ratios (tiny sizes: no timing is asserted).

What is asserted is what the scripts check before timing: the library agrees with the
hand-written reference and with GoRules ZEN (models generated from the rulebook).
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest


BENCH = Path(__file__).parent.parent / "benchmarks"
HAS_ZEN = importlib.util.find_spec("zen") is not None
HAS_DURABLE = importlib.util.find_spec("durable") is not None


@pytest.mark.parametrize(("script", "args", "expected"), [
    ("bench_route.py", ["--calls", "200", "--rounds", "1"], "ratio to hand-written"),
    ("bench_api.py", ["--seconds", "0.3", "--warmup", "0.1", "--rounds", "1", "--clients",
                      "2", "--workers", "1"], "answers equal to the library's: yes"),
    ("bench_claims.py", ["--round-size", "500", "--rounds", "1", "--check", "3000",
                         "--memory", "2000"], "0 mismatches"),
    ("bench_frames.py", ["--n", "3000", "--rounds", "1", "--persons", "60"],
     "0 mismatches on 3,000 rows"),
    ("bench_dossier.py", ["--sizes", "10", "60", "--rounds", "1"], "evaluations agree"),
    ("bench_small.py", ["--calls", "200", "--rounds", "1", "--imports", "1"], "import ssreg"),
    ("bench_workers.py", ["--n", "2000", "--rounds", "1", "--persons", "50", "--dask", "0"],
     "0 mismatches on 2,000 claims"),
    pytest.param("bench_engines.py", ["--calls", "20", "--claims", "50", "--rounds", "1"],
                 "durable engine over raw durable-rules",
                 marks=pytest.mark.skipif(not HAS_DURABLE, reason="durable-rules: Python "
                                          "3.11/3.12 with pip install -e '.[durable]'")),
    pytest.param("bench_zen.py", ["--rounds", "1", "--students", "300"], "0 mismatches",
                 marks=pytest.mark.skipif(not HAS_ZEN, reason="zen-engine: pip install "
                                          "-e '.[bench]'")),
])
def test_benchmark_script_runs(script, args, expected):
    out = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True,
                         text=True, timeout=600, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert expected in out.stdout
    assert "ratio" in out.stdout or "per added event" in out.stdout
