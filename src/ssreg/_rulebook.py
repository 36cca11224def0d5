"""The rulebook: sources, facts, decisions, rules, dated parameters and labels, as data.

A rulebook is read from TOML files (``tomllib`` with ``parse_float=Decimal``); reading
never executes code.  :func:`load_rulebook` reads files or folders, optionally on top of
another rulebook (an overlay), then :mod:`ssreg._rulecheck` checks the whole result and
reports every problem with its file and key.
"""

from __future__ import annotations

import bisect
import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from . import _conditions as cond
from .exceptions import NoValueInForce, Problem, RulebookError


LANGUAGES = ("en", "fr", "es")
FAR_FUTURE = date.max
TOP_LEVEL_KEYS = ("sources", "facts", "decisions", "vocabulary", "rules", "parameters",
                  "documents", "requirements")
TABLE_SECTIONS = ("sources", "facts", "decisions", "vocabulary", "parameters", "documents",
                  "requirements")


@attrs.frozen
class Source:
    """A citable source: the seed guide (by section) or an official or secondary page."""

    key: str
    title: str
    url: str
    note: str = ""
    origin: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"key": self.key, "title": self.title, "url": self.url}
        if self.note:
            data["note"] = self.note
        return data


@attrs.frozen
class FactSpec:
    """A named fact: an input field, a derived fact or a decision's output."""

    name: str
    type: str
    kind: str
    label: Mapping[str, str]
    citations: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    origin: str = ""


@attrs.frozen
class DecisionSpec:
    """A decision table: its hit policy (``first`` or ``collect``) and outputs."""

    name: str
    hit_policy: str
    outputs: tuple[str, ...]
    label: Mapping[str, str]
    order: int
    scope: str = "case"
    origin: str = ""


@attrs.frozen(eq=False)
class Rule:
    """One dated, cited, trilingual rule of a decision table (compared by identity)."""

    id: str
    decision: str
    priority: int
    outcome: Mapping[str, Any]
    when: cond.Node
    label: Mapping[str, str]
    citations: tuple[str, ...]
    start: date
    end: date = FAR_FUTURE
    origin: str = ""

    def in_force(self, on: date) -> bool:
        return self.start <= on <= self.end

    @property
    def parameters_read(self) -> tuple[str, ...]:
        """Names of the parameters this rule's condition compares."""
        return tuple(c.name for c in cond.comparisons(self.when) if c.kind == "param")


@attrs.frozen
class ParameterValue:
    start: date
    end: date
    value: Any
    citations: tuple[str, ...]
    note: str = ""
    uncertain: bool = False


@attrs.frozen
class Parameter:
    """A dated value (rate, amount, choice) with the period and citation of each value.

    A *choice* parameter (``options`` not empty) models a point where sources disagree:
    ``alternatives`` cites the sources behind each option not taken by default.
    """

    name: str
    type: str
    unit: str
    label: Mapping[str, str]
    values: tuple[ParameterValue, ...]
    options: tuple[str, ...] = ()
    alternatives: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    origin: str = ""
    _starts: tuple[date, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    def value_on(self, on: date) -> ParameterValue:
        """The value in force on ``on``, or :class:`NoValueInForce`."""
        i = bisect.bisect_right(self._starts, on) - 1
        if i >= 0 and on <= self.values[i].end:
            return self.values[i]
        known = ", ".join(
            f"{v.start}..{'' if v.end == FAR_FUTURE else v.end}" for v in self.values
        )
        raise NoValueInForce(self.name, on, known or "none")


@attrs.frozen
class DocumentKind:
    """A kind of document and the checks its copies must pass (``not_expired``...)."""

    name: str
    label: Mapping[str, str]
    checks: tuple[str, ...] = ()
    origin: str = ""


@attrs.frozen
class Requirement:
    """Evidence a student must give: any one document of ``one_of``.

    ``stage`` is the workflow step it is needed for (``provisional`` certificate or
    ``final`` certificate); an ``informational`` requirement is shown but never blocks.
    """

    name: str
    one_of: tuple[str, ...]
    stage: str
    label: Mapping[str, str]
    informational: bool = False
    origin: str = ""


@attrs.frozen(eq=False)
class Rulebook:
    """A checked, immutable rulebook.  Build one with :func:`load_rulebook`."""

    sources: Mapping[str, Source]
    facts: Mapping[str, FactSpec]
    decisions: Mapping[str, DecisionSpec]
    vocabulary: Mapping[str, Mapping[str, str]]
    rules: tuple[Rule, ...]
    parameters: Mapping[str, Parameter]
    fingerprint: str
    documents: Mapping[str, DocumentKind] = attrs.field(factory=dict)
    requirements: Mapping[str, Requirement] = attrs.field(factory=dict)
    _by_decision: Mapping[str, tuple[Rule, ...]] = attrs.field(init=False, repr=False)
    _memo: dict[str, Any] = attrs.field(init=False, repr=False, factory=dict)
    _by_id: Mapping[str, tuple[Rule, ...]] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        grouped: dict[str, list[Rule]] = {name: [] for name in self.decisions}
        for rule in self.rules:
            grouped.setdefault(rule.decision, []).append(rule)
        by_decision = {
            name: tuple(sorted(rules, key=lambda r: (r.priority, r.id, r.start)))
            for name, rules in grouped.items()
        }
        object.__setattr__(self, "_by_decision", MappingProxyType(by_decision))
        by_id: dict[str, list[Rule]] = {}
        for rule in self.rules:
            by_id.setdefault(rule.id, []).append(rule)
        object.__setattr__(self, "_by_id", MappingProxyType(
            {key: tuple(versions) for key, versions in by_id.items()}))

    def rule(self, rule_id: str, on: date) -> Rule:
        """The version of a rule in force on a date."""
        versions = self._by_id.get(rule_id, ())
        for rule in versions:
            if rule.in_force(on):
                return rule
        known = ", ".join(f"{r.start}..{'' if r.end == FAR_FUTURE else r.end}" for r in versions)
        raise NoValueInForce(f"rule {rule_id!r}", on, known or "unknown rule")

    def memo(self) -> dict[str, Any]:
        """A private cache owned by this rulebook (compiled closures, rules per date)."""
        return self._memo

    def decision_order(self, scope: str = "case") -> list[DecisionSpec]:
        """Decisions of a scope (``case`` or ``claim``) in the order they are taken."""
        chosen = [d for d in self.decisions.values() if d.scope == scope]
        return sorted(chosen, key=lambda d: (d.order, d.name))

    def rules_of(self, decision: str) -> tuple[Rule, ...]:
        """Every version of every rule of a decision, in priority order."""
        return self._by_decision.get(decision, ())

    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise NoValueInForce(name, "any date", "unknown parameter") from None

    def label(self, key: str, lang: str) -> str:
        """The label of a vocabulary entry (``"route.online"``) in a language."""
        entry = self.vocabulary.get(key)
        if entry is None:
            return key
        return entry.get(lang) or entry["en"]

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rulebook) and other.fingerprint == self.fingerprint


# --------------------------------------------------------------------------- loading


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(path.name, f"not valid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(str(path), f"cannot read: {exc.strerror}"))
    return {}


def _toml_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.toml")))
        else:
            files.append(path)
    return files


@attrs.define
class _Raw:
    """Raw tables gathered from files, each remembering where it came from."""

    sources: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    facts: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    decisions: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    vocabulary: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    parameters: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    documents: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    requirements: dict[str, tuple[str, dict[str, Any]]] = attrs.Factory(dict)
    rules: dict[str, list[tuple[str, dict[str, Any]]]] = attrs.Factory(dict)
    disabled: set[str] = attrs.Factory(set)


def _gather(raw: _Raw, files: list[Path], problems: list[Problem], *, overlay: bool) -> None:
    overlay_rules: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in files:
        data = _read_toml(path, problems)
        name = path.name
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                problems.append(
                    Problem(f"{name}:{key}", f"unknown table; expected one of {TOP_LEVEL_KEYS}")
                )
        for section in TABLE_SECTIONS:
            table = data.get(section, {})
            if not isinstance(table, dict):
                problems.append(Problem(f"{name}:{section}", "expected a table"))
                continue
            target: dict[str, tuple[str, dict[str, Any]]] = getattr(raw, section)
            for key, value in table.items():
                if not isinstance(value, dict):
                    problems.append(Problem(f"{name}:{section}.{key}", "expected a table"))
                    continue
                target[key] = (f"{name}:{section}.{key}", value)
        rules = data.get("rules", [])
        if not isinstance(rules, list):
            problems.append(Problem(f"{name}:rules", "expected an array of tables [[rules]]"))
            continue
        for i, rule in enumerate(rules):
            where = f"{name}:rules[{i}]"
            if not isinstance(rule, dict) or not isinstance(rule.get("id"), str):
                problems.append(Problem(where, "each [[rules]] entry needs a string `id`"))
                continue
            if rule.get("disabled") is True:
                raw.disabled.add(rule["id"])
                continue
            overlay_rules.setdefault(rule["id"], []).append((where, rule))
    for rule_id, versions in overlay_rules.items():
        if overlay:
            raw.rules[rule_id] = versions  # an overlay replaces every version of an id
        else:
            raw.rules.setdefault(rule_id, []).extend(versions)
    for rule_id in raw.disabled:
        raw.rules.pop(rule_id, None)


def _fingerprint(files: list[Path], base: str) -> str:
    digest = hashlib.sha256(base.encode())
    for path in files:
        try:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:16]


def builtin_rules_dir() -> Path:
    """The folder of the built-in rulebook inside the installed package."""
    return Path(str(resources.files("ssreg") / "rules"))


@cache
def default_rulebook() -> Rulebook:
    """The built-in rulebook, loaded and checked once per process."""
    return load_rulebook(builtin_rules_dir())


def load_rulebook(*paths: str | Path, base: Rulebook | None = None) -> Rulebook:
    """Load TOML rule files or folders into a checked :class:`Rulebook`.

    With ``base``, the files form an *overlay*: their sources, facts, decisions,
    parameters and labels replace the base's entries of the same key; a rule id replaces
    every version of that id; ``disabled = true`` removes a rule.  The whole result is
    checked and every problem is reported at once.

    >>> import ssreg
    >>> book = ssreg.load_rulebook(ssreg.builtin_rules_dir())
    >>> "route.online.first_time_international" in {r.id for r in book.rules}
    True
    >>> ssreg.load_rulebook("/no/such/file.toml")
    Traceback (most recent call last):
    ...
    ssreg.exceptions.RulebookError: invalid rulebook: /no/such/file.toml: cannot read: ...
    """
    from . import _rulecheck

    problems: list[Problem] = []
    files = _toml_files(paths)
    raw = _Raw()
    if base is not None:
        _seed_from(raw, base)
    _gather(raw, files, problems, overlay=base is not None)
    if problems:
        raise RulebookError(problems)
    fingerprint = _fingerprint(files, base.fingerprint if base else "")
    return _rulecheck.build(raw, fingerprint)


def _seed_from(raw: _Raw, base: Rulebook) -> None:
    """Fill raw tables from an already built rulebook (overlay on a custom base)."""
    for key, src in base.sources.items():
        raw.sources[key] = (src.origin, attrs.asdict(src))
    for key, fact in base.facts.items():
        data = attrs.asdict(fact)
        data["label"] = dict(fact.label)
        raw.facts[key] = (fact.origin, data)
    for key, dec in base.decisions.items():
        data = {"hit_policy": dec.hit_policy, "outputs": list(dec.outputs),
                "label": dict(dec.label), "order": dec.order, "scope": dec.scope}
        raw.decisions[key] = (dec.origin, data)
    for key, labels in base.vocabulary.items():
        raw.vocabulary[key] = ("", dict(labels))
    for key, kind in base.documents.items():
        raw.documents[key] = (kind.origin, {"label": dict(kind.label),
                                            "checks": list(kind.checks)})
    for key, req in base.requirements.items():
        raw.requirements[key] = (req.origin, {
            "label": dict(req.label), "one_of": list(req.one_of), "stage": req.stage,
            "informational": req.informational})
    for key, param in base.parameters.items():
        raw.parameters[key] = (param.origin, _param_to_raw(param))
    for rule in base.rules:
        raw.rules.setdefault(rule.id, []).append((rule.origin, _rule_to_raw(rule)))


def _param_to_raw(param: Parameter) -> dict[str, Any]:
    values = []
    for v in param.values:
        value = list(v.value) if isinstance(v.value, tuple) else v.value
        entry: dict[str, Any] = {"start": v.start, "value": value,
                                 "citations": list(v.citations)}
        if v.end != FAR_FUTURE:
            entry["end"] = v.end
        if v.note:
            entry["note"] = v.note
        if v.uncertain:
            entry["uncertain"] = True
        values.append(entry)
    data: dict[str, Any] = {"type": param.type, "unit": param.unit,
                            "label": dict(param.label), "values": values}
    if param.options:
        data["options"] = list(param.options)
        data["alternatives"] = {k: list(v) for k, v in param.alternatives.items()}
    return data


def _rule_to_raw(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id, "decision": rule.decision, "priority": rule.priority,
        "outcome": dict(rule.outcome), "when": cond.to_data(rule.when),
        "label": dict(rule.label), "citations": list(rule.citations), "start": rule.start,
    }
    if rule.end != FAR_FUTURE:
        data["end"] = rule.end
    return data

