"""Pricing claims: Assurance Maladie amount, fixed and flat charges with their caps, top-up.

The decision tables of scope ``claim`` (rules data) choose the base, the rate, the fixed
charge, the flat charge and how the top-up pays; the amounts are dated parameters read
on the date of care, named by the outcomes.  This module does the arithmetic, in
:class:`~decimal.Decimal`, every amount rounded to the cent with the ``rounding``
parameter, and conserves money exactly::

    amo + top_up + patient == billed          (and no share is negative)

Caps (participation forfaitaire per day, professional and year; franchise per year and,
for paramedical acts, per day; psychologist sessions per year) are applied per person in
date-of-care order (see :mod:`ssreg._batch` for the order of a batch).
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from ._engine import CompiledEngine, Engine, rules_in_force
from ._facts import age_on
from ._model import Claim, Cover
from ._results import ClaimResult
from ._rulebook import FAR_FUTURE, ParameterValue, Rule, Rulebook
from .exceptions import InvalidClaimError, NoValueInForce, Problem


CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)
HUNDRED = Decimal(100)
DECISIONS = ("claim_base", "claim_rate", "claim_deduction", "claim_flat_charge",
             "claim_top_up")
CONSULTATIONS = frozenset({"gp_consultation", "specialist_consultation",
                           "gp_teleconsultation"})
GP_CARE = frozenset({"gp_consultation", "gp_teleconsultation"})
# how each fixed charge counts towards its caps: (yearly counter, daily counter)
DEDUCTIONS = {"participation_forfaitaire": ("participation", "professional"),
              "franchise_medicine": ("franchise", None),
              "franchise_paramedical": ("franchise", "paramedical")}
# each flat charge: (per day of hospital stay, Cover flag that pays it, always paid by a
# contrat responsable) -- [K1]: a responsable contract covers the hospital daily charge
FLAT_CHARGES = {"daily_charge": (True, "hospital_daily_charge", True),
                "daily_charge_psychiatry": (True, "hospital_daily_charge", True),
                "emergency_flat": (False, "emergency_flat_charge", False),
                "emergency_flat_reduced": (False, "emergency_flat_charge", False),
                "costly_act_flat": (False, "costly_act_flat_charge", False)}
TOP_UP_MODES = frozenset({"no_cover", "css", "responsable_out_of_pathway",
                          "responsable_non_optam", "responsable", "free"})
# claim facts read straight from the claim (the others are derived below)
PLAIN_FACTS = ("care", "medicine_class", "sector", "specialty", "emergency",
               "away_from_home", "ald", "pregnancy_window", "contraception",
               "prescribed_by_sector_3", "psychiatry")
DERIVED_FACTS = ("age", "age_on_january_1", "css", "cover_kind", "cover_responsable",
                 "referent_doctor_declared", "referent_doctor_seen", "referred",
                 "psychologist_session_number", "psychologist_sessions_over_cap")


class _Plan(NamedTuple):
    """Everything a claim with given outcomes reads on one validity segment."""

    mode: str
    base: Decimal | None
    rate: Decimal
    deduction: str
    family: str | None
    daily_scope: str | None
    amount: Decimal | None
    daily_cap: Decimal | None
    yearly_cap: Decimal | None
    flat: str
    flat_amount: Decimal | None
    flat_per_day: bool
    flat_cover: str
    flat_responsable: bool
    threshold: Decimal | None
    top_up: str
    in_pathway_rate: Decimal | None
    gap: Decimal | None
    cap: Decimal | None
    reads: tuple[tuple[str, ParameterValue], ...]
    rules: tuple[str, ...]


def segment_boundaries(book: Rulebook) -> list[date]:
    """Dates on which some parameter value or rule starts or stops being in force."""
    days: set[date] = set()
    for param in book.parameters.values():
        for value in param.values:
            days.add(value.start)
            if value.end != FAR_FUTURE:
                days.add(value.end + timedelta(days=1))
    for rule in book.rules:
        days.add(rule.start)
        if rule.end != FAR_FUTURE:
            days.add(rule.end + timedelta(days=1))
    return sorted(days)


class PersonState:
    """Running totals of one person for the caps: the current day and calendar year."""

    __slots__ = (
        "allowance",
        "day",
        "franchise_year",
        "paramedical_day",
        "pf_day",
        "pf_year",
        "psychologist",
        "year",
    )

    def __init__(self) -> None:
        self.day: date | None = None
        self.year = 0
        self.pf_day: dict[str, Decimal] = {}
        self.paramedical_day = ZERO
        self.pf_year = ZERO
        self.franchise_year = ZERO
        self.allowance: dict[str, Decimal] = {}
        self.psychologist = 0

    def move_to(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.pf_day = {}
            self.paramedical_day = ZERO
        if day.year != self.year:
            self.year = day.year
            self.pf_year = ZERO
            self.franchise_year = ZERO
            self.allowance = {}
            self.psychologist = 0


class Pricer:
    """Prices claims with one rulebook, engine, cover choice and (checked) overrides."""

    def __init__(self, book: Rulebook, engine: Engine, overrides: Mapping[str, Any],
                 cover: Cover | Mapping[str, Cover] | None) -> None:
        self.book = book
        self.engine = engine
        self.overrides = dict(overrides)
        self.cover = cover
        self.memoize = isinstance(engine, CompiledEngine)
        self._params: dict[tuple[str, int], tuple[Any, ParameterValue]] = {}
        self._in_force: dict[int, tuple[tuple[Rule, ...], ...]] = {}
        self._boundaries = segment_boundaries(book)
        self._segments: dict[date, int] = {}
        self._canonical: dict[tuple[tuple[str, date], ...], tuple[tuple[Rule, ...], ...]] = {}
        self._plans: dict[tuple[Any, ...], _Plan] = {}
        self._by_facts: dict[tuple[Any, ...], _Plan] = {}
        self._table_params: dict[tuple[Rule, ...], tuple[str, ...]] = {}
        self._levels: dict[tuple[int, str, bool], Decimal | None] = {}
        self._plain = operator.attrgetter(*PLAIN_FACTS)
        self.horizon = book.meta.horizon or date.max
        missing = [name for name in DECISIONS if name not in book.decisions]
        if missing:
            raise InvalidClaimError([Problem("rulebook", "the rulebook has no claim decision "
                                             f"{', '.join(missing)}")])
        read = {c.name for name in DECISIONS for r in book.rules_of(name)
                for c in _comparisons(r) if c.kind == "fact"}
        unknown = read - set(PLAIN_FACTS) - set(DERIVED_FACTS) - {"rate_key"}
        if unknown:
            raise InvalidClaimError([Problem("rulebook", "claim rules read facts a claim "
                                             f"does not have: {', '.join(sorted(unknown))}")])
        self.care_types = frozenset(book.values_of("care"))

    # ------------------------------------------------------------------ dates and values

    def segment(self, on: date) -> int:
        found = self._segments.get(on)
        if found is None:
            found = self._segments[on] = bisect.bisect_right(self._boundaries, on)
            if len(self._segments) > 100_000:
                self._segments.clear()
        return found

    def param(self, name: str, on: date) -> tuple[Any, ParameterValue]:
        key = (name, self.segment(on))
        found = self._params.get(key)
        if found is None:
            value = self.book.parameter(name).value_on(on)
            found = (self.overrides.get(name, value.value), value)
            self._params[key] = found
        return found

    def param_if_any(self, name: str, on: date) -> Any:
        """A parameter's value on a date, or None when it has none (e.g. before it existed)."""
        try:
            return self.param(name, on)[0]
        except NoValueInForce:
            return None

    def rules_on(self, on: date) -> tuple[tuple[Rule, ...], ...]:
        segment = self.segment(on)
        rules = self._in_force.get(segment)
        if rules is None:
            found = tuple(rules_in_force(self.book, d, on) for d in DECISIONS)
            signature = tuple((r.id, r.start) for table in found for r in table)
            rules = self._canonical.setdefault(signature, found)
            self._in_force[segment] = rules
        return rules

    def cover_of(self, person: str) -> Cover | None:
        if isinstance(self.cover, Mapping):
            return self.cover.get(person)
        return self.cover

    # ------------------------------------------------------------------ deciding

    def facts(self, claim: Claim, cover: Cover | None, state: PersonState,
              assumptions: list[str]) -> tuple[Any, ...]:
        """The derived facts, in :data:`DERIVED_FACTS` order, noting the defaults used."""
        on, care = claim.date, claim.care
        born = claim.birth_date
        age = age_on(born, on) if born is not None else claim.age
        age_jan1 = age_on(born, date(on.year, 1, 1)) if born is not None else None
        kind = "none" if cover is None else cover.kind
        css = claim.css or kind == "css"
        declared, seen, referred = (claim.referent_doctor_declared,
                                    claim.referent_doctor_seen, claim.referred)
        if care in CONSULTATIONS:
            if declared is None:
                declared = False
                assumptions.append("referent_doctor_declared_not_given")
            if care in GP_CARE and seen is None and declared:
                seen = True
                assumptions.append("referent_doctor_seen_assumed")
            if care == "specialist_consultation" and referred is None and declared:
                referred = False
                assumptions.append("referred_not_given")
        number = over = None
        if care == "psychologist_session":
            number = state.psychologist + 1
            cap = self.param_if_any("psychologist_sessions_yearly_cap", on)
            over = None if cap is None else number > cap
        return (age, age_jan1, css, kind, cover is not None and cover.responsable, declared,
                seen, referred, number, over)

    def decide(self, claim: Claim, derived: tuple[Any, ...]) -> tuple[
            tuple[str, ...], tuple[Rule, ...]]:
        """Outcome values and fired rules of the claim decisions."""
        tables = self.rules_on(claim.date)
        plain = self._plain(claim)
        env: dict[str, Any] = dict(zip(PLAIN_FACTS, plain, strict=True))
        env.update(zip(DERIVED_FACTS, derived, strict=True))
        outcomes: list[str] = []
        fired_rules: list[Rule] = []
        for rules in tables:
            names = self._table_params.get(rules)
            if names is None:
                names = self._table_params[rules] = _parameters_read(rules)
            for name in names:
                env.setdefault("param:" + name, self.param(name, claim.date)[0])
            fired = self.engine.fire(self.book, rules, env, first=True)
            if not fired:
                raise InvalidClaimError([Problem("claim", f"no rule of {rules[0].decision!r} "
                                                 "applies to this claim")])
            ((output, value),) = fired[0].outcome.items()
            env[output] = value
            outcomes.append(value)
            fired_rules.append(fired[0])
        return tuple(outcomes), tuple(fired_rules)

    def plan(self, on: date, outcomes: tuple[str, ...], base_given: bool,
             rules: tuple[Rule, ...]) -> _Plan:
        """Every parameter a claim with these outcomes reads on this date (cached)."""
        key = (self.segment(on), outcomes, base_given, rules)
        found = self._plans.get(key)
        if found is not None:
            return found
        base_key, rate_key, deduction, flat, top_up = outcomes
        reads: list[tuple[str, ParameterValue]] = []
        facts = self.book.facts

        def value(name: str | None) -> Any:
            if name is None:
                return None
            got, period = self.param(name, on)
            reads.append((name, period))
            if self.book.parameters[name].unit == "EUR":
                got = got.quantize(CENT, rounding=mode)  # amounts are kept to the cent
            return got

        mode = self.param("rounding", on)[0]
        roles = facts["deduction"].reads.get(deduction, {})
        flat_roles = facts["flat_charge"].reads.get(flat, {})
        top_roles = facts["top_up_mode"].reads.get(top_up, {})
        for name in self.book.decisions["claim_base"].reads:
            value(name)
        family, scope = DEDUCTIONS.get(deduction, (None, None))
        per_day, cover_flag, responsable = FLAT_CHARGES.get(flat, (False, "", False))
        if (flat != "none" and flat not in FLAT_CHARGES) or top_up not in TOP_UP_MODES or (
                deduction != "none" and deduction not in DEDUCTIONS):
            raise InvalidClaimError([Problem("rulebook", f"claim outcomes {outcomes} are not "
                                             "known to the pricing")])
        found = _Plan(
            mode=mode,
            base=value(base_key) if base_key in self.book.parameters and not base_given
            else None,
            rate=value(rate_key), deduction=deduction, family=family, daily_scope=scope,
            amount=value(roles.get("amount")), daily_cap=value(roles.get("daily_cap")),
            yearly_cap=value(roles.get("yearly_cap")), flat=flat,
            flat_amount=value(flat_roles.get("amount")), flat_per_day=per_day,
            flat_cover=cover_flag, flat_responsable=responsable,
            threshold=value(flat_roles.get("threshold")), top_up=top_up,
            in_pathway_rate=value(top_roles.get("in_pathway_rate")),
            gap=value(top_roles.get("gap")), cap=value(top_roles.get("cap")),
            reads=tuple(reads),
            # the base came with the claim, not from a rule: its rule is not shown
            rules=tuple(r.id for r in (rules[1:] if base_given else rules)))
        self._plans[key] = found
        return found

    # ------------------------------------------------------------------ pricing

    def price(self, index: int, claim: Claim, state: PersonState) -> ClaimResult:
        on = claim.date
        if on != state.day:
            state.move_to(on)
        cover = self.cover_of(claim.person)
        assumptions: list[str] = []
        derived = self.facts(claim, cover, state, assumptions)
        base_given = claim.base is not None
        key = (self.segment(on), self._plain(claim), derived, base_given)
        plan = self._by_facts.get(key)
        if plan is None:
            outcomes, rules = self.decide(claim, derived)
            plan = self.plan(on, outcomes, base_given, rules)
            if self.memoize:  # the compiled engine's answer depends only on these facts
                if len(self._by_facts) > 100_000:
                    self._by_facts.clear()
                self._by_facts[key] = plan
        mode = plan.mode
        billed = claim.billed
        if claim.care == "psychologist_session":
            state.psychologist += 1

        flat = ZERO
        if plan.flat_amount is not None:
            if plan.threshold is not None and (claim.base or billed) < plan.threshold:
                raise InvalidClaimError([Problem(f"claims[{index}].billed", f"a costly act has "
                                                 f"a tariff of at least {plan.threshold} EUR; "
                                                 f"got {claim.base or billed}")])
            flat = plan.flat_amount * claim.hospital_days if plan.flat_per_day else (
                plan.flat_amount)
            if flat > billed:
                flat = billed
        billed_care = billed - flat if flat else billed
        base = claim.base if base_given else plan.base
        if base is None or base > billed_care:
            base = billed_care
        amo_gross = (base * plan.rate).quantize(CENT, rounding=mode)

        deduction = ZERO
        family = plan.family
        if family == "participation":
            provider = claim.provider
            if provider is None:
                provider = "care:" + claim.care
                assumptions.append("provider_not_given")
            used = state.pf_day.get(provider, ZERO)
            deduction = min(plan.amount, plan.daily_cap - used,  # type: ignore[operator]
                            plan.yearly_cap - state.pf_year, amo_gross)  # type: ignore[operator]
            if deduction < ZERO:
                deduction = ZERO
            state.pf_day[provider] = used + deduction
            state.pf_year += deduction
        elif family == "franchise":
            amount: Decimal = plan.amount  # type: ignore[assignment]
            units = amount * claim.boxes if claim.boxes != 1 else amount
            deduction = min(units, plan.yearly_cap - state.franchise_year,  # type: ignore[operator]
                            amo_gross)
            if plan.daily_scope == "paramedical":
                deduction = min(deduction, plan.daily_cap - state.paramedical_day)  # type: ignore[operator]
                if deduction < ZERO:
                    deduction = ZERO
                state.paramedical_day += deduction
            elif deduction < ZERO:
                deduction = ZERO
            state.franchise_year += deduction
        amo = amo_gross - deduction

        top_up = ZERO
        if cover is not None and plan.top_up != "no_cover":
            top_up = self._top_up(claim, cover, base, billed_care, amo_gross, plan, flat,
                                  state)
        return ClaimResult(index, claim.id, claim.person, on, claim.care, billed, base,
                           plan.rate, amo_gross, plan.deduction, deduction, amo, plan.flat,
                           flat, top_up, billed - amo - top_up, plan.rules, plan.reads,
                           tuple(assumptions), self._warnings(on))

    def _warnings(self, on: date) -> tuple[str, ...]:
        return ("after_rulebook_horizon",) if on > self.horizon else ()

    def _level(self, cover: Cover, care: str, non_optam: bool = False) -> Decimal | None:
        key = (id(cover), care, non_optam)
        try:
            return self._levels[key]
        except KeyError:
            raw = cover.level(care, non_optam=non_optam)
            level = self._levels[key] = None if raw is None else raw / HUNDRED
            return level

    def _top_up(self, claim: Claim, cover: Cover, base: Decimal, billed_care: Decimal,
                amo_gross: Decimal, plan: _Plan, flat: Decimal, state: PersonState) -> Decimal:
        mode = plan.mode
        if plan.top_up == "css":
            level: Decimal | None = ONE  # the CSS covers the co-payment, no overcharges [CS1]
        else:
            level = self._level(cover, claim.care)
            if level is not None and plan.top_up == "responsable_non_optam" and level > ONE:
                gap, cap = plan.gap, plan.cap
                assert gap is not None
                assert cap is not None
                non_optam = self._level(cover, claim.care, non_optam=True)
                if non_optam is None:
                    non_optam = level - gap
                level = max(ONE, min(non_optam, level - gap, ONE + cap))
        care_part = ZERO
        if level is not None:
            covered = min(billed_care, (base * level).quantize(CENT, rounding=mode))
            care_part = max(covered - amo_gross, ZERO)
            if plan.in_pathway_rate is not None:
                # a contrat responsable never pays the out-of-pathway penalty [K2][K4]
                care_part = min(care_part, (base * (ONE - plan.in_pathway_rate)).quantize(
                    CENT, rounding=mode))
        extra = ZERO
        allowance = cover.yearly_allowance.get(claim.care)
        if allowance is not None and plan.top_up != "css":
            used = state.allowance.get(claim.care, ZERO)
            extra = max(min(allowance - used, billed_care - amo_gross - care_part), ZERO)
            state.allowance[claim.care] = used + extra
        paid_flat = ZERO
        if flat and (plan.top_up == "css" or getattr(cover, plan.flat_cover) or (
                plan.flat_responsable and plan.top_up.startswith("responsable"))):
            paid_flat = flat
        return care_part + extra + paid_flat


def _comparisons(rule: Rule) -> list[Any]:
    from ._conditions import comparisons

    return comparisons(rule.when)


def _parameters_read(rules: tuple[Rule, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for r in rules for n in r.parameters_read))
