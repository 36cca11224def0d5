"""Batches priced at once by columns: claims given as a DataFrame, or spread over several
processes; the results in input order, and the refused claim raised where one process
pricing claim by claim would raise it (``errors="raise"``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import _seam
from .pricer import Pricer
from .results import ClaimError, ClaimResult


def spread_batch(pricer: Pricer, claims: Iterable[Any], collect: bool, workers: int,
                 spawn_args: tuple[Any, ...]) -> Iterator[ClaimResult | ClaimError]:
    """Several processes, each checking and pricing its persons' claims by columns."""
    from .spread import columns_of_items, owners_of, persons_of, price_in_processes

    items = claims if isinstance(claims, Sequence) else list(claims)
    owners = owners_of(persons_of(items), workers)
    try:
        priced = price_in_processes(pricer, items, owners, columns_of_items, workers,
                                    spawn_args)
    except RecursionError:  # an item nested too deep to be sent to a started worker
        from .batch import _by_person  # (checked here first: the same results)

        yield from _by_person(pricer, items, collect, workers, spawn_args)
        return
    yield from column_results(priced, collect, presorted=False)


def first_raised(priced: Any, presorted: bool) -> tuple[int | None, bool]:
    """The row whose error a batch with ``errors="raise"`` raises, and whether the rows
    before it are yielded first (as one process does when it prices claims as they
    come: a presorted batch, or each person's claims found in date order)."""
    from .columnar import in_date_order

    if not priced.errors:
        return None, False
    if presorted:
        return min(priced.errors), True
    in_order = in_date_order(priced.columns)
    row = priced.first_refused(in_order)
    return row, in_order and row not in priced.columns.refused


def column_results(priced: Any, collect: bool, presorted: bool) -> Iterator[
        ClaimResult | ClaimError]:
    """The results of columns priced at once, in input order; with ``errors="raise"``,
    the refused claim raised where the claim-by-claim batch raises it."""
    stop, after = (None, False) if collect else first_raised(priced, presorted)
    if stop is not None and not after:
        raise priced.exceptions[stop]
    yield from priced.results(0, stop)
    if stop is not None:
        raise priced.exceptions[stop]


#: whether a DataFrame priced by columns is spread over the ``workers`` asked for.  Off:
#: measured on 2 cores (docs/performance.md), two processes took 4x the CPU of one and
#: 4x its time at 300,000 and 1,000,000 rows; splitting a frame by person, reading each
#: part apart and merging the priced columns costs more per row than pricing the row
#: (0.4 us), so no row count makes a second process pay.  The tests turn it on to keep
#: the path exact.
FRAME_WORKERS = False


def frame_processes(workers: int) -> int:
    """How many processes price a DataFrame by columns when ``workers`` are asked for:
    one (see :data:`FRAME_WORKERS`); ``price_frame`` says so in its ``attrs``.

    >>> frame_processes(2)
    1
    """
    return workers if FRAME_WORKERS else 1


def frame_batch(pricer: Pricer, frame: Any, collect: bool, presorted: bool, workers: int,
                spawn_args: tuple[Any, ...]) -> Iterator[ClaimResult | ClaimError]:
    """A pandas DataFrame of claims, priced by columns (see :func:`ssreg.price_frame`);
    on one process whatever ``workers`` says (:func:`frame_processes`)."""
    workers = frame_processes(workers)
    priced = _seam.frame_columns(frame, pricer, presorted, workers, spawn_args)
    yield from column_results(priced, collect, presorted and workers == 1)


def is_frame(claims: Any) -> bool:
    """Whether ``claims`` is a pandas DataFrame (priced by columns)."""
    return type(claims).__module__.startswith("pandas") and hasattr(claims, "columns") \
        and hasattr(claims, "iloc")
