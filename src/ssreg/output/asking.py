"""Questions and assumptions as people read them, in English, French or Spanish.

The question of a fact, the labels of its special answers and its sources are rule data
(:mod:`ssreg.rulebook.asking`); this module words the answers (yes, a value's label, a
range of dates or numbers), what each answer gives, the line of the summary for an open
answer, and an assumption taken in the assume mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rulebook.rulebook import Rulebook
from . import i18n


if TYPE_CHECKING:
    from ..registration.decision import Decision, Notice
    from ..registration.questions import Answer, Question


def _t(en: str, fr: str, es: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es}


WORDS: dict[str, dict[str, str]] = {
    "before": _t("before {date}", "avant le {date}", "antes del {date}"),
    "any_date": _t("any date", "toute date", "cualquier fecha"),
    "from_date": _t("from {date}", "à partir du {date}", "a partir del {date}"),
    "between_dates": _t("from {low} to {high}", "du {low} au {high}", "del {low} al {high}"),
    "at_most": _t("{high} or less", "{high} ou moins", "{high} o menos"),
    "at_least": _t("{low} or more", "{low} ou plus", "{low} o más"),
    "between": _t("{low} to {high}", "de {low} à {high}", "de {low} a {high}"),
    "depends_one": _t("depends on one answer", "dépend d'une réponse",
                      "depende de una respuesta"),
    "depends_many": _t("depends on {count} answers; the first", "dépend de {count} réponses ; "
                       "la première", "depende de {count} respuestas; la primera"),
    "still_open": _t("still depends on other answers", "dépend encore d'autres réponses",
                     "depende aún de otras respuestas"),
    "may_be_needed": _t("May also be needed, depending on your answers",
                        "Peut aussi être demandé, selon vos réponses",
                        "También puede ser necesario, según sus respuestas"),
    "questions": _t("Questions that would settle the answer",
                    "Questions qui permettraient de trancher",
                    "Preguntas que permitirían decidir"),
    "assumed": _t("{fact}: {answer} (assumed, not given)",
                  "{fact} : {answer} (supposé, non indiqué)",
                  "{fact}: {answer} (supuesto, no indicado)"),
    "open": _t("open", "ouvert", "abierto"),
    "or": _t("{first}, or {last}", "{first}, ou {last}", "{first}, o {last}"),
    "not_settled": _t("{values} (not settled)", "{values} (non tranché)",
                      "{values} (sin decidir)"),
}


def word(key: str, lang: str, **values: Any) -> str:
    return WORDS[key][lang].format(**values)


def question_text(book: Rulebook, question: Question | str, lang: str) -> str:
    """The question, as written in the rulebook."""
    name = question if isinstance(question, str) else question.fact
    return book.facts[name].question[lang]


def value_label(book: Rulebook, fact: str, value: Any, lang: str) -> str:
    """One answer value as a person reads it: a special answer's label, yes or no, a
    value's vocabulary label, a date or a number."""
    from .labels import value_text

    spec = book.facts.get(fact)
    if spec is not None and isinstance(value, str) and value in spec.answers:
        return spec.answers[value][lang]
    return value_text(book, fact, value, lang)


def answer_label(book: Rulebook, question: Question, answer: Answer, lang: str) -> str:
    """An answer: its value, or its range (``before 31 August 2027``, ``4 or more``)."""
    if not answer.is_range:
        return value_label(book, question.fact, answer.value, lang)
    low, high = answer.low, answer.high
    if question.type == "date":
        from datetime import timedelta

        if low is None and high is None:
            return word("any_date", lang)
        if low is None:
            return word("before", lang, date=i18n.day(high + timedelta(days=1), lang))
        if high is None:
            return word("from_date", lang, date=i18n.day(low, lang))
        return word("between_dates", lang, low=i18n.day(low, lang), high=i18n.day(high, lang))
    if high is None:
        return word("at_least", lang, low=low)
    if low is None or low == 0:
        return word("at_most", lang, high=high)
    if low == high:
        return str(low)
    return word("between", lang, low=low, high=high)


def outcome_label(book: Rulebook, name: str, value: Any, lang: str) -> str:
    """An answer's value (a route, a list of documents, a price) in words."""
    if isinstance(value, dict):  # a claim's price
        return "; ".join(f"{i18n.text(k if k != 'top_up' else 'top_up_paid', lang)}"
                         f"{i18n.colon(lang)}{i18n.money(v, lang)}" for k, v in value.items())
    spec = book.decisions.get(name)
    fact = spec.outputs[0] if spec is not None and spec.outputs else name
    if isinstance(value, tuple | list):
        return ", ".join(book.label(f"{fact}.{v}", lang) for v in value) or \
            i18n.text("none", lang)
    if value is None:
        return i18n.text("none", lang)
    return book.label(f"{fact}.{value}", lang)


def gives(book: Rulebook, answer: Answer, name: str, lang: str) -> str:
    """What an answer gives for one open answer ``name``."""
    if name in answer.open:
        return word("still_open", lang)
    return outcome_label(book, name, answer.outcomes.get(name), lang)


def grouped(book: Rulebook, question: Question, name: str, lang: str) -> list[tuple[str, str]]:
    """The answers of a question for one open answer ``name``, as ``(answers, gives)``:
    adjacent ranges that give the same merged, answers that give the same listed
    together (``I have no card, or before 31 August 2027``)."""
    import attrs

    merged: list[tuple[Answer, str]] = []
    for answer in question.answers:
        text = gives(book, answer, name, lang)
        if merged and answer.is_range and merged[-1][0].is_range and merged[-1][1] == text:
            merged[-1] = (attrs.evolve(merged[-1][0], high=answer.high), text)
        else:
            merged.append((answer, text))
    found: dict[str, list[str]] = {}
    for answer, text in merged:
        found.setdefault(text, []).append(answer_label(book, question, answer, lang))
    return [(_listed(labels, lang), text) for text, labels in found.items()]


def _listed(labels: list[str], lang: str) -> str:
    if len(labels) == 1:
        return labels[0]
    return word("or", lang, first=", ".join(labels[:-1]), last=labels[-1])


def question_dict(book: Rulebook, question: Question, lang: str | None) -> dict[str, Any]:
    """A question's JSON form; with ``lang``, its text and every label too."""
    data = question.to_dict()
    spec = book.facts[question.fact]
    data["texts"] = dict(spec.question)
    if lang is None:
        return data
    data["text"] = spec.question[lang]
    data["label"] = spec.label[lang]
    if question.values:
        data["value_labels"] = [value_label(book, question.fact, v, lang)
                                for v in question.values]
    for answer, raw in zip(question.answers, data["answers"], strict=True):
        raw["label"] = answer_label(book, question, answer, lang)
        raw["gives"] = {name: gives(book, answer, name, lang) for name in question.settles}
    return data


def open_lines(decision: Decision, lang: str) -> list[str]:
    """The summary's lines for open answers: what each depends on, answer by answer."""
    book, c = decision.book, i18n.colon(lang)
    lines: list[str] = []
    questions = decision.questions
    for name in ("route", "stage"):
        if name not in decision.open:
            continue
        asking = [q for q in questions if name in q.settles]
        if not asking:
            continue
        first = asking[0]
        how = word("depends_one", lang) if len(asking) == 1 else \
            word("depends_many", lang, count=len(asking))
        label = book.decisions[name].label[lang]
        lines.append(f"{label}{c}{how}{c.rstrip()}")
        lines.append(f"  {question_text(book, first, lang)}")
        for answers, text in grouped(book, first, name, lang):
            lines.append(f"  - {answers}{c}{text}")
    return lines


def notice_text(book: Rulebook, notice: Notice, lang: str) -> str | None:
    """The text of an assumption taken in the assume mode (``None`` for other codes)."""
    if notice.code != "assumed":
        return None
    fact = str(notice.values["fact"])
    return word("assumed", lang, fact=book.facts[fact].label[lang],
                answer=value_label(book, fact, notice.values["value"], lang))
