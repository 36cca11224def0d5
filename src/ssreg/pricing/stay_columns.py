"""Hospital stays priced by columns: :func:`ssreg.pricing.stays.price_stay` on arrays.

The arithmetic of a stay, in integer cents, for every stay of a batch at once:

* the **daily charge** of each stay is the sum, over the dated periods of its parameter,
  of the value in force (to the cent, with the stay's rounding mode) times the days of
  the stay in that period: a fixed function of the first day and the number of days, so
  a stay crossing a change of the daily charge is priced here too; the periods read
  after the first are added to the stay's parameters, as :meth:`Planner.per_day` does;
* with the costly-act flat charge, the base is the bill net of the daily charges (or
  the base given) and the flat charge replaces the co-payment;
* otherwise the co-payment share is ``(q - p) / q`` of a rate ``p / q``, times
  ``co_payment_days / days`` for a stay longer than that; the base is derived from the
  bill (the set-off ``daily_charge_imputation`` says whether the co-payment holds the
  daily charges) and the co-payment is rounded exactly in integers.

The claim-by-claim pricer computes the share as a ``Decimal`` of 28 digits: when the
exact share ``(q - p) * N / (q * days)`` is not a finite decimal (``days = 36``: 1/6)
it is rounded, and a product or quotient that lands *exactly* on a rounding boundary
(a half cent, or a whole cent for the modes rounding up or down) may round the other
way.  Elsewhere the exact fraction and the Decimal round alike (the denominators are
small: a result that is not on a boundary is at least ``1 / 2q`` of a cent from it).
Those rare stays, and those the integers cannot hold (bills beyond ``10**14`` cents
times the denominator), a day without a daily charge in force, a base too small for
the charges (refused), are priced by :func:`price_stay` itself, one stay at a time,
still in the columns: their running totals and top-ups stay columnar.

>>> _rounded(np.array([5, 15, 7]), np.array([10, 10, 2]), np.array([0, 1, 2])).tolist()
[1, 2, 3]
>>> _on_boundary(np.array([5, 20, 7]), np.array([10, 10, 2]), np.array([0, 2, 3])).tolist()
[True, True, False]
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from ..exceptions import SsregError
from .caps import ROUNDING, Array, round_product
from .packed import cents
from .plans import CENT
from .stays import price_stay


__all__ = ["StayShares", "price_stays"]

#: a stay whose bill (or base) and daily charges times the share's denominator reach this
#: is priced by price_stay: the integers stay exact, the Decimal's 28 digits round alike
LARGEST_PRODUCT = 10**14
LAST_DAY = date.max.toordinal()


class StayShares:
    """The amounts of the stays priced here (``rows``: indices into the rows priced).

    ``reads[i]`` numbers the parameters of stay ``i`` in :attr:`parameters` (``-1``: its
    plan's own, the stay crossing no change of its daily charge)."""

    def __init__(self, rows: Array) -> None:
        self.rows = rows
        size = len(rows)
        self.base, self.gross, self.flat, self.on_top, self.participation = (
            np.zeros(size, dtype=np.int64) for _ in range(5))
        self.reads = np.full(size, -1, dtype=np.int64)
        self.parameters: list[tuple[Any, ...]] = []
        self._numbers: dict[Any, int] = {}

    def number(self, reads: tuple[Any, ...]) -> int:
        found = self._numbers.get(reads)
        if found is None:
            found = self._numbers[reads] = len(self.parameters)
            self.parameters.append(reads)
        return found


def price_stays(pricer: Any, shares: Any, rows: Array) -> tuple[
        StayShares, list[tuple[int, SsregError]]]:
    """The stays at indices ``rows`` of ``shares`` (a :class:`~ssreg.pricing.shares.
    Shares`), and those refused: ``(index, error)`` as :func:`price_stay` raises it."""
    terms = shares.terms
    out = StayShares(rows)
    if not len(rows):
        return out, []
    g = shares.groups[rows]
    billed = shares.billed[rows]
    given_base = shares.claim_base[rows]
    given = given_base >= 0
    days = shares.given_or_default("hospital_days")[rows].astype(np.int64)
    mode = terms.mode[g]
    daily, delicate = _daily_charges(pricer, terms, g, shares.day[rows], days, mode, out)
    daily = np.where(~given & (daily > billed), billed, daily)
    costly_charge = terms.participation[g]
    costly = costly_charge >= 0
    imputed = terms.imputed[g] == 1
    # the co-payment share sn / sd: (q - p) / q, over co_payment_days / days when longer
    p, q, limit = terms.rate_p[g], terms.rate_q[g], terms.co_days[g]
    long = (limit >= 0) & (days > limit) & ~costly
    sn = np.where(long, (q - p) * np.maximum(limit, 0), q - p)
    sd = np.where(long, q * np.maximum(days, 1), q)
    largest = np.maximum(billed, given_base) + daily + 1
    delicate |= largest.astype(np.float64) * (sd + 1) >= LARGEST_PRODUCT
    if delicate.any():  # kept small where price_stay takes over (no overflow on the way)
        sn, sd = np.where(delicate, 0, sn), np.where(delicate, 1, sd)
        billed, daily = np.where(delicate, 0, billed), np.where(delicate, 0, daily)
        given_base = np.where(delicate & given, 0, given_base)

    base = np.where(given, given_base, np.maximum(billed - daily, 0))
    derived = ~given & ~costly & imputed & (sn < sd)
    holds = sn * billed >= sd * daily  # the co-payment holds the daily charges
    need = derived & ~holds
    num = np.where(need, (billed - daily) * sd, 0)
    den = np.where(need, sd - sn, 1)
    base = np.where(need, np.maximum(_rounded(num, den, mode), 0),
                    np.where(derived & holds, billed, base))
    share_of_base = _rounded(base * sn, sd, mode)
    participation = np.where(costly, np.minimum(costly_charge, base), share_of_base)
    on_top = np.where(imputed & ~costly, daily - np.minimum(participation, daily), daily)
    delicate |= given & (billed < given_base + on_top)  # refused by price_stay
    inexact = long & ~_finite_decimal(sn, sd)
    if inexact.any():  # a Decimal share of 28 digits: boundaries go to price_stay
        delicate |= inexact & (
            (derived & (sn * billed == sd * daily)) | (need & _on_boundary(num, den, mode))
            | _on_boundary(base * sn, sd, mode))

    out.base, out.participation, out.on_top = base, participation, on_top
    out.gross = base - participation
    out.flat = daily + np.where(costly, costly_charge, 0)
    refused = _by_price_stay(pricer, shares, out, np.flatnonzero(delicate))
    return out, refused


def _daily_charges(pricer: Any, terms: Any, g: Array, first: Array, days: Array,
                   mode: Array, out: StayShares) -> tuple[Array, Array]:
    """Each stay's daily charges in cents, and which are left to price_stay (a day
    without a value in force, a date beyond the calendar); the later periods read are
    numbered in ``out``."""
    daily = np.zeros(len(g), dtype=np.int64)
    delicate = np.zeros(len(g), dtype=bool)
    names: dict[str, int] = {}
    code_of = np.full(terms.count, -1, dtype=np.int64)
    for group in np.flatnonzero(np.bincount(g, minlength=terms.count)).tolist():
        plan = terms.entries[group].plan
        if plan.flat_per_day and plan.flat_param is not None:
            code_of[group] = names.setdefault(plan.flat_param, len(names))
    code = code_of[g]
    counted = np.maximum(days, 0)
    for name, number in names.items():
        chosen = np.flatnonzero(code == number)
        if name in pricer.overrides:  # one value, the plan's (Planner.per_day)
            daily[chosen] = terms.flat_amount[g[chosen]] * counted[chosen]
            continue
        values = pricer.book.parameter(name).values
        start, last = first[chosen], first[chosen] + counted[chosen] - 1
        beyond = last > LAST_DAY
        total = np.zeros(len(chosen), dtype=np.int64)
        covered = np.zeros(len(chosen), dtype=np.int64)
        for period in values:
            by_mode = np.array([cents(Decimal(period.value).quantize(CENT, rounding=m))
                                for m in ROUNDING], dtype=np.int64)
            overlap = np.maximum(np.minimum(period.end.toordinal(), last)
                                 - np.maximum(period.start.toordinal(), start) + 1, 0)
            total += overlap * by_mode[mode[chosen]]
            covered += overlap
        daily[chosen] = total
        delicate[chosen] = beyond | (covered != counted[chosen])
        # a stay crossing a change: the values of the later periods are read too
        starts = np.array([v.start.toordinal() for v in values], dtype=np.int64)
        low = np.searchsorted(starts, start, side="right") - 1
        high = np.searchsorted(starts, last, side="right") - 1
        crossing = (high > low) & (counted[chosen] > 0) & ~delicate[chosen]
        for i in np.flatnonzero(crossing).tolist():
            plan = terms.entries[int(g[chosen[i]])].plan
            extra = tuple(read for read in ((name, values[k]) for k in range(
                int(low[i]), int(high[i]) + 1)) if read not in plan.reads)
            if extra:
                out.reads[chosen[i]] = out.number(plan.reads + extra)
    return daily, delicate


def _by_price_stay(pricer: Any, shares: Any, out: StayShares, chosen: Array) -> list[
        tuple[int, SsregError]]:
    """The stays the integers leave to :func:`price_stay`, one at a time."""
    refused: list[tuple[int, SsregError]] = []
    c, terms = shares.c, shares.terms
    for i in chosen.tolist():
        index = int(out.rows[i])
        row = int(shares.view.rows[index]) if not shares.view.full else index
        plan = terms.entries[int(shares.groups[index])].plan
        try:
            stay = price_stay(pricer, plan, c.claim(row), c.position(row))
        except SsregError as exc:
            refused.append((index, exc))
            continue
        out.base[i], out.participation[i], out.on_top[i], out.flat[i] = (
            cents(stay.base), cents(stay.participation), cents(stay.on_top),
            cents(stay.flat))
        out.gross[i] = out.base[i] - out.participation[i]
        out.reads[i] = out.number(plan.reads + stay.reads) if stay.reads else -1
    return refused


def _rounded(num: Array, den: Array, mode: Array) -> Array:
    """``num / den`` (``num >= 0``, ``den > 0``) rounded with each row's mode (a code of
    :data:`ROUNDING`)."""
    out = np.zeros(len(num), dtype=np.int64)
    for code in np.unique(mode).tolist():
        rows = mode == code
        out[rows] = round_product(num[rows], 1, den[rows], ROUNDING[code])
    return out


def _on_boundary(num: Array, den: Array, mode: Array) -> Array:
    """Whether ``num / den`` is exactly where its mode's rounding turns: a half for the
    modes rounding halves, a whole number for those rounding down or up."""
    rest = num % den
    halves = (mode == ROUNDING.index("ROUND_HALF_UP")) | (
        mode == ROUNDING.index("ROUND_HALF_EVEN"))
    return np.where(halves, 2 * rest == den, rest == 0)  # type: ignore[no-any-return]


def _finite_decimal(numerator: Array, denominator: Array) -> Array:
    """Whether each fraction is a decimal of at most a dozen digits after the point
    (then the Decimal share is exact).

    >>> _finite_decimal(np.array([6, 6, 1]), np.array([32, 36, 3])).tolist()
    [True, False, False]
    """
    rest = denominator // np.gcd(numerator, denominator)
    small = rest <= 10**12
    for factor in (2, 5):
        for _ in range(40):
            divisible = rest % factor == 0
            if not divisible.any():
                break
            rest = np.where(divisible, rest // factor, rest)
    return small & (rest == 1)  # type: ignore[no-any-return]
