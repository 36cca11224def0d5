"""Checked claims as columns: one numpy array per :class:`~ssreg.Claim` field.

The columnar pricer (:mod:`ssreg.pricing.columnar`) reads claims this way.  Texts (care
type, person, sector, specialty, medicine class, provider) are numbers into one table of
texts (``-1``: not given); dates are day ordinals (``0``: none); amounts are integer cents
and whole numbers as they are (``-1``: not given); yes/no answers are ``1`` / ``0`` /
``-1`` (not given).  A field not given stays so: the pricer takes the rulebook's default
and names the assumption, as it does claim by claim.  A row is either a checked claim
(``valid``) or refused, with its :class:`~ssreg.ClaimError` in ``refused``.

Columns come from ``ssreg.Claim`` objects (:meth:`ClaimColumns.from_claims`) or from a
DataFrame (:mod:`ssreg.notebook.reading`); either way, a row that is not plainly valid
is passed through :func:`ssreg.pricing.batch.as_claim`, the claim-by-claim door, so a
refused row has exactly the problems it has there.  numpy is imported with this module,
which ``import ssreg`` never does.

>>> import ssreg
>>> from ssreg.pricing.columns import ClaimColumns
>>> columns = ClaimColumns.from_claims([ssreg.Claim(care="dental", date="2025-03-10",
...                                                 billed="60", age=20)])
>>> columns.billed.tolist(), columns.text(int(columns.care[0])), columns.claim(0).billed
([6000], 'dental', Decimal('60.00'))
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from ..rulebook.inputs import CLAIM_CODES, MAX_AGE
from ..rulebook.rulebook import Rulebook
from .packed import CACHE, TRI, PackedClaim, cents, decimal_cents
from .results import ClaimError


#: the text fields kept as numbers into the table of texts
CODED = ("care", "person", "sector", "specialty", "medicine_class", "provider",
         "optics_item")
#: the date fields, kept as day ordinals (0: none)
DATES = ("date", "birth_date", "pregnancy_start", "delivery_date")
#: the fields read as numbers: ``(name, numpy type, value when not given)``
NUMBERS = (*((name, np.int32, 0) for name in DATES), ("billed", np.int64, 0),
           ("base", np.int64, -1), ("age", np.int16, -1), ("boxes", np.int32, -1),
           ("hospital_days", np.int32, -1))
#: the whole-number fields a claim may leave out (``-1``: not given)
COUNTS = ("boxes", "hospital_days")
#: every field of a claim, by how the columns keep it (a test checks it is every field
#: of :class:`~ssreg.Claim`)
FIELDS = (*CODED, "id", *(name for name, _, _ in NUMBERS), *TRI)
_ORDINAL_1970 = date(1970, 1, 1).toordinal()
Day = date  # ClaimColumns has a ``date`` column
Array = np.ndarray[Any, Any]


class ClaimColumns:
    """Claims as columns (see the module's documentation)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.texts: list[str] = []
        self.numbers: dict[str, int] = {}
        self.valid = np.ones(size, dtype=bool)
        self.refused: dict[int, ClaimError] = {}
        #: the exception that refused a row (to raise it again with ``errors="raise"``)
        self.exceptions: dict[int, Exception] = {}
        self.codes: dict[str, Array] = {name: np.full(size, -1, dtype=np.int32)
                                        for name in CODED}
        self.values: dict[str, Array] = {name: np.full(size, empty, dtype=kind)
                                         for name, kind, empty in NUMBERS}
        self.answers: dict[str, Array] = {name: np.full(size, -1, dtype=np.int8)
                                          for name in TRI}
        self._ids: Array | None = None
        #: the ids as an Arrow string array, kept as read when no id needed stripping
        #: (the Python strings are made only if someone reads ``ids``)
        self.ids_arrow: Any = None
        self._id_changes: dict[int, Any] = {}
        self.ids_given = False  # some row may have an id
        #: the item as the caller gave it (a dict, a Claim), for errors that name it
        self.source: Callable[[int], Any] | None = None
        #: each row's place in the caller's batch (None: the row number itself)
        self.positions: Array | None = None
        self._dates: dict[int, Day] = {}
        self._amounts: dict[int, Decimal] = {}

    # -------------------------------------------------------------- names for the arrays

    @property
    def ids(self) -> Array:
        """The claims' ids (an object array, made from the Arrow ids when first read)."""
        if self._ids is None:
            if self.ids_arrow is None:
                self._ids = np.full(self.size, None, dtype=object)
            else:
                self._ids = self.ids_arrow.to_numpy(zero_copy_only=False).astype(object)
                for row, ident in self._id_changes.items():
                    self._ids[row] = ident
            self._id_changes = {}
        return self._ids

    def ids_as_read(self) -> Any:
        """The Arrow ids when every row's id is still the cell as read (else None)."""
        return self.ids_arrow if self._ids is None and not self._id_changes else None

    @property
    def care(self) -> Array:
        return self.codes["care"]

    @property
    def person(self) -> Array:
        return self.codes["person"]

    @property
    def date(self) -> Array:
        return self.values["date"]

    @property
    def billed(self) -> Array:
        return self.values["billed"]

    # -------------------------------------------------------------- texts, rows

    def code(self, text: str) -> int:
        """The number of a text in the table (added when new)."""
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = len(self.texts)
            self.texts.append(text)
        return found

    def text(self, code: int) -> str | None:
        return None if code < 0 else self.texts[code]

    def day(self, ordinal: int) -> Day | None:
        return None if ordinal <= 0 else self.on(ordinal)

    def on(self, ordinal: int) -> Day:
        """A day ordinal (given: positive) as a date (cached: dates repeat)."""
        found = self._dates.get(ordinal)
        if found is None:
            if len(self._dates) > CACHE:
                self._dates.clear()
            found = self._dates[ordinal] = Day.fromordinal(ordinal)
        return found

    def amount(self, value: int) -> Decimal | None:
        return None if value < 0 else decimal_cents(value, self._amounts)

    def cents(self, value: int) -> Decimal:
        """An amount kept as cents (given: never negative) as a Decimal."""
        return decimal_cents(value, self._amounts)

    def claim(self, row: int) -> Any:
        """Row ``row`` as a claim the pricer reads (a :class:`PackedClaim`)."""
        fields: dict[str, Any] = {}
        for name, codes in self.codes.items():
            fields[name] = self.text(int(codes[row]))
        for name in DATES:
            fields[name] = self.day(int(self.values[name][row]))
        fields["billed"] = self.cents(int(self.values["billed"][row]))
        fields["base"] = self.amount(int(self.values["base"][row]))
        age = int(self.values["age"][row])
        fields["age"] = None if age < 0 else age
        for name in COUNTS:
            count = int(self.values[name][row])
            fields[name] = None if count < 0 else count
        for name, answers in self.answers.items():
            answer = int(answers[row])
            fields[name] = None if answer < 0 else bool(answer)
        fields["id"] = self.ids[row]
        return PackedClaim(**fields)

    def claims(self, rows: list[int]) -> list[Any]:
        """The claims at ``rows`` (as :meth:`claim` gives each), read a field at a time."""
        if not rows:
            return []
        texts = [*self.texts, None]  # code -1: None
        fields: dict[str, list[Any]] = {}
        for name, codes in self.codes.items():
            fields[name] = [texts[c] for c in codes[rows].tolist()]
        for name in DATES:
            fields[name] = [self.day(d) for d in self.values[name][rows].tolist()]
        fields["billed"] = [self.cents(v) for v in self.values["billed"][rows].tolist()]
        fields["base"] = [self.amount(v) for v in self.values["base"][rows].tolist()]
        fields["age"] = [None if a < 0 else a for a in self.values["age"][rows].tolist()]
        for name in COUNTS:
            fields[name] = [None if n < 0 else n for n in self.values[name][rows].tolist()]
        for name, answers in self.answers.items():
            fields[name] = [None if a < 0 else bool(a) for a in answers[rows].tolist()]
        fields["id"] = self.ids_at(rows)
        return list(map(PackedClaim._make, zip(*(fields[name] for name in PackedClaim._fields),
                                               strict=True)))

    def ids_at(self, rows: list[int]) -> list[Any]:
        """The ids of some rows (from the Arrow ids as read, without making them all)."""
        if self._ids is None and self.ids_arrow is not None:
            import pyarrow as pa  # type: ignore[import-untyped]

            found: list[Any] = self.ids_arrow.take(pa.array(rows, type=pa.int64())).to_pylist()
            changes = self._id_changes
            if changes:
                found = [changes.get(row, ident) for row, ident in zip(rows, found, strict=True)]
            return found
        return self.ids[rows].tolist()  # type: ignore[no-any-return]

    def position(self, row: int) -> int:
        """Row ``row``'s place in the caller's batch (what results and errors name)."""
        return row if self.positions is None else int(self.positions[row])

    def item(self, row: int) -> Any:
        """Row ``row`` as the caller gave it (a claim rebuilt from the row by default)."""
        return self.claim(row) if self.source is None else self.source(row)

    def set_claim(self, row: int, claim: Any) -> None:
        """Write a checked claim (a ``Claim`` or a packed one) into row ``row``."""
        for name, codes in self.codes.items():
            text = getattr(claim, name)
            codes[row] = -1 if text is None else self.code(text)
        ident = claim.id
        if self._ids is None and self.ids_arrow is not None:
            if ident != self.ids_arrow[row].as_py():
                self._id_changes[row] = ident
        else:
            self.ids[row] = ident
        self.ids_given = self.ids_given or ident is not None
        values = self.values
        for name in DATES:
            day = getattr(claim, name)
            values[name][row] = 0 if day is None else day.toordinal()
        values["billed"][row] = cents(claim.billed)
        values["base"][row] = -1 if claim.base is None else cents(claim.base)
        values["age"][row] = -1 if claim.age is None else claim.age
        for name in COUNTS:
            count = getattr(claim, name)
            values[name][row] = -1 if count is None else count
        for name, answers in self.answers.items():
            answer = getattr(claim, name)
            answers[row] = -1 if answer is None else int(answer)
        self.valid[row] = True

    def refuse(self, row: int, error: ClaimError, exc: Exception) -> None:
        self.valid[row] = False
        self.refused[row] = error
        self.exceptions[row] = exc

    @classmethod
    def from_claims(cls, claims: Sequence[Any]) -> ClaimColumns:
        """Columns of ``Claim`` objects (or packed claims), not yet checked against a
        rulebook (see :func:`suspects`).

        The claims are read a few hundred at a time, every field of a claim at once (a
        claim's fields lie together in memory; reading one field of every claim, then
        the next, fetched each claim from memory thirty times: three times slower on a
        million claims picked at random, as a worker's share is), and written into the
        columns a chunk at a time (each field through a table of its distinct values).
        """
        columns = cls(len(claims))
        columns.source = claims.__getitem__
        tables = _Tables(columns)
        for start in range(0, len(claims), _CHUNK):
            chunk = claims[start:start + _CHUNK]
            fields: list[list[Any]] = [[] for _ in FIELDS]
            for block in range(0, len(chunk), _BLOCK):
                for values, read in zip(fields, zip(*map(_ALL_FIELDS, chunk[
                        block:block + _BLOCK]), strict=True), strict=True):
                    values.extend(read)
            tables.write(slice(start, start + len(chunk)), dict(zip(FIELDS, fields,
                                                                    strict=True)))
        return columns


_ALL_FIELDS = operator.attrgetter(*FIELDS)
_BLOCK = 256  # claims read together (their fields transposed while in the cache)
_CHUNK = 8192  # claims read before their fields are written into the columns


class _Tables:
    """The number of each distinct value of each field, kept across the chunks."""

    def __init__(self, columns: ClaimColumns) -> None:
        self.columns = columns
        self.tables: dict[str, dict[Any, int]] = {name: {None: -1} for name in FIELDS}
        for name in DATES:
            self.tables[name][None] = 0

    def write(self, rows: slice, fields: dict[str, list[Any]]) -> None:
        columns = self.columns
        for name, values in fields.items():
            distinct = set(values)
            if name == "id":  # kept as given
                if distinct != {None}:
                    columns.ids_given = True
                    columns.ids[rows] = values
                continue
            numbers = self.tables[name]
            for value in distinct.difference(numbers):
                numbers[value] = self.number(name, value)
            target = (columns.codes[name] if name in CODED else
                      columns.values[name] if name in columns.values else
                      columns.answers[name])
            if len(distinct) == 1:  # a column of one value (a field nobody gave)
                target[rows] = numbers[next(iter(distinct))]
            else:  # one pass in C
                target[rows] = np.fromiter(map(numbers.__getitem__, values),
                                           dtype=np.int64, count=len(values))

    def number(self, name: str, value: Any) -> int:
        if name in CODED:
            return self.columns.code(value)
        if name in DATES:
            return int(value.toordinal())
        if name in ("billed", "base"):
            return cents(value)
        return int(value)  # whole numbers, answers


# ----------------------------------------------------------------------- dates and ages

def years_between(born: Array, on: Array) -> Array:
    """Completed years from ``born`` to ``on`` (day ordinals), as
    :func:`ssreg.rulebook.facts.age_on` counts them (a 29 February birthday counts on
    28 February in other years).

    >>> from datetime import date
    >>> d = lambda *a: date(*a).toordinal()
    >>> years_between(np.array([d(2004, 2, 29), d(2004, 2, 29)]),
    ...               np.array([d(2023, 2, 28), d(2023, 2, 27)])).tolist()
    [19, 18]
    """
    b = (born.astype(np.int64) - _ORDINAL_1970).astype("datetime64[D]")
    o = (on.astype(np.int64) - _ORDINAL_1970).astype("datetime64[D]")
    b_month = b.astype("datetime64[M]")
    o_month = o.astype("datetime64[M]")
    months = (o_month - b_month).astype(np.int64)
    b_day = (b - b_month).astype(np.int64) + 1
    o_day = (o - o_month).astype(np.int64) + 1
    month_length = ((o_month + np.timedelta64(1, "M")).astype("datetime64[D]")
                    - o_month.astype("datetime64[D]")).astype(np.int64)
    months -= np.minimum(b_day, month_length) > o_day
    return months // 12  # type: ignore[no-any-return]


def january_first(on: Array) -> Array:
    """The ordinal of 1 January of each date's year."""
    days = (on.astype(np.int64) - _ORDINAL_1970).astype("datetime64[D]")
    first = days.astype("datetime64[Y]").astype("datetime64[D]")
    return first.astype(np.int64) + _ORDINAL_1970


def years(on: Array) -> Array:
    """The calendar year of each date ordinal."""
    days = (on.astype(np.int64) - _ORDINAL_1970).astype("datetime64[D]")
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


# ----------------------------------------------------------------------- rulebook checks

def suspects(columns: ClaimColumns, book: Rulebook) -> Array:
    """Valid rows that :func:`ssreg.rulebook.inputs.claim_problems` (or the missing age)
    would refuse: their codes, a medicine without its class, the birth date against the
    date of care and the age.  They go through the claim-by-claim door for their
    problems."""
    found = np.zeros(columns.size, dtype=bool)
    for attribute, fact in CLAIM_CODES:
        allowed = frozenset(book.values_of(fact))
        if not allowed:
            continue
        codes = columns.codes[attribute]
        present = np.flatnonzero(np.bincount(codes + 1)[1:])
        bad = [c for c in present.tolist() if columns.texts[c] not in allowed]
        if bad:
            refused = np.zeros(len(columns.texts) + 1, dtype=bool)
            refused[bad] = True
            found |= refused[codes]  # code -1 reads the last entry: False
    medicine = columns.numbers.get("medicine")
    if medicine is not None:
        found |= (columns.care == medicine) & (columns.codes["medicine_class"] < 0)
    start, delivery = columns.values["pregnancy_start"], columns.values["delivery_date"]
    found |= (start > 0) & (delivery > 0) & (delivery <= start)  # Claim._cross_check
    born, on, age = columns.values["birth_date"], columns.date, columns.values["age"]
    given = born > 0
    found |= ~given & (age < 0)
    if given.any():
        years_old = years_between(np.where(given, born, on), on)
        found |= given & ((born > on) | (years_old > MAX_AGE)
                          | ((age >= 0) & (age != years_old)))
    return found & columns.valid
