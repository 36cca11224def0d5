"""The endpoints: each reads its request, asks the library, answers JSON in the language.

Decisions and pricing run on a worker thread within the time limit; the rulebook is read
once when the app is made.  Every answer says which rules answered (``rulebook_version``,
``rulebook_horizon``); see docs/api.md for examples of each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response

from .._version import __version__
from ..exceptions import InvalidDossierError, InvalidInputError, Problem
from ..model.limits import excerpt
from ..output.i18n import typeset
from ..output.schema import SCHEMAS, schema
from ..rulebook.rulebook import Rulebook
from . import inputs
from .claims import (
    LinesResponse,
    PriceOptions,
    Stream,
    check_options,
    cover_option,
    price_list,
)
from .problems import ApiProblem
from .settings import Settings


def answer(data: Any, lang: str | None, status: int = 200,
           media_type: str = "application/json") -> Response:
    """A JSON answer (UTF-8, labels in ``lang``)."""
    headers = {"Vary": "Accept-Language"}
    if lang is not None:
        headers["Content-Language"] = lang
    body = json.dumps(data, ensure_ascii=False, default=str).encode()
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def _settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def _book(request: Request) -> Rulebook:
    found: Rulebook = request.app.state.book
    return found


def _about(book: Rulebook) -> dict[str, Any]:
    version = book.version
    return {"rulebook_version": version.version,
            "rulebook_horizon": version.horizon.isoformat() if version.horizon else None}


async def compute(request: Request, work: Callable[[], Any]) -> Any:
    """Run ``work`` on a worker thread; a 503 problem past the time limit."""
    limit = _settings(request).timeout
    try:
        with anyio.fail_after(limit):
            return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
    except TimeoutError:
        raise ApiProblem("time-limit", limit=limit) from None


async def json_body(request: Request) -> Any:
    inputs.require_json(request)
    return inputs.parse_json(await inputs.read_body(request, _settings(request).max_body))


# --------------------------------------------------------------------------- about


async def health(request: Request) -> Response:
    book = _book(request)
    return answer({"status": "ok", "version": __version__, "rulebook": book.fingerprint,
                   **_about(book)}, None)


async def openapi(request: Request) -> Response:
    document: dict[str, Any] = request.app.state.openapi
    return answer(document, None, media_type="application/vnd.oai.openapi+json")


async def schema_list(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return answer({"schemas": {name: f"{base}/schemas/{name}" for name in SCHEMAS}}, None)


async def schema_one(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in SCHEMAS:
        raise ApiProblem("not-found", path=excerpt(request.url.path))
    return answer(schema(name), None, media_type="application/schema+json")


# --------------------------------------------------------------------------- decisions


FORMS = ("full", "compact")
#: what a fact not given becomes: open (ask, the default) or its documented default
UNKNOWN = ("ask", "assume")


def _decide(book: Rulebook, body: Any, on: Any, lang: str, form: str, base_url: str | None,
            overrides: Mapping[str, Any], unknown: str) -> dict[str, Any]:
    from ..registration.evaluate import evaluate

    decision = evaluate(body, on=on, rulebook=book, overrides=overrides, unknown=unknown)
    result: dict[str, Any] = decision.to_dict(lang, form=form, base_url=base_url)
    return result


async def evaluate(request: Request) -> Response:
    lang = inputs.language(request)
    on = inputs.on_date(request, required=True)
    form = inputs.choice(request, "form", FORMS)
    unknown = inputs.choice(request, "unknown", UNKNOWN)
    extra = inputs.overrides(request)
    body = inputs.json_object(await json_body(request))
    data = await compute(request, partial(_decide, _book(request), body, on, lang, form,
                                          _settings(request).links, extra, unknown))
    return answer(data, lang)


def _ask(book: Rulebook, body: Any, on: Any, lang: str, settle: tuple[str, ...],
         skip: tuple[str, ...], overrides: Mapping[str, Any]) -> dict[str, Any]:
    from ..output.asking import question_dict
    from ..registration.partial import SETTLE, check_partial, next_question, questions

    check_partial(book, body, settle, skip)  # every problem at once
    options: dict[str, Any] = {"on": on, "rulebook": book, "overrides": overrides}
    found = questions(body, settle=settle or None, **options)
    now = next_question(body, settle=settle or SETTLE, skip=skip, **options)
    return {**_about(book), "on": on.isoformat(), "lang": lang,
            "questions": [question_dict(book, q, lang) for q in found],
            "next": None if now is None else question_dict(book, now, lang)}


async def ask(request: Request) -> Response:
    """The questions of a partial case, the most deciding first, and the one to ask now."""
    lang = inputs.language(request)
    on = inputs.on_date(request, required=True)
    settle = tuple(request.query_params.getlist("settle"))
    skip = tuple(request.query_params.getlist("skip"))
    extra = inputs.overrides(request)
    body = inputs.json_object(await json_body(request))
    data = await compute(request, partial(_ask, _book(request), body, on, lang, settle, skip,
                                          extra))
    return answer(data, lang)


def _apply(book: Rulebook, body: Mapping[str, Any], overrides: Mapping[str, Any],
           unknown: str) -> dict[str, Any]:
    from ..model.dossier import structure_dossier
    from ..registration.evaluate import apply_event

    problems = [Problem(key, "required field missing") for key in ("dossier", "event")
                if key not in body]
    problems += [Problem(key, "unknown field; expected dossier and event")
                 for key in body if key not in ("dossier", "event")][:10]
    if problems:
        raise InvalidInputError(problems)
    try:
        dossier = structure_dossier(body["dossier"])
    except InvalidDossierError as exc:
        raise InvalidDossierError([Problem(_under("dossier", p.path), p.message)
                                   for p in exc.problems]) from None
    new = apply_event(dossier, body["event"], rulebook=book, overrides=overrides,
                      unknown=unknown)
    return {"dossier": new.to_dict(), **_about(book)}


def _under(key: str, path: str) -> str:
    return key if path == "(input)" else f"{key}.{path}"


async def events(request: Request) -> Response:
    lang = inputs.language(request)
    unknown = inputs.choice(request, "unknown", UNKNOWN)
    extra = inputs.overrides(request)
    body = inputs.json_object(await json_body(request))
    data = await compute(request, partial(_apply, _book(request), body, extra, unknown))
    return answer(data, lang)


# --------------------------------------------------------------------------- claims


async def price(request: Request) -> Response:
    settings = _settings(request)
    lang = inputs.language(request)
    kind = inputs.media_type(request)
    streamed = kind in inputs.JSONL_TYPES
    if not streamed:
        inputs.require_json(request)
    # JSON Lines in: JSON Lines out; a JSON body is answered as JSON Lines on request
    accept = request.headers.get("accept", "")
    wants_lines = streamed or any(t in accept for t in inputs.JSONL_TYPES)
    options = PriceOptions(book=_book(request), lang=lang, overrides=inputs.overrides(request),
                           cover=cover_option(request.query_params.get("cover")),
                           presorted=inputs.flag(request, "presorted"),
                           base_url=settings.links)
    if streamed:
        check_options(options)
        stream = Stream(request.stream(), options, settings)
        first = await stream.first()
        if isinstance(first, dict):  # refused before any output: an ordinary problem
            raise first["error"]
        return LinesResponse(stream.rest(first, lang, request.app.state.log_incident),
                             media_type=inputs.JSONL,
                             headers={"Content-Language": lang, "Vary": "Accept-Language"})
    data = await json_body(request)
    claims, cover = _claims_and_cover(data, options.cover)
    if len(claims) > settings.max_claims:
        raise ApiProblem("too-many-claims", limit=settings.max_claims)
    options = PriceOptions(book=options.book, lang=lang, overrides=options.overrides,
                           cover=cover, presorted=options.presorted, base_url=options.base_url)
    result = await compute(request, partial(price_list, claims, options))
    if wants_lines:
        lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in result["claims"])
        return Response(lines.encode(), media_type=inputs.JSONL,
                        headers={"Content-Language": lang, "Vary": "Accept-Language"})
    return answer(result, lang)


def _claims_and_cover(data: Any, cover: Any) -> tuple[list[Any], Any]:
    if isinstance(data, list):
        return data, cover
    if isinstance(data, Mapping) and isinstance(data.get("claims"), list):
        unknown = [Problem(key, "unknown field; expected claims and cover")
                   for key in data if key not in ("claims", "cover")][:10]
        if unknown:
            raise InvalidInputError(unknown)
        return data["claims"], data.get("cover", cover)
    raise InvalidInputError([Problem("(body)", "expected a JSON array of claims, or an object "
                                               "with claims (an array) and cover; got "
                                               f"{excerpt(data)}")])


# --------------------------------------------------------------------------- the rulebook


async def rules(request: Request) -> Response:
    from ..output.listing import rule_rows

    lang = inputs.language(request)
    on = inputs.on_date(request, required=False)
    decision = request.query_params.get("decision")
    book = _book(request)
    if decision is not None and decision not in book.decisions:
        known = ", ".join(sorted(book.decisions))
        raise InvalidInputError([Problem("decision", f"unknown decision {excerpt(decision)}; "
                                                     f"known: {known}")])
    rows = [row for row in rule_rows(book, on, lang)
            if decision is None or row["decision"] == decision]
    _pages(request, rows, "rules", "id", lang)
    return answer({**_about(book), "on": on, "rules": rows}, lang)


async def rule(request: Request) -> Response:
    from ..output.listing import rule_detail

    lang = inputs.language(request)
    on = inputs.on_date(request, required=False)
    book, rule_id = _book(request), request.path_params["rule_id"]
    if not any(r.id == rule_id for r in book.rules):
        raise ApiProblem("not-found", path=excerpt(request.url.path))
    data = rule_detail(book, rule_id, on, lang)
    _pages(request, [data], "rules", "id", lang)
    return answer({**_about(book), "on": on, **data}, lang)


async def parameters(request: Request) -> Response:
    from ..output.listing import parameter_rows

    lang = inputs.language(request)
    on = inputs.on_date(request, required=False)
    book = _book(request)
    rows = parameter_rows(book, on, lang, name=request.query_params.get("name"))
    _pages(request, rows, "parameters", "name", lang)
    return answer({**_about(book), "on": on, "parameters": rows}, lang)


async def parameter(request: Request) -> Response:
    from ..output.listing import parameter_value_row

    lang = inputs.language(request)
    on = inputs.on_date(request, required=False)
    book, name = _book(request), request.path_params["name"]
    param = book.parameters.get(name)
    if param is None:
        raise ApiProblem("not-found", path=excerpt(request.url.path))
    values = [param.value_on(on)] if on is not None else list(param.values)
    rows = [parameter_value_row(book, param, value, lang) for value in values]
    _pages(request, rows, "parameters", "name", lang)
    return answer({**_about(book), "on": on, "name": name,
                   "label": typeset(param.label[lang], lang),
                   "unit": param.unit, "values": rows}, lang)


def _pages(request: Request, rows: list[dict[str, Any]], kind: str, key: str,
           lang: str) -> None:
    """With a base URL, each row links to its page on the site."""
    base_url = _settings(request).links
    if base_url is None:
        return
    from ..output.links import page_url

    for row in rows:
        row["page"] = page_url(base_url, kind, row[key], lang)
