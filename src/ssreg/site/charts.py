"""A small chart of a parameter's values over time, as inline SVG (no JavaScript).

Numbers (amounts, rates, months, counts) are drawn as a step line, one level per period;
other values (choices, lists, texts) as a timeline of bars carrying their value.  Each
chart has a title and a description for screen readers; the value table beside it on the
page is the full text alternative.

>>> import ssreg
>>> svg = value_chart(ssreg.default_rulebook().parameters["participation_forfaitaire"],
...                   "en", "Participation forfaitaire")
>>> svg.startswith('<svg') and 'role="img"' in svg and "<title" in svg
True
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from ..rulebook.rulebook import FAR_FUTURE, Parameter
from .words import day, shown, text


WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 16, 36
INK, LINE, GRID, BAR = "#1a1a1a", "#0b57a4", "#c8c8c8", "#dce8f5"


def _numeric(param: Parameter) -> bool:
    return all(isinstance(v.value, Decimal | int) and not isinstance(v.value, bool)
               for v in param.values)


def _span(param: Parameter, until: date | None) -> tuple[date, date]:
    first = param.values[0].start
    last = max(v.start if v.end == FAR_FUTURE else v.end for v in param.values)
    # an open period is drawn to the end of the year after its start, or of the rulebook's
    # horizon if later; the axis ends on a year boundary
    end = date(max(last.year + 1, first.year + 2, until.year if until else 1), 12, 31)
    return date(first.year, 1, 1), end


def _x(day_: date, start: date, end: date) -> float:
    total = (end - start).days or 1
    return LEFT + (WIDTH - LEFT - RIGHT) * ((min(day_, end) - start).days / total)


def _years(start: date, end: date) -> list[int]:
    years = list(range(start.year, end.year + 1))
    step = max(1, len(years) // 8 + (1 if len(years) % 8 else 0))
    return years[::step]


def value_chart(param: Parameter, lang: str, label: str, until: date | None = None) -> Markup:
    """The SVG chart of a parameter's values (escaped text, safe to inline), drawn at least
    to the end of the year of ``until`` (the rulebook's horizon)."""
    if not param.values:
        return Markup("")
    start, end = _span(param, until)
    ident = "chart-" + "".join(c if c.isalnum() else "-" for c in param.name)
    title = text("chart_title", lang, label=label)
    desc_key = "chart_text" if _numeric(param) else "timeline_text"
    desc = text(desc_key, lang, start=day(param.values[0].start, lang)) + " " + "; ".join(
        f"{_period(v.start, v.end, lang)}: {shown(param, v.value, lang)}" for v in param.values)
    parts = [Markup('<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
                    'aria-labelledby="{}-t {}-d" xmlns="http://www.w3.org/2000/svg">'
                    '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>').format(
        WIDTH, HEIGHT, WIDTH, HEIGHT, ident, ident, ident, title, ident, desc)]
    base = HEIGHT - BOTTOM
    for year in _years(start, end):
        x = _x(date(year, 1, 1), start, end)
        parts.append(Markup('<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{}" stroke="{}"/>'
                            '<text x="{:.1f}" y="{}" font-size="12" fill="{}" '
                            'text-anchor="middle">{}</text>').format(
            x, TOP, x, base, GRID, x, base + 16, INK, year))
    parts.append(Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>').format(
        LEFT, base, WIDTH - RIGHT, base, INK))
    parts += _steps(param, lang, start, end) if _numeric(param) else \
        _timeline(param, lang, start, end)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _period(start: date, end: date, lang: str) -> str:
    return day(start, lang) + ("" if end == FAR_FUTURE else " – " + day(end, lang))


def _steps(param: Parameter, lang: str, start: date, end: date) -> list[Markup]:
    numbers = [Decimal(v.value) for v in param.values]
    top = max(max(numbers), Decimal(0)) or Decimal(1)
    low = min(min(numbers), Decimal(0))
    height = HEIGHT - BOTTOM - TOP

    def y(value: Decimal) -> float:
        return TOP + float((top - value) / (top - low)) * height if top != low else TOP

    parts = []
    ticks = {low, top} | (set(numbers) if len(set(numbers)) <= 5 else set())
    for value in sorted(ticks):
        parts.append(Markup('<text x="{}" y="{:.1f}" font-size="12" fill="{}" '
                            'text-anchor="end">{}</text>').format(
            LEFT - 6, y(value) + 4, INK, shown(param, _native(param, value), lang)))
    previous: tuple[float, float] | None = None
    for item, number in zip(param.values, numbers, strict=True):
        x1, x2 = _x(item.start, start, end), _x(
            end if item.end == FAR_FUTURE else item.end + timedelta(days=1), start, end)
        level = y(number)
        if previous is not None and abs(previous[0] - x1) < 0.5:
            parts.append(Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" '
                                'stroke="{}" stroke-width="2"/>').format(
                x1, previous[1], x1, level, LINE))
        dash = ' stroke-dasharray="6 4"' if item.uncertain else ""
        parts.append(Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" '
                            'stroke-width="3"' + dash + '><title>{}: {}</title></line>').format(
            x1, level, x2, level, LINE, _period(item.start, item.end, lang),
            shown(param, item.value, lang)))
        parts.append(Markup('<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"/>').format(
            x1, level, LINE))
        previous = (x2, level)
    return parts


def _native(param: Parameter, value: Decimal) -> Any:
    return int(value) if param.type == "int" else value


def _timeline(param: Parameter, lang: str, start: date, end: date) -> list[Markup]:
    parts = []
    rows = max(1, len(param.values))
    band = min(36.0, (HEIGHT - BOTTOM - TOP) / rows)
    for i, item in enumerate(param.values):
        x1, x2 = _x(item.start, start, end), _x(
            end if item.end == FAR_FUTURE else item.end + timedelta(days=1), start, end)
        y = TOP + i * band
        label = shown(param, item.value, lang)
        parts.append(Markup('<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" '
                            'fill="{}" stroke="{}"><title>{}: {}</title></rect>'
                            '<text x="{:.1f}" y="{:.1f}" font-size="12" fill="{}">{}</text>'
                            ).format(x1, y + 2, max(x2 - x1, 2.0), band - 4, BAR, LINE,
                                     _period(item.start, item.end, lang), label, x1 + 4,
                                     y + band / 2 + 4, INK, label[:60]))
    return parts
