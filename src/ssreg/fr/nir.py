"""The French social security number (NIR), checked with precise reasons.

python-stdnum (:mod:`stdnum.fr.nir`) checks the structure and the key; this module adds
what stdnum leaves out (sex digit, month, place of birth, order number) and tells a
definitive number from one that may be provisional, as the sources allow:

- 13 characters and a 2-digit key, key = 97 - (N mod 97), 2A/2B read as 19/18 [N1][N4][N5][S1];
- first digit 1 (man) or 2 (woman) for a definitive number [N1][N2]; 3, 4, 7 or 8 are
  reported by secondary sources for provisional numbers (NIA) [N9][N10][N11]: such a
  number is *possibly provisional*; a number is never rejected for its first digit alone;
- month 01 to 12; 20 to 42 and 50 appear for people registered from an incomplete civil
  record [N12];
- place of birth: department 01-95, 2A/2B, 96 and 91-95 (North Africa before
  independence), 97x/98x overseas, 99 + INSEE country code for a birth abroad [N1][N3].

More information: service-public F33078 [N1]; CNMSS [N3]; stdnum [S1].

>>> from ssreg.fr import nir
>>> nir.validate("2 95 10 99 126 111 93")
'295109912611193'
>>> nir.check("295109912611193").status, nir.check("295109912611193").born_abroad
('definitive', True)
>>> nir.check("795019912345626").status
'possibly_provisional'
>>> nir.validate("295109912611199")
Traceback (most recent call last):
...
ssreg.fr.nir.InvalidNir: invalid number: number: wrong key: 99 given, 93 expected
>>> [p.code for p in nir.check("2951099126111").problems]
['length']
>>> nir.is_valid("not a number"), nir.format("295109912611193")
(False, '2 95 10 99 126 111 93')
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import texts
from ..exceptions import InvalidInputError, Problem
from ..model.limits import excerpt


__all__ = ["InvalidNir", "NirCheck", "NirProblem", "check", "compact", "format", "is_valid",
           "validate"]

DEFINITIVE_SEX = frozenset("12")
PROVISIONAL_SEX = frozenset("3478")
INCOMPLETE_RECORD_MONTHS = frozenset({*(f"{m:02d}" for m in range(20, 43)), "50"})

@attrs.frozen
class NirProblem:
    """A reason a number is invalid (``error``) or a remark about it (not an error)."""

    code: str
    values: dict[str, str] = attrs.field(factory=dict, hash=False)
    error: bool = True

    def message(self, lang: str = "en") -> str:
        """Why, in English, French or Spanish (the catalogue of :mod:`ssreg.texts`)."""
        return texts.typeset(texts.message(f"nir_problem.{self.code}", lang, **self.values),
                             lang)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "error": self.error, "values": dict(self.values),
                "message": self.message()}


class InvalidNir(InvalidInputError):
    """A social security number that is not valid; ``.check`` has every reason."""

    kind = "number"

    def __init__(self, result: NirCheck, path: str = "number") -> None:
        self.check = result
        super().__init__([Problem(path, p.message()) for p in result.problems if p.error])


@attrs.frozen
class NirCheck:
    """The result of :func:`check`: validity, status and the parts of the number.

    ``status`` is ``definitive`` (first digit 1 or 2), ``possibly_provisional`` (3, 4, 7
    or 8) or ``unknown``; ``problems`` lists errors and remarks.
    """

    number: str
    valid: bool
    status: str
    problems: tuple[NirProblem, ...] = ()
    born_abroad: bool = False
    department: str = ""

    @property
    def errors(self) -> tuple[NirProblem, ...]:
        return tuple(p for p in self.problems if p.error)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "valid": self.valid, "status": self.status,
                "born_abroad": self.born_abroad, "department": self.department,
                "problems": [p.to_dict() for p in self.problems]}


def compact(number: str) -> str:
    """The number without spaces or dots, upper-cased (``2a`` becomes ``2A``)."""
    from stdnum.fr import nir as stdnum_nir

    result: str = stdnum_nir.compact(number)
    return result


def _place(number: str) -> list[NirProblem]:
    department, commune = number[5:7], number[7:10]
    if department in ("2A", "2B"):
        return []
    if not department.isdigit() or department == "00":
        return [NirProblem("department", {"department": department})]
    if department == "99":
        return [] if "100" <= commune <= "599" else [
            NirProblem("country", {"country": "99" + commune})]
    if commune == "000":
        return [NirProblem("commune")]
    return []


def check(number: Any) -> NirCheck:
    """Check a number and give every reason it is invalid, and remarks about it."""
    from stdnum.fr import nir as stdnum_nir

    if not isinstance(number, str) or len(number) > 64:
        return NirCheck(number="", valid=False, status="unknown", problems=(
            NirProblem("not_text", {"value": excerpt(number)}),))
    text = compact(number)
    core_ok = text[:5].isdigit() and text[7:].isdigit() and (
        text[5:7].isdigit() or text[5:7] in ("2A", "2B"))
    problems: list[NirProblem] = []
    if not core_ok and len(text) > 0:
        problems.append(NirProblem("format"))
    if len(text) != 15:
        problems.append(NirProblem("length", {"length": str(len(text))}))
    if problems:
        return NirCheck(number=text, valid=False, status="unknown", problems=tuple(problems))
    expected = stdnum_nir.calc_check_digits(text)
    if expected != text[13:]:
        problems.append(NirProblem("key", {"given": text[13:], "expected": expected}))
    month = text[3:5]
    if month in INCOMPLETE_RECORD_MONTHS:
        problems.append(NirProblem("incomplete_record_month", {"month": month}, error=False))
    elif not "01" <= month <= "12":
        problems.append(NirProblem("month", {"month": month}))
    problems.extend(_place(text))
    if text[10:13] == "000":
        problems.append(NirProblem("order"))
    sex = text[0]
    if sex in DEFINITIVE_SEX:
        status = "definitive"
    elif sex in PROVISIONAL_SEX:
        status = "possibly_provisional"
        problems.append(NirProblem("possibly_provisional", {"sex": sex}, error=False))
    else:
        status = "unknown"
        problems.append(NirProblem("unusual_sex_digit", {"sex": sex}, error=False))
    valid = not any(p.error for p in problems)
    return NirCheck(number=text, valid=valid, status=status, problems=tuple(problems),
                    born_abroad=text[5:7] == "99", department=text[5:7])


def validate(number: Any) -> str:
    """The compact number, or :class:`InvalidNir` naming every reason."""
    result = check(number)
    if not result.valid:
        raise InvalidNir(result)
    return result.number


def is_valid(number: Any) -> bool:
    """Whether :func:`validate` accepts the number (never raises)."""
    return check(number).valid


def format(number: str, separator: str = " ") -> str:
    """The usual grouping: ``2 95 10 99 126 111 93``."""
    from stdnum.fr import nir as stdnum_nir

    result: str = stdnum_nir.format(number, separator)
    return result
