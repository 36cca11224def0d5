"""Priced claims as columns: integer cents, plan and note numbers, refused rows, and the
results rebuilt from them (as the claim-by-claim pricer gives them) when asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import Any

import numpy as np

from .columns import Array, ClaimColumns
from .packed import decimal_cents
from .results import ClaimError, ClaimResult


_NEW = tuple.__new__
_NO_PLAN = (None, None, None, None, None)  # a refused row (its error is given instead)
BLOCK = 4096  # rows read from the columns at a time when results are made one by one


class PricedColumns:
    """Priced claims as columns: integer cents, plan and note numbers, refused rows."""

    def __init__(self, columns: ClaimColumns) -> None:
        size = columns.size
        self.columns = columns
        self.ok = np.zeros(size, dtype=bool)
        self.amounts = {name: np.zeros(size, dtype=np.int64) for name in (
            "base", "amo_gross", "deduction", "flat_charge", "top_up")}
        self.plan = np.full(size, -1, dtype=np.int32)
        self.plans: list[tuple[Any, ...]] = []  # (rate, deduction kind, flat kind, rules, reads)
        self.note = np.full(size, -1, dtype=np.int32)
        self.notes: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        self.errors: dict[int, ClaimError] = dict(columns.refused)
        self.exceptions: dict[int, Exception] = dict(columns.exceptions)
        self.fallback = 0  # claims priced claim by claim
        self.version: Any = None  # the rulebook version that priced them
        self._numbers: dict[Any, int] = {}

    def plan_number(self, rate: Any, deduction: str, flat: str, rules: tuple[str, ...],
                    reads: tuple[Any, ...]) -> int:
        key = ("plan", rate, deduction, flat, id(rules), id(reads))
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self.plans)
            self.plans.append((rate, deduction, flat, rules, reads))
        return found

    def note_number(self, assumptions: tuple[str, ...], warnings: tuple[str, ...]) -> int:
        key = ("note", assumptions, warnings)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self.notes)
            self.notes.append((assumptions, warnings))
        return found

    def store(self, row: int, result: ClaimResult) -> None:
        """A claim priced claim by claim, written into the columns."""
        self.errors.pop(row, None)
        self.exceptions.pop(row, None)
        self.ok[row] = True
        for name, array in self.amounts.items():
            array[row] = int(getattr(result, name) * 100)
        self.plan[row] = self.plan_number(result.rate, result.deduction_kind,
                                          result.flat_charge_kind, result.rules,
                                          result.parameters)
        self.note[row] = self.note_number(result.assumptions, result.warnings)

    def refuse(self, row: int, error: ClaimError, exc: Exception) -> None:
        self.ok[row] = False
        self.errors[row] = error
        self.exceptions[row] = exc

    def result(self, row: int) -> ClaimResult | ClaimError:
        """The result of row ``row`` as the claim-by-claim pricer gives it."""
        error = self.errors.get(row)
        if error is not None:
            return error
        c = self.columns
        a = self.amounts
        base, gross, deduction, flat, top_up = (c.amount(int(a[n][row])) for n in (
            "base", "amo_gross", "deduction", "flat_charge", "top_up"))
        rate, deduction_kind, flat_kind, rules, reads = self.plans[self.plan[row]]
        assumptions, warnings = self.notes[self.note[row]]
        billed = c.amount(int(c.billed[row]))
        amo = gross - deduction  # type: ignore[operator]
        return _NEW(ClaimResult, (
            c.position(row), c.ids[row], c.text(int(c.person[row])), c.day(int(c.date[row])),
            c.text(int(c.care[row])), billed, base, rate, gross, deduction_kind, deduction,
            amo, flat_kind, flat, top_up, billed - amo - top_up, rules, reads,  # type: ignore[operator]
            assumptions, warnings, self.version))

    def __iter__(self) -> Iterator[ClaimResult | ClaimError]:
        return self.results()

    def results(self, start: int = 0, stop: int | None = None) -> Iterator[
            ClaimResult | ClaimError]:
        """The results of rows ``start`` to ``stop``, in order (as :meth:`result` gives
        them, built a block of rows at a time: each column as a list, then the results
        zipped from the lists)."""
        c, a = self.columns, self.amounts
        stop = c.size if stop is None else stop
        texts, errors = [*c.texts, None], self.errors  # -1 (a refused row's) reads None
        euros: dict[int, Decimal] = {}
        days: dict[int, date | None] = {}

        plan_table = [*self.plans, _NO_PLAN]  # -1 (a refused row's) reads the last
        note_table = [*self.notes, ((), ())]

        def decimals(cents: list[int]) -> list[Decimal]:
            for value in set(cents).difference(euros):
                euros[value] = decimal_cents(value, c._amounts)
            return list(map(euros.__getitem__, cents))

        def read(table: Any, codes: Array) -> list[Any]:
            return list(map(table.__getitem__, codes.tolist()))

        for begin in range(start, stop, BLOCK):
            end = min(begin + BLOCK, stop)
            part = slice(begin, end)
            billed, base, gross, deduction, flat, top_up = (x[part] for x in (
                c.billed, a["base"], a["amo_gross"], a["deduction"], a["flat_charge"],
                a["top_up"]))
            amo = gross - deduction
            ordinals = c.date[part].tolist()
            for value in set(ordinals).difference(days):
                days[value] = c.day(value)
            plans = read(plan_table, self.plan[part])
            notes = read(note_table, self.note[part])
            rates, deduction_kinds, flat_kinds, rules, reads = (
                [p[i] for p in plans] for i in range(5))
            assumptions, warnings = ([n[0] for n in notes], [n[1] for n in notes])
            rows = zip(
                range(begin, end) if c.positions is None else c.positions[part].tolist(),
                c.ids[part].tolist(), read(texts, c.person[part]),
                list(map(days.__getitem__, ordinals)), read(texts, c.care[part]),
                decimals(billed.tolist()), decimals(base.tolist()), rates,
                decimals(gross.tolist()), deduction_kinds, decimals(deduction.tolist()),
                decimals(amo.tolist()), flat_kinds, decimals(flat.tolist()),
                decimals(top_up.tolist()), decimals((billed - amo - top_up).tolist()),
                rules, reads, assumptions, warnings, repeat(self.version, end - begin),
                strict=True)
            if not errors or not any(row in errors for row in range(begin, end)):
                yield from map(_NEW, repeat(ClaimResult), rows)
                continue
            for row, values in enumerate(rows, begin):
                error = errors.get(row)
                yield error if error is not None else _NEW(ClaimResult, values)

    def first_refused(self, in_date_order: bool) -> int | None:
        """The row whose error the claim-by-claim batch raises with ``errors="raise"``:
        a row refused while reading first (input order); then, when every person's claims
        came in date order, the first in input order; otherwise the first of the person
        read last (persons are priced last-read first), in date order."""
        read = [row for row in self.errors if row in self.columns.refused]
        if read:
            return min(read)
        if not self.errors:
            return None
        if in_date_order:
            return min(self.errors)
        c = self.columns
        first_seen: dict[int, int] = {}
        for row in np.flatnonzero(c.valid).tolist():
            first_seen.setdefault(int(c.person[row]), row)
        return min(self.errors, key=lambda row: (-first_seen[int(c.person[row])],
                                                 int(c.date[row]), row))
