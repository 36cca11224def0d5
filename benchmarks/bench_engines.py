"""Engines side by side: compiled, durable, and raw durable-rules on the same rules.

Run:  python benchmarks/bench_engines.py [--calls 3000] [--claims 5000] [--memory 0]

1. One decision table (the route table, 12 rules) fired for the same facts by the
   compiled engine, by ssreg's durable engine, and by raw durable-rules (the very JSON
   ruleset ssreg generates, ``assert_fact`` + ``delete_state`` on a quiet host).
2. A full ``evaluate`` with each engine.
3. A batch of claims with each engine.
Ratios are printed against the compiled engine and, for the durable engine, against raw
durable-rules (ssreg's wrapping overhead).  ``--memory N`` runs N durable evaluations and
prints the resident memory every N/10.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import alternate, claims, machine, ratio, report, rss_mb

import ssreg
from ssreg.engines import durable as _durable
from ssreg.engines.engine import get_engine, rules_in_force
from ssreg.registration.evaluate import evaluate
from ssreg.rulebook.facts import ParameterReader, student_facts, year_applied


ON = date(2026, 9, 15)
CASE = ssreg.Case(student=ssreg.Student(
    birth_date=date(2004, 3, 1), nationality="BR", country_of_birth="BR",
    address_in_france="Paris", stay_months=10, enrolled_in_french_institution=True,
    previously_affiliated=False, quebec_form="none", has_s1=False, ehic_expiry="none",
    ghic_expiry="none", salaried=False, andorran_insured=False))


def repeat(fn, calls: int):
    def run() -> None:
        for _ in range(calls):
            fn()
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=int, default=0)
    args = parser.parse_args()

    print(machine())
    book = ssreg.default_rulebook()
    rules = rules_in_force(book, "route", ON)
    params = ParameterReader(book, ON)
    env = student_facts(CASE.student, ON, params, year_applied(None, None, ON, params), None)
    env.update({f"param:{n}": params(n) for r in rules for n in r.parameters_read})
    compiled, durable = get_engine("compiled"), get_engine("durable")
    assert [r.id for r in compiled.fire(book, rules, env, first=False)] == [
        r.id for r in durable.fire(book, rules, env, first=False)]

    # raw durable-rules on the same generated JSON ruleset
    from durable import engine as raw_engine

    class Quiet(raw_engine.Host):
        def _run(self) -> None:
            return None

    host = Quiet()
    table = durable.table(book, rules)
    definition = {f"r{i}": {"all": [{"m": _durable.to_durable(r.when)}], "run": lambda c: None}
                  for i, r in enumerate(rules)}
    definition["catch_all"] = {"all": [{"m": {_durable.ALWAYS_KEY: 1}}], "run": lambda c: None}
    host.set_rulesets({"raw_route": definition})
    counter = iter(range(10**9))

    def raw_post() -> None:
        sid = f"s{next(counter)}"
        host.assert_fact("raw_route", table.fact(env, sid))
        host.delete_state("raw_route", sid)

    table_rows = {
        "compiled engine.fire      ": lambda: compiled.fire(book, rules, env, first=False),
        "durable engine.fire       ": lambda: durable.fire(book, rules, env, first=False),
        "raw durable assert+delete ": raw_post,
    }
    print(f"1. one decision table ({len(rules)} rules), us per call, {args.rounds} rounds:")
    times = alternate({name: repeat(fn, args.calls) for name, fn in table_rows.items()},
                      args.rounds)
    report(times, "compiled engine.fire      ", args.calls)
    print("   durable engine over raw durable-rules (same ruleset, same facts): "
          + ratio(times["durable engine.fire       "], times["raw durable assert+delete "]))

    print("2. full evaluate (five case tables), us per call:")
    calls = max(1, args.calls // 3)
    report(alternate({name: repeat(lambda n=name: evaluate(CASE, on=ON, engine=n), calls)
                      for name in ("compiled", "durable")}, args.rounds), "compiled", calls)

    print(f"3. batch of {args.claims:,} claims (built before the clock), us per claim:")
    batch = list(claims(args.claims))

    def priced(name: str):
        def run() -> None:
            count = sum(1 for _ in ssreg.price_claims(batch, engine=name, presorted=True))
            assert count == len(batch)
        return run

    report(alternate({name: priced(name) for name in ("compiled", "durable")}, args.rounds),
           "compiled", len(batch), label="claim")

    if args.memory:
        samples = []
        for i in range(args.memory):
            evaluate(CASE, on=ON, engine="durable", trace=False)
            if i % (args.memory // 10) == 0:
                samples.append(rss_mb())
        samples.append(rss_mb())
        print(f"RSS (MB) over {args.memory:,} durable evaluations: "
              + " ".join(f"{s:.0f}" for s in samples))


if __name__ == "__main__":
    main()
