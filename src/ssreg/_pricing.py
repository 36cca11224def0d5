"""Pricing claims: Assurance Maladie amount, fixed charges with their caps, top-up, patient.

The decision tables of scope ``claim`` (rules data) choose the base, the rate, the fixed
charge and the hospital daily charge; the amounts are dated parameters read on the date
of care.  This module does the arithmetic, in :class:`~decimal.Decimal`, every amount
rounded to the cent with the ``rounding`` parameter, and conserves money exactly::

    amo + top_up + patient == billed          (and no share is negative)

Caps (participation forfaitaire per day, professional and year; franchise per day and
year) are applied per person in date-of-care order; claims of one person on the same day
are taken in input order (the tie rule).
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from ._engine import CompiledEngine, Engine, get_engine, rules_in_force
from ._model import Claim, Cover, structure
from ._rulebook import FAR_FUTURE, ParameterValue, Rule, Rulebook, default_rulebook
from .exceptions import InvalidCaseError, InvalidClaimError, Problem


CENT = Decimal("0.01")
ZERO = Decimal("0.00")
ONE = Decimal(1)
HUNDRED = Decimal(100)
DECISIONS = ("claim_base", "claim_rate", "claim_deduction", "claim_daily_charge")


class ClaimResult(NamedTuple):
    """The priced claim.  All amounts are ``Decimal`` rounded to the cent.

    ``amo + top_up + patient == billed``.  ``deduction`` (participation forfaitaire or
    franchise) and the hospital ``daily_charge`` are part of what the patient pays unless
    a contract covers the daily charge.  ``rules`` are the rules that fired (without the
    base rule when the claim gave its base) and ``parameters`` the values read, each with
    its period and citations.
    """

    position: int
    id: str | None
    person: str
    date: date
    care: str
    billed: Decimal
    base: Decimal
    rate: Decimal
    amo_gross: Decimal
    deduction_kind: str
    deduction: Decimal
    amo: Decimal
    daily_charge: Decimal
    top_up: Decimal
    patient: Decimal
    rules: tuple[str, ...]
    parameters: tuple[tuple[str, ParameterValue], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form: amounts as strings, the rules and parameters with their periods."""
        from ._reports import claim_to_dict

        return claim_to_dict(self)

    def row(self) -> dict[str, Any]:
        """A flat row for ``pandas.DataFrame`` (amounts stay ``Decimal``)."""
        return {name: getattr(self, name) for name in ROW_FIELDS}

    def _repr_html_(self) -> str:
        from ._reports import _html_table

        return _html_table(list(ROW_FIELDS), [[getattr(self, n) for n in ROW_FIELDS]])

    def explain(self, lang: str = "en", rulebook: Rulebook | None = None) -> str:
        """This claim's computation as text in English, French or Spanish."""
        from ._reports import explain_claim

        return explain_claim(self, rulebook or default_rulebook(), lang)


ROW_FIELDS = ("position", "id", "person", "date", "care", "billed", "base", "rate", "amo_gross",
              "deduction_kind", "deduction", "amo", "daily_charge", "top_up", "patient")


class _Plan(NamedTuple):
    """Parameter values a claim reads, for one date and one set of decision outcomes."""

    mode: str
    charge: Decimal | None
    base: Decimal | None
    rate: Decimal
    amount: Decimal | None
    daily_cap: Decimal | None
    yearly_cap: Decimal | None
    in_pathway: Decimal | None
    reads: tuple[tuple[str, ParameterValue], ...]


CLAIM_FACTS = ("care", "medicine_class", "age", "sector", "specialty",
               "referent_doctor_declared", "referred", "emergency", "ald", "pregnancy_exempt",
               "psychiatry")


def claim_facts(claim: Claim, css: bool) -> dict[str, Any]:
    """The facts the claim decision tables read (``css`` also set by a CSS cover)."""
    env = {name: getattr(claim, name) for name in CLAIM_FACTS}
    env["css"] = css
    return env


def _known(*values: Decimal | None) -> tuple[Decimal, ...]:
    """The plan's values that this kind of deduction always reads."""
    if any(v is None for v in values):
        raise InvalidClaimError([Problem("rulebook", "a deduction parameter is missing")])
    return tuple(v for v in values if v is not None)


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


class _PersonState:
    """Running totals of one person for the caps: the current day and calendar year."""

    __slots__ = ("allowance", "day", "franchise_day", "franchise_year", "pf_day", "pf_year",
                 "year")

    def __init__(self) -> None:
        self.day: date | None = None
        self.year = 0
        self.pf_day: dict[str, Decimal] = {}
        self.franchise_day = ZERO
        self.pf_year = ZERO
        self.franchise_year = ZERO
        self.allowance: dict[str, Decimal] = {}

    def move_to(self, day: date) -> None:
        if day != self.day:
            self.day = day
            self.pf_day = {}
            self.franchise_day = ZERO
        if day.year != self.year:
            self.year = day.year
            self.pf_year = ZERO
            self.franchise_year = ZERO
            self.allowance = {}


def _cover_problem(cover: Cover) -> str:
    for table in (cover.levels, cover.levels_non_optam, cover.yearly_allowance):
        for key, value in table.items():
            if not isinstance(value, Decimal | int) or isinstance(value, bool) or value < 0:
                return f"{key}: expected a non-negative exact number, got {value!r}"
    return ""


class Pricer:
    """Prices claims with one rulebook, engine, cover choice and overrides."""

    def __init__(self, book: Rulebook, engine: Engine, overrides: Mapping[str, Any] | None,
                 cover: Cover | Mapping[str, Cover] | None) -> None:
        self.book = book
        self.engine = engine
        self.overrides = dict(overrides or {})
        self.cover = cover
        self.memoize = isinstance(engine, CompiledEngine)
        self._decided: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._params: dict[tuple[str, int], tuple[Any, ParameterValue]] = {}
        self._in_force: dict[int, tuple[tuple[Rule, ...], ...]] = {}
        # every value and rule is constant between these dates: caches key on the segment
        self._boundaries = segment_boundaries(book)
        self._canonical: dict[tuple[tuple[str, date], ...], tuple[tuple[Rule, ...], ...]] = {}
        self._plans: dict[tuple[int, tuple[str, ...], bool], _Plan] = {}
        self.facts = self._facts_read()
        unknown = set(self.facts) - set(CLAIM_FACTS) - {"css"}
        if unknown:
            raise InvalidClaimError([Problem("rulebook", f"claim rules read facts a claim "
                                             f"does not have: {', '.join(sorted(unknown))}")])
        self._read_facts = operator.attrgetter(*(f for f in self.facts if f != "css"))
        if not all(name in book.decisions for name in DECISIONS):
            raise InvalidClaimError([Problem("rulebook", "the rulebook has no claim decisions "
                                             f"({', '.join(DECISIONS)})")])
        care = book.facts.get("care")
        self.care_types = frozenset(care.values) if care else frozenset()
        covers = cover.values() if isinstance(cover, Mapping) else [cover] if cover else []
        problems = [Problem(f"cover.{c.name}", p) for c in covers if (p := _cover_problem(c))]
        if problems:
            raise InvalidCaseError(problems)

    def _facts_read(self) -> tuple[str, ...]:
        from ._conditions import comparisons

        names = {c.name for name in DECISIONS for r in self.book.rules_of(name)
                 for c in comparisons(r.when) if c.kind == "fact"}
        return tuple(sorted(names))

    def segment(self, on: date) -> int:
        return bisect.bisect_right(self._boundaries, on)

    def param(self, name: str, on: date) -> tuple[Any, ParameterValue]:
        key = (name, self.segment(on))
        found = self._params.get(key)
        if found is None:
            value = self.book.parameter(name).value_on(on)
            found = (self.overrides.get(name, value.value), value)
            self._params[key] = found
        return found

    def rules_on(self, on: date) -> tuple[tuple[Rule, ...], ...]:
        segment = self.segment(on)
        rules = self._in_force.get(segment)
        if rules is None:
            found = tuple(rules_in_force(self.book, d, on) for d in DECISIONS)
            signature = tuple((r.id, r.start) for table in found for r in table)
            rules = self._canonical.setdefault(signature, found)
            self._in_force[segment] = rules
        return rules

    def decide(self, claim: Claim, css: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Outcome values and fired rule ids of the four claim decisions."""
        tables = self.rules_on(claim.date)
        key: tuple[Any, ...] | None = None
        if self.memoize:  # the compiled engine's answer depends only on these facts
            key = (id(tables), css, *self._read_facts(claim))
            found = self._decided.get(key)
            if found is not None:
                return found
        env = claim_facts(claim, css)
        outcomes: list[str] = []
        fired_ids: list[str] = []
        for rules in tables:
            fired = self.engine.fire(self.book, rules, env, first=True)
            if not fired:
                raise InvalidClaimError([Problem("claim", f"no rule of {rules[0].decision!r} "
                                                 f"applies to {env}")])
            outcomes.append(next(iter(fired[0].outcome.values())))
            fired_ids.append(fired[0].id)
        result = (tuple(outcomes), tuple(fired_ids))
        if key is not None:
            if len(self._decided) > 100_000:
                self._decided.clear()
            self._decided[key] = result
        return result

    def plan(self, on: date, outcomes: tuple[str, ...], base_given: bool) -> _Plan:
        """Every parameter a claim with these outcomes reads on this date (cached)."""
        key = (self.segment(on), outcomes, base_given)
        found = self._plans.get(key)
        if found is not None:
            return found
        base_key, rate_key, deduction_kind, charge_key = outcomes
        reads: list[tuple[str, ParameterValue]] = []

        def value(name: str) -> Any:
            found, period = self.param(name, on)
            reads.append((name, period))
            return found

        mode = value("rounding")
        charge = value(charge_key) if charge_key != "none" else None
        base = value(base_key) if base_key != "billed" and not base_given else None
        rate = value(rate_key)
        amount = daily_cap = yearly_cap = None
        if deduction_kind == "participation_forfaitaire":
            amount = value("participation_forfaitaire")
            daily_cap = value("participation_forfaitaire_daily_cap")
            yearly_cap = value("participation_forfaitaire_yearly_cap")
        elif deduction_kind in ("franchise_medicine", "franchise_paramedical"):
            amount = value(deduction_kind)
            yearly_cap = value("franchise_yearly_cap")
            if deduction_kind == "franchise_paramedical":
                daily_cap = value("franchise_paramedical_daily_cap")
        in_pathway = None
        if rate_key == "rate.consultation_out_of_pathway":
            in_pathway = value("rate.consultation")
        found = _Plan(mode, charge, base, rate, amount, daily_cap, yearly_cap, in_pathway,
                      tuple(reads))
        self._plans[key] = found
        return found

    def cover_of(self, person: str) -> Cover | None:
        if isinstance(self.cover, Mapping):
            return self.cover.get(person)
        return self.cover

    def price(self, index: int, claim: Claim, state: _PersonState) -> ClaimResult:
        on = claim.date
        cover = self.cover_of(claim.person)
        css = claim.css or (cover is not None and cover.kind == "css")
        outcomes, rule_ids = self.decide(claim, css)
        plan = self.plan(on, outcomes, claim.base is not None)
        mode = plan.mode

        billed = claim.billed.quantize(CENT, rounding=mode)
        daily_charge = ZERO
        if plan.charge is not None:
            daily_charge = min(billed, (plan.charge * claim.hospital_days).quantize(
                CENT, rounding=mode))
        billed_care = billed - daily_charge
        if claim.base is not None:
            base = claim.base
        elif plan.base is None:
            base = billed_care
        else:
            base = plan.base
        base = min(base, billed_care).quantize(CENT, rounding=mode)
        rate = plan.rate
        amo_gross = (base * rate).quantize(CENT, rounding=mode)

        state.move_to(on)
        deduction = ZERO
        deduction_kind = outcomes[2]
        if deduction_kind == "participation_forfaitaire":
            provider = claim.provider or claim.care
            used_today = state.pf_day.get(provider, ZERO)
            amount, daily_cap, yearly_cap = _known(plan.amount, plan.daily_cap,
                                                   plan.yearly_cap)
            deduction = max(min(amount, daily_cap - used_today, yearly_cap - state.pf_year,
                                amo_gross), ZERO)
            deduction = deduction.quantize(CENT, rounding=mode)
            state.pf_day[provider] = used_today + deduction
            state.pf_year += deduction
        elif plan.amount is not None:  # a franchise
            amount = (plan.amount * claim.boxes).quantize(CENT, rounding=mode)
            (yearly_cap,) = _known(plan.yearly_cap)
            deduction = min(amount, yearly_cap - state.franchise_year, amo_gross)
            if plan.daily_cap is not None:
                deduction = min(deduction, plan.daily_cap - state.franchise_day)
            deduction = max(deduction, ZERO).quantize(CENT, rounding=mode)
            state.franchise_day += deduction
            state.franchise_year += deduction
        amo = amo_gross - deduction

        top_up = ZERO
        reads = plan.reads
        if cover is not None:
            extra_reads: list[tuple[str, ParameterValue]] = []
            top_up = self._top_up(claim, cover, base, billed_care, amo_gross, plan,
                                  daily_charge, state, extra_reads)
            if extra_reads:
                reads = reads + tuple(extra_reads)
        patient = billed - amo - top_up
        if claim.base is not None:  # the base came with the claim, not from a rule
            rule_ids = rule_ids[1:]
        return ClaimResult(index, claim.id, claim.person, on, claim.care, billed, base, rate,
                           amo_gross, deduction_kind, deduction, amo, daily_charge, top_up,
                           patient, rule_ids, reads)

    def _top_up(self, claim: Claim, cover: Cover, base: Decimal, billed_care: Decimal,
                amo_gross: Decimal, plan: _Plan, daily_charge: Decimal,
                state: _PersonState, reads: list[tuple[str, ParameterValue]]) -> Decimal:
        mode = plan.mode
        constrained = cover.responsable or cover.kind == "css"
        if cover.kind == "css":
            level = ONE  # the CSS covers the ticket modérateur, no overcharges
        else:
            raw = cover.levels.get(claim.care, cover.levels.get("default", ZERO))
            level = Decimal(raw) / HUNDRED
            if constrained and claim.sector == "sector_2" and level > ONE:
                gap, gap_period = self.param("responsable.non_optam_gap", claim.date)
                cap, cap_period = self.param("responsable.non_optam_overcharge_cap", claim.date)
                reads += [("responsable.non_optam_gap", gap_period),
                          ("responsable.non_optam_overcharge_cap", cap_period)]
                raw_non = cover.levels_non_optam.get(claim.care)
                non_optam = Decimal(raw_non) / HUNDRED if raw_non is not None else level - gap
                level = max(ONE, min(non_optam, level - gap, ONE + cap))
        covered = min(billed_care, (base * level).quantize(CENT, rounding=mode))
        care_part = max(covered - amo_gross, ZERO)
        if constrained and plan.in_pathway is not None:
            # a contrat responsable never pays the out-of-pathway penalty
            care_part = min(care_part, (base * (ONE - plan.in_pathway)).quantize(
                CENT, rounding=mode))
        extra = ZERO
        allowance = cover.yearly_allowance.get(claim.care)
        if allowance is not None and cover.kind != "css":
            used = state.allowance.get(claim.care, ZERO)
            extra = max(min(Decimal(allowance) - used, billed_care - amo_gross - care_part),
                        ZERO)
            state.allowance[claim.care] = used + extra
        daily = daily_charge if (constrained or cover.hospital_daily_charge) else ZERO
        return care_part + extra + daily


# --------------------------------------------------------------------------- claim input


def _as_claim(item: Any, index: int, care_types: frozenset[str]) -> Claim:
    claim = structure(item, Claim, error=InvalidClaimError, path=f"claims[{index}]")
    problems = []
    if claim.care not in care_types:
        problems.append(Problem(f"claims[{index}].care", f"unknown care type {claim.care!r}; "
                                f"known: {', '.join(sorted(care_types))}"))
    if claim.care == "medicine" and claim.medicine_class is None:
        problems.append(Problem(f"claims[{index}].medicine_class", "required for a medicine: "
                                "irreplaceable, major, moderate, low or homeopathy"))
    if problems:
        raise InvalidClaimError(problems)
    return claim


def _pricer(rulebook: Rulebook | None, engine: str | Engine, overrides: Mapping[str, Any] | None,
            cover: Cover | Mapping[str, Cover] | None) -> Pricer:
    book = rulebook if rulebook is not None else default_rulebook()
    if overrides:
        from ._facts import ParameterReader

        ParameterReader(book, date(2000, 1, 1), overrides)  # validates the overrides
    return Pricer(book, get_engine(engine), overrides, cover)


def price_claim(claim: Claim | Mapping[str, Any], *, cover: Cover | None = None,
                rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                overrides: Mapping[str, Any] | None = None) -> ClaimResult:
    """Price one claim on its own (no earlier claims count towards the caps).

    >>> import ssreg
    >>> r = ssreg.price_claim({"care": "gp_consultation", "date": "2025-03-10",
    ...                        "billed": "30", "age": 22})
    >>> r.amo_gross, r.deduction, r.amo, r.patient
    (Decimal('21.00'), Decimal('2.00'), Decimal('19.00'), Decimal('11.00'))
    """
    pricer = _pricer(rulebook, engine, overrides, cover)
    return pricer.price(0, _as_claim(claim, 0, pricer.care_types), _PersonState())


def price_claims(claims: Iterable[Claim | Mapping[str, Any]], *,
                 cover: Cover | Mapping[str, Cover] | None = None,
                 rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                 overrides: Mapping[str, Any] | None = None,
                 presorted: bool = False) -> Iterator[ClaimResult]:
    """Price a batch: exactly one result per claim, in input order, or an error.

    Caps apply per person in date-of-care order (ties: input order).  ``cover`` is one
    contract for everybody or a mapping ``person -> Cover``.  By default the claims are
    read first and priced in date order (memory grows with the batch).  With
    ``presorted=True`` the claims of each person must come in date order (persons may be
    interleaved): the batch then streams with memory bounded by the number of persons,
    and a claim dated before an earlier claim of the same person raises
    :class:`~ssreg.InvalidClaimError`.
    """
    pricer = _pricer(rulebook, engine, overrides, cover)
    states: dict[str, _PersonState] = {}
    if presorted:
        return _stream(pricer, claims, states)
    return _sorted(pricer, claims, states)


def _stream(pricer: Pricer, claims: Iterable[Any], states: dict[str, _PersonState]) -> (
    Iterator[ClaimResult]
):
    care_types = pricer.care_types
    for index, item in enumerate(claims):
        claim = _as_claim(item, index, care_types)
        state = states.get(claim.person)
        if state is None:
            state = states[claim.person] = _PersonState()
        elif state.day is not None and claim.date < state.day:
            raise InvalidClaimError([Problem(
                f"claims[{index}].date", f"{claim.date} is before an earlier claim of person "
                f"{claim.person!r} ({state.day}); presorted=True needs each person's claims "
                "in date order")])
        yield pricer.price(index, claim, state)


def _sorted(pricer: Pricer, claims: Iterable[Any], states: dict[str, _PersonState]) -> (
    Iterator[ClaimResult]
):
    care_types = pricer.care_types
    parsed = [_as_claim(item, i, care_types) for i, item in enumerate(claims)]
    order = sorted(range(len(parsed)), key=lambda i: (parsed[i].date, i))
    results: list[ClaimResult | None] = [None] * len(parsed)
    for i in order:
        claim = parsed[i]
        state = states.get(claim.person)
        if state is None:
            state = states[claim.person] = _PersonState()
        results[i] = pricer.price(i, claim, state)
    parsed.clear()
    for i, result in enumerate(results):
        if result is None:  # pragma: no cover - every index was priced above
            raise InvalidClaimError([Problem(f"claims[{i}]", "was not priced")])
        results[i] = None
        yield result

