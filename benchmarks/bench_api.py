"""The HTTP API under load: requests per second and p50/p99 latency of evaluate, of
pricing and of the questions of a partial case, on 1 and 2 workers, against the same
work done in this process.

Run:  python benchmarks/bench_api.py [--clients 8] [--seconds 10] [--rounds 2]

For each round and each number of workers, ``ssreg serve --port 0 --workers W`` is
started on 127.0.0.1 and, after a warm-up, ``--clients`` concurrent clients (keep-alive
HTTP/1.1 connections from one asyncio loop, requests written before the clock) send the
same request back to back for ``--seconds``: a case evaluated in French (the full
Decision), a JSON array of 10 claims priced, and the questions of a partial case (a
student who says nothing of a European Health Insurance Card).  Every answer must be 200
and equal to the answer the library gives in this process (checked once before timing);
any other status is counted and printed as an error.  The baseline is the same work in
this process (``evaluate(...).to_dict("fr")``, ``price_claims`` + ``claim_dict``, or
``questions`` and ``next_question`` + ``question_dict``, and ``json.dumps``), one call at
a time: its ratio says what HTTP, JSON parsing and the server cost.  The load generator
shares the machine's CPUs with the server (loopback only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import machine

import ssreg
from ssreg.output.labels import claim_dict


#: every fact the route reads is given: the Decision is settled
STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "12 rue des Écoles, 75005 Paris", "stay_months": 10,
           "enrolled_in_french_institution": True, "previously_affiliated": False,
           "salaried": False, "andorran_insured": False, "quebec_form": "none"}
CASE = {"student": STUDENT}
#: a German student who says nothing of a European Health Insurance Card: one question
PARTIAL = {"student": {**STUDENT, "nationality": "DE", "country_of_birth": "DE",
                       "has_s1": False}}
CLAIMS = [{"care": care, "date": f"2026-01-{day:02d}", "billed": billed, "age": 22,
           "referent_doctor_declared": True}
          for day, (care, billed) in enumerate([
              ("gp_consultation", "30"), ("specialist_consultation", "50"),
              ("lab_biology", "24.30"), ("paramedical", "16.13"), ("dental", "60"),
              ("gp_consultation", "30"), ("radiology", "45"), ("optics", "120"),
              ("midwife_consultation", "25"), ("psychologist_session", "50")], start=5)]
WORK = {
    "evaluate": ("/evaluate?on=2026-09-15&lang=fr", CASE),
    "pricing (10 claims)": ("/claims/price?lang=fr", CLAIMS),
    "questions": ("/questions?on=2026-10-01&lang=fr", PARTIAL),
}


def _asked() -> list[dict[str, object]]:
    from ssreg.output.asking import question_dict

    book = ssreg.default_rulebook()
    ssreg.next_question(PARTIAL, on="2026-10-01")  # the server computes it too
    return [question_dict(book, q, "fr") for q in ssreg.questions(PARTIAL, on="2026-10-01")]


def local(name: str) -> object:
    """The answer the library gives in this process, as JSON data."""
    book = ssreg.default_rulebook()
    if name == "evaluate":
        data: object = ssreg.evaluate(CASE, on="2026-09-15").to_dict("fr")
    elif name == "questions":
        data = _asked()
    else:
        results = list(ssreg.price_claims(CLAIMS, errors="collect"))
        data = [claim_dict(book, r, "fr") for r in results]
    return json.loads(json.dumps(data, ensure_ascii=False))


def request_bytes(path: str, body: object) -> bytes:
    data = json.dumps(body).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
              raw: bytes) -> tuple[int, bytes]:
    """Send one request on a kept-alive connection; the status and the body."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return status, await reader.readexactly(length)


async def load(port: int, raw: bytes, clients: int, seconds: float,
               warmup: float) -> tuple[list[float], int, int]:
    """Latencies (s) of the requests that ended in the timed window, requests done in it,
    and the answers that were not 200."""
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter() + warmup
    end = start + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                began = time.perf_counter()
                if began >= end:
                    return
                status, _ = await one(reader, writer, raw)
                done = time.perf_counter()
                if status != 200:
                    errors += 1
                if began >= start and done <= end:
                    latencies.append(done - began)
        finally:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, len(latencies), errors


def start_server(workers: int) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen([sys.executable, "-m", "ssreg", "serve", "--port", "0",
                                "--workers", str(workers), "--log-level", "warning"],
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    for line in process.stderr:
        if "listening on" in line:
            port = int(line.split("listening on ")[1].split()[0].rsplit(":", 1)[1])
            break
    else:
        raise SystemExit("the server did not start")
    log = process.stderr

    def drain() -> None:  # the server's log, shown, never left to fill the pipe
        for line in log:
            print(f"  server: {line.rstrip()}", file=sys.stderr)

    threading.Thread(target=drain, daemon=True).start()
    return process, port


def stop_server(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        status = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit("the server did not stop within 60 s of SIGTERM") from None
    if status != 0:
        raise SystemExit(f"the server stopped with status {status}")


def baseline(name: str, seconds: float) -> float:
    """Seconds per call of the same work in this process, one call at a time."""
    book = ssreg.default_rulebook()
    count = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        if name == "evaluate":
            json.dumps(ssreg.evaluate(CASE, on="2026-09-15").to_dict("fr"), ensure_ascii=False)
        elif name == "questions":
            json.dumps(_asked(), ensure_ascii=False, default=str)
        else:
            json.dumps([claim_dict(book, r, "fr") for r in ssreg.price_claims(
                CLAIMS, errors="collect")], ensure_ascii=False)
        count += 1
    return (time.perf_counter() - began) / count


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(machine())
    raws = {name: request_bytes(path, body) for name, (path, body) in WORK.items()}
    expected = {name: local(name) for name in WORK}
    base: dict[str, list[float]] = {name: [] for name in WORK}
    results: dict[tuple[str, int], list[tuple[float, float, float, int]]] = {}
    for _ in range(args.rounds):
        for name in WORK:  # the baseline in every round, beside the servers
            base[name].append(1 / baseline(name, min(args.seconds, 3.0)))
        for workers in args.workers:
            process, port = start_server(workers)
            try:
                for name, raw in raws.items():
                    answer = json.loads(asyncio.run(_check(port, raw))[1])
                    got = {"evaluate": answer, "questions": answer.get("questions")}.get(
                        name, answer.get("claims"))
                    if got != expected[name]:
                        raise SystemExit(f"{name}: the server's answer differs from the "
                                         "library's")
                    latencies, done, errors = asyncio.run(
                        load(port, raw, args.clients, args.seconds, args.warmup))
                    results.setdefault((name, workers), []).append(
                        (done / args.seconds, percentile(latencies, 0.5),
                         percentile(latencies, 0.99), errors))
            finally:
                stop_server(process)
    print(f"answers equal to the library's: yes; {args.clients} clients, {args.seconds:g} s "
          f"per run after {args.warmup:g} s of warm-up, {args.rounds} rounds")
    for name in WORK:
        in_process = statistics.median(base[name])
        print(f"{name}: in this process, one at a time: {in_process:,.0f} calls/s "
              f"({1e3 / in_process:.2f} ms each)")
        for workers in args.workers:
            runs = results[(name, workers)]
            rates = [r[0] for r in runs]
            ratios = [r / b for r, b in zip(rates, base[name], strict=True)]
            print(f"  {workers} worker{'s' if workers > 1 else ' '}: "
                  f"{statistics.median(rates):8,.0f} requests/s "
                  f"[{min(rates):,.0f}-{max(rates):,.0f}]  "
                  f"p50 {statistics.median(r[1] for r in runs) * 1e3:6.2f} ms  "
                  f"p99 {statistics.median(r[2] for r in runs) * 1e3:6.2f} ms  "
                  f"errors {sum(r[3] for r in runs)}  "
                  f"ratio to in-process: {statistics.median(ratios):.2f}x "
                  f"[{min(ratios):.2f}-{max(ratios):.2f}]")
    failed = sum(r[3] for runs in results.values() for r in runs)
    if failed:
        raise SystemExit(f"{failed} answers were not 200 under load")


async def _check(port: int, raw: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        status, body = await one(reader, writer, raw)
    finally:
        writer.close()
    if status != 200:
        raise SystemExit(f"status {status}: {body[:300]!r}")
    return status, body


if __name__ == "__main__":
    main()
