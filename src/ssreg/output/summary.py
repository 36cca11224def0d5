"""The student's summary: a few sections, each heading once, following where they stand.

The sections, in order (each only when it has something to say):

``where_you_are``
    the dossier's stage (a dossier only, when it is known);
``open``
    what is not known yet because the case does not say (the route, the stage): how many
    answers it depends on, the first question and what each of its answers would give;
``what_to_do``
    before anything is recorded (a case, or a dossier without events): the route's
    advice; afterwards: the steps the student takes now, or "nothing for now" while
    others act, or "nothing left to do" when the journey is complete;
``what_blocks``
    the conditions blocking the route (an address in France), without a heading prefix;
``css``
    whether the complémentaire santé solidaire is open (and its monthly price), when the
    case says enough to tell;
``what_to_bring``
    the documents still missing or not valid, by their short names (the checklist has
    the documents that count), then those that may be needed depending on the answers not
    given yet, until the final certificate;
``next_steps``
    before anything is recorded: the first steps; afterwards: what others do next
    (the Assurance Maladie's checks, the card by post);
``warnings``
    what the student must know, and each answer assumed in the assume mode.

A section is a heading and its items; :func:`render` writes one item on the heading's
line and several as a list under it.

>>> import ssreg
>>> d = ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
...     "country_of_birth": "BR", "stay_months": 10, "enrolled_in_french_institution": True,
...     "previously_affiliated": False, "salaried": False, "andorran_insured": False}},
...     on="2026-03-01")
>>> print(d.summary("en"))  # doctest: +ELLIPSIS
What to do: Register online on the student site etudiant-etranger.ameli.fr (...)
What blocks: A postal address in France is mandatory to register
Documents to provide:
  - Identity (missing)
...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from . import i18n


if TYPE_CHECKING:
    from ..registration.decision import Decision


@attrs.frozen
class Section:
    """One part of the summary: a key (stable), its heading and its lines, in a language."""

    key: str
    heading: str
    items: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"section": self.key, "heading": self.heading, "items": list(self.items)}


def _heading(key: str, lang: str) -> str:
    return i18n.text(f"summary.{key}", lang)


def _started(decision: Decision) -> bool:
    """Whether the dossier has recorded anything (a case never has)."""
    flow = decision.workflow
    return flow is not None and bool(flow.done)


def _step_label(decision: Decision, name: str, lang: str) -> str:
    return i18n.fill(decision.book.steps[name].label[lang], decision._run.env, lang)


def where_you_are(decision: Decision, lang: str) -> tuple[str, ...]:
    flow = decision.workflow
    if flow is None or flow.stage is None:  # no dossier, or its stage is open
        return ()
    return (decision.book.label(f"stage.{flow.stage}", lang),)


def open_answers(decision: Decision, lang: str) -> tuple[str, ...]:
    """What is not known yet, and the first question that would settle it."""
    from .asking import open_items

    return open_items(decision, lang)


def what_to_do(decision: Decision, lang: str) -> tuple[str, ...]:
    flow = decision.workflow
    if not _started(decision):
        route = decision.route
        return (decision.book.label(f"route.{route}", lang),) if route else ()
    assert flow is not None
    mine = tuple(_step_label(decision, s.step, lang) for s in flow.next_steps
                 if s.actor == "student")
    if mine:
        return mine
    return (i18n.text("summary.wait" if flow.next_steps else "summary.nothing_to_do", lang),)


def what_blocks(decision: Decision, lang: str) -> tuple[str, ...]:
    return tuple(decision.book.label(f"block.{b}", lang) for b in decision.blocks)


def css(decision: Decision, lang: str) -> tuple[str, ...]:
    """Whether the complémentaire santé solidaire is open to the student (and its price)."""
    found = decision.outcomes.get("css_eligibility")
    if found not in ("free", "with_participation", "above_ceiling", "ceilings_not_found"):
        return ()
    line = decision.book.label(f"css_eligibility.{found}", lang)
    monthly = decision._run.env.get("css_monthly_participation")
    if found == "with_participation" and monthly is not None:
        line += f" ({i18n.text('word.per_month', lang, amount=i18n.money(monthly, lang))})"
    return (line,)


def what_to_bring(decision: Decision, lang: str) -> tuple[str, ...]:
    flow = decision.workflow
    if flow is not None and flow.number_status == "definitive":
        return ()  # after the final certificate nothing is asked for any more
    book = decision.book
    found = tuple(f"{book.requirements[i.requirement].short[lang]} "
                  f"({i18n.text(f'status.{i.status}', lang)})"
                  for i in decision.checklist.items if not i.met)
    maybe = i18n.text("asking.maybe", lang)
    return found + tuple(f"{book.requirements[name].short[lang]} ({maybe})"
                         for name in decision.checklist.open)


def next_steps(decision: Decision, lang: str) -> tuple[str, ...]:
    flow = decision.workflow
    if flow is None:
        return ()
    started = _started(decision)
    return tuple(_step_label(decision, s.step, lang) for s in flow.next_steps
                 if not started or s.actor != "student")


def warnings(decision: Decision, lang: str) -> tuple[str, ...]:
    from .labels import notice_text

    assumed = tuple(n for n in decision.assumptions if n.code == "assumed")
    return tuple(notice_text(decision.book, n, lang) for n in (*decision.warnings, *assumed))


BUILDERS: tuple[tuple[str, Callable[[Decision, str], tuple[str, ...]]], ...] = (
    ("where_you_are", where_you_are),
    ("open", open_answers),
    ("what_to_do", what_to_do),
    ("what_blocks", what_blocks),
    ("css", css),
    ("what_to_bring", what_to_bring),
    ("next_steps", next_steps),
    ("warnings", warnings),
)


def sections(decision: Decision, lang: str) -> list[Section]:
    """The summary's sections that have something to say, in order, typeset."""
    lang = i18n.check_language(lang)
    found = []
    for key, build in BUILDERS:
        items = build(decision, lang)
        if items:
            found.append(Section(key, i18n.typeset(_heading(key, lang), lang),
                                 tuple(i18n.typeset(item, lang) for item in items)))
    return found


def render(found: list[Section], lang: str) -> str:
    lines = []
    colon = i18n.colon(lang)
    for section in found:
        if len(section.items) == 1:
            lines.append(f"{section.heading}{colon}{section.items[0]}")
        else:
            lines.append(f"{section.heading}{colon.rstrip()}")
            lines.extend(f"  - {item}" for item in section.items)
    return i18n.typeset_lines(lines, lang)


def summary(decision: Decision, lang: str) -> str:
    """A few lines for the student: where they are, what to do, what blocks, what to bring."""
    return render(sections(decision, lang), lang)
