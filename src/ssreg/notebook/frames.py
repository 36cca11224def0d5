"""pandas DataFrames of priced claims, and pricing a DataFrame of claims (``ssreg[pandas]``).

pandas is imported when one of these functions is called, never by ``import ssreg``.

Money columns are, by ``money``:

- ``"float"`` (default): ``float64`` euros, for plotting and quick looks (a float is
  not exact: total with the ``Decimal`` results or ``"cents"`` when it matters);
- ``"cents"``: nullable ``Int64`` integer cents, exact and numeric;
- ``"decimal"``: ``object`` columns of exact ``Decimal`` (as the library computes them).

Dates are ``datetime64[s]`` (every date from year 1 to 9999 fits); codes (person, care
type, kinds) are ``category``.  ``assumptions`` and ``warnings`` hold the codes a price
rests on (``base_from_bill``, ``after_rulebook_horizon``...), comma-separated (empty:
none), as categories (the same few lists repeat over a million rows).  A frame has one
row per input claim, in input order: a refused claim has ``ok`` False, its ``problems``
as text and empty amounts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..exceptions import InvalidInputError, Problem
from ..model.arguments import FLAG, Is, accepts
from ..model.limits import excerpt
from ..pricing.results import RESULTS, ClaimError, ClaimResult, each_result


if TYPE_CHECKING:
    from ..pricing.summary import Summary

MONEY_MODES = ("float", "cents", "decimal")
AMOUNTS = ("billed", "base", "amo_gross", "deduction", "amo", "flat_charge", "top_up",
           "patient")
CODES = ("person", "care", "deduction_kind", "flat_charge_kind")
COLUMNS = ("position", "ok", "id", "person", "date", "care", "billed", "base", "rate",
           "amo_gross", "deduction_kind", "deduction", "amo", "flat_charge_kind",
           "flat_charge", "top_up", "patient", "assumptions", "warnings", "problems")
#: the columns read from a priced claim as they are
FROM_RESULT = COLUMNS[4:-3]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("DataFrames need pandas: pip install 'ssreg[pandas]'") from exc
    return pandas


def _check_money(money: str) -> None:
    if not isinstance(money, str) or money not in MONEY_MODES:
        raise InvalidInputError([Problem("money", f"expected one of {', '.join(MONEY_MODES)}, "
                                                  f"got {excerpt(money)}")])


def _categorical(pd: Any, values: list[Any]) -> Any:
    """Codes as a category column whose categories are always texts (``object``), also
    when every value is missing: partitions of one batch then concatenate (Dask)."""
    categories = pd.Index(sorted({v for v in values if v is not None}, key=str), dtype=object)
    return pd.Categorical(values, categories=categories)


def _money_column(pd: Any, values: list[Decimal | None], money: str) -> Any:
    if money == "decimal":
        return pd.Series(values, dtype=object)
    if money == "cents":
        return pd.array([None if v is None else int(v * 100) for v in values], dtype="Int64")
    return pd.array([math.nan if v is None else float(v) for v in values], dtype="float64")


def _dates(values: list[date | None]) -> Any:
    """Dates as ``datetime64[s]``: every date from year 1 to 9999 fits (nanoseconds stop
    in 2262)."""
    import numpy

    return numpy.array(values, dtype="datetime64[s]")


@accepts(results=RESULTS)
def to_frame(results: Iterable[ClaimResult | ClaimError], *, money: str = "float") -> Any:
    """A DataFrame of priced claims (and refused ones), one row each, in order.

    >>> import ssreg
    >>> batch = ssreg.price_claims([
    ...     {"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
    ...      "referent_doctor_declared": True},
    ...     {"care": "massage", "date": "2025-03-11", "billed": "30", "age": 22}],
    ...     errors="collect")
    >>> frame = ssreg.to_frame(batch, money="cents")
    >>> frame[["date", "care", "amo", "patient", "ok"]]
            date             care   amo  patient     ok
    0 2025-03-10  gp_consultation  1900     1100   True
    1        NaT              NaN  <NA>     <NA>  False
    >>> str(frame["date"].dtype), str(frame["amo"].dtype)
    ('datetime64[s]', 'Int64')
    """
    _check_money(money)
    pd = _pandas()
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for result in each_result(results):
        ok = isinstance(result, ClaimResult)
        columns["position"].append(result.position)
        columns["ok"].append(ok)
        columns["id"].append(result.id)
        columns["person"].append(result.person)
        if isinstance(result, ClaimResult):
            for name in FROM_RESULT:
                columns[name].append(getattr(result, name))
            columns["assumptions"].append(",".join(result.assumptions))
            columns["warnings"].append(",".join(result.warnings))
            columns["problems"].append(None)
        else:
            for name in COLUMNS[4:-1]:
                columns[name].append(None)
            columns["problems"].append("; ".join(f"{p.path}: {p.message}"
                                                 for p in result.problems))
    data: dict[str, Any] = {
        "position": pd.array(columns["position"], dtype="Int64"),
        "ok": pd.array(columns["ok"], dtype="bool"),
        "id": pd.array(columns["id"], dtype="string"),
        "date": _dates(columns["date"]),
        "rate": (pd.Series(columns["rate"], dtype=object) if money == "decimal" else
                 pd.array([math.nan if v is None else float(v) for v in columns["rate"]],
                          dtype="float64")),
        "problems": pd.array(columns["problems"], dtype="string"),
    }
    for name in (*CODES, "assumptions", "warnings"):
        data[name] = _categorical(pd, columns[name])
    for name in AMOUNTS:
        data[name] = _money_column(pd, columns[name], money)
    return pd.DataFrame({name: data[name] for name in COLUMNS})


def summary_frame(summary: Summary, money: str = "float") -> Any:
    """A :class:`~ssreg.Summary` as a DataFrame (groups as columns, then the amounts)."""
    _check_money(money)
    pd = _pandas()
    rows = summary.rows()
    data: dict[str, Any] = {name: _categorical(pd, [r[name] for r in rows])
                            for name in summary.by}
    data["claims"] = pd.array([r["claims"] for r in rows], dtype="Int64")
    for name in ("billed", "amo", "top_up", "patient"):
        data[name] = _money_column(pd, [r[name] for r in rows], money)
    data["assumed"] = pd.array([r["assumed"] for r in rows], dtype="Int64")
    data["warned"] = pd.array([r["warned"] for r in rows], dtype="Int64")
    return pd.DataFrame(data)


def rows_frame(rows: list[dict[str, Any]], money: str = "float") -> Any:
    """Tidy rows (texts, counts, Decimal amounts) as a DataFrame: texts as categories,
    counts as Int64, amounts by ``money``."""
    _check_money(money)
    pd = _pandas()
    names = list(rows[0]) if rows else []
    data: dict[str, Any] = {}
    for name in names:
        values = [r[name] for r in rows]
        if all(isinstance(v, Decimal) for v in values):
            data[name] = _money_column(pd, values, money)
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            data[name] = pd.array(values, dtype="Int64")
        else:
            data[name] = _categorical(pd, values)
    return pd.DataFrame(data)


def frame_claims(frame: Any) -> list[dict[str, Any]]:
    """The claims of a DataFrame as dicts, one per row, missing cells left out (see
    :mod:`ssreg.notebook.reading` for how each cell is read)."""
    from .reading import frame_items

    return frame_items(frame)


def _is_frame(value: Any) -> bool:
    return all(hasattr(value, name) for name in ("columns", "iloc", "index")) and not \
        isinstance(value, type)


FRAME = Is(_is_frame, "a pandas DataFrame of claims")


@accepts(frame=FRAME, columnar=FLAG)
def price_frame(frame: Any, *, money: str = "float", columnar: bool = True,
                **options: Any) -> Any:
    """Price a DataFrame of claims (columns named like :class:`~ssreg.Claim` fields).

    The result has one row per input row, with the input's index.  ``options`` are
    those of :func:`ssreg.price_claims` (``cover``, ``overrides``, ``errors``,
    ``workers``...).  The frame is priced column by column (the claim tables applied once
    per distinct combination of facts, amounts in integer cents: the same results as
    claim by claim, which ``columnar=False`` does, far slower).  What the columnar
    pricer does not cover yet is priced claim by claim for the persons and years
    concerned; ``result.attrs["ssreg"]`` counts those claims (``claim_by_claim``).

    ``workers`` spreads the claim-by-claim pricer (``columnar=False``) over processes;
    a frame priced by columns is priced in one process whatever ``workers`` says (a
    second process costs more per row than pricing the row, measured in
    ``docs/performance.md``): ``attrs["ssreg"]`` gives the ``workers`` asked for and the
    ``processes`` used.

    >>> import pandas as pd, ssreg
    >>> claims = pd.DataFrame({"care": ["gp_consultation", "medicine"],
    ...                        "date": pd.to_datetime(["2025-03-10", "2025-03-10"]),
    ...                        "billed": [30.0, 12.4], "age": [22, 22],
    ...                        "medicine_class": [None, "major"], "boxes": [None, 1.0],
    ...                        "referent_doctor_declared": [True, None]})
    >>> ssreg.price_frame(claims)[["care", "amo", "patient"]]
                  care    amo  patient
    0  gp_consultation  19.00    11.00
    1         medicine   7.06     5.34
    """
    _check_money(money)
    if columnar:
        from .priced import price_frame_columnar

        result, by_claim, processes = price_frame_columnar(frame, money, **options)
    else:
        from ..pricing.batch import price_claims

        result = to_frame(price_claims(frame_claims(frame), **options), money=money)
        by_claim, processes = len(frame), options.get("workers") or 1
    result.index = frame.index
    result.attrs["ssreg"] = {"rows": len(frame), "claim_by_claim": by_claim,
                             "workers": options.get("workers") or 1, "processes": processes}
    return result
