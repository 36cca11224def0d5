"""The OpenAPI 3.1 document of the API, built from the published JSON Schemas.

The inputs (case, dossier, event, claim, cover) and the answers (the Decision, a priced
claim) are the schemas of :mod:`ssreg.output.schema`, the ones in ``docs/schemas/``: each
becomes a component (``Case``, ``Decision``...) and the models they share (``Student``,
``Document``...) become components of their own, so nothing is declared twice.  What only
the API has (problem details, the envelopes of lists and of a pricing answer) is declared
here.  OpenAPI 3.1 schemas are JSON Schema 2020-12, so the published schemas go in as
they are, their ``$defs`` references pointed at the components.

>>> doc = document(languages=("en", "fr", "es"))
>>> doc["openapi"], sorted(doc["paths"])[:3]
('3.1.0', ['/claims/price', '/evaluate', '/events'])
>>> doc["components"]["schemas"]["Decision"]["properties"]["schema"]
{'const': 'ssreg.decision/3'}
"""

from __future__ import annotations

import copy
from typing import Any

from .._version import __version__
from ..output.schema import schema
from .problems import KINDS, MEDIA_TYPE, TYPE_BASE


#: the published schemas and the component each becomes
PUBLISHED = {"case": "Case", "dossier": "Dossier", "event": "Event", "claim": "Claim",
             "cover": "Cover", "decision": "Decision", "decision-compact": "DecisionCompact",
             "claim-result": "ClaimResult"}
REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _pointed(value: Any) -> Any:
    """A schema with its ``#/$defs/X`` references pointed at the components."""
    if isinstance(value, dict):
        return {k: (REF + v.removeprefix("#/$defs/") if k == "$ref" and isinstance(v, str)
                    else _pointed(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_pointed(v) for v in value]
    return value


def published_components() -> dict[str, Any]:
    """The published schemas as components, their shared models once each."""
    found: dict[str, Any] = {}
    for which, name in PUBLISHED.items():
        data = copy.deepcopy(schema(which))
        defs = data.pop("$defs", {})
        for key in ("$schema", "$id"):
            data.pop(key, None)
        found[name] = _pointed(data)
        for def_name, definition in defs.items():
            found.setdefault(def_name, _pointed(definition))
    # a question, as the Decision gives it, is a component of its own: /questions answers it
    questions = found["Decision"]["properties"]["questions"]
    found["Question"] = questions["items"]
    found["Decision"]["properties"]["questions"] = {**questions, "items": _ref("Question")}
    return found


STR = {"type": "string"}
DATE = {"type": "string", "format": "date"}
NULL_DATE = {"anyOf": [DATE, {"type": "null"}]}
STRS = {"type": "array", "items": STR}
MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$"}
ABOUT = {"rulebook_version": STR, "rulebook_horizon": NULL_DATE}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


PROBLEM = _obj({
    "type": {"type": "string", "enum": [TYPE_BASE + kind for kind in KINDS]},
    "title": STR, "status": {"type": "integer", "enum": sorted(set(KINDS.values()))},
    "detail": STR,
    "problems": {"type": "array", "items": _obj({"path": STR, "message": STR})},
    "more_problems": {"type": "integer"}, "event": STR,
    "stage": {"anyOf": [STR, {"type": "null"}],
              "description": "null: the stage depends on facts not given"},
    "reasons": {"type": "array", "items": {"type": "object"}}, "citations": STRS},
    ["type", "title", "status", "detail"])
RULE_ROW = _obj({"id": STR, "decision": STR, "start": DATE, "end": NULL_DATE,
                 "citations": STRS, "label": STR, "page": STR},
                ["id", "decision", "start", "end", "citations", "label"])
PARAMETER_ROW = _obj({
    "name": STR, "label": STR, "unit": STR, "value": {}, "shown": STR, "start": DATE,
    "end": NULL_DATE, "citations": STRS, "uncertain": {"type": "boolean"}, "note": STR,
    "options": STRS, "alternatives": {"type": "object", "additionalProperties": STRS},
    "kind": STR, "checked": NULL_DATE,
    "sources": {"type": "object", "additionalProperties": STR}, "page": STR},
    ["name", "label", "unit", "value", "start", "end", "citations", "kind"])
SOURCE = _obj({"key": STR, "title": STR, "url": {"type": ["string", "null"]}, "kind": STR},
              ["key", "title", "url", "kind"])
API_COMPONENTS: dict[str, Any] = {
    "Problem": {**PROBLEM, "description": "RFC 9457 problem details (docs/api.md)."},
    "Health": _obj({"status": {"const": "ok"}, "version": STR, "rulebook": STR, **ABOUT}),
    "SchemaList": _obj({"schemas": {"type": "object", "additionalProperties": STR}}),
    "RuleRow": RULE_ROW,
    "RuleList": _obj({**ABOUT, "on": NULL_DATE, "rules": {"type": "array",
                                                        "items": _ref("RuleRow")}}),
    "Rule": _obj({**ABOUT, "on": NULL_DATE, "id": STR, "page": STR,
                  "versions": {"type": "array", "minItems": 1, "items": {
                      "allOf": [_ref("RuleRow"), _obj({
                          "priority": {"type": "integer"}, "outcome": {"type": "object"},
                          "when": {"type": "object"}, "parameters": STRS})]}},
                  "sources": {"type": "object", "additionalProperties": SOURCE}},
                 ["rulebook_version", "rulebook_horizon", "on", "id", "versions", "sources"]),
    "ParameterRow": PARAMETER_ROW,
    "ParameterList": _obj({**ABOUT, "on": NULL_DATE, "parameters": {
        "type": "array", "items": _ref("ParameterRow")}}),
    "Parameter": _obj({**ABOUT, "on": NULL_DATE, "name": STR, "label": STR, "unit": STR,
                       "values": {"type": "array", "items": _ref("ParameterRow")}}),
    "Questions": _obj({**ABOUT, "on": DATE, "lang": STR,
                       "questions": {"type": "array", "items": _ref("Question")},
                       "next": {"anyOf": [_ref("Question"), {"type": "null"}]}}),
    "EventRequest": {**_obj({"dossier": _ref("Dossier"), "event": _ref("Event")}),
                     "additionalProperties": False},
    "EventAnswer": _obj({"dossier": _ref("Dossier"), **ABOUT}),
    "PriceRequest": {**_obj({"claims": {"type": "array", "items": _ref("Claim")},
                             "cover": _ref("Cover")}, ["claims"]),
                     "additionalProperties": False},
    "PriceAnswer": _obj({"claims": {"type": "array", "items": _ref("ClaimResult")},
                         "totals": {"type": "object", "additionalProperties": MONEY},
                         "refused": {"type": "integer", "minimum": 0}}),
}


def _param(name: str, description: str, schema_: dict[str, Any], *, required: bool = False,
           where: str = "query", **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema_, **extra}


def _parameters(languages: tuple[str, ...]) -> dict[str, Any]:
    return {
        "lang": _param("lang", "language of the labels and texts (else Accept-Language, "
                               "else en)", {"type": "string", "enum": list(languages)}),
        "on": _param("on", "the date the rules are read on (YYYY-MM-DD)", DATE,
                     required=True),
        "on_optional": _param("on", "only what is in force on this date (YYYY-MM-DD)", DATE),
        "unknown": _param("unknown", "a fact not given: ask (the default: the answers it "
                                     "decides stay open, with the questions that settle "
                                     "them) or assume (its documented default, listed in "
                                     "assumptions)", {"type": "string", "enum": ["ask",
                                                                                 "assume"]}),
        "form": _param("form", "full: with the trace, findings and citations (default); "
                               "compact: what a front end shows",
                       {"type": "string", "enum": ["full", "compact"]}),
        "set": _param("set", "override a parameter for this request: NAME=VALUE "
                             "(repeatable; see /parameters)",
                      {"type": "array", "items": STR}, style="form", explode=True),
        "accept_language": _param("Accept-Language", "the languages the reader prefers "
                                  "(used when lang is not given)", STR, where="header"),
    }


def _json(schema_: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"content": {media: {"schema": schema_}}}


def _responses(ok: dict[str, Any], description: str, *statuses: int) -> dict[str, Any]:
    found: dict[str, Any] = {"200": {"description": description, **ok}}
    for status in sorted({400, 422, 500, 503, *statuses}):
        found[str(status)] = {"description": ", ".join(
            k for k, v in KINDS.items() if v == status),
            **_json(_ref("Problem"), MEDIA_TYPE)}
    return found


def _operation(operation_id: str, summary: str, params: list[str], ok: dict[str, Any],
               ok_text: str, statuses: tuple[int, ...] = (),
               body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": operation_id, "summary": summary,
                          "parameters": [{"$ref": "#/components/parameters/" + p}
                                         for p in params],
                          "responses": _responses(ok, ok_text, *statuses)}
    if body is not None:
        op["requestBody"] = {"required": True, **body}
    return op


def _paths() -> dict[str, Any]:
    lang = ["lang", "accept_language"]
    json_body = (413, 415)
    return {
        "/health": {"get": _operation("health", "Whether the server answers, and with which "
                                      "rules", [], _json(_ref("Health")), "up", ())},
        "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
                                  "responses": {"200": {"description": "OpenAPI 3.1",
                                  **_json({"type": "object"},
                                          "application/vnd.oai.openapi+json")}}}},
        "/schemas": {"get": _operation("schemas", "The published JSON Schemas", [],
                                       _json(_ref("SchemaList")), "their addresses")},
        "/schemas/{name}": {"get": _operation(
            "schema", "One published JSON Schema", ["schema_name"],
            _json({"type": "object"}, "application/schema+json"), "the schema", (404,))},
        "/evaluate": {"post": _operation(
            "evaluate", "Decide a case or a dossier on a date: route, documents, journey, "
            "reimbursements, with the rules and sources",
            ["on", "form", "unknown", "set", *lang],
            _json({"anyOf": [_ref("Decision"), _ref("DecisionCompact")]}),
            "the Decision: full (ssreg.decision/3) or compact (ssreg.decision-compact/1)",
            json_body,
            _json({"anyOf": [_ref("Case"), _ref("Dossier")]}))},
        "/questions": {"post": _operation(
            "questions", "The questions of a partial case (even its required fields may be "
            "missing), the most deciding first, each with what every answer gives; and the "
            "one to ask now", ["on", "settle", "skip", "set", *lang], _json(_ref("Questions")),
            "the questions and the next one (null: the answers in settle no longer depend on "
            "anything asked)", json_body,
            _json({"type": "object", "description": "a case (Case) still being filled in: "
                   "any field may be missing, those given are checked as in a Case"}))},
        "/events": {"post": _operation(
            "apply_event", "Append an event to a dossier if its stage allows it",
            ["unknown", "set", *lang],
            _json(_ref("EventAnswer")), "the dossier with the event", (409, *json_body),
            _json(_ref("EventRequest")))},
        "/claims/price": {"post": _operation(
            "price_claims", "Price claims: a JSON array (or claims and a cover) answered "
            "whole, or JSON Lines streamed both ways", ["presorted", "cover", "set", *lang],
            {"content": {"application/json": {"schema": _ref("PriceAnswer")},
                         "application/x-ndjson": {"schema": {
                             "type": "array", "items": _ref("ClaimResult")},
                             "x-ssreg-lines": "one ClaimResult per line"}}},
            "one result per claim, in order", json_body,
            {"content": {"application/json": {"schema": {"anyOf": [
                {"type": "array", "items": _ref("Claim")}, _ref("PriceRequest")]}},
                "application/x-ndjson": {"schema": {"type": "array", "items": _ref("Claim")},
                                         "x-ssreg-lines": "one Claim per line"}}})},
        "/rules": {"get": _operation("rules", "The rules, their periods and sources",
                                     ["on_optional", "decision", *lang],
                                     _json(_ref("RuleList")), "the rules")},
        "/rules/{rule_id}": {"get": _operation(
            "rule", "One rule: its versions, condition, outcome and sources",
            ["rule_id", "on_optional", *lang], _json(_ref("Rule")), "the rule", (404,))},
        "/parameters": {"get": _operation(
            "parameters", "The dated parameters: values, periods, sources",
            ["on_optional", "name", *lang], _json(_ref("ParameterList")), "the values")},
        "/parameters/{name}": {"get": _operation(
            "parameter", "One parameter's values", ["parameter_name", "on_optional", *lang],
            _json(_ref("Parameter")), "its values", (404,))},
    }


def document(*, languages: tuple[str, ...]) -> dict[str, Any]:
    """The OpenAPI 3.1 document served at ``/openapi.json``."""
    parameters = _parameters(languages)
    parameters.update({
        "presorted": _param("presorted", "each person's claims come in date order: price "
                            "them as they come (a stream then starts answering at once)",
                            {"type": "boolean"}),
        "cover": _param("cover", "the top-up cover for JSON Lines claims, as JSON (a JSON "
                        "body gives it as cover)", STR),
        "settle": _param("settle", "the answers to settle (repeatable: route, documents, "
                         "blocks, css_eligibility, warnings, stage, next_steps...): questions "
                         "only for them, and next asks until they are settled (default: route "
                         "and documents)", {"type": "array", "items": STR}, style="form",
                         explode=True),
        "skip": _param("skip", "a fact the person does not know (repeatable): next does not "
                       "ask it again", {"type": "array", "items": STR}, style="form",
                       explode=True),
        "decision": _param("decision", "only the rules of this decision table", STR),
        "name": _param("name", "only parameters whose name contains this", STR),
        "schema_name": _param("name", "a published schema", {"type": "string"},
                              where="path", required=True),
        "rule_id": _param("rule_id", "a rule id, e.g. route.online", STR, where="path",
                          required=True),
        "parameter_name": _param("name", "a parameter, e.g. participation_forfaitaire", STR,
                                 where="path", required=True),
    })
    return {
        "openapi": "3.1.0",
        "info": {"title": "ssreg", "version": __version__,
                 "description": "French social-security registration and reimbursement "
                                "rules for international students, as cited, dated, "
                                "trilingual data (docs/api.md).",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": _paths(),
        "components": {"schemas": {**published_components(), **API_COMPONENTS},
                       "parameters": parameters},
    }
