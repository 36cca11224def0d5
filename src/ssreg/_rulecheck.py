"""Checking a gathered rulebook and building the immutable :class:`Rulebook`.

Every problem is collected (never the first one only) and reported with ``file:key``:
unknown facts, parameters or operators, values of the wrong type, overlapping periods,
missing citations or translations, unknown outcome values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from . import _conditions as cond
from ._rulebook import (
    FAR_FUTURE,
    LANGUAGES,
    DecisionSpec,
    DocumentKind,
    FactSpec,
    Parameter,
    ParameterValue,
    Requirement,
    Rule,
    Rulebook,
    Source,
    _Raw,
)
from .exceptions import Problem, RulebookError


FACT_TYPES = ("bool", "int", "decimal", "str", "date")
FACT_KINDS = ("input", "derived", "outcome")
HIT_POLICIES = ("first", "collect")
PARAMETER_TYPES = ("decimal", "int", "str", "bool", "date", "str_list")
DOCUMENT_CHECKS = ("not_expired", "current_academic_year", "translation", "iban",
                   "minimum_monthly_resources")
STAGES = ("provisional", "final")
UNITS = ("rate", "EUR", "months", "days", "years", "count", "choice", "text", "list")


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def labels(self, where: str, data: Any) -> Mapping[str, str]:
        if not isinstance(data, Mapping):
            self.add(f"{where}.label", "missing label table with en, fr and es")
            return MappingProxyType({})
        for lang in LANGUAGES:
            text = data.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(f"{where}.label.{lang}", f"missing translation ({lang})")
        return MappingProxyType({k: str(v) for k, v in data.items()})

    def citations(self, where: str, data: Any, sources: Mapping[str, Any]) -> tuple[str, ...]:
        if not isinstance(data, list | tuple) or not data:
            self.add(f"{where}.citations", "a value without citation: give at least one source")
            return ()
        for key in data:
            if key not in sources:
                self.add(f"{where}.citations", f"unknown source {key!r}")
        return tuple(str(k) for k in data)

    def day(self, where: str, value: Any, *, required: bool) -> date | None:
        if value is None and not required:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.add(where, f"expected a TOML date like 2024-05-15, got {value!r}")
            return None
        return value


def _type_ok(type_name: str, value: Any) -> bool:
    if type_name == "bool":
        return isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "decimal":
        return isinstance(value, Decimal | int) and not isinstance(value, bool)
    if type_name == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if type_name == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, str)


_Dated = TypeVar("_Dated", ParameterValue, Rule)


def _close_periods(c: _Checker, where: str, items: list[_Dated]) -> list[_Dated]:
    """Sort by start; an open-ended entry ends the day before the next one starts.

    Explicit periods that overlap are a problem reported at ``where``.
    """
    items = sorted(items, key=lambda v: v.start)
    for i in range(len(items) - 1):
        prev, nxt = items[i], items[i + 1]
        if nxt.start > prev.end:
            continue
        if prev.end == FAR_FUTURE and nxt.start > prev.start:
            items[i] = attrs.evolve(prev, end=nxt.start - timedelta(days=1))
        else:
            c.add(where, f"overlapping periods: {prev.start}..{prev.end} and {nxt.start}..")
    return items


def _build_sources(c: _Checker, raw: _Raw) -> dict[str, Source]:
    out = {}
    for key, (where, data) in raw.sources.items():
        title, url = data.get("title"), data.get("url")
        if not isinstance(title, str) or not isinstance(url, str) or not url.startswith(
            ("https://", "http://", "seed:")
        ):
            c.add(where, "a source needs a `title` and a `url` (http(s):// or seed:)")
            continue
        out[key] = Source(key=key, title=title, url=url, note=str(data.get("note", "")),
                          origin=where)
    return out


def _build_facts(c: _Checker, raw: _Raw, sources: Mapping[str, Source]) -> dict[str, FactSpec]:
    out = {}
    for name, (where, data) in raw.facts.items():
        ftype, kind = data.get("type"), data.get("kind")
        if ftype not in FACT_TYPES:
            c.add(f"{where}.type", f"unknown fact type {ftype!r}; known: {FACT_TYPES}")
            continue
        if kind not in FACT_KINDS:
            c.add(f"{where}.kind", f"unknown fact kind {kind!r}; known: {FACT_KINDS}")
            continue
        citations: tuple[str, ...] = ()
        if kind == "derived":
            citations = c.citations(where, data.get("citations"), sources)
        values = data.get("values", [])
        out[name] = FactSpec(
            name=name, type=ftype, kind=kind, label=c.labels(where, data.get("label")),
            citations=citations, values=tuple(values), origin=where,
        )
    return out


def _build_decisions(c: _Checker, raw: _Raw, facts: Mapping[str, FactSpec]) -> dict[
    str, DecisionSpec
]:
    out = {}
    for name, (where, data) in raw.decisions.items():
        policy = data.get("hit_policy")
        if policy not in HIT_POLICIES:
            c.add(f"{where}.hit_policy", f"expected one of {HIT_POLICIES}, got {policy!r}")
            continue
        outputs = data.get("outputs", [])
        for output in outputs:
            if output not in facts or facts[output].kind != "outcome":
                c.add(f"{where}.outputs", f"{output!r} is not declared as an outcome fact")
        order = data.get("order", 0)
        scope = data.get("scope", "case")
        if scope not in ("case", "claim"):
            c.add(f"{where}.scope", f"expected 'case' or 'claim', got {scope!r}")
        out[name] = DecisionSpec(
            name=name, hit_policy=policy, outputs=tuple(outputs),
            label=c.labels(where, data.get("label")), order=int(order), scope=scope,
            origin=where,
        )
    return out


def _check_condition(
    c: _Checker,
    where: str,
    node: cond.Node,
    facts: Mapping[str, FactSpec],
    params: Mapping[str, Parameter],
    decision: DecisionSpec,
    decisions: Mapping[str, DecisionSpec],
) -> None:
    for comp in cond.comparisons(node):
        if comp.kind == "fact":
            spec = facts.get(comp.name)
            if spec is None:
                c.add(f"{where}.when", f"unknown fact {comp.name!r}")
                continue
            if spec.kind == "outcome":
                producers = [d for d in decisions.values() if comp.name in d.outputs]
                if not producers or producers[0].order >= decision.order:
                    c.add(f"{where}.when", f"fact {comp.name!r} is the outcome of a decision "
                          f"that is not decided before {decision.name!r}")
            type_name, allowed = spec.type, spec.values
        else:
            param = params.get(comp.name)
            if param is None:
                c.add(f"{where}.when", f"unknown parameter {comp.name!r}")
                continue
            type_name, allowed = param.type, param.options
        required = comp.value if isinstance(comp.value, frozenset) else (comp.value,)
        for value in required:
            if not _type_ok(type_name, value):
                c.add(f"{where}.when", f"{comp.name!r} is {type_name}; cannot compare it "
                      f"with {value!r}")
            elif allowed and value not in allowed:
                c.add(f"{where}.when", f"{value!r} is not a known value of {comp.name!r} "
                      f"(known: {', '.join(allowed)})")
        if comp.op in cond.ORDERED_OPERATORS and type_name not in ("int", "decimal", "date"):
            c.add(f"{where}.when", f"operator {comp.op!r} does not apply to {type_name} "
                  f"fact {comp.name!r}")


def _build_parameters(c: _Checker, raw: _Raw, sources: Mapping[str, Source]) -> dict[
    str, Parameter
]:
    out = {}
    for name, (where, data) in raw.parameters.items():
        ptype, unit = data.get("type"), data.get("unit")
        if ptype not in PARAMETER_TYPES:
            c.add(f"{where}.type", f"unknown parameter type {ptype!r}; known: {PARAMETER_TYPES}")
            continue
        if unit not in UNITS:
            c.add(f"{where}.unit", f"unknown unit {unit!r}; known: {UNITS}")
        options = tuple(data.get("options", ()))
        alternatives = {
            opt: c.citations(f"{where}.alternatives.{opt}", cites, sources)
            for opt, cites in data.get("alternatives", {}).items()
        }
        for opt in alternatives:
            if opt not in options:
                c.add(f"{where}.alternatives.{opt}", f"{opt!r} is not one of options {options}")
        values: list[ParameterValue] = []
        raw_values = data.get("values")
        if not isinstance(raw_values, list) or not raw_values:
            c.add(f"{where}.values", "expected an array [[values]] with at least one entry")
            raw_values = []
        for i, entry in enumerate(raw_values):
            at = f"{where}.values[{i}]"
            start = c.day(f"{at}.start", entry.get("start"), required=True)
            end = c.day(f"{at}.end", entry.get("end"), required=False) or FAR_FUTURE
            value = entry.get("value")
            if not _type_ok(ptype, value):
                c.add(f"{at}.value", f"expected a {ptype} value, got {value!r}")
            elif options and value not in options:
                c.add(f"{at}.value", f"{value!r} is not one of options {options}")
            cites = c.citations(at, entry.get("citations"), sources)
            if start is None:
                continue
            if end < start:
                c.add(f"{at}.end", f"period ends ({end}) before it starts ({start})")
            if isinstance(value, list):
                value = tuple(value)
            elif ptype == "decimal" and isinstance(value, int):
                value = Decimal(value)
            if unit == "rate" and isinstance(value, Decimal) and not 0 <= value <= 1:
                c.add(f"{at}.value", f"a rate is between 0 and 1, got {value}")
            values.append(ParameterValue(start=start, end=end, value=value, citations=cites,
                                         note=str(entry.get("note", "")),
                                         uncertain=entry.get("uncertain") is True))
        values = _close_periods(c, where, values)
        out[name] = Parameter(
            name=name, type=ptype, unit=str(unit), label=c.labels(where, data.get("label")),
            values=tuple(values), options=options,
            alternatives=MappingProxyType(alternatives), origin=where,
        )
    return out


def _build_rules(
    c: _Checker,
    raw: _Raw,
    sources: Mapping[str, Source],
    facts: Mapping[str, FactSpec],
    decisions: Mapping[str, DecisionSpec],
    params: Mapping[str, Parameter],
    vocabulary: Mapping[str, Any],
) -> list[Rule]:
    rules: list[Rule] = []
    known = {"id", "decision", "priority", "outcome", "when", "label", "citations", "start",
             "end", "note"}
    for rule_id, versions in raw.rules.items():
        built: list[Rule] = []
        for where, data in versions:
            for key in set(data) - known:
                c.add(f"{where}.{key}", f"unknown rule key; known: {sorted(known)}")
            decision = decisions.get(data.get("decision", ""))
            if decision is None:
                c.add(f"{where}.decision", f"unknown decision {data.get('decision')!r}")
                continue
            priority = data.get("priority", 0)
            if not isinstance(priority, int):
                c.add(f"{where}.priority", "expected an integer")
                priority = 0
            outcome = data.get("outcome", {})
            if not isinstance(outcome, dict) or set(outcome) != set(decision.outputs):
                c.add(f"{where}.outcome", f"expected a table with keys {list(decision.outputs)}")
                outcome = {}
            for key, value in outcome.items():
                spec = facts.get(key)
                if spec and spec.type == "str" and f"{key}.{value}" not in vocabulary:
                    c.add(f"{where}.outcome.{key}", f"{value!r} has no vocabulary entry "
                          f"[vocabulary.\"{key}.{value}\"] with en/fr/es labels")
            problems: list[tuple[str, str]] = []
            when = cond.parse(data.get("when", {"all": []}), f"{where}.when", problems)
            for key, message in problems:
                c.add(key, message)
            if not problems:
                _check_condition(c, where, when, facts, params, decision, decisions)
            start = c.day(f"{where}.start", data.get("start"), required=True)
            end = c.day(f"{where}.end", data.get("end"), required=False) or FAR_FUTURE
            if start is None:
                continue
            if end < start:
                c.add(f"{where}.end", f"period ends ({end}) before it starts ({start})")
            built.append(Rule(
                id=rule_id, decision=decision.name, priority=priority,
                outcome=MappingProxyType(dict(outcome)), when=when,
                label=c.labels(where, data.get("label")),
                citations=c.citations(where, data.get("citations"), sources),
                start=start, end=end, origin=where,
            ))
        built = _close_periods(c, f"rule {rule_id!r}", built)
        rules.extend(built)
    return rules


def _build_documents(c: _Checker, raw: _Raw) -> tuple[dict[str, DocumentKind],
                                                     dict[str, Requirement]]:
    kinds = {}
    for name, (where, data) in raw.documents.items():
        checks = tuple(data.get("checks", ()))
        for check in checks:
            if check not in DOCUMENT_CHECKS:
                c.add(f"{where}.checks", f"unknown check {check!r}; known: {DOCUMENT_CHECKS}")
        kinds[name] = DocumentKind(name=name, label=c.labels(where, data.get("label")),
                                   checks=checks, origin=where)
    requirements = {}
    for name, (where, data) in raw.requirements.items():
        one_of = tuple(data.get("one_of", ()))
        informational = bool(data.get("informational", False))
        if not one_of and not informational:
            c.add(f"{where}.one_of", "expected at least one document kind")
        for kind in one_of:
            if kind not in kinds:
                c.add(f"{where}.one_of", f"unknown document kind {kind!r}")
        stage = data.get("stage", "provisional")
        if stage not in STAGES:
            c.add(f"{where}.stage", f"expected one of {STAGES}, got {stage!r}")
        requirements[name] = Requirement(
            name=name, one_of=one_of, stage=stage, label=c.labels(where, data.get("label")),
            informational=informational, origin=where)
    return kinds, requirements


def build(raw: _Raw, fingerprint: str) -> Rulebook:
    """Check everything gathered and build the rulebook, or raise :class:`RulebookError`."""
    c = _Checker()
    sources = _build_sources(c, raw)
    facts = _build_facts(c, raw, sources)
    decisions = _build_decisions(c, raw, facts)
    vocabulary: dict[str, Mapping[str, str]] = {}
    for key, (where, data) in raw.vocabulary.items():
        vocabulary[key] = c.labels(where, {"label": data}.get("label"))
    params = _build_parameters(c, raw, sources)
    kinds, requirements = _build_documents(c, raw)
    for name in requirements:  # requirement outcomes are labelled by their table
        vocabulary.setdefault(f"requirement.{name}", requirements[name].label)
    rules = _build_rules(c, raw, sources, facts, decisions, params, vocabulary)
    for name, spec in facts.items():
        if spec.type == "str":
            for value in spec.values:
                if spec.kind == "outcome" and f"{name}.{value}" not in vocabulary:
                    c.add(spec.origin, f"value {value!r} has no vocabulary entry")
    if c.problems:
        raise RulebookError(c.problems)
    return Rulebook(
        sources=MappingProxyType(sources), facts=MappingProxyType(facts),
        decisions=MappingProxyType(decisions), vocabulary=MappingProxyType(vocabulary),
        rules=tuple(rules), parameters=MappingProxyType(params), fingerprint=fingerprint,
        documents=MappingProxyType(kinds), requirements=MappingProxyType(requirements),
    )
