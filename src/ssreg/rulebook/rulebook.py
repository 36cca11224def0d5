"""The rulebook's value classes: sources, facts, decisions, rules, dated parameters, labels.

A :class:`Rulebook` is built by :func:`ssreg.load_rulebook` (``_loader``), which reads
TOML and checks everything (``_rulecheck``); this module only holds the immutable data
and its look-ups, so every other module can depend on it without cycles.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..exceptions import NoValueInForce
from . import conditions as cond
from .sources import Meta, RulebookVersion, Source


if TYPE_CHECKING:
    from .changes import LawChange
    from .provenance import Provenance


LANGUAGES = ("en", "fr", "es")
FAR_FUTURE = date.max
ONE_DAY = timedelta(days=1)


def period_text(start: date, end: date) -> str:
    return f"{start}..{'' if end == FAR_FUTURE else end}"


@attrs.frozen
class FactSpec:
    """A named fact: an input field, a derived fact, a fact set by dossier events, or a
    decision's output.

    ``vocabulary`` names the labels of its values when they are not ``<fact>.<value>``
    (``event_type`` values are labelled as ``event.<value>``); ``display`` says how
    other values are shown (``country``: by their name in the reader's language).
    For an outcome, ``names_parameter`` says its value is the name of the parameter to
    read (``rate.consultation``), and ``reads`` maps a value to the parameters it reads,
    by role (``{"participation_forfaitaire": {"amount": "participation_forfaitaire"}}``).

    An input fact is asked (:mod:`ssreg.rulebook.asking`): ``question`` in each language,
    ``path`` where the answer goes (``student.stay_months``), ``answers`` the labels of
    special answers (``none``: no card), ``default`` the value taken when the caller asks
    to assume (``None``: none).  A derived fact names the ``inputs`` it is computed from.
    """

    name: str
    type: str
    kind: str
    label: Mapping[str, str]
    citations: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    names_parameter: bool = False
    reads: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    origin: str = ""
    vocabulary: str = ""
    display: str = ""
    question: Mapping[str, str] = attrs.field(factory=dict)
    default: Any = None
    answers: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    inputs: tuple[str, ...] = ()
    path: str = ""

    @property
    def prefix(self) -> str:
        """The vocabulary prefix of this fact's values (``route`` -> ``route.online``)."""
        return self.vocabulary or self.name


@attrs.frozen
class DecisionSpec:
    """A decision table: its hit policy (``first`` or ``collect``) and outputs.

    ``scope`` says what it decides on: a ``case``, a ``claim`` or a ``dossier``.
    """

    name: str
    hit_policy: str
    outputs: tuple[str, ...]
    label: Mapping[str, str]
    order: int
    scope: str = "case"
    origin: str = ""
    reads: tuple[str, ...] = ()


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
    reads: tuple[str, ...] = ()

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
    option_labels: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    _starts: tuple[date, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    def value_on(self, on: date) -> ParameterValue:
        """The value in force on ``on``, or :class:`NoValueInForce`."""
        i = bisect.bisect_right(self._starts, on) - 1
        if i >= 0 and on <= self.values[i].end:
            return self.values[i]
        known = ", ".join(period_text(v.start, v.end) for v in self.values)
        raise NoValueInForce(self.name, on, known or "none")

    def gaps(self, start: date, end: date) -> list[tuple[date, date]]:
        """The parts of ``start..end`` where this parameter has no value (empty: covered)."""
        found = []
        cursor = start
        for value in self.values:  # sorted and without overlaps (checked on load)
            if value.end < cursor:
                continue
            if value.start > end:
                break
            if value.start > cursor:
                found.append((cursor, value.start - ONE_DAY))
            if value.end >= end:
                return found
            cursor = value.end + ONE_DAY
        found.append((cursor, end))
        return found


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
    ``short`` names it in a few words (the student's summary), ``label`` in full with
    the documents that count.
    """

    name: str
    one_of: tuple[str, ...]
    stage: str
    label: Mapping[str, str]
    informational: bool = False
    origin: str = ""
    short: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class EventSpec:
    """A kind of dossier event: who acts, what it carries and which facts it sets.

    ``sets`` gives history facts set when the event is recorded; ``document`` the new
    status of the document it names; ``number`` the status of the number it carries
    (``provisional`` or ``definitive``); ``payload`` the event fields it requires;
    ``routes`` the routes whose journey has it (empty: every route).
    """

    name: str
    actor: str
    label: Mapping[str, str]
    citations: tuple[str, ...]
    sets: Mapping[str, Any] = attrs.field(factory=dict)
    document: str = ""
    number: str = ""
    payload: tuple[str, ...] = ()
    changes_case: bool = False
    origin: str = ""
    routes: tuple[str, ...] = ()


@attrs.frozen
class StepSpec:
    """A step of the student's journey: who acts, what it needs, and its sources."""

    name: str
    actor: str
    label: Mapping[str, str]
    needs: Mapping[str, str]
    citations: tuple[str, ...]
    event: str = ""
    origin: str = ""


@attrs.frozen
class Reason:
    """What a person reads when a condition fails, written beside the rules (en/fr/es).

    ``key`` names the condition (``"number_status == definitive"``); ``text`` is the
    sentence, with ``{actual}``, ``{required}`` or any fact's name as placeholders;
    ``unknown`` is said instead when the fact is not given, and ``actual`` holds
    sentences for particular values of the fact (``actual.none``).
    """

    key: str
    text: Mapping[str, str]
    unknown: Mapping[str, str] | None = None
    actual: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    origin: str = ""

    def template(self, actual: Any, lang: str) -> str:
        """The sentence for a fact's actual value, before its placeholders are filled."""
        if actual is None and self.unknown is not None:
            return self.unknown[lang]
        chosen = self.actual.get(cond.literal(actual)) if actual is not None else None
        return (chosen or self.text)[lang]


@attrs.frozen(eq=False)
class Rulebook:
    """A checked, immutable rulebook.  Build one with :func:`ssreg.load_rulebook`."""

    sources: Mapping[str, Source]
    facts: Mapping[str, FactSpec]
    decisions: Mapping[str, DecisionSpec]
    vocabulary: Mapping[str, Mapping[str, str]]
    rules: tuple[Rule, ...]
    parameters: Mapping[str, Parameter]
    fingerprint: str
    documents: Mapping[str, DocumentKind] = attrs.field(factory=dict)
    requirements: Mapping[str, Requirement] = attrs.field(factory=dict)
    events: Mapping[str, EventSpec] = attrs.field(factory=dict)
    steps: Mapping[str, StepSpec] = attrs.field(factory=dict)
    meta: Meta = attrs.field(factory=Meta)
    reasons: Mapping[str, Reason] = attrs.field(factory=dict)
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

    @property
    def first_day(self) -> date:
        """The first day on which any rule of the rulebook is in force."""
        found: date | None = self._memo.get("first_day")
        if found is None:
            found = self._memo["first_day"] = min((r.start for r in self.rules),
                                                  default=date.min)
        return found

    @property
    def version(self) -> RulebookVersion:
        """The version, horizon and fingerprint every answer of this rulebook carries."""
        found: RulebookVersion | None = self._memo.get("version")
        if found is None:
            found = self._memo["version"] = RulebookVersion(
                version=self.meta.version or f"unversioned+{self.fingerprint[:8]}",
                horizon=self.meta.horizon, fingerprint=self.fingerprint)
        return found

    def provenance(self, *, on: date, max_age_days: int = 365) -> Provenance:
        """The kind and freshness of the sources of every dated value, on a date
        (:mod:`ssreg.rulebook.provenance`)."""
        from .provenance import provenance

        return provenance(self, on=on, max_age_days=max_age_days)

    def law_changes(self) -> tuple[LawChange, ...]:
        """The law changes this rulebook knows of, newest first, from its own data
        (:mod:`ssreg.rulebook.changes`)."""
        found: tuple[LawChange, ...] | None = self._memo.get("law_changes")
        if found is None:
            from .changes import law_changes

            found = self._memo["law_changes"] = law_changes(self)
        return found

    def rule(self, rule_id: str, on: date) -> Rule:
        """The version of a rule in force on a date."""
        versions = self._by_id.get(rule_id, ())
        for rule in versions:
            if rule.in_force(on):
                return rule
        known = ", ".join(period_text(r.start, r.end) for r in versions)
        raise NoValueInForce(f"rule {rule_id!r}", on, known or "unknown rule")

    def memo(self) -> dict[str, Any]:
        """A private cache owned by this rulebook (compiled closures, rules per date)."""
        return self._memo

    def decision_order(self, scope: str = "case") -> list[DecisionSpec]:
        """Decisions of a scope (``case``, ``claim``, ``dossier``) in the order they are taken."""
        memo: dict[str, list[DecisionSpec]] = self._memo.setdefault("decision_order", {})
        found = memo.get(scope)
        if found is None:
            chosen = [d for d in self.decisions.values() if d.scope == scope]
            found = memo[scope] = sorted(chosen, key=lambda d: (d.order, d.name))
        return found

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

    def reason(self, key: str, subject: str) -> Reason | None:
        """The reason of a condition: the one written for it (``"age < 16"``), else the
        one written for its fact or parameter as a whole (``"age"``, ``"param:NAME"``)."""
        return self.reasons.get(key) or self.reasons.get(subject)

    def values_of(self, fact: str) -> tuple[str, ...]:
        """The declared values of a fact (empty when it is open)."""
        spec = self.facts.get(fact)
        return spec.values if spec is not None else ()

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rulebook) and other.fingerprint == self.fingerprint
