"""Scenarios: the same claims priced under several covers, rule overrides or dates.

``ssreg.compare(claims, {"no cover": None, "basic": basic, "200 %": rich})`` prices the
claims once per scenario and returns a :class:`Comparison`: exact totals per scenario
(and per care type, person, year or month), the differences from the first scenario
(the baseline), a text and HTML table, a DataFrame and a plot.

A scenario is a :class:`Scenario` (cover, parameter overrides, the claims moved by whole
years, a rulebook), a mapping of those fields, or just a cover (``None``, a
:class:`~ssreg.Cover`, a cover mapping or a per-person mapping).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from ..exceptions import InvalidClaimError, InvalidInputError, Problem
from ..model.fields import specs
from ..model.limits import excerpt
from ..model.models import Claim, Cover
from ..model.structure import structure
from ..pricing.batch import price_claims
from ..pricing.results import ClaimError, ClaimResult
from ..pricing.summary import MONEY, ZERO, Summary, summarize
from ..rulebook.rulebook import Rulebook


SCENARIO_FIELDS = ("cover", "overrides", "years", "rulebook")


@attrs.frozen(kw_only=True)
class Scenario:
    """One way to price the claims: a cover, parameter overrides, a shift in years.

    ``years`` moves every date of care (and birth date) by whole years, e.g. ``1`` to
    price a year of care under next year's rules (29 February becomes 28 February).
    """

    cover: Any = None
    overrides: Mapping[str, Any] = attrs.field(factory=dict)
    years: int = 0
    rulebook: Rulebook | None = None


def _scenario(name: str, given: Any) -> Scenario:
    if isinstance(given, Scenario):
        return given
    if isinstance(given, Mapping) and given and set(given) <= set(SCENARIO_FIELDS) and not (
            set(given) <= {name for name, _ in specs(Cover)}):
        years = given.get("years", 0)
        if not isinstance(years, int) or isinstance(years, bool) or not -200 <= years <= 200:
            raise InvalidInputError([Problem(f"scenarios.{excerpt(name)}.years",
                                             f"expected whole years from -200 to 200, got "
                                             f"{excerpt(years)}")])
        return Scenario(cover=given.get("cover"), overrides=given.get("overrides") or {},
                        years=years, rulebook=given.get("rulebook"))
    return Scenario(cover=given)


def _moved(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def _shift(claims: Sequence[Any], years: int) -> list[Any]:
    if not years:
        return list(claims)
    return [attrs.evolve(c, date=_moved(c.date, years),
                         birth_date=None if c.birth_date is None else _moved(c.birth_date,
                                                                             years))
            if isinstance(c, Claim) else c for c in claims]


@attrs.frozen
class Comparison:
    """Priced claims per scenario; the first scenario is the baseline of differences."""

    results: Mapping[str, tuple[ClaimResult | ClaimError, ...]] = attrs.field(repr=False)

    def __repr__(self) -> str:
        count = len(next(iter(self.results.values()), ()))
        return f"<Comparison of {count} claims under {', '.join(map(repr, self.results))}>"

    @property
    def names(self) -> list[str]:
        return list(self.results)

    def summary(self, name: str, by: str | Sequence[str] = "care") -> Summary:
        """The scenario's totals per group (see :func:`ssreg.summarize`)."""
        return summarize(self.results[name], by=by)

    def totals(self) -> dict[str, dict[str, Decimal]]:
        """Per scenario: billed, AMO, top-up and patient (exact)."""
        return {name: _totals(results) for name, results in self.results.items()}

    def rows(self, by: str | Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Tidy rows: scenario, the groups, claims, amounts and the differences from the
        baseline (``*_change``) for the same group."""
        groups = () if by is None else ((by,) if isinstance(by, str) else tuple(by))
        per: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
        for name, results in self.results.items():
            if groups:
                per[name] = {tuple(r[g] for g in groups): r
                             for r in summarize(results, by=groups).rows()}
            else:
                per[name] = {(): {"claims": sum(1 for r in results if r.ok),
                                  **_totals(results), **_noted(results)}}
        baseline = per[self.names[0]]
        rows = []
        for name, groups_of in per.items():
            for key, line in groups_of.items():
                base = baseline.get(key, {})
                row = {"scenario": name, **dict(zip(groups, key, strict=True)),
                       "claims": line["claims"], **{m: line[m] for m in MONEY}}
                for m in ("amo", "top_up", "patient"):
                    row[f"{m}_change"] = line[m] - base.get(m, ZERO)
                row["assumed"], row["warned"] = line["assumed"], line["warned"]
                rows.append(row)
        return rows

    def caveats(self, lang: str = "en") -> list[str]:
        """What each scenario's totals rest on: assumptions and warnings, with counts."""
        lines = []
        for name, results in self.results.items():
            summary = summarize(results, by="care")
            found = summary.caveats(lang)
            if found:
                lines.append(f"{name}:")
                lines += [f"  {line}" for line in found]
        return lines

    def _table(self) -> tuple[list[str], list[list[Any]]]:
        rows = self.rows()
        header = list(rows[0]) if rows else ["scenario"]
        return header, [list(r.values()) for r in rows]

    def __str__(self) -> str:
        header, body = self._table()
        cells = [header, *[[str(v) for v in row] for row in body]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
                 for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join([*lines, *self.caveats()])

    def _repr_html_(self) -> str:
        import html

        from ..output.text import html_table

        notes = "".join(f"<li>{html.escape(line)}</li>" for line in self.caveats())
        return html_table(*self._table()) + (f"\n<ul>{notes}</ul>" if notes else "")

    def to_frame(self, by: str | Sequence[str] | None = None, money: str = "float") -> Any:
        """The tidy rows as a DataFrame (``money``: float, cents or decimal)."""
        from .frames import rows_frame

        return rows_frame(self.rows(by), money)

    def plot(self, ax: Any = None, *, lang: str = "en") -> Any:
        """Stacked bars: AMO, top-up and patient per scenario (matplotlib), in a language."""
        from .plots import plot_comparison

        return plot_comparison(self, ax=ax, lang=lang)


def _noted(results: Iterable[ClaimResult | ClaimError]) -> dict[str, int]:
    """How many claims rest on an assumption, and how many carry a warning."""
    done = [r for r in results if isinstance(r, ClaimResult)]
    return {"assumed": sum(1 for r in done if r.assumptions),
            "warned": sum(1 for r in done if r.warnings)}


def _totals(results: Iterable[ClaimResult | ClaimError]) -> dict[str, Decimal]:
    totals = dict.fromkeys(MONEY, ZERO)
    for r in results:
        if isinstance(r, ClaimResult):
            for m in MONEY:
                totals[m] += getattr(r, m)
    return totals


def compare(claims: Iterable[Claim | Mapping[str, Any]], scenarios: Mapping[str, Any], *,
            errors: str = "raise", workers: int | None = None) -> Comparison:
    """Price the same claims under each scenario (the first one is the baseline).

    >>> import ssreg
    >>> claims = [{"care": "specialist_consultation", "date": "2025-06-02", "billed": "80",
    ...            "age": 22, "referent_doctor_declared": True, "referred": True}]
    >>> c = ssreg.compare(claims, {"no cover": None,
    ...                            "100 %": ssreg.Cover(levels={"default": 100}),
    ...                            "200 %": ssreg.Cover(levels={"default": 200})})
    >>> {name: str(t["patient"]) for name, t in c.totals().items()}
    {'no cover': '59.95', '100 %': '50.50', '200 %': '19.00'}
    """
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise InvalidInputError([Problem("scenarios", "expected a mapping of at least one "
                                                      "name to a scenario")])
    built = {str(name): _scenario(str(name), given) for name, given in scenarios.items()}
    items: list[Any] = []
    problems: list[Problem] = []
    for index, item in enumerate(claims):
        try:
            items.append(structure(item, Claim, error=InvalidClaimError,
                                   path=f"claims[{index}]"))
        except InvalidInputError as exc:
            problems.extend(exc.problems)
            items.append(item)  # priced as given: refused in its place with errors="collect"
    if problems and errors == "raise":
        raise InvalidClaimError(problems)
    results: dict[str, tuple[ClaimResult | ClaimError, ...]] = {}
    for name, scenario in built.items():
        results[name] = tuple(price_claims(
            _shift(items, scenario.years), cover=scenario.cover, rulebook=scenario.rulebook,
            overrides=scenario.overrides, errors=errors, workers=workers))
    return Comparison(results=results)
