"""Stress: 8 threads applying events and evaluating dossiers give what one thread gives.

Journeys are drawn first (hypothesis as a generator: cases with documents and claims,
and event sequences the rulebook accepts, plus events it refuses); then every journey
is replayed (each event applied with ``apply_event``, refusals recorded, the dossier
evaluated on several dates, its JSON written) once in one thread and ``--rounds`` times
on 8 threads sharing the same rulebook.  Every answer must be identical::

    nice python stress/threads.py --journeys 300 --rounds 3

Prints one JSON summary; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any


def journeys(count: int) -> list[tuple[Any, list[Any]]]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import ssreg
    from ssreg.testing import cases, event_sequences

    found: list[tuple[Any, list[Any]]] = []
    refusable = st.sampled_from([
        {"type": "carte_vitale_ordered", "date": "2026-09-03", "photo": True,
         "id_document": True},
        {"type": "ameli_account_created", "date": "2026-09-04"},
        {"type": "document_rejected", "date": "2026-09-05", "kind": "passport"}])

    @settings(max_examples=count, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(cases(route="online", on=date(2026, 8, 20)).flatmap(
        lambda case: st.tuples(st.just(case), event_sequences(case))), refusable)
    def collect(journey: tuple[Any, list[Any]], extra: dict[str, Any]) -> None:
        case, events = journey
        last = events[-1].date if events else date(2026, 8, 20)
        found.append((case, [*events, {**extra, "date": (last + timedelta(days=1))
                                        .isoformat()}]))

    collect()
    assert all(isinstance(c, ssreg.Case) for c, _ in found)
    return found


def replay(journey: tuple[Any, list[Any]]) -> list[str]:
    """Every answer of one journey, as text (identical runs give identical lists)."""
    import ssreg

    case, events = journey
    dossier = ssreg.Dossier(case=case)
    answers = []
    for event in events:
        try:
            dossier = ssreg.apply_event(dossier, event)
            answers.append("accepted")
        except ssreg.EventRefused as exc:
            answers.append(f"refused: {exc}")
        except ssreg.SsregError as exc:
            answers.append(f"error: {type(exc).__name__}: {exc}")
    last = dossier.events[-1].date if dossier.events else date(2026, 8, 20)
    for on in (last, last + timedelta(days=30), date(2027, 9, 1)):
        decision = ssreg.evaluate(dossier, on=on)
        answers.append(json.dumps(decision.to_dict("fr"), sort_keys=True, default=str))
        answers.append(decision.explain("es"))
    answers.append(dossier.to_json())
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = journeys(args.journeys)
    drawn = time.perf_counter() - started
    expected = [replay(j) for j in work]  # a first pass fills the rulebook's caches
    started = time.perf_counter()
    assert [replay(j) for j in work] == expected, "one thread, twice: not the same answers"
    sequential = time.perf_counter() - started
    different: list[int] = []
    threaded = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            got = list(pool.map(replay, work))
        threaded.append(round(time.perf_counter() - started, 1))
        different += [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
    events = sum(len(e) for _, e in work)
    summary = {"journeys": len(work), "events": events,
               "answers_per_round": sum(len(a) for a in expected),
               "draw_seconds": round(drawn, 1), "sequential_seconds": round(sequential, 1),
               "threads": args.threads, "threaded_seconds": threaded,
               "different": len(different), "first_different": different[:5],
               "ok": not different, "load": round(os.getloadavg()[0], 1)}
    print(json.dumps(summary, indent=1))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
