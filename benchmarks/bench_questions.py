"""Questions: how many it takes to settle a route, and what asking costs.

Run:  python benchmarks/bench_questions.py [--students 2000] [--seed 1]

A population of students is generated (a fixed seed; every fact of each one is its
"truth"), and each student is interviewed the way an application would: starting from an
empty case, ask :func:`ssreg.next_question`, answer it from the truth, until the answer
sought no longer depends on anything asked.  The script reports the number of questions
(beyond nationality, country and date of birth, which every case needs) to settle the
route, and the route and the documents, in ssreg's order and in the rulebook's
declaration order (the baseline an application gets by asking the facts in the order
they are written); then the time of one ``next_question`` call.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import ssreg
from ssreg.registration.partial import questions


sys.path.insert(0, str(Path(__file__).parent))
from _common import machine


ON = date(2026, 10, 1)
YEAR_END = date(2027, 8, 31)
EU = ["DE", "IT", "ES", "BE", "PL", "PT", "NL", "SE", "GR", "IE"]
NON_EU = ["BR", "US", "CN", "IN", "MA", "DZ", "SN", "JP", "VN", "MX", "TN", "CO", "LB"]
REQUIRED = 3  # nationality, country of birth, date of birth


def population(count: int, seed: int) -> list[dict[str, Any]]:
    """Students with every fact, in proportions loosely like a French university's."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        group = rng.choices(["eu", "non_eu", "fr", "gb", "ca"], weights=[35, 45, 8, 6, 6])[0]
        nationality = {"eu": rng.choice(EU), "non_eu": rng.choice(NON_EU), "fr": "FR",
                       "gb": "GB", "ca": "CA"}[group]
        born = rng.random()
        country = nationality if born < 0.85 else "FR" if born < 0.95 else rng.choice(NON_EU)
        student: dict[str, Any] = {
            "nationality": nationality, "country_of_birth": country,
            "birth_date": (date(1996, 1, 1) + timedelta(days=rng.randrange(4700))).isoformat(),
            "stay_months": rng.choices([3, 5, 10, 12, 36], weights=[12, 10, 40, 25, 13])[0],
            "enrolled_in_french_institution": rng.random() < 0.9,
            "previously_affiliated": rng.random() < 0.1,
            "has_s1": group == "eu" and rng.random() < 0.1,
            "quebec_form": rng.choice(["SE401-Q-106", "SE401-Q-102bis"])
            if group == "ca" and rng.random() < 0.4 else "none",
            "ehic_expiry": rng.choices(["none", (YEAR_END - timedelta(days=100)).isoformat(),
                                        (YEAR_END + timedelta(days=400)).isoformat()],
                                       weights=[30, 20, 50])[0] if group == "eu" else "none",
            "ghic_expiry": (YEAR_END + timedelta(days=200)).isoformat()
            if group == "gb" and rng.random() < 0.5 else "none",
            "salaried": rng.random() < 0.05,
            "andorran_insured": False,
        }
        found.append(student)
    return found


def interview(truth: dict[str, Any], settle: tuple[str, ...], naive: bool) -> int:
    """How many questions an application asks to settle ``settle`` for this student."""
    book = ssreg.default_rulebook()
    order = {name: i for i, name in enumerate(book.facts)}
    case: dict[str, Any] = {"student": {}}
    asked = 0
    while True:
        found = questions(case, on=ON, settle=settle)
        if not found:
            return asked
        question = min(found, key=lambda q: order[q.fact]) if naive else found[0]
        case["student"][question.path.removeprefix("student.")] = truth[question.fact]
        asked += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(machine())
    people = population(args.students, args.seed)
    routes = Counter(ssreg.evaluate({"student": p}, on=ON).route for p in people)
    print(f"{len(people):,} students on {ON}; routes: " + ", ".join(
        f"{route} {count}" for route, count in routes.most_common()))
    for settle in (("route",), ("route", "documents")):
        for naive in (False, True):
            counts = [interview(p, settle, naive) - REQUIRED for p in people]
            spread = Counter(counts)
            print(f"settle {' and '.join(settle):<19} "
                  f"{'declaration order' if naive else 'ssreg order':<17}: "
                  f"mean {statistics.mean(counts):.2f} questions, median "
                  f"{statistics.median(counts):g}, max {max(counts)}; "
                  + " ".join(f"{n}q:{spread[n]}" for n in sorted(spread)))
    sample = [{"student": {k: v for i, (k, v) in enumerate(p.items()) if i < 4}}
              for p in people[:200]]
    start = time.perf_counter()
    for case in sample:
        ssreg.next_question(case, on=ON)
    took = (time.perf_counter() - start) / len(sample)
    print(f"next_question on a case with 4 facts given: {took * 1e3:.2f} ms a call "
          f"(mean over {len(sample)} calls)")


if __name__ == "__main__":
    main()
