"""Interface texts in English, French and Spanish, and Babel-based formatting.

Rule, fact and outcome labels live in the rulebook; this module only holds the few words
that glue them into sentences.  Money and dates are formatted by Babel (CLDR data), not
by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_percent


LANGUAGES = ("en", "fr", "es")
_LOCALES = {"en": "en_IE", "fr": "fr_FR", "es": "es_ES"}

MESSAGES: dict[str, dict[str, str]] = {
    "decision_on": {"en": "Decision on {date}", "fr": "Décision au {date}",
                    "es": "Decisión a fecha de {date}"},
    "because": {"en": "because", "fr": "parce que", "es": "porque"},
    "sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "why_not": {"en": "Rules that did not apply", "fr": "Règles non appliquées",
                "es": "Reglas que no se aplicaron"},
    "parameters": {"en": "Values used", "fr": "Valeurs utilisées",
                   "es": "Valores utilizados"},
    "since": {"en": "since {date}", "fr": "depuis le {date}", "es": "desde el {date}"},
    "until": {"en": "until {date}", "fr": "jusqu'au {date}", "es": "hasta el {date}"},
    "overridden": {"en": "overridden by the caller", "fr": "remplacée par l'appelant",
                   "es": "sustituido por quien llama"},
    "disputed": {"en": "sources disagree; other option",
                 "fr": "les sources divergent ; autre option",
                 "es": "las fuentes difieren; otra opción"},
    "is": {"en": "is", "fr": "vaut", "es": "es"},
    "unknown": {"en": "not given", "fr": "non renseigné", "es": "no indicado"},
    "yes": {"en": "yes", "fr": "oui", "es": "sí"},
    "no": {"en": "no", "fr": "non", "es": "no"},
    "none": {"en": "none", "fr": "aucune", "es": "ninguna"},
    "op.==": {"en": "required", "fr": "requis", "es": "requerido"},
    "op.!=": {"en": "required: not", "fr": "requis : autre que", "es": "requerido: distinto de"},
    "op.<": {"en": "required: less than", "fr": "requis : moins de", "es": "requerido: menos de"},
    "op.<=": {"en": "required: at most", "fr": "requis : au plus", "es": "requerido: como máximo"},
    "op.>": {"en": "required: more than", "fr": "requis : plus de", "es": "requerido: más de"},
    "op.>=": {"en": "required: at least", "fr": "requis : au moins", "es": "requerido: al menos"},
    "op.in": {"en": "required: one of", "fr": "requis : l'un de", "es": "requerido: uno de"},
    "op.not_in": {"en": "required: none of", "fr": "requis : aucun de",
                  "es": "requerido: ninguno de"},
    "negated": {"en": "(the rule excludes this)", "fr": "(la règle exclut ce cas)",
                "es": "(la regla excluye este caso)"},
    "checklist": {"en": "Documents", "fr": "Pièces justificatives", "es": "Documentos"},
    "complete": {"en": "complete", "fr": "complet", "es": "completo"},
    "incomplete": {"en": "incomplete", "fr": "incomplet", "es": "incompleto"},
    "alternatives": {"en": "any one of", "fr": "l'un des documents suivants",
                     "es": "uno de los siguientes"},
    "satisfied_by": {"en": "satisfied by", "fr": "fourni :", "es": "aportado:"},
    "blocks_next": {"en": "Blocks the next step", "fr": "Bloque l'étape suivante",
                    "es": "Bloquea el paso siguiente"},
    "reimbursements": {"en": "Reimbursements", "fr": "Remboursements",
                       "es": "Reembolsos"},
    "billed": {"en": "billed", "fr": "facturé", "es": "facturado"},
    "amo": {"en": "Assurance Maladie", "fr": "Assurance Maladie", "es": "Assurance Maladie"},
    "top_up_paid": {"en": "top-up", "fr": "complémentaire", "es": "complementario"},
    "patient": {"en": "you pay", "fr": "reste à charge", "es": "a su cargo"},
    "base": {"en": "base", "fr": "base de remboursement", "es": "base de reembolso"},
    "rate": {"en": "rate", "fr": "taux", "es": "tasa"},
    "deductions": {"en": "deductions", "fr": "déductions", "es": "deducciones"},
}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        from .exceptions import InvalidCaseError, Problem

        raise InvalidCaseError([Problem("lang", f"expected one of {', '.join(LANGUAGES)}, "
                                                f"got {lang!r}")])
    return lang


def text(key: str, lang: str, **values: str) -> str:
    return MESSAGES[key][lang].format(**values)


def colon(lang: str) -> str:
    """The label separator: French typography puts a space before the colon."""
    return " : " if lang == "fr" else ": "


def day(value: date, lang: str) -> str:
    """A date in the language's long form, e.g. ``26 novembre 2026``."""
    return format_date(value, format="long", locale=lang)


def money(amount: Decimal, lang: str) -> str:
    """An amount in euros in the language's format, e.g. ``19,00 €``."""
    return format_currency(amount, "EUR", locale=_LOCALES[lang])


def percent(rate: Decimal, lang: str) -> str:
    """A rate as a percentage in the language's format, e.g. ``70 %``."""
    return format_percent(rate, locale=_LOCALES[lang])


def value(item: Any, lang: str) -> str:
    """A fact value as a reader sees it."""
    if item is None:
        return text("unknown", lang)
    if isinstance(item, bool):
        return text("yes" if item else "no", lang)
    if isinstance(item, date):
        return day(item, lang)
    if isinstance(item, frozenset | set | tuple | list):
        return ", ".join(value(v, lang) for v in sorted(item, key=str))
    return str(item)
