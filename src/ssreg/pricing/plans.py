"""Claim plans: the claim decision tables' outcomes and the parameters they name.

A *plan* is everything a claim with given facts reads on one validity segment: the
base, the rate, the fixed charge with its caps, the flat charge, how the top-up pays,
with the rules that fired and every parameter read (value, period, citations).
:mod:`ssreg.pricing.pricer` does the arithmetic with it.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from ..engines.engine import CompiledEngine, Engine, rules_in_force
from ..exceptions import InvalidClaimError, NoValueInForce, Problem
from ..rulebook.rulebook import FAR_FUTURE, ParameterValue, Rule, Rulebook


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
# contrat responsable) -- [K1]: a responsable contract covers the hospital daily charge.
# The ``*_costly_act`` values and ``stay_costly_act`` are stays with an act of 120 EUR or
# more: the costly-act flat charge replaces the co-payment of the whole stay.
FLAT_CHARGES = {"daily_charge": (True, "hospital_daily_charge", True),
                "daily_charge_psychiatry": (True, "hospital_daily_charge", True),
                "daily_charge_added": (True, "hospital_daily_charge", True),
                "daily_charge_psychiatry_added": (True, "hospital_daily_charge", True),
                "daily_charge_costly_act": (True, "hospital_daily_charge", True),
                "daily_charge_psychiatry_costly_act": (True, "hospital_daily_charge", True),
                "stay_costly_act": (False, "costly_act_flat_charge", False),
                "emergency_flat": (False, "emergency_flat_charge", False),
                "emergency_flat_reduced": (False, "emergency_flat_charge", False),
                "costly_act_flat": (False, "costly_act_flat_charge", False)}
TOP_UP_MODES = frozenset({"no_cover", "css", "responsable_out_of_pathway",
                          "responsable_non_optam", "responsable", "free",
                          "responsable_optics_frame", "responsable_optics_simple_lenses",
                          "responsable_optics_complex_lenses",
                          "responsable_optics_very_complex_lenses"})
# claim facts read straight from the claim (the others are derived below)
PLAIN_FACTS = ("care", "medicine_class", "sector", "specialty", "emergency",
               "away_from_home", "ald", "contraception", "emergency_contraception",
               "prescribed_by_sector_3", "psychiatry", "costly_act_in_stay", "optics_item")
DERIVED_FACTS = ("age", "age_on_january_1", "css", "cover_kind", "cover_responsable",
                 "referent_doctor_declared", "referent_doctor_seen", "referred",
                 "psychologist_session_number", "psychologist_sessions_over_cap",
                 "pregnancy_window")


def claim_defaults(book: Rulebook) -> dict[str, Any]:
    """The default of each claim field, from the rulebook (the fact's ``default``)."""
    return {spec.path.split(".", 1)[1]: spec.default for spec in book.facts.values()
            if spec.path.startswith("claim.") and spec.default is not None}


class Plan(NamedTuple):
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
    participation: Decimal | None  # a stay's costly-act flat charge (replaces the co-payment)
    imputed: bool  # the daily charge is set off against the co-payment (L174-4)
    co_payment_days: int | None  # a stay's co-payment stops after this many days
    flat_param: str | None  # the parameter of the flat charge (read per day of a stay)
    top_up: str
    in_pathway_rate: Decimal | None
    gap: Decimal | None
    cap: Decimal | None
    optics_cap: Decimal | None  # a contrat responsable pays at most this for the item
    optics_cap_counts_amo: bool  # ... less the Assurance Maladie's share (R871-2, 2020)
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


class Planner:
    """Decides the claim tables and gathers their parameters, once per validity segment.

    ``decide`` fires the five claim decisions on a claim's facts; ``plan`` reads every
    parameter the outcomes name on the claim's date.  Both are cached: parameter values
    and rules are constant between the dates where one of them starts or stops
    (:func:`segment_boundaries`), so the work is done per segment, not per date.
    """

    def __init__(self, book: Rulebook, engine: Engine, overrides: Mapping[str, Any]) -> None:
        self.book = book
        self.engine = engine
        self.overrides = dict(overrides)
        #: the default of each field a claim may leave out (rule data)
        self.defaults = claim_defaults(book)
        self.memoize = isinstance(engine, CompiledEngine)
        self._params: dict[tuple[str, int], tuple[Any, ParameterValue]] = {}
        self._in_force: dict[int, tuple[tuple[Rule, ...], ...]] = {}
        self._boundaries = segment_boundaries(book)
        self._segments: dict[date, int] = {}
        self._canonical: dict[tuple[tuple[str, date], ...], tuple[tuple[Rule, ...], ...]] = {}
        self._plans: dict[tuple[Any, ...], Plan] = {}
        self._table_params: dict[tuple[Rule, ...], tuple[str, ...]] = {}
        self._plain = operator.attrgetter(*PLAIN_FACTS)
        self.horizon = book.meta.horizon or date.max
        self.version = book.version
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

    def per_day(self, name: str, first: date, days: int) -> tuple[
            Decimal, tuple[tuple[str, ParameterValue], ...]]:
        """The sum of a daily amount over ``days`` days from ``first``, each day at the
        value in force that day, and the values read (one per period crossed).

        >>> import ssreg
        >>> from ssreg.engines.engine import CompiledEngine
        >>> planner = Planner(ssreg.default_rulebook(), CompiledEngine(), {})
        >>> total, reads = planner.per_day("daily_charge", date(2026, 2, 27), 4)
        >>> total, [str(v.value) for _, v in reads]     # 2 days at 20, 2 days at 23
        (Decimal('86.00'), ['20', '23'])
        """
        if days <= 0:
            return ZERO, ()
        mode = self.param("rounding", first)[0]
        if name in self.overrides:
            value, period = self.param(name, first)
            return Decimal(value).quantize(CENT, rounding=mode) * days, ((name, period),)
        param = self.book.parameter(name)
        last = date.max if date.max - first < timedelta(days=days - 1) else (
            first + timedelta(days=days - 1))
        total, reads, day = ZERO, [], first
        while True:
            period = param.value_on(day)
            until = min(period.end, last)
            total += Decimal(period.value).quantize(CENT, rounding=mode) * (
                (until - day).days + 1)
            reads.append((name, period))
            if until >= last:
                return total, tuple(reads)
            day = until + timedelta(days=1)

    def rules_on(self, on: date) -> tuple[tuple[Rule, ...], ...]:
        segment = self.segment(on)
        rules = self._in_force.get(segment)
        if rules is None:
            found = tuple(rules_in_force(self.book, d, on) for d in DECISIONS)
            signature = tuple((r.id, r.start) for table in found for r in table)
            rules = self._canonical.setdefault(signature, found)
            self._in_force[segment] = rules
        return rules

    # ------------------------------------------------------------------ deciding

    def decide(self, claim: Any, derived: tuple[Any, ...],
               plain: tuple[Any, ...] | None = None, engine: Engine | None = None) -> tuple[
            tuple[str, ...], tuple[Rule, ...]]:
        """Outcome values and fired rules of the claim decisions (``plain``: the claim's
        own facts, defaults filled in; by default read from the claim; ``engine``: another
        engine than the planner's, for an analysis)."""
        tables = self.rules_on(claim.date)
        if plain is None:
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
            fired = (engine or self.engine).fire(self.book, rules, env, first=True)
            if not fired:
                raise InvalidClaimError([Problem("claim", f"no rule of {rules[0].decision!r} "
                                                 "applies to this claim")])
            ((output, value),) = fired[0].outcome.items()
            env[output] = value
            outcomes.append(value)
            fired_rules.append(fired[0])
        return tuple(outcomes), tuple(fired_rules)

    def plan(self, on: date, outcomes: tuple[str, ...], base_given: bool,
             rules: tuple[Rule, ...]) -> Plan:
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
        rate_roles = facts["rate_key"].reads.get(rate_key, {})
        for name in self.book.decisions["claim_base"].reads:
            value(name)
        family, scope = DEDUCTIONS.get(deduction, (None, None))
        per_day, cover_flag, responsable = FLAT_CHARGES.get(flat, (False, "", False))
        if (flat != "none" and flat not in FLAT_CHARGES) or top_up not in TOP_UP_MODES or (
                deduction != "none" and deduction not in DEDUCTIONS):
            raise InvalidClaimError([Problem("rulebook", f"claim outcomes {outcomes} are not "
                                             "known to the pricing")])
        found = Plan(
            mode=mode,
            base=value(base_key) if base_key in self.book.parameters and not base_given
            else None,
            rate=value(rate_key), deduction=deduction, family=family, daily_scope=scope,
            amount=value(roles.get("amount")), daily_cap=value(roles.get("daily_cap")),
            yearly_cap=value(roles.get("yearly_cap")), flat=flat,
            flat_amount=value(flat_roles.get("amount")), flat_per_day=per_day,
            flat_cover=cover_flag, flat_responsable=responsable,
            threshold=value(flat_roles.get("threshold")),
            participation=value(flat_roles.get("participation")),
            imputed=value(flat_roles.get("imputation")) == "imputed",
            co_payment_days=value(rate_roles.get("co_payment_days")),
            flat_param=flat_roles.get("amount"), top_up=top_up,
            in_pathway_rate=value(top_roles.get("in_pathway_rate")),
            gap=value(top_roles.get("gap")), cap=value(top_roles.get("cap")),
            optics_cap=value(top_roles.get("optics_cap")),
            optics_cap_counts_amo=value(top_roles.get("optics_cap_scope")) == "amo_and_top_up",
            reads=tuple(reads),
            # the base came with the claim, not from a rule: its rule is not shown
            rules=tuple(r.id for r in (rules[1:] if base_given else rules)))
        self._plans[key] = found
        return found


def _comparisons(rule: Rule) -> list[Any]:
    from ..rulebook.conditions import comparisons

    return comparisons(rule.when)


def _parameters_read(rules: tuple[Rule, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for r in rules for n in r.parameters_read))
