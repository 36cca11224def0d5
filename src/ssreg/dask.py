"""Pricing claims that do not fit one machine, on Dask (``pip install 'ssreg[dask]'``).

The recipe: number the claims in input order, shuffle them **by person** (all the
claims of a person land in one partition, so the caps are exact), sort each partition
back into input order and price it with :func:`ssreg.price_frame`.  Each input row
gives exactly one output row, with its input ``position``; a refused claim has ``ok``
False and its ``problems``.

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

from .model.arguments import Is, accepts, check_call, one_of
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
    """The claims with a ``position`` column: their place in input order (one pass to
    count each partition's rows)."""
    lengths = claims.map_partitions(len).compute()
    offsets = [0]
    for length in lengths:
        offsets.append(offsets[-1] + int(length))
    meta = claims._meta.assign(position=[])
    meta["position"] = meta["position"].astype("int64")
    return claims.map_partitions(_numbered, offsets, meta=meta)


NUMBERED = Is(lambda v: _is_frame(v) and "position" in v.columns,
              "a pandas DataFrame of claims with a position column (see number_claims)")


@accepts(part=NUMBERED)
def price_partition(part: Any, **options: Any) -> Any:
    """Price one partition holding *every* claim of its persons (after a shuffle by
    person): sorted back into input order, priced, positions restored."""
    part = part.sort_values("position", kind="stable")
    positions = part["position"].to_numpy()
    priced = price_frame(part.drop(columns=["position"]), **options)
    priced["position"] = positions
    return priced


def _meta(money: str) -> Any:
    import pandas as pd

    from . import to_frame

    return to_frame([], money=money).iloc[:0].set_index(pd.Index([], dtype=object))


@accepts(claims=DASK_FRAME, money=one_of(MONEY_MODES))
def price_claims(claims: Any, *, money: str = "float", errors: str = "collect",
                 **options: Any) -> Any:
    """A Dask DataFrame of priced claims from a Dask DataFrame of claims.

    ``claims`` has columns named like :class:`~ssreg.Claim` fields (``person`` decides
    the partitioning); ``options`` are those of :func:`ssreg.price_claims` (``cover``,
    ``overrides``...).  The result has one row per claim, ``position`` its input place.
    """
    from .pricing.batch import price_claims as price

    check_call(price, [], errors=errors, **options)  # now, not in a task on a worker
    numbered = number_claims(claims)
    if "person" not in numbered.columns:
        numbered = numbered.assign(person="student")  # the model's default person
    by_person = numbered.shuffle(on="person")
    return by_person.map_partitions(price_partition, money=money, errors=errors,
                                    meta=_meta(money), **options)
