"""Who pays what, for whole columns: the arithmetic of :meth:`Pricer.price` on arrays.

Each step mirrors the claim-by-claim pricer (:mod:`ssreg.pricing.pricer`), in integer
cents, with the terms of each row's combination of facts (:mod:`ssreg.pricing.terms`):

1. the flat charge (once), never more than the bill; a hospital stay's daily charges,
   co-payment and base are those of :mod:`ssreg.pricing.stay_columns`;
2. the base: the claim's, else the plan's, never more than the bill net of the flat
   charge; the Assurance Maladie amount, the base times the rate, rounded exactly;
3. the participation forfaitaire (daily cap per professional, yearly cap) and the
   franchises (daily cap for paramedical acts, yearly cap), as capped running totals per
   person in date order (:func:`ssreg.pricing.caps.capped`);
4. the top-up: the cover's level of the base less the Assurance Maladie amount, never
   more than the bill, limited by a contrat responsable outside the care pathway; the
   cover's yearly allowances as capped running totals; the flat charge if it pays it.

A cap whose value changes within its group (a year, a day) cannot be applied as one
running total: those rows are flagged in ``fallback`` and priced claim by claim.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from .caps import ROUNDING, SAFE, Array, bits_for, cap_varies, capped, round_product, stable_order
from .stay_columns import StayShares, price_stays


#: the largest common denominator of a fraction's values kept for one division by it
LARGEST_COMMON = 1_000_000


class Shares:
    """The shares of the rows being priced (``view``), in their order."""

    def __init__(self, c: Any, view: Any, terms: Any, groups: Array, order: Array,
                 person: Array, day: Array, person_year: Array,
                 defaults: dict[str, Any]) -> None:
        self.c, self.view, self.terms, self.groups = c, view, terms, groups
        #: the rulebook's default of each field a claim may leave out
        self.defaults = defaults
        self.order, self.person, self.day, self.person_year = order, person, day, person_year
        self.size = len(groups)
        self.billed = view.take(c.billed)
        self.claim_base = view.take(c.values["base"])
        self._gathered: dict[str, Array] = {}
        self.flat, self.base, self.gross, self.deduction, self.top_up = (
            np.zeros(self.size, dtype=np.int64) for _ in range(5))
        self.on_top = self.flat
        self.stays: StayShares | None = None

    def t(self, name: str) -> Array:
        """Each row's value of a term."""
        found = self._gathered.get(name)
        if found is None:
            values = getattr(self.terms, name)
            low, high = int(values.min()), int(values.max())
            found = (np.full(self.size, low, dtype=np.int64) if low == high
                     else values[self.groups])
            self._gathered[name] = found
        return found

    def given_or_default(self, name: str) -> Array:
        """A whole-number field of each row (``boxes``, ``hospital_days``): as given, else
        (``-1``: not given) the rulebook's default, as the claim-by-claim pricer reads it."""
        values: Array = self.view.take(self.c.values[name])
        if values.min() >= 0:
            return values
        filled: Array = np.where(values < 0, int(self.defaults[name]), values)
        return filled

    def any(self, name: str, test: Any) -> bool:
        """Whether some combination's term passes ``test``."""
        return bool(test(getattr(self.terms, name)).any())

    def too_small(self, refused: Array) -> Iterator[tuple[int, int, int]]:
        """Rows of a costly act below its threshold: ``(row index, amount, threshold)``."""
        if not self.any("threshold", lambda v: v >= 0):
            return
        threshold = self.t("threshold")
        probe = np.where(self.claim_base > 0, self.claim_base, self.billed)
        small = (threshold >= 0) & (probe < threshold)
        for index in np.flatnonzero(small & ~refused).tolist():
            yield index, int(probe[index]), int(threshold[index])

    def price_stays(self, pricer: Any, rows: Array) -> list[tuple[int, Any]]:
        """Price the hospital stays at indices ``rows`` (:mod:`ssreg.pricing.stay_columns`)
        before :meth:`compute`; the stays refused: ``(index, error)``."""
        self.stays, refused = price_stays(pricer, self, rows)
        return refused

    def compute(self, live: Array, fallback: Array) -> None:
        billed = self.billed
        if self.any("flat_amount", lambda v: v >= 0):
            # once per claim; a stay's daily charges are the stays' (below)
            self.flat = np.minimum(np.maximum(self.t("flat_amount"), 0), billed)
            billed_care = billed - self.flat
        else:
            billed_care = billed
        base = self.t("base")
        if self.claim_base.max() >= 0:  # some claims give their base
            base = np.where(self.claim_base >= 0, self.claim_base, base)
        self.base = np.where((base < 0) | (base > billed_care), billed_care, base)
        self.gross = self.rounded(self.base, "rate_p", "rate_q")
        self.on_top = self.flat  # the flat charge the patient pays on top of the care
        stays = self.stays
        if stays is not None and len(stays.rows):
            rows = stays.rows
            self.flat, self.on_top = self.flat.copy(), self.flat.copy()
            billed_care = billed_care.copy()
            self.base[rows], self.gross[rows], self.flat[rows] = (
                stays.base, stays.gross, stays.flat)
            self.on_top[rows] = stays.on_top
            billed_care[rows] = billed[rows] - stays.on_top
        if self.any("family", lambda v: v > 0):
            self.fixed_charges(live, fallback)
        if self.any("top_up", lambda v: v == 1):
            self.top_up = self.cover_share(live, fallback, billed_care)

    def amounts(self) -> dict[str, Array]:
        return {"base": self.base, "amo_gross": self.gross, "deduction": self.deduction,
                "flat_charge": self.flat, "top_up": self.top_up}

    def rounded(self, amount: Array, numerator: str, denominator: str,
                chosen: Array | None = None, where: Array | None = None) -> Array:
        """``amount * p / q`` rounded with each row's mode; 0 on the rows of combinations
        without ``q`` or not ``chosen`` (a mask of combinations), and outside ``where``
        (a mask of rows).

        The fractions of all combinations are put over one common denominator when it
        is small (rates are tenths, twentieths...): dividing by one number is fast."""
        terms = self.terms
        q_all, p_all = getattr(terms, denominator), getattr(terms, numerator)
        given_groups = q_all > 0 if chosen is None else (q_all > 0) & chosen
        common = 1
        for each in sorted(set(q_all[given_groups].tolist())):
            common = math.lcm(common, int(each))
            if common > LARGEST_COMMON:
                break
        safe_q = np.where(given_groups, q_all, 1)
        scaled = np.where(given_groups, p_all * (common // safe_q), 0) if (
            common <= LARGEST_COMMON) else p_all
        top = int(scaled.max()) if len(scaled) else 0
        q: Any
        if common <= LARGEST_COMMON and top * (int(self.billed.max()) + 1) < SAFE:
            p, q = scaled[self.groups], common
        else:
            p, q = np.where(given_groups, p_all, 0)[self.groups], safe_q[self.groups]
        given: Array | None = None
        if not given_groups.all():
            given = given_groups[self.groups]
        if where is not None:
            given = where if given is None else given & where
        modes = terms.mode[terms.mode >= 0]
        low, high = (int(modes.min()), int(modes.max())) if len(modes) else (0, 0)
        if low == high:
            out = round_product(amount, p, q, ROUNDING[low])
        else:
            mode = self.t("mode")
            out = np.zeros(self.size, dtype=np.int64)
            for code in range(low, high + 1):
                rows = mode == code
                out[rows] = round_product(amount[rows], p[rows],
                                          q if isinstance(q, int) else q[rows],
                                          ROUNDING[code])
        return out if given is None else np.where(given, out, 0)

    # ------------------------------------------------------------------ fixed charges

    def fixed_charges(self, live: Array, fallback: Array) -> None:
        """The participation forfaitaire and the franchises under their caps."""
        terms = self.terms
        family_of = self.t("family")
        deduction = np.zeros(self.size, dtype=np.int64)
        for kind in (1, 2):
            if not (terms.family == kind).any():
                continue
            seq = self.order[((family_of == kind) & live)[self.order]]  # in date order
            if not len(seq):
                continue
            groups = self.groups[seq]
            owed = terms.amount[groups]
            if kind == 2:  # a franchise per box or act
                owed = owed * self.given_or_default("boxes")[seq]
            owed = np.maximum(np.minimum(owed, self.gross[seq]), 0)
            in_day = (terms.scope[groups] == 2) if kind == 2 else np.ones(len(seq), bool)
            if in_day.any():  # a person's day, with one professional for the participation
                sub = seq[in_day]
                key = np.cumsum(_changes(self.person[sub], self.day[sub]))
                mixed = False
                if kind == 1:
                    who = self._professionals(sub)
                    mixed = bool(((key[1:] == key[:-1]) & (who[1:] != who[:-1])).any())
                    key = key * (int(who.max()) + 1) + who
                cap = terms.daily_cap[self.groups[sub]]
                owed_day = owed[in_day]
                varies = self._varies("daily_cap", kind)
                if mixed:  # professionals interleaved within a day: gather each one's claims
                    by_day = stable_order(key, bits_for(key))
                    owed_day[by_day] = capped(owed_day[by_day], key[by_day], cap[by_day])
                    if varies:
                        fallback[sub[by_day]] |= cap_varies(key[by_day], cap[by_day])
                else:
                    owed_day = capped(owed_day, key, cap)
                    if varies:
                        fallback[sub] |= cap_varies(key, cap)
                owed[in_day] = owed_day
            yearly = terms.yearly_cap[groups]
            deduction[seq] = capped(owed, self.person_year[seq], yearly)
            if self._varies("yearly_cap", kind):
                fallback[seq] |= cap_varies(self.person_year[seq], yearly)
        self.deduction = deduction

    def _professionals(self, rows: Array) -> Array:
        """The professional of each of these rows (participation claims): the one given,
        else one per care type (``care:<type>``, as the claim-by-claim pricer keys it; the
        entry names the assumption)."""
        c = self.c
        who = self.view.take(c.codes["provider"])[rows].astype(np.int64)
        missing = who < 0
        if missing.any():
            care = self.view.take(c.care)[rows]
            keys = np.zeros(len(c.texts) + 1, dtype=np.int64)
            for code in np.flatnonzero(np.bincount(care[missing])).tolist():
                keys[code] = c.code("care:" + c.texts[code])
            who = np.where(missing, keys[care], who)
        return who  # type: ignore[no-any-return]

    def _varies(self, name: str, kind: int) -> bool:
        """Whether the combinations of a family have more than one value of a cap."""
        values = getattr(self.terms, name)[self.terms.family == kind]
        return bool(len(values)) and int(values.min()) != int(values.max())

    # ------------------------------------------------------------------ top-up

    def cover_share(self, live: Array, fallback: Array, billed_care: Array) -> Array:
        """What the cover pays: its level of the base (a contrat responsable never pays
        the out-of-pathway penalty), its yearly allowances, the flat charge it pays."""
        terms, gross = self.terms, self.gross
        covered = terms.top_up == 1  # by combination
        with_level = covered & (terms.level_q > 0)
        level = self.rounded(self.base, "level_p", "level_q", chosen=with_level)
        top = np.maximum(np.minimum(billed_care, level) - gross, 0)
        if not with_level.all():
            top = np.where(with_level[self.groups], top, 0)
        limited = with_level & (terms.rest_q > 0)
        if limited.any():  # outside the care pathway: at most the base times (1 - rate)
            positive = top > 0
            ceiling = self.rounded(self.base, "rest_p", "rest_q", chosen=limited,
                                   where=positive)
            rows = positive if limited.all() else positive & limited[self.groups]
            top = np.where(rows, np.minimum(top, ceiling), top)
        if self.any("allowance", lambda v: v >= 0):
            allowance = self.t("allowance")
            chosen = covered[self.groups] & (allowance >= 0) & live
            seq = self.order[chosen[self.order]]
            care = self.view.take(self.c.care)[seq].astype(np.int64)
            runs = np.cumsum(_changes(self.person_year[seq]))
            key = runs * (len(self.c.texts) + 1) + care
            by_care = stable_order(key, bits_for(key))
            owed = np.maximum(billed_care - gross - top, 0)[seq][by_care]
            extra = np.zeros(self.size, dtype=np.int64)
            cap = allowance[seq][by_care]
            extra[seq[by_care]] = capped(owed, key[by_care], cap)
            fallback[seq[by_care]] |= cap_varies(key[by_care], cap)
            top = top + extra
        stays = self.stays
        if stays is not None and self.any("costly_unpaid", lambda v: v == 1):
            # a cover that does not pay a stay's costly-act flat charge (its co-payment)
            unpaid = (terms.costly_unpaid[self.groups[stays.rows]] == 1) & (
                stays.participation > 0)
            rows = stays.rows[unpaid]
            top[rows] = np.maximum(top[rows] - stays.participation[unpaid], 0)
        pays = covered & (terms.pays_flat == 1)
        if pays.any():
            paid = np.flatnonzero(self.on_top)
            paid = paid[pays[self.groups[paid]]]
            top[paid] += self.on_top[paid]
        capped_items = covered & (terms.optics_cap >= 0)
        if capped_items.any():  # what a contrat responsable pays for an optics item, at most
            rows = np.flatnonzero(capped_items[self.groups])
            groups = self.groups[rows]
            room = terms.optics_cap[groups]
            # from 2020 the cap holds the Assurance Maladie's share too (R871-2)
            counts_amo = terms.optics_amo[groups] == 1
            if counts_amo.any():
                amo = gross[rows] - self.deduction[rows]
                room = np.where(counts_amo, np.maximum(room - amo, 0), room)
            top[rows] = np.minimum(top[rows], room)
        return top


def _changes(*keys: Array) -> Array:
    """Where any of the keys changes from the row before (the first row counts)."""
    change = np.zeros(len(keys[0]), dtype=bool)
    if len(change):
        change[0] = True
        for key in keys:
            change[1:] |= key[1:] != key[:-1]
    return change
