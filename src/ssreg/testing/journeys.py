"""Hypothesis strategies for the student's journey: event sequences, dossiers, events.

Event sequences are drawn among the events the rulebook allows at each step, so every
dossier drawn is one the rulebook accepted event by event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from ..model.dossier import Dossier, Event
from ..model.models import Case, Document
from ..model.structure import unstructure
from .strategies import DOCUMENT_KINDS, cases, documents, evaluation_dates, nirs


#: the stages of each route's journey, in the order a dossier passes them
ROUTE_STAGES = {
    "online": ("not_started", "account_created", "documents_rejected",
               "provisional_certificate", "final_certificate", "ameli_account",
               "carte_vitale_ordered", "carte_vitale_received", "complete"),
    "cpam": ("contact_cpam", "final_certificate", "ameli_account", "carte_vitale_ordered",
             "carte_vitale_received", "complete"),
    "no_registration": ("no_registration",),
    "private_insurance": ("private_insurance",),
}
STAGES = tuple(dict.fromkeys(s for stages in ROUTE_STAGES.values() for s in stages))


def event_sequences(case: Case, start: date = date(2026, 8, 20), max_events: int = 12,
                    stage: str | None = None) -> st.SearchStrategy[list[Event]]:
    """Events that the built-in rulebook accepts in turn for ``case`` (each applied with
    :func:`apply_event`), drawn among those allowed at each step.

    With ``stage``, the sequence is steered to end at that stage: it follows the journey's
    next steps (valid documents, one rejection on the way to ``documents_rejected``) and
    stops when the stage is reached, within ``max_events`` plus the journey's length.
    A stage the case's route never passes (``contact_cpam`` for an online case) is
    rejected (:func:`hypothesis.assume`).  Without ``stage``, half of the draws are
    steered towards a stage drawn at random (kept wherever they end), so late stages are
    drawn too.
    """
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; known: {', '.join(STAGES)}")
    return _event_sequences(case, start, max_events, stage)


@st.composite
def _event_sequences(draw: st.DrawFn, case: Case, start: date, max_events: int,
                     stage: str | None) -> list[Event]:
    from ..exceptions import EventRefused
    from ..registration.evaluate import apply_event, evaluate

    strict = stage is not None
    if stage is None:
        stage = draw(st.none() | st.sampled_from(STAGES))
    dossier = Dossier(case=case)
    day = start
    events: list[Event] = []
    budget = draw(st.integers(0, max_events)) if stage is None else max_events + 40
    for _ in range(budget):
        decision = evaluate(dossier, on=day)
        assert decision.workflow is not None
        flow = decision.workflow
        if stage is not None and flow.stage == stage:
            break
        allowed = [e for e in flow.allowed_events if e != "route_changed"]
        if stage is not None:
            allowed = _towards(stage, flow, allowed, events)
        if not allowed:
            break
        kind = draw(st.sampled_from(allowed))
        event = _event_for(draw, kind, day, dossier, decision,
                           valid=True if stage is not None else None)
        try:
            dossier = apply_event(dossier, event)
        except EventRefused:
            continue
        events.append(event)
        day += timedelta(days=draw(st.integers(0, 20)))
    if strict:
        reached = evaluate(dossier, on=day).workflow
        assert reached is not None
        assume(reached.stage == stage)  # e.g. a stage the route never passes
    return events


def _towards(stage: str, flow: Any, allowed: list[str], done: list[Event]) -> list[str]:
    """The allowed events that move a dossier towards ``stage``: a rejection when the
    stage is ``documents_rejected``, otherwise the events of the next steps."""
    if stage == "documents_rejected" and "document_rejected" in allowed:
        return ["document_rejected"]
    steps = [s.event for s in flow.next_steps if s.event in allowed]
    if stage != "complete":  # a referent doctor would complete a journey past its target
        steps = [e for e in steps if e != "referent_doctor_declared"]
    if stage == "documents_rejected":
        steps = [e for e in steps if e != "document_accepted"] or steps
    return list(dict.fromkeys(steps)) or ([] if done and stage != "documents_rejected"
                                          else allowed)


def _event_for(draw: st.DrawFn, kind: str, day: date, dossier: Dossier, decision: Any,
               valid: bool | None = None) -> Event:
    fields: dict[str, Any] = {"type": kind, "date": day}
    checklist = decision.checklist
    if kind in ("document_uploaded", "document_replaced"):
        wanted = [k for i in checklist.unmet(submitted=True) for k in i.one_of]
        if kind == "document_replaced":
            wanted = [i.findings[0].kind for i in checklist.items
                      if i.findings and i.findings[0].document_status == "rejected"] or wanted
        doc_kind = draw(st.sampled_from(wanted or ["passport"]))
        fields["document"] = draw(documents(kind=doc_kind, on=day, valid=draw(
            st.sampled_from([True, True, True, False])) if valid is None else valid,
            academic_year=decision.academic_year))
        fields["document"] = Document(**{**unstructure(fields["document"]), "status": "uploaded"})
    elif kind in ("document_accepted", "document_rejected"):
        pending = sorted({f.kind for i in checklist.items for f in i.findings
                          if f.document_status == "uploaded"})
        fields["kind"] = draw(st.sampled_from(pending or ["passport"]))
        if kind == "document_rejected":
            fields["reason"] = "illegible scan"
    elif kind in ("provisional_certificate_issued", "final_certificate_issued"):
        # the student's own number (a number that is not theirs is refused)
        fields["number"] = draw(nirs(provisional=kind.startswith("provisional"),
                                     holder=dossier.case.student))
    elif kind == "carte_vitale_ordered":
        fields.update(photo=True, id_document=True)
    elif kind == "referent_doctor_declared":
        fields["signed_by_parent"] = True
    return Event(**fields)


@st.composite
def dossiers(draw: st.DrawFn, route: str | None = "online", on: date = date(2026, 8, 20),
             stage: str | None = None) -> Dossier:
    """Valid dossiers: a case and a history the rulebook accepted event by event.

    ``stage`` draws dossiers that have reached that stage (``complete``: a whole online
    journey); ``route=None`` draws the route too (with ``stage``, among the routes that
    pass it).  Without ``stage``, half of the draws aim at a stage of the route drawn at
    random, so late stages are drawn as often as early ones (``docs/testing.md`` gives
    the distribution).
    """
    if stage is None:
        if route is None:
            route = draw(st.sampled_from(list(ROUTE_STAGES)))
        stage = draw(st.none() | st.sampled_from(ROUTE_STAGES.get(route, STAGES)))
    if stage is not None and route is None:
        route = draw(st.sampled_from([r for r, stages in ROUTE_STAGES.items()
                                      if stage in stages]))
    case = draw(cases(route=route, on=on, with_claims=False))
    student = case.student
    if stage not in (None, "not_started") and not student.address_in_france:
        # every step after the first needs an account, and an account an address
        student = attrs.evolve(student, address_in_france="12 rue des Écoles, 75005 Paris")
    case = Case(student=student, academic_year=f"{on.year}-{on.year + 1}")
    if stage is not None:
        from ..registration.evaluate import evaluate

        assume(evaluate(Dossier(case=case), on=on).route == route)
    return Dossier(case=case, events=tuple(draw(event_sequences(case, start=on,
                                                                stage=stage))))


@st.composite
def events(draw: st.DrawFn, on: date | None = None) -> Event:
    """Single events of any type with a plausible payload (not necessarily allowed by a
    dossier's stage: use :func:`event_sequences` for those)."""
    day = on or draw(evaluation_dates(date(2025, 1, 1), date(2027, 6, 30)))
    kind = draw(st.sampled_from(["account_created", "document_uploaded", "document_accepted",
                                 "document_rejected", "provisional_certificate_issued",
                                 "final_certificate_issued", "carte_vitale_ordered",
                                 "referent_doctor_declared", "route_changed"]))
    fields: dict[str, Any] = {"type": kind, "date": day}
    if kind == "document_uploaded":
        fields["document"] = draw(documents(on=day))
    elif kind in ("document_accepted", "document_rejected"):
        fields["kind"] = draw(st.sampled_from(DOCUMENT_KINDS))
        fields["reason"] = "illegible" if kind == "document_rejected" else None
    elif kind.endswith("certificate_issued"):
        fields["number"] = draw(nirs(provisional=kind.startswith("provisional")))
    elif kind == "carte_vitale_ordered":
        fields.update(photo=True, id_document=True)
    elif kind == "route_changed":
        fields["changes"] = {"stay_months": draw(st.integers(0, 24))}
    return Event(**fields)
