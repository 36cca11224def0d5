"""Claims and results packed into fixed-size records, for batches read whole.

An unsorted batch must be read whole (caps follow each person's dates), but holding a
million claim objects and their results costs over a kilobyte each.  Here each checked
claim becomes a 68-byte record in one ``bytearray`` (texts are interned in small
tables) and each priced result a 46-byte record (:class:`Results`); the batch is priced
person by person (:func:`person_groups`, on one integer key per claim) and the results
are rebuilt, in input order, from the records.  ``ClaimResult`` objects exist one at a
time.
"""

from __future__ import annotations

import datetime
import operator
import struct
from array import array
from collections.abc import Container, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ..rulebook.sources import RulebookVersion
from .results import ClaimResult


class PackedClaim(NamedTuple):
    """A claim rebuilt from its record: the attributes pricing reads, nothing else."""

    care: str
    date: datetime.date
    billed: Decimal
    age: int | None
    birth_date: datetime.date | None
    person: str
    id: str | None
    base: Decimal | None
    provider: str | None
    sector: str | None
    specialty: str | None
    medicine_class: str | None
    boxes: int | None
    referent_doctor_declared: bool | None
    referent_doctor_seen: bool | None
    referred: bool | None
    emergency: bool | None
    away_from_home: bool | None
    ald: bool | None
    css: bool | None
    pregnancy_window: bool | None
    contraception: bool | None
    prescribed_by_sector_3: bool | None
    hospital_days: int | None
    psychiatry: bool | None
    costly_act_in_stay: bool | None
    emergency_contraception: bool | None
    pregnancy_start: datetime.date | None
    delivery_date: datetime.date | None
    optics_item: str | None


# every yes/no field may be left out (not given): each takes 2 bits
TRI = ("referent_doctor_declared", "referent_doctor_seen", "referred", "emergency",
       "away_from_home", "ald", "css", "pregnancy_window", "contraception",
       "prescribed_by_sector_3", "psychiatry", "costly_act_in_stay", "emergency_contraception")
NOT_GIVEN = 0xFFFF  # boxes, hospital days, sector or specialty left out
# date, birth (0: none), person, billed, base (-1: none), age (-1: none), boxes, days,
# care, sector, specialty, medicine (-1), provider (-1), id (-1), flags, pregnancy start
# and delivery date (0: none), optics item (-1)
CLAIM = struct.Struct("<iiIqqhHHHHHiiiIiii")
KEY = struct.Struct("<iiI")  # the first fields of a claim record: day, birth, person
# base, amo_gross, deduction, flat charge, top-up (cents), plan, notes; the AMO amount
# and the patient's share are derived (amo = amo_gross - deduction)
RESULT = struct.Struct("<qqqqqIH")


RECORD_FIELDS = operator.attrgetter(
    "date", "birth_date", "person", "billed", "base", "age", "boxes", "hospital_days", "care",
    "sector", "specialty", "medicine_class", "provider", "id", "pregnancy_start",
    "delivery_date", "optics_item", *TRI)


def encode_flags(answers: list[Any]) -> int:
    """The yes/no/not-given answers, 2 bits each, as one number."""
    flags = 0
    for i, value in enumerate(answers):
        flags |= (0 if value is None else 1 if value else 2) << (2 * i)
    return flags


AMOUNTS = operator.attrgetter("base", "amo_gross", "deduction", "flat_charge", "top_up")


class Interned:
    """A table of texts and their numbers (texts repeat: care types, persons...)."""

    __slots__ = ("numbers", "texts")

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}
        self.texts: list[Any] = []

    def number(self, text: Any, value: Any = None) -> int:
        """The number of ``text``; a new one keeps ``value`` (default: the text itself)."""
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = len(self.texts)
            self.texts.append(text if value is None else (text, value))
        return found


CACHE = 1 << 16  # dates and amounts converted to and from records: cached up to this many
_CENTS: dict[Decimal, int] = {}


def cents(amount: Decimal) -> int:
    """An amount kept to the cent as an integer number of cents (cached: amounts repeat)."""
    found = _CENTS.get(amount)
    if found is None:
        if len(_CENTS) > CACHE:
            _CENTS.clear()
        found = _CENTS[amount] = int(amount * 100)
    return found




class Packed:
    """A batch of checked claims as records; a record's position is its input index.

    A refused claim keeps an empty record (``skip`` it) so positions stay input indexes.
    """

    def __init__(self) -> None:
        self.claims = bytearray()
        self.strings = Interned()
        self.ids: list[str] = []
        self.count = 0
        self._flags: dict[int, tuple[bool | None, ...]] = {}
        self._flag_numbers: dict[tuple[bool | None, ...], int] = {}
        self._dates: dict[int, date] = {}
        self._amounts: dict[int, Decimal] = {}
        #: whether each person's claims came in date order (then no regrouping is needed)
        self.in_order = True
        self._last_day_of: dict[int, int] = {}
        self.first_day = date.max.toordinal()

    def add(self, claim: Any) -> None:
        (day, birth, person, billed, base, age, boxes, days, care, sector, specialty,
         medicine, provider, ident, pregnancy, delivery, optics, *answers) = RECORD_FIELDS(
             claim)
        flags = self._flag_numbers.get(tuple(answers))
        if flags is None:
            flags = self._flag_numbers[tuple(answers)] = encode_flags(answers)
        if ident is not None:
            self.ids.append(ident)
        numbers = self.strings.numbers
        codes = []
        for text in (person, care, sector, specialty, medicine, provider, optics):
            if text is None:
                codes.append(-1)
                continue
            code = numbers.get(text)
            if code is None:
                code = self.strings.number(text)
            codes.append(code)
        ordinal = day.toordinal()
        if self.in_order:
            last = self._last_day_of.get(codes[0])
            if last is not None and ordinal < last:
                self.in_order = False
                self._last_day_of.clear()
            else:
                self._last_day_of[codes[0]] = ordinal
        if ordinal < self.first_day:
            self.first_day = ordinal
        self.claims += CLAIM.pack(
            ordinal, birth.toordinal() if birth else 0, codes[0], cents(billed),
            -1 if base is None else cents(base), -1 if age is None else age,
            NOT_GIVEN if boxes is None else boxes, NOT_GIVEN if days is None else days,
            codes[1], NOT_GIVEN if codes[2] < 0 else codes[2],
            NOT_GIVEN if codes[3] < 0 else codes[3], codes[4], codes[5],
            -1 if ident is None else len(self.ids) - 1, flags,
            pregnancy.toordinal() if pregnancy else 0, delivery.toordinal() if delivery else 0,
            codes[6])
        self.count += 1

    def add_empty(self) -> None:
        """The record of a refused claim (never read)."""
        self.claims += bytes(CLAIM.size)
        self.count += 1

    def claim(self, position: int) -> PackedClaim:
        (day, birth, person, billed, base, age, boxes, days, care, sector, specialty,
         medicine, provider, ident, flags, pregnancy, delivery, optics) = CLAIM.unpack_from(
            self.claims, position * CLAIM.size)
        texts = self.strings.texts
        (declared, seen, referred, emergency, away, ald, css, pregnancy_window, contraception,
         sector_3, psychiatry, costly, emergency_contraception) = self.flags(flags)
        return PackedClaim._make((
            texts[care], self.date(day), self.amount(billed), None if age < 0 else age,
            self.date(birth) if birth else None, texts[person],
            None if ident < 0 else self.ids[ident], None if base < 0 else self.amount(base),
            None if provider < 0 else texts[provider],
            None if sector == NOT_GIVEN else texts[sector],
            None if specialty == NOT_GIVEN else texts[specialty],
            None if medicine < 0 else texts[medicine], None if boxes == NOT_GIVEN else boxes,
            declared, seen, referred, emergency, away, ald, css, pregnancy_window,
            contraception, sector_3, None if days == NOT_GIVEN else days, psychiatry, costly,
            emergency_contraception,
            self.date(pregnancy) if pregnancy else None,
            self.date(delivery) if delivery else None,
            None if optics < 0 else texts[optics]))

    def flags(self, flags: int) -> tuple[bool | None, ...]:
        """The yes/no/not-given answers of a record (cached)."""
        found = self._flags.get(flags)
        if found is None:
            found = self._flags[flags] = tuple(
                None if (flags >> (2 * i)) & 3 == 0 else (flags >> (2 * i)) & 3 == 1
                for i in range(len(TRI)))
        return found

    def date(self, ordinal: int) -> date:
        found = self._dates.get(ordinal)
        if found is None:
            if len(self._dates) > CACHE:
                self._dates.clear()
            found = self._dates[ordinal] = date.fromordinal(ordinal)
        return found

    def amount(self, value: int) -> Decimal:
        return decimal_cents(value, self._amounts)

    def person(self, position: int) -> str:
        """The person of the claim at ``position``."""
        person: str = self.strings.texts[KEY.unpack_from(self.claims, position * CLAIM.size)[2]]
        return person

    def by_person(self, skip: Container[int]) -> Iterator[list[int]]:
        """Positions grouped by person, each group in date order (ties: input order)."""
        view = memoryview(self.claims)
        unpack, size = KEY.unpack_from, CLAIM.size

        def keys() -> Iterator[tuple[int, int, int]]:
            for position in range(self.count):
                if position not in skip:
                    day, _, person = unpack(view, position * size)
                    yield person, day, position

        yield from person_groups(keys(), self.first_day)
        view.release()


def person_groups(keys: Iterable[tuple[int, int, int]], first_day: int) -> Iterator[
        list[int]]:
    """Positions grouped by person number, each group in day order, ties in position order.

    ``keys`` gives ``(person number, day ordinal, position)``.  Each person's claims are
    gathered in an ``array`` of 8-byte integers (day and position side by side), and
    only one person's group is sorted at a time: no list of a million tuples or keys.
    """
    buckets: dict[int, array[int]] = {}
    for person, day, position in keys:
        bucket = buckets.get(person)
        if bucket is None:
            bucket = buckets[person] = array("Q")
        bucket.append(((day - first_day) << 32) | position)
    mask = (1 << 32) - 1  # day offsets and positions (below 2**32) take 32 bits each
    while buckets:
        _, bucket = buckets.popitem()
        yield [key & mask for key in sorted(bucket)]


class Results:
    """Priced results as 46-byte records, rebuilt with their claim when read."""

    def __init__(self, count: int) -> None:
        self.records = bytearray(count * RESULT.size)
        self.plans = Interned()
        self.notes = Interned()
        self._amounts: dict[int, Decimal] = {}
        self._dates: dict[int, date] = {}
        self.version: RulebookVersion | None = None

    def store(self, position: int, result: ClaimResult) -> None:
        self.version = result.rulebook_version  # one rulebook prices a batch
        # results priced by one plan share its tuples: their identity is the key (the
        # objects are kept in the table, so an id is never reused while it is there)
        key = (result.rate, result.deduction_kind, result.flat_charge_kind, id(result.rules),
               id(result.parameters))
        plan = self.plans.numbers.get(key)
        if plan is None:
            plan = self.plans.number(key, (result.rules, result.parameters))
        texts = (result.assumptions, result.warnings)
        notes = self.notes.numbers.get(texts)
        if notes is None:
            notes = self.notes.number(texts)
        amounts = AMOUNTS(result)
        known = _CENTS.get
        numbers = [known(a) for a in amounts]
        if None in numbers:
            numbers = [cents(a) for a in amounts]
        RESULT.pack_into(self.records, position * RESULT.size, *numbers, plan, notes)

    def result(self, position: int, claim: Any, slot: int | None = None) -> ClaimResult:
        """The result of the claim at ``position`` (kept in record ``slot``, by default
        the position), with the fields it takes from its ``claim``."""
        base, gross, deduction, flat, top_up, plan, notes = RESULT.unpack_from(
            self.records, (position if slot is None else slot) * RESULT.size)
        amo = gross - deduction
        (rate, deduction_kind, flat_kind, _, _), (rules, parameters) = self.plans.texts[plan]
        assumptions, warnings = self.notes.texts[notes]
        billed = claim.billed
        known = self._amounts.get
        values = [known(c) for c in (base, gross, deduction, amo, flat, top_up)]
        if None in values:
            values = [decimal_cents(c, self._amounts) for c in (base, gross, deduction, amo,
                                                                 flat, top_up)]
        base_, gross_, deduction_, amo_, flat_, top_up_ = values
        return ClaimResult._make((
            position, claim.id, claim.person, claim.date, claim.care, billed, base_, rate,
            gross_, deduction_kind, deduction_, amo_, flat_kind, flat_, top_up_,
            billed - amo_ - top_up_, rules, parameters, assumptions, warnings, self.version))


def decimal_cents(value: int, cache: dict[int, Decimal]) -> Decimal:
    """An integer number of cents as a Decimal to the cent (cached)."""
    found = cache.get(value)
    if found is None:
        if len(cache) > CACHE:
            cache.clear()
        found = cache[value] = Decimal(value).scaleb(-2)
    return found
