"""Stress: ``ssreg batch`` or ``ssreg price`` on a million JSON Lines with bad lines inside.

Writes the input (good cases or claims, and every ``--bad-every`` lines one bad line: not
JSON, a wrong field, not UTF-8, nested 100,000 deep, a line of 20 MB), runs the command in a
subprocess, reads its output as it comes and checks that every good line is answered
and every bad line is reported with its number, each once and in order; meanwhile it
samples the command's memory (RSS) to show whether it stays flat::

    nice python stress/jsonl.py batch --lines 1000000
    nice python stress/jsonl.py price --lines 1000000 --presorted
    nice python stress/jsonl.py price --lines 1000000

Prints one JSON summary (lines, bad lines, seconds, lines per second, RSS at 10 %,
50 % and 100 % of the lines and the peak).  Exit status 1 if a line is missing,
duplicated, out of order or misreported.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psutil


CASES = [{"student": {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
                      "address_in_france": "Paris"}, "academic_year": "2026-2027"},
         {"student": {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
                      "ehic_expiry": "2027-12-31"}},
         {"student": {"birth_date": "2003-02-02", "nationality": "FR",
                      "country_of_birth": "FR"}}]
CARE = ["gp_consultation", "paramedical", "lab_biology", "specialist_consultation"]
BAD = [b'{"a": "' + b"x" * 20_000_000 + b'"}', b'{"student": ',
       b'{"student": {"birth_date": "yesterday"}}',
       b'{"care": "gp_consultation", "date": "2025-02-30", "billed": "x"}', b"\xff\xfe{}",
       b"[" * 100_000]


def write_input(path: Path, command: str, lines: int, bad_every: int) -> set[int]:
    """The input file; returns the numbers of the bad lines."""
    bad: set[int] = set()
    persons = max(1, lines // 50)
    with path.open("wb") as out:
        for n in range(1, lines + 1):
            if n % bad_every == bad_every // 2:
                out.write(BAD[(n // bad_every) % len(BAD)] + b"\n")  # the 20 MB line first
                bad.add(n)
                continue
            if command == "batch":
                item = CASES[n % len(CASES)]
            else:  # each person's claims in date order (presorted), persons interleaved
                i = n - 1
                day = date(2025, 1, 1) + timedelta(days=(i // persons) % 365)
                item = {"care": CARE[i % len(CARE)], "billed": f"{20 + i % 40}.50",
                        "date": day.isoformat(),
                        "person": f"p{i % persons}", "age": 22,
                        "referent_doctor_declared": True}
            out.write(json.dumps(item).encode() + b"\n")
    return bad


class Memory(threading.Thread):
    """Samples a process's resident memory (RSS) with the count of lines answered."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.samples: list[tuple[int, int]] = []
        self.answered = 0
        self.stop = False

    def run(self) -> None:
        while not self.stop:
            try:
                rss = sum(p.memory_info().rss for p in [self.process,
                                                         *self.process.children(True)])
            except psutil.Error:
                return
            self.samples.append((self.answered, rss))
            time.sleep(0.2)

    def at(self, fraction: float, total: int) -> int:
        wanted = fraction * total
        found = [rss for answered, rss in self.samples if answered <= wanted]
        return max(found) if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("batch", "price"))
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--bad-every", type=int, default=50_000)
    parser.add_argument("--presorted", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the input file")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ssreg-stress-"))
    source = folder / "input.jsonl"
    started = time.perf_counter()
    bad = write_input(source, args.command, args.lines, args.bad_every)
    written = time.perf_counter() - started
    command = [sys.executable, "-m", "ssreg", args.command, str(source)]
    command += ["--on", "2026-09-15"] if args.command == "batch" else ["--json"]
    if args.presorted:
        command.append("--presorted")
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    memory = Memory(process.pid)
    memory.start()
    problems: list[str] = []
    expected = 1
    assert process.stdout is not None
    for raw in process.stdout:
        record = json.loads(raw)
        number = record["line"] if "line" in record else int(record["where"].split()[1])
        if number != expected:
            problems.append(f"line {number} answered where line {expected} was due")
            expected = number
        if (number in bad) == record["ok"]:
            problems.append(f"line {number}: ok is {record['ok']}")
        if not record["ok"] and not any(p["path"].startswith(f"line {number}") or
                                        args.command == "batch"
                                        for p in record["problems"]):
            problems.append(f"line {number}: its problems do not name it")
        expected += 1
        memory.answered = number
        if len(problems) > 20:
            break
    process.wait()
    memory.stop = True
    seconds = time.perf_counter() - started
    if expected != args.lines + 1:
        problems.append(f"answers stop at line {expected - 1} of {args.lines}")
    mib = 1024 * 1024
    summary = {
        "command": " ".join(["ssreg", *command[3:4], "INPUT", *command[5:]]),
        "lines": args.lines, "bad_lines": len(bad), "write_seconds": round(written, 1),
        "seconds": round(seconds, 1), "lines_per_second": round(args.lines / seconds),
        "rss_mib_at_10%": round(memory.at(0.1, args.lines) / mib),
        "rss_mib_at_50%": round(memory.at(0.5, args.lines) / mib),
        "rss_mib_at_100%": round(memory.at(1.0, args.lines) / mib),
        "rss_mib_peak": round(max((r for _, r in memory.samples), default=0) / mib),
        "input_mib": round(source.stat().st_size / mib), "exit_status": process.returncode,
        "problems": problems[:20], "load": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary, indent=1))
    if not args.keep:
        source.unlink()
        folder.rmdir()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
