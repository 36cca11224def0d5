"""Shared by the benchmarks: deterministic inputs, alternating rounds, ratios with ranges.

Every script builds its inputs before any clock starts, runs the library and its
baseline(s) in alternating rounds (so machine noise hits all of them), and prints, for
each variant, the median time and its ratio to the baseline as
``median [min-max]`` over the per-round ratios.
"""

from __future__ import annotations

import platform
import random
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from ssreg import Claim


MENU = [
    ("gp_consultation", None, Decimal("30.00")),
    ("specialist_consultation", None, Decimal("50.00")),
    ("medicine", "major", Decimal("12.40")),
    ("medicine", "moderate", Decimal("8.90")),
    ("medicine", "low", Decimal("4.10")),
    ("lab_biology", None, Decimal("24.30")),
    ("paramedical", None, Decimal("16.13")),
    ("dental", None, Decimal("60.00")),
]


def claims(n: int, persons: int = 1000, seed: int = 1) -> Iterator[Claim]:
    """``n`` claims spread over ``persons`` people from 2024-01-01, one day at a time.

    Each person's claims come in date order (the batch is ``presorted``).
    """
    rnd = random.Random(seed)
    day = date(2024, 1, 1)
    per_day = max(1, persons // 3)
    for i in range(n):
        if i and i % per_day == 0:
            day += timedelta(days=1)
        care, cls, billed = MENU[rnd.randrange(len(MENU))]
        yield Claim(care=care, medicine_class=cls, date=day, billed=billed,
                    age=rnd.choice((17, 19, 22, 24)), person=f"p{rnd.randrange(persons)}",
                    referent_doctor_declared=rnd.random() < 0.8,
                    referred=rnd.random() < 0.5,
                    boxes=rnd.choice((1, 1, 2, 3)) if care == "medicine" else 1)


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


def reset_peak_rss() -> None:
    """Start measuring the peak resident memory from now (Linux: clears VmHWM)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb() -> float:
    """The peak resident memory of this process since :func:`reset_peak_rss`, in MB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def machine() -> str:
    """One line saying where the numbers come from."""
    import os

    load = os.getloadavg()[0]
    return (f"{platform.python_implementation()} {platform.python_version()} on "
            f"{platform.machine()}, {os.cpu_count()} CPUs, load {load:.2f}")


def alternate(variants: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds per round of each variant, the variants taking turns in every round."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return times


def ratio(times: list[float], baseline: list[float]) -> str:
    """``median [min-max]`` of the per-round ratios ``times / baseline``."""
    ratios = [t / b for t, b in zip(times, baseline, strict=True)]
    return (f"{statistics.median(ratios):.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]")


def report(times: dict[str, list[float]], baseline: str, per: int, unit: str = "us",
           label: str = "call") -> None:
    """Print each variant's median time per item and its ratio to ``baseline``."""
    scale = {"us": 1e6, "ms": 1e3}[unit]
    width = max(len(name) for name in times)
    for name, values in times.items():
        each = statistics.median(values) / per * scale
        print(f"  {name:<{width}} : {each:9.2f} {unit}/{label}   ratio to {baseline}: "
              f"{ratio(values, times[baseline])}")
