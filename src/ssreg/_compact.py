"""Claims and results packed into fixed-size records, for batches read whole.

An unsorted batch must be read whole (caps follow each person's dates), but holding a
million claim objects costs about a kilobyte each.  Here each checked claim becomes a
50-byte record in one ``bytearray`` (texts are interned in small tables), each priced
result a 56-byte record; the batch is then priced person by person and the results are
rebuilt, in input order, from the records.  ``ClaimResult`` objects exist one at a time.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from ._results import ClaimResult


class PackedClaim(NamedTuple):
    """A claim rebuilt from its record: the attributes pricing reads, nothing else."""

    care: str
    date: date
    billed: Decimal
    age: int | None
    birth_date: date | None
    person: str
    id: str | None
    base: Decimal | None
    provider: str | None
    sector: str
    specialty: str
    medicine_class: str | None
    boxes: int
    referent_doctor_declared: bool | None
    referent_doctor_seen: bool | None
    referred: bool | None
    emergency: bool
    away_from_home: bool
    ald: bool
    css: bool
    pregnancy_window: bool
    contraception: bool
    prescribed_by_sector_3: bool
    hospital_days: int
    psychiatry: bool


TRI = ("referent_doctor_declared", "referent_doctor_seen", "referred")
FLAGS = ("emergency", "away_from_home", "ald", "css", "pregnancy_window", "contraception",
         "prescribed_by_sector_3", "psychiatry")
# date, birth (0: none), person, billed, base (-1: none), age (-1: none), boxes, days,
# care, sector, specialty, medicine (-1), provider (-1), id (-1), flags
CLAIM = struct.Struct("<iiIqqhHHBBBbiiI")
# base, amo_gross, deduction, amo, flat charge, top-up (cents), plan, notes
RESULT = struct.Struct("<qqqqqqIH")


class Interned:
    """A table of texts and their numbers (texts repeat: care types, persons...)."""

    __slots__ = ("numbers", "texts")

    def __init__(self) -> None:
        self.numbers: dict[Any, int] = {}
        self.texts: list[Any] = []

    def number(self, text: Any) -> int:
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = len(self.texts)
            self.texts.append(text)
        return found


def cents(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def amount(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


class Packed:
    """A batch of checked claims as records; positions are indexes in input order."""

    def __init__(self) -> None:
        self.claims = bytearray()
        self.results = bytearray()
        self.strings = Interned()
        self.ids: list[str | None] = []
        self.has_ids = False
        self.plans = Interned()
        self.notes = Interned()
        self.count = 0

    def add(self, claim: Any) -> None:
        flags = 0
        for i, name in enumerate(TRI):
            value = getattr(claim, name)
            flags |= (0 if value is None else 1 if value else 2) << (2 * i)
        for i, name in enumerate(FLAGS):
            if getattr(claim, name):
                flags |= 1 << (6 + i)
        number = self.strings.number
        ident = -1
        if claim.id is not None:
            self.has_ids = True
            ident = number(claim.id) if len(self.strings.texts) < 1_000 else -2
            if ident == -2:
                ident = len(self.ids)
                self.ids.append(claim.id)
                ident = -3 - ident
        self.claims += CLAIM.pack(
            claim.date.toordinal(), claim.birth_date.toordinal() if claim.birth_date else 0,
            number(claim.person), cents(claim.billed),
            -1 if claim.base is None else cents(claim.base),
            -1 if claim.age is None else claim.age, claim.boxes, claim.hospital_days,
            number(claim.care), number(claim.sector), number(claim.specialty),
            -1 if claim.medicine_class is None else number(claim.medicine_class),
            -1 if claim.provider is None else number(claim.provider), ident, flags)
        self.count += 1

    def claim(self, position: int) -> PackedClaim:
        (day, birth, person, billed, base, age, boxes, days, care, sector, specialty,
         medicine, provider, ident, flags) = CLAIM.unpack_from(self.claims,
                                                                 position * CLAIM.size)
        texts = self.strings.texts
        tri = [None if (flags >> (2 * i)) & 3 == 0 else (flags >> (2 * i)) & 3 == 1
               for i in range(len(TRI))]
        bits = [bool(flags & (1 << (6 + i))) for i in range(len(FLAGS))]
        return PackedClaim(
            care=texts[care], date=date.fromordinal(day), billed=amount(billed),
            age=None if age < 0 else age, birth_date=date.fromordinal(birth) if birth else None,
            person=texts[person], id=None if ident == -1 else (
                texts[ident] if ident >= 0 else self.ids[-3 - ident]),
            base=None if base < 0 else amount(base),
            provider=None if provider < 0 else texts[provider], sector=texts[sector],
            specialty=texts[specialty], medicine_class=None if medicine < 0 else texts[medicine],
            boxes=boxes, referent_doctor_declared=tri[0], referent_doctor_seen=tri[1],
            referred=tri[2], emergency=bits[0], away_from_home=bits[1], ald=bits[2],
            css=bits[3], pregnancy_window=bits[4], contraception=bits[5],
            prescribed_by_sector_3=bits[6], hospital_days=days, psychiatry=bits[7])

    def key(self, position: int) -> tuple[int, int]:
        day, _, person = struct.unpack_from("<iiI", self.claims, position * CLAIM.size)
        return person, day

    def by_person(self, skip: set[int]) -> Iterator[array[int]]:
        """Positions grouped by person, each group in date order (ties: input order)."""
        groups: dict[int, array[int]] = {}
        for position in range(self.count):
            if position in skip:
                continue
            person, _ = self.key(position)
            group = groups.get(person)
            if group is None:
                group = groups[person] = array("i")
            group.append(position)
        for person in list(groups):
            group = groups.pop(person)
            yield array("i", sorted(group, key=lambda p: (self.key(p)[1], p)))

    def store(self, position: int, result: ClaimResult) -> None:
        if len(self.results) < (position + 1) * RESULT.size:
            self.results += bytes((position + 1) * RESULT.size - len(self.results))
        plan = self.plans.number((result.rate, result.deduction_kind, result.flat_charge_kind,
                                  result.rules, result.parameters))
        notes = self.notes.number((result.assumptions, result.warnings))
        RESULT.pack_into(self.results, position * RESULT.size, cents(result.base),
                         cents(result.amo_gross), cents(result.deduction), cents(result.amo),
                         cents(result.flat_charge), cents(result.top_up), plan, notes)

    def result(self, position: int) -> ClaimResult:
        claim = self.claim(position)
        base, gross, deduction, amo, flat, top_up, plan, notes = RESULT.unpack_from(
            self.results, position * RESULT.size)
        rate, deduction_kind, flat_kind, rules, parameters = self.plans.texts[plan]
        assumptions, warnings = self.notes.texts[notes]
        amo_d, top_d = amount(amo), amount(top_up)
        return ClaimResult(position, claim.id, claim.person, claim.date, claim.care,
                           claim.billed, amount(base), rate, amount(gross), deduction_kind,
                           amount(deduction), amo_d, flat_kind, amount(flat), top_d,
                           claim.billed - amo_d - top_d, rules, parameters, assumptions,
                           warnings)
