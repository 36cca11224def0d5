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

from datetime import date
from typing import Any

import attrs

from .. import texts
from ..exceptions import InvalidInputError, Problem
from ..model.limits import excerpt


__all__ = ["InvalidNir", "NirCheck", "NirProblem", "check", "check_against", "compact",
           "format", "is_valid", "validate"]

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
        values = {k: texts.message(f"nir_sex.{v}", lang) if k.endswith("_sex") else v
                  for k, v in self.values.items()}  # a sex is a code: said in the language
        return texts.typeset(texts.message(f"nir_problem.{self.code}", lang, **values), lang)

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
    """The result of :func:`check`: validity, status and the decoded parts of the number.

    ``status`` is ``definitive`` (first digit 1 or 2), ``possibly_provisional`` (3, 4, 7
    or 8) or ``unknown``; ``problems`` lists errors and remarks.  The decoded fields are
    empty (``None`` or ``""``) when the number is too malformed to read them:

    - ``sex``: ``"male"`` (1) or ``"female"`` (2), ``None`` for other first digits;
    - ``birth_year``: the last two digits of the year of birth (``"95"``);
    - ``birth_month``: 1 to 12, ``None`` for the codes of an incomplete civil record;
    - ``department`` and ``commune`` (positions 6-7 and 8-10), ``country_code`` (the INSEE
      code ``99xxx`` when born abroad), ``order`` (positions 11-13).

    >>> c = check("295109912611193")
    >>> c.sex, c.birth_year, c.birth_month, c.country_code, c.order
    ('female', '95', 10, '99126', '111')
    """

    number: str
    valid: bool
    status: str
    problems: tuple[NirProblem, ...] = ()
    born_abroad: bool = False
    department: str = ""
    sex: str | None = None
    birth_year: str = ""
    birth_month: int | None = None
    commune: str = ""
    country_code: str = ""
    order: str = ""

    @property
    def errors(self) -> tuple[NirProblem, ...]:
        return tuple(p for p in self.problems if p.error)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "valid": self.valid, "status": self.status,
                "born_abroad": self.born_abroad, "department": self.department,
                "sex": self.sex, "birth_year": self.birth_year,
                "birth_month": self.birth_month, "commune": self.commune,
                "country_code": self.country_code, "order": self.order,
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
    abroad = text[5:7] == "99"
    return NirCheck(number=text, valid=valid, status=status, problems=tuple(problems),
                    born_abroad=abroad, department=text[5:7], sex=SEXES.get(sex),
                    birth_year=text[1:3],
                    birth_month=int(month) if "01" <= month <= "12" else None,
                    commune=text[7:10], country_code=text[5:10] if abroad else "",
                    order=text[10:13])


def check_against(number: Any, *, birth_date: date | str | None = None,
                  sex: str | None = None,
                  country_of_birth: str | None = None) -> tuple[NirProblem, ...]:
    """The ways a *valid* number contradicts what is known of its holder (empty: none).

    - the sex digit, for a definitive number only (the digits of provisional numbers
      come from secondary sources [N9][N10][N11]);
    - the year of birth, and the month where the number carries one (the codes of an
      incomplete civil record carry none) [N1][N2];
    - born abroad (99) against the country of birth: the French overseas départements
      and collectivities have their own codes (97x, 98x) [N3]; a birth in Algeria,
      Morocco or Tunisia before independence may carry 91-96 [N1].

    An invalid number is not compared (its own problems say why).

    >>> [p.code for p in check_against("295109912611193", sex="male",
    ...                                birth_date=date(1995, 10, 2), country_of_birth="BR")]
    ['sex_mismatch']
    >>> [p.code for p in check_against("190017510812362", birth_date=date(1990, 1, 5),
    ...                                sex="male", country_of_birth="FR")]
    []
    >>> found = check_against("190017510812362", birth_date=date(2010, 12, 5),
    ...                       sex="female", country_of_birth="FR")
    >>> [p.code for p in found]
    ['sex_mismatch', 'year_mismatch', 'month_mismatch']
    >>> found[0].message("en")
    "the number is a man's (first digit 1), the student is a woman"
    """
    birth_date, sex = _holder(birth_date, sex)
    found = check(number)
    if not found.valid:
        return ()
    problems: list[NirProblem] = []
    if sex is not None and found.status == "definitive" and found.sex != sex:
        problems.append(NirProblem("sex_mismatch", {
            "sex": found.number[0],
            "number_sex": str(found.sex), "student_sex": sex}))
    if birth_date is not None:
        if found.birth_year != f"{birth_date.year % 100:02d}":
            problems.append(NirProblem("year_mismatch", {
                "number_year": found.birth_year, "student_year": str(birth_date.year)}))
        if found.birth_month is not None and found.birth_month != birth_date.month:
            problems.append(NirProblem("month_mismatch", {
                "number_month": f"{found.birth_month:02d}",
                "student_month": f"{birth_date.month:02d}"}))
    if country_of_birth is not None:
        in_france = country_of_birth in FRENCH_TERRITORIES
        if found.born_abroad and in_france:
            problems.append(NirProblem("born_abroad_mismatch", {"country": country_of_birth}))
        elif not found.born_abroad and not in_france and not (
                country_of_birth in NORTH_AFRICA and found.department in NORTH_AFRICA_CODES):
            problems.append(NirProblem("born_in_france_mismatch", {
                "department": found.department, "country": country_of_birth}))
    return tuple(problems)


def _holder(birth_date: Any, sex: Any) -> tuple[date | None, str | None]:
    """The holder's facts checked (an ISO date string is read), or :class:`InvalidInputError`
    naming every bad one."""
    problems = []
    if isinstance(birth_date, str):
        try:
            birth_date = date.fromisoformat(birth_date.strip())
        except ValueError:
            problems.append(Problem("birth_date", "expected a date (YYYY-MM-DD), got "
                                    f"{excerpt(birth_date)}"))
    elif birth_date is not None and not isinstance(birth_date, date):
        problems.append(Problem("birth_date", "expected a date (YYYY-MM-DD), got "
                                f"{excerpt(birth_date)}"))
    if sex is not None and sex not in SEXES.values():
        problems.append(Problem("sex", f"expected female or male, got {excerpt(sex)}"))
    if problems:
        raise InvalidInputError(problems)
    return birth_date, sex


SEXES = {"1": "male", "2": "female"}
#: ISO codes of the places whose births get a French department code (97x, 98x) [N3]
FRENCH_TERRITORIES = frozenset({"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF",
                                "PF", "NC", "TF"})
NORTH_AFRICA = frozenset({"DZ", "MA", "TN"})
NORTH_AFRICA_CODES = frozenset({"91", "92", "93", "94", "95", "96"})


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
