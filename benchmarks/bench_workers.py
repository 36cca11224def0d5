"""Pricing on several processes, and through the Dask recipe, against one process.

Run:  python benchmarks/bench_workers.py [--n 1000000] [--rounds 3] [--dask 200000]

1. ``price_claims(claims, workers=W)`` for W = 1 and 2 on the same claims (``ssreg.Claim``
   objects built before the clock), in alternating rounds: once in date order and once
   shuffled.  Each round records the wall-clock time and the CPU time of every process
   (this one, and the workers once they have ended): the CPU ratio says what a second
   process costs in all, the wall-clock ratio what it gains.  Before timing, the two are
   compared claim for claim.
2. The same for ``price_frame(frame, workers=W)`` on a DataFrame of the same claims.
3. ``ssreg.dask.price_claims`` on a local cluster of 2 worker processes (started before
   the clock) against ``ssreg.price_frame`` in this process, on the same DataFrame.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


sys.path.insert(0, str(Path(__file__).parent))

from _common import alternate, claims, machine, report

import ssreg


COVER = ssreg.Cover(levels={"default": 100})


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(run: Callable[[], object]) -> tuple[float, float, float]:
    """Wall-clock seconds, CPU seconds of this process, CPU seconds of ended children."""
    wall, cpu, children = time.perf_counter(), time.process_time(), cpu_of_children()
    run()
    return (time.perf_counter() - wall, time.process_time() - cpu,
            cpu_of_children() - children)


def compare(variants: dict[str, Callable[[], object]], rounds: int, n: int) -> None:
    """Alternating rounds; per variant: wall-clock and CPU per claim, and the ratios to
    the first variant (median [min-max] over the rounds)."""
    records: dict[str, list[tuple[float, float, float]]] = {k: [] for k in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            records[name].append(measured(run))
    first = next(iter(variants))
    width = max(len(k) for k in variants)
    for name, rows in records.items():
        wall = statistics.median(r[0] for r in rows) / n * 1e6
        main = statistics.median(r[1] for r in rows) / n * 1e6
        workers = statistics.median(r[2] for r in rows) / n * 1e6
        cpu = [r[1] + r[2] for r in rows]
        base = [r[1] + r[2] for r in records[first]]
        cpu_ratio = [a / b for a, b in zip(cpu, base, strict=True)]
        speed = [b[0] / a[0] for a, b in zip(rows, records[first], strict=True)]
        print(f"  {name:<{width}} : wall {wall:6.2f} us/claim, CPU {main:6.2f} (this "
              f"process) + {workers:6.2f} (workers) us/claim; CPU ratio "
              f"{statistics.median(cpu_ratio):.2f}x [{min(cpu_ratio):.2f}-{max(cpu_ratio):.2f}]"
              f", speed-up {statistics.median(speed):.2f}x [{min(speed):.2f}-{max(speed):.2f}]")


def frame_of(batch: list[ssreg.Claim]) -> Any:
    """The claims as a DataFrame a notebook user would build (strings, datetimes, floats)."""
    import pandas as pd

    return pd.DataFrame({
        "care": pd.Series([c.care for c in batch], dtype="str"),
        "date": pd.to_datetime(pd.Series([c.date for c in batch])),
        "billed": [float(c.billed) for c in batch], "age": [c.age for c in batch],
        "person": pd.Series([c.person for c in batch], dtype="str"),
        "medicine_class": pd.Series([c.medicine_class for c in batch], dtype="str"),
        "boxes": [c.boxes for c in batch],
        "referent_doctor_declared": [c.referent_doctor_declared for c in batch],
        "referred": [c.referred for c in batch]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--dask", type=int, default=200_000, help="claims for the Dask part "
                        "(0: skip it)")
    args = parser.parse_args()
    print(machine())
    print("uptime at start: " + subprocess.run(["uptime"], capture_output=True,
                                               text=True).stdout.strip())

    in_order = list(claims(args.n, args.persons))
    shuffled = random.Random(1).sample(in_order, len(in_order))
    for name, batch in (("in date order", in_order), ("shuffled", shuffled)):
        one = list(ssreg.price_claims(batch, cover=COVER))
        two = list(ssreg.price_claims(batch, cover=COVER, workers=2))
        print(f"agreement ({name}): {sum(a != b for a, b in zip(one, two, strict=True))} "
              f"mismatches on {len(batch):,} claims (1 vs 2 processes)")
        del one, two

    def run(batch: list[ssreg.Claim], workers: int) -> Callable[[], None]:
        def priced() -> None:
            for _ in ssreg.price_claims(batch, cover=COVER, workers=workers):
                pass
        return priced

    for name, batch in (("in date order", in_order), ("shuffled", shuffled)):
        print(f"1. price_claims, {args.n:,} Claim objects {name}, {args.persons:,} persons, "
              f"{args.rounds} rounds:")
        compare({"1 process": run(batch, 1), "2 processes": run(batch, 2)}, args.rounds,
                args.n)

    frame = frame_of(in_order)
    one = ssreg.price_frame(frame, cover=COVER, money="cents")
    two = ssreg.price_frame(frame, cover=COVER, money="cents", workers=2)
    print(f"agreement (frame): {'equal' if one.equals(two) else 'DIFFERENT'} frames, "
          "1 vs 2 processes")
    print(f"2. price_frame, {args.n:,} claims in date order, {args.rounds} rounds:")
    compare({"1 process": lambda: ssreg.price_frame(frame, cover=COVER, money="cents"),
             "2 processes": lambda: ssreg.price_frame(frame, cover=COVER, money="cents",
                                                      workers=2)}, args.rounds, args.n)

    if not args.dask:
        return
    import dask.dataframe as dd
    import distributed

    from ssreg import dask as ssreg_dask

    part = frame.iloc[:args.dask]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        local = ssreg.price_frame(part, cover=COVER, money="cents")
        remote = client.compute(ssreg_dask.price_claims(
            dd.from_pandas(part, npartitions=8), cover=COVER, money="cents")).result()
        remote = remote.sort_values("position")
        same = (remote["amo"].to_numpy() == local["amo"].to_numpy()).all()
        print(f"agreement: Dask recipe {'equals' if same else 'DIFFERS FROM'} price_frame "
              f"on {len(part):,} claims")

        def in_process() -> None:
            ssreg.price_frame(part, cover=COVER, money="cents")

        def on_dask() -> None:
            client.compute(ssreg_dask.price_claims(dd.from_pandas(part, npartitions=8),
                                                   cover=COVER, money="cents")).result()

        print(f"3. {len(part):,} claims as a DataFrame, {args.rounds} rounds:")
        report(alternate({"price_frame, 1 process": in_process,
                          "Dask recipe, 2 workers": on_dask}, args.rounds),
               "price_frame, 1 process", len(part), label="claim")
    print("uptime at end: " + subprocess.run(["uptime"], capture_output=True,
                                             text=True).stdout.strip())


if __name__ == "__main__":
    main()
