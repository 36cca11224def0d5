"""The terms of the columnar pricer: each distinct combination of facts priced with the
claim-by-claim pricer's own entry, turned into integer columns.

Claims with the same facts, validity segment, cover and psychologist-session number
share an :class:`~ssreg.pricing.pricer.Entry` (the fired rules, the plan with every
parameter read, the defaults used, the cover's terms).  :func:`entry_terms` asks the
pricer for that entry once per combination, through :meth:`Pricer.entry` itself, so
a rule, a parameter or an assumption changed there reaches the columns unchanged.
The numbers the arithmetic needs become one array per term (cents, exact fractions).

A combination whose entry has something the columnar arithmetic does not know (a plan
field added later, a rounding mode, a fraction too long to be exact in 64 bits) is
marked *unsupported*: its claims are priced claim by claim.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from ..exceptions import SsregError
from .caps import ROUNDING, SAFE, Array
from .packed import cents
from .plans import DEDUCTIONS, FLAT_CHARGES, Plan
from .pricer import Entry, PersonState, Pricer


#: the plan and entry fields the columnar arithmetic reads; a field added to either that
#: is set on some plan makes that plan's claims go claim by claim
PLAN_FIELDS = frozenset({
    "mode", "base", "rate", "deduction", "family", "daily_scope", "amount", "daily_cap",
    "yearly_cap", "flat", "flat_amount", "flat_per_day", "flat_cover", "flat_responsable",
    "threshold", "top_up", "in_pathway_rate", "gap", "cap", "reads", "rules", "flat_param",
    "optics_cap", "optics_cap_counts_amo", "participation", "imputed", "co_payment_days"})
ENTRY_FIELDS = ("plan", "assumptions", "level", "allowance", "pays_flat")
FAMILIES = {None: 0, "participation": 1, "franchise": 2}
SCOPES = {None: 0, "professional": 1, "paramedical": 2}
MAX_DIGITS = 16  # a Decimal product of two such numbers stays exact (28 digits)


class Terms:
    """One row per combination: the numbers of its entry (``-1``: none)."""

    NAMES = ("base", "rate_p", "rate_q", "family", "scope", "amount", "daily_cap",
             "yearly_cap", "flat_amount", "per_day", "threshold", "top_up", "level_p",
             "level_q", "rest_p", "rest_q", "allowance", "pays_flat", "mode", "optics_cap",
             "optics_amo", "participation", "imputed", "co_days", "costly_unpaid")

    def __init__(self, count: int) -> None:
        self.count = count
        for name in self.NAMES:
            setattr(self, name, np.full(count, -1, dtype=np.int64))
        self.entries: list[Entry | None] = [None] * count
        self.errors: dict[int, SsregError] = {}
        self.unsupported = np.zeros(count, dtype=bool)
        #: claims of this combination touch no running total (no fixed charge, no
        #: allowance): one priced claim by claim needs no other claim of its person
        self.alone = np.zeros(count, dtype=bool)

    def __getattr__(self, name: str) -> Array:  # the arrays set in __init__ (for mypy)
        raise AttributeError(name)


def _fraction(value: Decimal | None) -> tuple[int, int] | None:
    """An exact fraction, or None when the value is too long to stay exact."""
    if value is None:
        return None
    if not value.is_finite() or len(value.as_tuple().digits) > MAX_DIGITS:
        raise ValueError(value)
    numerator, denominator = value.as_integer_ratio()
    return numerator, denominator


def _cents(value: Decimal | None) -> int:
    return -1 if value is None else cents(value)


def supported(entry: Entry) -> bool:
    """Whether the columnar arithmetic knows everything this entry says."""
    plan = entry.plan
    if tuple(entry._fields) != ENTRY_FIELDS:
        return False
    for name in plan._fields:
        if name not in PLAN_FIELDS and getattr(plan, name) not in (None, False, (), ""):
            return False
    if plan.mode not in ROUNDING or plan.family not in FAMILIES:
        return False
    if plan.deduction != "none" and plan.deduction not in DEDUCTIONS:
        return False
    if plan.flat != "none" and plan.flat not in FLAT_CHARGES:
        return False
    if plan.family is not None and (plan.amount is None or plan.yearly_cap is None or (
            plan.daily_scope is not None and plan.daily_cap is None)):
        return False
    amounts = (plan.base, plan.amount, plan.daily_cap, plan.yearly_cap, plan.flat_amount,
               plan.threshold, entry.allowance, plan.optics_cap, plan.participation)
    return all(a is None or (a.is_finite() and a >= 0 and a == a.quantize(Decimal("0.01")))
               for a in amounts)


def entry_terms(pricer: Pricer, columns: Any, rows: Array, representatives: Array,
                covers: list[Any], cover_of: Array, numbers: Array, top_billed: int) -> Terms:
    """The terms of each combination, from the entry of its representative claim (the
    numbers of an entry are kept by the pricer, like its entries)."""
    terms = Terms(len(representatives))
    limit = SAFE // (top_billed + 1)
    picked = representatives.tolist()
    claims = columns.claims([int(r) for r in rows[representatives].tolist()])
    memo: dict[Any, tuple[Entry, dict[str, int] | None]] = pricer.__dict__.setdefault(
        "_columnar_terms", {})
    arrays = {name: getattr(terms, name) for name in Terms.NAMES}
    for group, (index, claim) in enumerate(zip(picked, claims, strict=True)):
        state = PersonState()
        state.psychologist = int(numbers[index]) - 1
        cover = covers[int(cover_of[index])]
        try:
            entry = pricer.entry(claim, cover, state, pricer.segment(claim.date))
        except SsregError as exc:
            terms.errors[group] = exc
            continue
        terms.entries[group] = entry
        terms.alone[group] = entry.plan.family is None and entry.allowance is None
        key = (id(entry), cover is not None, limit)
        known = memo.get(key)
        if known is None or known[0] is not entry:
            try:
                values = _values(entry, limit, cover is not None) if supported(entry) else None
            except ValueError:
                values = None
            if len(memo) > 10_000:
                memo.clear()
            known = memo[key] = (entry, values)  # the entry kept: its id is not reused
        if known[1] is None:
            terms.unsupported[group] = True
        else:
            for name, value in known[1].items():
                arrays[name][group] = value
            # a stay's costly-act flat charge that the cover does not pay (Pricer.price)
            terms.costly_unpaid[group] = int(
                cover is not None and entry.plan.participation is not None
                and entry.plan.top_up not in ("css", "no_cover")
                and not getattr(cover, "costly_act_flat_charge", True))
    return terms


def _values(entry: Entry, limit: int, covered: bool) -> dict[str, int] | None:
    """One entry's numbers, or None when a fraction is too large for 64 bits."""
    plan: Plan = entry.plan
    rate = _fraction(plan.rate)
    level = _fraction(entry.level)
    in_pathway = plan.in_pathway_rate
    rest = _fraction(Decimal(1) - in_pathway) if in_pathway is not None else None
    fractions = [f for f in (rate, level, rest) if f is not None]
    if rate is None or any(abs(p) >= limit or q >= limit or p < 0 for p, q in fractions):
        return None
    values = {
        "base": _cents(plan.base), "rate_p": rate[0], "rate_q": rate[1],
        "family": FAMILIES[plan.family], "scope": SCOPES.get(plan.daily_scope, -1),
        "amount": _cents(plan.amount), "daily_cap": _cents(plan.daily_cap),
        "yearly_cap": _cents(plan.yearly_cap), "flat_amount": _cents(plan.flat_amount),
        "per_day": int(plan.flat_per_day), "threshold": _cents(plan.threshold),
        "top_up": int(covered and plan.top_up != "no_cover"),
        "level_p": -1 if level is None else level[0],
        "level_q": 0 if level is None else level[1],
        "rest_p": -1 if rest is None else rest[0], "rest_q": 0 if rest is None else rest[1],
        "allowance": _cents(entry.allowance), "pays_flat": int(entry.pays_flat),
        "mode": ROUNDING.index(plan.mode), "optics_cap": _cents(plan.optics_cap),
        "optics_amo": int(plan.optics_cap_counts_amo),
        "participation": _cents(plan.participation), "imputed": int(plan.imputed),
        "co_days": -1 if plan.co_payment_days is None else int(plan.co_payment_days)}
    return None if values["scope"] < 0 else values
