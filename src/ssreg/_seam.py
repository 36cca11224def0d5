"""The one way up: convenience methods of lower objects, carried out by a higher layer.

Packages import downward only (see ``docs/architecture.md``).  A few objects of the lower
layers offer methods for the caller's comfort whose work belongs to a higher layer: a
:class:`~ssreg.Decision` turns itself into JSON and text (``to_dict``, ``summary``,
``explain``), a :class:`~ssreg.ClaimResult` explains itself, a :class:`~ssreg.Summary`
becomes a DataFrame or a plot, and ``price_claims`` reads a DataFrame it is given as
columns.  Those methods call the functions below, and only these:
each imports its layer when first called, so ``import ssreg`` stays light and no lower
module names a higher one.  This module is the only entry of the import-direction test's
allow-list (``tests/test_layers.py``); it is how pandas' ``DataFrame.plot`` reaches
matplotlib, written down in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from .pricing.results import ClaimError, ClaimResult
    from .pricing.summary import Summary
    from .registration.decision import Decision
    from .registration.workflow import RefusedEvent
    from .rulebook.rulebook import Rulebook


# output: JSON and texts ------------------------------------------------------------------

def decision_dict(decision: Decision, lang: str | None, form: str = "full",
                  base_url: str | None = None) -> dict[str, Any]:
    if form == "compact":
        from .output.compact import compact_dict

        return compact_dict(decision, lang)
    from .output.labels import decision_dict as build

    return build(decision, lang, base_url)


def decision_summary(decision: Decision, lang: str) -> str:
    from .output.summary import summary

    return summary(decision, lang)


def refusal_texts(decision: Decision, refused: RefusedEvent) -> dict[str, str]:
    """Why an event is refused, in each language (for :class:`~ssreg.EventRefused`)."""
    from .output.reasons import refusal_text
    from .texts import LANGUAGES

    return {lang: refusal_text(decision.book, refused, decision._run.env, lang)
            for lang in LANGUAGES}


def refusal_rule_texts(decision: Decision, event: str, codes: tuple[str, ...]) -> dict[
        str, str]:
    """An event refused by what it carries, in each language."""
    from .output.reasons import refusal_rules_text
    from .texts import LANGUAGES

    return {lang: refusal_rules_text(decision.book, event, codes, lang) for lang in LANGUAGES}


def open_event_texts(decision: Decision, event: str, facts: list[str]) -> dict[str, str]:
    """An event that depends on facts not given, in each language."""
    from .output.asking import open_event_text
    from .texts import LANGUAGES

    return {lang: open_event_text(decision.book, event, facts, lang) for lang in LANGUAGES}


def decision_checklist(decision: Decision, lang: str) -> str:
    from .output.text import printable

    return printable(decision.book, decision.checklist, lang)


def decision_explanation(decision: Decision, lang: str) -> str:
    from .output.text import explain

    return explain(decision, lang)


def decision_html(decision: Decision, lang: str = "en", base_url: str | None = None) -> str:
    from .output.text import decision_html as build

    return build(decision, lang, base_url)


def claim_links(result: ClaimResult, base_url: str, lang: str) -> dict[str, dict[str, str]]:
    from .output.links import check_base_url
    from .output.links import claim_links as build

    return build(result, check_base_url(base_url), lang)


def html_table(header: list[str], body: list[list[Any]]) -> str:
    from .output.text import html_table as build

    return build(header, body)


def escape(text: str) -> str:
    import html

    return html.escape(text)


def caveat_lines(assumptions: Any, warnings: Any, lang: str, book: Rulebook | None) -> list[str]:
    from .output.caveats import caveat_lines as build

    return build(assumptions, warnings, lang, book)


def claim_explanation(result: ClaimResult, book: Rulebook, lang: str) -> str:
    from .output.text import explain_claim

    return explain_claim(result, book, lang)


def error_explanation(error: ClaimError, lang: str) -> str:
    from .output.text import explain_error

    return explain_error(error, lang)


# notebook: frames and plots --------------------------------------------------------------

def summary_frame(summary: Summary, money: str) -> Any:
    from .notebook.frames import summary_frame as build

    return build(summary, money)


def frame_columns(frame: Any, pricer: Any, presorted: bool, workers: int,
                  spawn_args: tuple[Any, ...]) -> Any:
    """``price_claims`` given a DataFrame: read and priced by columns."""
    from .notebook.priced import frame_columns as price

    return price(frame, pricer, presorted, workers, spawn_args)


def summary_plot(summary: Summary, ax: Any, lang: str = "en") -> Any:
    from .notebook.plots import plot_summary

    return plot_summary(summary, ax=ax, lang=lang)
