"""``ssreg serve``: the HTTP API (see :mod:`ssreg.api` and docs/api.md)."""

from __future__ import annotations

import argparse

from ..exceptions import InvalidInputError, Problem


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from ..api.server import serve
        from ..api.settings import Settings
    except ImportError as exc:
        raise InvalidInputError([Problem("serve", f"needs the api extra (pip install "
                                                  f"'ssreg[api]'): {exc.name} is missing")]
                                ) from None
    problems = []
    if not 0 <= args.port <= 65535:
        problems.append(Problem("--port", f"expected 0 to 65535, got {args.port}"))
    if not 1 <= args.workers <= 64:
        problems.append(Problem("--workers", f"expected 1 to 64, got {args.workers}"))
    try:
        settings = Settings(rules=tuple(args.rules), base_url=args.base_url, site=args.site,
                            cors_origins=tuple(args.cors_origin), max_body=args.max_body,
                            max_claims=args.max_claims, timeout=args.timeout,
                            stream_timeout=args.stream_timeout)
    except InvalidInputError as exc:
        problems.extend(Problem("--" + p.path.replace("_", "-"), p.message)
                        for p in exc.problems)
    if problems:
        raise InvalidInputError(problems)
    serve(settings, host=args.host, port=args.port, workers=args.workers,
          log_level=args.log_level)
    return 0
