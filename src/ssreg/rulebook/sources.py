"""What a rulebook says about itself: its sources (with their kind and last check), its
version and its horizon."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import attrs


__all__ = ["PRIMARY", "SOURCE_KINDS", "Meta", "RulebookVersion", "Source"]


#: what a source is, from the most to the least authoritative: a law or regulation (a code
#: article, a décret, an arrêté, a law, with its official publication), official guidance
#: (ameli, service-public, CLEISS, a ministry), an institution (a university, Campus
#: France, a hospital, the seed guide) or a secondary page (insurers, press, wikis)
SOURCE_KINDS = ("law", "guidance", "institution", "secondary")
#: a source of this kind is a primary text
PRIMARY = "law"


@attrs.frozen
class Source:
    """A citable source: what it is (``kind``, one of :data:`SOURCE_KINDS`), where it is,
    and the day it was last checked against the values that cite it.

    ``title`` is the source's own title in its own language (for a seed source, the
    section heading of the guide); ``about`` says in English what was read there.
    """

    key: str
    title: str
    url: str
    note: str = ""
    origin: str = ""
    kind: str = "secondary"
    checked: date | None = None
    about: str = ""

    @property
    def primary(self) -> bool:
        """True for a law or regulation (a primary text)."""
        return self.kind == PRIMARY

    @property
    def seed(self) -> bool:
        """Whether this is a section of the original registration guide."""
        return self.url.startswith("seed:")

    def to_dict(self) -> dict[str, str]:
        data = {"key": self.key, "title": self.title, "url": self.url, "kind": self.kind}
        if self.checked is not None:
            data["checked"] = self.checked.isoformat()
        if self.about:
            data["about"] = self.about
        if self.note:
            data["note"] = self.note
        return data


@attrs.frozen
class RulebookVersion:
    """Which rules answered: the rulebook's version, its horizon and its fingerprint.

    ``version`` is declared in ``[rulebook]`` (``2026.12``; an overlay that does not
    declare its own gets the base's with ``+`` and its fingerprint), ``horizon`` is the
    date of its newest source, ``fingerprint`` a digest of the exact files read.

    >>> import ssreg
    >>> info = ssreg.default_rulebook().version
    >>> info.to_dict()["version"] == info.version
    True
    """

    version: str
    horizon: date | None
    fingerprint: str

    def to_dict(self) -> dict[str, str | None]:
        return {"version": self.version,
                "horizon": self.horizon.isoformat() if self.horizon else None,
                "fingerprint": self.fingerprint}


@attrs.frozen
class Meta:
    """About the rulebook as a whole: its version and the date of its newest source (its
    horizon)."""

    horizon: date | None = None
    note: Mapping[str, str] = attrs.field(factory=dict)
    citations: tuple[str, ...] = ()
    origin: str = ""
    version: str = ""
