"""A cache of the built-in rule files, parsed: TOML parsing is most of a cold start.

Only the files shipped in the package are cached (their values are only tables,
arrays, texts, booleans, integers, decimals and dates, which a tagged JSON keeps
exactly).  An entry is named by the SHA-256 of the file's bytes (and this cache's
format), so an edited file is never read from a stale entry; a cache that cannot be
read or written is simply not used.  JSON, not pickle: reading the cache never runs
code.

Where: ``$SSREG_CACHE_DIR``, else ``$XDG_CACHE_HOME/ssreg``, else ``~/.cache/ssreg``;
``SSREG_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


FORMAT = b"ssreg-parsed-toml/1\0"


def cache_dir() -> Path | None:
    if os.environ.get("SSREG_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    given = os.environ.get("SSREG_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ssreg"


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if type(value) is date:
        return {"$date": value.isoformat()}
    raise TypeError(f"not cached: {type(value).__name__}")


def _decode(table: dict[str, Any]) -> Any:
    if len(table) == 1:
        if "$decimal" in table:
            return Decimal(table["$decimal"])
        if "$date" in table:
            return date.fromisoformat(table["$date"])
    return table


def entry(raw: bytes) -> Path | None:
    """Where the parsed form of a file with these bytes is kept (None: no cache)."""
    folder = cache_dir()
    if folder is None:
        return None
    return folder / f"{hashlib.sha256(FORMAT + raw).hexdigest()}.json"


def load(raw: bytes) -> dict[str, Any] | None:
    path = entry(raw)
    if path is None:
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"),
                                          object_hook=_decode)
    except (OSError, ValueError):
        return None
    return data


def store(raw: bytes, data: dict[str, Any]) -> None:
    path = entry(raw)
    if path is None:
        return
    try:
        text = json.dumps(data, default=_encode)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)  # atomic: a reader sees the whole entry or none
    except (OSError, TypeError, ValueError):
        return
