"""Stress: a worker process killed (SIGKILL, from outside) while ``workers=2`` prices a
batch, or while a Dask cluster prices one; nothing may be lost or given twice.

The claims (many persons, caps that bite, a few refused claims) are priced once in one
process for reference.  Then the same batch is priced on two processes while a watcher
thread kills one worker process once a share of the results has been read; every claim
must come back once, in order, equal to the reference claim for claim::

    nice python stress/kill_worker.py workers --claims 300000
    nice python stress/kill_worker.py workers --claims 300000 --shuffled
    nice python stress/kill_worker.py dask --claims 100000

Prints one JSON summary; exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from typing import Any

import psutil


CARE = ["gp_consultation", "paramedical", "lab_biology", "medicine", "specialist_consultation"]


def claims(count: int, shuffled: bool, seed: int = 25) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    persons = max(1, count // 60)
    out = []
    for i in range(count):
        care = CARE[i % len(CARE)]
        item = {"care": care, "billed": f"{rnd.randrange(5, 90)}.{rnd.randrange(100):02d}",
                "date": (date(2025, 1, 1) + timedelta(days=(i // persons) % 365)).isoformat(),
                "person": f"p{i % persons}", "age": 22, "referent_doctor_declared": True,
                "provider": f"dr-{rnd.randrange(3)}"}
        if care == "medicine":
            item["medicine_class"] = "major"
        if i % 9973 == 17:
            item["care"] = "massage"  # refused in its place
        out.append(item)
    if shuffled:
        rnd.shuffle(out)
    return out


def comparable(result: Any) -> Any:
    data = result.to_dict()
    return json.dumps(data, sort_keys=True, default=str)


def workers_of(root: psutil.Process) -> list[psutil.Process]:
    """The worker processes under ``root`` (not multiprocessing's helper processes)."""
    found = []
    for child in root.children(recursive=True):
        try:
            line = " ".join(child.cmdline())
            if child.is_running() and child.pid != os.getpid() and not any(
                    helper in line for helper in ("resource_tracker", "forkserver",
                                                  "kill_worker.py kill")):
                found.append(child)
        except psutil.Error:
            continue
    return found


def killer(parent: int, after: float) -> None:
    """Run in its own process (a thread would make the pool start by forkserver rather
    than fork): kill one worker of ``parent`` once workers have run ``after`` seconds."""
    root = psutil.Process(parent)
    first = None
    while root.is_running():
        workers = workers_of(root)
        if workers:
            first = first or time.perf_counter()
            if time.perf_counter() - first >= after:
                os.kill(workers[-1].pid, signal.SIGKILL)
                print(json.dumps({"killed_pid": workers[-1].pid}), flush=True)
                return
        time.sleep(0.01)


def workers_run(batch: list[dict[str, Any]], reference: list[str],
                after: float) -> dict[str, Any]:
    import ssreg

    watcher = subprocess.Popen([sys.executable, __file__, "kill", str(os.getpid()),
                                str(after)], stdout=subprocess.PIPE, text=True)
    started = time.perf_counter()
    got = [comparable(result) for result in ssreg.price_claims(batch, workers=2,
                                                                errors="collect")]
    seconds = time.perf_counter() - started
    watcher.terminate()
    out, _ = watcher.communicate()
    killed = json.loads(out)["killed_pid"] if out.strip() else None
    return {"killed_pid": killed, "killed_after_seconds": after,
            "seconds": round(seconds, 1), **verdict(got, reference)}


class Killer(threading.Thread):
    """Kills one process once ``ready()`` says so (for Dask, whose workers are not
    forked from this process)."""

    def __init__(self, ready: Any, victim: int) -> None:
        super().__init__(daemon=True)
        self.ready, self.victim = ready, victim
        self.killed: int | None = None
        self.at = 0.0
        self.done = False

    def run(self) -> None:
        started = time.perf_counter()
        while not self.done:
            if self.ready():
                os.kill(self.victim, signal.SIGKILL)
                self.killed, self.at = self.victim, time.perf_counter() - started
                return
            time.sleep(0.01)


def dask_run(batch: list[dict[str, Any]], reference: list[str],
             after: float) -> dict[str, Any]:
    import dask.dataframe as dd
    import distributed
    import pandas as pd

    import ssreg
    import ssreg.dask

    frame = pd.DataFrame(batch)
    expected = ssreg.price_frame(frame, errors="collect", money="cents")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        priced = ssreg.dask.price_claims(dd.from_pandas(frame, npartitions=8), money="cents")
        future = client.compute(priced)
        started = time.perf_counter()

        def ready() -> bool:  # a partition is being priced on a worker
            return any("price_partition" in str(key) for keys in
                       client.processing().values() for key in keys)

        killer = Killer(ready, pids[0])
        killer.start()
        got = future.result().sort_values("position").reset_index(drop=True)
        killer.done = True
        seconds = time.perf_counter() - started
    columns = ["ok", "person", "care", "billed", "amo", "top_up", "patient", "deduction"]

    def rows(table: Any) -> list[str]:
        part = table[columns].astype(object)
        return [json.dumps(r, default=str) for r in part.where(part.notna(), None).values
                .tolist()]

    result = verdict(rows(got), rows(expected))
    result["positions_once_each"] = got["position"].tolist() == list(range(len(batch)))
    result["ok"] = result["ok"] and result["positions_once_each"]
    return {"killed_pid": killer.killed, "killed_at_seconds": round(killer.at, 2),
            "seconds": round(seconds, 1), **result}


def verdict(got: list[str], reference: list[str]) -> dict[str, Any]:
    different = [i for i, (a, b) in enumerate(zip(got, reference, strict=False)) if a != b]
    return {"results": len(got), "expected": len(reference), "different": len(different),
            "first_different": different[:5],
            "ok": len(got) == len(reference) and not different}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("where", choices=("workers", "dask", "kill"))
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument("--shuffled", action="store_true",
                        help="persons' claims out of date order (the non-pipelined path)")
    parser.add_argument("--after", type=float, default=2.0,
                        help="seconds the workers run before one is killed")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["kill"]:  # the watcher process
        killer(int(argv[1]), float(argv[2]))
        return 0
    args = parser.parse_args(argv)
    import ssreg

    batch = claims(args.claims, args.shuffled)
    started = time.perf_counter()
    reference = [comparable(r) for r in ssreg.price_claims(batch, errors="collect")]
    one = time.perf_counter() - started
    run = workers_run if args.where == "workers" else dask_run
    summary = {"where": args.where, "claims": args.claims, "shuffled": args.shuffled,
               "one_process_seconds": round(one, 1), **run(batch, reference, args.after),
               "load": round(os.getloadavg()[0], 1)}
    if summary["killed_pid"] is None:
        summary["ok"] = False
        summary["note"] = "no worker was killed (the batch ended first): use more claims"
    print(json.dumps(summary, indent=1))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
