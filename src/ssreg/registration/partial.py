"""Questions for a case still being filled in: what to ask next, for a form or a chatbot.

:func:`next_question` is a pure function from a partial case (plain data; the student's
required fields may still be missing) to the question to ask now, or ``None`` when the
answers asked for are settled.  :func:`questions` lists them all.  An application asks,
writes the answer at the question's ``path`` (``student.stay_months``), and calls again;
"I don't know" is an answer too: pass the fact in ``skip``.

>>> import ssreg
>>> ssreg.next_question({"student": {}}, on="2026-10-01").fact
'nationality'
>>> case = {"student": {"nationality": "US", "country_of_birth": "US",
...                     "birth_date": "2004-03-01", "enrolled_in_french_institution": True,
...                     "previously_affiliated": False, "salaried": False,
...                     "andorran_insured": False}}
>>> question = ssreg.next_question(case, on="2026-10-01")
>>> question.fact, [a.to_dict()["outcomes"]["route"] for a in question.answers]
('stay_months', ['private_insurance', 'online'])
>>> case["student"]["stay_months"] = 10
>>> ssreg.next_question(case, on="2026-10-01").fact  # the route is settled; documents next
'quebec_form'
>>> case["student"]["quebec_form"] = "none"
>>> ssreg.next_question(case, on="2026-10-01") is None
True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from typing import Any

from ..engines.engine import Engine
from ..exceptions import InvalidCaseError, InvalidInputError, Problem
from ..model.fields import specs
from ..model.models import Case, Student
from ..model.structure import unstructure
from ..rulebook.loader import default_rulebook
from ..rulebook.rulebook import Rulebook
from .questions import Question


#: the answers an interview settles by default: the route and the documents to provide
SETTLE = ("route", "documents")


def required_questions(book: Rulebook, student: Mapping[str, Any]) -> list[Question]:
    """The questions of the student's required fields still missing (nationality, country
    of birth, date of birth): nothing can be decided without them."""
    required = {name for name, spec in specs(Student) if spec.required}
    found = []
    for name, spec in book.facts.items():
        field = spec.path.removeprefix("student.")
        if spec.path.startswith("student.") and field in required and \
                student.get(field) is None:
            found.append(Question(fact=name, path=spec.path, type=spec.type,
                                  values=tuple(spec.values), settles=(), answers=(),
                                  citations=spec.citations, required=True))
    return found


def _student(case: Case | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(case, Case):
        return {}
    if not isinstance(case, Mapping):
        raise InvalidCaseError([Problem("(input)", "expected a case: a table with a student")])
    student = case.get("student", {})
    if isinstance(student, Student):
        return unstructure(student)  # type: ignore[no-any-return]
    if not isinstance(student, Mapping):
        raise InvalidCaseError([Problem("student", "expected a table of the student's fields")])
    return student


def check_partial(book: Rulebook, case: Case | Mapping[str, Any] | None,
                  settle: Iterable[str] | None = None, skip: Iterable[str] = ()) -> None:
    """Refuse what a partial case may not hold (an unknown field or code, a value of the
    wrong kind: everything but the required fields still missing), and answers or facts
    the rulebook does not know, all problems at once.

    >>> check_partial(default_rulebook(), {"student": {"nationality": "XX", "colour": 1}},
    ...               settle=["rout"])
    Traceback (most recent call last):
    ...
    ssreg.exceptions.InvalidInputError: invalid input: student.colour: unknown field; ...
    """
    from ..model.models import structure_case
    from ..rulebook.inputs import _known

    problems: list[Problem] = []
    if isinstance(case, Mapping):
        required = {f"student.{name}" for name, spec in specs(Student) if spec.required}
        try:
            structure_case(case if "student" in case else {**case, "student": {}})
        except InvalidCaseError as exc:
            problems += [p for p in exc.problems if p.path not in required
                         or p.message != "required field missing"]
    in_case = len(problems)
    answers = [name for name in book.decisions if not name.startswith("claim_")]
    for name in settle or ():
        problems += _known(name, answers, "settle", "answer")
    for name in skip:
        problems += _known(name, [f for f, spec in book.facts.items() if spec.question],
                           "skip", "fact")
    if problems:
        raise (InvalidCaseError if len(problems) == in_case else InvalidInputError)(problems)


def questions(case: Case | Mapping[str, Any], *, on: date | str,
              rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
              overrides: Mapping[str, Any] | None = None,
              settle: Iterable[str] | None = None) -> tuple[Question, ...]:
    """Every question of a partial case, the one to ask first first: the student's
    missing required fields, then the questions of its Decision (``settle``: only those
    settling one of these answers, e.g. ``("route",)``)."""
    book = rulebook if rulebook is not None else default_rulebook()
    settle = None if settle is None else tuple(settle)
    check_partial(book, case, settle)
    return _asked(case, on, book, engine, overrides, settle)


def _asked(case: Case | Mapping[str, Any], on: date | str, book: Rulebook,
           engine: str | Engine, overrides: Mapping[str, Any] | None,
           settle: tuple[str, ...] | None) -> tuple[Question, ...]:
    from .evaluate import evaluate

    missing = required_questions(book, _student(case))
    if missing:
        return tuple(missing)
    decision = evaluate(case, on=on, rulebook=book, engine=engine, overrides=overrides)
    found = decision.questions
    if settle is not None:
        wanted = set(settle)
        direct = tuple(q for q in found if wanted & set(q.settles))
        # when no single answer settles them, ask what they depend on jointly
        found = direct or tuple(q for q in found if wanted & set(q.affects))
    return found


def next_question(case: Case | Mapping[str, Any], *, on: date | str,
                  rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                  overrides: Mapping[str, Any] | None = None,
                  settle: Iterable[str] | None = SETTLE,
                  skip: Collection[str] = ()) -> Question | None:
    """The question to ask now (``None``: the answers in ``settle``, by default the route
    and the documents, no longer depend on anything asked).  ``skip`` lists facts the
    person does not know: they are not asked again."""
    book = rulebook if rulebook is not None else default_rulebook()
    settle = None if settle is None else tuple(settle)
    check_partial(book, case, settle, skip)
    for question in _asked(case, on, book, engine, overrides, settle):
        if question.fact not in skip:
            return question
    return None
