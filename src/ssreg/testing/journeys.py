"""Hypothesis strategies for the student's journey: event sequences, dossiers, events.

Event sequences are drawn among the events the rulebook allows at each step, so every
dossier drawn is one the rulebook accepted event by event.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from ..model.arguments import DAY, accepts, between, instance
from ..model.dossier import Dossier, Event
from ..model.models import Case, Document
from ..model.structure import unstructure
from .strategies import (
    DOCUMENT_KINDS,
    OPTIONAL_DAY,
    ROUTE,
    cases,
    documents,
    evaluation_dates,
    nirs,
)


@accepts(case=instance(Case, "a Case"), start=DAY, max_events=between(0, 1000))
@st.composite
def event_sequences(draw: st.DrawFn, case: Case, start: date = date(2026, 8, 20),
                    max_events: int = 12) -> list[Event]:
    """Events that the built-in rulebook accepts in turn for ``case`` (each applied with
    :func:`apply_event`), drawn among those allowed at each step."""
    from ..exceptions import EventRefused
    from ..registration.evaluate import apply_event, evaluate

    dossier = Dossier(case=case)
    day = start
    events: list[Event] = []
    for _ in range(draw(st.integers(0, max_events))):
        decision = evaluate(dossier, on=day)
        assert decision.workflow is not None
        allowed = [e for e in decision.workflow.allowed_events if e != "route_changed"]
        if not allowed:
            break
        event = _event_for(draw, draw(st.sampled_from(allowed)), day, dossier, decision)
        try:
            dossier = apply_event(dossier, event)
        except EventRefused:
            continue
        events.append(event)
        day += timedelta(days=draw(st.integers(0, 20)))
    return events


def _event_for(draw: st.DrawFn, kind: str, day: date, dossier: Dossier, decision: Any) -> Event:
    fields: dict[str, Any] = {"type": kind, "date": day}
    checklist = decision.checklist
    if kind in ("document_uploaded", "document_replaced"):
        wanted = [k for i in checklist.unmet(submitted=True) for k in i.one_of]
        if kind == "document_replaced":
            wanted = [i.findings[0].kind for i in checklist.items
                      if i.findings and i.findings[0].document_status == "rejected"] or wanted
        doc_kind = draw(st.sampled_from(wanted or ["passport"]))
        fields["document"] = draw(documents(kind=doc_kind, on=day, valid=draw(
            st.sampled_from([True, True, True, False])), academic_year=decision.academic_year))
        fields["document"] = Document(**{**unstructure(fields["document"]), "status": "uploaded"})
    elif kind in ("document_accepted", "document_rejected"):
        pending = sorted({f.kind for i in checklist.items for f in i.findings
                          if f.document_status == "uploaded"})
        fields["kind"] = draw(st.sampled_from(pending or ["passport"]))
        if kind == "document_rejected":
            fields["reason"] = "illegible scan"
    elif kind in ("provisional_certificate_issued", "final_certificate_issued"):
        fields["number"] = draw(nirs(provisional=kind.startswith("provisional")))
    elif kind == "carte_vitale_ordered":
        fields.update(photo=True, id_document=True)
    elif kind == "referent_doctor_declared":
        fields["signed_by_parent"] = True
    return Event(**fields)


@accepts(route=ROUTE, on=DAY)
@st.composite
def dossiers(draw: st.DrawFn, route: str | None = "online", on: date = date(2026, 8, 20)) -> (
        Dossier):
    """Valid dossiers: a case and a history the rulebook accepted event by event."""
    case = draw(cases(route=route, on=on, with_claims=False))
    case = Case(student=case.student, academic_year=f"{on.year}-{on.year + 1}")
    return Dossier(case=case, events=tuple(draw(event_sequences(case, start=on))))


@accepts(on=OPTIONAL_DAY)
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
