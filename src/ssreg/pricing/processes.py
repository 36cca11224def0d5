"""Pricing a batch on several processes (``price_claims(..., workers=N)``).

The claims are partitioned **by person** (a stable hash of the person key), so each
person's caps are computed by one process in date order, exactly as in one process.
The main process reads and checks the claims, each worker prices its partition and
sends back packed result records (:class:`~ssreg.pricing.packed.Results`), and the main
process yields one result per claim in input order.

Where the ``fork`` start method exists (Linux) the workers inherit the claims without
copying them; elsewhere the packed claims are sent to each worker once.

A worker that dies (killed, out of memory) breaks the pool: its partitions are priced
again once in a fresh pool (pricing is deterministic: nothing is duplicated, results
are placed by position); a second failure raises :class:`~ssreg.WorkerError`.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
import zlib
from array import array
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..exceptions import Problem, SsregError, WorkerError
from .packed import Results
from .pricer import PersonState, Pricer
from .results import ClaimError, ClaimResult


_STATE: dict[str, Any] = {}  # what the worker processes price with (set before they start)
#: fault injection for the tests only: ``{"die_once": path}`` makes the first worker that
#: starts a partition exit abruptly (and create ``path``, so the retry lives)
FAULTS: dict[str, str] = {}


def partition(person: str, parts: int) -> int:
    """The partition of a person (stable across processes and runs)."""
    return zlib.crc32(person.encode("utf-8")) % parts


def _context() -> Any:
    """``fork`` on Linux when this process runs one thread (forking a threaded process
    may deadlock); otherwise ``forkserver`` or ``spawn`` (the claims are then sent)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform.startswith("linux") and (
            threading.active_count() == 1):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init(state: dict[str, Any]) -> None:
    _STATE.clear()
    _STATE.update(state)
    if "pricer" not in state:
        from .batch import make_pricer

        _STATE["pricer"] = make_pricer(*state["pricer_args"])


def _price_part(positions: bytes, collect: bool) -> tuple[Results, dict[int, ClaimError]]:
    """In a worker: price the claims at ``positions`` (one partition, whole persons)."""
    marker = _STATE.get("faults", {}).get("die_once")
    if marker is not None and not os.path.exists(marker):
        with contextlib.suppress(OSError):  # no marker: every attempt dies
            open(marker, "w").close()
        os._exit(1)  # a worker dying mid-batch, as a kill or the OOM killer would do
    pricer: Pricer = _STATE["pricer"]
    get = _STATE["claim"]
    slots = array("I")
    slots.frombytes(positions)
    results = Results(len(slots))
    errors: dict[int, ClaimError] = {}
    by_person: dict[str, list[int]] = {}
    claims = []
    for slot, position in enumerate(slots):
        claim = get(position)
        claims.append(claim)
        by_person.setdefault(claim.person, []).append(slot)
    for slots_of_person in by_person.values():
        state = PersonState()
        for slot in sorted(slots_of_person, key=lambda s: (claims[s].date, s)):
            position = slots[slot]
            try:
                results.store(slot, pricer.price(position, claims[slot], state))
            except SsregError as exc:
                if not collect:
                    raise
                errors[position] = ClaimError(position=position, id=claims[slot].id,
                                              person=claims[slot].person,
                                              problems=_problems(exc, position))
    return results, errors


def _problems(exc: SsregError, position: int) -> tuple[Problem, ...]:
    problems = getattr(exc, "problems", None)
    return tuple(problems) if problems else (Problem(f"claims[{position}]", str(exc)),)


def price_in_processes(pricer: Pricer, count: int, get: Any, person: Any,
                       refused: dict[int, ClaimError], collect: bool, workers: int,
                       spawn_args: tuple[Any, ...]) -> Iterator[ClaimResult | ClaimError]:
    """Price the checked claims (``get(position)``, ``person(position)``) on ``workers``
    processes."""
    parts = [array("I") for _ in range(workers)]
    owner = bytearray(count)
    for position in range(count):
        if position in refused:
            continue
        number = partition(person(position), workers)
        owner[position] = number
        parts[number].append(position)
    slot_of = array("I", bytes(4 * count))
    for part in parts:
        for slot, position in enumerate(part):
            slot_of[position] = slot
    context = _context()
    if context.get_start_method() == "fork":  # the workers inherit these objects
        state: dict[str, Any] = {"pricer": pricer, "claim": get}
    else:  # sent to each worker: the pricer is rebuilt there from its settings
        state = {"pricer_args": spawn_args, "claim": get}
    state["faults"] = dict(FAULTS)
    done: dict[int, tuple[Results, dict[int, ClaimError]]] = {}
    for attempt in (1, 2):
        todo = [i for i, part in enumerate(parts) if part and i not in done]
        if not todo:
            break
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                     mp_context=context, initializer=_init,
                                     initargs=(state,)) as pool:
                futures = {i: pool.submit(_price_part, parts[i].tobytes(), collect)
                           for i in todo}
                for i, future in futures.items():
                    done[i] = future.result()
        except (BrokenProcessPool, OSError) as exc:  # OSError: a worker could not start
            if attempt == 2:
                raise WorkerError(f"workers: a worker process died twice while pricing "
                                  f"{len(todo)} partition(s); no result was given for "
                                  "their claims") from exc
    errors: dict[int, ClaimError] = dict(refused)
    for _, part_errors in done.values():
        errors.update(part_errors)
    for position in range(count):
        error = errors.pop(position, None)
        if error is not None:
            yield error
            continue
        results, _ = done[owner[position]]
        yield results.result(position, get(position), slot_of[position])
