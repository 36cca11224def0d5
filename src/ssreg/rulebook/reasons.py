"""Authored reasons: what a person reads when a condition fails, and the check that every
condition a person may be told about has one.

A reason is keyed by its condition (``[reasons."number_status == definitive"]``, see
:func:`ssreg.rulebook.conditions.reason_key`), or by a fact or parameter as a whole
(``[reasons.age]``: "You are {actual}.") for every condition on it that has none of its
own; it is written in English, French and Spanish, in the file of the rules it explains.
Its placeholders are ``{actual}`` (the fact's value), ``{required}`` (the value the rule
wants) and the name of any fact or ``param:NAME``; all are filled with labels in the
reader's language.  Every condition of the rules of a case or dossier decision (the
route, blocks, documents, the journey's steps and events, the refusals and warnings) must
have its reason: those are the conditions whose failure is shown to a student.  Claim
rules are exempt (a priced claim lists the rules that applied, never those that did not).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import conditions as cond
from .collect import Checker, Raw
from .rulebook import LANGUAGES, DecisionSpec, FactSpec, Parameter, Reason, Rule


REASON_KEYS = frozenset({"en", "fr", "es", "unknown", "actual"})
PLACEHOLDER = re.compile(r"\{([\w:]+)\}")
EXPLAINED_SCOPES = ("case", "dossier")


def _placeholders(c: Checker, where: str, texts: Mapping[str, str],
                  known: frozenset[str]) -> None:
    for lang, text in texts.items():
        for name in PLACEHOLDER.findall(text):
            if name not in known:
                c.add(f"{where}.{lang}", f"unknown placeholder {{{name}}}; use {{actual}}, "
                                         "{required}, a fact's name or {param:NAME}")


def build_reasons(c: Checker, raw: Raw, facts: Mapping[str, FactSpec],
                  params: Mapping[str, Parameter]) -> dict[str, Reason]:
    """The reasons of the rulebook, each checked (three languages, known placeholders)."""
    known = frozenset({"actual", "required", *facts, *(f"param:{p}" for p in params)})
    found = {}
    for key, (where, data) in raw.reasons.items():
        for extra in sorted(set(map(str, data)) - REASON_KEYS):
            c.add(f"{where}.{extra}", f"unknown key; known: {', '.join(sorted(REASON_KEYS))}")
        text = {}
        for lang in LANGUAGES:
            value = data.get(lang)
            if not isinstance(value, str) or not value.strip():
                c.add(f"{where}.{lang}", f"missing translation ({lang})")
            else:
                text[lang] = value
        _placeholders(c, where, text, known)
        unknown = None
        if "unknown" in data:
            unknown = c.labels(where, data["unknown"], name="unknown")
            _placeholders(c, f"{where}.unknown", unknown, known)
        actual: dict[str, Mapping[str, str]] = {}
        given = data.get("actual", {})
        if not isinstance(given, dict):
            c.add(f"{where}.actual", "expected a table: a value of the fact, then en/fr/es")
            given = {}
        for value, texts in given.items():
            actual[str(value)] = c.labels(f"{where}.actual", texts, name=str(value))
            _placeholders(c, f"{where}.actual.{value}", actual[str(value)], known)
        found[key] = Reason(key=key, text=MappingProxyType(text), unknown=unknown,
                            actual=MappingProxyType(actual), origin=where)
    return found


def check_reasons(c: Checker, rules: list[Rule], decisions: Mapping[str, DecisionSpec],
                  reasons: Mapping[str, Any]) -> None:
    """Every condition of a case or dossier rule has its authored reason."""
    missing: dict[str, str] = {}
    for rule in rules:
        spec = decisions.get(rule.decision)
        if spec is None or spec.scope not in EXPLAINED_SCOPES:
            continue
        for compare, negated in cond.signed_comparisons(rule.when):
            key = cond.reason_key(compare.kind, compare.name, compare.op, compare.value,
                                  negated)
            if key not in reasons and compare.key not in reasons:
                missing.setdefault(key, rule.origin)
    for key, where in missing.items():
        c.add(f"{where}.when", f"the condition {key!r} has no reason: add "
                               f"[reasons.\"{key}\"] (or one for its fact as a whole) with "
                               "en, fr and es: what a person reads when it fails")
