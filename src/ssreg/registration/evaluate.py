"""``evaluate`` and ``apply_event``: a case or dossier on a date -> Decision, any engine.

The flow: structure and check the input, compute the facts for the date and the
academic year applied for, run the case decision tables (route, blocks, top-up,
documents, warnings) with the chosen engine (which only says which rules fire), build
the checklist; for a dossier, replay its history and run the dossier tables (stage,
next steps, allowed events, refusals, warnings); price the claims; then assemble the
Decision, engine-independently.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from .. import _seam
from ..engines.engine import ENGINE, Engine, get_engine
from ..engines.tables import DecisionRun
from ..exceptions import (
    EventRefused,
    InvalidCaseError,
    InvalidDossierError,
    InvalidInputError,
    NoValueInForce,
    Problem,
)
from ..model.arguments import FLAG, NONE, TABLE, accepts, instance, one_of
from ..model.dossier import DOSSIER, EVENT, Dossier, Event, structure_dossier, structure_event
from ..model.kinds import DateKind
from ..model.limits import excerpt
from ..model.models import Case, Document, structure_case
from ..rulebook.facts import ParameterReader, student_facts, year_applied
from ..rulebook.inputs import case_problems, student_claim
from ..rulebook.loader import default_rulebook
from ..rulebook.rulebook import OPTIONAL_RULEBOOK, Rulebook
from .decision import Decision, Notice
from .documents import DocumentChecker, build_checklist
from .replay import last_replay, remember
from .workflow import DossierState, dossier_facts, event_facts, replay, workflow


def as_date(value: Any, field: str = "on",
            error: type[InvalidInputError] = InvalidCaseError) -> date:
    """A date from a ``date`` or an ISO string ``YYYY-MM-DD``; anything else is a clear error."""
    value = DateKind().convert(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise error([Problem(field, f"expected a date (YYYY-MM-DD), got {excerpt(value)}")])


def _in_range(book: Rulebook, on: date) -> None:
    first = book.first_day
    if on < first:
        raise NoValueInForce("on", on, f"from {first}", message=(
            f"on: the rules start on {first} (the student site opened on 1 September "
            f"2018); {on} is before"))


def _is_dossier(value: Any) -> bool:
    return isinstance(value, Dossier) or (isinstance(value, Mapping)
                                          and ("events" in value or "schema" in value))


OVERRIDES = NONE | TABLE
UNKNOWN_MODES = ("ask", "assume")
UNKNOWN = one_of(UNKNOWN_MODES)


@accepts(case=TABLE | instance((Case, Dossier), "a Case or a Dossier"),
         rulebook=OPTIONAL_RULEBOOK, engine=ENGINE, trace=FLAG, overrides=OVERRIDES,
         unknown=UNKNOWN)
def evaluate(
    case: Case | Dossier | Mapping[str, Any],
    *,
    on: date | str,
    rulebook: Rulebook | None = None,
    engine: str | Engine = "compiled",
    trace: bool = True,
    overrides: Mapping[str, Any] | None = None,
    unknown: str = "ask",
) -> Decision:
    """Decide the route, blocks, documents, workflow and reimbursements for a case or dossier.

    ``on`` is the as-of date (the library never reads the clock).  A dossier (a case and
    its history of events) also gets its stage, next steps and allowed and refused
    events.  ``overrides`` replaces parameters in force, e.g. a disputed choice
    ``{"quebec_form_policy": "exempt"}``; strings are accepted where the parameter's type
    is clear (``{"participation_forfaitaire": "4"}``).  The trace is built only when read
    (``trace`` is kept for compatibility and has no effect).

    A fact the case does not give is *unknown*.  With ``unknown="ask"`` (the default)
    an answer that depends on it stays open (``Decision.open``) and
    ``Decision.questions`` says what to ask, and what each answer would give; with
    ``unknown="assume"`` each unknown that matters takes its documented default, listed
    in ``Decision.assumptions``.

    >>> import ssreg
    >>> student = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
    ...            "address_in_france": "1 rue de Rivoli, Paris", "stay_months": 10,
    ...            "enrolled_in_french_institution": True, "previously_affiliated": False,
    ...            "salaried": False, "andorran_insured": False, "quebec_form": "none"}
    >>> d = ssreg.evaluate({"student": student}, on="2026-09-15")
    >>> d.route, d.blocks, d.academic_year, d.open
    ('online', (), '2026-2027', {})
    >>> print(d.explain("fr").splitlines()[1])
    Démarche d'inscription\u202f: Inscrivez-vous en ligne sur le site étudiant ...
    >>> del student["stay_months"]
    >>> d = ssreg.evaluate({"student": student}, on="2026-09-15")
    >>> d.route, d.open["route"], d.questions[0].fact
    (None, ('private_insurance', 'online'), 'stay_months')
    >>> d = ssreg.evaluate({"student": student}, on="2026-09-15", unknown="assume")
    >>> d.route, [a.values["fact"] for a in d.assumptions if a.code == "assumed"]
    ('online', ['stay_months'])
    """
    del trace
    day = as_date(on)
    book = rulebook if rulebook is not None else default_rulebook()
    chosen = get_engine(engine)
    mode = check_mode(unknown)
    source: Case | Dossier = (structure_dossier(case) if _is_dossier(case)
                              else structure_case(case))
    return decide(book, chosen, day, overrides, source, mode)


def check_mode(unknown: Any) -> str:
    if unknown not in UNKNOWN_MODES:
        raise InvalidInputError([Problem("unknown", f"expected one of {', '.join(UNKNOWN_MODES)}, "
                                                    f"got {excerpt(unknown)}")])
    return str(unknown)


def decide(book: Rulebook, engine: Engine, on: date, overrides: Mapping[str, Any] | None,
           source: Case | Dossier, mode: str, event: Event | None = None) -> Decision:
    """The Decision on a structured case or dossier, asking or assuming."""
    def redo(changes: Mapping[str, Any]) -> Decision:
        # the student's fields do not change a price: claims are priced again only when
        # one of their fields changes
        price = any(key.startswith("claims[") for key in changes)
        return run(with_student(source, changes), price=price)

    def run(given: Case | Dossier, assumed: tuple[Notice, ...] | None = None,
            price: bool = True) -> Decision:
        if isinstance(given, Dossier):
            return _decide(book, engine, on, overrides, dossier=given, event=event,
                           redo=redo, assumed=assumed, price=price)
        return _decide(book, engine, on, overrides, case=given, redo=redo, assumed=assumed,
                       price=price)

    asked = run(source)
    if mode == "ask":
        return asked
    from .questions import assumptions_of

    changes, notices = assumptions_of(asked)
    return run(with_student(source, changes), notices)


def with_student(source: Case | Dossier, changes: Mapping[str, Any]) -> Case | Dossier:
    """The case (or dossier) with some student fields or claim fields changed.

    A key ``"claims[2].sector"`` changes a claim's field; any other key, the student's.
    """
    if not changes:
        return source
    import attrs

    case = source.case if isinstance(source, Dossier) else source
    student = {k: v for k, v in changes.items() if not k.startswith("claims[")}
    claims = list(case.claims)
    for key, value in changes.items():
        if key.startswith("claims["):
            index, _, name = key[len("claims["):].partition("].")
            claims[int(index)] = attrs.evolve(claims[int(index)], **{name: value})
    case = attrs.evolve(case, student=attrs.evolve(case.student, **student),
                        claims=tuple(claims))
    return attrs.evolve(source, case=case) if isinstance(source, Dossier) else case


#: the document kind of each Québec form a student may say they hold
QUEBEC_FORM_DOCUMENTS = {"SE401-Q-106": "quebec_form_se401q106",
                         "SE401-Q-102bis": "quebec_form_se401q102bis"}


def _synthetic_documents(case: Case) -> tuple[Document, ...]:
    """Documents known from the student's own fields: the EHIC (its expiry) and the
    Québec form held, which count as held documents unless listed already."""
    student = case.student
    found: tuple[Document, ...] = ()
    if isinstance(student.ehic_expiry, date):  # not given, or "none": no card
        found += _ehic(student.ehic_expiry)
    kind = QUEBEC_FORM_DOCUMENTS.get(student.quebec_form or "none")
    if kind is not None and not any(d.kind == kind for d in case.documents):
        found += _held(kind)
    return found


@lru_cache(maxsize=1024)
def _ehic(expires: date) -> tuple[Document, ...]:
    return (Document(kind="ehic", expires=expires),)


@lru_cache(maxsize=16)
def _held(kind: str) -> tuple[Document, ...]:
    return (Document(kind=kind),)


def _decide(book: Rulebook, engine: Engine, on: date, overrides: Mapping[str, Any] | None, *,
            case: Case | None = None, dossier: Dossier | None = None,
            event: Event | None = None, redo: Any = None,
            assumed: tuple[Notice, ...] | None = None, price: bool = True) -> Decision:
    """The Decision; with ``event`` (an event being applied), only what deciding the event
    needs: neither the steps done nor the prices."""
    _in_range(book, on)
    state: DossierState | None = None
    if dossier is not None:
        state = replay(book, dossier, on)
        case = state.case
    assert case is not None
    problems = case_problems(case, book, on)
    if problems:
        if dossier is not None:
            raise InvalidDossierError([Problem("case." + p.path, p.message) for p in problems])
        raise InvalidCaseError(problems)
    params = ParameterReader(book, on, overrides)
    year = year_applied(case.academic_year, case.arrival_date, on, params)
    env = student_facts(case.student, on, params, year, case.arrival_date)
    run = DecisionRun(book, engine, on, env, params)
    run.run_scope("case")
    documents = state.documents if state is not None else case.documents
    checker = DocumentChecker(book, on, env, params)
    docs_table = next((t for t in run.tables if t.decision == "documents"), None)
    route = env.get("route")
    checklist = build_checklist(book, docs_table.fired if docs_table else (),
                                documents + _synthetic_documents(case), checker,
                                route=route if isinstance(route, str) else None,
                                maybe=docs_table.maybe if docs_table else ())
    flow = None
    if state is not None:
        env.update(dossier_facts(state, checklist, on, params))
        if event is not None:
            env.update(event_facts(event, state))
        run.run_scope("dossier")
        flow = workflow(run, state, checklist, None if event is None else event.type)
    reimbursements = None
    if case.claims and price and event is None:
        from ..pricing.batch import price_claims
        from ..pricing.summary import Reimbursements

        claims = [student_claim(c, case.student.birth_date) if c.person == case.student.id
                  else c for c in case.claims]
        priced = price_claims(claims, cover=case.cover, rulebook=book, engine=engine,
                              overrides=params.overrides)
        reimbursements = Reimbursements(tuple(priced), book)
    return Decision(on=on, outcomes=dict(run.outcomes), open=dict(run.open),
                    checklist=checklist,
                    academic_year=year.name, reimbursements=reimbursements, workflow=flow,
                    warnings=_warnings(book, run, on),
                    assumptions=(*_assumptions(year.how, year.name, case), *(assumed or ())),
                    unknown="ask" if assumed is None else "assume",
                    reads=params.reads, overrides=params.overrides,
                    book=book, run=run, redo=redo, case=case)


def _warnings(book: Rulebook, run: DecisionRun, on: date) -> tuple[Notice, ...]:
    found = []
    for table in run.tables:
        for rule in table.fired:
            if "warning" in rule.outcome:
                found.append(Notice(code=rule.outcome["warning"], values=_placeholders(
                    book.label(f"warning.{rule.outcome['warning']}", "en"), run.env),
                    rule=rule.id, citations=rule.citations))
    horizon = book.meta.horizon
    if horizon is not None and on > horizon:
        found.append(Notice(code="after_rulebook_horizon", values={"horizon": horizon, "on": on},
                            citations=book.meta.citations))
    return tuple(found)


def _placeholders(text: str, env: Mapping[str, Any]) -> dict[str, Any]:
    import re

    return {name: env.get(name) for name in re.findall(r"\{(\w+)\}", text)}


def _assumptions(how: str, year: str, case: Case) -> tuple[Notice, ...]:
    if how == "given":
        return ()
    values: dict[str, Any] = {"year": year}
    if how == "arrival_date":
        values["arrival_date"] = case.arrival_date
    return (Notice(code=f"academic_year_from_{how}", values=values,
                   citations=("R1", "H1")),)


# --------------------------------------------------------------------------- events


def _payload_problems(book: Rulebook, event: Event) -> list[Problem]:
    spec = book.events.get(event.type)
    if spec is None:
        return [Problem("event.type", f"unknown event {excerpt(event.type)}; known: "
                                      f"{', '.join(sorted(book.events))}")]
    found = []
    for name in spec.payload:
        if name in ("reason", "signed_by_parent", "photo", "id_document"):
            continue  # judged by the refusal rules, which say why
        if getattr(event, name) is None:
            found.append(Problem(f"event.{name}", f"required for a {event.type} event"))
    kind = event.document_kind
    if kind is not None and kind not in book.documents:
        found.append(Problem("event.document.kind" if event.document else "event.kind",
                             f"unknown document kind {excerpt(kind)}; known: "
                             f"{', '.join(sorted(book.documents))}"))
    return found


@accepts(dossier=DOSSIER, event=EVENT, rulebook=OPTIONAL_RULEBOOK, engine=ENGINE,
         overrides=OVERRIDES, unknown=UNKNOWN)
def apply_event(dossier: Dossier | Mapping[str, Any], event: Event | Mapping[str, Any], *,
                rulebook: Rulebook | None = None, engine: str | Engine = "compiled",
                overrides: Mapping[str, Any] | None = None, unknown: str = "ask") -> Dossier:
    """The dossier with ``event`` appended, if its stage allows it on the event's date.

    Otherwise :class:`~ssreg.EventRefused` says why in words (``exc.text("fr")``), and
    names for programs the stage, the event and every failed condition (actual and
    required values, what is missing, the sources); the given dossier is unchanged
    (dossiers are immutable).

    >>> import ssreg
    >>> d = ssreg.Dossier(case={"student": {"birth_date": "2004-03-01", "nationality": "BR",
    ...     "country_of_birth": "BR", "address_in_france": "Paris", "stay_months": 10,
    ...     "enrolled_in_french_institution": True, "previously_affiliated": False,
    ...     "salaried": False, "andorran_insured": False}})
    >>> d = ssreg.apply_event(d, {"type": "account_created", "date": "2026-08-25"})
    >>> ssreg.apply_event(d, {"type": "carte_vitale_ordered", "date": "2026-08-26",
    ...                       "photo": True, "id_document": True})
    Traceback (most recent call last):
    ...
    ssreg.exceptions.EventRefused: “carte Vitale ordered” is not possible now. You need ...
    """
    book = rulebook if rulebook is not None else default_rulebook()
    current = structure_dossier(dossier)
    new = structure_event(event)
    problems = _payload_problems(book, new)
    last = current.last_event
    if last is not None and new.date < last.date:
        problems.append(Problem("event.date", f"{new.date} is before the last event "
                                f"({last.date}); the history is append-only"))
    if problems:
        raise InvalidDossierError(problems)
    decision = decide(book, get_engine(engine), new.date, overrides, current,
                      check_mode(unknown), event=new)
    flow = decision.workflow
    assert flow is not None
    if new.type in decision.open.get("events", ()):
        facts = [q.fact for q in decision.questions]
        texts = _seam.open_event_texts(decision, new.type, facts)
        raise EventRefused(flow.stage, new.type, [{"unknown": facts}], (), texts["en"], texts)
    if new.type not in flow.allowed_events:
        refused = flow.refused(new.type)
        assert refused is not None
        reasons = [f.to_dict() for f in refused.failures]
        if refused.missing:
            reasons.append({"missing": list(refused.missing)})
        texts = _seam.refusal_texts(decision, refused)
        raise EventRefused(flow.stage, new.type, reasons, refused.citations, texts["en"],
                           texts)
    refusals = decision.outcomes.get("event_refusals", ())
    if refusals:
        rules = next(t for t in decision._run.tables if t.decision == "event_refusals").fired
        texts = _seam.refusal_rule_texts(decision, new.type, refusals)
        raise EventRefused(flow.stage, new.type, [{"refusal": code} for code in refusals],
                           tuple(dict.fromkeys(k for r in rules for k in r.citations)),
                           texts["en"], texts)
    appended = current.appended(new)
    if not new.changes:  # the state after it, from the state before: each event read once
        remember(book, appended, last_replay(book, current).then(new))
    return appended
