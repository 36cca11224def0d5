"""Interface texts in English, French and Spanish, and Babel-based formatting.

Rule, fact, outcome, document, step and event labels live in the rulebook; this module
holds the words that glue them into sentences, the labels of statuses and codes that
are not rule data, and the formatting of money, rates and dates by Babel (CLDR data),
imported only when a text is formatted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any


LANGUAGES = ("en", "fr", "es")
_LOCALES = {"en": "en_IE", "fr": "fr_FR", "es": "es_ES"}


def _t(en: str, fr: str, es: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es}


MESSAGES: dict[str, dict[str, str]] = {
    "decision_on": _t("Decision on {date}", "Décision au {date}", "Decisión a fecha de {date}"),
    "academic_year": _t("Academic year: {year}", "Année universitaire : {year}",
                        "Curso académico: {year}"),
    "because": _t("because", "parce que", "porque"),
    "sources": _t("Sources", "Sources", "Fuentes"),
    "source_kind.law": _t("law or regulation", "texte officiel (loi, décret, arrêté)",
                          "texto oficial (ley, decreto, orden)"),
    "source_kind.guidance": _t("official guidance", "information officielle",
                               "información oficial"),
    "source_kind.institution": _t("institution", "établissement", "institución"),
    "source_kind.secondary": _t("secondary source", "source secondaire",
                                "fuente secundaria"),
    "why_not": _t("Rules that did not apply", "Règles non appliquées",
                  "Reglas que no se aplicaron"),
    "parameters": _t("Values used", "Valeurs utilisées", "Valores utilizados"),
    "rules_applied": _t("Rules applied", "Règles appliquées", "Reglas aplicadas"),
    "pages": _t("Pages explaining these rules and values",
                "Pages qui expliquent ces règles et ces valeurs",
                "Páginas que explican estas reglas y estos valores"),
    "since": _t("since {date}", "depuis le {date}", "desde el {date}"),
    "until": _t("until {date}", "jusqu'au {date}", "hasta el {date}"),
    "overridden": _t("set by the caller", "fixée par l'appelant", "fijado por quien llama"),
    "uncertain": _t("uncertain", "incertain", "incierto"),
    "disputed": _t("sources disagree; other option", "les sources divergent ; autre option",
                   "las fuentes difieren; otra opción"),
    "is": _t("is", "vaut", "es"),
    "unknown": _t("not given", "non renseigné", "no indicado"),
    "yes": _t("yes", "oui", "sí"),
    "no": _t("no", "non", "no"),
    "none": _t("none", "aucun", "ninguno"),
    "op.==": _t("required", "requis", "requerido"),
    "op.!=": _t("required: not", "requis : autre que", "requerido: distinto de"),
    "op.<": _t("required: less than", "requis : moins de", "requerido: menos de"),
    "op.<=": _t("required: at most", "requis : au plus", "requerido: como máximo"),
    "op.>": _t("required: more than", "requis : plus de", "requerido: más de"),
    "op.>=": _t("required: at least", "requis : au moins", "requerido: al menos"),
    "op.in": _t("required: one of", "requis : l'un de", "requerido: uno de"),
    "op.not_in": _t("required: none of", "requis : aucun de", "requerido: ninguno de"),
    "negated": _t("(the rule excludes this)", "(la règle exclut ce cas)",
                  "(la regla excluye este caso)"),
    "checklist": _t("Documents", "Pièces justificatives", "Documentos"),
    "no_documents": _t("No documents to provide on this route.",
                       "Aucune pièce à fournir pour cette démarche.",
                       "No hay documentos que aportar en este trámite."),
    "complete": _t("complete", "complet", "completo"),
    "incomplete": _t("incomplete", "incomplet", "incompleto"),
    "alternatives": _t("any one of", "l'un des documents suivants", "uno de los siguientes"),
    "satisfied_by": _t("provided:", "fourni :", "aportado:"),
    "blocked_step": _t("Holds up", "Bloque l'étape", "Bloquea el paso"),
    "reimbursements": _t("Reimbursements", "Remboursements", "Reembolsos"),
    "billed": _t("billed", "facturé", "facturado"),
    "amo": _t("Assurance Maladie", "Assurance Maladie", "Assurance Maladie"),
    "top_up_paid": _t("top-up", "complémentaire", "complementario"),
    "patient": _t("you pay", "reste à charge", "a su cargo"),
    "base": _t("base", "base de remboursement", "base de reembolso"),
    "rate": _t("rate", "taux", "tasa"),
    "deductions": _t("deductions", "déductions", "deducciones"),
    "warnings": _t("Warnings", "Avertissements", "Avisos"),
    "assumptions": _t("Assumed", "Hypothèses retenues", "Supuestos"),
    "route": _t("What to do", "Que faire", "Qué hacer"),
    "blocking": _t("Blocking", "Bloquant", "Bloqueo"),
    "stay_co_payment_holds": _t(
        "the co-payment ({co_payment}) holds the daily charges ({charges}): you pay the "
        "co-payment, not both",
        "le ticket modérateur ({co_payment}) absorbe le forfait hospitalier ({charges}) : "
        "vous payez le ticket modérateur, pas les deux",
        "el copago ({co_payment}) absorbe el cargo diario ({charges}): usted paga el "
        "copago, no ambos"),
    "stay_charges_hold": _t(
        "the daily charges ({charges}) hold the co-payment ({co_payment}): you pay the "
        "daily charges, not both",
        "le forfait hospitalier ({charges}) absorbe le ticket modérateur ({co_payment}) : "
        "vous payez le forfait, pas les deux",
        "el cargo diario ({charges}) absorbe el copago ({co_payment}): usted paga el "
        "cargo diario, no ambos"),
    "css": _t("Complémentaire santé solidaire", "Complémentaire santé solidaire",
              "Complémentaire santé solidaire"),
    "per_month": _t("{amount} a month", "{amount} par mois", "{amount} al mes"),
    "to_bring": _t("Documents to provide", "Pièces à fournir", "Documentos que aportar"),
    "next_steps": _t("Next steps", "Prochaines étapes", "Próximos pasos"),
    "stage": _t("Where you are", "Où vous en êtes", "Dónde está"),
    "refused": _t("Not possible yet", "Pas encore possible", "Aún no es posible"),
    "done": _t("Done", "Fait", "Hecho"),
    "missing": _t("missing", "manquant", "falta"),
    "actor.student": _t("you", "vous", "usted"),
    "actor.institution": _t("your institution", "votre établissement", "su centro"),
    "actor.cpam": _t("the Assurance Maladie", "l'Assurance Maladie", "la Assurance Maladie"),
    "actor.doctor": _t("your doctor", "votre médecin", "su médico"),
    "needs": _t("needs", "il faut", "se necesita"),
    "claim_refused": _t("refused", "refusée", "rechazada"),
    "total": _t("total", "total", "total"),
    # statuses of checklist items
    "status.satisfied": _t("OK", "OK", "OK"),
    "status.missing": _t("missing", "manquant", "falta"),
    "status.expired": _t("expired", "expiré", "caducado"),
    "status.wrong_academic_year": _t("not for the academic year applied for",
                                     "pas pour l'année universitaire demandée",
                                     "no es del curso académico solicitado"),
    "status.needs_translation": _t("needs a certified translation",
                                   "traduction certifiée nécessaire",
                                   "necesita una traducción jurada"),
    "status.rejected": _t("rejected", "refusé", "rechazado"),
    "status.invalid": _t("invalid", "invalide", "no válido"),
    "status.insufficient": _t("below the minimum amount", "inférieur au minimum",
                              "por debajo del mínimo"),
    "status.to_check": _t("to check", "à vérifier", "a comprobar"),
    "document_status.held": _t("held", "en votre possession", "en su poder"),
    "document_status.uploaded": _t("uploaded", "envoyé", "subido"),
    "document_status.accepted": _t("accepted", "accepté", "aceptado"),
    "document_status.rejected": _t("rejected", "refusé", "rechazado"),
    "blocked.provisional_certificate": _t("the provisional certificate and number",
                                          "l'attestation et le numéro provisoires",
                                          "el certificado y el número provisionales"),
    "blocked.final_certificate": _t("the final certificate", "l'attestation définitive",
                                    "el certificado definitivo"),
    # details of document findings
    "detail.expired_on": _t("expired on {date}", "expiré le {date}", "caducó el {date}"),
    "detail.ends_before_year_end": _t("ends on {date}, before the academic year ends ({end})",
                                      "expire le {date}, avant la fin de l'année universitaire "
                                      "({end})", "caduca el {date}, antes del final del curso "
                                      "({end})"),
    "detail.academic_year_not_given": _t("academic year not given (expected {expected})",
                                         "année universitaire non indiquée (attendue : "
                                         "{expected})", "curso no indicado (se esperaba "
                                         "{expected})"),
    "detail.academic_year_differs": _t("for {year}, not {expected}",
                                       "pour {year}, pas {expected}",
                                       "para {year}, no {expected}"),
    "detail.language": _t("written in {language}", "rédigé en {language}",
                          "redactado en {language}"),
    "detail.language_not_given": _t("language not given", "langue non indiquée",
                                    "idioma no indicado"),
    "detail.iban_missing": _t("no IBAN given", "aucun IBAN indiqué", "no se indicó el IBAN"),
    "detail.iban_checksum": _t("the IBAN's check digits are wrong",
                               "la clé de contrôle de l'IBAN est erronée",
                               "los dígitos de control del IBAN son erróneos"),
    "detail.iban_length": _t("the IBAN has the wrong length for its country",
                             "l'IBAN n'a pas la bonne longueur pour son pays",
                             "el IBAN no tiene la longitud correcta para su país"),
    "detail.iban_country": _t("the IBAN's country code is unknown",
                              "le code pays de l'IBAN est inconnu",
                              "el código de país del IBAN es desconocido"),
    "detail.iban_format": _t("not an IBAN (letters and digits as printed by your bank)",
                             "pas un IBAN (lettres et chiffres tels que donnés par votre banque)",
                             "no es un IBAN (letras y cifras tal como los da su banco)"),
    "detail.iban_not_french": _t("account in {country}; a French account is required "
                                 "(a disputed point, as chosen)",
                                 "compte en {country} ; un compte français est exigé "
                                 "(point disputé, selon le choix retenu)",
                                 "cuenta en {country}; se exige una cuenta francesa "
                                 "(punto discutido, según la opción elegida)"),
    "detail.below_minimum": _t("{amount} per month, below {minimum} per month",
                               "{amount} par mois, en dessous de {minimum} par mois",
                               "{amount} al mes, por debajo de {minimum} al mes"),
    "detail.rejected_because": _t("reason: {reason}", "motif : {reason}", "motivo: {reason}"),
    # warnings and assumptions that are not rule data
    "notice.after_rulebook_horizon": _t(
        "The rules cover sources published up to {horizon}; anything decided later is not "
        "included.",
        "Les règles couvrent les sources publiées jusqu'au {horizon} ; ce qui a été décidé "
        "depuis n'est pas pris en compte.",
        "Las reglas cubren las fuentes publicadas hasta el {horizon}; lo decidido después no "
        "se incluye."),
    "notice.academic_year_from_evaluation_date": _t(
        "Academic year {year} assumed from the evaluation date: give the year applied for "
        "or the arrival date.",
        "Année universitaire {year} déduite de la date d'évaluation : indiquez l'année "
        "demandée ou la date d'arrivée.",
        "Curso académico {year} deducido de la fecha de evaluación: indique el curso "
        "solicitado o la fecha de llegada."),
    "notice.academic_year_from_arrival_date": _t(
        "Academic year {year} derived from the arrival date ({arrival_date}).",
        "Année universitaire {year} déduite de la date d'arrivée ({arrival_date}).",
        "Curso académico {year} deducido de la fecha de llegada ({arrival_date})."),
    "assumption.referent_doctor_declared_not_given": _t(
        "no médecin traitant declared (not given): outside the pathway",
        "pas de médecin traitant déclaré (non indiqué) : hors parcours",
        "sin médecin traitant declarado (no indicado): fuera del recorrido"),
    "assumption.referent_doctor_seen_assumed": _t(
        "the GP seen is assumed to be your médecin traitant (not given)",
        "le généraliste consulté est supposé être votre médecin traitant (non indiqué)",
        "se supone que el médico general es su médecin traitant (no indicado)"),
    "assumption.referred_not_given": _t(
        "not referred by the médecin traitant (not given)",
        "non adressé par le médecin traitant (non indiqué)",
        "no derivado por el médecin traitant (no indicado)"),
    "assumption.provider_not_given": _t(
        "professional not given: acts of the same care type that day count as one "
        "professional for the daily cap",
        "professionnel non indiqué : les actes du même type ce jour-là comptent comme un seul "
        "professionnel pour le plafond journalier",
        "profesional no indicado: los actos del mismo tipo ese día cuentan como un solo "
        "profesional para el tope diario"),
    "assumption.age_on_january_1_assumed": _t(
        "birth date not given: 18 on 1 January is assumed, so the participation forfaitaire "
        "is charged (give the birth date: born after 1 January, you pay none this year)",
        "date de naissance non indiquée : 18 ans au 1er janvier est supposé, la participation "
        "forfaitaire est donc due (indiquez la date de naissance : né(e) après le 1er janvier, "
        "vous n'en payez pas cette année)",
        "fecha de nacimiento no indicada: se suponen 18 años el 1 de enero, por lo que se "
        "cobra la participation forfaitaire (indique la fecha de nacimiento: si nació después "
        "del 1 de enero, no la paga este año)"),
    "assumption.optics_item_not_given": _t(
        "optics item not given: glasses with simple lenses (the lowest cap of a contrat "
        "responsable)",
        "équipement optique non indiqué : lunettes à verres simples (le plafond le plus bas "
        "d'un contrat responsable)",
        "equipo óptico no indicado: gafas con cristales simples (el tope más bajo de un "
        "contrat responsable)"),
    "assumption.pregnancy_start_estimated": _t(
        "start of the pregnancy estimated 9 months before the delivery date (not given)",
        "début de grossesse estimé 9 mois avant la date d'accouchement (non indiqué)",
        "inicio del embarazo estimado 9 meses antes de la fecha del parto (no indicado)"),
    "assumption.delivery_date_estimated": _t(
        "delivery date estimated 9 months after the start of the pregnancy (not given)",
        "date d'accouchement estimée 9 mois après le début de grossesse (non indiquée)",
        "fecha del parto estimada 9 meses después del inicio del embarazo (no indicada)"),
    "warning_claim.after_rulebook_horizon": _t(
        "date of care after the newest source of the rules",
        "date des soins postérieure à la source la plus récente des règles",
        "fecha de la atención posterior a la fuente más reciente de las reglas"),
}


def check_language(lang: Any) -> str:
    if lang not in LANGUAGES:
        from ..exceptions import InvalidInputError, Problem
        from ..model.limits import excerpt

        raise InvalidInputError([Problem("lang", f"expected one of {', '.join(LANGUAGES)}, "
                                                 f"got {excerpt(lang)}")])
    return str(lang)


def text(key: str, lang: str, **values: Any) -> str:
    return MESSAGES[key][lang].format(**{k: show(v, lang) for k, v in values.items()})


def colon(lang: str) -> str:
    """The label separator: French typography puts a space before the colon."""
    return " : " if lang == "fr" else ": "


def day(value: date, lang: str) -> str:
    """A date in the language's long form, e.g. ``26 novembre 2026``."""
    from babel.dates import format_date

    return str(format_date(value, format="long", locale=_LOCALES[lang]))


def money(amount: Decimal, lang: str) -> str:
    """An amount in euros in the language's format, e.g. ``19,00 €``."""
    from babel.numbers import format_currency

    return str(format_currency(amount, "EUR", locale=_LOCALES[lang]))


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
        return text("unknown", lang)
    if isinstance(item, bool):
        return text("yes" if item else "no", lang)
    if isinstance(item, date):
        return day(item, lang)
    if isinstance(item, Decimal):
        return money(item, lang)
    if isinstance(item, frozenset | set | tuple | list):
        return ", ".join(show(v, lang) for v in sorted(item, key=str))
    return str(item)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """A label with ``{name}`` placeholders filled from values (dates by Babel)."""
    return _PLACEHOLDER.sub(lambda m: show(values.get(m[1]), lang) if m[1] in values
                            else m[0], template)
