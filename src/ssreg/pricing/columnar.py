"""The columnar pricer: whole columns of claims, the same tables, the same cents.

The claim-by-claim pricer (:mod:`ssreg.pricing.pricer`) already prices a claim from
an *entry* looked up once per distinct combination of facts.  Here the combinations of
a whole batch are found at once (:func:`ssreg.pricing.caps.combine`), each entry is
asked of that same pricer (:mod:`ssreg.pricing.terms`), and the arithmetic runs on
columns of integer cents: the base, the Assurance Maladie amount rounded exactly in
integers, the fixed charges under their daily and yearly caps and the cover's yearly
allowances as cumulative sums per person in date order (:mod:`ssreg.pricing.caps`),
the flat charges, the top-up.  The result equals the claim-by-claim result on every
row (property-tested), in input order, refused rows included.

Hospital stays are priced here too (:mod:`ssreg.pricing.stay_columns`: the daily charges
over dated periods, the co-payment, the costly-act flat charge, the set-off), their flat
charges in the same running totals.  What it does not cover falls back to the
claim-by-claim pricer for the claims of the persons and years concerned (a plan it does
not know, a cap that changes within a year, a fraction too long for 64 bits, a refused
psychologist session, a claim with pregnancy dates), and the count is kept in
:attr:`PricedColumns.fallback`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from ..exceptions import InvalidClaimError, SsregError
from .batch import _error, as_claim
from .caps import Array, bits_for, combine, dense, running_totals, stable_order
from .columns import ClaimColumns, january_first, suspects, years, years_between
from .priced_columns import PricedColumns
from .pricer import (
    AFTER_HORIZON,
    ENTRY_FACTS,
    PersonState,
    Pricer,
    out_of_order,
    threshold_problem,
)
from .shares import Shares
from .terms import Terms, entry_terms


__all__ = ["PricedColumns", "check_columns", "check_rows", "in_date_order", "price_columns"]


def check_rows(pricer: Pricer, columns: ClaimColumns, rows: Array) -> None:
    """Pass ``rows`` through the claim-by-claim door: each is refused with its problems,
    or written back as the checked claim."""
    for row in rows.tolist():
        item = columns.item(row)
        try:
            columns.set_claim(row, as_claim(item, columns.position(row), pricer))
        except SsregError as exc:
            columns.refuse(row, _error(columns.position(row), item, exc), exc)


def check_columns(pricer: Pricer, columns: ClaimColumns) -> None:
    """Check the valid rows against the rulebook (codes, medicine class, ages)."""
    check_rows(pricer, columns, np.flatnonzero(suspects(columns, pricer.book)))


def in_date_order(columns: ClaimColumns) -> bool:
    """Whether each person's valid claims come in date order (then the claim-by-claim
    batch prices them as they come)."""
    rows = np.flatnonzero(columns.valid)
    day = columns.date[rows].astype(np.int64)
    if not len(rows) or bool(np.all(day[1:] >= day[:-1])):
        return True
    person = columns.person[rows].astype(np.int64)
    order = stable_order(person, bits_for(person))
    p, d = person[order], day[order]
    return bool(np.all((p[1:] != p[:-1]) | (d[1:] >= d[:-1])))


def price_columns(pricer: Pricer, columns: ClaimColumns, *,
                  presorted: bool = False) -> PricedColumns:
    """Price every valid row of ``columns`` (see the module's documentation)."""
    out = PricedColumns(columns)
    out.version = pricer.version
    rows = np.flatnonzero(columns.valid)
    if presorted and len(rows):
        rows = _refuse_out_of_order(columns, rows, out)
    if not len(rows):
        return out
    c = columns
    view = Rows(rows, c.size)
    person = view.take(c.person).astype(np.int64)
    day = view.take(c.date).astype(np.int64)
    first_day, last_day = int(day.min()), int(day.max())
    year_of = years(np.arange(first_day, last_day + 1))
    year = year_of[day - first_day]
    if bool((day[1:] >= day[:-1]).all()):  # in date order: by person, the rest kept
        order = stable_order(person, bits_for(person))
    else:
        day_bits = bits_for(np.array([last_day - first_day]))
        order = stable_order((person << day_bits) | (day - first_day),
                             bits_for(person) + day_bits)
    low_year = int(year_of[0])
    person_year = person * (int(year_of[-1]) - low_year + 1) + (year - low_year)

    # the psychologist sessions of a person's year are numbered in date order
    is_psy = view.take(c.care) == c.numbers.get("psychologist_session", -2)
    number = np.zeros(len(rows), dtype=np.int64)
    if is_psy.any():
        seq = order[is_psy[order]]
        number[seq] = running_totals(np.ones(len(seq), dtype=np.int64), person_year[seq])

    covers, cover_of = _covers(pricer, c, person)
    groups, terms = _terms(pricer, c, view, day, covers, cover_of, number)
    # priced claim by claim: pregnancy dates (the window is a fact of each claim's date:
    # its person's year goes claim by claim)
    dated = (view.take(c.values["pregnancy_start"]) > 0) | (
        view.take(c.values["delivery_date"]) > 0)
    is_stay = view.take(c.care) == c.numbers.get("hospital_stay", -2)

    def who(row: int) -> Any:  # what a refused claim's error names (as the batch does)
        return c.item(row) if presorted else c.claim(row)

    refused = np.zeros(len(rows), dtype=bool)
    own: dict[tuple[int, int], SsregError] = {}  # a refusal names its claim's own date
    for group, error in terms.errors.items():
        for i in np.flatnonzero(groups == group).tolist():
            refused[i] = True
            row = int(rows[i])
            key = (group, int(day[i]))
            if key not in own:
                own[key] = _own_error(pricer, c.claim(row), covers[int(cover_of[i])],
                                      int(number[i]), error)
            out.refuse(row, _error(c.position(row), who(row), own[key]), own[key])
    fallback = terms.unsupported[groups] | (refused & is_psy) | dated
    shares = Shares(c, view, terms, groups, order, person, day, person_year,
                    pricer.defaults)
    for i, probe, threshold in shares.too_small(refused):
        row = int(rows[i])
        exc = InvalidClaimError([threshold_problem(c.position(row), c.cents(probe),
                                                   c.cents(threshold))])
        out.refuse(row, _error(c.position(row), who(row), exc), exc)
        refused[i] = True
        fallback[i] |= bool(is_psy[i])
    if is_stay.any():  # hospital stays (ssreg.pricing.stay_columns)
        for i, exc in shares.price_stays(pricer, np.flatnonzero(is_stay & ~refused
                                                                & ~fallback)):
            row = int(rows[i])
            out.refuse(row, _error(c.position(row), who(row), exc), exc)
            refused[i] = True
    live = ~refused
    shares.compute(live, fallback)

    # the claims priced here; the others again, claim by claim: alone when they touch no
    # running total, else with every claim of their person's year
    alone = fallback & terms.alone[groups] & ~is_psy & ~dated
    again = _spread(fallback & ~alone, person_year) | alone
    done = live & ~again
    index: Array | None = None
    if view.full:  # every row: the arrays are the results (zero where not done)
        out.ok |= done
        for name, values in shares.amounts().items():
            out.amounts[name] = values if done.all() else np.where(done, values, 0)
        target = rows
    else:
        index = np.flatnonzero(done)
        target = rows[index]
        out.ok[target] = True
        for name, values in shares.amounts().items():
            out.amounts[name][target] = values[index]
    _plans_and_notes(out, terms, groups, index, target, day > pricer.horizon.toordinal(),
                     done if index is None else None)
    if shares.stays is not None:
        _stay_parameters(out, terms, groups, rows, done, shares.stays)
    if again.any():
        _by_claim(pricer, out, rows, order, again, np.where(alone, -1 - np.arange(
            len(rows)), person_year), who)
    return out


def _own_error(pricer: Pricer, claim: Any, cover: Any, number: int,
               error: SsregError) -> SsregError:
    """Why ``claim`` is refused, in its own words: its combination's entry was refused
    for the group's first claim, whose date the message may name."""
    state = PersonState()
    state.psychologist = number - 1
    try:
        pricer.entry(claim, cover, state, pricer.segment(claim.date))
    except SsregError as exc:
        return exc
    return error


class Rows:
    """The rows being priced: all of them (then arrays are used as they are) or some."""

    def __init__(self, rows: Array, size: int) -> None:
        self.rows = rows
        self.full = len(rows) == size

    def take(self, array: Array) -> Array:
        return array if self.full else array[self.rows]


def _covers(pricer: Pricer, c: ClaimColumns, person: Array) -> tuple[list[Any], Array]:
    """The covers (one for everybody, or one per person) and each row's."""
    if pricer._covers is None:
        return [pricer.cover], np.zeros(len(person), dtype=np.int64)
    covers: list[Any] = []
    numbers: dict[int, int] = {}
    by_code = np.zeros(len(c.texts) + 1, dtype=np.int64)
    for code in np.flatnonzero(np.bincount(person)).tolist():
        cover = pricer._covers.get(c.texts[code])
        known = numbers.get(id(cover))
        if known is None:
            known = numbers[id(cover)] = len(covers)
            covers.append(cover)
        by_code[code] = known
    return covers, by_code[person]


def _terms(pricer: Pricer, c: ClaimColumns, view: Rows, day: Array, covers: list[Any],
           cover_of: Array, number: Array) -> tuple[Array, Terms]:
    """Each row's combination of facts, and the terms of every combination."""
    born = view.take(c.values["birth_date"])
    given = born > 0
    age = view.take(c.values["age"])
    age_jan1 = np.zeros(1, dtype=np.int64)
    if given.any():  # ages on the date of care and on 1 January, from the birth date
        safe_born = np.where(given, born, day)
        age = np.where(given, years_between(safe_born, day), age)
        age_jan1 = np.where(given, years_between(safe_born, january_first(day)) + 1, 0)
    unknown = False
    boundaries = np.array([d.toordinal() for d in pricer._boundaries], dtype=np.int64)
    first = int(day.min())
    segment_of = np.searchsorted(boundaries, np.arange(first, int(day.max()) + 1),
                                 side="right")
    dated = (view.take(c.values["pregnancy_start"]) > 0) | (
        view.take(c.values["delivery_date"]) > 0)  # priced claim by claim: kept apart
    parts = [_small(segment_of[day - first]), _small(cover_of), _small(age),
             _small(age_jan1), _small(number), _small(dated)]
    # which of the fields the arithmetic reads are left out (their defaults are assumed)
    parts.extend(_small(view.take(c.values[name]) >= 0)
                 for name in ("base", "boxes", "hospital_days"))
    parts.append(_small(view.take(c.codes["provider"]) >= 0))
    for name in ENTRY_FACTS:  # the facts a claim's entry depends on, as the pricer says
        if name in c.answers:
            parts.append(_small(view.take(c.answers[name])))
        elif name in c.codes:
            parts.append(_small(view.take(c.codes[name])))
        elif name not in ("age", "birth_date"):  # those are in the ages above
            unknown = True  # a fact the columns do not hold: every claim by claim
    groups, count = combine(parts, len(day))
    representatives = np.zeros(count, dtype=np.int64)
    representatives[groups] = np.arange(len(day))
    top = int(view.take(c.billed).max())
    terms = entry_terms(pricer, c, view.rows, representatives, covers, cover_of, number, top)
    if unknown:
        terms.unsupported[:] = True
    return groups, terms


def _small(values: Array) -> tuple[Array, int, int]:
    """A column of small integers for :func:`combine`: the values, the lowest and how
    many there can be (constant columns cost nothing)."""
    if len(values) == 1:  # a constant given as one value
        return values, 0, 1
    low, high = int(values.min()), int(values.max())
    if low == high:
        return values, low, 1
    if high - low >= 64:  # e.g. codes into a long table of texts: number them 0, 1, 2...
        numbers, count = dense(values.astype(np.int64) - low, high - low)
        return numbers, 0, count
    return values, low, high - low + 1


def _spread(flag: Array, person_year: Array) -> Array:
    """Rows of the persons' years where ``flag`` is set on some row."""
    if not flag.any():
        return flag
    marked = np.zeros(int(person_year.max()) + 1, dtype=bool)
    marked[person_year[flag]] = True
    return marked[person_year]


def _plans_and_notes(out: PricedColumns, terms: Terms, groups: Array, index: Array | None,
                     target: Array, late: Array, done: Array | None) -> None:
    """Each priced row's plan and notes (assumptions, warnings), by combination."""
    plan_of = np.full(terms.count, -1, dtype=np.int64)
    notes = np.full((terms.count, 2), -1, dtype=np.int64)
    for group, entry in enumerate(terms.entries):
        if entry is None:
            continue
        plan = entry.plan
        plan_of[group] = out.plan_number(plan.rate, plan.deduction, plan.flat, plan.rules,
                                         plan.reads)
        for extra in range(2):
            notes[group, extra] = out.note_number(entry.assumptions,
                                                  AFTER_HORIZON if extra else ())
    if index is not None:
        groups, late = groups[index], late[index]
    plans: Array = plan_of[groups]
    notes_of: Array = notes[groups, late.astype(np.int64)]
    if done is not None and not done.all():  # every row, some not priced here
        plans, notes_of = np.where(done, plans, -1), np.where(done, notes_of, -1)
    out.plan[target] = plans
    out.note[target] = notes_of


def _stay_parameters(out: PricedColumns, terms: Terms, groups: Array, rows: Array,
                     done: Array, stays: Any) -> None:
    """The plan of each stay priced here that read later values of its daily charge
    (its plan's parameters and those values)."""
    crossing = np.flatnonzero(stays.reads >= 0)
    for i in crossing[done[stays.rows[crossing]]].tolist():
        index = int(stays.rows[i])
        plan = terms.entries[int(groups[index])].plan  # type: ignore[union-attr]
        out.plan[rows[index]] = out.plan_number(plan.rate, plan.deduction, plan.flat,
                                                plan.rules, stays.parameters[stays.reads[i]])


def _by_claim(pricer: Pricer, out: PricedColumns, rows: Array, order: Array, chosen: Array,
              person_year: Array, who: Any) -> None:
    """Price the chosen rows claim by claim, a fresh state per person and year (every
    total of a person's state starts again with the year), or per row (a row alone has a
    group of its own: a negative number)."""
    seq = order[chosen[order]]
    state = PersonState()
    last = None
    claims = out.columns.claims(rows[seq].tolist())
    for index, claim in zip(seq.tolist(), claims, strict=True):
        if person_year[index] != last:
            last, state = person_year[index], PersonState()
        row = int(rows[index])
        try:
            out.store(row, pricer.price(out.columns.position(row), claim, state))
        except SsregError as exc:
            out.refuse(row, _error(out.columns.position(row), who(row), exc), exc)
        out.fallback += 1


def _refuse_out_of_order(columns: ClaimColumns, rows: Array, out: PricedColumns) -> Array:
    """``presorted=True``: refuse a claim dated before an earlier claim of its person."""
    person = columns.person[rows].astype(np.int64)
    day = columns.date[rows].astype(np.int64)
    order = stable_order(person, bits_for(person))
    span = int(day.max()) + 1
    latest = np.maximum.accumulate(person[order] * span + day[order]) - person[order] * span
    before = np.empty(len(rows), dtype=np.int64)
    before[order] = np.concatenate(([-1], latest[:-1]))
    first = np.ones(len(rows), dtype=bool)
    first[order[1:]] = person[order][1:] != person[order][:-1]
    late = ~first & (day < before)
    for index in np.flatnonzero(late).tolist():
        row = int(rows[index])
        item = columns.item(row)
        exc = InvalidClaimError([out_of_order(columns.position(row),
                                              date.fromordinal(int(day[index])),
                                              columns.texts[int(person[index])],
                                              date.fromordinal(int(before[index])))])
        out.refuse(row, _error(columns.position(row), item, exc), exc)
        columns.valid[row] = False
    return rows[~late]
