"""What priced claims rest on, in words: their assumptions and warnings, with counts, and
the marks of the ``ssreg price`` table.

The text of each assumption is rule data (``[vocabulary."assumption.<code>"]``); the
text of a claim warning, the counts and the marks are in the catalogue
(``src/ssreg/texts/``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rulebook.rulebook import Rulebook
from . import i18n


def word(key: str, lang: str, **values: object) -> str:
    """A text of the catalogue's ``[caveat]`` section (``src/ssreg/texts/asking.toml``)."""
    return i18n.text(f"caveat.{key}", lang, **values)


def assumption_text(book: Rulebook, code: str, lang: str) -> str:
    return i18n.typeset(book.label(f"assumption.{code}", lang), lang)


def warning_text(code: str, lang: str) -> str:
    return i18n.typeset(i18n.text(f"warning_claim.{code}", lang), lang)


def caveat_lines(assumptions: Sequence[tuple[str, int]], warnings: Sequence[tuple[str, int]],
                 lang: str = "en", book: Rulebook | None = None) -> list[str]:
    """One line per assumption and warning: how many claims carry it, and what it says.

    >>> print(caveat_lines([("base_from_bill", 2)], [("after_rulebook_horizon", 1)], "en")[1])
    Warning on 1 claim(s): date of care after the newest source of the rules
    """
    from ..rulebook.loader import default_rulebook

    lang = i18n.check_language(lang)
    book = book or default_rulebook()
    c = i18n.colon(lang)
    lines = [f"{word('assumed', lang, count=n)}{c}{assumption_text(book, code, lang)}"
             for code, n in assumptions]
    lines += [f"{word('warned', lang, count=n)}{c}{warning_text(code, lang)}"
              for code, n in warnings]
    return [i18n.typeset(line, lang) for line in lines]


class Marks:
    """Numbered marks for the notes of table rows: ``a1`` for an assumption, ``w1`` for a
    warning, each explained once at the end (:meth:`legend`)."""

    def __init__(self, book: Rulebook, lang: str) -> None:
        self.book, self.lang = book, lang
        self.assumptions: dict[str, str] = {}
        self.warnings: dict[str, str] = {}

    def of(self, assumptions: Sequence[str], warnings: Sequence[str]) -> str:
        marks = [self.assumptions.setdefault(code, f"a{len(self.assumptions) + 1}")
                 for code in assumptions]
        marks += [self.warnings.setdefault(code, f"w{len(self.warnings) + 1}")
                  for code in warnings]
        return ",".join(marks)

    def legend(self) -> list[str]:
        if not self.assumptions and not self.warnings:
            return []
        c = i18n.colon(self.lang)
        lines = [word("marks", self.lang) + c.rstrip()]
        lines += [f"  {mark}{c}{assumption_text(self.book, code, self.lang)}"
                  for code, mark in self.assumptions.items()]
        lines += [f"  {mark}{c}{warning_text(code, self.lang)}"
                  for code, mark in self.warnings.items()]
        return [i18n.typeset(line, self.lang) for line in lines]
