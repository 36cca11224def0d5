"""``evaluate``: case + date -> Decision, through any engine.

The flow: structure the case, compute facts for the date, run each decision table in
order with the chosen engine (which only says which rules fire), then assemble the
Decision here, engine-independently: hit policy, why-not, parameters read, citations.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from . import _conditions as cond
from ._decision import Decision, FiredRule, ParameterRead, RuleNotApplied, Trace
from ._documents import build_checklist, check_document_kinds
from ._engine import Engine, get_engine, rules_in_force
from ._facts import ParameterReader, student_facts
from ._model import Case, structure_case
from ._rulebook import Rule, Rulebook, default_rulebook
from .exceptions import InvalidCaseError, Problem


def as_date(value: Any, field: str = "on") -> date:
    """A date from a ``date`` or an ISO string; anything else is a clear error."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidCaseError([Problem(field, f"expected a date (YYYY-MM-DD), got {value!r}")])


class DecisionRun:
    """Runs the decision tables of a rulebook over one environment of facts."""

    def __init__(self, book: Rulebook, engine: Engine, on: date, env: dict[str, Any],
                 params: ParameterReader, *, trace: bool) -> None:
        self.book, self.engine, self.on, self.env = book, engine, on, env
        self.params, self.trace = params, trace
        self.fired: list[FiredRule] = []
        self.not_applied: list[RuleNotApplied] = []
        self.outcomes: dict[str, Any] = {}

    def bind_parameters(self, rules: tuple[Rule, ...]) -> None:
        memo: dict[tuple[Rule, ...], tuple[str, ...]] = self.book.memo().setdefault(
            "params_of", {})
        names = memo.get(rules)
        if names is None:
            names = memo[rules] = tuple(dict.fromkeys(n for r in rules
                                                      for n in r.parameters_read))
        for name in names:
            key = f"param:{name}"
            if key not in self.env:
                self.env[key] = self.params(name)

    def run(self, decision: str) -> list[Rule]:
        spec = self.book.decisions[decision]
        first = spec.hit_policy == "first"
        rules = rules_in_force(self.book, decision, self.on, required=first)
        self.bind_parameters(rules)
        fired = self.engine.fire(self.book, rules, self.env, first=first)
        for rule in fired:
            self.fired.append(FiredRule(rule=rule.id, decision=decision,
                                        outcome=rule.outcome, citations=rule.citations))
        if first:
            for key, value in (fired[0].outcome.items() if fired else ()):
                self.env[key] = value
                self.outcomes[decision] = value
        else:
            self.outcomes[decision] = tuple(v for r in fired for v in r.outcome.values())
        if self.trace:
            fired_ids = {r.id for r in fired}
            winner = fired[0] if first and fired else None
            for rule in rules:
                if rule.id in fired_ids:
                    continue
                failures = self.why_not(rule)
                shadowed = winner is not None and rule.priority > winner.priority
                self.not_applied.append(RuleNotApplied(rule=rule.id, decision=decision,
                                                       failures=failures, shadowed=shadowed))
        return fired

    def why_not(self, rule: Rule) -> tuple[cond.Failure, ...]:
        """The failed comparisons of a rule, memoised on the values it reads."""
        memo = self.book.memo()
        keys_of: dict[Rule, tuple[str, ...]] = memo.setdefault("keys_of", {})
        keys = keys_of.get(rule)
        if keys is None:
            keys = keys_of[rule] = tuple(dict.fromkeys(c.key for c in
                                                       cond.comparisons(rule.when)))
        cache: dict[tuple[Any, ...], tuple[cond.Failure, ...]] = memo.setdefault("why_not", {})
        key = (rule, *(self.env.get(k) for k in keys))
        found = cache.get(key)
        if found is None:
            found = tuple(cond.why_not(rule.when, self.env))
            if len(cache) > 50_000:
                cache.clear()
            cache[key] = found
        return found

    def parameter_reads(self) -> tuple[ParameterRead, ...]:
        return tuple(
            ParameterRead(name=name, value=self.params.overrides.get(name, value.value),
                          start=value.start, end=value.end, citations=value.citations,
                          overridden=overridden, alternatives=param.alternatives)
            for name, (param, value, overridden) in sorted(self.params.reads.items())
        )


def evaluate(
    case: Case | Mapping[str, Any],
    *,
    on: date | str,
    rulebook: Rulebook | None = None,
    engine: str | Engine = "compiled",
    trace: bool = True,
    overrides: Mapping[str, Any] | None = None,
) -> Decision:
    """Decide the route, blocking conditions, documents and reimbursements for a case.

    ``on`` is the as-of date (the library never reads the clock).  ``overrides`` replaces
    parameters in force, e.g. a disputed choice ``{"quebec_form_policy":
    "register_online"}``.  With ``trace=False`` the "why not" part is skipped (faster).

    >>> import ssreg
    >>> d = ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
    ...     "country_of_birth": "BR", "address_in_france": "1 rue de Rivoli, Paris"}},
    ...     on="2026-09-15")
    >>> d.route, d.blocks
    ('online', ())
    >>> print(d.explain("fr").splitlines()[1])
    Démarche d'inscription : Inscrivez-vous en ligne sur le site étudiant ...
    """
    on = as_date(on)
    book = rulebook if rulebook is not None else default_rulebook()
    parsed = structure_case(case)
    check_document_kinds(parsed, book)
    chosen = get_engine(engine)
    params = ParameterReader(book, on, overrides)
    env = student_facts(parsed.student, on, params)
    run = DecisionRun(book, chosen, on, env, params, trace=trace)
    for spec in book.decision_order():
        run.run(spec.name)
    checklist = build_checklist(parsed, run)
    reimbursements = None
    if parsed.claims:
        from ._pricing import price_claims
        from ._reports import Reimbursements

        priced = price_claims(parsed.claims, cover=parsed.cover, rulebook=book, engine=chosen,
                              overrides=overrides)
        reimbursements = Reimbursements(tuple(priced), book)
    return Decision(
        on=on,
        outcomes=dict(run.outcomes),
        trace=Trace(fired=tuple(run.fired), not_applied=tuple(run.not_applied),
                    parameters=run.parameter_reads(),
                    facts={k: v for k, v in env.items() if not k.startswith("param:")}),
        checklist=checklist,
        reimbursements=reimbursements,
        book=book,
    )
