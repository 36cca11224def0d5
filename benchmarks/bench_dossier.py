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
"""

from __future__ import annotations

import argparse
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    warm_up = ssreg.Dossier(case=CASE)
    for event in history(4):  # the rulebook loaded and the tables compiled
        warm_up = ssreg.apply_event(warm_up, event)
    ssreg.evaluate(warm_up, on=date(2026, 9, 1))
    print(f"{'events':>7} | {'apply_event':>22} | {'built at once':>22} | "
          f"{'evaluate, cold':>22} | {'evaluate, warm':>22}")
    print(f"{'':>7} | {'us per added event':>22} | {'us per event':>22} | "
          f"{'us per event':>22} | {'us per event':>22}")
    for n in args.sizes:
        events = history(n)
        case = ssreg.Dossier(case=CASE).case
        last = events[-1].date
        times: dict[str, list[float]] = {k: [] for k in ("apply", "once", "cold", "warm")}
        for _ in range(args.rounds):
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


if __name__ == "__main__":
    main()
