"""What a server is set up with: its rulebook, the site it links to, CORS and its limits.

Settings travel to uvicorn's worker processes as JSON in one environment variable
(``SSREG_API_SETTINGS``), so every worker answers with the same rules and limits.

>>> s = Settings(max_body=1000, cors_origins=("https://portal.example",))
>>> Settings.from_json(s.to_json()) == s
True
>>> Settings(timeout=0)
Traceback (most recent call last):
...
ssreg.exceptions.InvalidInputError: invalid input: timeout: expected a number of seconds ...
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import InvalidInputError, Problem
from ..model.limits import excerpt


ENV = "SSREG_API_SETTINGS"
"""The environment variable that carries the settings to the worker processes."""
MIB = 1024 * 1024


@attrs.frozen
class Settings:
    """A server's settings.

    ``rules``: rule files or folders overlaid on the built-in rulebook.  ``base_url``:
    where the site of ``ssreg site`` is published (answers then link to its pages).
    ``site``: a folder written by ``ssreg site``, served under ``/site/`` (answers then
    link to those pages unless ``base_url`` says otherwise).  ``cors_origins``: the web
    origins allowed to call the API from a browser (``*`` for
    any; none by default).  ``max_body``: bytes of one JSON body; ``max_stream``: bytes of
    a JSON Lines body; ``max_line``: bytes of one JSON line; ``max_claims``: claims of one
    request; ``timeout``: seconds to compute one JSON answer; ``stream_timeout``: seconds
    for a whole streamed batch.
    """

    rules: tuple[str, ...] = ()
    base_url: str | None = None
    site: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body: int = 2 * MIB
    max_stream: int = 512 * MIB
    max_line: int = MIB
    max_claims: int = 1_000_000
    timeout: float = 30.0
    stream_timeout: float = 900.0

    def __attrs_post_init__(self) -> None:
        problems = []
        for name in ("max_body", "max_stream", "max_line", "max_claims"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**40:
                problems.append(Problem(name, f"expected a positive whole number, got "
                                              f"{excerpt(value)}"))
        for name in ("timeout", "stream_timeout"):
            value = getattr(self, name)
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not math.isfinite(value) or not 0 < value <= 86_400):
                problems.append(Problem(name, f"expected a number of seconds between 0 and "
                                              f"86400, got {excerpt(value)}"))
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                problems.append(Problem("cors_origins", f"expected * or an origin such as "
                                                        f"https://portal.example, got "
                                                        f"{excerpt(origin)}"))
        if self.site is not None and not (Path(self.site) / "index.html").is_file():
            problems.append(Problem("site", f"expected a folder written by ssreg site (with "
                                            f"index.html), got {excerpt(self.site)}"))
        if self.base_url is not None:
            from ..output.links import check_base_url

            try:
                check_base_url(self.base_url)
            except InvalidInputError as exc:
                problems.extend(exc.problems)
        if problems:
            raise InvalidInputError(problems)

    @property
    def links(self) -> str | None:
        """Where answers link to: the published site, else the one served here."""
        return self.base_url or ("/site" if self.site is not None else None)

    def to_json(self) -> str:
        return json.dumps(attrs.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Settings:
        data: dict[str, Any] = json.loads(text)
        data["rules"] = tuple(data.get("rules", ()))
        data["cors_origins"] = tuple(data.get("cors_origins", ()))
        return cls(**data)
