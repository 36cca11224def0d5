"""The student's journey: a dossier's state derived from its history, and its answers.

:func:`replay` reads the history up to a date (never stored beside it): the facts the
events set (``sets`` in the rulebook), the documents uploaded, accepted or rejected,
the number given and its status, the case with the changes of situation applied.
:func:`dossier_facts` turns that state and the checklist into facts for the dossier
decision tables; :func:`workflow` assembles their answers: the stage, the steps done,
the next steps, the events allowed now and the events refused, with why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from ..engines.tables import DecisionRun, why_not
from ..fr import nir
from ..model.dossier import Event
from ..rulebook import conditions as cond
from ..rulebook.facts import add_months
from .documents import Checklist
from .replay import DossierState, replay


__all__ = ["DossierState", "Workflow", "dossier_facts", "event_facts", "replay", "workflow"]


def document_status(state: DossierState, kind: str | None) -> str:
    """Where the copy of a kind stands in the dossier (``none`` when there is none)."""
    if kind is None:
        return "none"
    for doc in state.documents:
        if doc.kind == kind:
            return doc.status
    return "none"


def dossier_facts(state: DossierState, checklist: Checklist, on: date,
                  param: Callable[[str], Any]) -> dict[str, Any]:
    """Facts of the dossier decision tables (history, documents, number)."""
    statuses = [d.status for d in state.documents]
    expired = False
    if state.number_status == "provisional" and state.number_date is not None:
        validity = param("provisional_number_validity_months")
        expired = on > add_months(state.number_date, validity)
    looks_provisional = (state.number_status == "definitive" and state.number is not None
                         and nir.check(state.number).status == "possibly_provisional")
    return {
        **state.history,
        "number_status": state.number_status,
        "unmet_provisional_requirements": len(checklist.unmet("provisional", submitted=True)),
        "unmet_requirements": len(checklist.unmet(submitted=True)),
        "rejected_documents": statuses.count("rejected"),
        "pending_documents": statuses.count("uploaded"),
        "provisional_number_expired": expired,
        "number_looks_provisional": looks_provisional,
    }


def event_facts(event: Event, state: DossierState) -> dict[str, Any]:
    """Facts of the event being applied (its own content, and its document's status)."""
    number = event.number
    mismatches: set[str] | None = None
    if number is not None:
        student = state.case.student
        mismatches = {p.code for p in nir.check_against(
            number, birth_date=student.birth_date, sex=student.sex,
            country_of_birth=student.country_of_birth)}
    return {
        "event_type": event.type,
        "event_document_status": document_status(state, event.document_kind),
        "event_number_valid": None if number is None else nir.is_valid(number),
        "event_number_sex_matches": None if mismatches is None
        else "sex_mismatch" not in mismatches,
        "event_number_birth_matches": None if mismatches is None
        else not mismatches & {"year_mismatch", "month_mismatch"},
        "event_number_place_matches": None if mismatches is None
        else not mismatches & {"born_abroad_mismatch", "born_in_france_mismatch"},
        "event_photo": event.photo,
        "event_id_document": event.id_document,
        "event_signed_by_parent": event.signed_by_parent,
        "event_has_reason": bool(event.reason and event.reason.strip()),
    }


# --------------------------------------------------------------------------- answers


@attrs.frozen
class DoneStep:
    event: str
    date: date
    number: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.event, "date": self.date.isoformat()}
        if self.number is not None:
            data["number"] = self.number
        if self.kind is not None:
            data["document"] = self.kind
        return data


@attrs.frozen
class NextStep:
    """A step to take next: who acts, the event that completes it, what it needs."""

    step: str
    actor: str
    event: str
    rule: str
    citations: tuple[str, ...]
    requirements: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"step": self.step, "actor": self.actor, "rule": self.rule,
                                "citations": list(self.citations)}
        if self.event:
            data["event"] = self.event
        if self.requirements:
            data["requirements"] = list(self.requirements)
        return data


@attrs.frozen
class RefusedEvent:
    """An event not allowed now: the failed conditions of each rule that could allow it.

    ``done`` says the event was already recorded and happens once (what it sets is set):
    it is listed as done, never as not yet possible; ``other_route`` says every rule that
    allows it belongs to another route.
    """

    event: str
    failures: tuple[cond.Failure, ...]
    rules: tuple[str, ...]
    citations: tuple[str, ...]
    missing: tuple[str, ...] = ()
    other_route: bool = False
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"event": self.event, "rules": list(self.rules),
                                "failed": [f.to_dict() for f in self.failures],
                                "citations": list(self.citations)}
        if self.other_route:
            data["other_route"] = True
        if self.done:
            data["done"] = True
        if self.missing:
            data["missing"] = list(self.missing)
        return data


@attrs.frozen
class Workflow:
    """Where a dossier stands on a date and what comes next.

    While the route depends on facts not given, the stage may be open too (``stage`` is
    ``None``; see ``Decision.open``); the next steps and allowed events are those that
    hold whatever the answers, and an event that depends on them is neither allowed nor
    refused.
    """

    stage: str | None
    stage_rule: str | None
    done: tuple[DoneStep, ...]
    next_steps: tuple[NextStep, ...]
    allowed_events: tuple[str, ...]
    refused_events: tuple[RefusedEvent, ...]
    number: str | None
    number_status: str

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "stage_rule": self.stage_rule,
                "number": self.number, "number_status": self.number_status,
                "done": [d.to_dict() for d in self.done],
                "next_steps": [s.to_dict() for s in self.next_steps],
                "allowed_events": list(self.allowed_events),
                "refused_events": [r.to_dict() for r in self.refused_events]}

    def citation_keys(self) -> set[str]:
        keys = {k for s in self.next_steps for k in s.citations}
        keys.update(k for r in self.refused_events for k in r.citations)
        return keys

    def refused(self, event: str) -> RefusedEvent | None:
        return next((r for r in self.refused_events if r.event == event), None)


MISSING_FACTS = {"unmet_provisional_requirements": "provisional",
                 "unmet_requirements": None}


def _missing(failures: tuple[cond.Failure, ...], checklist: Checklist) -> tuple[str, ...]:
    """The requirements behind a failed checklist condition, by name."""
    found: list[str] = []
    for failure in failures:
        if failure.name in MISSING_FACTS:
            stage = MISSING_FACTS[failure.name]
            found.extend(i.requirement for i in checklist.unmet(stage, submitted=True))
    return tuple(dict.fromkeys(found))


def _other_route(route: Any, routes: tuple[str, ...]) -> bool:
    """Whether an event's routes exclude the student's route (when the route is not known
    yet: every route it may still be)."""
    if not routes:
        return False
    if isinstance(route, cond.Unknown):
        return route.possible is not None and not set(route.possible) & set(routes)
    return route not in routes


def workflow(run: DecisionRun, state: DossierState, checklist: Checklist,
             applying: str | None = None) -> Workflow:
    """Assemble the dossier decisions' answers (``run`` has taken the dossier tables).

    ``applying``: the type of an event being applied, which needs only what is allowed
    now: the steps done and next are left out, and of the events refused only that
    one is said (why the others are refused is not worked out)."""
    book = run.book
    tables = {t.decision: t for t in run.tables}
    stage_rule = tables["stage"].fired[0] if "stage" not in run.open else None
    steps = []
    for rule in tables["next_steps"].fired if applying is None else ():
        spec = book.steps[rule.outcome["step"]]
        requirements: tuple[str, ...] = ()
        if spec.event in ("document_uploaded", "document_replaced"):
            wanted = "rejected" if spec.event == "document_replaced" else None
            requirements = tuple(i.requirement for i in checklist.unmet(submitted=True)
                                 if wanted is None or i.status == wanted)
        steps.append(NextStep(step=spec.name, actor=spec.actor, event=spec.event,
                              rule=rule.id, citations=spec.citations,
                              requirements=requirements))
    event_table = tables["events"]
    allowed = tuple(dict.fromkeys(r.outcome["event"] for r in event_table.fired))
    maybe = set(run.open.get("events", ()))
    refused = []
    for name in book.events if applying is None else (applying,):
        if name in allowed or name in maybe or name not in book.events:
            continue
        rules = [r for r in event_table.rules if r.outcome["event"] == name]
        reasons = [why_not(book, r, run.env) for r in rules]
        # an event is "for another route" when every rule allowing it fails on the route;
        # otherwise the reasons are those of the rules of this route
        on_route = [found for found in reasons if not any(f.name == "route" for f in found)]
        event = book.events[name]
        other = (bool(reasons) and not on_route) or _other_route(run.env.get("route"),
                                                                  event.routes)
        failures = tuple(f for found in (on_route or reasons) for f in found)
        sets = event.sets
        once = bool(sets) and all(run.env.get(k) == v for k, v in sets.items())
        refused.append(RefusedEvent(
            event=name, failures=failures, rules=tuple(r.id for r in rules),
            citations=tuple(dict.fromkeys(k for r in rules for k in r.citations)),
            missing=_missing(failures, checklist), other_route=other, done=once))
    steps_done = () if applying is not None else tuple(
        DoneStep(event=e.type, date=e.date, number=e.number, kind=e.document_kind)
        for e in state.events)
    return Workflow(stage=stage_rule.outcome["stage"] if stage_rule else None,
                    stage_rule=stage_rule.id if stage_rule else None, done=steps_done,
                    next_steps=tuple(steps), allowed_events=allowed,
                    refused_events=tuple(refused), number=state.number,
                    number_status=state.number_status)
