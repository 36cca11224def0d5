"""Errors as RFC 9457 problem details, in the asker's language, without internals.

Every error the server answers is a JSON object (``application/problem+json``) with a
``type`` (one of :data:`KINDS`, documented in docs/api.md), a ``title`` in the language of
the request, the HTTP ``status``, a ``detail`` and the request path as ``instance``; an
input's problems are all listed under ``problems`` with their field paths; a refused
event adds its ``stage``, ``event``, ``reasons`` and ``citations``.  A bug answers 500
with an incident number only: its traceback goes to the server's log, never to the client.

>>> from ssreg.exceptions import InvalidCaseError, Problem as P
>>> body = from_error(InvalidCaseError([P("student.birth_date", "expected a date")]), "fr")
>>> body["status"], body["title"]
(422, 'Les données envoyées comportent des erreurs')
>>> body["problems"]
[{'path': 'student.birth_date', 'message': 'expected a date'}]
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from ..exceptions import EventRefused, InvalidInputError, NoValueInForce, SsregError
from ..model.limits import MAX_PROBLEMS


TYPE_BASE = "https://ssreg.example/problems/"
"""Where the problem types are named (the same namespace as the schemas' ``$id``)."""
MEDIA_TYPE = "application/problem+json"

#: each kind of problem and its HTTP status
KINDS = {
    "invalid-json": 400,
    "not-found": 404,
    "method-not-allowed": 405,
    "event-refused": 409,
    "too-large": 413,
    "too-many-claims": 413,
    "unsupported-media-type": 415,
    "invalid-input": 422,
    "no-value-in-force": 422,
    "internal-error": 500,
    "time-limit": 503,
}


@cache
def _texts() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("ssreg.api").joinpath("texts.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def text(section: str, key: str, lang: str, **values: Any) -> str:
    """A text of the API in a language (``section`` is ``titles`` or ``details``)."""
    return _texts()[section][key][lang].format(**values)


class ApiProblem(SsregError):
    """A problem the server answers with (a kind of :data:`KINDS` and its fields)."""

    def __init__(self, kind: str, detail_key: str | None = None, **values: Any) -> None:
        self.kind = kind
        self.detail_key = detail_key or kind
        self.values = values
        self.extra: dict[str, Any] = {}
        super().__init__(kind)


def problem(kind: str, lang: str, detail: str, **extra: Any) -> dict[str, Any]:
    """The problem details object of a kind."""
    return {"type": TYPE_BASE + kind, "title": text("titles", kind, lang),
            "status": KINDS[kind], "detail": detail, **extra}


def _problem_list(exc: InvalidInputError) -> list[dict[str, str]]:
    # the library's overrides are the API's ``set`` query option
    return [{"path": "set." + p.path.removeprefix("overrides.")
             if p.path.startswith("overrides.") else p.path, "message": p.message}
            for p in exc.problems[:MAX_PROBLEMS]]


def from_error(exc: BaseException, lang: str) -> dict[str, Any]:
    """The problem details of an error: ssreg's own errors say what was wrong; anything
    else is an internal error whose text is not shown (the caller logs it)."""
    if isinstance(exc, ApiProblem):
        return problem(exc.kind, lang, text("details", exc.detail_key, lang, **exc.values),
                       **exc.extra)
    if isinstance(exc, InvalidInputError):
        found = _problem_list(exc)
        body = problem("invalid-input", lang, text(
            "details", "problems", lang, count=len(exc.problems),
            first=f"{found[0]['path']}: {found[0]['message']}"), problems=found)
        if len(exc.problems) > MAX_PROBLEMS:
            body["more_problems"] = len(exc.problems) - MAX_PROBLEMS
        return body
    if isinstance(exc, EventRefused):
        return problem("event-refused", lang, str(exc), stage=exc.stage, event=exc.event,
                       reasons=[_jsonable(r) for r in exc.reasons],
                       citations=list(exc.citations))
    if isinstance(exc, NoValueInForce):
        return problem("no-value-in-force", lang, str(exc)[:2000])
    raise TypeError(f"not an answerable error: {type(exc).__name__}")


def _jsonable(value: Any) -> Any:
    from ..rulebook.conditions import jsonable

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return jsonable(value)


def answerable(exc: BaseException) -> bool:
    """Whether an error is the client's to know about (else it is an internal error)."""
    return isinstance(exc, ApiProblem | InvalidInputError | EventRefused | NoValueInForce)
