"""Kinds of codes checked against CLDR (through Babel): countries, languages, years.

Babel's locale data is loaded on the first check of a country or language code, not
when ``ssreg`` is imported.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from .kinds import Found, Kind, _expected
from .limits import excerpt


# CLDR's "exceptionally reserved" and private-use codes that are not countries
_NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN",
                            "XA", "XB", "ZZ"})
_EXTRA_HINTS = {"EL": "GR"}  # the EU's own code for Greece


@cache
def country_codes() -> frozenset[str]:
    """Current ISO 3166-1 two-letter codes, from CLDR (Babel), plus XK (Kosovo)."""
    from babel import Locale
    from babel.core import get_global

    currencies = get_global("territory_currencies")
    return frozenset(code for code in Locale("en").territories
                     if isinstance(code, str) and len(code) == 2 and code.isalpha()
                     and code in currencies and code not in _NOT_COUNTRIES)


@cache
def _country_hints() -> dict[str, str]:
    from babel.core import get_global

    hints = {old: new[0] for old, new in get_global("territory_aliases").items()
             if len(old) == 2 and old.isalpha() and len(new) == 1}
    hints.update(_EXTRA_HINTS)
    return hints


class CountryKind(Kind):
    description = "an ISO 3166 two-letter country code"

    def convert(self, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) and len(value) <= 8 else value

    def check(self, value: Any) -> Found:
        if isinstance(value, str) and value in country_codes():
            return []
        hint = _country_hints().get(value) if isinstance(value, str) else None
        more = f" (for this country write {hint!r})" if hint else ""
        return [("", f"expected an ISO 3166 two-letter country code such as 'FR' or 'BR', "
                     f"got {excerpt(value)}{more}")]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        defs.setdefault("CountryCode", {"type": "string", "enum": sorted(country_codes()),
                                        "description": "ISO 3166-1 alpha-2 country code "
                                                       "(upper case; GB, not UK)"})
        return {"$ref": "#/$defs/CountryCode"}


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 two-letter language codes, from CLDR (Babel)."""
    from babel import Locale

    return frozenset(code for code in Locale("en").languages
                     if isinstance(code, str) and len(code) == 2 and code.isalpha())


class LanguageKind(Kind):
    description = "an ISO 639-1 two-letter language code"

    def convert(self, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) and len(value) <= 8 else value

    def check(self, value: Any) -> Found:
        if isinstance(value, str) and value in language_codes():
            return []
        return [("", f"expected an ISO 639-1 two-letter language code such as 'fr' or 'pt', "
                     f"got {excerpt(value)}")]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        defs.setdefault("LanguageCode", {"type": "string", "enum": sorted(language_codes()),
                                         "description": "ISO 639-1 language code"})
        return {"$ref": "#/$defs/LanguageCode"}


_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")


class AcademicYearKind(Kind):
    description = "an academic year like '2026-2027'"

    def convert(self, value: Any) -> Any:
        return value.strip() if isinstance(value, str) and len(value) <= 20 else value

    def check(self, value: Any) -> Found:
        match = _YEAR.fullmatch(value) if isinstance(value, str) else None
        if match and int(match[2]) == int(match[1]) + 1 and 1 <= int(match[1]) <= 9998:
            return []
        return _expected("an academic year like '2026-2027'", value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}-\d{4}$"}


# containers -----------------------------------------------------------------------------
