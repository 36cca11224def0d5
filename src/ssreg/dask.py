"""Pricing claims that do not fit one machine, on Dask (``pip install 'ssreg[dask]'``).

The recipe: number the claims in input order, shuffle them **by person** (all the
claims of a person land in one partition, so the caps are exact), sort each partition
back into input order and price it with :func:`ssreg.price_frame`.  Each input row
gives exactly one output row, with its input ``position``; a refused claim has ``ok``
False and its ``problems``.

The shuffle moves every claim between workers.  When the claims are already
partitioned by person (written to parquet by person, or after ``set_index("person")``),
``by_person=True`` skips it: the persons of each partition are read with its row count,
every partition's pricing waits for that check, and a person found in two partitions
refuses the batch when it is computed (:class:`~ssreg.InvalidArgumentError`, before
any partition is priced) instead of pricing caps apart.  A frame indexed
by ``person`` with known divisions is partitioned by person: ``by_person`` then
defaults to True (still checked).

Dask re-runs the task of a worker that dies; pricing a partition is deterministic and
its rows are keyed by position, so nothing is dropped or duplicated (the tests kill a
worker mid-batch on a local cluster and compare claim for claim).

>>> import dask.dataframe as dd, pandas as pd, ssreg.dask
>>> frame = pd.DataFrame({"care": ["gp_consultation"] * 4, "billed": ["30"] * 4,
...                       "date": ["2025-03-10", "2025-03-10", "2025-03-11", "2025-03-12"],
...                       "person": ["ana", "ben", "ana", "ben"], "age": [22] * 4,
...                       "referent_doctor_declared": [True] * 4})
>>> priced = ssreg.dask.price_claims(dd.from_pandas(frame, npartitions=2))
>>> priced.compute(scheduler="synchronous").sort_values("position")[["person", "amo"]]
  person   amo
0    ana  19.0
1    ben  19.0
2    ana  19.0
3    ben  19.0

A PySpark version of the same recipe is in ``docs/scale.md``.
"""

from __future__ import annotations

from typing import Any

from .exceptions import InvalidArgumentError, Problem
from .model.arguments import FLAG, Is, accepts, check_call, one_of
from .notebook.frames import MONEY_MODES, _is_frame, price_frame


__all__ = ["number_claims", "price_claims", "price_partition"]


def _numbered(part: Any, offsets: list[int], partition_info: dict[str, Any] | None = None) -> Any:
    number = 0 if partition_info is None else partition_info["number"]
    start = offsets[number]
    return part.assign(position=range(start, start + len(part)))


DASK_FRAME = Is(lambda v: callable(getattr(v, "map_partitions", None)) and hasattr(
    v, "columns"), "a Dask DataFrame of claims")


@accepts(claims=DASK_FRAME)
def number_claims(claims: Any) -> Any:
    """The claims with a ``position`` column: their place in input order (each
    partition's rows counted in the same graph, before any partition is numbered)."""
    return _numbered_claims(claims, check_persons=False)


def _numbered_claims(claims: Any, check_persons: bool) -> Any:
    """:func:`number_claims`; with ``check_persons``, each partition's persons are read
    with its row count, and a person in two partitions refuses the batch before any
    partition is numbered (so before any is priced)."""
    from dask.delayed import delayed

    later: Any = delayed  # (dask's own function is untyped)
    lengths = claims.map_partitions(len)
    persons = claims["person"].map_partitions(_persons, meta=("person", object)) if \
        check_persons else None
    offsets = later(_offsets, pure=True)(lengths, persons)
    meta = claims._meta.assign(position=[])
    meta["position"] = meta["position"].astype("int64")
    return claims.map_partitions(_numbered, offsets, meta=meta)


def _offsets(lengths: Any, persons: Any) -> list[int]:
    """The position of each partition's first row (``persons``, when given, checked
    first: see :func:`_check_by_person`)."""
    if persons is not None:
        _check_by_person(persons)
    offsets = [0]
    for length in lengths:
        offsets.append(offsets[-1] + int(length))
    return offsets


def _persons(persons: Any, partition_info: dict[str, Any] | None = None) -> Any:
    """The distinct persons of one partition (as the pricer keys them: stripped, a
    missing cell the default person), each with the partition's number."""
    import pandas as pd

    from .notebook.reading import cell
    from .pricing.spread import person_of

    number = 0 if partition_info is None else partition_info["number"]
    keys = {person_of({"person": cell(v)}) for v in persons.dropna().unique()}
    if persons.isna().any():
        keys.add("student")
    return pd.Series(number, index=pd.Index(sorted(keys), dtype=object), dtype="int64",
                     name="person")


def _check_by_person(found: Any) -> None:
    """Refuse a batch said to be partitioned by person when a person is in two
    partitions (``found``: one row per person and partition)."""
    spread = found.index[found.index.duplicated()].unique()
    if len(spread):
        names = ", ".join(sorted(str(p) for p in spread[:5])) + (
            f" (and {len(spread) - 5} more)" if len(spread) > 5 else "")
        raise InvalidArgumentError([Problem("by_person", f"by_person=True: each person's "
                                            f"claims must lie in one partition; in more "
                                            f"than one: {names}")])


def _indexed_by_person(claims: Any) -> bool:
    """Whether the frame is indexed by ``person`` with known divisions (each person in
    one partition, as ``set_index("person")`` leaves it)."""
    return bool(claims.index.name == "person" and "person" not in claims.columns
                and claims.known_divisions)


NUMBERED = Is(lambda v: _is_frame(v) and "position" in v.columns,
              "a pandas DataFrame of claims with a position column (see number_claims)")


@accepts(part=NUMBERED)
def price_partition(part: Any, **options: Any) -> Any:
    """Price one partition holding *every* claim of its persons (after a shuffle by
    person): sorted back into input order, priced, positions restored."""
    if not part["position"].is_monotonic_increasing:  # (partitioned by person: already)
        part = part.sort_values("position", kind="stable")
    positions = part["position"].to_numpy()
    priced = price_frame(part.drop(columns=["position"]), **options)
    priced["position"] = positions
    return priced


def _meta(money: str) -> Any:
    import pandas as pd

    from . import to_frame

    return to_frame([], money=money).iloc[:0].set_index(pd.Index([], dtype=object))


@accepts(claims=DASK_FRAME, money=one_of(MONEY_MODES), by_person=FLAG)
def price_claims(claims: Any, *, money: str = "float", errors: str = "collect",
                 by_person: bool | None = None, **options: Any) -> Any:
    """A Dask DataFrame of priced claims from a Dask DataFrame of claims.

    ``claims`` has columns named like :class:`~ssreg.Claim` fields (``person`` decides
    the partitioning; it may be the index); ``options`` are those of
    :func:`ssreg.price_claims` (``cover``, ``overrides``...).  The result has one row per
    claim, ``position`` its input place.  ``by_person=True`` says every person's claims
    are already in one partition: no shuffle, checked (see the module's documentation).

    >>> import dask.dataframe as dd, pandas as pd, ssreg.dask
    >>> frame = pd.DataFrame({"care": ["gp_consultation"] * 3, "billed": ["30"] * 3,
    ...                       "date": ["2025-03-10", "2025-03-11", "2025-03-12"],
    ...                       "person": ["ana", "ben", "ana"], "age": [22] * 3})
    >>> priced = ssreg.dask.price_claims(dd.from_pandas(frame, npartitions=2),
    ...                                  by_person=True)
    >>> priced.compute(scheduler="synchronous")
    Traceback (most recent call last):
    ...
    ssreg.exceptions.InvalidArgumentError: invalid argument: by_person: by_person=True: each \
person's claims must lie in one partition; in more than one: ana
    """
    from .pricing.batch import price_claims as price

    check_call(price, [], errors=errors, **options)  # now, not in a task on a worker
    if _indexed_by_person(claims):
        claims = claims.reset_index()
        by_person = True if by_person is None else by_person
    elif "person" not in claims.columns:
        claims = claims.assign(person="student")  # the model's default person
    numbered = _numbered_claims(claims, check_persons=bool(by_person))
    parts = numbered if by_person else numbered.shuffle(on="person")
    return parts.map_partitions(price_partition, money=money, errors=errors,
                                meta=_meta(money), **options)
