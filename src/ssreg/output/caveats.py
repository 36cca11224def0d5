"""What priced claims rest on, in words: their assumptions and warnings, with counts, and
the marks of the ``ssreg price`` table.

The text of each assumption is rule data (``[vocabulary."assumption.<code>"]``); the
text of a claim warning is in :mod:`ssreg.output.i18n`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..rulebook.rulebook import Rulebook
from . import i18n


def _t(en: str, fr: str, es: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "es": es}


WORDS = {
    "assumed": _t("Assumed on {count} claim(s)", "Supposé pour {count} facture(s)",
                  "Supuesto en {count} factura(s)"),
    "warned": _t("Warning on {count} claim(s)", "Avertissement sur {count} facture(s)",
                 "Aviso en {count} factura(s)"),
    "marks": _t("Marks", "Repères", "Marcas"),
    "notes": _t("notes", "notes", "notas"),
}


def assumption_text(book: Rulebook, code: str, lang: str) -> str:
    return book.label(f"assumption.{code}", lang)


def warning_text(code: str, lang: str) -> str:
    return i18n.text(f"warning_claim.{code}", lang)


def caveat_lines(assumptions: Sequence[tuple[str, int]], warnings: Sequence[tuple[str, int]],
                 lang: str = "en", book: Rulebook | None = None) -> list[str]:
    """One line per assumption and warning: how many claims carry it, and what it says.

    >>> print(caveat_lines([("base_from_bill", 2)], [("after_rulebook_horizon", 1)], "fr")[1])
    Avertissement sur 1 facture(s) : date des soins postérieure à la source la plus récente ...
    """
    from ..rulebook.loader import default_rulebook

    lang = i18n.check_language(lang)
    book = book or default_rulebook()
    c = i18n.colon(lang)
    lines = [f"{WORDS['assumed'][lang].format(count=n)}{c}{assumption_text(book, code, lang)}"
             for code, n in assumptions]
    lines += [f"{WORDS['warned'][lang].format(count=n)}{c}{warning_text(code, lang)}"
              for code, n in warnings]
    return lines


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
        lines = [WORDS["marks"][self.lang] + c.rstrip()]
        lines += [f"  {mark}{c}{assumption_text(self.book, code, self.lang)}"
                  for code, mark in self.assumptions.items()]
        lines += [f"  {mark}{c}{warning_text(code, self.lang)}"
                  for code, mark in self.warnings.items()]
        return lines
