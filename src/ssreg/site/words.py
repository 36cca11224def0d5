"""The site's sentences: its own texts (the ``site`` section of :mod:`ssreg.texts`),
conditions and outcomes in words, periods, values, French typography.

Every function returning HTML returns :class:`markupsafe.Markup` built with
``Markup.format``, which escapes each value, so a label from a rule file can never
inject markup.

>>> from datetime import date
>>> text("priority", "fr", n=10)
'priorité 10'
>>> str(period(date(2024, 3, 31), date.max, "fr"))
'depuis le 31\\xa0mars\\xa02024'
>>> typography("Identité : passeport ; « oui » ?", "fr")
'Identité\\xa0: passeport\\u202f; «\\xa0oui\\xa0»\\u202f?'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ..output import i18n
from ..output.claimtext import param_value
from ..output.reasons import value_text
from ..rulebook import conditions as cond
from ..rulebook.rulebook import FAR_FUTURE, Parameter, Rule, Rulebook
from ..texts import catalogue


#: a function giving the relative address of a page: ``href("rules", "route.online")``
Href = Callable[[str, str], str]


@functools.lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    """The site's own texts, by key, in each language: the ``site`` section of the
    interface catalogue (``ssreg/texts/site.toml``)."""
    return {key[len("site."):]: dict(entry) for key, entry in catalogue().items()
            if key.startswith("site.")}


def text(key: str, lang: str, **values: Any) -> str:
    """A text of the site in a language, with ``{name}`` filled in (values as given)."""
    template = texts()[key][lang]
    return template.format(**values) if values else template


def html(key: str, lang: str, **values: Any) -> Markup:
    """A text of the site as HTML, each value escaped unless it is already HTML."""
    return Markup(escape(texts()[key][lang])).format(**values)


_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"« ")


def typography(value: str, lang: str) -> str:
    """French typography: a no-break space before ``:`` and inside ``« »``, a narrow one
    before ``;``, ``!`` and ``?``; other languages unchanged."""
    if lang != "fr":
        return value
    value = _BEFORE.sub(lambda m: ("\u00a0" if m[1] in ":»" else "\u202f") + m[1], value)
    return _AFTER.sub("«\u00a0", value)


def day(value: date, lang: str) -> str:
    return i18n.day(value, lang).replace(" ", "\u00a0")


def period(start: date, end: date, lang: str) -> str:
    """A period as words: ``from 1 September 2018`` or ``1 September 2018 to ...``."""
    if end == FAR_FUTURE:
        return text("until_further_notice", lang, start=day(start, lang))
    return text("period_between", lang, start=day(start, lang), end=day(end, lang))


def in_force(start: date, end: date, lang: str) -> str:
    if end == FAR_FUTURE:
        return text("in_force_from", lang, start=day(start, lang))
    return text("in_force_between", lang, start=day(start, lang), end=day(end, lang))


def shown(param: Parameter, value: Any, lang: str) -> str:
    """A parameter's value as a person reads it (money, rates, option labels, lists)."""
    if isinstance(value, tuple | list):
        return ", ".join(shown(param, item, lang) for item in value)
    return param_value(param.unit, value, lang, param)


def link(href: Href, kind: str, key: str, label: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href(kind, key), label)


def _subject(comparison: cond.Compare, book: Rulebook, lang: str, href: Href) -> Markup:
    if comparison.kind == "param" and comparison.name in book.parameters:
        return link(href, "parameters", comparison.name,
                    book.parameters[comparison.name].label[lang])
    spec = book.facts.get(comparison.name)
    label = spec.label[lang] if spec is not None else comparison.name
    return Markup('<span title="{}">{}</span>').format(comparison.name, label)


def _value(comparison: cond.Compare, book: Rulebook, lang: str, href: Href) -> Markup:
    values = (sorted(comparison.value, key=str) if isinstance(comparison.value, frozenset)
              else [comparison.value])
    parts = []
    for value in values:
        words = value_text(book, comparison.name, value, lang)
        if comparison.name == "route" and value in book.values_of("route"):
            parts.append(link(href, "routes", value, words))
        elif comparison.name in ("event_type", "event") and value in book.events:
            parts.append(link(href, "events", value, words))
        else:
            parts.append(escape(words))
    return Markup(", ").join(parts)


def condition(node: cond.Node, book: Rulebook, lang: str, href: Href) -> Markup:
    """A condition as nested HTML lists, each comparison as a sentence."""
    if isinstance(node, cond.Compare):
        dated = isinstance(node.value, date) and node.op in cond.ORDERED_OPERATORS
        key = ("cond_date." if dated else "cond.") + node.op
        return html(key, lang, subject=_subject(node, book, lang, href),
                    value=_value(node, book, lang, href))
    if isinstance(node, cond.Not):
        inner = condition(node.item, book, lang, href)
        return Markup("{}<ul><li>{}</li></ul>").format(text("not", lang), inner)
    if not node.items:
        return Markup(escape(text("always", lang)))
    items = Markup("").join(Markup("<li>{}</li>").format(condition(item, book, lang, href))
                            for item in node.items)
    return Markup("{}<ul>{}</ul>").format(text("all_of" if isinstance(node, cond.AllOf)
                                               else "any_of", lang), items)


def outcome(rule: Rule, book: Rulebook, lang: str, href: Href) -> list[Markup]:
    """What a rule gives, one line per output: its label and its value, linked to the
    page of a route, step, event, document or parameter it names."""
    lines = []
    for key, value in rule.outcome.items():
        spec = book.facts.get(key)
        name = spec.label[lang] if spec is not None else key
        values = value if isinstance(value, list | tuple) else [value]
        parts = [_outcome_value(key, item, book, lang, href) for item in values]
        lines.append(Markup("{}{}{}").format(name, i18n.colon(lang), Markup(", ").join(parts)))
    return lines


def _outcome_value(key: str, value: Any, book: Rulebook, lang: str, href: Href) -> Markup:
    words = value_text(book, key, value, lang)
    if "{" in words:  # a warning or step label with placeholders: show them as gaps
        words = re.sub(r"\{\w+\}", "…", words)
    spec = book.facts.get(key)
    if spec is not None and spec.names_parameter and value in book.parameters:
        return link(href, "parameters", value, book.parameters[value].label[lang])
    targets = {"route": "routes", "step": "steps", "event": "events"}
    pages = {"routes": book.values_of("route"), "steps": book.steps, "events": book.events}
    if key in targets and value in pages[targets[key]]:
        return link(href, targets[key], value, words)
    if key == "requirement" and value in book.requirements:
        kinds = book.requirements[value].one_of
        docs = Markup(", ").join(link(href, "documents", k, book.documents[k].label[lang])
                                 for k in kinds)
        return Markup("{} ({} {})").format(book.requirements[value].label[lang],
                                           text("or_documents", lang), docs)
    return Markup(escape(words))


def fill_gaps(label: str) -> str:
    """A label with ``{placeholders}`` shown as gaps (``…``): a step's label names values
    of the student's case."""
    return re.sub(r"\{\w+\}", "…", label)
