"""Reports on priced claims: summaries per group, flat rows, a Decision section."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from .. import _seam
from ..exceptions import InvalidInputError, Problem
from ..model.arguments import TEXT, Either, accepts, iterable
from ..model.limits import excerpt
from ..rulebook.rulebook import Rulebook
from .results import RESULTS, ClaimError, ClaimResult, each_result


MONEY = ("billed", "amo", "top_up", "patient")
ZERO = Decimal("0.00")


def claim_citations(result: ClaimResult, book: Rulebook) -> list[str]:
    keys: list[str] = []
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        keys += [k for k in rule.citations if k not in keys]
    for _, period in result.parameters:
        keys += [k for k in period.citations if k not in keys]
    return keys


@accepts(results=RESULTS)
def rows(results: Iterable[ClaimResult | ClaimError]) -> Iterable[dict[str, Any]]:
    """Flat dict rows of the priced claims (refused claims are left out; amounts stay
    ``Decimal``: for a DataFrame with numbers use :func:`ssreg.to_frame`)."""
    return _rows(results)


def _rows(results: Iterable[ClaimResult | ClaimError]) -> Iterable[dict[str, Any]]:
    for result in each_result(results):
        if isinstance(result, ClaimResult):
            yield result.row()


GROUPS = ("person", "year", "month", "care")


@attrs.frozen
class SummaryLine:
    """Totals of one group; the fields not grouped by are None.  ``assumed`` counts the
    claims priced on an assumption (a field left out that could change the price),
    ``warned`` those carrying a warning (a date of care after the rulebook's horizon)."""

    person: str | None
    year: str | None
    month: str | None
    care: str | None
    claims: int
    billed: Decimal
    amo: Decimal
    top_up: Decimal
    patient: Decimal
    assumed: int = 0
    warned: int = 0


def caveat_lines(assumptions: Sequence[tuple[str, int]], warnings: Sequence[tuple[str, int]],
                 lang: str = "en", rulebook: Rulebook | None = None) -> list[str]:
    """What totals rest on, in words: each assumption and warning with its claim count."""
    return _seam.caveat_lines(assumptions, warnings, lang, rulebook)


def count_notes(results: Iterable[ClaimResult | ClaimError]) -> tuple[
        tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """How many claims carry each assumption code and each warning code."""
    assumed: dict[str, int] = {}
    warned: dict[str, int] = {}
    for result in results:
        if isinstance(result, ClaimResult):
            for code in result.assumptions:
                assumed[code] = assumed.get(code, 0) + 1
            for code in result.warnings:
                warned[code] = warned.get(code, 0) + 1
    return tuple(assumed.items()), tuple(warned.items())


@attrs.frozen
class Summary:
    """Totals of priced claims per group (``by``: person, year, month, care type).

    Exact ``Decimal`` totals; shows as a text table (``str``) and as an HTML table in
    Jupyter; ``to_frame()`` gives a DataFrame, ``plot()`` a stacked bar chart.
    """

    by: tuple[str, ...]
    lines: tuple[SummaryLine, ...] = attrs.field(repr=False)
    errors: int = 0
    #: each assumption code and the number of claims priced on it
    assumptions: tuple[tuple[str, int], ...] = ()
    #: each warning code and the number of claims carrying it
    warnings: tuple[tuple[str, int], ...] = ()

    def caveats(self, lang: str = "en", rulebook: Rulebook | None = None) -> list[str]:
        """The assumptions and warnings the totals carry, in words, with claim counts."""
        return caveat_lines(self.assumptions, self.warnings, lang, rulebook)

    def __repr__(self) -> str:
        return f"<Summary by {', '.join(self.by)}: {len(self.lines)} lines>\n{self}"

    def totals(self) -> dict[str, Decimal]:
        """Billed, AMO, top-up and patient over every line (exact)."""
        return {name: sum((getattr(line, name) for line in self.lines), ZERO)
                for name in MONEY}

    def rows(self) -> list[dict[str, Any]]:
        """One dict per line: the grouping fields, the claim count and the amounts."""
        return [{**{name: getattr(line, name) for name in self.by}, "claims": line.claims,
                 **{name: getattr(line, name) for name in MONEY}, "assumed": line.assumed,
                 "warned": line.warned} for line in self.lines]

    def _table(self) -> tuple[list[str], list[list[Any]]]:
        header = [*self.by, "claims", *MONEY, "assumed", "warned"]
        body = [list(row.values()) for row in self.rows()]
        total = self.totals()
        body.append(["total", *[""] * (len(self.by) - 1),
                     sum(line.claims for line in self.lines), *(total[n] for n in MONEY),
                     sum(line.assumed for line in self.lines),
                     sum(line.warned for line in self.lines)])
        return header, body

    def __str__(self) -> str:
        header, body = self._table()
        cells = [header, *[[str(v) for v in row] for row in body]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        numeric = [i >= len(self.by) for i in range(len(header))]
        lines = ["  ".join(c.rjust(w) if num else c.ljust(w)
                           for c, w, num in zip(row, widths, numeric, strict=True)).rstrip()
                 for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
        if self.errors:
            lines.append(f"({self.errors} refused claim(s) not counted)")
        lines += self.caveats()
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{_seam.escape(line)}</li>" for line in self.caveats())
        return _seam.html_table(*self._table()) + (f"\n<ul>{notes}</ul>" if notes else "")

    def to_frame(self, money: str = "float") -> Any:
        """The lines as a pandas DataFrame (``money``: float, cents or decimal)."""
        return _seam.summary_frame(self, money)

    def plot(self, ax: Any = None, *, lang: str = "en") -> Any:
        """Stacked bars of AMO, top-up and patient per line (matplotlib), in a language."""
        return _seam.summary_plot(self, ax, lang)


def _group_value(result: ClaimResult, name: str) -> str:
    if name == "person":
        return result.person
    if name == "year":
        return f"{result.date:%Y}"
    if name == "month":
        return f"{result.date:%Y-%m}"
    return result.care


BY = Either(TEXT, iterable("a list of names"))


@accepts(results=RESULTS, by=BY)
def summarize(results: Iterable[ClaimResult | ClaimError],
              by: str | Sequence[str] = ("person", "month")) -> Summary:
    """Sum priced claims per group (streaming; memory per group).

    ``by`` is any of ``person``, ``year``, ``month``, ``care`` (one name or several).

    >>> import ssreg
    >>> claims = [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
    ...            "referent_doctor_declared": True},
    ...           {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
    ...            "billed": "10", "age": 22}]
    >>> summary = ssreg.summarize(ssreg.price_claims(claims), by="care")
    >>> summary.totals()["patient"]
    Decimal('15.50')
    >>> print(summary)
    care             claims  billed    amo  top_up  patient  assumed  warned
    ---------------  ------  ------  -----  ------  -------  -------  ------
    gp_consultation       1   30.00  19.00    0.00    11.00        1       0
    medicine              1   10.00   5.50    0.00     4.50        1       0
    ---------------  ------  ------  -----  ------  -------  -------  ------
    total                 2   40.00  24.50    0.00    15.50        2       0
    Assumed on 1 claim(s): the GP seen is assumed to be your médecin traitant (not given)
    ...
    Assumed on 1 claim(s): number of boxes (or acts) not given: one assumed for the franchise
    Assumed on 1 claim(s): emergency contraception not stated: care not for emergency ...

    ``assumed`` counts the claims priced on a default that could change their price,
    ``warned`` those with a warning; the lines below the table say which, with counts.
    """
    groups = (by,) if isinstance(by, str) else tuple(by) if isinstance(by, list | tuple) else ()
    unknown = [g for g in groups if not isinstance(g, str) or g not in GROUPS]
    if unknown or not groups or len(set(groups)) != len(groups):
        raise InvalidInputError([Problem("by", f"expected one or more distinct names of "
                                               f"{', '.join(GROUPS)}, got {excerpt(by)}")])
    table: dict[tuple[str, ...], list[Any]] = {}
    errors = 0
    assumed: dict[str, int] = {}
    warned: dict[str, int] = {}
    for result in each_result(results):
        if not isinstance(result, ClaimResult):
            errors += 1
            continue
        key = tuple(_group_value(result, g) for g in groups)
        acc = table.get(key)
        if acc is None:
            acc = table[key] = [0, ZERO, ZERO, ZERO, ZERO, 0, 0]
        acc[0] += 1
        acc[1] += result.billed
        acc[2] += result.amo
        acc[3] += result.top_up
        acc[4] += result.patient
        if result.assumptions:
            acc[5] += 1
            for code in result.assumptions:
                assumed[code] = assumed.get(code, 0) + 1
        if result.warnings:
            acc[6] += 1
            for code in result.warnings:
                warned[code] = warned.get(code, 0) + 1
    lines = []
    for key, values in sorted(table.items()):
        named = dict(zip(groups, key, strict=True))
        lines.append(SummaryLine(named.get("person"), named.get("year"), named.get("month"),
                                 named.get("care"), *values))
    return Summary(by=groups, lines=tuple(lines), errors=errors,
                   assumptions=tuple(assumed.items()), warnings=tuple(warned.items()))


@attrs.frozen
class Reimbursements:
    """The priced claims of a case (a Decision section)."""

    results: tuple[ClaimResult | ClaimError, ...]
    book: Rulebook = attrs.field(eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        total = summarize(self.results).totals()
        return {"claims": [r.to_dict() for r in self.results],
                "totals": {k: str(v) for k, v in total.items()}}

    def citation_keys(self) -> set[str]:
        return {key for r in self.results if isinstance(r, ClaimResult)
                for key in claim_citations(r, self.book)}
