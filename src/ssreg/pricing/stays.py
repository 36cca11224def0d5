"""A hospital stay priced as the Code de la sécurité sociale describes it.

The claim decision tables say which rate, which daily charge and whether a costly act
replaces the co-payment; this module does the arithmetic of one stay:

* the **co-payment** (ticket modérateur) is ``(1 - rate)`` of the stay's base, for the
  days of the stay up to the 30th: it stops from the 31st day (the base is taken as
  spread evenly over the days of the stay, an assumption stated in the docs);
* with an act of 120 EUR or more during the stay, the **costly-act flat charge** replaces
  the co-payment for the whole stay (art. R160-16; the rate is then 100 %);
* the **daily charge** (forfait journalier) is owed for each day, the day of discharge
  included, each day at the amount in force that day; it is **set off against the
  co-payment** (art. L174-4: the patient pays the larger of the two), except with the
  costly-act flat charge, to which L174-4 says the set-off does not apply (the
  ``daily_charge_imputation`` choice turns the set-off off).

``billed`` is the whole bill of the stay.  Without a ``base``, the base is the part of
the bill that is not daily charges paid on top of the co-payment.  An explicit ``base``
is used as given: a bill too small to hold it and the charges is refused, never cut.

>>> import ssreg
>>> r = ssreg.price_claim({"care": "hospital_stay", "date": "2025-06-10", "billed": "1400",
...                        "hospital_days": 2, "age": 22})
>>> r.base, r.amo, r.flat_charge, r.patient   # 20 % of 1400 = 280 holds the 2 x 20 EUR
(Decimal('1400.00'), Decimal('1120.00'), Decimal('40.00'), Decimal('280.00'))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ..exceptions import InvalidClaimError, Problem
from ..rulebook.rulebook import ParameterValue
from .plans import CENT, ONE, ZERO, Plan, Planner


__all__ = ["Stay", "price_stay"]


class Stay(NamedTuple):
    """The amounts of one hospital stay."""

    base: Decimal  # the stay's base (tarif de responsabilité)
    amo_gross: Decimal  # what the Assurance Maladie pays
    participation: Decimal  # the co-payment, or the costly-act flat charge replacing it
    flat: Decimal  # the flat charges owed: daily charges (and the costly-act flat charge)
    on_top: Decimal  # the daily charges not absorbed by the co-payment
    reads: tuple[tuple[str, ParameterValue], ...]  # daily-charge values of later periods


def price_stay(planner: Planner, plan: Plan, claim: Any, index: int) -> Stay:
    """The amounts of the hospital stay ``claim`` priced with ``plan``."""
    on: date = claim.date
    # days not given: the documented default (rule data), named among the assumptions
    days: int = claim.hospital_days if claim.hospital_days is not None else \
        planner.defaults["hospital_days"]
    billed: Decimal = claim.billed
    mode = plan.mode
    daily = ZERO
    reads: tuple[tuple[str, ParameterValue], ...] = ()
    if plan.flat_per_day and plan.flat_param is not None:
        daily, reads = planner.per_day(plan.flat_param, on, days)
        if claim.base is None and daily > billed:
            daily = billed  # a flat charge is never more than the bill (as for every care)
    extra = tuple(read for read in reads if read not in plan.reads)
    given = claim.base
    costly = plan.participation
    if costly is not None:
        # the flat charge replaces the co-payment; the daily charge is not set off (L174-4)
        base = given if given is not None else max(billed - daily, ZERO)
        participation = min(costly, base)
        on_top = daily
    else:
        share = ONE - plan.rate
        if plan.co_payment_days is not None and days > plan.co_payment_days:
            share = share * plan.co_payment_days / days  # no co-payment from day 31
        if given is not None:
            base = given
        elif not plan.imputed or share >= ONE:
            base = max(billed - daily, ZERO)
        elif share * billed >= daily:
            base = billed  # the co-payment holds the daily charges
        else:
            base = max(((billed - daily) / (ONE - share)).quantize(CENT, rounding=mode), ZERO)
        participation = (base * share).quantize(CENT, rounding=mode)
        on_top = daily - min(participation, daily) if plan.imputed else daily
    if given is not None and billed < given + on_top:
        raise InvalidClaimError([Problem(
            f"claims[{index}].base", f"a stay with a base of {given} EUR and {on_top} EUR of "
            f"daily charges on top is billed at least {given + on_top} EUR; got {billed} "
            "EUR (the base is never cut: check the base and the amount billed)")])
    flat = daily + costly if costly is not None else daily
    return Stay(base, base - participation, participation, flat, on_top, extra)
