"""Plots checked as drawn images: the legend never covers a bar, a time axis keeps its empty
months, every text is in the chosen language, titles say whose year and which cover."""

import io
import re

import matplotlib
import pytest

import ssreg


matplotlib.use("Agg", force=False)  # the tests draw off screen; the library never chooses
import matplotlib.pyplot as plt


def claims(months, person="ana"):
    return [{"care": care, "date": f"2025-{m:02d}-10", "billed": "30", "age": 22,
             "person": person, "referent_doctor_declared": True}
            for m in months for care in ("gp_consultation", "specialist_consultation")]


def drawn(ax):
    """Render the figure to a PNG in memory (the image), and give its renderer."""
    figure = ax.figure
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")
    return figure.canvas.get_renderer()


def overlaps(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def assert_legend_off_the_bars(ax):
    renderer = drawn(ax)
    legend = ax.get_legend().get_window_extent(renderer)
    figure = ax.figure.bbox
    assert figure.x0 <= legend.x0 and legend.x1 <= figure.x1 + 1, "legend cut off"
    bars = [p.get_window_extent(renderer) for p in ax.patches if p.get_height() > 0]
    assert bars
    assert not any(overlaps(legend, bar) for bar in bars)
    plt.close(ax.figure)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_the_comparison_legend_leaves_every_bar_visible():
    comparison = ssreg.compare(claims([1, 2, 3]), {
        "no cover": {}, "basic": {"cover": {"levels": {"default": 100}}}})
    assert_legend_off_the_bars(comparison.plot(lang="fr"))


def test_the_year_of_care_legend_leaves_every_bar_visible():
    assert_legend_off_the_bars(ssreg.year_of_care(ssreg.price_claims(claims([1, 2, 6]))))


@pytest.mark.parametrize(("months", "expected"), [([1, 3], 3), ([1, 6, 12], 12), ([5], 1)])
def test_a_time_axis_keeps_its_empty_months(months, expected):
    ax = ssreg.year_of_care(ssreg.price_claims(claims(months)), lang="es")
    drawn(ax)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == expected
    assert len(ax.patches) == 3 * expected
    empty = [i for i in range(expected) if i + 1 not in months] if expected > 1 else []
    for i in empty:  # an empty month has no height in any of the three parts
        assert all(ax.patches[part * expected + i].get_height() == 0 for part in range(3))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["A year of care", "ana", "student basic", "you pay", "euros"]),
    ("fr", ["Une année de soins", "ana", "student basic", "reste à charge", "janv. 2025"]),
    ("es", ["Un año de atención", "ana", "student basic", "a su cargo", "ene 2025"]),
])
def test_every_text_of_a_plot_is_in_the_language(lang, words):
    cover = ssreg.load_cover("examples/covers/student_basic.toml")
    results = ssreg.price_claims(claims([1, 2]), cover=cover)
    ax = ssreg.year_of_care(results, lang=lang, cover=cover)
    drawn(ax)
    shown = " ".join([ax.get_title(), ax.get_ylabel(),
                      *(t.get_text() for t in ax.get_legend().get_texts()),
                      *(t.get_text() for t in ax.get_xticklabels())])
    for word in words:
        assert word in shown, (word, shown)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", shown), shown  # no raw code
    if lang != "en":
        assert "patient" not in shown and "top-up" not in shown


def test_a_year_without_a_cover_says_so():
    ax = ssreg.year_of_care(ssreg.price_claims(claims([3])), lang="en")
    assert ax.get_title() == "A year of care: ana, from Mar 2025 to Mar 2025 (no top-up cover)"


def test_care_types_show_their_labels_not_their_codes():
    summary = ssreg.summarize(ssreg.price_claims(claims([1, 2])), by="care")
    ax = summary.plot(lang="fr")
    drawn(ax)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    book = ssreg.default_rulebook()
    assert labels == [book.label("care.gp_consultation", "fr"),
                      book.label("care.specialist_consultation", "fr")]
    assert ax.get_title() == "Qui paie, par soin"
