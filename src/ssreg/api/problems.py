"""Errors as RFC 9457 problem details, in the asker's language, without internals.

Every error the server answers is a JSON object (``application/problem+json``) with a
``type`` (one of :data:`KINDS`, documented in docs/api.md), a ``title`` in the language of
the request, the HTTP ``status``, a ``detail`` and the request path as ``instance``; an
input's problems are all listed under ``problems`` with their field paths; a refused
event adds its ``stage``, ``event``, ``reasons`` and ``citations``.  A bug answers 500
with an incident number only: its traceback goes to the server's log, never to the client.

>>> from ssreg.exceptions import InvalidCaseError, Problem as P
>>> error = InvalidCaseError([P("student.birth_date", "expected a date (YYYY-MM-DD), got 'x'")])
>>> body = from_error(error, "fr")
>>> body["status"], body["title"]
(422, 'Les données envoyées comportent des erreurs')
>>> "attendu" in body["problems"][0]["text"]  # each problem also in the language
True
>>> body["problems"][0]["path"]
'student.birth_date'
"""

from __future__ import annotations

from typing import Any

from ..exceptions import EventRefused, InvalidInputError, NoValueInForce, Problem, SsregError
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


def text(section: str, key: str, lang: str, **values: Any) -> str:
    """A text of the API in a language (``section``: ``titles`` or ``details``), from the
    catalogue (``ssreg/texts/api.toml``), with the language's typography."""
    from .. import texts

    name = {"titles": "api_title", "details": "api_detail"}[section]
    return texts.typeset(texts.message(f"{name}.{key.replace('-', '_')}", lang, **values),
                         lang)


class ApiProblem(SsregError):
    """A problem the server answers with: a kind of :data:`KINDS`, the values of its
    detail, and the located problems it lists (if any)."""

    def __init__(self, kind: str, detail_key: str | None = None, *,
                 problems: tuple[Problem, ...] = (), **values: Any) -> None:
        self.kind = kind
        self.detail_key = detail_key or kind
        self.values = values
        self.problems = problems
        super().__init__(kind)


def problem(kind: str, lang: str, detail: str, **extra: Any) -> dict[str, Any]:
    """The problem details object of a kind."""
    return {"type": TYPE_BASE + kind, "title": text("titles", kind, lang),
            "status": KINDS[kind], "detail": detail, **extra}


def _problem_list(exc: InvalidInputError, lang: str) -> list[dict[str, str]]:
    """Each problem: its path, its message in English, and ``text`` in the language."""
    found = []
    for problem in exc.problems[:MAX_PROBLEMS]:
        if problem.path.startswith("overrides."):  # the API's ``set`` query option
            problem = Problem("set." + problem.path.removeprefix("overrides."),
                              problem.message)
        found.append(problem.to_dict(lang))
    return found


def from_error(exc: BaseException, lang: str) -> dict[str, Any]:
    """The problem details of an error: ssreg's own errors say what was wrong; anything
    else is an internal error whose text is not shown (the caller logs it)."""
    if isinstance(exc, ApiProblem):
        if exc.problems:
            found = [p.to_dict(lang) for p in exc.problems]
            return problem(exc.kind, lang, text("details", "problems", lang, count=len(found),
                                                first=found[0]["text"]), problems=found)
        return problem(exc.kind, lang, text("details", exc.detail_key, lang, **exc.values))
    if isinstance(exc, InvalidInputError):
        found = _problem_list(exc, lang)
        body = problem("invalid-input", lang, text(
            "details", "problems", lang, count=len(exc.problems), first=found[0]["text"]),
            problems=found)
        if len(exc.problems) > MAX_PROBLEMS:
            body["more_problems"] = len(exc.problems) - MAX_PROBLEMS
        return body
    if isinstance(exc, EventRefused):
        return problem("event-refused", lang, exc.text(lang), stage=exc.stage, event=exc.event,
                       reasons=[_jsonable(r) for r in exc.reasons],
                       citations=list(exc.citations))
    if isinstance(exc, NoValueInForce):
        return problem("no-value-in-force", lang, exc.text(lang)[:2000])
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
