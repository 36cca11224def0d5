"""The case model: frozen attrs classes for a student, documents, claims and cover.

Plain dicts and JSON are structured into these classes with cattrs (see
:func:`structure_case`); any invalid field raises :class:`~ssreg.InvalidCaseError`
naming the field path, the value and what was expected.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from .exceptions import InvalidCaseError, Problem


T = TypeVar("T")


class FieldError(ValueError):
    """Raised by validators and hooks; ``field`` is appended to the error path."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@cache
def _country_codes() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2
    )


def _country(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or value not in _country_codes():
        raise FieldError(attribute.name, f"expected an ISO 3166 two-letter country code such "
                         f"as 'FR' or 'BR', got {value!r}")


@cache
def _language_codes() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code for code in Locale("en").languages if isinstance(code, str) and len(code) == 2
    )


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _language(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and value not in _language_codes():
        raise FieldError(attribute.name, f"expected an ISO 639-1 two-letter language code "
                         f"such as 'fr' or 'pt', got {value!r}")


def _academic_year(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    first, sep, second = str(value).partition("-")
    if not (sep and first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        raise FieldError(attribute.name, f"expected an academic year like '2026-2027', "
                         f"got {value!r}")


def _one_of(*allowed: str) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in allowed:
            raise FieldError(attribute.name, f"expected one of {', '.join(allowed)}, "
                             f"got {value!r}")

    return check


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and value < 0:
        raise FieldError(attribute.name, f"expected a value >= 0, got {value!r}")


def _cents(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if value < 0:
        raise FieldError(attribute.name, f"expected an amount >= 0, got {value}")
    if value != value.quantize(Decimal("0.01")):
        raise FieldError(attribute.name, f"expected an amount in euros with at most 2 "
                         f"decimals, got {value}")


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


QUEBEC_FORMS = ("none", "SE401-Q-106", "SE401-Q-102bis")


@attrs.frozen(kw_only=True)
class Student:
    """The applicant.  Only ``birth_date``, ``nationality`` and ``country_of_birth`` are required.

    >>> from datetime import date
    >>> Student(birth_date=date(2004, 3, 1), nationality="br", country_of_birth="BR")
    Student(birth_date=datetime.date(2004, 3, 1), nationality='BR', ...)
    """

    birth_date: date
    nationality: str = attrs.field(converter=_upper, validator=_country)
    country_of_birth: str = attrs.field(converter=_upper, validator=_country)
    previously_affiliated: bool = False
    enrolled_in_french_institution: bool = True
    stay_months: int | None = attrs.field(default=None, validator=_non_negative)
    address_in_france: str | None = None
    has_s1: bool = False
    quebec_form: str = attrs.field(default="none", validator=_one_of(*QUEBEC_FORMS))
    ehic_expiry: date | None = None
    ghic_expiry: date | None = None
    id: str = "student"


DOCUMENT_STATUSES = ("held", "uploaded", "accepted", "rejected")


@attrs.frozen(kw_only=True)
class Document:
    """A document the student holds or has uploaded."""

    kind: str
    status: str = attrs.field(default="held", validator=_one_of(*DOCUMENT_STATUSES))
    issued: date | None = None
    expires: date | None = None
    academic_year: str | None = attrs.field(default=None, validator=_academic_year)
    translated: bool = False
    rejection_reason: str | None = None
    iban: str | None = None
    monthly_amount: Decimal | None = attrs.field(default=None, validator=_non_negative)
    language: str | None = attrs.field(default=None, converter=_lower, validator=_language)


@attrs.frozen(kw_only=True)
class Claim:
    """One bill: a care act or purchase on a date, for a person (see the claims docs)."""

    care: str
    date: date
    billed: Decimal = attrs.field(validator=_cents)
    age: int = attrs.field(validator=_non_negative)
    person: str = "student"
    id: str | None = None
    base: Decimal | None = attrs.field(default=None, validator=_cents)
    provider: str | None = None
    sector: str = attrs.field(default="sector_1", validator=_one_of(
        "sector_1", "sector_2_optam", "sector_2", "sector_3"))
    specialty: str = "general"
    medicine_class: str | None = None
    boxes: int = attrs.field(default=1, validator=_non_negative)
    referent_doctor_declared: bool = True
    referred: bool = False
    emergency: bool = False
    ald: bool = False
    css: bool = False
    pregnancy_exempt: bool = False
    hospital_days: int = attrs.field(default=0, validator=_non_negative)
    psychiatry: bool = False


@attrs.frozen(kw_only=True)
class Cover:
    """A top-up contract: level per care category in % of the base, including AMO.

    ``levels={"gp_consultation": Decimal(100)}`` is "100 % BR"; ``yearly_allowance`` gives
    fixed amounts per calendar year (e.g. optics).  ``kind="css"`` is the complémentaire
    santé solidaire.
    """

    name: str = "contract"
    kind: str = attrs.field(default="mutuelle", validator=_one_of("mutuelle", "css"))
    responsable: bool = True
    levels: Mapping[str, Decimal] = attrs.field(factory=dict)
    levels_non_optam: Mapping[str, Decimal] = attrs.field(factory=dict)
    yearly_allowance: Mapping[str, Decimal] = attrs.field(factory=dict)
    hospital_daily_charge: bool = True


@attrs.frozen(kw_only=True)
class Case:
    """Everything known about one student: identity facts, documents, claims, cover."""

    student: Student
    documents: tuple[Document, ...] = ()
    claims: tuple[Claim, ...] = ()
    cover: Cover | None = None


# --------------------------------------------------------------------------- structuring


def _structure_date(value: Any, _: type) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"expected a date (YYYY-MM-DD), got a datetime {value!r}")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}")


def _structure_decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, (bool, float)):
        raise ValueError(f"expected an exact amount as a string or integer (e.g. '26.50'), "
                         f"got {type(value).__name__} {value!r}")
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            pass
        else:
            if parsed.is_finite():
                return parsed
    raise ValueError(f"expected an exact amount as a string or integer (e.g. '26.50'), "
                     f"got {value!r}")


def _strict(kind: type[T]) -> Callable[[Any, type], T]:
    def structure(value: Any, _: type) -> T:
        if kind is int and isinstance(value, bool):
            raise ValueError(f"expected an integer, got {value!r}")
        if not isinstance(value, kind):
            raise ValueError(f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        return value

    return structure


def _accept_instances(conv: cattrs.Converter, model: type[Any]) -> None:
    """Let an already built model instance pass through where a dict is expected."""
    generated = conv.gen_structure_attrs_fromdict(model)

    def structure(value: Any, cls: type) -> Any:
        return value if isinstance(value, model) else generated(value, cls)

    conv.register_structure_hook(model, structure)


@cache
def converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_structure_hook(date, _structure_date)
    conv.register_structure_hook(Decimal, _structure_decimal)
    for kind in (bool, int, str):
        conv.register_structure_hook(kind, _strict(kind))
    for model in (Student, Document, Claim, Cover, Case):
        _accept_instances(conv, model)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_unstructure_hook(Decimal, str)
    return conv


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[Problem] = []
        with_notes, without_notes = exc.group_exceptions()
        for sub in without_notes:
            found.extend(_problems(sub, path))
        for sub, note in with_notes:
            name = getattr(note, "name", None)
            index = getattr(note, "index", None)
            step = f"{path}.{name}" if name is not None else f"{path}[{index}]"
            if isinstance(sub, KeyError):
                found.append(Problem(step.lstrip("."), "required field missing"))
            else:
                found.extend(_problems(sub, step))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        return [Problem(path.lstrip(".") or "(case)",
                        f"unknown field(s) {', '.join(sorted(exc.extra_fields))}")]
    if isinstance(exc, FieldError):
        return [Problem(f"{path}.{exc.field}".lstrip("."), str(exc))]
    if isinstance(exc, ValueError | TypeError):
        return [Problem(path.lstrip(".") or "(case)", str(exc))]
    if isinstance(exc, AttributeError):
        return [Problem(path.lstrip(".") or "(case)", "expected a table (a JSON object)")]
    raise exc


def structure(data: Any, cls: type[T], *,
              error: Callable[[list[Problem]], Exception] = InvalidCaseError,
              path: str = "") -> T:
    """Structure plain data into ``cls`` or raise ``error`` with every located problem."""
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        raise error([Problem(path or "(case)",
                             f"expected a table (a JSON object), got {type(data).__name__}")])
    try:
        return converter().structure(data, cls)
    except Exception as exc:  # cattrs groups every field error; re-raised below if unknown
        raise error(_problems(exc, path)) from None


def structure_case(data: Any) -> Case:
    """A :class:`Case` from a dict (``{"student": {...}, "documents": [...]}``) or a Case.

    >>> structure_case({"student": {"birth_date": "2004-03-01", "nationality": "BR",
    ...                             "country_of_birth": "XX"}})
    Traceback (most recent call last):
    ...
    ssreg.exceptions.InvalidCaseError: invalid case: student.country_of_birth: expected an ISO ...
    """
    return structure(data, Case)


def load_cover(source: str | Path | Mapping[str, Any]) -> Cover:
    """A top-up contract from a TOML or JSON file, or from a dict.

    >>> c = load_cover({"name": "student basic", "levels": {"default": 100, "optics": 200}})
    >>> c.levels["optics"]
    Decimal('200')
    """
    if isinstance(source, Mapping):
        return structure(source, Cover, path="cover")
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidCaseError([Problem(str(path), f"cannot read ({exc.strerror})")]) from None
    try:
        if path.suffix == ".json":
            data = json.loads(text, parse_float=Decimal)
        else:
            data = tomllib.loads(text, parse_float=Decimal)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidCaseError([Problem(str(path), f"not valid {path.suffix[1:] or 'TOML'}: "
                                        f"{exc}")]) from None
    return structure(data, Cover, path="cover")
