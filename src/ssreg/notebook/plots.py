"""Plots of priced claims (``ssreg[plot]``): matplotlib is imported when one is drawn.

The backend is never chosen here: in Jupyter the figures show inline; in a script call
``matplotlib.pyplot.show()`` or save the figure.  Each function returns the ``Axes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..model.arguments import NONE, Is, accepts
from ..pricing.results import RESULTS, ClaimError, ClaimResult
from ..pricing.summary import summarize


if TYPE_CHECKING:
    from ..pricing.summary import Summary
    from .scenarios import Comparison

AXES = NONE | Is(lambda v: callable(getattr(v, "bar", None)), "a matplotlib Axes")
PARTS = (("amo", "Assurance Maladie"), ("top_up", "top-up (mutuelle)"),
         ("patient", "patient"))


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib: pip install 'ssreg[plot]'") from exc
    _, ax = plt.subplots(figsize=(9, 4))
    return ax


def _stacked(ax: Any, labels: list[str], values: dict[str, list[float]], title: str) -> Any:
    bottom = [0.0] * len(labels)
    for key, label in PARTS:
        ax.bar(labels, values[key], bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, values[key], strict=True)]
    ax.set_ylabel("EUR")
    ax.set_title(title)
    ax.legend()
    ax.tick_params(axis="x", labelrotation=45)
    return ax


@accepts(ax=AXES)
def plot_summary(summary: Summary, ax: Any = None) -> Any:
    """Stacked bars (AMO, top-up, patient: together what was billed) per summary line."""
    ax = _axes(ax)
    rows = summary.rows()
    labels = [" / ".join(str(r[g]) for g in summary.by) for r in rows]
    values = {key: [float(r[key]) for r in rows] for key, _ in PARTS}
    return _stacked(ax, labels, values, "Who pays, per " + " and ".join(summary.by))


@accepts(results=RESULTS, ax=AXES)
def year_of_care(results: Iterable[ClaimResult | ClaimError], ax: Any = None) -> Any:
    """A year of care: stacked AMO / top-up / patient per month.

    >>> import ssreg
    >>> claims = [{"care": "gp_consultation", "date": f"2025-{m:02d}-10", "billed": "30",
    ...            "age": 22, "referent_doctor_declared": True} for m in (1, 2, 3)]
    >>> ax = ssreg.year_of_care(ssreg.price_claims(claims))
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['2025-01', '2025-02', '2025-03']
    """
    return plot_summary(summarize(results, by="month"), ax=ax)


@accepts(ax=AXES)
def plot_comparison(comparison: Comparison, ax: Any = None) -> Any:
    """Stacked bars per scenario: what the Assurance Maladie, the top-up and the patient
    pay for the same claims."""
    ax = _axes(ax)
    rows = comparison.rows()
    labels = [str(r["scenario"]) for r in rows]
    values = {key: [float(r[key]) for r in rows] for key, _ in PARTS}
    return _stacked(ax, labels, values, "The same claims under each scenario")
