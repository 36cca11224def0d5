"""Questions and assumptions as people read them, in English, French or Spanish.

The question of a fact, the labels of its special answers and its sources are rule data
(:mod:`ssreg.rulebook.asking`); this module words the answers (yes, a value's label, a
range of dates or numbers), what each answer gives, the summary's ``open`` section, and an
assumption taken in the assume mode.  Their words are the catalogue's ``[asking]`` section
(``src/ssreg/texts/asking.toml``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rulebook.rulebook import Rulebook
from . import i18n


if TYPE_CHECKING:
    from ..registration.decision import Decision, Notice
    from ..registration.questions import Answer, Question


def word(key: str, lang: str, **values: Any) -> str:
    """A text of the catalogue's ``[asking]`` section (``src/ssreg/texts/asking.toml``)."""
    return i18n.text(f"asking.{key}", lang, **values)


def question_text(book: Rulebook, question: Question | str, lang: str) -> str:
    """The question, as written in the rulebook, typeset for the language."""
    name = question if isinstance(question, str) else question.fact
    return i18n.typeset(book.facts[name].question[lang], lang)


def value_label(book: Rulebook, fact: str, value: Any, lang: str) -> str:
    """One answer value as a person reads it: a special answer's label, yes or no, a
    value's vocabulary label, a date or a number."""
    from .reasons import value_text

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
        return "; ".join(f"{i18n.text('word.' + (k if k != 'top_up' else 'top_up_paid'), lang)}"
                         f"{i18n.colon(lang)}{i18n.money(v, lang)}" for k, v in value.items())
    spec = book.decisions.get(name)
    fact = spec.outputs[0] if spec is not None and spec.outputs else name
    if isinstance(value, tuple | list):
        return ", ".join(book.label(f"{fact}.{v}", lang) for v in value) or \
            word("none", lang)
    if value is None:
        return word("none", lang)
    return book.label(f"{fact}.{value}", lang)


def settles_label(book: Rulebook, name: str, lang: str) -> str:
    """What a question settles, named: an answer's label (``Registration route``) or a
    claim's number (``claim 1``)."""
    spec = book.decisions.get(name)
    if spec is not None:
        return i18n.typeset(spec.label[lang], lang)
    if name.startswith("claims[") and name.endswith("]"):
        return word("claim", lang, number=int(name[7:-1]) + 1)
    return name


def gives(book: Rulebook, answer: Answer, name: str, lang: str) -> str:
    """What an answer gives for one open answer ``name``."""
    if name in answer.open:
        return word("still_open", lang)
    return i18n.fill(outcome_label(book, name, answer.outcomes.get(name), lang), answer.values,
                     lang)


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
    data["text"] = question_text(book, question, lang)
    data["label"] = i18n.typeset(spec.label[lang], lang)
    if question.values:
        data["value_labels"] = [i18n.typeset(value_label(book, question.fact, v, lang), lang)
                                for v in question.values]
    for answer, raw in zip(question.answers, data["answers"], strict=True):
        raw["label"] = i18n.typeset(answer_label(book, question, answer, lang), lang)
        raw["gives"] = {name: i18n.typeset(gives(book, answer, name, lang), lang)
                        for name in question.settles}
    return data


def open_items(decision: Decision, lang: str) -> tuple[str, ...]:
    """The summary's ``open`` section: for the route (or, once the route is known, the
    stage) when not known yet, how many answers it depends on and the first question, then
    what each of its answers would give (``yes: Contact the CPAM...``)."""
    book, c = decision.book, i18n.colon(lang)
    lines: list[str] = []
    if not any(name in decision.open for name in ("route", "stage")):
        return ()
    questions = decision.questions
    for name in ("route", "stage"):
        if name not in decision.open or (name == "stage" and "route" in decision.open):
            continue  # a stage open with the route follows it: the route's question first
        asking = [q for q in questions if name in q.settles or name in q.affects]
        if not asking:
            continue
        first = asking[0]
        how = word("depends_one", lang) if len(asking) == 1 else \
            word("depends_many", lang, count=len(asking))
        label = book.decisions[name].label[lang]
        lines.append(f"{label}{c}{how}{c}{question_text(book, first, lang)}")
        lines += [f"{answers}{c}{text}" for answers, text in grouped(book, first, name, lang)]
    return tuple(lines)


def notice_text(book: Rulebook, notice: Notice, lang: str) -> str | None:
    """The text of an assumption taken in the assume mode (``None`` for other codes)."""
    if notice.code != "assumed":
        return None
    fact = str(notice.values["fact"])
    label = book.facts[fact].label[lang]
    return i18n.typeset(word("assumed", lang, fact=label[:1].upper() + label[1:],
                             answer=value_label(book, fact, notice.values["value"], lang)),
                        lang)


def open_event_text(book: Rulebook, event: str, facts: list[str], lang: str) -> str:
    """Why an event cannot be recorded yet: whether it is allowed depends on facts not
    given (named by their labels)."""
    from .reasons import event_name

    labels = "; ".join(book.facts[f].label[lang] for f in facts if f in book.facts)
    return i18n.typeset(word("event_open", lang, event=event_name(book, event, lang),
                             facts=labels), lang)
