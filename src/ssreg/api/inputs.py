"""What a request says: its language, its query options and its body, within the limits.

The language is the ``lang`` query option when given (``en``, ``fr`` or ``es``), else the
best supported language of ``Accept-Language``, else English:

>>> accepted_language("es-MX,es;q=0.9,en;q=0.8")
'es'
>>> accepted_language("de-CH, fr;q=0.5, *;q=0.1")
'fr'
>>> accepted_language("de"), accepted_language(None)
('en', 'en')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from ..exceptions import InvalidInputError, Problem
from ..model.files import decode
from ..model.limits import excerpt
from ..output.i18n import LANGUAGES, check_language
from .problems import ApiProblem


JSON_TYPES = ("application/json",)
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
               "application/json-seq")
JSONL = "application/x-ndjson"


def accepted_language(header: str | None) -> str:
    """The supported language an ``Accept-Language`` header prefers (English if none)."""
    best, best_q = "en", 0.0
    for part in (header or "")[:1000].split(",")[:50]:
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        if primary == "*":
            primary = "en"
        # earlier entries win ties (a header lists its preferences in order)
        if primary in LANGUAGES and quality > best_q and quality > 0:
            best, best_q = primary, quality
    return best


def language(request: Request) -> str:
    """The language of the answer: ``lang`` in the query, else ``Accept-Language``."""
    given = request.query_params.get("lang")
    if given is not None:
        return check_language(given)
    return accepted_language(request.headers.get("accept-language"))


def on_date(request: Request, *, required: bool) -> date | None:
    """The ``on`` query option (YYYY-MM-DD): the date the rules are read on."""
    from ..registration.evaluate import as_date

    given = request.query_params.get("on")
    if given is None:
        if required:
            raise InvalidInputError([Problem("on", "required: the date to decide on "
                                                   "(YYYY-MM-DD), e.g. ?on=2026-09-15")])
        return None
    return as_date(given, "on", InvalidInputError)


def overrides(request: Request) -> dict[str, str]:
    """Parameters the caller sets for this request: ``set=NAME=VALUE``, repeatable."""
    found: dict[str, str] = {}
    problems = []
    for pair in request.query_params.getlist("set")[:100]:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            problems.append(Problem("set", f"expected NAME=VALUE, got {excerpt(pair)}"))
            continue
        found[name.strip()] = value.strip()
    if problems:
        raise InvalidInputError(problems)
    return found


def flag(request: Request, name: str) -> bool:
    """A true/false query option (absent: false)."""
    given = request.query_params.get(name)
    if given is None:
        return False
    if given.lower() in ("true", "1", "yes"):
        return True
    if given.lower() in ("false", "0", "no"):
        return False
    raise InvalidInputError([Problem(name, f"expected true or false, got {excerpt(given)}")])


def choice(request: Request, name: str, options: tuple[str, ...]) -> str:
    """A query option among ``options`` (the first is the default)."""
    given = request.query_params.get(name)
    if given is None:
        return options[0]
    if given not in options:
        raise InvalidInputError([Problem(name, f"expected one of {', '.join(options)}, got "
                                               f"{excerpt(given)}")])
    return given


def media_type(request: Request) -> str:
    """The body's media type, without parameters (``application/json`` when not given)."""
    given = request.headers.get("content-type", "")
    return given.split(";")[0].strip().lower() or "application/json"


def require_json(request: Request) -> None:
    """Refuse (415) a body that does not say it is JSON."""
    kind = media_type(request)
    if kind not in JSON_TYPES and not kind.endswith("+json"):
        raise ApiProblem("unsupported-media-type", expected="application/json",
                         got=excerpt(kind))


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or a 413 problem as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ApiProblem("too-large", limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiProblem("too-large", limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(data: bytes | str, where: str = "(body)") -> Any:
    """JSON (numbers with a fraction as ``Decimal``), or a 400 problem saying where it
    breaks."""
    try:
        text = decode(data, where) if isinstance(data, bytes) else data
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        message = "not valid JSON: nested too deeply"
    except InvalidInputError as exc:
        message = exc.problems[0].message
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        message = "not valid JSON: a number has too many digits"
    raise InvalidJson(where, message)


class InvalidJson(ApiProblem):
    """A body (or a line) that is not JSON."""

    def __init__(self, where: str, message: str) -> None:
        self.problem = Problem(where, message)
        super().__init__("invalid-json", "problems", problems=(self.problem,))


def json_object(data: Any) -> Mapping[str, Any]:
    """A body that must be a JSON object."""
    if not isinstance(data, Mapping):
        raise InvalidInputError([Problem("(body)", f"expected a JSON object, got "
                                                   f"{excerpt(data)}")])
    return data
