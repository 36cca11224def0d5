"""The journey of each route as an inline SVG diagram (no JavaScript), from the rulebook.

The edges are those of :func:`ssreg.output.diagram.walk`: a sample student follows each
route through the rules, so the drawing is what the rules allow.  Stages are boxes in
the order they are first reached; an arrow to the next stage runs down the middle, an
event that keeps the dossier at its stage loops on the right, one that jumps ahead or goes back
curves on the left.  An event can be highlighted (the
page of that event or of the step it completes).

>>> import ssreg
>>> book = ssreg.default_rulebook()
>>> edges = route_edges(book)["cpam"]
>>> svg = journey_svg(book, "cpam", edges, "en", highlight="cpam_contacted")
>>> svg.count("<rect") == len({s for edge in edges for s in (edge[0], edge[2])})
True
>>> import re  # the highlighted lines are the event's label, and only those
>>> red = re.findall(r'class="on"[^>]*>([^<]+)<', svg)
>>> " ".join(red) == book.events["cpam_contacted"].label["en"]
True
"""

from __future__ import annotations

import textwrap

from markupsafe import Markup

from ..exceptions import SsregError
from ..output.diagram import walk
from ..rulebook.rulebook import Rulebook
from .words import text


Edge = tuple[str, str, str]
WIDTH = 840
BOX_X, BOX_W, BOX_H, ROW, TOP = 270, 300, 46, 92, 12
INK, LINE, ON, BOX, BOX_LINE = "#1a1a1a", "#44546a", "#b3261e", "#eef3f9", "#0b57a4"


def route_edges(book: Rulebook) -> dict[str, list[Edge]]:
    """``(stage, event, next stage)`` edges of each route of the rulebook (empty for a
    route a sample student cannot walk: no dossier, or an overlay without samples)."""
    found: dict[str, list[Edge]] = {}
    for route in book.values_of("route"):
        try:
            found[route] = walk(book, route)
        except (KeyError, SsregError):  # no sample student for an overlay's own route
            found[route] = []
    return found


def _lines(label: str, width: int) -> list[str]:
    return textwrap.wrap(label, width) or [label]


def _text(x: float, y: float, lines: list[tuple[str, bool]], anchor: str = "start") -> Markup:
    """A text of several lines; a line marked True is the highlighted event's, in red."""
    spans = Markup("").join(
        Markup('<tspan x="{:.0f}" dy="{}"{}>{}</tspan>').format(
            x, 0 if i == 0 else 15,
            Markup(' class="on" fill="{}" font-weight="700"').format(ON) if on else "", line)
        for i, (line, on) in enumerate(lines))
    return Markup('<text x="{:.0f}" y="{:.0f}" font-size="13" text-anchor="{}" fill="{}">'
                  '{}</text>').format(x, y, anchor, INK, spans)


def journey_svg(book: Rulebook, route: str, edges: list[Edge], lang: str,
                highlight: str = "") -> Markup:
    """The SVG diagram of a route's journey; ``highlight`` an event drawn in red."""
    stages = list(dict.fromkeys(s for edge in edges for s in (edge[0], edge[2])))
    if not stages:
        return Markup("")
    row = {stage: i for i, stage in enumerate(stages)}
    groups: dict[tuple[str, str], list[str]] = {}
    for before, event, after in edges:
        groups.setdefault((before, after), []).append(event)
    height = TOP * 2 + ROW * (len(stages) - 1) + BOX_H
    ident = f"journey-{route}-{highlight or 'all'}".replace("_", "-")
    title = text("diagram_title", lang, route=book.label(f"route.{route}", lang))
    parts = [Markup('<svg class="journey" role="img" viewBox="0 0 {w} {h}" width="{w}" '
                    'height="{h}" aria-labelledby="{i}-t {i}-d" '
                    'xmlns="http://www.w3.org/2000/svg"><title id="{i}-t">{t}</title>'
                    '<desc id="{i}-d">{d}</desc><defs>').format(
        w=WIDTH, h=height, i=ident, t=title, d=text("diagram_text", lang))]
    for name, colour in (("a", LINE), ("on", ON)):
        parts.append(Markup('<marker id="{}-{}" viewBox="0 0 10 10" refX="9" refY="5" '
                            'markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" '
                            'orient="auto-start-reverse">'
                            '<path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>').format(
            ident, name, colour))
    parts.append(Markup("</defs>"))
    left = 0
    for (before, after), events in groups.items():
        on = highlight in events
        labels = [(line, e == highlight) for e in events
                  for line in _lines(book.events[e].label[lang], 30)]
        y1, y2 = TOP + row[before] * ROW, TOP + row[after] * ROW
        centre = BOX_X + BOX_W / 2
        if row[after] == row[before] + 1:
            path = f"M{centre:.0f},{y1 + BOX_H} L{centre:.0f},{y2 - 2}"
            label = _text(centre + 10, y1 + BOX_H + 20, labels)
        elif before == after:
            x = BOX_X + BOX_W
            path = f"M{x},{y1 + 12} C{x + 48},{y1 + 2} {x + 48},{y1 + 44} {x + 2},{y1 + 34}"
            label = _text(x + 54, y1 + 20, labels)
        else:  # a jump ahead or back: a curve on the left, further out for each
            left += 1
            x, bend = BOX_X, BOX_X - 30 - 16 * left
            down = row[after] > row[before]
            start, end = (y1 + 30, y2 + 16) if down else (y1 + 16, y2 + 30)
            path = f"M{x},{start} C{bend},{start} {bend},{end} {x - 2},{end}"
            label = _text(bend - 6, (y1 + y2) / 2 + 20, labels, "end")
        parts.append(Markup('<path d="{}" fill="none" stroke="{}" stroke-width="{}" '
                            'marker-end="url(#{}-{})"/>').format(
            path, ON if on else LINE, 3 if on else 1.5, ident, "on" if on else "a"))
        parts.append(label)
    for stage, i in row.items():
        y = TOP + i * ROW
        lines = _lines(book.label(f"stage.{stage}", lang), 40)[:2]
        parts.append(Markup('<rect x="{}" y="{}" width="{}" height="{}" rx="6" fill="{}" '
                            'stroke="{}"/>').format(BOX_X, y, BOX_W, BOX_H, BOX, BOX_LINE))
        first = y + (19 if len(lines) == 2 else 28)
        parts.append(_text(BOX_X + BOX_W / 2, first, [(line, False) for line in lines],
                           "middle"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
