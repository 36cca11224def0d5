"""The ASGI application: routes, CORS, and every error as problem details.

:func:`create_app` loads the rulebook once (a bad overlay fails here, before the server
listens), builds the OpenAPI document and wires the endpoints.  Whatever goes wrong in a
request becomes an ``application/problem+json`` answer: ssreg's own errors say what was
wrong with the input; a bug answers 500 with an incident number, its traceback written to
the server's log only.

>>> app = create_app(Settings())
>>> sorted(r.path for r in app.routes)[:3]
['/claims/price', '/evaluate', '/events']
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..exceptions import InvalidInputError
from ..model.limits import excerpt
from ..output.i18n import LANGUAGES
from ..rulebook.rulebook import Rulebook
from . import endpoints as ep
from .inputs import accepted_language
from .openapi import document
from .problems import MEDIA_TYPE, answerable, from_error, problem, text
from .settings import ENV, Settings


LOG = logging.getLogger("ssreg.api")
Endpoint = Callable[[Request], Awaitable[Response]]


def log_incident(exc: BaseException) -> str:
    """Write an unexpected error to the server's log; the incident number to show."""
    incident = uuid.uuid4().hex[:12]
    LOG.error("incident %s: %s", incident, type(exc).__name__, exc_info=exc)
    return incident


def _lang(request: Request) -> str:
    given = request.query_params.get("lang")
    return given if given in LANGUAGES else accepted_language(
        request.headers.get("accept-language"))


def problem_response(request: Request, exc: BaseException) -> Response:
    """The problem details answer of an error (``instance``: the request path)."""
    lang = _lang(request)
    if answerable(exc):
        body = from_error(exc, lang)
    else:
        body = problem("internal-error", lang, text("details", "internal-error", lang,
                                                    incident=log_incident(exc)))
    body["instance"] = request.url.path[:500]
    return ep.answer(body, lang, status=body["status"], media_type=MEDIA_TYPE)


def _guarded(endpoint: Endpoint) -> Endpoint:
    """An endpoint whose every error is answered as problem details."""

    @wraps(endpoint)
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Exception as exc:
            return problem_response(request, exc)

    return run


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, method not allowed) as problem details."""
    from .problems import ApiProblem

    assert isinstance(exc, HTTPException)
    path = excerpt(request.url.path)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        found = ApiProblem("method-not-allowed", method=request.method[:20], path=path,
                           allowed=allowed or "none")
    else:
        found = ApiProblem("not-found", path=path)
    response = problem_response(request, found)
    if exc.status_code == 405:
        response.headers["Allow"] = (exc.headers or {}).get("Allow", "")
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    return problem_response(request, exc)


ROUTES: list[tuple[str, Endpoint, str]] = [
    ("/health", ep.health, "GET"),
    ("/openapi.json", ep.openapi, "GET"),
    ("/schemas", ep.schema_list, "GET"),
    ("/schemas/{name}", ep.schema_one, "GET"),
    ("/evaluate", ep.evaluate, "POST"),
    ("/questions", ep.ask, "POST"),
    ("/events", ep.events, "POST"),
    ("/claims/price", ep.price, "POST"),
    ("/rules", ep.rules, "GET"),
    ("/rules/{rule_id}", ep.rule, "GET"),
    ("/parameters", ep.parameters, "GET"),
    ("/parameters/{name}", ep.parameter, "GET"),
]


def create_app(settings: Settings | None = None, *, rulebook: Rulebook | None = None
               ) -> Starlette:
    """The API as an ASGI app (settings: from ``SSREG_API_SETTINGS``, else the defaults)."""
    from ..rulebook.loader import default_rulebook, load_rulebook

    if settings is None:
        given = os.environ.get(ENV)
        settings = Settings.from_json(given) if given else Settings()
    if rulebook is None:
        rulebook = (load_rulebook(*settings.rules, base=default_rulebook()) if settings.rules
                    else default_rulebook())
    middleware = []
    if settings.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"], allow_headers=["Content-Type", "Accept-Language"],
            expose_headers=["Content-Language"], max_age=600))
    routes: list[BaseRoute] = [Route(path, _guarded(endpoint), methods=[method])
                               for path, endpoint, method in ROUTES]
    if settings.site is not None:  # the pages answers link to, served beside them
        routes.append(Mount("/site", app=StaticFiles(directory=settings.site, html=True),
                            name="site"))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.state.settings = settings
    app.state.book = rulebook
    app.state.openapi = document(languages=LANGUAGES)
    app.state.log_incident = log_incident
    return app


def app_from_environment() -> Starlette:
    """The app a uvicorn worker makes (its settings come through the environment)."""
    try:
        return create_app()
    except InvalidInputError as exc:  # checked by ssreg serve before the workers start
        raise SystemExit(f"ssreg serve: {exc}") from None
