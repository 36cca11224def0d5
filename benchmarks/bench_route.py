"""Route decision: ssreg.evaluate (trace read or not) against a hand-written function.

Run:  python benchmarks/bench_route.py [--calls 20000] [--rounds 5]

All three compute the registration route of the same students on the same date (the
cases are built before the clock starts); the script checks they agree, then times them
in alternating rounds and prints the median microseconds per call and the ratios
``median [min-max]``.  The hand-written function returns the route only; ``evaluate``
also decides the blocks, top-up, documents and warnings and builds the checklist.
``--memory N`` also runs N evaluations and prints the resident memory every N/10 calls.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import ssreg
from ssreg import Student


sys.path.insert(0, str(Path(__file__).parent))
from _common import alternate, machine, report, rss_mb


ON = date(2026, 9, 15)
EU = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT",
      "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO", "CH"}

# every fact stated: the comparison is with a function that knows them all
STATED = {"stay_months": 10, "enrolled_in_french_institution": True,
          "previously_affiliated": False, "quebec_form": "none", "has_s1": False,
          "ehic_expiry": "none", "ghic_expiry": "none", "salaried": False,
          "andorran_insured": False}
STUDENTS = [
    Student(birth_date=date(2004, 3, 1), nationality="BR", country_of_birth="BR",
            address_in_france="Paris", **STATED),
    Student(birth_date=date(2005, 1, 20), nationality="DE", country_of_birth="DE",
            **{**STATED, "ehic_expiry": date(2027, 12, 31)}),
    Student(birth_date=date(2003, 7, 14), nationality="MA", country_of_birth="FR", **STATED),
    Student(birth_date=date(2001, 11, 11), nationality="US", country_of_birth="US",
            **{**STATED, "stay_months": 3}),
    Student(birth_date=date(2002, 5, 2), nationality="ES", country_of_birth="ES", **STATED),
]


def route_by_hand(s: Student, on: date) -> str:
    """The same route rules, written out (academic year ends on 31 August)."""
    year_end = date(on.year + (on.month >= 9), 8, 31)
    eu = s.nationality != "FR" and s.nationality in EU
    if s.stay_months is not None and s.stay_months <= 3:
        return "private_insurance"
    if not s.enrolled_in_french_institution:
        return "private_insurance"
    if eu and isinstance(s.ehic_expiry, date) and s.ehic_expiry >= year_end:
        return "no_registration"
    if s.quebec_form != "none":
        return "no_registration"
    if s.country_of_birth == "FR" or s.previously_affiliated:
        return "cpam"
    return "online"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory", type=int, default=0, help="evaluations for the RSS check")
    args = parser.parse_args()
    print(machine())

    cases = [ssreg.Case(student=STUDENTS[i % len(STUDENTS)]) for i in range(args.calls)]
    for case in cases[:len(STUDENTS)]:
        assert ssreg.evaluate(case, on=ON).route == route_by_hand(case.student, ON)

    def evaluate() -> None:
        for case in cases:
            ssreg.evaluate(case, on=ON)

    def evaluate_explained() -> None:
        for case in cases:
            ssreg.evaluate(case, on=ON).trace  # noqa: B018 - reading the trace builds it

    def by_hand() -> None:
        for case in cases:
            route_by_hand(case.student, ON)

    print(f"{args.calls:,} cases a round, {args.rounds} rounds:")
    report(alternate({"hand-written": by_hand, "evaluate (trace not read)": evaluate,
                      "evaluate + trace read": evaluate_explained}, args.rounds),
           "hand-written", args.calls)

    if args.memory:
        samples = []
        for i in range(args.memory):
            ssreg.evaluate(cases[i % len(cases)], on=ON)
            if i % (args.memory // 10) == 0:
                samples.append(rss_mb())
        samples.append(rss_mb())
        print(f"RSS (MB) over {args.memory:,} evaluations: " + " ".join(f"{s:.0f}"
                                                                     for s in samples))


if __name__ == "__main__":
    main()
