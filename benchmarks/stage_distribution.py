"""How the testing strategies spread over the journey: stages of 1,000 default draws.

Draws ``st.from_type(ssreg.Dossier)`` (every route, half of the draws aimed at a stage)
and ``event_sequences(case)`` (a free walk of up to 12 events for an online student), and
prints how many dossiers end at each stage, then checks that a targeted draw reaches every
stage of every route.  Not a timing: the counts are recorded in docs/testing.md.

    python benchmarks/stage_distribution.py --draws 1000
"""

from __future__ import annotations

import argparse
import collections
import time
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import event_sequences, students
from ssreg.testing.journeys import ROUTE_STAGES, dossiers


START = date(2026, 8, 20)


def _stage(dossier: ssreg.Dossier) -> str:
    day = max(dossier.events[-1].date, START) if dossier.events else START
    flow = ssreg.evaluate(dossier, on=day).workflow
    assert flow is not None
    return flow.stage


def count(strategy: st.SearchStrategy[ssreg.Dossier], draws: int) -> collections.Counter[str]:
    found: collections.Counter[str] = collections.Counter()

    @settings(max_examples=draws, database=None, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def probe(dossier: ssreg.Dossier) -> None:
        found[_stage(dossier)] += 1

    probe()
    return found


def _free_walk() -> st.SearchStrategy[ssreg.Dossier]:
    case = students(route="online", on=START).map(
        lambda s: ssreg.Case(student=s, academic_year="2026-2027"))
    return case.flatmap(lambda c: event_sequences(c, start=START).map(
        lambda events: ssreg.Dossier(case=c, events=tuple(events))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    order = list(dict.fromkeys(s for stages in ROUTE_STAGES.values() for s in stages))
    for title, strategy in (("st.from_type(ssreg.Dossier)", st.from_type(ssreg.Dossier)),
                            ("event_sequences(online case), free walk", _free_walk())):
        started = time.perf_counter()
        found = count(strategy, args.draws)
        took = time.perf_counter() - started
        print(f"{title}: {sum(found.values())} draws in {took:.0f} s")
        for stage in order:
            print(f"  {stage:<24} {found.get(stage, 0):>5}")
    missing = []
    for route, stages in ROUTE_STAGES.items():
        for stage in stages:
            got = count(dossiers(route=route, stage=stage), 3)
            if set(got) != {stage}:
                missing.append((route, stage, dict(got)))
    print("every stage of every route reached by a targeted draw" if not missing
          else f"NOT reached: {missing}")


if __name__ == "__main__":
    main()
