"""The interface texts in English, French and Spanish, and each language's typography.

Every sentence ssreg writes that does not explain a rule lives in one catalogue, the TOML
files of this folder (a rule's own words live beside the rule, in the rulebook):

- keyed texts (``summary.what_to_do``, ``status.missing``...), read by :func:`message`;
- the messages of errors, written in English where they are raised and keyed by that
  English template, the way gettext keys a text by its English original: :func:`translate`
  finds the template a message was made from and writes it in French or Spanish.

:func:`typeset` applies the typography of a language to a finished text: in French a
narrow no-break space before ``; : ! ?`` and inside « », "1er" for the first day of a
month, a decimal comma; in English and Spanish no space before those marks; in every
language no full stop before a colon.  This package sits at the bottom of the layers, so
errors can speak every language; it reads no Babel (dates and money are formatted by
:mod:`ssreg.output.i18n`).

>>> from ssreg import texts
>>> texts.message("summary.what_to_do", "fr")
'Que faire'
>>> texts.translate("expected a date (YYYY-MM-DD), got 'soon'", "es")
"se esperaba una fecha (AAAA-MM-DD); se recibió 'soon'"
>>> texts.typeset("Étape : le 1 septembre 2026 ; 30.50 €", "fr")
'Étape\\u202f: le 1er septembre 2026\\u202f; 30,50 €'
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any


__all__ = ["LANGUAGES", "catalogue", "known", "message", "templates", "translate", "typeset"]

LANGUAGES = ("en", "fr", "es")
NARROW = "\u202f"  # narrow no-break space (French: before ; : ! ? and inside « »)
#: placeholders of messages whose values are words (translated too); the others are data
WORDS = frozenset({"what", "what2", "what3", "kind", "why", "hint", "first", "message",
                   "rest", "number_sex", "student_sex"})
#: keyed sections whose texts are also the messages of errors (a number's problems)
MESSAGE_SECTIONS = ("nir_problem",)


@functools.cache
def _files() -> tuple[dict[str, Any], ...]:
    from importlib import resources  # here: it imports tempfile, unneeded at start

    folder = resources.files(__name__)
    return tuple(tomllib.loads(item.read_text(encoding="utf-8"))
                 for item in sorted(folder.iterdir(), key=lambda p: p.name)
                 if item.name.endswith(".toml"))


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every keyed text: ``{"section.key": {"en": ..., "fr": ..., "es": ...}}``."""
    found: dict[str, Mapping[str, str]] = {}
    for data in _files():
        for section, table in data.items():
            if section in ("problem", "phrase"):
                continue
            for key, entry in table.items():
                found[f"{section}.{key}"] = MappingProxyType(dict(entry))
    return MappingProxyType(found)


def message(key: str, lang: str, **values: Any) -> str:
    """A keyed text in a language, its ``{name}`` placeholders filled with ``values``."""
    template = catalogue()[key][lang]
    return template.format(**values) if values else template


# --------------------------------------------------------------------------- error messages


@functools.cache
def templates() -> tuple[tuple[Mapping[str, str], ...], tuple[Mapping[str, str], ...]]:
    """The message templates and the phrases their values may be, each ``{en, fr, es}``."""
    problems: list[Mapping[str, str]] = []
    phrases: list[Mapping[str, str]] = []
    for data in _files():
        problems += [MappingProxyType(dict(e)) for e in data.get("problem", ())]
        phrases += [MappingProxyType(dict(e)) for e in data.get("phrase", ())]
        # a phrase with placeholders is translated as a message is
        problems += [MappingProxyType(dict(e)) for e in data.get("phrase", ())
                     if "{" in e["en"]]
        for section in MESSAGE_SECTIONS:  # keyed texts that are also raised as messages
            problems += [MappingProxyType(dict(e)) for e in data.get(section, {}).values()]
    return tuple(problems), tuple(phrases)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


# what some placeholders can be: ``what`` is one of the phrases, ``hint`` a "did you mean"
_HINT = r"(?: \(did you mean [^()]*?\?\)|did you mean \S+\? )?"


def _placeholder(name: str) -> str:
    if name in ("what", "what2", "what3"):  # a phrase (several: "expected A or B, got")
        return f"(?P<{name}>{_phrase_regex()})"
    if name == "hint":
        return f"(?P<hint>{_HINT})"
    return f"(?P<{name}>.*?)"


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], Mapping[str, str]], ...]:
    problems, _ = templates()
    compiled = []
    for entry in problems:
        english = entry["en"]
        parts = _PLACEHOLDER.split(english)
        regex = "".join(re.escape(part) if i % 2 == 0 else _placeholder(part)
                        for i, part in enumerate(parts))
        literal = sum(len(part) for part in parts[::2])
        compiled.append((literal, re.compile(regex, re.DOTALL), entry))
    compiled.sort(key=lambda item: -item[0])  # the most specific template first
    return tuple((pattern, entry) for _, pattern, entry in compiled)


@functools.cache
def _phrases() -> Mapping[str, Mapping[str, str]]:
    _, phrases = templates()
    return MappingProxyType({entry["en"]: entry for entry in phrases})


@functools.cache
def _phrase_regex() -> str:
    """Any phrase; a phrase with placeholders (``a whole number from {minimum} to
    {maximum}``) stands for any values there."""
    literal = [re.escape(p) for p in sorted(_phrases(), key=len, reverse=True)
               if "{" not in p]
    shaped = ["".join(re.escape(part) if i % 2 == 0 else ".*?"
                      for i, part in enumerate(_PLACEHOLDER.split(p)))
              for p in _phrases() if "{" in p]
    return "|".join([*literal, *shaped])


def known(text: str) -> bool:
    """Whether the catalogue has the French and Spanish of a message (or phrase)."""
    return text in _phrases() or any(p.fullmatch(text) for p, _ in _patterns())


def translate(text: str, lang: str) -> str:
    """An English message in another language, when the catalogue knows its template.

    The values of the template (a quoted input, a field, a list of codes) stay as they
    are; those named in :data:`WORDS` are translated too (a phrase or another message).
    A message no template matches is returned unchanged (a test renders every message the
    suite produces, so none is left in English).
    """
    if lang == "en" or not text:
        return text
    phrase = _phrases().get(text)
    if phrase is not None:
        return phrase[lang]
    for pattern, entry in _patterns():
        found = pattern.fullmatch(text)
        if found is not None:
            values = {name: translate(value, lang) if value and name in WORDS else value
                      for name, value in found.groupdict().items()}
            return entry[lang].format(**values)
    return text


# --------------------------------------------------------------------------- typography

_URL = re.compile(r"<?https?://[^\s>]+>?")
_MONTHS_FR = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
              "novembre|décembre")
_FIRST_FR = re.compile(rf"(?<![\d,.])\b1([ \u00a0{NARROW}])({_MONTHS_FR})\b")
_BEFORE_MARK = re.compile(rf"(?<=\S)[ \u00a0{NARROW}]*([;:!?])(?=\s|$|[)»\"'])")
_STOP_COLON = re.compile(r"(?<!\.)\.([ \u00a0\u202f]*:)")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.(\d+)(?![\d.])")
_GUILLEMETS = (re.compile(r"«[ \u00a0\u202f]*"), re.compile(r"[ \u00a0\u202f]*»"))


def _typeset_part(text: str, lang: str) -> str:
    text = _STOP_COLON.sub(r"\1", text)
    if lang == "fr":
        text = _BEFORE_MARK.sub(NARROW + r"\1", text)
        text = _FIRST_FR.sub(r"1er\1\2", text)
        text = _GUILLEMETS[0].sub("«" + NARROW, text)
        text = _GUILLEMETS[1].sub(NARROW + "»", text)
    else:
        text = _BEFORE_MARK.sub(r"\1", text)
    if lang in ("fr", "es"):
        text = _DECIMAL.sub(r"\1,\2", text)
    return text


def typeset(text: str, lang: str) -> str:
    """A finished text with the typography of its language (addresses left alone)."""
    if not text:
        return text
    if len(text) <= 400:  # labels and sentences recur: remember them (bounded)
        return _typeset_short(text, lang)
    return _typeset(text, lang)


@functools.lru_cache(maxsize=8192)
def _typeset_short(text: str, lang: str) -> str:
    return _typeset(text, lang)


def _typeset(text: str, lang: str) -> str:
    parts = []
    last = 0
    for link in _URL.finditer(text):
        parts.append(_typeset_part(text[last:link.start()], lang))
        parts.append(link.group())
        last = link.end()
    parts.append(_typeset_part(text[last:], lang))
    return "".join(parts)
