"""The offline search index: one small JSON file per language, read by ``search.js``.

Each entry is a page: its address (relative to the language's folder), its title and kind
in that language, and the words to match, folded (lower case, no accents) and taken from
all three languages, so a French word finds a page of the English site too.

>>> fold("Pièce d'identité")
"piece d'identite"
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from ..output.links import slug
from ..rulebook.rulebook import LANGUAGES, Rulebook
from .reference import Reference
from .words import fill_gaps, text


def fold(value: str) -> str:
    """Lower case without accents, as the search script folds what is typed."""
    decomposed = unicodedata.normalize("NFD", value.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _entry(lang: str, kind: str, folder: str, key: str, titles: dict[str, str],
           extra: Iterable[str] = ()) -> dict[str, Any]:
    words = " ".join([key, *(titles[lang] for lang in LANGUAGES), *extra])
    return {"u": f"{folder}/{slug(key)}.html", "t": fill_gaps(titles[lang]),
            "k": text(f"kind_{kind}", lang), "w": fold(" ".join(words.split()))}


def search_index(ref: Reference, lang: str) -> list[dict[str, Any]]:
    """The entries of the search index of one language."""
    book: Rulebook = ref.book
    entries = []
    for spec in ref.decisions:
        entries.append(_entry(lang, "decision", "decisions", spec.name, dict(spec.label)))
        for rule_id in ref.rule_ids(spec.name):
            versions = ref.rules_by_id[rule_id]
            labels = {code: " ".join(dict.fromkeys(r.label[code] for r in versions))
                      for code in LANGUAGES}
            entries.append(_entry(lang, "rule", "rules", rule_id, labels,
                                  [*(c for r in versions for c in r.citations),
                                   *_outcome_words(book, versions[-1].outcome)]))
    for name in sorted(book.parameters):
        param = book.parameters[name]
        notes = [v.note for v in param.values if v.note]
        entries.append(_entry(lang, "parameter", "parameters", name, dict(param.label), notes))
    for name, doc in book.documents.items():
        entries.append(_entry(lang, "document", "documents", name, dict(doc.label)))
    for route in ref.routes:
        labels = {code: book.label(f"route.{route}", code) for code in LANGUAGES}
        entries.append(_entry(lang, "route", "routes", route, labels))
    for name, step in book.steps.items():
        entries.append(_entry(lang, "step", "steps", name, dict(step.label),
                              [step.needs[code] for code in LANGUAGES]))
    for name, event in book.events.items():
        entries.append(_entry(lang, "event", "events", name, dict(event.label)))
    for key, source in book.sources.items():
        titles = dict.fromkeys(LANGUAGES, source.title)
        entries.append(_entry(lang, "source", "sources", key, titles, [source.url]))
    return entries


def _outcome_words(book: Rulebook, outcome: Mapping[str, Any]) -> list[str]:
    """What a rule gives, in every language (a requirement, a route, a step...)."""
    words: list[str] = []
    for key, value in outcome.items():
        for item in value if isinstance(value, list | tuple) else (value,):
            if key == "requirement" and item in book.requirements:
                words += book.requirements[item].label.values()
            elif f"{key}.{item}" in book.vocabulary:
                words += [book.label(f"{key}.{item}", code) for code in LANGUAGES]
    return words
