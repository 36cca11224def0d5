"""The DataFrame of columns priced at once: the same frame ``to_frame`` builds from result
objects, built column by column from :class:`~ssreg.pricing.columnar.PricedColumns`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from ..pricing.caps import Array
from ..pricing.columnar import PricedColumns
from ..pricing.packed import decimal_cents


_ORDINAL_1970 = 719163  # date(1970, 1, 1).toordinal()


def _categories(pd: Any, texts: list[Any], codes: Array) -> Any:
    """A categorical of ``texts[codes]`` (``-1``: missing), its categories sorted texts
    (``object``, also when every value is missing), as ``to_frame`` gives them."""
    used = np.flatnonzero(np.bincount(codes + 1, minlength=len(texts) + 1)[1:])
    if not len(used):
        return pd.Categorical([None] * len(codes), categories=pd.Index([], dtype=object))
    values = [texts[c] for c in used.tolist()]
    ranked = sorted(range(len(values)), key=values.__getitem__)
    remap = np.full(len(texts) + 1, -1, dtype=np.int64)
    for rank, i in enumerate(ranked):
        remap[used[i]] = rank
    return pd.Categorical.from_codes(remap[codes], pd.Index([values[i] for i in ranked],
                                                           dtype=object))


def _money(pd: Any, cents: Array, ok: Array, money: str) -> Any:
    if money == "cents":
        return pd.arrays.IntegerArray(cents.astype(np.int64), ~ok)
    if money == "decimal":
        distinct, inverse = np.unique(cents, return_inverse=True)
        cache: dict[int, Decimal] = {}
        decimals = np.empty(len(distinct) + 1, dtype=object)
        decimals[:-1] = [decimal_cents(int(c), cache) for c in distinct.tolist()]
        decimals[-1] = None
        return pd.Series(decimals[np.where(ok, inverse.reshape(-1), len(distinct))],
                         dtype=object)
    return np.where(ok, cents / 100, np.nan)


def _strings(pd: Any, values: Array, given: bool) -> Any:
    """``pd.array(values, dtype="string")`` (texts or None), built through Arrow when
    pandas keeps its strings there (much faster for a million rows)."""
    dtype = pd.StringDtype()
    if dtype.storage != "pyarrow":
        return pd.array(values, dtype=dtype)
    import pyarrow as pa  # type: ignore[import-untyped]

    if not given:  # None everywhere
        array = pa.nulls(len(values), pa.large_string())
    else:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    return pd.array(pd.arrays.ArrowStringArray(pa.chunked_array([array])), dtype=dtype)


def _from_arrow(pd: Any, strings: Any) -> Any:
    """An Arrow string array as ``pd.array(..., dtype="string")`` holds it."""
    import pyarrow as pa

    if strings.type != pa.large_string():
        strings = strings.cast(pa.large_string())
    if not isinstance(strings, pa.ChunkedArray):
        strings = pa.chunked_array([strings])
    return pd.array(pd.arrays.ArrowStringArray(strings), dtype=pd.StringDtype())


def priced_frame(priced: PricedColumns, money: str) -> Any:
    """The priced claims as ``to_frame`` gives them (one row per input row, in order)."""
    import pandas as pd

    c = priced.columns
    size = c.size
    ok = priced.ok
    errors = priced.errors
    refused = np.array(sorted(errors), dtype=np.int64)
    # texts of the table, plus the kinds of the plans, the notes and the refused rows' own
    texts = list(c.texts)
    numbers = dict(c.numbers)

    def code(text: Any) -> int:
        if text is None:
            return -1
        found = numbers.get(text)
        if found is None:
            found = numbers[text] = len(texts)
            texts.append(text)
        return found

    person = np.where(ok, c.person, -1).astype(np.int64)
    care = np.where(ok, c.care, -1).astype(np.int64)
    arrow_ids = c.ids_as_read()  # then every row's id, refused or not, is the cell read
    ids = c.ids.copy() if arrow_ids is None else np.empty(0, dtype=object)
    ids[~ok[:len(ids)]] = None
    problems = np.full(size, None, dtype=object)
    for row, error in errors.items():
        person[row] = code(error.person)
        if arrow_ids is None:
            ids[row] = error.id
        problems[row] = "; ".join(f"{p.path}: {p.message}" for p in error.problems)
    plan = np.where(ok, priced.plan, len(priced.plans)).astype(np.int64)
    note = np.where(ok, priced.note, len(priced.notes)).astype(np.int64)
    plan_codes = [[code(p[1]) for p in priced.plans] + [-1],
                  [code(p[2]) for p in priced.plans] + [-1]]
    note_codes = [[code(",".join(n[0])) for n in priced.notes] + [-1],
                  [code(",".join(n[1])) for n in priced.notes] + [-1]]
    rates = [p[0] for p in priced.plans] + [None]
    amounts = priced.amounts
    billed = c.billed
    patient = billed - (amounts["amo_gross"] - amounts["deduction"]) - amounts["top_up"]
    days = np.where(ok, c.date.astype(np.int64) - _ORDINAL_1970, 0).astype("datetime64[D]")
    data: dict[str, Any] = {
        "position": pd.array(np.arange(size), dtype="Int64"),
        "ok": ok.copy(),
        "id": (_strings(pd, ids, c.ids_given or bool(errors)) if arrow_ids is None
               else _from_arrow(pd, arrow_ids)),
        "person": _categories(pd, texts, person),
        "date": pd.Series(np.where(ok, days, np.datetime64("NaT", "D")).astype("datetime64[s]")),
        "care": _categories(pd, texts, care),
        "billed": _money(pd, billed, ok, money),
        "base": _money(pd, amounts["base"], ok, money),
        "rate": (pd.Series(np.array(rates, dtype=object)[plan], dtype=object)
                 if money == "decimal" else np.array(
                     [np.nan if r is None else float(r) for r in rates])[plan]),
        "amo_gross": _money(pd, amounts["amo_gross"], ok, money),
        "deduction_kind": _categories(pd, texts, np.array(plan_codes[0])[plan]),
        "deduction": _money(pd, amounts["deduction"], ok, money),
        "amo": _money(pd, amounts["amo_gross"] - amounts["deduction"], ok, money),
        "flat_charge_kind": _categories(pd, texts, np.array(plan_codes[1])[plan]),
        "flat_charge": _money(pd, amounts["flat_charge"], ok, money),
        "top_up": _money(pd, amounts["top_up"], ok, money),
        "patient": _money(pd, patient, ok, money),
        "assumptions": _categories(pd, texts, np.array(note_codes[0])[note]),
        "warnings": _categories(pd, texts, np.array(note_codes[1])[note]),
        "problems": _strings(pd, problems, bool(errors)),
    }
    del refused
    return pd.DataFrame(data, copy=False)


def price_frame_columnar(frame: Any, money: str, *, cover: Any = None, rulebook: Any = None,
                         engine: Any = "compiled", overrides: Any = None,
                         presorted: bool = False, errors: str = "raise",
                         workers: int | None = None) -> tuple[Any, int, int]:
    """``price_frame`` on the columnar pricer (the options of ``price_claims``): the
    priced frame, how many claims were priced claim by claim, and on how many processes
    (:func:`ssreg.pricing.at_once.frame_processes`)."""
    from ..pricing.at_once import first_raised, frame_processes
    from ..pricing.batch import check_options, make_pricer, pricer_args

    processes = frame_processes(check_options(errors, workers))
    pricer = make_pricer(rulebook, engine, overrides, cover)
    priced = frame_columns(frame, pricer, bool(presorted), processes,
                           pricer_args(rulebook, engine, overrides, cover))
    if errors == "raise":
        row, _ = first_raised(priced, bool(presorted) and processes == 1)
        if row is not None:
            raise priced.exceptions[row]
    return priced_frame(priced, money), priced.fallback, processes


def frame_columns(frame: Any, pricer: Any, presorted: bool, processes: int,
                  spawn_args: tuple[Any, ...]) -> PricedColumns:
    """A DataFrame of claims priced by columns, on one process or several (which read
    the frame whole, whatever ``presorted`` says)."""
    from ..pricing.columnar import price_columns
    from .reading import read_frame

    if processes > 1:
        from ..pricing.spread import price_in_processes
        from .reading import frame_owners, read_part

        return price_in_processes(pricer, frame, frame_owners(frame, processes), read_part,
                                  processes, spawn_args)
    return price_columns(pricer, read_frame(frame, pricer), presorted=presorted)
