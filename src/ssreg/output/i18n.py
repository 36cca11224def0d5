"""Words in English, French and Spanish: the interface catalogue and Babel formatting.

Rule, fact, outcome, document, step and event labels and the reasons of conditions live
in the rulebook; the words that glue them into sentences live in the catalogue
(:mod:`ssreg.texts`).  This module formats the values put into them, by Babel (CLDR data,
imported only when a text is formatted): money, rates, numbers, dates (``1er septembre``
in French), country and language names.  Every finished text goes through
:func:`typeset`, the typography of its language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .. import texts
from ..texts import LANGUAGES, typeset


__all__ = ["LANGUAGES", "check_language", "colon", "country_name", "day",
           "fill", "language_name", "money", "number", "percent", "short_day", "show", "text",
           "typeset", "typeset_lines"]

_LOCALES = {"en": "en_IE", "fr": "fr_FR", "es": "es_ES"}


def typeset_lines(lines: list[str], lang: str) -> str:
    """Lines typeset one by one (each recurring line is typeset once) and joined."""
    return "\n".join(typeset(line, lang) for line in lines)


def check_language(lang: Any) -> str:
    if lang not in LANGUAGES:
        from ..exceptions import InvalidInputError, Problem
        from ..model.limits import excerpt

        raise InvalidInputError([Problem("lang", f"expected one of {', '.join(LANGUAGES)}, "
                                                 f"got {excerpt(lang)}")])
    return str(lang)


def text(key: str, lang: str, **values: Any) -> str:
    """A catalogue text with its values shown in the language (dates, money by Babel)."""
    return texts.message(key, lang, **{k: show(v, lang) for k, v in values.items()})


def colon(lang: str) -> str:
    """The label separator (the formatter makes the French space a narrow no-break one)."""
    return " : " if lang == "fr" else ": "


def day(value: date, lang: str) -> str:
    """A date in the language's long form: ``1er septembre 2026``, ``1 September 2026``."""
    from babel.dates import format_date

    shown = str(format_date(value, format="long", locale=_LOCALES[lang]))
    if lang == "fr" and value.day == 1:
        shown = "1er" + shown[1:]
    return shown


def short_day(value: date, lang: str) -> str:
    """A date in the language's short form, for tables (``10/03/2025``)."""
    from babel.dates import format_date

    return str(format_date(value, format="dd/MM/yyyy", locale=_LOCALES[lang]))


def money(amount: Decimal, lang: str) -> str:
    """An amount in euros in the language's format, e.g. ``19,00 €``."""
    from babel.numbers import format_currency

    return str(format_currency(amount, "EUR", locale=_LOCALES[lang]))


def number(amount: Decimal | int, lang: str, places: int = 2) -> str:
    """A number with a fixed count of decimals (``30,00`` in French, ``30.00`` in English)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return str(format_decimal(amount, format=pattern, locale=_LOCALES[lang]))


def percent(rate: Decimal, lang: str) -> str:
    """A rate as a percentage in the language's format, e.g. ``70 %``."""
    from babel.numbers import format_percent

    return str(format_percent(rate, locale=_LOCALES[lang]))


def language_name(code: str, lang: str) -> str:
    """A language's name in a language (``pt`` -> ``portugais``)."""
    from babel import Locale

    name = Locale.parse(_LOCALES[lang]).languages.get(code)
    return str(name) if name else code


def country_name(code: str, lang: str) -> str:
    from babel import Locale

    name = Locale.parse(_LOCALES[lang]).territories.get(code)
    return str(name) if name else code


def show(item: Any, lang: str) -> str:
    """A value as a reader sees it (dates and money by Babel)."""
    if item is None:
        return texts.message("value.unknown", lang)
    if isinstance(item, bool):
        return texts.message("value.yes" if item else "value.no", lang)
    if isinstance(item, date):
        return day(item, lang)
    if isinstance(item, Decimal):
        return money(item, lang)
    if isinstance(item, frozenset | set | tuple | list):
        return ", ".join(show(v, lang) for v in sorted(item, key=str))
    return str(item)


_PLACEHOLDER = re.compile(r"\{([\w:]+)\}")


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """A label with ``{name}`` placeholders filled from values (dates by Babel)."""
    return _PLACEHOLDER.sub(lambda m: show(values.get(m[1]), lang) if m[1] in values
                            else m[0], template)
