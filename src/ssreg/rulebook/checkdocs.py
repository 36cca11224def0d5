"""Checks of the rulebook's documents, requirement groups, dossier events and steps."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..model.limits import excerpt
from .collect import Checker, Raw, type_ok
from .rulebook import DocumentKind, EventSpec, FactSpec, Requirement, StepSpec
from .sources import Source


DOCUMENT_CHECKS = ("not_expired", "valid_for_academic_year", "current_academic_year",
                   "translation", "iban", "minimum_monthly_resources")
STAGES = ("provisional", "final")
ACTORS = ("student", "institution", "cpam", "doctor")
EVENT_PAYLOAD = ("document", "kind", "reason", "number", "photo", "id_document",
                 "signed_by_parent", "changes")
EVENT_DOCUMENT_STATUSES = ("uploaded", "accepted", "rejected")
NUMBER_STATUSES = ("provisional", "definitive")


def build_documents(c: Checker, raw: Raw) -> tuple[dict[str, DocumentKind],
                                                   dict[str, Requirement]]:
    kinds = {}
    for name, (where, data) in raw.documents.items():
        checks = c.names(f"{where}.checks", data.get("checks", []))
        for check in checks:
            if check not in DOCUMENT_CHECKS:
                c.add(f"{where}.checks", f"unknown check {check!r}; known: {DOCUMENT_CHECKS}")
        kinds[name] = DocumentKind(name=name, label=c.labels(where, data.get("label")),
                                   checks=checks, origin=where)
    requirements = {}
    for name, (where, data) in raw.requirements.items():
        one_of = c.names(f"{where}.one_of", data.get("one_of", []))
        informational = data.get("informational", False) is True
        if not one_of and not informational:
            c.add(f"{where}.one_of", "expected at least one document kind")
        for kind in one_of:
            if kind not in kinds:
                c.add(f"{where}.one_of", f"unknown document kind {kind!r}")
        stage = data.get("stage", "provisional")
        if stage not in STAGES:
            c.add(f"{where}.stage", f"expected one of {STAGES}, got {excerpt(stage)}")
        label = c.labels(where, data.get("label"))
        short = c.labels(where, data["short"], "short") if "short" in data else label
        requirements[name] = Requirement(
            name=name, one_of=one_of, stage=str(stage), label=label, short=short,
            informational=informational, origin=where)
    return kinds, requirements


def _choice(c: Checker, where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or value not in allowed:
        c.add(where, f"expected one of {', '.join(allowed)}, got {excerpt(value)}")
        return ""
    return value


def _sets(c: Checker, where: str, data: Any, facts: Mapping[str, FactSpec]) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        c.add(where, "expected a table fact = value")
        return {}
    out = {}
    for name, value in data.items():
        spec = facts.get(name)
        if spec is None or spec.kind != "history":
            c.add(f"{where}.{name}", f"{name!r} is not declared as a history fact "
                  "(kind = \"history\") in the facts")
        elif not type_ok(spec.type, value):
            c.add(f"{where}.{name}", f"{name!r} is {spec.type}; got {excerpt(value)}")
        else:
            out[name] = value
    return out


def build_workflow(c: Checker, raw: Raw, sources: Mapping[str, Source],
                   facts: Mapping[str, FactSpec]) -> tuple[dict[str, EventSpec],
                                                           dict[str, StepSpec]]:
    events = {}
    for name, (where, data) in raw.events.items():
        payload = c.names(f"{where}.payload", data.get("payload", []))
        for item in payload:
            if item not in EVENT_PAYLOAD:
                c.add(f"{where}.payload", f"unknown payload field {item!r}; known: "
                      f"{', '.join(EVENT_PAYLOAD)}")
        document = _choice(c, f"{where}.document", data.get("document"),
                           EVENT_DOCUMENT_STATUSES)
        number = _choice(c, f"{where}.number", data.get("number"), NUMBER_STATUSES)
        if document and not ({"document", "kind"} & set(payload)):
            c.add(f"{where}.payload", "an event that changes a document carries `document` "
                  "or `kind`")
        if number and "number" not in payload:
            c.add(f"{where}.payload", "an event that gives a number carries `number`")
        routes = c.names(f"{where}.routes", data.get("routes", []))
        known = facts["route"].values if "route" in facts else ()
        for route in routes:
            if known and route not in known:
                c.add(f"{where}.routes", f"unknown route {excerpt(route)}; known: "
                      f"{', '.join(known)}")
        events[name] = EventSpec(
            routes=routes,
            name=name, actor=_choice(c, f"{where}.actor", data.get("actor"), ACTORS),
            label=c.labels(where, data.get("label")),
            citations=c.citations(where, data.get("citations"), sources),
            sets=MappingProxyType(_sets(c, f"{where}.sets", data.get("sets", {}), facts)),
            document=document, number=number, payload=payload,
            changes_case=data.get("changes_case") is True, origin=where)
    steps = {}
    for name, (where, data) in raw.steps.items():
        event = data.get("event", "")
        if event and event not in events:
            c.add(f"{where}.event", f"unknown event {excerpt(event)}")
        steps[name] = StepSpec(
            name=name, actor=_choice(c, f"{where}.actor", data.get("actor"), ACTORS),
            label=c.labels(where, data.get("label")),
            needs=c.labels(where, data.get("needs"), "needs"),
            citations=c.citations(where, data.get("citations"), sources),
            event=str(event), origin=where)
    return events, steps
