"""Sources as people read them: each title in its own language, the seed guide named in
the reader's language, official pages by their address."""

from __future__ import annotations

from typing import Any

from ..rulebook.rulebook import Rulebook
from . import i18n


def source_title(book: Rulebook, key: str, lang: str) -> str:
    """A source's title: the page's own, or the original guide's section in the language."""
    source = book.sources[key]
    if source.seed:
        return i18n.text("source.seed", lang, section=source.title)
    return source.title


def source_line(book: Rulebook, key: str, lang: str) -> str:
    """``[R1] ameli, Vous venez étudier en France (official guidance) <https://...>``."""
    source = book.sources[key]
    where = "" if source.seed else f" <{source.url}>"
    kind = i18n.text(f"source_kind.{source.kind}", lang)
    return f"[{key}] {source_title(book, key, lang)} ({kind}){where}"


def source_dict(book: Rulebook, key: str, lang: str | None = None) -> dict[str, Any]:
    """A source as a link: official pages by URL, the seed guide by section title."""
    source = book.sources[key]
    data: dict[str, Any] = dict(source.to_dict())
    if source.seed:  # a section of the seed guide: no address, the section's title
        data["url"] = None
        data["document"] = source_title(book, key, lang or "en")
    return data
