"""The questions a Decision still depends on, and what each answer would give.

An answer is *open* when the rules it comes from read a fact the case did not give
(:mod:`ssreg.engines.tables`).  The questions are the input facts behind those
comparisons (a derived fact names its ``inputs`` in the rulebook) whose answer changes
something: each possible answer (each value, or each range of dates or numbers between
the thresholds the conditions compare against) is decided again, the other facts still
unknown, and a fact whose every answer gives the same picture is not asked.  The
questions are ordered so that the one settling the most comes first: the earliest
decision (the route) weighs most, then the number of answers still open.

The texts of a question (the question itself, the labels of its answers, its sources)
are rule data: ``question``, ``answers`` and ``citations`` of the input fact.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import attrs

from ..pricing.results import ClaimResult
from ..rulebook import conditions as cond
from ..rulebook.asking import inputs_behind
from ..rulebook.facts import breakpoints
from ..rulebook.rulebook import FactSpec, Rulebook
from .decision import Notice


if TYPE_CHECKING:
    from .decision import Decision

__all__ = ["Answer", "Question", "assumptions_of", "questions_of"]


@attrs.frozen
class Answer:
    """A possible answer: one ``value``, or the range ``low``..``high`` (inclusive; ``None``
    is unbounded), and what the open answers become with it: ``outcomes`` the settled
    ones, ``open`` those still open with the values they may take."""

    value: Any = None
    low: Any = None
    high: Any = None
    is_range: bool = False
    outcomes: Mapping[str, Any] = attrs.field(factory=dict)
    open: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict)
    #: how many facts the open answers still depend on after this answer (for the order)
    remaining: int = attrs.field(default=0, eq=False, repr=False)
    #: the values the warnings' texts read in the decision this answer gives
    #: (``academic_year_end``...), to fill them when the answer is shown
    values: Mapping[str, Any] = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def example(self) -> Any:
        """A value of this answer: its value, or a range's first value (its last one when
        it has no first)."""
        if not self.is_range:
            return self.value
        if self.low is not None:
            return self.low
        return self.high

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = (
            {"from": cond.jsonable(self.low), "to": cond.jsonable(self.high)} if self.is_range
            else {"value": cond.jsonable(self.value)})
        data["outcomes"] = {k: _plain(v) for k, v in self.outcomes.items()}
        if self.open:
            data["open"] = {k: cond.jsonable(v) for k, v in self.open.items()}
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):  # a claim's amounts
        return {k: cond.jsonable(v) for k, v in value.items()}
    return cond.jsonable(value)


@attrs.frozen
class Question:
    """A fact to ask: where its answer goes (``path``), what kind of answer it takes, what
    it settles (``settles``: some answer changes them; ``affects``: also those it decides
    together with other facts), and what each answer would give.  Its texts are in the
    rulebook."""

    fact: str
    path: str
    type: str
    values: tuple[Any, ...]
    settles: tuple[str, ...]
    answers: tuple[Answer, ...]
    citations: tuple[str, ...] = ()
    required: bool = False
    #: the open answers it bears on: those it settles, and those it decides only together
    #: with another fact not given (some answer changes the rules they may come from)
    affects: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"fact": self.fact, "path": self.path, "type": self.type}
        if self.values:
            data["values"] = [cond.jsonable(v) for v in self.values]
        if self.required:
            data["required"] = True
        data["settles"] = list(self.settles)
        data["affects"] = list(self.affects)
        data["answers"] = [a.to_dict() for a in self.answers]
        data["citations"] = list(self.citations)
        return data


# --------------------------------------------------------------------------- candidates


def _not_given(env: Mapping[str, Any], name: str) -> bool:
    return env.get(name).__class__ is cond.Unknown


def candidate_facts(decision: Decision, only: tuple[str, ...] | None = None) -> list[str]:
    """The input facts not given behind the comparisons open answers depend on (those of
    ``only``, by default every open answer), in the order the rules read them."""
    book, run = decision.book, decision._run
    found: dict[str, None] = {}
    for table in run.tables:
        if table.decision not in decision.open or (only is not None
                                                   and table.decision not in only):
            continue
        for rule in table.maybe:
            for comp in cond.unknown_comparisons(rule.when, run.env):
                for name in inputs_behind(book.facts, comp.name):
                    spec = book.facts[name]
                    if spec.path.startswith("student.") and _not_given(run.env, name):
                        found[name] = None
    return list(found)


def _literals(decision: Decision, name: str) -> set[Any]:
    """Where a number compared by the rules changes a comparison's value."""
    points: set[Any] = set()
    for table in decision._run.tables:
        for rule in table.rules:
            for comp in cond.comparisons(rule.when):
                if comp.kind != "fact" or comp.name != name:
                    continue
                values = comp.value if isinstance(comp.value, frozenset) else {comp.value}
                for value in values:
                    if comp.op in ("<=", ">"):
                        points.add(value + 1)
                    elif comp.op in ("<", ">="):
                        points.add(value)
                    else:
                        points.update((value, value + 1))
    return points


def _answers_to_try(decision: Decision, spec: FactSpec) -> list[Answer]:
    """The answers worth deciding: each value, or each range between thresholds."""
    specials = [Answer(value=v) for v in spec.answers]
    if spec.type == "bool":
        return [Answer(value=True), Answer(value=False)]
    if spec.values:
        return [Answer(value=v) for v in spec.values]
    case = decision._case
    assert case is not None
    student = case.student
    year_end = decision._run.env["academic_year_end"]
    points = set(breakpoints(spec.name, student, decision.on, year_end, case.arrival_date))
    if spec.type == "int":
        points = {p for p in points | _literals(decision, spec.name) if p > 0}
        edges = sorted(points)
        lows = [0, *edges]
        highs = [p - 1 for p in edges] + [None]
        return specials + [Answer(low=lo, high=hi, is_range=True)
                           for lo, hi in zip(lows, highs, strict=True)]
    if spec.type == "date":
        edges = sorted(points)
        ranges = [Answer(high=edges[0] - timedelta(days=1), is_range=True)] + [
            Answer(low=lo, high=hi - timedelta(days=1), is_range=True)
            for lo, hi in itertools.pairwise(edges) if hi > lo] + [
            Answer(low=edges[-1], is_range=True)]
        return specials + ranges
    return specials


def _state(decision: Decision, names: tuple[str, ...]) -> tuple[dict[str, Any],
                                                                  dict[str, tuple[Any, ...]]]:
    """What the given answers are in a decision: settled values and open ones (a list,
    such as the documents, has both: the items that hold and those that may be added)."""
    decisions = decision.book.decisions
    outcomes = {n: decision.outcomes.get(n) for n in names
                if n not in decision.open or decisions[n].hit_policy == "collect"}
    opened = {n: decision.open[n] for n in names if n in decision.open}
    return outcomes, opened


def _field(path: str) -> str:
    return path.split(".", 1)[1]


def _candidates(decision: Decision, names: tuple[str, ...]) -> tuple[Any, ...]:
    """For each of the answers ``names``, the rules that may apply and those that hold."""
    tables = {t.decision: t for t in decision._run.tables}
    return tuple((n, tuple(r.id for r in tables[n].maybe), tuple(r.id for r in tables[n].fired))
                 if n in tables else (n,) for n in names)


def _decided(decision: Decision, spec: FactSpec, answers: list[Answer],
             names: tuple[str, ...]) -> tuple[list[Answer], set[str]]:
    """Each answer with what it gives, adjacent ranges giving the same merged; and the
    open answers whose candidate rules some answer changes (what the fact bears on,
    possibly together with other facts)."""
    found: list[Answer] = []
    signatures = []
    for answer in answers:
        other = decision.redo({_field(spec.path): answer.example})
        signatures.append(_candidates(other, names))
        outcomes, opened = _state(other, names)
        current = attrs.evolve(answer, outcomes=outcomes, open=opened,
                               remaining=len(candidate_facts(other, names[:1])),
                               values={k: v for n in other.warnings for k, v in n.values.items()})
        if found and current.is_range and found[-1].is_range and \
                (found[-1].outcomes, found[-1].open) == (outcomes, opened):
            found[-1] = attrs.evolve(found[-1], high=current.high)
        else:
            found.append(current)
    affects = {names[i] for i, entries in enumerate(zip(*signatures, strict=True))
               if len(set(entries)) > 1}
    return found, affects


def _question(decision: Decision, spec: FactSpec, names: tuple[str, ...]) -> Question:
    answers, affects = _decided(decision, spec, _answers_to_try(decision, spec), names)
    settles = tuple(n for n in names if len({(repr(a.outcomes.get(n)), repr(a.open.get(n)))
                                              for a in answers}) > 1)
    return Question(fact=spec.name, path=spec.path, type=spec.type,
                    values=tuple(spec.values) or tuple(spec.answers), settles=settles,
                    affects=tuple(n for n in names if n in affects or n in settles),
                    answers=tuple(answers), citations=spec.citations)


def questions_of(decision: Decision) -> tuple[Question, ...]:
    """The questions of a Decision (see the module docs)."""
    found: list[Question] = []
    if decision.open and decision._redo is not None:
        names = _open_names(decision)
        book = decision.book
        candidates = candidate_facts(decision)
        asked = [_question(decision, book.facts[name], names) for name in candidates]
        # a fact is asked when one of its answers changes an open answer, or the rules it
        # may come from (it decides together with another fact not given); Kleene's logic
        # may even leave an answer open that no single fact changes: then every fact
        # behind it is asked (answering them all settles it)
        useful = [q for q in asked if q.affects]
        chosen = useful or asked
        order = {name: i for i, name in enumerate(candidates)}
        chosen.sort(key=lambda q: (_openness(q, names), order[q.fact]))
        found.extend(chosen)
    found.extend(price_questions(decision))
    return tuple(found)


def _open_names(decision: Decision) -> tuple[str, ...]:
    """The open answers, in the order their decisions are taken."""
    order = {d.name: (d.scope != "case", d.order) for d in decision.book.decisions.values()}
    return tuple(sorted(decision.open, key=lambda n: order.get(n, (True, 0))))


def _openness(question: Question, names: tuple[str, ...]) -> tuple[float, ...]:
    """How much the question leaves to ask, averaged over its possible answers (lower
    settles more): first how often the earliest open answer (the route) stays open and
    how many facts it still depends on, then, decision by decision, how many values
    each open answer may still take."""
    count = max(len(question.answers), 1)
    first = names[0]
    return (sum(first in a.open for a in question.answers) / count,
            sum(a.remaining for a in question.answers) / count,
            *(sum(len(a.open.get(n, ())) for a in question.answers) / count
              for n in names))


# --------------------------------------------------------------------------- prices


def price_questions(decision: Decision) -> list[Question]:
    """The fields of the case's claims priced on an assumption, each a question whose
    answers (for a yes/no or a choice) say what the claim's price becomes."""
    from ..pricing.assumptions import field_of

    section = decision.reimbursements
    if section is None or decision._redo is None:
        return []
    book = decision.book
    found: list[Question] = []
    for result in section.results:
        if not isinstance(result, ClaimResult):
            continue
        for code in result.assumptions:
            name = field_of(code)
            spec = book.facts.get(name) if name else None
            if spec is None or name is None or not spec.question:
                continue  # a field with no question of its own (a derived window)
            key = f"claims[{result.position}]"
            path = f"{key}.{name}"
            values: tuple[Any, ...] = (True, False) if spec.type == "bool" else spec.values
            answers = []
            for value in values:
                other = decision.redo({path: value}).reimbursements
                priced = other.results[result.position] if other is not None else None
                if isinstance(priced, ClaimResult):
                    answers.append(Answer(value=value, outcomes={key: {
                        "amo": priced.amo, "top_up": priced.top_up,
                        "patient": priced.patient}}))
            found.append(Question(fact=name, path=path, type=spec.type, values=spec.values,
                                  settles=(key,), affects=(key,), answers=tuple(answers),
                                  citations=spec.citations))
    return found


# --------------------------------------------------------------------------- assuming


def assumptions_of(decision: Decision) -> tuple[dict[str, Any], tuple[Notice, ...]]:
    """What the assume mode fills in: every student field not given takes its default;
    the ones a question asks (they could change an answer) are listed."""
    book: Rulebook = decision.book
    env = decision._run.env
    asked = {q.fact for q in decision.questions if q.path.startswith("student.")}
    changes: dict[str, Any] = {}
    notices = []
    for name, spec in book.facts.items():
        if not spec.path.startswith("student.") or spec.default is None:
            continue
        if not _not_given(env, name):
            continue
        changes[_field(spec.path)] = spec.default
        if name in asked:
            notices.append(Notice(code="assumed", values={"fact": name,
                                                          "value": spec.default},
                                  citations=spec.citations))
    return changes, tuple(notices)

