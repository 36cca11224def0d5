"""Pricing claims: Assurance Maladie amount, fixed and flat charges with their caps, top-up.

The decision tables of scope ``claim`` (rules data) choose the base, the rate, the fixed
charge, the flat charge and how the top-up pays; the amounts are dated parameters read
on the date of care, named by the outcomes (:mod:`ssreg.pricing.plans`).  This module does the
arithmetic, in :class:`~decimal.Decimal`, every amount rounded to the cent with the
``rounding`` parameter, and conserves money exactly::

    amo + top_up + patient == billed          (and no share is negative)

Caps (participation forfaitaire per day, professional and year; franchise per year and,
for paramedical acts, per day; psychologist sessions per year) are applied per person in
date-of-care order (see :mod:`ssreg.pricing.batch` for the order of a batch).

Speed: a claim's *entry* (its plan, the defaults it used, its cover's level for the
care) depends only on the claim's facts, the validity segment of its date and its
cover, so it is looked up once per distinct combination; what is left per claim is the
arithmetic of the caps.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ..engines.engine import Engine
from ..exceptions import InvalidClaimError, Problem
from ..model.models import Claim, Cover
from ..rulebook.facts import age_on, in_pregnancy_window
from ..rulebook.rulebook import Rulebook
from .assumptions import assumed
from .plans import CENT, CONSULTATIONS, HUNDRED, ONE, PLAIN_FACTS, ZERO, Plan, Planner
from .results import ClaimResult
from .stays import price_stay


__all__ = ["Entry", "PersonState", "Pricer", "out_of_order", "threshold_problem"]

#: the claim attributes that decide its entry when no fact has to be derived
ENTRY_FACTS = (*PLAIN_FACTS, "age", "birth_date", "css", "referent_doctor_declared",
               "referent_doctor_seen", "referred", "pregnancy_window")
_BIRTH = ENTRY_FACTS.index("birth_date")
_NEW = tuple.__new__
#: care types bearing the participation forfaitaire in the built-in rules
PF_CARE = frozenset({*CONSULTATIONS, "lab_biology", "lab_pathology", "radiology"})
AFTER_HORIZON = ("after_rulebook_horizon",)
ENTRIES_LIMIT = 100_000


def threshold_problem(index: int, amount: Decimal, threshold: Decimal) -> Problem:
    """A costly act below its threshold: the problem of claim ``index``."""
    return Problem(f"claims[{index}].billed", f"a costly act has a tariff of at least "
                                              f"{threshold} EUR; got {amount}")


def out_of_order(index: int, day: date, person: str, last: date) -> Problem:
    """A claim dated before an earlier claim of its person in a presorted batch."""
    return Problem(f"claims[{index}].date", f"{day} is before an earlier claim of person "
                   f"{person!r} ({last}); presorted=True needs each person's claims in date "
                   "order")


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


def _given(claim: Any) -> tuple[bool, ...]:
    """Which fields the claim leaves out among those the derived facts and the arithmetic
    read (a derived fact takes the same value whether its field is left out or says its
    default, but only the first is an assumption)."""
    return (claim.base is None, claim.provider is None, claim.boxes is None,
            claim.hospital_days is None, claim.css is None,
            claim.referent_doctor_declared is None, claim.referent_doctor_seen is None,
            claim.referred is None, claim.pregnancy_window is None)


class Entry(NamedTuple):
    """What claims with the same facts, segment and cover are priced with.

    ``assumptions`` are the codes of the defaults the price rests on (fields the claim
    left out whose other values could change it): a columnar pricer reuses them with
    the plan.
    """

    plan: Plan
    assumptions: tuple[str, ...]
    level: Decimal | None  # the cover's level for the care, a fraction of the base
    allowance: Decimal | None  # the cover's yearly allowance for the care, in euros
    pays_flat: bool  # the cover pays the flat charge


class Pricer(Planner):
    """Prices claims with one rulebook, engine, cover choice and (checked) overrides."""

    def __init__(self, book: Rulebook, engine: Engine, overrides: Mapping[str, Any],
                 cover: Cover | Mapping[str, Cover] | None) -> None:
        super().__init__(book, engine, overrides)
        self.cover = cover
        self._covers: Mapping[str, Cover] | None = (
            cover if isinstance(cover, Mapping) else None)
        self._entries: dict[tuple[Any, ...], Entry] = {}
        self._assumed: dict[tuple[Any, ...], tuple[str, ...]] = book.memo().setdefault(
            "claim_assumptions", {})
        self._overridden: Any = tuple(sorted(self.overrides.items()))
        try:
            hash(self._overridden)
        except TypeError:  # an unhashable override: this pricer keeps its own analyses
            self._overridden = ("pricer", object())  # never equal to another key
        self._entry_facts = operator.attrgetter(*ENTRY_FACTS)
        #: the last date priced and its segment, as one tuple (threads may share a pricer)
        self._last: tuple[date | None, int] = (None, 0)

    # ------------------------------------------------------------------ facts and entries

    def facts(self, claim: Claim, cover: Cover | None, state: PersonState,
              special: list[str]) -> tuple[Any, ...]:
        """The derived facts, in :data:`DERIVED_FACTS` order (defaults for what the claim
        leaves out), noting in ``special`` the estimates made beyond a field's default."""
        on, care, defaults = claim.date, claim.care, self.defaults
        born = claim.birth_date
        age = age_on(born, on) if born is not None else claim.age
        age_jan1: int | None
        if born is not None:
            age_jan1 = age_on(born, date(on.year, 1, 1))
        else:
            # under 18 (or over 18) on the date of care is under (over) 18 on 1 January;
            # at 18 the birthday may fall after 1 January: the age on the date is taken
            age_jan1 = age
            if age == 18 and care in PF_CARE:
                special.append("age_on_january_1_assumed")
        kind = "none" if cover is None else cover.kind
        css = (claim.css if claim.css is not None else defaults["css"]) or kind == "css"
        declared, seen, referred = (claim.referent_doctor_declared,
                                    claim.referent_doctor_seen, claim.referred)
        if declared is None:
            declared = defaults["referent_doctor_declared"]
        if seen is None:
            seen = defaults["referent_doctor_seen"]
        if referred is None:
            referred = defaults["referred"]
        if care == "optics" and claim.optics_item is None and cover is not None \
                and cover.responsable and kind != "css":
            special.append("optics_item_not_given")
        number = over = None
        if care == "psychologist_session":
            number = state.psychologist + 1
            cap = self.param_if_any("psychologist_sessions_yearly_cap", on)
            over = None if cap is None else number > cap
        # the window is said by the claim, or follows from its pregnancy dates; without
        # either, the claim is outside it (named among the assumptions where it matters)
        pregnancy = bool(claim.pregnancy_window) or (
            (claim.pregnancy_start is not None or claim.delivery_date is not None)
            and in_pregnancy_window(claim.pregnancy_start, claim.delivery_date, on, special))
        return (age, age_jan1, css, kind, cover is not None and cover.responsable, declared,
                seen, referred, number, over, pregnancy)

    def plain(self, claim: Claim) -> tuple[Any, ...]:
        """The claim's own facts, in :data:`PLAIN_FACTS` order, with their defaults."""
        defaults = self.defaults
        return tuple(defaults.get(name) if value is None else value
                     for name, value in zip(PLAIN_FACTS, self._plain(claim), strict=True))

    def entry(self, claim: Claim, cover: Cover | None, state: PersonState,
              segment: int) -> Entry:
        """The claim's entry: looked up by its facts, computed and kept when new."""
        facts = self._entry_facts(claim)
        given = _given(claim)
        special: list[str] = []
        if facts[_BIRTH] is None and facts[0] != "psychologist_session" and (
                claim.pregnancy_start is None and claim.delivery_date is None):
            # nothing to derive from the date or the person's history: the facts are the key
            key: tuple[Any, ...] = (segment, id(cover), facts, given)
            found = self._entries.get(key)
            if found is not None:
                return found
            derived = self.facts(claim, cover, state, special)
        else:
            derived = self.facts(claim, cover, state, special)
            key = (segment, id(cover), self._plain(claim), derived, given, tuple(special))
            found = self._entries.get(key)
            if found is not None:
                return found
        plain = self.plain(claim)
        outcomes, rules = self.decide(claim, derived, plain)
        plan = self.plan(claim.date, outcomes, claim.base is not None, rules)
        # what the price assumes is an analysis of the rulebook, whatever the engine: it
        # depends on the claim's facts, the segment, the parameters overridden and whether
        # there is a cover, and is kept on the rulebook for every pricer of it
        analysis = (segment, self._overridden, cover is None, self._plain(claim), derived,
                    _given(claim))
        assumptions = self._assumed.get(analysis)
        if assumptions is None:
            assumptions = assumed(self, claim, plain, derived, outcomes, plan, cover)
            if len(self._assumed) > ENTRIES_LIMIT:
                self._assumed.clear()
            self._assumed[analysis] = assumptions
        if special:
            assumptions = tuple(dict.fromkeys((*assumptions, *special)))
        found = Entry(plan, assumptions, *self._cover_terms(cover, claim.care, plan))
        if self.memoize:  # the compiled engine's answer depends only on these facts
            if len(self._entries) > ENTRIES_LIMIT:
                self._entries.clear()
            self._entries[key] = found
        return found

    def _cover_terms(self, cover: Cover | None, care: str, plan: Plan) -> tuple[
            Decimal | None, Decimal | None, bool]:
        """The cover's level and yearly allowance for the care, and whether it pays the
        flat charge."""
        top_up = plan.top_up
        if cover is None or top_up == "no_cover":
            return None, None, False
        allowance = None
        if top_up == "css":
            level: Decimal | None = ONE  # the CSS covers the co-payment, no overcharges [CS1]
        else:
            allowance = cover.yearly_allowance.get(care)
            raw = cover.level(care)
            level = None if raw is None else raw / HUNDRED
            if level is not None and top_up == "responsable_non_optam" and level > ONE:
                gap, cap = plan.gap, plan.cap
                assert gap is not None
                assert cap is not None
                raw = cover.level(care, non_optam=True)
                non_optam = level - gap if raw is None else raw / HUNDRED
                level = max(ONE, min(non_optam, level - gap, ONE + cap))
        # [K1]: a contrat responsable pays the hospital daily charge
        pays_flat = bool(plan.flat_cover) and (
            top_up == "css" or getattr(cover, plan.flat_cover)
            or (plan.flat_responsable and top_up.startswith("responsable")))
        return level, allowance, pays_flat

    # ------------------------------------------------------------------ pricing

    def price(self, index: int, claim: Claim, state: PersonState) -> ClaimResult:
        on = claim.date
        if on != state.day:
            if on.year == state.year:  # a new day of the same year (inlined: it is hot)
                state.day, state.pf_day, state.paramedical_day = on, {}, ZERO
            else:
                state.move_to(on)
        last_on, segment = self._last
        if on != last_on:
            segment = self.segment(on)
            self._last = (on, segment)
        covers = self._covers
        cover = self.cover if covers is None else covers.get(claim.person)
        facts = self._entry_facts(claim)
        entry = None
        if facts[_BIRTH] is None and facts[0] != "psychologist_session" and (
                claim.pregnancy_start is None and claim.delivery_date is None):  # see entry()
            entry = self._entries.get((segment, id(cover), facts, _given(claim)))
        if entry is None:
            entry = self.entry(claim, cover, state, segment)  # type: ignore[arg-type]
        plan = entry.plan
        mode = plan.mode
        billed = claim.billed
        care = claim.care
        assumptions = entry.assumptions
        if care == "psychologist_session":
            state.psychologist += 1

        flat = ZERO
        reads = plan.reads
        stay = None
        if care == "hospital_stay":
            stay = price_stay(self, plan, claim, index)
            base, amo_gross, flat, on_top = stay.base, stay.amo_gross, stay.flat, stay.on_top
            billed_care = billed - on_top
            if stay.reads:
                reads = reads + stay.reads
        else:
            threshold = plan.threshold
            if threshold is not None and (claim.base or billed) < threshold:
                raise InvalidClaimError([threshold_problem(index, claim.base or billed,
                                                           threshold)])
            if plan.flat_amount is not None:
                flat = plan.flat_amount
                if flat > billed:
                    flat = billed
            on_top = flat
            billed_care = billed - flat if flat else billed
            known = claim.base if claim.base is not None else plan.base
            base = billed_care if known is None or known > billed_care else known
            amo_gross = (base * plan.rate).quantize(CENT, rounding=mode)

        deduction = ZERO
        family = plan.family
        if family == "participation":
            provider = claim.provider
            if provider is None:  # counted per care type (the entry says so)
                provider = "care:" + care
            used = state.pf_day.get(provider, ZERO)
            deduction = min(plan.amount, plan.daily_cap - used,  # type: ignore[operator, type-var, assignment]
                            plan.yearly_cap - state.pf_year, amo_gross)  # type: ignore[operator]
            if deduction < ZERO:
                deduction = ZERO
            state.pf_day[provider] = used + deduction
            state.pf_year += deduction
        elif family == "franchise":
            amount: Decimal = plan.amount  # type: ignore[assignment]
            boxes = claim.boxes if claim.boxes is not None else self.defaults["boxes"]
            units = amount * boxes if boxes != 1 else amount
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
            level = entry.level
            if level is not None:
                covered = min(billed_care, (base * level).quantize(CENT, rounding=mode))
                top_up = covered - amo_gross
                if top_up < ZERO:
                    top_up = ZERO
                elif plan.in_pathway_rate is not None:
                    # a contrat responsable never pays the out-of-pathway penalty [K2][K4]
                    top_up = min(top_up, (base * (ONE - plan.in_pathway_rate)).quantize(
                        CENT, rounding=mode))
            allowance = entry.allowance
            if allowance is not None:
                used = state.allowance.get(care, ZERO)
                extra = max(min(allowance - used, billed_care - amo_gross - top_up), ZERO)
                state.allowance[care] = used + extra
                top_up += extra
            if stay is not None and stay.participation and plan.participation is not None \
                    and plan.top_up != "css" \
                    and not getattr(cover, "costly_act_flat_charge", True):
                # a cover that does not pay the costly-act flat charge, which is here the
                # whole co-payment of the stay
                top_up = max(top_up - stay.participation, ZERO)
            if entry.pays_flat:
                top_up += on_top
            if plan.optics_cap is not None:
                # the caps of a contrat responsable [O5][K6], from 2020 including the
                # Assurance Maladie's share [CSS-R871-2]
                room = plan.optics_cap - amo if plan.optics_cap_counts_amo else plan.optics_cap
                if top_up > room:
                    top_up = max(room, ZERO)
        return _NEW(ClaimResult, (
            index, claim.id, claim.person, on, care, billed, base, plan.rate, amo_gross,
            plan.deduction, deduction, amo, plan.flat, flat, top_up, billed - amo - top_up,
            plan.rules, reads, assumptions,
            AFTER_HORIZON if on > self.horizon else (), self.version))

