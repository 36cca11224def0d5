"""Dossiers built event by event: the time per added event must not grow with the history.

Run:  python benchmarks/bench_dossier.py [--sizes 10 100 1000 10000] [--rounds 3]

For each size N the events (an account, a passport uploaded, then rejected and
replaced again and again, fifty a day) are built as ``ssreg.Event`` objects before the
clock.  In alternating rounds:

- ``apply_event`` N times from an empty dossier (each event checked against the stage
  its dossier has reached): microseconds per added event;
- the same dossier built at once (``ssreg.Dossier(case=..., events=...)``, the linear
  reference: every event checked once, nothing decided);
- ``evaluate(dossier)`` on the last date, on a dossier just read (its history replayed
  from the first event: *cold*) and on the dossier ``apply_event`` returned (its state
  remembered: *warm*): microseconds per event of the history.

A flat "per added event" column (10 to 10,000 events) is the absence of a quadratic term.

With ``--before-src DIR`` (the ``src`` of ssreg at another commit, e.g. ``git archive main
src | tar -x -C /tmp/before``), each round also builds the same dossier event by event
with that code, in a child process, and the ratio before / now is printed per size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import machine

import ssreg


STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "1 rue de Rivoli, Paris",
           # every fact the route reads, stated (a fact not given leaves the route open)
           "stay_months": 10, "enrolled_in_french_institution": True,
           "previously_affiliated": False, "salaried": False, "andorran_insured": False,
           "quebec_form": "none", "has_s1": False, "ehic_expiry": "none"}
CASE = {"student": STUDENT, "academic_year": "2026-2027"}


def history(n: int) -> list[ssreg.Event]:
    day = date(2026, 8, 20)
    passport = {"kind": "passport", "expires": "2031-01-01", "status": "uploaded"}
    events = [{"type": "account_created", "date": day},
              {"type": "document_uploaded", "date": day, "document": passport}]
    while len(events) < n:
        if len(events) % 50 == 0:
            day += timedelta(days=1)
        events.append({"type": "document_rejected", "date": day, "kind": "passport",
                       "reason": "the scan is blurred"})
        events.append({"type": "document_replaced", "date": day, "document": passport})
    return [ssreg.Event(**e) for e in events[:n]]


def grow(events: list[ssreg.Event], case: object) -> float:
    """Seconds to build the dossier of ``events`` event by event."""
    start = time.perf_counter()
    dossier = ssreg.Dossier(case=case)
    for event in events:
        dossier = ssreg.apply_event(dossier, event)
    return time.perf_counter() - start


def warm_up() -> None:
    dossier = ssreg.Dossier(case=CASE)
    for event in history(4):  # the rulebook loaded and the tables compiled
        dossier = ssreg.apply_event(dossier, event)
    ssreg.evaluate(dossier, on=date(2026, 9, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before-src", help="a source tree of ssreg to compare with")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # (in the code of --before-src)
        warm_up()
        print(grow(history(args.child), ssreg.Dossier(case=CASE).case))
        return
    print(machine())
    warm_up()
    before: dict[int, list[float]] = {n: [] for n in args.sizes}
    applied: list[list[float]] = []
    print(f"{'events':>7} | {'apply_event':>22} | {'built at once':>22} | "
          f"{'evaluate, cold':>22} | {'evaluate, warm':>22}")
    print(f"{'':>7} | {'us per added event':>22} | {'us per event':>22} | "
          f"{'us per event':>22} | {'us per event':>22}")
    for n in args.sizes:
        events = history(n)
        case = ssreg.Dossier(case=CASE).case
        last = events[-1].date
        times: dict[str, list[float]] = {k: [] for k in ("apply", "once", "cold", "warm")}
        applied.append(times["apply"])
        for _ in range(args.rounds):
            if args.before_src:
                out = subprocess.run([sys.executable, __file__, "--child", str(n)],
                                     env=dict(os.environ, PYTHONPATH=args.before_src),
                                     capture_output=True, text=True, check=True)
                before[n].append(float(out.stdout.split()[-1]))
            start = time.perf_counter()
            dossier = ssreg.Dossier(case=case)
            for event in events:
                dossier = ssreg.apply_event(dossier, event)
            times["apply"].append(time.perf_counter() - start)
            start = time.perf_counter()
            fresh = ssreg.Dossier(case=case, events=tuple(events))
            times["once"].append(time.perf_counter() - start)
            assert fresh == dossier
            start = time.perf_counter()
            cold = ssreg.evaluate(fresh, on=last)
            times["cold"].append(time.perf_counter() - start)
            start = time.perf_counter()
            warm = ssreg.evaluate(dossier, on=last)
            times["warm"].append(time.perf_counter() - start)
            assert cold.to_dict() == warm.to_dict()
        cells = []
        for name in ("apply", "once", "cold", "warm"):
            per = [t / n * 1e6 for t in times[name]]
            cells.append(f"{statistics.median(per):8.2f} [{min(per):.2f}-{max(per):.2f}]")
        print(f"{n:>7} | " + " | ".join(f"{c:>22}" for c in cells))
    print("(median [min-max] over the rounds; cold and warm evaluations agree)")
    if args.before_src:
        print(f"apply_event with the code of {args.before_src}, in alternating rounds:")
        for n, (seconds, now) in zip(args.sizes, zip(before.values(), applied, strict=True),
                                     strict=True):
            ratios = [b / a for b, a in zip(seconds, now, strict=True)]
            print(f"{n:>7} | {statistics.median(seconds) / n * 1e6:8.2f} us per added event "
                  f"| before / now {statistics.median(ratios):.2f}x "
                  f"[{min(ratios):.2f}-{max(ratios):.2f}]")


if __name__ == "__main__":
    main()
