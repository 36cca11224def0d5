"""JSON Schemas (draft 2020-12) of the inputs and of the Decision, from the models.

The input schemas are generated from the models' field kinds (the very declarations the
models check themselves with); the Decision's schema describes ``Decision.to_dict()``.
Both are published in ``docs/schemas/`` (a test fails when they are stale) and checked
against real inputs and outputs with a validator in the tests.
"""

from __future__ import annotations

from typing import Any

from ..model.fields import model_schema
from ..rulebook.sources import SOURCE_KINDS


DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://ssreg.example/schemas/"


def _input(model: type, name: str) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    top = model_schema(model, defs)
    defs.pop(model.__name__, None)
    return {"$schema": DRAFT, "$id": BASE_ID + name + ".schema.json",
            "title": f"ssreg {name}", **top, **({"$defs": defs} if defs else {})}


STR = {"type": "string"}
STRS = {"type": "array", "items": STR}
NULLABLE_STR = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
YEAR = r"^\d{4}-\d{4}$"


def _obj(properties: dict[str, Any], required: list[str] | None = None,
         extra: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"type": "object", "properties": properties}
    data["required"] = required if required is not None else list(properties)
    if not extra:
        data["additionalProperties"] = False
    return data


FINDING = _obj({"kind": STR, "status": STR, "document_status": STR, "detail": STR,
                "values": {"type": "object"}}, ["kind", "status", "document_status"])
FAILURE = {"type": "object", "required": ["op", "required", "actual"],
           "properties": {"fact": STR, "param": STR, "op": STR}}
NOTICE = _obj({"code": STR, "values": {"type": "object"}, "rule": STR, "citations": STRS,
               "text": STR}, ["code", "values"])
PERIOD = _obj({"start": DATE, "end": {"anyOf": [DATE, {"type": "null"}]}})
PARAMETER = _obj({"name": STR, "value": {}, "period": PERIOD, "citations": STRS,
                  "overridden": {"type": "boolean"}, "uncertain": {"type": "boolean"},
                  "alternatives": {"type": "object"}, "label": STR},
                 ["name", "value", "period", "citations"])
URLS = {"type": "object", "additionalProperties": {"type": "string", "format": "uri-reference"}}
#: with a base URL: the site's page of each rule and parameter cited (docs/site.md)
LINKS = _obj({"rules": URLS, "parameters": URLS}, extra=False)
CLAIM = {"type": "object", "required": ["ok"], "properties": {
    "ok": {"type": "boolean"}, "position": {"type": "integer"},
    **dict.fromkeys(("billed", "base", "amo_gross", "deduction", "amo", "flat_charge",
                     "top_up", "patient"), MONEY),
    "rate": STR, "rules": STRS, "parameters": {"type": "array", "items": PARAMETER},
    "assumptions": STRS, "warnings": STRS, "rulebook_version": STR,
    "rulebook_horizon": {"anyOf": [DATE, {"type": "null"}]}, "links": LINKS,
    "problems": {"type": "array", "items": _obj({"path": STR, "message": STR})}}}
ANSWER = {"type": "object", "required": ["outcomes"], "properties": {
    "value": {}, "from": {}, "to": {}, "outcomes": {"type": "object"},
    "open": {"type": "object"}, "label": STR, "gives": {"type": "object"}}}
QUESTION = _obj({
    "fact": STR, "path": STR, "type": {"enum": ["bool", "int", "decimal", "str", "date"]},
    "values": {"type": "array"}, "required": {"type": "boolean"}, "settles": STRS,
    "affects": STRS,
    "answers": {"type": "array", "items": ANSWER}, "citations": STRS,
    "texts": _obj({"en": STR, "fr": STR, "es": STR}), "text": STR, "label": STR,
    "value_labels": STRS}, ["fact", "path", "type", "settles", "affects", "answers",
                            "citations", "texts"])
SECTIONS = {"type": "array", "items": _obj(
    {"section": {"enum": ["where_you_are", "open", "what_to_do", "what_blocks", "css",
                          "what_to_bring", "next_steps", "warnings"]},
     "heading": STR, "items": STRS}, ["section", "heading", "items"])}
BLOCKED_STEP = {"enum": [None, "provisional_certificate", "final_certificate"]}
DECISION: dict[str, Any] = {
    "$schema": DRAFT, "$id": BASE_ID + "decision.schema.json", "title": "ssreg decision",
    "description": "Decision.to_dict(): schema ssreg.decision/3 (docs/trace-schema.md). With "
                   "a language, objects also carry labels (label, status_label, text...); with a "
                   "base URL, links gives the site's page of each rule and parameter cited.",
    **_obj({
        "schema": {"const": "ssreg.decision/3"}, "on": DATE, "rulebook": STR,
        "rulebook_version": STR, "rulebook_horizon": {"anyOf": [DATE, {"type": "null"}]},
        "lang": {"enum": ["en", "fr", "es"]}, "academic_year": {"type": "string",
                                                                "pattern": YEAR},
        "unknown": {"enum": ["ask", "assume"]},
        "outcomes": {"type": "object", "additionalProperties": {"anyOf": [STR, STRS]}},
        "open": {"type": "object", "additionalProperties": {
            "type": "array", "items": NULLABLE_STR}},
        "questions": {"type": "array", "items": QUESTION},
        "outcome_labels": {"type": "object"}, "open_labels": {"type": "object"},
        "summary": STR, "sections": SECTIONS,
        "checklist": _obj({"complete": {"type": "boolean"}, "open": STRS,
                           "open_labels": STRS, "blocked_step": BLOCKED_STEP,
                           "blocked_step_label": STR,
                           "items": {"type": "array", "items": _obj({
                               "requirement": STR, "status": STR, "stage": STR,
                               "one_of": STRS, "rule": STR, "citations": STRS,
                               "informational": {"type": "boolean"},
                               "satisfied_by": FINDING,
                               "findings": {"type": "array", "items": FINDING}},
                               ["requirement", "status", "stage", "one_of", "rule",
                                "citations", "findings"])}},
                          ["complete", "blocked_step", "items"]),
        "workflow": _obj({"stage": NULLABLE_STR, "stage_rule": NULLABLE_STR,
                          "number": NULLABLE_STR,
                          "number_status": {"enum": ["none", "provisional", "definitive"]},
                          "done": {"type": "array", "items": _obj(
                              {"event": STR, "date": DATE}, ["event", "date"])},
                          "next_steps": {"type": "array", "items": _obj(
                              {"step": STR, "actor": STR, "rule": STR, "citations": STRS},
                              ["step", "actor", "rule", "citations"])},
                          "allowed_events": STRS,
                          "refused_events": {"type": "array", "items": _obj(
                              {"event": STR, "rules": STRS, "citations": STRS,
                               "failed": {"type": "array", "items": FAILURE}},
                              ["event", "rules", "failed", "citations"])}},
                         ["stage", "stage_rule", "number", "number_status", "done",
                          "next_steps", "allowed_events", "refused_events"]),
        "warnings": {"type": "array", "items": NOTICE},
        "assumptions": {"type": "array", "items": NOTICE},
        "reimbursements": _obj({"claims": {"type": "array", "items": CLAIM},
                                "totals": {"type": "object",
                                           "additionalProperties": MONEY}}),
        "trace": _obj({
            "fired": {"type": "array", "items": _obj({"rule": STR, "decision": STR,
                                                      "outcome": {"type": "object"},
                                                      "citations": STRS},
                                                     ["rule", "decision", "outcome",
                                                      "citations"])},
            "open": {"type": "array", "items": _obj({"rule": STR, "decision": STR,
                                                     "unknown": STRS, "label": STR},
                                                    ["rule", "decision", "unknown"])},
            "not_applied": {"type": "array", "items": _obj(
                {"rule": STR, "decision": STR, "failed": {"type": "array",
                                                          "items": FAILURE},
                 "shadowed": {"type": "boolean"}}, ["rule", "decision", "failed"])},
            "parameters": {"type": "array", "items": PARAMETER},
            "facts": {"type": "object"}}),
        "citations": {"type": "object", "additionalProperties": _obj(
            {"key": STR, "title": STR, "url": NULLABLE_STR, "document": STR, "about": STR,
             "note": STR, "kind": {"enum": list(SOURCE_KINDS)}, "checked": DATE},
            ["key", "title", "url", "kind", "checked"])},
        "links": LINKS,
    }, ["schema", "on", "rulebook", "rulebook_version", "rulebook_horizon", "academic_year",
        "unknown", "outcomes", "open", "questions", "checklist", "warnings", "assumptions",
        "trace", "citations"],
        extra=False),
}


CLAIM_RESULT: dict[str, Any] = {
    "$schema": DRAFT, "$id": BASE_ID + "claim-result.schema.json",
    "title": "ssreg priced claim",
    "description": "A priced claim (ClaimResult.to_dict(), ok true) or the problems that "
                   "refused it (ClaimError.to_dict(), ok false), as ssreg price --json and "
                   "the HTTP API give them; the same object as a Decision's "
                   "reimbursements.claims items.  With a language, objects also carry labels.",
    **CLAIM}


LABELLED = {"label": STR, "status_label": STR, "actor_label": STR}
COMPACT: dict[str, Any] = {
    "$schema": DRAFT, "$id": BASE_ID + "decision-compact.schema.json",
    "title": "ssreg decision, compact form",
    "description": "Decision.to_dict(form='compact'): schema ssreg.decision-compact/1 "
                   "(docs/trace-schema.md), what a front end shows, without the trace.",
    **_obj({
        "schema": {"const": "ssreg.decision-compact/1"}, "on": DATE, "rulebook": STR,
        "rulebook_version": STR, "rulebook_horizon": {"anyOf": [DATE, {"type": "null"}]},
        "lang": {"enum": ["en", "fr", "es"]},
        "academic_year": {"type": "string", "pattern": YEAR},
        "outcomes": {"type": "object", "additionalProperties": {"anyOf": [STR, STRS]}},
        "outcome_labels": {"type": "object"}, "summary": STR, "sections": SECTIONS,
        "unknown": {"enum": ["ask", "assume"]},
        "open": {"type": "object", "additionalProperties": {
            "type": "array", "items": NULLABLE_STR}},
        "questions": {"type": "array", "items": _obj({
            "fact": STR, "path": STR, "type": {"enum": ["bool", "int", "decimal", "str",
                                                        "date"]},
            "values": {"type": "array"}, "required": {"type": "boolean"}, "settles": STRS,
            "text": STR, "answer_labels": STRS}, ["fact", "path", "type", "settles"],
            extra=False)},
        "checklist": _obj({"complete": {"type": "boolean"}, "open": STRS,
                           "blocked_step": BLOCKED_STEP,
                           "items": {"type": "array", "items": _obj(
                               {"requirement": STR, "status": STR, **LABELLED},
                               ["requirement", "status"], extra=False)}},
                          # open: only when some requirement depends on answers not given
                          ["complete", "blocked_step", "items"], extra=False),
        "workflow": _obj({"stage": NULLABLE_STR, "stage_label": STR,
                          "number_status": {"enum": ["none", "provisional", "definitive"]},
                          "next_steps": {"type": "array", "items": _obj(
                              {"step": STR, "actor": STR, **LABELLED}, ["step", "actor"],
                              extra=False)},
                          "allowed_events": STRS},
                         ["stage", "number_status", "next_steps", "allowed_events"],
                         extra=False),
        "warnings": {"type": "array", "items": _obj({"code": STR, "text": STR}, ["code"],
                                                    extra=False)},
        "assumptions": {"type": "array", "items": _obj({"code": STR, "text": STR},
                                                       ["code"], extra=False)},
        "labels": _obj({"status": {"type": "object", "additionalProperties": STR},
                        "actor": {"type": "object", "additionalProperties": STR}}, extra=False),
        "reimbursements": _obj({"claims": {"type": "integer"}, "refused": {"type": "integer"},
                                "totals": {"type": "object", "additionalProperties": MONEY}},
                               extra=False),
    }, ["schema", "on", "rulebook", "rulebook_version", "academic_year", "unknown",
        "outcomes", "open", "questions", "checklist", "warnings", "assumptions"],
        extra=False),
}


def schema(which: str) -> dict[str, Any]:
    """The JSON Schema of ``case``, ``dossier``, ``event``, ``claim``, ``cover``,
    ``decision``, ``decision-compact`` or ``claim-result`` (a priced claim)."""
    from ..model.dossier import SCHEMA, Dossier, Event
    from ..model.models import Case, Claim, Cover

    if which == "decision":
        return DECISION
    if which == "decision-compact":
        return COMPACT
    if which == "claim-result":
        return CLAIM_RESULT
    models = {"case": Case, "dossier": Dossier, "event": Event, "claim": Claim,
              "cover": Cover}
    data = _input(models[which], which)
    if which == "dossier":
        data["properties"] = {"schema": {"const": SCHEMA}, **data["properties"]}
    return data


SCHEMAS = ("case", "dossier", "event", "claim", "cover", "decision", "decision-compact",
           "claim-result")
