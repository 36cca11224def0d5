"""Claims priced over HTTP: a JSON array answered whole, or JSON Lines streamed both ways.

``POST /claims/price`` takes a JSON array of claims (or ``{"claims": [...], "cover":
{...}}``) and answers ``{"claims": [...], "totals": {...}, "refused": n}``; or JSON Lines
(``Content-Type: application/x-ndjson``, one claim a line, the cover as the ``cover``
query option) and answers JSON Lines, one result per claim, in order, written while the
request is still being read when ``presorted=true``.  Either way each result is exactly
what :func:`ssreg.price_claims` gives for that claim (its ``claim_dict`` form), a line
that is not JSON becomes a refused claim at its place, and a claim never disappears.

A stream that must stop (the claim or time limit, a line too long) ends with one line that
is a problem details object (it has ``type`` and ``status``); every line before it stands.
The work runs on a thread of its own, pulling the request's body from the event loop and
handing lines back in blocks, so the server keeps answering other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

import attrs
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from ..exceptions import Problem
from ..model.limits import excerpt
from ..output.labels import claim_dict
from ..pricing.batch import price_claims
from ..pricing.results import ClaimError, ClaimResult
from ..pricing.summary import summarize
from ..rulebook.rulebook import Rulebook
from .problems import ApiProblem, from_error
from .settings import Settings


BLOCK = 64 * 1024
"""Bytes of output gathered before a block is handed to the event loop."""


@attrs.frozen
class PriceOptions:
    """What one pricing request asks for."""

    book: Rulebook
    lang: str
    overrides: Mapping[str, Any]
    cover: Any
    presorted: bool
    base_url: str | None


def result_dict(options: PriceOptions, result: ClaimResult | ClaimError, position: int,
                where: str) -> dict[str, Any]:
    """A claim's result at its place in the request (``where``: ``claims[3]``, ``line 4``):
    its position among the request's claims, its problems located there."""
    if isinstance(result, ClaimResult):
        if result.position != position:
            result = result._replace(position=position)
        return claim_dict(options.book, result, options.lang, options.base_url)
    prefix = f"claims[{result.position}]"
    if result.position != position or prefix != where:
        result = attrs.evolve(result, position=position, problems=tuple(
            Problem(where + p.path.removeprefix(prefix), p.message) for p in result.problems))
    return claim_dict(options.book, result, options.lang)


def price_list(claims: list[Any], options: PriceOptions) -> dict[str, Any]:
    """The JSON answer to a list of claims (run on a worker thread)."""
    results = list(price_claims(claims, cover=options.cover, rulebook=options.book,
                                overrides=options.overrides, presorted=options.presorted,
                                errors="collect"))
    totals = summarize(results).totals()
    return {"claims": [result_dict(options, r, i, f"claims[{i}]")
                       for i, r in enumerate(results)],
            "totals": {k: str(v) for k, v in totals.items()},
            "refused": sum(1 for r in results if not r.ok)}


def check_options(options: PriceOptions) -> None:
    """Refuse a bad cover or override before any line is read (a 422 problem)."""
    price_claims((), cover=options.cover, rulebook=options.book,
                 overrides=options.overrides)


class _Stop(Exception):
    """The stream must end with this problem (a limit was reached)."""

    def __init__(self, problem: ApiProblem) -> None:
        self.problem = problem
        super().__init__(problem.kind)


class Stream:
    """A JSON Lines pricing run: a thread reads the body through the loop, prices, and
    hands blocks of output lines back through a bounded queue."""

    def __init__(self, body: AsyncIterator[bytes], options: PriceOptions,
                 settings: Settings) -> None:
        self.loop = asyncio.get_running_loop()
        self.body = body
        self.options = options
        self.settings = settings
        self.queue: asyncio.Queue[bytes | dict[str, Any] | None] = asyncio.Queue(maxsize=8)
        self.stopped = threading.Event()
        self.deadline = time.monotonic() + settings.stream_timeout
        self.thread = threading.Thread(target=self._run, name="ssreg-price-stream",
                                       daemon=True)
        self.before_read: Callable[[], None] = _nothing

    # ------------------------------------------------------------------ the thread side

    def _call(self, make: Callable[[], Any], *, grace: float = 0.0) -> Any:
        """Run a coroutine on the loop and wait for it: at most until the deadline (plus
        ``grace``), and not at all once the client has gone."""
        future = asyncio.run_coroutine_threadsafe(make(), self.loop)
        while True:
            try:
                return future.result(timeout=0.25)
            except TimeoutError:
                if self.stopped.is_set() or time.monotonic() > self.deadline + grace:
                    future.cancel()
                    if self.stopped.is_set() or grace:
                        raise _Abandoned from None
                    raise _Stop(ApiProblem("time-limit", limit=self.settings.stream_timeout)
                                ) from None

    def _chunks(self) -> Iterator[bytes]:
        """The body's chunks; what was priced so far is handed out before each wait."""
        while True:
            self.before_read()
            try:
                chunk = self._call(self.body.__anext__)
            except StopAsyncIteration:
                return
            if chunk:
                yield chunk

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        """Non-blank lines with their numbers (1-based), each at most ``max_line`` bytes,
        all of them at most ``max_stream``."""
        limit, number, pending, size = self.settings.max_line, 0, b"", 0
        for chunk in self._chunks():
            self._check_time()
            size += len(chunk)
            if size > self.settings.max_stream:
                raise _Stop(ApiProblem("too-large", limit=self.settings.max_stream))
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                number += 1
                if len(line) > limit:
                    raise _Stop(ApiProblem("too-large", "line-too-long", limit=limit))
                if line.strip():
                    yield number, line
            if len(pending) > limit:
                raise _Stop(ApiProblem("too-large", "line-too-long", limit=limit))
        if pending.strip():
            yield number + 1, pending

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Stop(ApiProblem("time-limit", limit=self.settings.stream_timeout))

    def _run(self) -> None:
        try:
            self._price()
            self._put(None)
        except _Abandoned:
            return
        except _Stop as stop:
            self._finish(stop.problem)
        except Exception as exc:  # handed to the loop: a problem, or logged as a bug
            self._finish(exc)

    def _finish(self, exc: BaseException) -> None:
        try:
            self.before_read()  # the lines priced before the stop stand
            self._put({"error": exc}, grace=5.0)
            self._put(None, grace=5.0)
        except (_Abandoned, _Stop):
            return

    def _put(self, item: bytes | dict[str, Any] | None, *, grace: float = 0.0) -> None:
        self._call(lambda: self.queue.put(item), grace=grace)

    def _price(self) -> None:
        order: deque[tuple[int, str, Problem | None]] = deque()
        max_claims = self.settings.max_claims
        from .inputs import InvalidJson, parse_json

        def items() -> Iterator[Any]:
            for position, (number, line) in enumerate(self._lines()):
                if position >= max_claims:
                    raise _Stop(ApiProblem("too-many-claims", limit=max_claims))
                where = f"line {number}"
                try:
                    item = parse_json(line, where)
                except InvalidJson as exc:
                    order.append((position, where, exc.problem))
                    continue
                order.append((position, where, None))
                yield item

        options = self.options
        priced = price_claims(items(), cover=options.cover, rulebook=options.book,
                              overrides=options.overrides, presorted=options.presorted,
                              errors="collect")
        out: list[str] = []
        size = 0

        def emit(data: dict[str, Any]) -> None:
            nonlocal size
            line = json.dumps(data, ensure_ascii=False)
            out.append(line)
            size += len(line) + 1
            if size >= BLOCK:
                flush()

        def flush() -> None:
            nonlocal size
            if out:
                self._put(("\n".join(out) + "\n").encode())
                out.clear()
                size = 0

        self.before_read = flush

        def unreadable(position: int, where: str, problem: Problem) -> dict[str, Any]:
            error = ClaimError(position=position, id=None, problems=(problem,))
            return claim_dict(options.book, error, options.lang)

        for result in priced:
            while order[0][2] is not None:
                position, where, problem = order.popleft()
                emit(unreadable(position, where, problem))  # type: ignore[arg-type]
            position, where, _ = order.popleft()
            emit(result_dict(options, result, position, where))
        for position, where, problem in order:
            assert problem is not None, "a readable claim without its result"
            emit(unreadable(position, where, problem))
        flush()

    # ------------------------------------------------------------------ the loop side

    async def first(self) -> bytes | dict[str, Any] | None:
        """Start the thread; the first block (or the error that came before any output)."""
        self.thread.start()
        return await self.queue.get()

    async def rest(self, first: bytes | dict[str, Any] | None,
                   lang: str, log: Callable[[BaseException], str]) -> AsyncIterator[bytes]:
        """The blocks of output lines; a last problem line if the run had to stop."""
        item = first
        try:
            while item is not None:
                if isinstance(item, dict):
                    yield (json.dumps(_problem_line(item["error"], lang, log),
                                      ensure_ascii=False) + "\n").encode()
                else:
                    yield item
                item = await self.queue.get()
        finally:
            self.stopped.set()


class LinesResponse(StreamingResponse):
    """A streamed answer that leaves the request's body to the stream.

    Starlette's own streaming response listens for the client going away by reading the
    request, which would take the lines the pricing thread is reading; this one only sends
    (a client that went away makes the body reader fail, which ends the thread).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        async for chunk in self.body_iterator:
            data = chunk.encode(self.charset) if isinstance(chunk, str) else bytes(chunk)
            await send({"type": "http.response.body", "body": data, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _nothing() -> None:
    pass


class _Abandoned(Exception):
    """The client went away: the thread stops."""


def _problem_line(exc: BaseException, lang: str,
                  log: Callable[[BaseException], str]) -> dict[str, Any]:
    from .problems import answerable, problem, text

    if answerable(exc):
        return from_error(exc, lang)
    incident = log(exc)
    return problem("internal-error", lang, text("details", "internal-error", lang,
                                                incident=incident))


def cover_option(text: str | None) -> Any:
    """The ``cover`` query option of a JSON Lines request: a cover as JSON, or none."""
    if text is None:
        return None
    from .inputs import parse_json

    data = parse_json(text, "cover")
    if not isinstance(data, Mapping):
        from ..exceptions import InvalidInputError

        raise InvalidInputError([Problem("cover", f"expected a JSON object, got "
                                                  f"{excerpt(data)}")])
    return data
