"""Small costs: building a Claim, one price_claim call, reading a trace, importing ssreg.

Run:  python benchmarks/bench_small.py [--calls 20000] [--rounds 5] [--imports 10]

- ``ssreg.Claim(**fields)`` (every field converted and checked, in one generated pass)
  against an attrs class with the same fields and no conversion or check at all (the
  floor) and against attrs' ``__init__`` followed by the full check (the path the
  generated one replaces, kept as ``Claim.__init__.__wrapped__``);
- ``price_claim`` called again with the same settings (its pricer is kept) against the
  same claim priced in a batch of one;
- ``evaluate`` with and without reading its trace (rules not applied and why, every
  parameter read);
- ``import ssreg`` in a fresh interpreter with compiled bytecode, against starting the
  interpreter alone.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

import attrs
from _common import alternate, machine, report

import ssreg
from ssreg.model.fields import specs


FIELDS = {"care": "medicine", "medicine_class": "major", "date": date(2024, 3, 1),
          "billed": Decimal("12.40"), "age": 22, "person": "p1",
          "referent_doctor_declared": True, "referred": False, "boxes": 2}
CLAIM = {"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
         "referent_doctor_declared": True}
CASE = {"student": {"birth_date": "2004-03-01", "nationality": "BR",
                    "country_of_birth": "BR", "address_in_france": "1 rue de Rivoli, Paris",
                    # every fact the route reads, stated (else the route is open)
                    "stay_months": 10, "enrolled_in_french_institution": True,
                    "previously_affiliated": False, "salaried": False,
                    "andorran_insured": False, "quebec_form": "none", "has_s1": False,
                    "ehic_expiry": "none"}}
Bare = attrs.make_class("Bare", {name: attrs.field(default=None)
                                 for name, _ in specs(ssreg.Claim)}, frozen=True, slots=True)


def imports(n: int) -> None:
    src = Path(ssreg.__file__).parent
    compileall.compile_dir(str(src), quiet=1)
    bare, full = [], []
    for _ in range(n):
        for code, times in (("pass", bare), ("import ssreg", full)):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
    print(f"  import ssreg (bytecode compiled), {n} runs: "
          f"{(min(full) - min(bare)) * 1e3:.0f} ms at best, "
          f"{(statistics.median(full) - statistics.median(bare)) * 1e3:.0f} ms median "
          f"(interpreter alone {min(bare) * 1e3:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--imports", type=int, default=10)
    args = parser.parse_args()
    print(machine())
    n = args.calls

    print(f"1. building a claim, {n:,} a round:")
    checked = ssreg.Claim.__init__.__wrapped__  # attrs' __init__, then the full check
    new = object.__new__
    report(alternate({"attrs class, no checks": lambda: [Bare(**FIELDS) for _ in range(n)],
                      "attrs __init__ + check": lambda: [checked(new(ssreg.Claim), **FIELDS)
                                                         for _ in range(n)],
                      "ssreg.Claim": lambda: [ssreg.Claim(**FIELDS) for _ in range(n)]},
                     args.rounds), "attrs class, no checks", n, label="claim")

    calls = max(1, n // 20)
    ssreg.price_claim(CLAIM)
    print(f"2. one claim priced, {calls:,} calls a round:")
    report(alternate({
        "price_claims([claim])": lambda: [list(ssreg.price_claims([CLAIM]))
                                          for _ in range(calls)],
        "price_claim(claim)": lambda: [ssreg.price_claim(CLAIM) for _ in range(calls)]},
        args.rounds), "price_claims([claim])", calls, label="call")

    assert ssreg.evaluate(CASE, on="2026-09-15").trace.fired  # warm: the tables compiled
    print(f"3. evaluate, {calls:,} calls a round:")
    report(alternate({
        "evaluate": lambda: [ssreg.evaluate(CASE, on="2026-09-15") for _ in range(calls)],
        "evaluate + trace": lambda: [ssreg.evaluate(CASE, on="2026-09-15").trace
                                     for _ in range(calls)]},
        args.rounds), "evaluate", calls, label="call")

    print("4. start-up:")
    imports(args.imports)


if __name__ == "__main__":
    main()
