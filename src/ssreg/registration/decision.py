"""The Decision: conclusions, trace and citations, with a versioned JSON form and text.

``Decision.to_dict()`` follows the schema documented in ``docs/trace-schema.md``
(``"schema": "ssreg.decision/3"``); with ``lang`` it also carries the label of every
code it contains.  ``Decision.explain(lang)`` renders the full trace as text and
``Decision.summary(lang)`` a few lines for the student, in English, French or Spanish.
The trace (rules fired, why the others did not, parameters read) is built the first
time it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from .. import _seam
from ..engines.tables import DecisionRun, FiredRule, RuleNotApplied, RuleOpen
from ..model.arguments import NONE, TEXT, accepts, one_of
from ..rulebook.conditions import Failure, jsonable
from ..rulebook.rulebook import FAR_FUTURE, LANG, Rulebook
from ..rulebook.sources import RulebookVersion
from .documents import Checklist
from .workflow import Workflow


if TYPE_CHECKING:
    from ..model.models import Case
    from ..pricing.summary import Reimbursements
    from .questions import Question

#: the JSON forms of a Decision: with its trace, or what a front end shows
FORMS = ("full", "compact")

__all__ = ["Decision", "Failure", "FiredRule", "Notice", "ParameterRead", "RuleNotApplied",
           "RuleOpen", "Trace"]


@attrs.frozen
class ParameterRead:
    """A parameter value that was used, with its period and citations."""

    name: str
    value: Any
    start: date
    end: date
    citations: tuple[str, ...]
    overridden: bool = False
    uncertain: bool = False
    alternatives: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name, "value": jsonable(self.value),
            "period": {"start": self.start.isoformat(),
                       "end": None if self.end == FAR_FUTURE else self.end.isoformat()},
            "citations": list(self.citations),
        }
        if self.overridden:
            data["overridden"] = True
        if self.uncertain:
            data["uncertain"] = True
        if self.alternatives:
            data["alternatives"] = {k: list(v) for k, v in self.alternatives.items()}
        return data


@attrs.frozen
class Notice:
    """A warning or an assumption: a code, the values it shows, and where it comes from.

    Warnings come from the ``warnings`` decision tables (``rule`` is set) or from the
    rulebook itself (its horizon); assumptions say which default was used and why.
    """

    code: str
    values: Mapping[str, Any] = attrs.field(factory=dict)
    rule: str | None = None
    citations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code,
                                "values": {k: jsonable(v) for k, v in self.values.items()}}
        if self.rule is not None:
            data["rule"] = self.rule
        if self.citations:
            data["citations"] = list(self.citations)
        return data


@attrs.frozen
class Trace:
    fired: tuple[FiredRule, ...]
    not_applied: tuple[RuleNotApplied, ...]
    parameters: tuple[ParameterRead, ...]
    facts: Mapping[str, Any]
    open: tuple[RuleOpen, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "fired": [f.to_dict() for f in self.fired],
            "open": [o.to_dict() for o in self.open],
            "not_applied": [n.to_dict() for n in self.not_applied],
            "parameters": [p.to_dict() for p in self.parameters],
            "facts": {k: jsonable(v) for k, v in sorted(self.facts.items())},
        }


def parameter_reads(reads: Mapping[str, tuple[Any, Any, bool]],
                    overrides: Mapping[str, Any]) -> tuple[ParameterRead, ...]:
    return tuple(
        ParameterRead(name=name, value=overrides[name] if overridden else value.value,
                      start=value.start, end=value.end, citations=value.citations,
                      overridden=overridden, uncertain=value.uncertain and not overridden,
                      alternatives=param.alternatives)
        for name, (param, value, overridden) in sorted(reads.items()))


def _shared_reads(book: Rulebook, reads: Mapping[str, tuple[Any, Any, bool]],
                  overrides: Mapping[str, Any]) -> tuple[ParameterRead, ...]:
    """:func:`parameter_reads`, kept on the rulebook for the same values read."""
    memo: dict[Any, tuple[ParameterRead, ...]] = book.memo().setdefault("reads", {})
    try:
        key = tuple(sorted((name, id(value), overridden, overrides.get(name))
                           for name, (_, value, overridden) in reads.items()))
        found = memo.get(key)
    except TypeError:  # an override that cannot be a key
        return parameter_reads(reads, overrides)
    if found is None:
        found = parameter_reads(reads, overrides)
        if len(memo) > 10_000:
            memo.clear()
        memo[key] = found
    return found


@attrs.frozen(kw_only=True, eq=False)
class Decision:
    """What ssreg concludes for a case (or dossier) on a date, why, and on which sources.

    ``route`` is the registration route, ``blocks`` the conditions blocking it,
    ``checklist`` the required documents, ``workflow`` the dossier's stage and next
    steps (for a dossier), ``reimbursements`` the priced claims, ``warnings`` what the
    student must see and ``assumptions`` the defaults used.

    ``outcomes`` holds the *settled* answers; ``open`` the answers that depend on facts
    the case did not give, with the values they may take (for a list such as the
    documents, the items that may be added), and ``questions`` what to ask, most
    deciding first, with what each answer would give.  ``unknown`` is the mode the case
    was evaluated in: ``ask`` (nothing assumed) or ``assume``.
    """

    on: date
    outcomes: Mapping[str, Any]
    checklist: Checklist
    academic_year: str
    reimbursements: Reimbursements | None = None
    workflow: Workflow | None = None
    warnings: tuple[Notice, ...] = ()
    assumptions: tuple[Notice, ...] = ()
    open: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict)
    unknown: str = "ask"
    book: Rulebook = attrs.field(repr=False)
    _run: DecisionRun = attrs.field(repr=False, alias="run")
    # re-decides the same input with some fields changed (for the questions)
    _redo: Callable[[Mapping[str, Any]], Decision] | None = attrs.field(
        repr=False, alias="redo", default=None)
    _case: Case | None = attrs.field(repr=False, alias="case", default=None)
    _questions: list[tuple[Question, ...]] = attrs.field(factory=list, repr=False, init=False)
    # the parameters read, as recorded (ParameterReader.reads) and the overrides in force
    _reads: Mapping[str, tuple[Any, Any, bool]] = attrs.field(repr=False, alias="reads",
                                                              factory=dict)
    _overrides: Mapping[str, Any] = attrs.field(repr=False, alias="overrides", factory=dict)
    _trace: list[Trace] = attrs.field(factory=list, repr=False, init=False)
    _parameters: list[tuple[ParameterRead, ...]] = attrs.field(factory=list, repr=False,
                                                                init=False)

    @property
    def parameters(self) -> tuple[ParameterRead, ...]:
        """Every parameter value used, with its period and citations (built once, and
        shared by the Decisions that read the same values)."""
        if not self._parameters:
            self._parameters.append(_shared_reads(self.book, self._reads, self._overrides))
        return self._parameters[0]

    @property
    def questions(self) -> tuple[Question, ...]:
        """The facts not given whose answer could change an answer, most deciding first,
        each with what every answer would give (computed once, when first read)."""
        if not self._questions:
            from .questions import questions_of

            self._questions.append(questions_of(self))
        return self._questions[0]

    @property
    def settled(self) -> bool:
        """Nothing is open: every answer holds whatever the facts not given are."""
        return not self.open

    def redo(self, changes: Mapping[str, Any]) -> Decision:
        """The Decision of the same input with some fields given (``{"has_s1": True}``;
        a claim's field as ``"claims[0].sector"``), in the ask mode."""
        if self._redo is None:
            raise TypeError("this Decision was not made by ssreg.evaluate")
        return self._redo(changes)

    @property
    def rulebook_version(self) -> RulebookVersion:
        """Which rules answered: the rulebook's version, horizon and fingerprint."""
        return self.book.version

    @property
    def route(self) -> str | None:
        """``online``, ``cpam``, ``no_registration`` or ``private_insurance``; ``None``
        while it is open (see ``open["route"]`` and ``questions``)."""
        value = self.outcomes.get("route")
        return value if isinstance(value, str) else None

    @property
    def blocks(self) -> tuple[str, ...]:
        """Conditions blocking the registration route (e.g. ``address_in_france``)."""
        return tuple(self.outcomes.get("blocks", ()))

    @property
    def trace(self) -> Trace:
        """Rules fired, rules not applied with why, parameters read, facts (built once)."""
        if not self._trace:
            run = self._run
            self._trace.append(Trace(fired=run.fired_rules(), not_applied=run.not_applied(),
                                     parameters=self.parameters, facts=run.facts(),
                                     open=run.maybe_rules()))
        return self._trace[0]

    def citation_keys(self) -> list[str]:
        keys: set[str] = set()
        for table in self._run.tables:
            for rule in table.fired:
                keys.update(rule.citations)
        for read in self.parameters:
            keys.update(read.citations)
            for cites in read.alternatives.values():
                keys.update(cites)
        keys.update(self.checklist.citation_keys())
        for section in (self.reimbursements, self.workflow):
            if section is not None:
                keys.update(section.citation_keys())
        for notice in (*self.warnings, *self.assumptions):
            keys.update(notice.citations)
        return sorted(keys)

    @accepts(lang=NONE | LANG, form=one_of(FORMS), base_url=NONE | TEXT)
    def to_dict(self, lang: str | None = None, *, form: str = "full",
                base_url: str | None = None) -> dict[str, Any]:
        """The documented, versioned JSON form (``docs/trace-schema.md``).

        With ``lang`` (``"en"``, ``"fr"`` or ``"es"``) every code also carries its label.
        ``form="compact"`` leaves out the trace, the findings and the citations: what a
        front end shows (``ssreg.decision-compact/1``), a tenth of the size or less.
        With ``base_url``, the address where the site of ``ssreg site`` is published,
        ``links`` gives the page of every rule and parameter the full form cites
        (``docs/site.md``); without it the JSON form is unchanged.
        """
        return _seam.decision_dict(self, lang, form, base_url)

    @accepts(lang=LANG)
    def summary(self, lang: str = "en") -> str:
        """A few lines for the student: what to do, what to bring, what is blocking."""
        return _seam.decision_summary(self, lang)

    @accepts(lang=LANG)
    def checklist_text(self, lang: str = "en") -> str:
        """The document checklist to print: a box per requirement and its alternatives."""
        return _seam.decision_checklist(self, lang)

    @accepts(lang=LANG)
    def explain(self, lang: str = "en") -> str:
        """The full reasoning as text, every conclusion with its sources."""
        return _seam.decision_explanation(self, lang)

    def to_html(self, lang: str = "en", *, base_url: str | None = None) -> str:
        """The notebook view as HTML: summary, checklist, claims; with ``base_url``, links
        to the site's page of each rule and parameter cited."""
        return _seam.decision_html(self, lang, base_url)

    def _repr_html_(self) -> str:
        return _seam.decision_html(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]
