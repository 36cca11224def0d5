"""Several processes on a batch whose persons' claims come in date order: pipelined.

When every person's claims already come in date order, each worker can price the
claims of its persons chunk by chunk, in input order, keeping each person's running
totals between chunks.  The main process sends chunk *k + 1* while it yields the
results of chunk *k*, so rebuilding the results (main) and pricing (workers) overlap.

A worker that dies is started again and given back every chunk it had seen (its
persons' totals are rebuilt from the start; results already yielded are dropped), once;
a second death raises :class:`~ssreg.WorkerError`.
"""

from __future__ import annotations

import contextlib
import os
from array import array
from collections.abc import Iterator
from typing import Any

from ..exceptions import InvalidClaimError, SsregError, WorkerError
from .packed import Results
from .pricer import PersonState, Pricer
from .processes import FAULTS, _context, _problems, partition
from .results import ClaimError, ClaimResult


CHUNK = 20_000  # claims per chunk (all workers together)


def _serve(conn: Any, state: dict[str, Any]) -> None:
    """A worker: price the chunks it is sent, keeping its persons' totals."""
    if "pricer" in state:
        pricer: Pricer = state["pricer"]
    else:
        from .batch import make_pricer

        pricer = make_pricer(*state["pricer_args"])
    get = state["claim"]
    marker = state["faults"].get("die_once")
    states: dict[str, PersonState] = {}
    while True:
        message = conn.recv()
        if message is None:
            return
        if marker is not None and not os.path.exists(marker):
            with contextlib.suppress(OSError):  # no marker: every attempt dies
                open(marker, "w").close()
            os._exit(1)  # a worker dying mid-batch, as a kill or the OOM killer would do
        positions, collect = message
        slots = array("I")
        slots.frombytes(positions)
        results = Results(len(slots))
        errors: dict[int, ClaimError] = {}
        for slot, position in enumerate(slots):
            claim = get(position)
            person = states.get(claim.person)
            if person is None:
                person = states[claim.person] = PersonState()
            try:
                results.store(slot, pricer.price(position, claim, person))
            except SsregError as exc:
                errors[position] = ClaimError(position=position, id=claim.id,
                                              person=claim.person,
                                              problems=_problems(exc, position))
                if not collect:
                    break
        conn.send((results, errors))


class _Worker:
    def __init__(self, context: Any, state: dict[str, Any]) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, state), daemon=True)
        self.process.start()
        child.close()
        self.sent: list[bytes] = []  # every chunk sent, to replay after a death

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():  # pragma: no cover - a stuck worker
            self.process.kill()
        self.conn.close()


def price_pipelined(pricer: Pricer, count: int, get: Any, person: Any,
                    refused: dict[int, ClaimError], collect: bool, workers: int,
                    spawn_args: tuple[Any, ...]) -> Iterator[ClaimResult | ClaimError]:
    """Price claims in input order (each person's in date order) on ``workers``
    processes, chunk by chunk, yielding each chunk while the next one is priced."""
    context = _context()
    if context.get_start_method() == "fork":
        state: dict[str, Any] = {"pricer": pricer, "claim": get}
    else:
        state = {"pricer_args": spawn_args, "claim": get}
    state["faults"] = dict(FAULTS)
    pool = [_Worker(context, state) for _ in range(workers)]
    restarted = [False] * workers
    chunks = range(0, count, CHUNK)
    owners: dict[int, bytearray] = {}

    def send(k: int) -> None:
        start = chunks[k]
        parts = [array("I") for _ in range(workers)]
        owner = bytearray(min(CHUNK, count - start))
        for position in range(start, start + len(owner)):
            if position in refused:
                continue
            number = partition(person(position), workers)
            owner[position - start] = number
            parts[number].append(position)
        owners[k] = owner
        for worker, part in zip(pool, parts, strict=True):
            worker.sent.append(part.tobytes())
            with contextlib.suppress(OSError):  # a dead worker: receive() replays its chunks
                worker.conn.send((worker.sent[-1], collect))

    def receive(w: int, k: int) -> tuple[Results, dict[int, ClaimError]]:
        try:
            return pool[w].conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError) as exc:
            if restarted[w]:
                raise WorkerError(f"workers: worker {w} died twice; no result was given "
                                  "for its claims") from exc
            restarted[w] = True
            pool[w].process.join(timeout=5)
            sent = pool[w].sent
            pool[w] = _Worker(context, state)
            pool[w].sent = sent
            for done, chunk in enumerate(sent):  # replay: totals rebuilt from the start
                pool[w].conn.send((chunk, collect))
                if done < k:
                    pool[w].conn.recv()  # already yielded: dropped
            return receive(w, k)

    try:
        if chunks:
            send(0)
        for k in range(len(chunks)):
            if k + 1 < len(chunks):
                send(k + 1)  # priced while chunk k is yielded
            answers = [receive(w, k) for w in range(workers)]
            errors: dict[int, ClaimError] = {}
            for _, found in answers:
                errors.update(found)
            owner = owners.pop(k)
            slots = [0] * workers
            start = chunks[k]
            for offset, number in enumerate(owner):
                position = start + offset
                if position in refused:  # refused while reading: in no worker's part
                    yield refused.pop(position)
                    continue
                slot = slots[number]
                slots[number] += 1
                error = errors.pop(position, None)
                if error is not None:
                    if not collect:
                        raise InvalidClaimError(list(error.problems))
                    yield error
                    continue
                results, _ = answers[number]
                yield results.result(position, get(position), slot)
    finally:
        for worker in pool:
            worker.stop()
