"""Whole-column arithmetic for the columnar pricer: order, groups, caps and rounding.

Caps are applied per person in date-of-care order (ties: input order).  In that order a
cap over a group of claims (a person's year, a person's day with one professional...)
is a cumulative sum: with ``S`` the running total of what each claim would owe and
``C`` the group's cap, claim ``i`` owes ``min(S[i], C) - min(S[i-1], C)``.  That is the
claim-by-claim rule ``max(0, min(owed, C - used))`` exactly, as long as the cap is
the same for the whole group (the pricer checks it) and nothing owed is negative.  Two
nested caps (a day inside a year) are applied one after the other: once the outer cap
is reached, every later claim of the group owes nothing, whatever the inner one says.

Amounts are integer cents; a rate or a level is an exact fraction ``p / q``, and a
product is rounded to the cent in integers with the rulebook's rounding mode:

>>> import numpy as np
>>> round_product(np.array([1265, 1250, 1255]), 7, 10, "ROUND_HALF_UP").tolist()
[886, 875, 879]
>>> round_product(np.array([1265, 1250, 1255]), 7, 10, "ROUND_HALF_EVEN").tolist()
[886, 875, 878]
>>> capped(np.array([3, 3, 3, 5]), np.array([0, 0, 0, 1]), np.array([4, 4, 4, 4])).tolist()
[3, 1, 0, 4]
"""

from __future__ import annotations

from typing import Any

import numpy as np


Array = np.ndarray[Any, Any]
ROUNDING = ("ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_DOWN", "ROUND_UP")
#: products of cents and numerators stay below this (int64 holds 2**63; the rounding
#: doubles them)
SAFE = 1 << 61


def stable_order(key: Array, bits: int) -> Array:
    """A stable argsort of non-negative integer keys below ``2**bits``: a radix sort by
    16-bit digits, least significant first (numpy sorts 16-bit keys by radix)."""
    order: Array | None = None
    for shift in range(0, max(bits, 1), 16):
        digits = key if order is None else key[order]
        digit = ((digits >> shift) & 0xFFFF).astype(np.uint16)
        step = np.argsort(digit, kind="stable")
        order = step if order is None else order[step]
    assert order is not None
    return order


def bits_for(values: Array) -> int:
    """The bits needed for the largest of non-negative ``values``."""
    return int(values.max()).bit_length() if len(values) else 0


def dense(key: Array, top: int | None = None) -> tuple[Array, int]:
    """Numbers ``0..k-1`` for the distinct non-negative keys (in key order), and ``k``;
    ``top`` bounds the keys when known."""
    if not len(key):
        return key.astype(np.int64), 0
    if top is None:
        top = int(key.max())
    if top < 4 * len(key) + (1 << 16):  # a table as long as the keys' range
        seen = np.zeros(top + 1, dtype=bool)
        seen[key] = True
        numbers = np.cumsum(seen) - 1
        return numbers[key], int(numbers[-1]) + 1
    distinct, inverse = np.unique(key, return_inverse=True)
    return inverse.reshape(-1), len(distinct)


def combine(parts: list[tuple[Array, int, int]], size: int) -> tuple[Array, int]:
    """One dense group number per row for the combination of several small-integer
    columns (``(values, lowest, count)``: values from ``lowest`` to ``lowest + count -
    1``), built in place in one int64 key, without overflow."""
    limit = 4 * size + (1 << 16)
    key: Array | None = None
    card = 1
    for values, low, width in parts:
        if width <= 1:
            continue
        if key is None:
            key = values.astype(np.int64)
        else:
            if card * width > limit:
                key, card = dense(key, card - 1)
            key *= width
            key += values
        if low:
            key -= low
        card *= width
    if key is None:
        return np.zeros(size, dtype=np.int64), 1
    return dense(key, card - 1)


def starts_of(groups: Array) -> Array:
    """Where each run of equal group numbers starts (``groups`` in group order)."""
    change = np.empty(len(groups), dtype=bool)
    if len(groups):
        change[0] = True
        np.not_equal(groups[1:], groups[:-1], out=change[1:])
    return change


def running_totals(values: Array, groups: Array) -> Array:
    """Running totals of ``values`` within each run of equal ``groups`` (inclusive)."""
    total = np.cumsum(values)
    change = starts_of(groups)
    before = (total - values)[change]
    run = np.cumsum(change) - 1
    return total - before[run]  # type: ignore[no-any-return]


def capped(owed: Array, groups: Array, cap: Array) -> Array:
    """What each claim owes under its group's cap, in order (``groups`` in runs)."""
    total = running_totals(owed, groups)
    return np.minimum(total, cap) - np.minimum(total - owed, cap)  # type: ignore[no-any-return]


def cap_varies(groups: Array, cap: Array) -> Array:
    """For each row, whether its group's cap is not the same on every row of the run."""
    change = starts_of(groups)
    run = np.cumsum(change) - 1
    first = cap[change][run]
    differs = np.zeros(int(run[-1]) + 1 if len(run) else 0, dtype=bool)
    np.logical_or.at(differs, run, first != cap)
    return differs[run]  # type: ignore[no-any-return]


def round_product(amount: Array, numerator: Any, denominator: Any, mode: str) -> Array:
    """``amount * numerator / denominator`` (non-negative, exact) rounded to an integer
    with a decimal rounding mode of :data:`ROUNDING`."""
    product = amount * numerator
    if mode == "ROUND_HALF_UP":  # floor((2n + q) / 2q): halves go up
        return (2 * product + denominator) // (2 * denominator)  # type: ignore[no-any-return]
    if mode == "ROUND_DOWN":
        return product // denominator  # type: ignore[no-any-return]
    if mode == "ROUND_UP":
        return (product + denominator - 1) // denominator  # type: ignore[no-any-return]
    assert mode == "ROUND_HALF_EVEN", mode
    whole, rest = np.divmod(product, denominator)
    return whole + ((2 * rest > denominator)  # type: ignore[no-any-return]
                    | ((2 * rest == denominator) & (whole % 2 == 1)))
