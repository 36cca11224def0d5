"""Shared by the benchmarks: a deterministic claim generator and the resident memory."""

from __future__ import annotations

import random
from collections.abc import Iterator
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
    """``n`` claims spread over ``persons`` people from 2024-01-01, one day at a time."""
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
                    referred=rnd.random() < 0.5, boxes=rnd.choice((1, 1, 2, 3)))


def rss_mb() -> float:
    """Resident memory of this process in MB (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6
