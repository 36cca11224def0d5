"""Checking what a rulebook says about itself: its sources (kind, last check) and its
``[rulebook]`` table (version, horizon)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model.limits import excerpt
from .collect import Checker, Raw
from .sources import SOURCE_KINDS, Meta, Source


_VERSION = re.compile(r"\d+(\.\d+)*(\+[A-Za-z0-9.]+)?")


def build_sources(c: Checker, raw: Raw) -> dict[str, Source]:
    out = {}
    for key, (where, data) in raw.sources.items():
        title, url, kind = data.get("title"), data.get("url"), data.get("kind")
        if not isinstance(title, str) or not isinstance(url, str) or not url.startswith(
            ("https://", "http://", "seed:")
        ):
            c.add(where, "a source needs a `title` and a `url` (http(s):// or seed:)")
            continue
        if kind not in SOURCE_KINDS:
            c.add(f"{where}.kind", f"expected one of {', '.join(SOURCE_KINDS)} (law or "
                  f"regulation, official guidance, institution, secondary), got {excerpt(kind)}")
            continue
        checked = c.day(f"{where}.checked", data.get("checked"), required=True)
        if checked is None:
            continue
        out[key] = Source(key=key, title=title, url=url, note=str(data.get("note", "")),
                          origin=where, kind=kind, checked=checked,
                          about=str(data.get("about", "")))
    return out


def build_meta(c: Checker, raw: Raw, sources: Mapping[str, Source]) -> Meta:
    if raw.meta is None:
        return Meta()
    where, data = raw.meta
    horizon = c.day(f"{where}.horizon", data.get("horizon"), required=True)
    version = data.get("version", "")
    if not isinstance(version, str) or (version and not _VERSION.fullmatch(version)):
        c.add(f"{where}.version", f"expected a version like \"2026.12\" (digits and dots, "
              f"an optional +local part), got {excerpt(version)}")
        version = ""
    return Meta(horizon=horizon, note=c.labels(where, data.get("note"), "note"),
                citations=c.citations(where, data.get("citations"), sources), origin=where,
                version=version)
