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

from ..engines.engine import ENGINE, Engine
from ..exceptions import InvalidCaseError, Problem
from ..model.arguments import NONE, TABLE, Is, accepts, instance, items, iterable, one_of
from ..model.fields import specs
from ..model.models import Case, Student, structure_case
from ..model.structure import unstructure
from ..rulebook.loader import default_rulebook
from ..rulebook.rulebook import OPTIONAL_RULEBOOK, Rulebook
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


def _check_given(case: Mapping[str, Any], missing: list[Question]) -> None:
    """Refuse what a partial case gives wrong, every problem at once (the required fields
    still missing are the questions, not problems)."""
    asked = {q.path for q in missing}
    try:
        structure_case(case)
    except InvalidCaseError as exc:
        wrong = [p for p in exc.problems
                 if not (p.path in asked and p.message == "required field missing")]
        if wrong:
            raise InvalidCaseError(wrong) from None


def _names(book: Rulebook, settle: Iterable[str] | None, skip: Collection[str]) -> None:
    """The answers to settle are the rulebook's (``route``, ``documents``... or a claim's,
    ``claims[0]``), the facts skipped its facts: an unknown name is refused."""
    if settle is not None:
        claim = Is(lambda v: isinstance(v, str) and v.startswith("claims[") and v.endswith(
            "]") and v[7:-1].isascii() and v[7:-1].isdigit(), "a claim's answer, claims[N]")
        for _ in items(settle, one_of(book.decisions) | claim, "settle"):
            pass
    for _ in items(skip, one_of(n for n, f in book.facts.items() if f.path), "skip"):
        pass


CASE = TABLE | instance(Case, "a Case")
SETTLE_KIND = NONE | iterable("a list of answers to settle, such as ['route', 'documents']")


@accepts(case=CASE, rulebook=OPTIONAL_RULEBOOK, engine=ENGINE, overrides=NONE | TABLE,
         settle=SETTLE_KIND)
def questions(case: Case | Mapping[str, Any], *, on: date | str,
              rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
              overrides: Mapping[str, Any] | None = None,
              settle: Iterable[str] | None = None) -> tuple[Question, ...]:
    """Every question of a partial case, the one to ask first first: the student's
    missing required fields, then the questions of its Decision (``settle``: only those
    settling one of these answers, e.g. ``("route",)``)."""
    from .evaluate import as_date, evaluate

    as_date(on)
    settle = None if settle is None else tuple(settle)  # read once (it may be a generator)
    book = rulebook if rulebook is not None else default_rulebook()
    missing = required_questions(book, _student(case))
    _names(book, settle, ())
    if missing:
        if isinstance(case, Mapping):
            _check_given(case, missing)
        return tuple(missing)
    decision = evaluate(case, on=on, rulebook=book, engine=engine, overrides=overrides)
    found = decision.questions
    if settle is not None:
        wanted = set(settle)
        direct = tuple(q for q in found if wanted & set(q.settles))
        # when no single answer settles them, ask what they depend on jointly
        found = direct or tuple(q for q in found if wanted & set(q.affects))
    return found


@accepts(case=CASE, rulebook=OPTIONAL_RULEBOOK, engine=ENGINE, overrides=NONE | TABLE,
         settle=SETTLE_KIND, skip=iterable("a list of the facts not known, such as "
                                      "['stay_months']"))
def next_question(case: Case | Mapping[str, Any], *, on: date | str,
                  rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                  overrides: Mapping[str, Any] | None = None,
                  settle: Iterable[str] | None = SETTLE,
                  skip: Collection[str] = ()) -> Question | None:
    """The question to ask now (``None``: the answers in ``settle``, by default the route
    and the documents, no longer depend on anything asked).  ``skip`` lists facts the
    person does not know: they are not asked again."""
    skip = tuple(skip)  # read once (it may be a generator)
    _names(rulebook if rulebook is not None else default_rulebook(), None, skip)
    for question in questions(case, on=on, rulebook=rulebook, engine=engine,
                              overrides=overrides, settle=settle):
        if question.fact not in skip:
            return question
    return None
