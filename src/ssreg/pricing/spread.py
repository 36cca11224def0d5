"""Several processes pricing by columns (``workers=N`` when numpy is installed).

The main process does per claim only what must be done once: it reads each claim's
person (a stable hash of it chooses the process, so a person's caps stay in one
process) and, at the end, yields the results.  Each worker takes its claims *as they
were given* (dicts, ``Claim`` objects or DataFrame rows: with ``fork`` it inherits them,
elsewhere they are sent once), checks them, prices them with the columnar pricer and
sends back whole columns (:class:`~ssreg.pricing.columnar.PricedColumns`), which the
main process puts back in input order.

``workers=N`` is N processes pricing: this process and N - 1 workers.  While the
workers price their shares, this process prices one share itself (it would only wait
otherwise): one process fewer to start, and one share's claims read in place.

A worker that dies is replaced once and its claims priced again (pricing is
deterministic and results are placed by position: nothing is lost or duplicated); a
second death raises :class:`~ssreg.WorkerError`.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from ..exceptions import SsregError, WorkerError
from ..model.limits import MAX_CODE
from ..model.models import Claim
from . import processes
from .batch import _error, as_claim
from .caps import Array
from .columnar import PricedColumns, check_columns, price_columns
from .columns import ClaimColumns
from .pricer import Pricer
from .processes import FAULTS, partition


_STATE: dict[str, Any] = {}  # what the worker processes price (set before they start)
Reader = Callable[[Any, Array, Pricer], ClaimColumns]


def person_of(item: Any) -> str:
    """The person key of a claim as given (as the model will read it), for partitioning."""
    if isinstance(item, Mapping):
        person = item.get("person", "student")
        if isinstance(person, str) and len(person) <= 4 * MAX_CODE:
            return person.strip()
        return ""  # refused anyway: any process will say so
    person = getattr(item, "person", "")
    return person if isinstance(person, str) else ""


def columns_of_items(items: Sequence[Any], positions: Array, pricer: Pricer) -> ClaimColumns:
    """The claims at ``positions`` (dicts or ``Claim`` objects) as checked columns."""
    picked = [items[p] for p in positions.tolist()]
    claims: list[Any] = picked if set(map(type, picked)) <= {Claim} else []
    failures: dict[int, tuple[Any, SsregError]] = {}
    placeholder = None
    for row, item in enumerate(picked if not claims else ()):
        if isinstance(item, Claim):
            claims.append(item)
            continue
        try:
            claims.append(as_claim(item, int(positions[row]), pricer))
        except SsregError as exc:
            failures[row] = (item, exc)
            if placeholder is None:
                placeholder = Claim(care="none", date=date(2000, 1, 1), billed=Decimal(0),
                                    age=0)
            claims.append(placeholder)
    columns = ClaimColumns.from_claims(claims)
    columns.positions = positions
    columns.source = picked.__getitem__
    for row, (item, error) in failures.items():
        columns.refuse(row, _error(int(positions[row]), item, error), error)
    check_columns(pricer, columns)  # Claim objects: their codes and ages, once per column
    return columns


def _price_part(number: int) -> PricedColumns:
    """In a worker: read, check and price partition ``number``."""
    marker = _STATE["faults"].get("die_once")
    if marker is not None and not os.path.exists(marker):
        with contextlib.suppress(OSError):  # no marker: every attempt dies
            open(marker, "w").close()
        os._exit(1)  # a worker dying mid-batch, as a kill or the OOM killer would do
    pricer = _STATE.get("pricer")
    if pricer is None:
        from .batch import make_pricer

        pricer = _STATE["pricer"] = make_pricer(*_STATE["pricer_args"])
    positions = _STATE["parts"][number]
    columns = _STATE["reader"](_STATE["source"], positions, pricer)
    priced = price_columns(pricer, columns)
    columns.source = None  # the given items stay here; the columns go back
    return priced


def _init(state: dict[str, Any]) -> None:
    _STATE.clear()
    _STATE.update(state)


def price_in_processes(pricer: Pricer, source: Any, owners: Array, reader: Reader,
                       workers: int, spawn_args: tuple[Any, ...]) -> PricedColumns:
    """Price ``source`` (claims, or a DataFrame) on ``workers`` processes: the rows whose
    ``owners`` is ``k`` by worker ``k`` (0: this process), each read by ``reader``; the
    columns merged."""
    size = len(owners)
    order = np.argsort(owners, kind="stable")
    counts = np.bincount(owners, minlength=workers)
    parts = np.split(order, np.cumsum(counts)[:-1])
    context = processes._context()
    state: dict[str, Any] = {"source": source, "reader": reader, "parts": parts,
                             "faults": dict(FAULTS)}
    if context.get_start_method() == "fork":
        state["pricer"] = pricer  # inherited, like the claims
    else:
        state["pricer_args"] = spawn_args

    def own_part() -> PricedColumns:
        columns = reader(source, parts[0], pricer)
        priced = price_columns(pricer, columns)
        columns.source = None
        return priced

    done: dict[int, PricedColumns] = {}
    forked = context.get_start_method() == "fork"
    if forked:  # the workers' collector then leaves the inherited objects unwritten
        gc.freeze()  # (else every page holding one is copied into each worker)
    try:
        _run(state, parts, done, own_part, context)
    finally:
        if forked:
            gc.unfreeze()
    return merge([(parts[k], done[k]) for k in sorted(done)], size)


def _run(state: dict[str, Any], parts: list[Array], done: dict[int, PricedColumns],
         own_part: Callable[[], PricedColumns], context: Any) -> None:
    """Price every part: part 0 here while a pool of processes prices the others; a
    pool broken by a dying worker is started again once for the parts not done."""
    for attempt in (1, 2):
        todo = [k for k, part in enumerate(parts) if k and len(part) and k not in done]
        if not todo:
            break
        try:
            with ProcessPoolExecutor(max_workers=len(todo), mp_context=context,
                                     initializer=_init, initargs=(state,)) as pool:
                futures = {k: pool.submit(_price_part, k) for k in todo}
                if 0 not in done:  # while the workers price theirs
                    done[0] = own_part()
                for k, future in futures.items():
                    done[k] = future.result()
        except BrokenProcessPool as exc:
            if attempt == 2:
                raise WorkerError(f"workers: a worker process died twice while pricing "
                                  f"{len(todo)} partition(s); no result was given for "
                                  "their claims") from exc
    if 0 not in done:
        done[0] = own_part()


def owners_of(persons: Sequence[str], workers: int) -> Array:
    """The process of each claim, from its person (one hash per distinct person); 0 is
    this process."""
    chosen: dict[str, int] = {}
    for person in set(persons):
        chosen[person] = partition(person, workers)
    return np.fromiter((chosen[p] for p in persons), dtype=np.int64, count=len(persons))


def persons_of(items: Sequence[Any]) -> list[str]:
    """The person key of each claim as given (``Claim`` objects read directly)."""
    return [item.person if item.__class__ is Claim else person_of(item) for item in items]


def merge(parts: list[tuple[Array, PricedColumns]], size: int) -> PricedColumns:
    """One :class:`PricedColumns` of ``size`` rows from parts priced apart (each with the
    positions of its rows)."""
    columns = ClaimColumns(size)
    out = PricedColumns(columns)
    columns.valid[:] = False
    for positions, part in parts:
        c = part.columns
        texts = np.array([columns.code(t) for t in c.texts] + [-1], dtype=np.int64)
        for name in ("care", "person"):
            columns.codes[name][positions] = texts[c.codes[name]]
        for name in ("date", "billed"):
            columns.values[name][positions] = c.values[name]
        columns.ids[positions] = c.ids
        columns.ids_given = columns.ids_given or c.ids_given
        columns.valid[positions] = c.valid
        for row, error in c.refused.items():
            columns.refused[int(positions[row])] = error
            columns.exceptions[int(positions[row])] = c.exceptions[row]
        for row, error in part.errors.items():
            out.errors[int(positions[row])] = error
            out.exceptions[int(positions[row])] = part.exceptions[row]
        out.ok[positions] = part.ok
        for name, array in part.amounts.items():
            out.amounts[name][positions] = array
        plans = np.array([out.plan_number(*p) for p in part.plans] + [-1], dtype=np.int64)
        notes = np.array([out.note_number(*n) for n in part.notes] + [-1], dtype=np.int64)
        out.plan[positions] = plans[part.plan]
        out.note[positions] = notes[part.note]
        out.fallback += part.fallback
        out.version = part.version
    return out
