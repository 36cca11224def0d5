"""The case model: frozen attrs classes for a student, documents, claims and cover.

Every model checks its fields when it is built, whatever the door (Python, a dict, a
JSON file), and reports every problem at once with its field path:

>>> import ssreg
>>> ssreg.Student(birth_date="2004-03-01", nationality="br", country_of_birth="BR")
Student(id='student', birth_date=datetime.date(2004, 3, 1), nationality='BR', ...)
>>> ssreg.Student(birth_date="01/03/2004", nationality="UK", previously_affiliated="yes")
Traceback (most recent call last):
...
ssreg.exceptions.InvalidCaseError: invalid case: birth_date: expected a date (YYYY-MM-DD), ...

Codes that depend on the rulebook (care types, specialties, document kinds, cover
keys) are checked against it when the case is evaluated or priced.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs

from ..exceptions import InvalidCaseError, InvalidClaimError, InvalidInputError
from .arguments import NONE, PATH, TABLE, accepts, instance
from .codes import AcademicYearKind, CountryKind, LanguageKind
from .construct import generated_init
from .fields import check_fields, field, quick_check
from .kinds import (
    BoolKind,
    ChoiceKind,
    CodeKind,
    DateKind,
    DecimalKind,
    IntKind,
    ListKind,
    MappingKind,
    Optional,
    OrWord,
    TextKind,
)
from .limits import MAX_CODE, excerpt
from .structure import ModelKind, structure, to_problems


DATE = DateKind()
BOOL = BoolKind()
MONEY = DecimalKind()
CODE = CodeKind()
TEXT = TextKind()
OPTIONAL_DATE = Optional(DATE)
OPTIONAL_BOOL = Optional(BOOL)
#: a card's expiry: a date, "none" (no card) or None (not given)
CARD_EXPIRY = Optional(OrWord(DATE))
OPTIONAL_MONEY = Optional(MONEY)
PERCENT = DecimalKind(maximum=Decimal(1000), places=None, what="a level in % of the base")

Day = date  # the Claim class has a field named ``date``

QUEBEC_FORMS = ("none", "SE401-Q-106", "SE401-Q-102bis")
DOCUMENT_STATUSES = ("held", "uploaded", "accepted", "rejected")
COVER_KINDS = ("mutuelle", "css")
SEXES = ("female", "male")
OPTICS_ITEMS = ("simple_lenses", "complex_lenses", "very_complex_lenses", "frame")


T = TypeVar("T")


def checked(cls: type[T]) -> type[T]:
    """Make unknown or positional arguments an input error too (not a ``TypeError``), and
    give the model its one-pass ``__init__`` (:mod:`ssreg.model.construct`; attrs' own,
    with this check and :class:`Validated`'s, stays as its ``__wrapped__``: same
    answers, same errors)."""
    original = cls.__init__
    names = {f.alias or f.name for f in attrs.fields(cls)}  # type: ignore[arg-type]

    @functools.wraps(original)
    def reference(self: Any, *args: Any, **kwargs: Any) -> None:
        if args or not names.issuperset(kwargs):
            found = [("(input)", "give the fields by name")] if args else []
            found += [(k if len(k) < 64 else excerpt(k), "unknown field; known fields: "
                       + ", ".join(sorted(names))) for k in kwargs if k not in names]
            raise cls.error(to_problems(found))  # type: ignore[attr-defined]
        original(self, **kwargs)

    def first(self: Any, *args: Any, **kwargs: Any) -> None:
        # generated on first use (``import ssreg`` stays light), then in place
        init = generated_init(cls, to_problems, cross_check=cls._cross_check  # type: ignore[attr-defined]
                              is not Validated._cross_check)
        if init is None or cls.__attrs_post_init__ is not (  # type: ignore[attr-defined]
                Validated.__attrs_post_init__):  # pragma: no cover - every model of ours has one
            init = reference
        else:
            functools.update_wrapper(init, reference)
        cls.__init__ = init  # type: ignore[method-assign]
        init(self, *args, **kwargs)

    init = functools.update_wrapper(first, reference)
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


class Validated:
    """Checks every field after ``__init__`` and raises ``error`` with all problems."""

    error: ClassVar[type[InvalidInputError]] = InvalidCaseError

    def __attrs_post_init__(self) -> None:
        found = [] if quick_check(type(self))(self) else check_fields(self)
        if not found:
            found = self._cross_check()
        if found:
            raise self.error(to_problems(found))

    def _cross_check(self) -> list[tuple[str, str]]:
        """Problems between fields (only looked at when every field is valid)."""
        return []


@checked
@attrs.frozen(kw_only=True)
class Student(Validated):
    """The applicant.  ``birth_date``, ``nationality`` and ``country_of_birth`` are required.

    A field left to ``None`` is *not given*: ``evaluate`` does not guess it, it asks
    (``Decision.questions``), unless told to assume (``unknown="assume"``).  A card's
    expiry is a date, or ``"none"`` when the student has no card.
    """

    id: str = field(CODE, default="student", doc="identifier of the student (a person key)")
    birth_date: date = field(DATE, doc="date of birth")
    nationality: str = field(CountryKind(), doc="nationality, ISO 3166 code (GB, not UK)")
    country_of_birth: str = field(CountryKind(), doc="country of birth, ISO 3166 code")
    sex: str | None = field(Optional(ChoiceKind(SEXES)), default=None,
                            doc="female or male, as on the civil record (the number's "
                                "first digit)")
    previously_affiliated: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="already affiliated to French social security "
        "(null: not given)")
    enrolled_in_french_institution: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="enrolled in a French institution (null: not given)")
    stay_months: int | None = field(Optional(IntKind(0, 1200)), default=None,
                                    doc="length of the stay in France, in months "
                                        "(null: not given)")
    address_in_france: str | None = field(Optional(TEXT), default=None,
                                          doc="postal address in France (null: none yet)")
    has_s1: bool | None = field(OPTIONAL_BOOL, default=None,
                                doc="holds an S1 form (EU/EEA/Swiss; null: not given)")
    quebec_form: str | None = field(Optional(ChoiceKind(QUEBEC_FORMS)), default=None,
                                    doc="Québec RAMQ form held, 'none' (null: not given)")
    ehic_expiry: date | str | None = field(
        CARD_EXPIRY, default=None, doc="expiry date of the European Health Insurance Card, "
        "'none' without a card (null: not given)")
    ghic_expiry: date | str | None = field(
        CARD_EXPIRY, default=None, doc="expiry date of the UK Global Health Insurance Card, "
        "'none' without a card (null: not given)")
    andorran_insured: bool | None = field(
        OPTIONAL_BOOL, default=None,
        doc="insured in the Andorran scheme, with the form for studies in France (null: not "
            "given)")
    salaried: bool | None = field(
        OPTIONAL_BOOL, default=None,
        doc="works in France under an employment contract (a job, a doctoral contract; "
            "null: not given)")
    household_size: int | None = field(
        Optional(IntKind(1, 50)), default=None,
        doc="persons in the household the complémentaire santé solidaire looks at")
    household_resources: Decimal | None = field(
        OPTIONAL_MONEY, default=None,
        doc="resources of that household over the last 12 months, in euros")


@checked
@attrs.frozen(kw_only=True)
class Document(Validated):
    """A document the student holds or has uploaded."""

    kind: str = field(CodeKind(vocabulary="document kinds"), doc="document kind")
    status: str = field(ChoiceKind(DOCUMENT_STATUSES), default="held",
                        doc="held, uploaded, accepted or rejected")
    issued: date | None = field(OPTIONAL_DATE, default=None, doc="date of issue")
    expires: date | None = field(OPTIONAL_DATE, default=None, doc="expiry date")
    academic_year: str | None = field(Optional(AcademicYearKind()), default=None,
                                      doc="academic year it is for, like 2026-2027")
    translated: bool = field(BOOL, default=False, doc="comes with a certified translation")
    rejection_reason: str | None = field(Optional(TEXT), default=None,
                                         doc="why it was rejected")
    iban: str | None = field(Optional(TextKind(max_length=64)), default=None,
                             doc="the IBAN, for bank details")
    monthly_amount: Decimal | None = field(OPTIONAL_MONEY, default=None,
                                           doc="monthly resources, for a proof of resources")
    language: str | None = field(Optional(LanguageKind()), default=None,
                                 doc="language of the document, ISO 639-1")


@checked
@attrs.frozen(kw_only=True)
class Claim(Validated):
    """One bill: a care act or purchase on a date, for a person.

    ``age`` (or ``birth_date``) is needed for a claim priced on its own; in a case, the
    student's claims take their age from the student's birth date.  A field left to
    ``None`` is *not given*: the claim is priced with the field's documented default
    (rule data), and the result names the assumption wherever another value could
    change the price (``ClaimResult.assumptions``; the table is in
    ``docs/reimbursement.md``).
    """

    error: ClassVar[type[InvalidInputError]] = InvalidClaimError

    care: str = field(CodeKind(vocabulary="care types"), doc="type of care")
    date: date = field(DATE, doc="date of care")
    billed: Decimal = field(MONEY, doc="amount billed, in euros")
    age: int | None = field(Optional(IntKind(0, 120)), default=None,
                            doc="age on the date of care (else from birth_date)")
    birth_date: Day | None = field(OPTIONAL_DATE, default=None, doc="date of birth")
    person: str = field(CODE, default="student", doc="whose claim (caps are per person)")
    id: str | None = field(Optional(TextKind(max_length=200)), default=None,
                           doc="your identifier for this claim")
    base: Decimal | None = field(OPTIONAL_MONEY, default=None,
                                 doc="reimbursement base (BR) when known")
    provider: str | None = field(Optional(TextKind(max_length=200)), default=None,
                                 doc="the professional (for the daily cap per professional)")
    sector: str | None = field(Optional(CodeKind(vocabulary="sectors")), default=None,
                               doc="doctor's sector")
    specialty: str | None = field(Optional(CodeKind(vocabulary="specialties")), default=None,
                                  doc="doctor's specialty")
    medicine_class: str | None = field(Optional(CodeKind(vocabulary="medicine classes")),
                                       default=None, doc="medical benefit class of a medicine")
    optics_item: str | None = field(
        Optional(ChoiceKind(OPTICS_ITEMS)), default=None,
        doc="optics: glasses with simple, complex or very complex lenses, or a frame alone "
            "(the caps of a contrat responsable)")
    boxes: int | None = field(Optional(IntKind(0, 1000)), default=None,
                              doc="units bearing the franchise: boxes of medicine, or "
                                  "paramedical acts billed in this claim")
    referent_doctor_declared: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="a médecin traitant is declared")
    referent_doctor_seen: bool | None = field(
        OPTIONAL_BOOL, default=None,
        doc="the GP seen is the declared médecin traitant or their replacement")
    referred: bool | None = field(OPTIONAL_BOOL, default=None,
                                  doc="referred to the specialist by the médecin traitant")
    emergency: bool | None = field(OPTIONAL_BOOL, default=None, doc="an emergency")
    away_from_home: bool | None = field(OPTIONAL_BOOL, default=None, doc="care away from home")
    ald: bool | None = field(OPTIONAL_BOOL, default=None,
                             doc="care for a long-term condition (ALD)")
    css: bool | None = field(OPTIONAL_BOOL, default=None,
                             doc="complémentaire santé solidaire beneficiary")
    pregnancy_window: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="from the 1st day of the 6th month of pregnancy to "
        "12 days after delivery (or give the dates below)")
    pregnancy_start: Day | None = field(
        OPTIONAL_DATE, default=None,
        doc="first day of the pregnancy, as declared (the window opens 5 months later)")
    delivery_date: Day | None = field(
        OPTIONAL_DATE, default=None,
        doc="date of delivery, expected or actual (the window closes 12 days later)")
    contraception: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="contraception (listed contraceptive, consultation, "
        "tests)")
    emergency_contraception: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="emergency contraception (free at any age from 2023)")
    prescribed_by_sector_3: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="prescribed by a non-conventioned (sector 3) doctor")
    hospital_days: int | None = field(Optional(IntKind(0, 3650)), default=None,
                                      doc="days of the hospital stay starting on `date` (the "
                                          "day of discharge counts)")
    psychiatry: bool | None = field(OPTIONAL_BOOL, default=None,
                                    doc="psychiatric hospital stay")
    costly_act_in_stay: bool | None = field(
        OPTIONAL_BOOL, default=None, doc="an act with a tariff of 120 EUR or more during the "
        "stay (or during the stay this one follows)")

    def _cross_check(self) -> list[tuple[str, str]]:
        start, delivery = self.pregnancy_start, self.delivery_date
        if start is not None and delivery is not None and delivery <= start:
            return [("delivery_date", f"the delivery ({delivery}) comes after the start of "
                     f"the pregnancy ({start})")]
        return []


@checked
@attrs.frozen(kw_only=True)
class Cover(Validated):
    """A top-up contract: level per care category in % of the base, including AMO.

    ``levels={"gp_consultation": Decimal(100)}`` is "100 % BR" (``"default"`` applies to
    care types not listed); ``yearly_allowance`` gives fixed amounts per calendar year
    (e.g. optics).  ``kind="css"`` is the complémentaire santé solidaire.  The keys are
    checked against the rulebook's care types when the cover is used.
    """

    name: str = field(TextKind(max_length=200), default="contract", doc="contract name")
    kind: str = field(ChoiceKind(COVER_KINDS), default="mutuelle", doc="mutuelle or css")
    responsable: bool = field(BOOL, default=True, doc="a contrat responsable")
    levels: Mapping[str, Decimal] = field(MappingKind(PERCENT, "care types or 'default'"),
                                          factory=dict, doc="level per care type, in % BR")
    levels_non_optam: Mapping[str, Decimal] = field(
        MappingKind(PERCENT, "care types or 'default'"), factory=dict,
        doc="level for doctors outside OPTAM, in % BR")
    yearly_allowance: Mapping[str, Decimal] = field(
        MappingKind(MONEY, "care types"), factory=dict, doc="euros per calendar year")
    hospital_daily_charge: bool = field(BOOL, default=True,
                                        doc="pays the hospital daily charge")
    emergency_flat_charge: bool = field(BOOL, default=True,
                                        doc="pays the emergency flat charge")
    costly_act_flat_charge: bool = field(BOOL, default=True,
                                         doc="pays the flat charge on costly acts")

    def level(self, care: str, *, non_optam: bool = False) -> Decimal | None:
        """The level in % for a care type (``None`` when neither it nor default is set)."""
        table = self.levels_non_optam if non_optam else self.levels
        return table.get(care, table.get("default"))


@checked
@attrs.frozen(kw_only=True)
class Case(Validated):
    """Everything known about one student: identity facts, documents, claims, cover.

    ``academic_year`` (``"2026-2027"``) is the year applied for; without it, it is
    derived from ``arrival_date``, or else from the evaluation date (the Decision says
    which, and why).
    """

    student: Student = field(ModelKind(Student), doc="the student")
    documents: tuple[Document, ...] = field(ListKind(ModelKind(Document), 200), default=(),
                                            doc="documents held or uploaded")
    claims: tuple[Claim, ...] = field(ListKind(ModelKind(Claim)), default=(),
                                      doc="bills to price")
    cover: Cover | None = field(Optional(ModelKind(Cover)), default=None,
                                doc="top-up contract")
    academic_year: str | None = field(Optional(AcademicYearKind()), default=None,
                                      doc="academic year applied for, like 2026-2027")
    arrival_date: date | None = field(OPTIONAL_DATE, default=None,
                                      doc="date of arrival in France (start of the stay)")


# --------------------------------------------------------------------------- reading


def structure_case(data: Any) -> Case:
    """A :class:`Case` from a dict (``{"student": {...}, "documents": [...]}``) or a Case.

    >>> structure_case({"student": {"birth_date": "2004-03-01", "nationality": "BR",
    ...                             "country_of_birth": "XX"}})
    Traceback (most recent call last):
    ...
    ssreg.exceptions.InvalidCaseError: invalid case: student.country_of_birth: expected an ISO ...
    """
    return structure(data, Case, error=InvalidCaseError)


def read_data_file(path: str | Path) -> Any:
    """Plain data from a TOML or JSON file (``.json``: JSON; anything else: TOML)."""
    from .files import MAX_DOCUMENT_BYTES, MAX_TOML_BYTES, read_text

    path = Path(path)
    text = read_text(path, limit=MAX_DOCUMENT_BYTES if path.suffix == ".json" else
                     MAX_TOML_BYTES)
    try:
        if path.suffix == ".json":
            return json.loads(text, parse_float=Decimal)
        return tomllib.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        kind = "JSON" if path.suffix == ".json" else "TOML"
        raise InvalidCaseError(to_problems([(str(path)[:MAX_CODE * 4],
                                             f"not valid {kind}: {str(exc)[:200]}")])) from None


CLAIM = TABLE | instance(Claim, "a Claim")
COVER = NONE | TABLE | instance(Cover, "a Cover")
CASE = TABLE | instance(Case, "a Case")


@accepts(source=PATH | TABLE | instance(Cover, "a Cover"))
def load_cover(source: str | Path | Mapping[str, Any]) -> Cover:
    """A top-up contract from a TOML or JSON file, or from a dict.

    >>> c = load_cover({"name": "student basic", "levels": {"default": 100, "optics": 200}})
    >>> c.levels["optics"]
    Decimal('200')
    """
    if isinstance(source, Cover):
        return source
    data = source if isinstance(source, Mapping) else read_data_file(source)
    return structure(data, Cover, error=InvalidCaseError, path="cover")
