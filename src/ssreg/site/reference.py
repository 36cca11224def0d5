"""A rulebook indexed for reading: what each page of the site and each table of the
catalogue shows, from the rulebook alone.

The site (:mod:`ssreg.site.build`) and the Markdown catalogue
(:mod:`ssreg.site.catalogue`) are two renderings of this one index, so they list the same
rules, parameters, events, steps and sources, with the same periods and citations.

>>> import ssreg
>>> ref = Reference.of(ssreg.default_rulebook())
>>> "documents.identity" in ref.rules_by_id
True
>>> "documents.identity" in ref.cited_by["R1"].rules
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..rulebook import conditions as cond
from ..rulebook.rulebook import DecisionSpec, Rule, Rulebook


#: the scopes of decision tables, in the order the catalogue and the site list them
SCOPES = ("case", "claim", "dossier")


@attrs.frozen
class Citers:
    """Everything that cites one source."""

    rules: tuple[str, ...] = ()
    parameters: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    horizon: bool = False

    @property
    def count(self) -> int:
        return (len(self.rules) + len(self.parameters) + len(self.facts) + len(self.events)
                + len(self.steps) + int(self.horizon))


def _add(index: dict[str, dict[str, list[str]]], keys: tuple[str, ...], what: str,
         name: str) -> None:
    for key in keys:
        found = index.setdefault(key, {}).setdefault(what, [])
        if name not in found:
            found.append(name)


@attrs.frozen(eq=False)
class Reference:
    """The rulebook's rules, parameters, documents, journey and sources, cross-indexed.

    ``rules_by_id`` holds every version of a rule (oldest first); ``decisions`` the
    decision tables in the order they are taken; ``readers`` the rules reading each
    parameter; ``cited_by`` what cites each source; ``outcome_rules`` the rules giving
    each ``(output, value)`` (``("route", "online")``); ``requirements_of`` the
    requirements each document kind satisfies; ``steps_of`` the steps an event
    completes; ``routes`` the route codes.
    """

    book: Rulebook
    decisions: tuple[DecisionSpec, ...]
    rules_by_id: Mapping[str, tuple[Rule, ...]]
    readers: Mapping[str, tuple[str, ...]]
    cited_by: Mapping[str, Citers]
    outcome_rules: Mapping[tuple[str, str], tuple[str, ...]]
    requirements_of: Mapping[str, tuple[str, ...]]
    steps_of: Mapping[str, tuple[str, ...]]
    routes: tuple[str, ...]

    @classmethod
    def of(cls, book: Rulebook) -> Reference:
        """Index a rulebook (cached on the rulebook: it is immutable)."""
        memo = book.memo()
        found: Reference | None = memo.get("site.reference")
        if found is None:
            found = memo["site.reference"] = cls._build(book)
        return found

    @classmethod
    def _build(cls, book: Rulebook) -> Reference:
        decisions = tuple(d for scope in SCOPES for d in book.decision_order(scope))
        by_id: dict[str, list[Rule]] = {}
        for spec in decisions:
            for rule in book.rules_of(spec.name):
                by_id.setdefault(rule.id, []).append(rule)
        readers: dict[str, list[str]] = {}
        outcomes: dict[tuple[str, str], list[str]] = {}
        cites: dict[str, dict[str, list[str]]] = {}
        for rule_id, versions in by_id.items():
            versions.sort(key=lambda r: r.start)
            for rule in versions:
                _add(cites, rule.citations, "rules", rule_id)
                for name in (*rule.reads, *rule.parameters_read):
                    if name in book.parameters and rule_id not in readers.setdefault(name, []):
                        readers[name].append(rule_id)
                for key, value in rule.outcome.items():
                    for item in value if isinstance(value, list | tuple) else (value,):
                        found = outcomes.setdefault((key, str(item)), [])
                        if rule_id not in found:
                            found.append(rule_id)
        for name in sorted(book.parameters):
            for value in book.parameters[name].values:
                _add(cites, value.citations, "parameters", name)
            for option_cites in book.parameters[name].alternatives.values():
                _add(cites, tuple(option_cites), "parameters", name)
        for name, fact in book.facts.items():
            _add(cites, fact.citations, "facts", name)
        for name, event in book.events.items():
            _add(cites, event.citations, "events", name)
        for name, step in book.steps.items():
            _add(cites, step.citations, "steps", name)
        cited_by = {key: Citers(**{k: tuple(v) for k, v in cites.get(key, {}).items()},
                                horizon=key in book.meta.citations)
                    for key in book.sources}
        requirements_of: dict[str, list[str]] = {kind: [] for kind in book.documents}
        for req in book.requirements.values():
            for kind in req.one_of:
                requirements_of.setdefault(kind, []).append(req.name)
        steps_of: dict[str, list[str]] = {}
        for step in book.steps.values():
            if step.event:
                steps_of.setdefault(step.event, []).append(step.name)
        return cls(book=book, decisions=decisions,
                   rules_by_id={k: tuple(v) for k, v in by_id.items()},
                   readers={k: tuple(v) for k, v in readers.items()}, cited_by=cited_by,
                   outcome_rules={k: tuple(v) for k, v in outcomes.items()},
                   requirements_of={k: tuple(v) for k, v in requirements_of.items()},
                   steps_of={k: tuple(v) for k, v in steps_of.items()},
                   routes=book.values_of("route"))

    def rule_ids(self, decision: str) -> tuple[str, ...]:
        """The ids of a decision table's rules, in priority order (each id once)."""
        return tuple(dict.fromkeys(r.id for r in self.book.rules_of(decision)))

    def latest(self, rule_id: str) -> Rule:
        """The newest version of a rule."""
        return self.rules_by_id[rule_id][-1]

    def rules_giving(self, output: str, value: str) -> tuple[str, ...]:
        """The rules whose outcome sets ``output`` to ``value``."""
        return self.outcome_rules.get((output, value), ())

    def rules_on_route(self, decision: str, route: str) -> tuple[str, ...]:
        """The rules of a decision table whose condition names a route (``route ==
        online`` or ``route in [...]``): the documents of that route, its steps."""
        found = []
        for rule_id in self.rule_ids(decision):
            for rule in self.rules_by_id[rule_id]:
                if any(_names(c, "route", route) for c in cond.comparisons(rule.when)):
                    found.append(rule_id)
                    break
        return tuple(found)


def _names(comparison: cond.Compare, fact: str, value: Any) -> bool:
    if comparison.kind != "fact" or comparison.name != fact:
        return False
    if comparison.op == "==":
        return bool(comparison.value == value)
    return comparison.op == "in" and value in comparison.value
