"""Plots of priced claims (``ssreg[plot]``): matplotlib is imported when one is drawn.

Every plot speaks the reader's language (``lang``): its title, axis, legend and the
labels of care types and months come from the catalogue and the rulebook, never codes.
A time axis keeps its empty months; the legend sits beside the axes, off the bars; a
year of care says whose it is and under which cover.  The backend is never chosen here:
in Jupyter the figures show inline; in a script call ``matplotlib.pyplot.show()`` or
save the figure.  Each function returns the ``Axes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import texts
from ..output import i18n
from ..pricing.results import ClaimError, ClaimResult
from ..pricing.summary import ZERO, Summary, SummaryLine, summarize
from ..rulebook.loader import default_rulebook
from ..rulebook.rulebook import Rulebook


if TYPE_CHECKING:
    from ..model.models import Cover
    from .scenarios import Comparison

PARTS = ("amo", "top_up", "patient")


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib: pip install 'ssreg[plot]'") from exc
    _, ax = plt.subplots(figsize=(10, 4.5))
    return ax


def _say(key: str, lang: str, **values: Any) -> str:
    return i18n.typeset(texts.message(key, lang, **values), lang)


def _stacked(ax: Any, labels: list[str], values: dict[str, list[float]], title: str,
             lang: str) -> Any:
    positions = list(range(len(labels)))
    bottom = [0.0] * len(labels)
    for key in PARTS:
        ax.bar(positions, values[key], bottom=bottom, label=_say(f"plot.{key}", lang))
        bottom = [b + v for b, v in zip(bottom, values[key], strict=True)]
    ax.set_xticks(positions, labels)
    ax.set_ylabel(_say("plot.euros", lang))
    ax.set_title(title)
    # beside the axes, never over a bar
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    ax.tick_params(axis="x", labelrotation=45)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    ax.figure.tight_layout()
    return ax


def month_label(month: str, lang: str) -> str:
    """``2025-03`` as a reader writes it: ``Mar 2025``, ``mars 2025``, ``mar 2025``."""
    from babel.dates import format_date

    year, number = (int(p) for p in month.split("-"))
    locale = {"en": "en_IE", "fr": "fr_FR", "es": "es_ES"}[lang]
    return str(format_date(date(year, number, 1), format="LLL yyyy", locale=locale))


def _months_between(first: str, last: str) -> list[str]:
    year, month = (int(p) for p in first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _with_empty_months(summary: Summary) -> list[SummaryLine]:
    """The lines of a summary by month, with a zero line for each month without care."""
    lines = {line.month: line for line in summary.lines if line.month is not None}
    if not lines:
        return list(summary.lines)
    return [lines.get(m) or SummaryLine(None, None, m, None, 0, ZERO, ZERO, ZERO, ZERO)
            for m in _months_between(min(lines), max(lines))]


def _label(book: Rulebook, line: SummaryLine, by: tuple[str, ...], lang: str) -> str:
    parts = []
    for name in by:
        value = getattr(line, name)
        if name == "care":
            parts.append(book.label(f"care.{value}", lang))
        elif name == "month":
            parts.append(month_label(value, lang))
        else:
            parts.append(str(value))
    return " / ".join(parts)


def plot_summary(summary: Summary, ax: Any = None, *, lang: str = "en",
                 title: str | None = None, rulebook: Rulebook | None = None) -> Any:
    """Stacked bars (Assurance Maladie, top-up, what the student pays: together what was
    billed) per summary line; by month, every month between the first and the last."""
    lang = i18n.check_language(lang)
    book = rulebook if rulebook is not None else default_rulebook()
    ax = _axes(ax)
    lines = _with_empty_months(summary) if summary.by == ("month",) else list(summary.lines)
    labels = [_label(book, line, summary.by, lang) for line in lines]
    values = {key: [float(getattr(line, key)) for line in lines] for key in PARTS}
    groups = ", ".join(_say(f"table.{g}", lang) for g in summary.by)
    return _stacked(ax, labels, values, title or _say("plot.per", lang, groups=groups), lang)


def _cover_name(cover: Cover | str | None, results: list[ClaimResult], lang: str) -> str:
    if isinstance(cover, str):
        return cover
    if cover is not None:
        return cover.name or _say("plot.cover_unnamed", lang)
    if all(not r.top_up for r in results):
        return _say("plot.no_cover", lang)
    return _say("plot.cover_unnamed", lang)


def year_of_care(results: Iterable[ClaimResult | ClaimError], ax: Any = None, *,
                 lang: str = "en", cover: Cover | str | None = None,
                 rulebook: Rulebook | None = None) -> Any:
    """A year of care: stacked Assurance Maladie / top-up / student's share per month,
    every month from the first to the last (a month without care shows as empty), titled
    with whose claims they are and the cover (``cover``: the Cover or its name).

    >>> import ssreg
    >>> claims = [{"care": "gp_consultation", "date": f"2025-{m:02d}-10", "billed": "30",
    ...            "age": 22, "referent_doctor_declared": True} for m in (1, 3)]
    >>> ax = ssreg.year_of_care(ssreg.price_claims(claims), lang="fr")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['janv. 2025', 'févr. 2025', 'mars 2025']
    >>> ax.get_title()
    'Une année de soins\\u202f: student, de janv. 2025 à mars 2025 (pas de complémentaire)'
    """
    lang = i18n.check_language(lang)
    kept = [r for r in results if isinstance(r, ClaimResult)]
    summary = summarize(kept, by="month")
    persons = ", ".join(sorted({r.person for r in kept})) or "-"
    months = [line.month for line in summary.lines if line.month is not None]
    title = _say("plot.year_of_care", lang, persons=persons,
                 first=month_label(min(months), lang) if months else "-",
                 last=month_label(max(months), lang) if months else "-",
                 cover=_cover_name(cover, kept, lang))
    return plot_summary(summary, ax=ax, lang=lang, title=title, rulebook=rulebook)


def plot_comparison(comparison: Comparison, ax: Any = None, *, lang: str = "en") -> Any:
    """Stacked bars per scenario: what the Assurance Maladie, the top-up and the student
    pay for the same claims."""
    lang = i18n.check_language(lang)
    ax = _axes(ax)
    rows = comparison.rows()
    labels = [str(r["scenario"]) for r in rows]
    values = {key: [float(r[key]) for r in rows] for key in PARTS}
    return _stacked(ax, labels, values, _say("plot.comparison", lang), lang)
