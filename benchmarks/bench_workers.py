"""Pricing on several processes, and through the Dask recipe, against one process.

Run:  python benchmarks/bench_workers.py [--n 1000000] [--rounds 3] [--dask 200000]

1. ``price_claims(claims, workers=W)`` for W = 1 and 2 on the same claims (``ssreg.Claim``
   objects built before the clock), in alternating rounds: once in date order (the
   pipelined path) and once shuffled (regrouped by person).  Before timing, the two are
   compared claim for claim.
2. ``ssreg.dask.price_claims`` on a local cluster of 2 worker processes (started before
   the clock) against ``ssreg.price_frame`` in this process, on the same DataFrame:
   the recipe's overhead (shuffle by person, transfer, per-partition pricing).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import alternate, claims, machine, report

import ssreg


COVER = ssreg.Cover(levels={"default": 100})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--dask", type=int, default=200_000, help="claims for the Dask part "
                        "(0: skip it)")
    args = parser.parse_args()
    print(machine())

    in_order = list(claims(args.n, args.persons))
    shuffled = random.Random(1).sample(in_order, len(in_order))
    for name, batch in (("in date order", in_order), ("shuffled", shuffled)):
        one = list(ssreg.price_claims(batch, cover=COVER))
        two = list(ssreg.price_claims(batch, cover=COVER, workers=2))
        print(f"agreement ({name}): {sum(a != b for a, b in zip(one, two, strict=True))} "
              f"mismatches on {len(batch):,} claims (1 vs 2 processes)")
        del one, two

    def run(batch: list[ssreg.Claim], workers: int):
        def priced() -> None:
            for _ in ssreg.price_claims(batch, cover=COVER, workers=workers):
                pass
        return priced

    for name, batch in (("in date order (pipelined)", in_order),
                        ("shuffled (regrouped by person)", shuffled)):
        print(f"1. {args.n:,} claims {name}, {args.persons:,} persons, {args.rounds} rounds:")
        report(alternate({"1 process": run(batch, 1), "2 processes": run(batch, 2)},
                         args.rounds), "1 process", args.n, label="claim")
    batch = shuffled

    if not args.dask:
        return
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    from ssreg import dask as ssreg_dask

    frame = pd.DataFrame([{"care": c.care, "date": c.date, "billed": str(c.billed),
                           "age": c.age, "person": c.person,
                           "medicine_class": c.medicine_class, "boxes": c.boxes,
                           "referent_doctor_declared": c.referent_doctor_declared,
                           "referred": c.referred} for c in batch[:args.dask]])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        local = ssreg.price_frame(frame, cover=COVER, money="cents")
        remote = client.compute(ssreg_dask.price_claims(
            dd.from_pandas(frame, npartitions=8), cover=COVER, money="cents")).result()
        remote = remote.sort_values("position")
        same = (remote["amo"].to_numpy() == local["amo"].to_numpy()).all()
        print(f"agreement: Dask recipe {'equals' if same else 'DIFFERS FROM'} price_frame "
              f"on {len(frame):,} claims")

        def in_process() -> None:
            ssreg.price_frame(frame, cover=COVER, money="cents")

        def on_dask() -> None:
            client.compute(ssreg_dask.price_claims(dd.from_pandas(frame, npartitions=8),
                                                   cover=COVER, money="cents")).result()

        print(f"2. {len(frame):,} claims as a DataFrame, {args.rounds} rounds:")
        report(alternate({"price_frame, 1 process": in_process,
                          "Dask recipe, 2 workers": on_dask}, args.rounds),
               "price_frame, 1 process", len(frame), label="claim")


if __name__ == "__main__":
    main()
