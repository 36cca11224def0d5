"""Why not, in words a student can read: the authored reasons of failed conditions.

Each condition of a case or dossier rule has its reason in the rulebook (``[reasons]``,
written beside the rules in English, French and Spanish); here it is chosen for the actual
value and filled with labels in the reader's language.  The mechanical form (fact, actual,
required) stays in the trace for developers (``failed`` in the JSON form).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import Failure, Unknown
from ..rulebook.rulebook import Rulebook
from . import i18n


if TYPE_CHECKING:
    from ..registration.workflow import RefusedEvent

_PLACEHOLDER = re.compile(r"\{([\w:]+)\}")


def value_text(book: Rulebook, name: str, value: Any, lang: str) -> str:
    """A fact's or a parameter's value as a person reads it (labels, country names); one
    not known yet is "not given", or the values still possible (``online, cpam (not
    settled)``)."""
    if isinstance(value, Unknown):
        if value.possible is None:
            return i18n.text("value.unknown", lang)
        shown = [v for v in value.possible if v is not None]
        return i18n.text("asking.not_settled", lang,
                         values=value_text(book, name, shown, lang))
    if isinstance(value, frozenset | set | tuple | list):
        return ", ".join(value_text(book, name, v, lang) for v in sorted(value, key=str))
    if isinstance(value, str):
        param = book.parameters.get(name)
        if param is not None and value in param.option_labels:
            return param.option_labels[value][lang]
        spec = book.facts.get(name)
        prefix = spec.prefix if spec is not None else name
        if f"{prefix}.{value}" in book.vocabulary:
            return book.label(f"{prefix}.{value}", lang)
        if spec is not None and spec.display == "country":
            return i18n.country_name(value, lang)
        if spec is not None and spec.display == "language":
            return i18n.language_name(value, lang)
    return i18n.show(value, lang)


def reason_text(book: Rulebook, failure: Failure, env: Mapping[str, Any], lang: str) -> str:
    """The authored sentence of a failed condition, filled with the actual values."""
    if isinstance(failure.actual, Unknown):  # the condition waits for an answer
        spec = book.facts.get(failure.name)
        label = spec.label[lang] if spec is not None else failure.name
        return i18n.text("word.reason_unknown", lang, fact=label)
    reason = book.reason(failure.reason_key, failure.subject)
    if reason is None:  # a claim rule (never shown as "not applied") or an unchecked book
        spec = book.facts.get(failure.name)
        label = spec.label[lang] if spec is not None else failure.name
        return f"{label}{i18n.colon(lang)}{value_text(book, failure.name, failure.actual, lang)}"

    def filled(match: re.Match[str]) -> str:
        name = match[1]
        if name == "actual":
            return value_text(book, failure.name, failure.actual, lang)
        if name == "required":
            return value_text(book, failure.name, failure.required, lang)
        return value_text(book, name.removeprefix("param:"), env.get(name), lang)

    return _PLACEHOLDER.sub(filled, reason.template(failure.actual, lang))


def reason_texts(book: Rulebook, failures: Iterable[Failure], env: Mapping[str, Any],
                 lang: str) -> list[str]:
    """The sentences of several failures, each once, in order."""
    return list(dict.fromkeys(reason_text(book, f, env, lang) for f in failures))


def sentences(parts: Iterable[str]) -> str:
    """Sentences joined by a space, each ending with its stop."""
    return " ".join(p if p.rstrip().endswith((".", "!", "?", "…")) else p.rstrip() + "."
                    for p in parts if p)


def event_name(book: Rulebook, event: str, lang: str) -> str:
    return book.events[event].label[lang] if event in book.events else event


def refusal_sentences(book: Rulebook, refused: RefusedEvent, env: Mapping[str, Any],
                      lang: str) -> list[str]:
    """Why an event is not possible now: its reasons, then the documents still missing."""
    found = reason_texts(book, refused.failures, env, lang)
    if refused.missing:
        documents = "; ".join(book.requirements[r].label[lang] for r in refused.missing)
        found.append(i18n.text("word.reason_missing_documents", lang, documents=documents))
    return found


def refusal_text(book: Rulebook, refused: RefusedEvent, env: Mapping[str, Any],
                 lang: str) -> str:
    """The whole answer to "why can I not record this event now?"."""
    name = event_name(book, refused.event, lang)
    if refused.done:
        head = i18n.text("word.event_already_done", lang, event=name)
        return i18n.typeset(head, lang)
    if refused.other_route:  # only why the route differs, not the steps of the other one
        head = i18n.text("word.event_refused_other_route", lang, event=name)
        why = reason_texts(book, [f for f in refused.failures if f.name == "route"], env, lang)
        return i18n.typeset(sentences([head, *why[:1]]), lang)
    body = refusal_sentences(book, refused, env, lang)
    key = "word.event_refused"
    return i18n.typeset(sentences([i18n.text(key, lang, event=name), *body]), lang)


def refusal_rules_text(book: Rulebook, event: str, codes: Iterable[str], lang: str) -> str:
    """An event refused by what it carries (no photo, no reason...): the refusals' labels."""
    head = i18n.text("word.event_refused", lang, event=event_name(book, event, lang))
    return i18n.typeset(sentences([head, *(book.label(f"refusal.{c}", lang) for c in codes)]),
                        lang)
