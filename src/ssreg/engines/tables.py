"""Running decision tables over an environment of facts, with a trace built only when read.

:class:`DecisionRun` takes the tables of a scope in order with any engine (which only
says which rules fire), applies the hit policy, and records what it needs to explain
itself later.  The "why not" of the rules that did not fire is computed on demand by
:meth:`DecisionRun.not_applied` (and memoised per rule on the values it reads), so a
caller who never reads the trace never pays for it.

When a value a table reads is unknown (:class:`~ssreg.rulebook.conditions.Unknown`), the
table is run in three values: the rules that may hold but do not for certain are kept
as ``maybe``.  A first-hit table is *settled* when the rules it may hit all give the
same outcome (and one of them holds for certain); otherwise its outcome is *open*: the
outcome fact becomes an unknown restricted to the values it may take, so later tables
reading it are open only where those values matter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import attrs

from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rule, Rulebook
from .engine import Engine, rules_in_force


@attrs.frozen
class FiredRule:
    """A rule whose condition held (and, for a first-hit table, came first)."""

    rule: str
    decision: str
    outcome: Any
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "decision": self.decision,
                "outcome": {k: cond.jsonable(v) for k, v in self.outcome.items()},
                "citations": list(self.citations)}


@attrs.frozen
class RuleOpen:
    """A rule that may or may not apply: it depends on facts not given."""

    rule: str
    decision: str
    unknown: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "decision": self.decision, "unknown": list(self.unknown)}


@attrs.frozen
class RuleNotApplied:
    """A rule that did not fire, with each comparison that failed (the "why not")."""

    rule: str
    decision: str
    failures: tuple[cond.Failure, ...]
    shadowed: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "decision": self.decision,
                                "failed": [f.to_dict() for f in self.failures]}
        if self.shadowed:
            data["shadowed"] = True
        return data


class TableResult(NamedTuple):
    """One decision table's answer: the rules in force, those that fired (held for
    certain) and those that may apply (their condition depends on unknown facts)."""

    decision: str
    first: bool
    rules: tuple[Rule, ...]
    fired: tuple[Rule, ...]
    maybe: tuple[Rule, ...] = ()


class _Step(NamedTuple):
    """A table ready to run on one date: its rules, the parameters and facts they read."""

    decision: str
    first: bool
    rules: tuple[Rule, ...]
    parameters: tuple[str, ...]
    facts: tuple[str, ...]


class DecisionRun:
    """Runs the decision tables of a rulebook over one environment of facts.

    ``param`` reads a parameter on the run's date (and records the read).  Outcomes of
    a first-hit table become facts for later tables.  ``outcomes`` holds the settled
    answers (for a collect table, the items that apply for certain); ``open`` the
    values an open answer may take (for a collect table, the items that may be added).
    """

    def __init__(self, book: Rulebook, engine: Engine, on: date, env: dict[str, Any],
                 param: Callable[[str], Any]) -> None:
        self.book, self.engine, self.on, self.env, self.param = book, engine, on, env, param
        self.tables: list[TableResult] = []
        self.outcomes: dict[str, Any] = {}
        self.open: dict[str, tuple[Any, ...]] = {}

    def run_scope(self, scope: str) -> None:
        """Run the tables of a scope in order.

        With a pure engine (the compiled one) the whole scope's answer is memoised on
        the values its tables read: the parameters are read first (so the trace
        records them), then a scope already run on the same values is replayed.
        """
        steps = _scope_steps(self.book, scope, self.on)
        if not getattr(self.engine, "pure", False):
            for step in steps:
                self._run(step)
            return
        env = self.env
        for step in steps:
            for name in step.parameters:
                key = "param:" + name
                if key not in env:
                    env[key] = self.param(name)
        memo = self.book.memo()
        keys = _scope_keys(self.book, scope, self.on, steps)
        try:
            values = (scope, self.on, *[env.get(k) for k in keys])
            cache: dict[tuple[Any, ...], tuple[Any, ...]] = memo.setdefault("scope_runs", {})
            found = cache.get(values)
        except TypeError:  # an unhashable fact value: run without the memo
            for step in steps:
                self._run(step)
            return
        if found is None:
            start = len(self.tables)
            before = dict(self.outcomes)
            for step in steps:
                self._run(step)
            tables = tuple(self.tables[start:])
            outcomes = {k: v for k, v in self.outcomes.items() if before.get(k) != v
                        or k not in before}
            opened = {t.decision: self.open[t.decision] for t in tables
                      if t.decision in self.open}
            settled = {k: env[k] for t in tables if t.first
                       for k in self.book.decisions[t.decision].outputs if k in env}
            if len(cache) > 50_000:
                cache.clear()
            cache[values] = (tables, outcomes, settled, opened)
            return
        tables, outcomes, settled, opened = found
        self.tables.extend(tables)
        self.outcomes.update(outcomes)
        self.open.update(opened)
        env.update(settled)

    def run(self, decision: str) -> tuple[Rule, ...]:
        return self._run(_step(self.book, decision, self.on))

    def _run(self, step: _Step) -> tuple[Rule, ...]:
        decision = step.decision
        env = self.env
        for name in step.parameters:
            key = "param:" + name
            if key not in env:
                env[key] = self.param(name)
        first = step.first
        maybe: tuple[Rule, ...] = ()
        if any(env.get(k).__class__ is cond.Unknown for k in step.facts):
            found = self.engine.fire3(self.book, step.rules, env, first=first)
            fired = tuple(r for r, certain in found if certain)
            maybe = tuple(r for r, certain in found if not certain)
        else:
            fired = tuple(self.engine.fire(self.book, step.rules, env, first=first))
        self.tables.append(TableResult(decision, first, step.rules, fired, maybe))
        if first:
            self._first_hit(decision, fired, maybe)
        else:
            self.outcomes[decision] = tuple(v for r in fired for v in r.outcome.values())
            settled = set(self.outcomes[decision])
            extra = tuple(dict.fromkeys(v for r in maybe for v in r.outcome.values()
                                        if v not in settled))
            if extra:
                self.open[decision] = extra
        return fired

    def _first_hit(self, decision: str, fired: tuple[Rule, ...],
                   maybe: tuple[Rule, ...]) -> None:
        env = self.env
        if not maybe:
            if fired:
                for key, value in fired[0].outcome.items():
                    env[key] = value
                    self.outcomes[decision] = value
            return
        candidates = (*maybe, *fired[:1])
        for key in self.book.decisions[decision].outputs:
            values = tuple(dict.fromkeys(r.outcome[key] for r in candidates))
            if not fired:
                values += (None,)  # no rule may apply at all
            if len(values) == 1:  # every rule it may hit says the same
                env[key] = self.outcomes[decision] = values[0]
            else:
                env[key] = cond.Unknown(frozenset(values))
                self.open[decision] = values

    def fired_rules(self) -> tuple[FiredRule, ...]:
        """The rules that decided (an open first-hit table has none: see maybe_rules)."""
        return tuple(FiredRule(rule=r.id, decision=t.decision, outcome=r.outcome,
                               citations=r.citations)
                     for t in self.tables if not (t.first and t.decision in self.open)
                     for r in t.fired)

    def maybe_rules(self) -> tuple[RuleOpen, ...]:
        """Every rule that may apply, with the facts not given it depends on (and, in an
        open first-hit table, the rule that holds but may be preceded by one of them)."""
        return tuple(RuleOpen(rule=rule.id, decision=table.decision, unknown=tuple(
            dict.fromkeys(c.name for c in cond.unknown_comparisons(rule.when, self.env))))
                     for table in self.tables
                     for rule in (*table.maybe, *(table.fired if table.first
                                                  and table.decision in self.open else ())))

    def not_applied(self) -> tuple[RuleNotApplied, ...]:
        """Every rule in force that did not fire, with its failed comparisons.

        A table result replayed from the scope memo (the same values read) has the same
        answer: it is kept with the table result, so reading the trace of many
        evaluations of alike cases does the work once."""
        memo: dict[int, tuple[TableResult, tuple[RuleNotApplied, ...]]] = (
            self.book.memo().setdefault("not_applied", {}))
        found: list[RuleNotApplied] = []
        for table in self.tables:
            known = memo.get(id(table))
            if known is not None and known[0] is table:
                found.extend(known[1])
                continue
            fired = {id(r) for r in table.fired} | {id(r) for r in table.maybe}
            winner = table.fired[0] if table.first and table.fired else None
            misses = tuple(
                RuleNotApplied(rule=rule.id, decision=table.decision,
                               failures=why_not(self.book, rule, self.env),
                               shadowed=winner is not None and rule.priority > winner.priority)
                for rule in table.rules if id(rule) not in fired)
            if len(memo) > 20_000:
                memo.clear()
            memo[id(table)] = (table, misses)  # the table kept: its id is not reused
            found.extend(misses)
        return tuple(found)

    def facts(self) -> dict[str, Any]:
        return {k: v for k, v in self.env.items() if not k.startswith("param:")}


def _step(book: Rulebook, decision: str, on: date) -> _Step:
    """The table of ``decision`` on ``on`` (memoised on the rulebook, bounded)."""
    memo: dict[tuple[str, date], _Step] = book.memo().setdefault("steps", {})
    found = memo.get((decision, on))
    if found is None:
        first = book.decisions[decision].hit_policy == "first"
        rules = rules_in_force(book, decision, on, required=first)
        facts = tuple(dict.fromkeys(c.key for r in rules for c in cond.comparisons(r.when)
                                    if c.kind == "fact"))
        found = _Step(decision, first, rules, _parameters_of(book, rules), facts)
        if len(memo) > 8192:
            memo.clear()
        memo[decision, on] = found
    return found


def _scope_steps(book: Rulebook, scope: str, on: date) -> tuple[_Step, ...]:
    """The tables of a scope on ``on``, in order (memoised on the rulebook, bounded)."""
    memo: dict[tuple[str, date], tuple[_Step, ...]] = book.memo().setdefault(
        "scope_steps", {})
    found = memo.get((scope, on))
    if found is None:
        found = tuple(_step(book, spec.name, on) for spec in book.decision_order(scope))
        if len(memo) > 8192:
            memo.clear()
        memo[scope, on] = found
    return found


def _scope_keys(book: Rulebook, scope: str, on: date, steps: tuple[_Step, ...]) -> tuple[
        str, ...]:
    """Every environment key the tables of a scope read (facts and parameters)."""
    memo: dict[tuple[str, date], tuple[str, ...]] = book.memo().setdefault("scope_keys", {})
    found = memo.get((scope, on))
    if found is None:
        found = tuple(sorted({c.key for step in steps for rule in step.rules
                              for c in cond.comparisons(rule.when)}))
        if len(memo) > 8192:
            memo.clear()
        memo[scope, on] = found
    return found


def _parameters_of(book: Rulebook, rules: tuple[Rule, ...]) -> tuple[str, ...]:
    memo: dict[tuple[Rule, ...], tuple[str, ...]] = book.memo().setdefault("params_of", {})
    names = memo.get(rules)
    if names is None:
        names = memo[rules] = tuple(dict.fromkeys(n for r in rules for n in r.parameters_read))
    return names


def why_not(book: Rulebook, rule: Rule, env: cond.Env) -> tuple[cond.Failure, ...]:
    """The failed comparisons of a rule, memoised on the values it reads."""
    memo = book.memo()
    keys_of: dict[Rule, tuple[str, ...]] = memo.setdefault("keys_of", {})
    keys = keys_of.get(rule)
    if keys is None:
        keys = keys_of[rule] = tuple(dict.fromkeys(c.key for c in cond.comparisons(rule.when)))
    cache: dict[tuple[Any, ...], tuple[cond.Failure, ...]] = memo.setdefault("why_not", {})
    key = (rule, *(env.get(k) for k in keys))
    try:
        found = cache.get(key)
    except TypeError:  # an unhashable fact value
        return tuple(cond.why_not(rule.when, env))
    if found is None:
        found = tuple(cond.why_not(rule.when, env))
        if len(cache) > 50_000:
            cache.clear()
        cache[key] = found
    return found
