"""Checking a gathered rulebook and building the immutable :class:`Rulebook`.

Every problem is collected (never the first one only) and reported with ``file:key``:
unknown facts, parameters or operators, values of the wrong type or outside a fact's
declared values, overlapping periods, a rule in force on a day when a parameter it
reads has no value, missing citations or translations, unknown outcome values.
Documents, requirements, dossier events and steps are checked by :mod:`ssreg.rulebook.checkdocs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from ..exceptions import RulebookError
from ..model.limits import excerpt
from . import conditions as cond
from .asking import check_questions, question_fields
from .checkdocs import build_documents, build_workflow
from .checksources import build_meta, build_sources
from .collect import Checker, Raw, type_ok
from .reasons import build_reasons, check_reasons
from .rulebook import (
    FAR_FUTURE,
    ONE_DAY,
    DecisionSpec,
    FactSpec,
    Parameter,
    ParameterValue,
    Rule,
    Rulebook,
    period_text,
)
from .sources import Source


FACT_TYPES = ("bool", "int", "decimal", "str", "date")
FACT_KINDS = ("input", "derived", "history", "outcome")
HIT_POLICIES = ("first", "collect")
SCOPES = ("case", "claim", "dossier")
PARAMETER_TYPES = ("decimal", "int", "str", "bool", "date", "str_list")
UNITS = ("rate", "EUR", "months", "days", "years", "count", "choice", "text", "list")

_Dated = TypeVar("_Dated", ParameterValue, Rule)


def _close_periods(c: Checker, where: str, items: list[_Dated]) -> list[_Dated]:
    """Sort by start; an open-ended entry ends the day before the next one starts.

    Explicit periods that overlap are a problem reported at ``where``.
    """
    items = sorted(items, key=lambda v: v.start)
    for i in range(len(items) - 1):
        prev, nxt = items[i], items[i + 1]
        if nxt.start > prev.end:
            continue
        if prev.end == FAR_FUTURE and nxt.start > prev.start:
            items[i] = attrs.evolve(prev, end=nxt.start - ONE_DAY)
        else:
            c.add(where, f"overlapping periods: {prev.start}..{prev.end} and {nxt.start}..")
    return items


def _build_facts(c: Checker, raw: Raw, sources: Mapping[str, Source]) -> dict[str, FactSpec]:
    out = {}
    for name, (where, data) in raw.facts.items():
        ftype, kind = data.get("type"), data.get("kind")
        if ftype not in FACT_TYPES:
            c.add(f"{where}.type", f"unknown fact type {excerpt(ftype)}; known: {FACT_TYPES}")
            continue
        if kind not in FACT_KINDS:
            c.add(f"{where}.kind", f"unknown fact kind {excerpt(kind)}; known: {FACT_KINDS}")
            continue
        citations: tuple[str, ...] = ()
        if kind in ("derived", "history"):
            citations = c.citations(where, data.get("citations"), sources)
        values = c.names(f"{where}.values", data.get("values", []))
        reads: dict[str, Mapping[str, str]] = {}
        for value, roles in (data.get("reads") or {}).items():
            if not isinstance(roles, Mapping) or not all(
                    isinstance(v, str) for v in roles.values()):
                c.add(f"{where}.reads.{value}", "expected a table role = parameter name")
                continue
            reads[value] = MappingProxyType(dict(roles))
        display = data.get("display", "")
        if display not in ("", "country", "language"):
            c.add(f"{where}.display", f"expected country or language, got {excerpt(display)}")
        asking = question_fields(c, where, data, ftype, values, sources)
        out[name] = FactSpec(
            name=name, type=ftype, kind=kind, label=c.labels(where, data.get("label")),
            citations=asking.pop("citations", citations), values=values,
            names_parameter=data.get("names_parameter") is True,
            reads=MappingProxyType(reads), origin=where,
            vocabulary=str(data.get("vocabulary", "")), display=str(display), **asking,
        )
    return out


def _build_decisions(c: Checker, raw: Raw, facts: Mapping[str, FactSpec],
                     params: Mapping[str, Parameter]) -> dict[str, DecisionSpec]:
    out = {}
    for name, (where, data) in raw.decisions.items():
        policy = data.get("hit_policy")
        if policy not in HIT_POLICIES:
            c.add(f"{where}.hit_policy", f"expected one of {HIT_POLICIES}, got {excerpt(policy)}")
            continue
        outputs = c.names(f"{where}.outputs", data.get("outputs", []))
        for output in outputs:
            if output not in facts or facts[output].kind != "outcome":
                c.add(f"{where}.outputs", f"{output!r} is not declared as an outcome fact")
        scope = data.get("scope", "case")
        if scope not in SCOPES:
            c.add(f"{where}.scope", f"expected one of {SCOPES}, got {excerpt(scope)}")
        reads = c.names(f"{where}.reads", data.get("reads", []))
        for param in reads:
            if param not in params:
                c.add(f"{where}.reads", f"unknown parameter {param!r}")
        order = data.get("order", 0)
        out[name] = DecisionSpec(
            name=name, hit_policy=policy, outputs=outputs,
            label=c.labels(where, data.get("label")),
            order=order if isinstance(order, int) else 0, scope=str(scope), origin=where,
            reads=reads)
    return out


def _check_condition(c: Checker, where: str, node: cond.Node, facts: Mapping[str, FactSpec],
                     params: Mapping[str, Parameter], decision: DecisionSpec,
                     decisions: Mapping[str, DecisionSpec]) -> None:
    for comp in cond.comparisons(node):
        if comp.kind == "fact":
            spec = facts.get(comp.name)
            if spec is None:
                c.add(f"{where}.when", f"unknown fact {comp.name!r}")
                continue
            if spec.kind == "outcome":
                producers = [d for d in decisions.values() if comp.name in d.outputs]
                if not producers or not _decided_before(producers[0], decision):
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
            if not type_ok(type_name, value):
                c.add(f"{where}.when", f"{comp.name!r} is {type_name}; cannot compare it "
                      f"with {excerpt(value)}")
            elif allowed and value not in allowed:
                c.add(f"{where}.when", f"{value!r} is not a known value of {comp.name!r} "
                      f"(known: {', '.join(allowed)})")
        if comp.op in cond.ORDERED_OPERATORS and type_name not in ("int", "decimal", "date"):
            c.add(f"{where}.when", f"operator {comp.op!r} does not apply to {type_name} "
                  f"fact {comp.name!r}")


SCOPE_ORDER = {"case": 0, "claim": 1, "dossier": 1}


def _decided_before(producer: DecisionSpec, decision: DecisionSpec) -> bool:
    """Case decisions come before claim and dossier decisions; within a scope, by order."""
    if producer.scope != decision.scope:
        return producer.scope == "case"
    return producer.order < decision.order


def _build_parameters(c: Checker, raw: Raw, sources: Mapping[str, Source]) -> dict[
    str, Parameter
]:
    out = {}
    for name, (where, data) in raw.parameters.items():
        ptype, unit = data.get("type"), data.get("unit")
        if ptype not in PARAMETER_TYPES:
            c.add(f"{where}.type", f"unknown parameter type {excerpt(ptype)}; known: "
                  f"{PARAMETER_TYPES}")
            continue
        if unit not in UNITS:
            c.add(f"{where}.unit", f"unknown unit {excerpt(unit)}; known: {UNITS}")
        options = c.names(f"{where}.options", data.get("options", []))
        alternatives = {
            opt: c.citations(f"{where}.alternatives.{opt}", cites, sources)
            for opt, cites in (data.get("alternatives") or {}).items()
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
            if not isinstance(entry, dict):
                c.add(at, "expected a table")
                continue
            start = c.day(f"{at}.start", entry.get("start"), required=True)
            end = c.day(f"{at}.end", entry.get("end"), required=False) or FAR_FUTURE
            value = entry.get("value")
            if not type_ok(ptype, value):
                c.add(f"{at}.value", f"expected a {ptype} value, got {excerpt(value)}")
            elif options and value not in options:
                c.add(f"{at}.value", f"{value!r} is not one of options {options}")
            cites = c.citations(at, entry.get("citations"), sources)
            uncertain = entry.get("uncertain") is True
            note = str(entry.get("note", ""))
            if uncertain and not note:
                c.add(f"{at}.note", "an uncertain value says why in its note")
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
                                         note=note, uncertain=uncertain))
        values = _close_periods(c, where, values)
        raw_labels = data.get("option_labels") or {}
        option_labels = {}
        for opt in options:
            option_labels[opt] = c.labels(f"{where}.option_labels", raw_labels.get(opt), opt)
        for opt in raw_labels:
            if opt not in options:
                c.add(f"{where}.option_labels.{opt}", f"{opt!r} is not one of options {options}")
        out[name] = Parameter(
            name=name, type=ptype, unit=str(unit), label=c.labels(where, data.get("label")),
            values=tuple(values), options=options,
            alternatives=MappingProxyType(alternatives), origin=where,
            option_labels=MappingProxyType(option_labels),
        )
    return out


RULE_KEYS = frozenset({"id", "decision", "priority", "outcome", "when", "label", "citations",
                       "start", "end", "note"})


def _outcome_reads(c: Checker, where: str, outcome: Mapping[str, Any],
                   facts: Mapping[str, FactSpec], params: Mapping[str, Parameter]) -> list[str]:
    reads: list[str] = []
    for key, value in outcome.items():
        spec = facts.get(key)
        if spec is None or not isinstance(value, str):
            continue
        if spec.names_parameter and value in params:
            reads.append(value)
        for role, param in spec.reads.get(value, {}).items():
            if param not in params:
                c.add(f"{where}.outcome.{key}", f"{value!r} reads unknown parameter "
                      f"{param!r} (role {role})")
            else:
                reads.append(param)
    return reads


def _build_rules(c: Checker, raw: Raw, sources: Mapping[str, Source],
                 facts: Mapping[str, FactSpec], decisions: Mapping[str, DecisionSpec],
                 params: Mapping[str, Parameter], vocabulary: Mapping[str, Any]) -> list[Rule]:
    rules: list[Rule] = []
    for rule_id, versions in raw.rules.items():
        built: list[Rule] = []
        for where, data in versions:
            for key in sorted(set(map(str, data)) - RULE_KEYS):
                c.add(f"{where}.{key}", f"unknown rule key; known: {sorted(RULE_KEYS)}")
            decision = decisions.get(data.get("decision", "")) if isinstance(
                data.get("decision"), str) else None
            if decision is None:
                c.add(f"{where}.decision", f"unknown decision {excerpt(data.get('decision'))}")
                continue
            priority = data.get("priority", 0)
            if not isinstance(priority, int) or isinstance(priority, bool):
                c.add(f"{where}.priority", "expected an integer")
                priority = 0
            outcome = data.get("outcome", {})
            if not isinstance(outcome, dict) or set(outcome) != set(decision.outputs):
                c.add(f"{where}.outcome", f"expected a table with keys {list(decision.outputs)}")
                outcome = {}
            for key, value in outcome.items():
                spec = facts.get(key)
                if spec and spec.type == "str" and f"{key}.{value}" not in vocabulary:
                    c.add(f"{where}.outcome.{key}", f"{excerpt(value)} has no vocabulary entry "
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
            reads = [*decision.reads, *(comp.name for comp in cond.comparisons(when)
                                        if comp.kind == "param"),
                     *_outcome_reads(c, where, outcome, facts, params)]
            built.append(Rule(
                id=rule_id, decision=decision.name, priority=priority,
                outcome=MappingProxyType(dict(outcome)), when=when,
                label=c.labels(where, data.get("label")),
                citations=c.citations(where, data.get("citations"), sources),
                start=start, end=end, origin=where, reads=tuple(dict.fromkeys(reads)),
            ))
        built = _close_periods(c, f"rule {rule_id!r}", built)
        for rule in built:
            _check_coverage(c, rule, params)
        rules.extend(built)
    return rules


def _check_coverage(c: Checker, rule: Rule, params: Mapping[str, Parameter]) -> None:
    """Every parameter a rule reads has a value on every day the rule is in force."""
    for name in rule.reads:
        param = params.get(name)
        if param is None or not param.values:
            continue
        for start, end in param.gaps(rule.start, rule.end):
            c.add(rule.origin, f"rule {rule.id!r} is in force {period_text(rule.start, rule.end)}"
                  f" but the parameter {name!r} it reads has no value "
                  f"{period_text(start, end)}")


def build(raw: Raw, fingerprint: str) -> Rulebook:
    """Check everything gathered and build the rulebook, or raise :class:`RulebookError`."""
    c = Checker()
    sources = build_sources(c, raw)
    facts = _build_facts(c, raw, sources)
    params = _build_parameters(c, raw, sources)
    decisions = _build_decisions(c, raw, facts, params)
    vocabulary: dict[str, Mapping[str, str]] = {
        key: c.labels(where, {"label": data}.get("label"))
        for key, (where, data) in raw.vocabulary.items()}
    kinds, requirements = build_documents(c, raw)
    events, steps = build_workflow(c, raw, sources, facts)
    for table, items in (("requirement", requirements), ("step", steps), ("event", events)):
        for name, item in items.items():  # their outcome values are labelled by their table
            vocabulary.setdefault(f"{table}.{name}", item.label)
    rules = _build_rules(c, raw, sources, facts, decisions, params, vocabulary)
    check_questions(c, facts, rules)
    for spec in facts.values():
        if spec.type == "str":
            for value in spec.values:
                if f"{spec.prefix}.{value}" not in vocabulary:
                    c.add(spec.origin, f"value {value!r} has no vocabulary entry "
                          f"[vocabulary.\"{spec.prefix}.{value}\"] with en/fr/es labels")
    reasons = build_reasons(c, raw, facts, params)
    check_reasons(c, rules, decisions, reasons)
    meta = build_meta(c, raw, sources)
    if c.problems:
        raise RulebookError(c.problems)
    return Rulebook(
        sources=MappingProxyType(sources), facts=MappingProxyType(facts),
        decisions=MappingProxyType(decisions), vocabulary=MappingProxyType(vocabulary),
        rules=tuple(rules), parameters=MappingProxyType(params), fingerprint=fingerprint,
        documents=MappingProxyType(kinds), requirements=MappingProxyType(requirements),
        events=MappingProxyType(events), steps=MappingProxyType(steps), meta=meta,
        reasons=MappingProxyType(reasons),
    )
