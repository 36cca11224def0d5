"""ssreg against GoRules ZEN 2.1.3 on the same decision tables, generated from the rulebook.

Run:  pip install -e '.[bench]'   (zen-engine, benchmark-only)
      python benchmarks/bench_zen.py [--rounds 7] [--students 300]

1. A full ``ssreg.evaluate`` (route, blocks, top-up, documents, warnings; the trace is
   built only when read) against ZEN deciding the same five tables from the facts
   already derived (ZEN's fast path: ``ZenEngine(loader).evaluate`` with the models
   parsed once as ``ZenDecisionContent``; given only the keys the tables read).
2. One table (the route, 13 rules): ssreg's table compiled to one function (no memo:
   every condition evaluated on every call), and the reference path (one closure per
   rule), against ZEN's fast path on a route-only model.

Before any timing the script checks that ZEN and ssreg agree on every student of the
sample (a grid over nationality, birth country, EHIC, stay, address, S1, Québec form,
previous affiliation).  Inputs (cases, ZEN inputs) are built before the clock starts;
the variants take turns in every round; ratios are ``median [min-max]`` over rounds,
as ssreg's time over ZEN's (below 1: ssreg is faster).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from datetime import date
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import alternate, machine, report
from zen_models import graph, keys_read, zen_input, zen_outcomes

import ssreg
from ssreg.engines.engine import get_engine, rules_in_force
from ssreg.engines.tables import _parameters_of
from ssreg.rulebook.facts import ParameterReader, student_facts, year_applied


ON = date(2026, 9, 15)


def students(count: int) -> list[ssreg.Student]:
    """A deterministic sample over the facts the route tables read."""
    grid = itertools.product(
        ("BR", "DE", "FR", "MA", "US", "CA", "GB", "IT", "CN"),  # nationality
        (False, True),  # born in France
        ("none", date(2027, 12, 31), date(2027, 1, 31)),  # EHIC expiry
        (10, 3, 12),  # stay in months
        (None, "1 rue de Rivoli, Paris"),  # address
        (False, True),  # previously affiliated
    )
    found = []
    for nationality, born_fr, ehic, stay, address, affiliated in grid:
        found.append(ssreg.Student(
            birth_date=date(2004 - len(found) % 9, 3, 1), nationality=nationality,
            country_of_birth="FR" if born_fr else nationality, ehic_expiry=ehic,
            stay_months=stay, address_in_france=address, previously_affiliated=affiliated,
            has_s1=nationality == "IT" and affiliated, enrolled_in_french_institution=True,
            ghic_expiry="none", salaried=False, andorran_insured=False,
            quebec_form="SE401-Q-106" if nationality == "CA" and stay == 12 else "none"))
    random.Random(1).shuffle(found)
    return found[:count]


def environment(book: ssreg.Rulebook, student: ssreg.Student, decisions: list[str]) -> dict:
    """The facts and parameters ssreg's case tables read (what ZEN is given)."""
    params = ParameterReader(book, ON, None)
    year = year_applied(None, None, ON, params)
    env = student_facts(student, ON, params, year, None)
    for decision in decisions:
        first = book.decisions[decision].hit_policy == "first"
        for name in _parameters_of(book, rules_in_force(book, decision, ON, required=first)):
            env["param:" + name] = params(name)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--zen-columns", action="store_true",
                        help="ZEN tables with a column per fact (default: one expression "
                             "column, which ZEN runs faster)")
    args = parser.parse_args()
    try:
        import zen
    except ImportError:
        sys.exit("zen-engine is not installed: pip install -e '.[bench]'")
    print(machine(), "| zen-engine", getattr(zen, "__version__", "2.1.3"))

    book = ssreg.default_rulebook()
    decisions = [spec.name for spec in book.decision_order("case")]
    # models parsed once (ZenDecisionContent): the loader hands ZEN its parsed model
    form = {"columns_form": args.zen_columns}
    models = {"all": zen.ZenDecisionContent(json.dumps(graph(book, ON, decisions, **form))),
              "route": zen.ZenDecisionContent(json.dumps(graph(book, ON, ["route"], **form)))}
    engine = zen.ZenEngine({"loader": models.__getitem__})

    sample = students(args.students)
    cases = [ssreg.Case(student=s) for s in sample]
    envs = [environment(book, s, decisions) for s in sample]
    read = keys_read(book, ON, decisions)
    inputs = [zen_input(e, read) for e in envs]

    mismatches = 0
    for case, given in zip(cases, inputs, strict=True):
        ours = ssreg.evaluate(case, on=ON).outcomes
        theirs = zen_outcomes(engine.evaluate("all", given)["result"], book, decisions)
        if {k: ours.get(k) for k in theirs} != theirs:
            mismatches += 1
            if mismatches <= 3:
                print("  disagree:", case.student, ours, theirs)
    print(f"agreement: {mismatches} mismatches on {len(cases)} students, "
          f"{len(decisions)} tables ({', '.join(decisions)})")
    if mismatches:
        sys.exit(1)

    compiled = get_engine("compiled")
    route = rules_in_force(book, "route", ON)

    def evaluate_all() -> None:
        for case in cases:
            ssreg.evaluate(case, on=ON)

    def evaluate_and_read_trace() -> None:
        for case in cases:
            ssreg.evaluate(case, on=ON).to_dict()

    def zen_all() -> None:
        for given in inputs:
            engine.evaluate("all", given)

    def route_table() -> None:
        for env in envs:
            compiled.fire(book, route, env, first=True)

    def route_closures() -> None:
        for env in envs:
            compiled.fire_uncached(book, route, env, first=True)

    def zen_route() -> None:
        for given in inputs:
            engine.evaluate("route", given)

    n = len(cases)
    print(f"1. full decision, {n} students a round, {args.rounds} rounds (us per student):")
    report(alternate({"ZEN, five tables": zen_all, "ssreg.evaluate": evaluate_all,
                      "ssreg.evaluate + to_dict()": evaluate_and_read_trace},
                     args.rounds), "ZEN, five tables", n, label="student")
    print(f"2. one table (route, {len(route)} rules), us per student:")
    report(alternate({"ZEN, route table": zen_route, "ssreg route, compiled table": route_table,
                      "ssreg route, closure per rule": route_closures}, args.rounds),
           "ZEN, route table", n, label="student")


if __name__ == "__main__":
    main()
