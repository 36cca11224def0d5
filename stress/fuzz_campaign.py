"""A long fuzz campaign over every door of the registry in ``tests/test_fuzz.py``.

Each door gets ``SSREG_FUZZ_EXAMPLES`` inputs (or ``--examples``; a slow door's own cap
applies), drawn in chunks with fresh seeds, and each input is counted as accepted, ssreg
error, other exception, hang (over ``--hang`` seconds) or broken invariant.  The table
is printed as each door finishes and everything, with the first example of each distinct
failure, is written to ``--out`` (JSON)::

    SSREG_FUZZ_EXAMPLES=100000 nice python stress/fuzz_campaign.py --out fuzz.json
    python stress/fuzz_campaign.py --examples 2000 --doors evaluate,nir

Not part of the test run (the suite runs the same doors with a small budget).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1_000  # hypothesis keeps what it explored: fresh runs keep memory bounded


def registry():
    spec = importlib.util.spec_from_file_location("ssreg_fuzz_doors", ROOT / "tests" /
                                                  "test_fuzz.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.DOORS


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int,
                        default=int(os.environ.get("SSREG_FUZZ_EXAMPLES", "1000")))
    parser.add_argument("--doors", default="", help="comma-separated door names (default: all)")
    parser.add_argument("--hang", type=float, default=2.0, help="seconds counted as a hang")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--out", default="", help="write the full account here (JSON)")
    parser.add_argument("--minutes", type=float, default=0.0,
                        help="stop a door after this long (0: no limit): as large as the "
                             "machine allows")
    args = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from ssreg.testing.fuzz import OUTCOMES, Tally, campaign

    doors = registry()
    chosen = [d for d in doors if not args.doors or d.name in args.doors.split(",")]
    limit = f", at most {args.minutes:g} min per door" if args.minutes else ""
    print(f"# fuzz campaign: {args.examples} inputs per door (slow doors capped{limit}), "
          f"hang over {args.hang} s, seed {args.seed}, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    print("| door | inputs | " + " | ".join(OUTCOMES) + " | slowest (s) | time (s) |")
    print("|---|---:|" + "---:|" * (len(OUTCOMES) + 2), flush=True)
    report = {"seed": args.seed, "examples": args.examples, "hang": args.hang,
              "python": platform.python_version(), "doors": []}
    failed = False
    for number, door in enumerate(chosen):
        total = Tally(door.name)
        budget = min(args.examples, door.examples or args.examples)
        started = time.perf_counter()
        done = 0
        while done < budget and not (args.minutes and time.perf_counter() - started >
                                     60 * args.minutes):
            size = min(CHUNK, budget - done)
            part = campaign(door, size, hang=args.hang, seed=args.seed + 7919 * number + done)
            for kind, count in part.counts.items():
                total.counts[kind] = total.counts.get(kind, 0) + count
            total.slowest = max(total.slowest, part.slowest)
            total.seconds += part.seconds
            for failure in part.failures:
                if len(total.failures) < 50:
                    total.failures.append(failure)
            done += size
        data = total.to_dict()
        data["wall_seconds"] = round(time.perf_counter() - started, 1)
        report["doors"].append(data)
        failed |= not total.ok
        print(f"| {door.name} | {total.total} | "
              + " | ".join(str(total.counts.get(k, 0)) for k in OUTCOMES)
              + f" | {total.slowest:.2f} | {data['wall_seconds']:.0f} |", flush=True)
        for failure in total.failures[:5]:
            print(f"|   {failure.kind}: {failure.error} at {failure.where} "
                  f"{failure.detail[:160]} |", flush=True)
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=1, default=str),
                                      encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
