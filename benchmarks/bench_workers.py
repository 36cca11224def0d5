"""Pricing on several processes, and through the Dask recipe, against one process.

Run:  python benchmarks/bench_workers.py [--n 1000000] [--rounds 3] [--dask 1000000]
      [--partitions 2]

1. ``price_claims(claims, workers=W)`` for W = 1 and 2 on the same claims (``ssreg.Claim``
   objects built before the clock), in alternating rounds: once in date order and once
   shuffled.  Each round records the wall-clock time and the CPU time of every process
   (this one, and the workers once they have ended): the CPU ratio says what a second
   process costs in all, the wall-clock ratio what it gains.  Before timing, the two are
   compared claim for claim.
2. The same for ``price_frame(frame, workers=W)`` on a DataFrame of the same claims
   (priced by columns in one process whatever ``workers`` says: the ratio shows what
   asking for workers costs).
3. ``ssreg.dask.price_claims`` on a local cluster of 2 worker processes against
   ``ssreg.price_frame`` in this process (see :func:`dask_part` for what is loaded
   before the clock and what is timed).
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
    parser.add_argument("--dask", type=int, default=1_000_000, help="claims for the Dask "
                        "part (0: skip it)")
    parser.add_argument("--partitions", type=int, default=2, help="Dask partitions")
    parser.add_argument("--malloc", choices=("tuned", "default"), default="tuned",
                        help="Dask workers' malloc settings: as docs/scale.md recommends, "
                        "or Dask's default (a 64 KiB trim threshold)")
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

    if args.dask:
        dask_part(frame if args.dask <= args.n else frame_of(list(claims(args.dask,
                                                                      args.persons))),
                  args.dask, args.rounds, args.partitions, args.malloc)
    print("uptime at end: " + subprocess.run(["uptime"], capture_output=True,
                                             text=True).stdout.strip())


#: the workers' malloc settings recommended in docs/scale.md for the columnar pricer
WORKER_MALLOC = {"MALLOC_TRIM_THRESHOLD_": 1 << 30, "MALLOC_MMAP_THRESHOLD_": 1 << 25}


def dask_part(frame: Any, n: int, rounds: int, partitions: int, malloc: str) -> None:
    """3. The Dask recipe against price_frame in this process, on the same claims.

    Before the clock: the cluster is started (its workers' malloc settings printed:
    ``--malloc``) and the claims are loaded on its workers
    (``persist``) twice, as given (in date order) and partitioned by person (the
    shuffle done before the clock, as data written by person would come).  Timed:
    price_frame on the pandas frame in this process; the recipe with its shuffle and
    with ``by_person=True`` (its check included), each leaving the priced partitions on
    the workers (``persist``: the result held in memory, as price_frame's is); and the
    latter again gathered into this process as one pandas frame.
    """
    import dask
    import dask.dataframe as dd
    import distributed

    from ssreg import dask as ssreg_dask

    part = frame.iloc[:n]
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    if malloc == "tuned":  # see docs/scale.md: Dask's 64 KiB trim threshold doubles the
        environ.update(WORKER_MALLOC)  # columnar pricer's time in a worker
    print(f"Dask workers' malloc settings ({malloc}): " + ", ".join(
        f"{k}={v}" for k, v in environ.items() if k.startswith("MALLOC")))
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        given = dd.from_pandas(part, npartitions=partitions).persist()
        by_person = dd.from_pandas(part, npartitions=partitions).shuffle(
            on="person").persist()
        distributed.wait([given, by_person])
        for name, claims_on_workers, options in (
                ("shuffle", given, {}), ("by_person", by_person, {"by_person": True})):
            remote = client.compute(ssreg_dask.price_claims(
                claims_on_workers, cover=COVER, money="cents", **options)).result()
            remote = remote.sort_values("position")
            # the same claims in the order the recipe numbers them (the partitions' order)
            local = ssreg.price_frame(claims_on_workers.compute(), cover=COVER,
                                      money="cents")
            same = all(remote[c].astype(object).where(remote[c].notna(), None).tolist() ==
                       local[c].astype(object).where(local[c].notna(), None).tolist()
                       for c in ("ok", "person", "amo", "top_up", "patient"))
            print(f"agreement ({name}): Dask recipe {'equals' if same else 'DIFFERS FROM'} "
                  f"price_frame on {len(part):,} claims")

        def kept(claims_on_workers: Any, **options: Any) -> Callable[[], None]:
            def run() -> None:
                priced = ssreg_dask.price_claims(claims_on_workers, cover=COVER,
                                                 money="cents", **options).persist()
                distributed.wait(priced)
                del priced
            return run

        def gathered() -> None:
            client.compute(ssreg_dask.price_claims(by_person, cover=COVER, money="cents",
                                                   by_person=True)).result()

        print(f"3. {len(part):,} claims as a DataFrame, {partitions} partitions, 2 Dask "
              f"workers, {rounds} rounds:")
        report(alternate({
            "price_frame, 1 process": lambda: ssreg.price_frame(part, cover=COVER,
                                                                money="cents"),
            "Dask, shuffle, kept on workers": kept(given),
            "Dask, by_person, kept on workers": kept(by_person, by_person=True),
            "Dask, by_person, gathered here": gathered}, rounds),
            "price_frame, 1 process", len(part), label="claim")


if __name__ == "__main__":
    main()
