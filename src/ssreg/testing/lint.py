"""``ssreg check-rulebook``: what the loader cannot see in a rulebook, with counter-examples.

For each first-hit decision table, on each date its rules change, the facts it reads
are given their declared domains (the values a fact may take, the literals its
conditions compare with and their neighbours).  Small tables are searched exhaustively;
larger ones by hypothesis.  The report lists

- **gaps**: facts no rule answers (a first-hit table must always answer), with a
  minimal example;
- **rules that never fire**: shadowed by earlier rules, or unsatisfiable (proved for an
  exhaustive search; "not seen in N examples" otherwise);
- **invariants** broken on generated claims and junk inputs: money conserved, no
  negative share, determinism, nothing but ``ssreg`` errors; with a shrunk example.

Parameter gaps under a rule are refused when the rulebook is loaded, and reported here
as ``load`` findings.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import attrs

from ..engines.engine import get_engine, rules_in_force
from ..rulebook import conditions as cond
from ..rulebook.rulebook import FAR_FUTURE, Rule, Rulebook


EXHAUSTIVE_LIMIT = 250_000
WITNESS_LIMIT = 20_000
GAP_LIMIT = 500  # gaps kept per table and date, to find one an input reproduces
REPRODUCE_LIMIT = 60
OTHER = "<other>"


@attrs.frozen
class Finding:
    """One thing found: its kind, where, and a counter-example when there is one.

    A gap's ``example`` names every fact its table reads (and the parameters, as
    ``param:name``); ``case`` is the same example as a case file that reproduces the gap
    (``None`` when no input gives those facts, or for a dossier table).
    """

    kind: str  # gap, never_fires, invariant, load
    where: str
    message: str
    on: date | None = None
    example: dict[str, Any] = attrs.field(factory=dict)
    decision: str = ""
    case: dict[str, Any] | None = None

    def case_file(self) -> str:
        """The reproducing case file as TOML text (empty when there is none)."""
        from .caserecord import toml_document

        return toml_document(self.case) if self.case else ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "message": self.message,
                "on": self.on.isoformat() if self.on else None,
                "example": {k: cond.jsonable(v) for k, v in self.example.items()},
                "case_file": self.case_file() or None}


@attrs.frozen
class Report:
    findings: tuple[Finding, ...]
    tables: int

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "tables_checked": self.tables,
                "findings": [f.to_dict() for f in self.findings]}

    def text(self) -> str:
        if self.ok:
            return f"rulebook OK: {self.tables} decision tables checked, nothing found"
        lines = [f"{len(self.findings)} finding(s) in {self.tables} decision tables:"]
        for f in self.findings:
            when = f" on {f.on}" if f.on else ""
            lines.append(f"- [{f.kind}] {f.where}{when}: {f.message}")
            if f.example:
                shown = ", ".join(f"{k} = {cond.jsonable(v)!r}" for k, v in f.example.items())
                lines.append(f"    example: {shown}")
            if f.case:
                lines.append("    as a case file that reproduces it:")
                lines += [f"      {line}" for line in f.case_file().splitlines()]
        return "\n".join(lines)


def _domain(book: Rulebook, name: str, kind: str, literals: set[Any]) -> list[Any]:
    if kind == "param":
        param = book.parameters[name]
        if param.options:
            return list(param.options)
        return list(dict.fromkeys(v.value for v in param.values))
    spec = book.facts[name]
    if spec.type == "bool":
        return [False, True]
    if spec.type == "str":
        values = list(spec.values) or sorted(map(str, literals))
        return values if spec.values else [*values, OTHER]
    if spec.type in ("int", "decimal"):
        found = {0}
        for v in literals:
            found.update((v - 1, v, v + 1))
        absent = [None] if spec.kind == "input" else []
        return [*absent, *sorted(x for x in found if x >= 0)]
    if spec.type == "date":
        found_dates: set[date] = set()
        for v in literals:
            found_dates.update((v - timedelta(days=1), v, v + timedelta(days=1)))
        return sorted(found_dates) or [date(2026, 1, 1)]
    return [None]


def _domains(book: Rulebook, rules: tuple[Rule, ...]) -> dict[str, list[Any]]:
    literals: dict[tuple[str, str], set[Any]] = {}
    for rule in rules:
        for comp in cond.comparisons(rule.when):
            values = comp.value if isinstance(comp.value, frozenset) else {comp.value}
            literals.setdefault((comp.kind, comp.name), set()).update(values)
    domains = {}
    for (kind, name), values in sorted(literals.items()):
        key = name if kind == "fact" else f"param:{name}"
        domains[key] = _domain(book, name, kind, values)
    return domains


def _switch_dates(book: Rulebook, decision: str) -> list[date]:
    days = {book.first_day}
    for rule in book.rules_of(decision):
        days.add(rule.start)
        if rule.end != FAR_FUTURE:
            days.add(rule.end + timedelta(days=1))
    return sorted(d for d in days if d >= book.first_day)


def _winner(engine: Any, book: Rulebook, rules: tuple[Rule, ...], env: dict[str, Any]) -> (
        Rule | None):
    fired = engine.fire(book, rules, env, first=True)
    return fired[0] if fired else None


def _table_findings(book: Rulebook, decision: str, examples: int) -> list[Finding]:
    engine = get_engine("compiled")
    findings: list[Finding] = []
    reported_gap = False
    candidates: dict[str, list[Any]] = {}  # rule id -> [rule, first day, all exhaustive]
    fired_ever: set[str] = set()
    for day in _switch_dates(book, decision):
        rules = rules_in_force(book, decision, day, required=False)
        if not rules:
            continue
        domains = _domains(book, rules)
        names = list(domains)
        size = 1
        for values in domains.values():
            size *= len(values)
        seen: set[str] = set()
        gaps: list[dict[str, Any]] = []
        exhaustive = size <= EXHAUSTIVE_LIMIT
        if exhaustive:
            for combo in itertools.product(*(domains[n] for n in names)):
                env = dict(zip(names, combo, strict=True))
                won = _winner(engine, book, rules, env)
                if won is None:
                    if len(gaps) < GAP_LIMIT:
                        gaps.append(env)
                else:
                    seen.add(won.id)
        else:
            gaps = _search(book, engine, rules, domains, examples, seen)
        if gaps and not reported_gap:
            reported_gap = True
            findings.append(_gap_finding(book, decision, day, gaps, domains))
        fired_ever |= seen
        if not exhaustive:
            fired_ever |= _witnessed(book, engine, rules, domains, fired_ever)
        for rule in rules:
            entry = candidates.setdefault(rule.id, [rule, day, True])
            entry[2] = entry[2] and exhaustive
    for rule_id, (rule, day, exhaustive) in candidates.items():
        if rule_id in fired_ever:
            continue
        how = ("never fires: every case it covers is taken by an earlier rule, or its "
               "condition cannot hold") if exhaustive else (
            f"was not seen firing in {examples} generated examples (shadowed or unreachable?)")
        findings.append(Finding("never_fires", f"rule {rule_id!r} ({rule.origin})", how, day))
    return findings


def _gap_finding(book: Rulebook, decision: str, day: date, gaps: list[dict[str, Any]],
                 domains: dict[str, list[Any]]) -> Finding:
    """The gap to report: the simplest example an input reproduces (every fact named)."""
    from .reproduce import reproduction

    gaps = sorted(gaps, key=lambda env: len(_minimal(env, domains)))
    why = ""
    for env in gaps[:REPRODUCE_LIMIT]:
        case, why = reproduction(book, decision, env, day)
        if case is not None:
            return Finding("gap", f"decision {decision!r}", "no rule answers these facts "
                           "(a first-hit table must always answer)", day, dict(env),
                           decision, case)
    return Finding("gap", f"decision {decision!r}", "no rule answers these facts (a "
                   f"first-hit table must always answer); not reproduced as a case: {why}",
                   day, dict(gaps[0]), decision)


def _search(book: Rulebook, engine: Any, rules: tuple[Rule, ...],
            domains: dict[str, list[Any]], examples: int, seen: set[str]) -> list[dict[str, Any]]:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    # the simplest value (first) half of the time: gaps hide where many facts are "off"
    strategy = st.fixed_dictionaries({n: st.one_of(st.just(v[0]), st.sampled_from(v))
                                      for n, v in domains.items()})
    found: list[dict[str, Any]] = []

    @settings(max_examples=examples, database=None, deadline=None, derandomize=True,
              phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def probe(env: dict[str, Any]) -> None:
        won = _winner(engine, book, rules, env)
        if won is None:
            found.append(env)
            raise AssertionError("gap")
        seen.add(won.id)

    with contextlib.suppress(AssertionError):
        probe()
    return found[::-1][:GAP_LIMIT]  # the shrunk one first


def _witnessed(book: Rulebook, engine: Any, rules: tuple[Rule, ...],
               domains: dict[str, list[Any]], known: set[str]) -> set[str]:
    """Rules shown to win: the facts a rule reads are enumerated, the others start at
    their simplest values and are changed, one at a time, to silence the earlier rule
    that wins instead (a small local search)."""
    found: set[str] = set()
    for rule in rules:
        if rule.id in known:
            continue
        own = list(dict.fromkeys(c.key for c in cond.comparisons(rule.when)))
        combos = itertools.islice(itertools.product(*(domains[k] for k in own)),
                                  WITNESS_LIMIT)
        for combo in combos:
            env = {k: v[0] for k, v in domains.items()}
            env.update(zip(own, combo, strict=True))
            if _climb(book, engine, rules, rule, env, domains, set(own)):
                found.add(rule.id)
                break
    return found


def _climb(book: Rulebook, engine: Any, rules: tuple[Rule, ...], target: Rule,
           env: dict[str, Any], domains: dict[str, list[Any]], fixed: set[str]) -> bool:
    for _ in range(len(rules) + 1):
        won = _winner(engine, book, rules, env)
        if won is target:
            return True
        if won is None or won.priority > target.priority:
            return False  # the target's own condition does not hold here
        for key in dict.fromkeys(c.key for c in cond.comparisons(won.when)):
            if key in fixed:
                continue
            for value in domains[key]:
                trial = {**env, key: value}
                if _winner(engine, book, rules, trial) is not won:
                    env = trial
                    break
            else:
                continue
            break
        else:
            return False
    return False


def _minimal(env: dict[str, Any], domains: dict[str, list[Any]]) -> dict[str, Any]:
    """The example without the facts whose value is its domain's first (the simplest)."""
    return {k: v for k, v in env.items() if v != domains[k][0]} or dict(env)


def _invariant_findings(book: Rulebook, examples: int) -> list[Finding]:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from ..exceptions import SsregError
    from ..pricing.batch import price_claims
    from ..pricing.results import ClaimResult
    from ..registration.evaluate import evaluate
    from .strategies import claims, covers

    findings: list[Finding] = []
    common = settings(max_examples=examples, database=None, deadline=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))

    @common
    @given(st.lists(claims(), max_size=6), st.none() | covers())
    def money(batch: list[Any], cover: Any) -> None:
        first = list(price_claims(batch, cover=cover, rulebook=book, errors="collect"))
        again = list(price_claims(batch, cover=cover, rulebook=book, errors="collect"))
        assert first == again, "not deterministic"
        for r in first:
            if not isinstance(r, ClaimResult):
                continue
            assert r.amo + r.top_up + r.patient == r.billed, "money not conserved"
            assert min(r.amo, r.top_up, r.patient, r.deduction) >= 0, "negative share"

    @common
    @given(st.dictionaries(st.sampled_from(["birth_date", "nationality", "country_of_birth",
                                            "stay_months", "ehic_expiry", "has_s1"]),
                           st.none() | st.booleans() | st.integers() | st.text(max_size=12)
                           | st.dates().map(date.isoformat), max_size=6))
    def only_ssreg_errors(student: dict[str, Any]) -> None:
        with contextlib.suppress(SsregError):
            evaluate({"student": student}, on="2026-09-15", rulebook=book)

    for name, probe in (("money conserved, no negative share, deterministic", money),
                        ("only ssreg errors", only_ssreg_errors)):
        try:
            probe()
        except Exception as exc:  # a broken invariant or an unexpected exception
            findings.append(Finding("invariant", name, f"{type(exc).__name__}: "
                                    f"{str(exc).splitlines()[0][:300]}"))
    return findings


def check_rulebook(book: Rulebook, *, examples: int = 200,
                   invariants: bool = True) -> Report:
    """Search a rulebook for gaps, rules that never fire and broken invariants."""
    try:
        import hypothesis  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the testing extra is missing
        from ..exceptions import EngineUnavailable

        raise EngineUnavailable("check-rulebook needs hypothesis: pip install "
                                "ssreg[testing]") from exc
    findings: list[Finding] = []
    tables = [d for d in book.decisions.values() if d.hit_policy == "first"]
    for spec in tables:
        findings += _table_findings(book, spec.name, examples)
    if invariants and "claim_base" in book.decisions:
        findings += _invariant_findings(book, examples)
    return Report(findings=tuple(findings), tables=len(tables))


def load_findings(problems: Iterable[Any]) -> Report:
    """A report of the problems that kept a rulebook from loading."""
    return Report(findings=tuple(Finding("load", p.path, p.message) for p in problems),
                  tables=0)
