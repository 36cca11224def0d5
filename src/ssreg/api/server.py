"""``ssreg serve``: the API on uvicorn, one process or several workers sharing a socket.

The socket is bound before the workers start (port 0 picks a free port), and the address
is announced on standard error as ``ssreg serve: listening on http://HOST:PORT``, the
line a test or a supervisor waits for.  The settings are checked and the rulebook loaded
first, so a bad option or overlay stops the command with ssreg's error, before anything
listens.  SIGINT or SIGTERM stops it cleanly: requests in flight are finished (at most
:data:`GRACE` seconds), then the workers and the socket are closed and it exits with 0.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from .settings import ENV, Settings


GRACE = 10
"""Seconds a stopping server lets requests in flight finish."""
FACTORY = "ssreg.api.app:app_from_environment"


def _announce(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          log_level: str = "info", announce: Callable[[str], None] = _announce) -> None:
    """Serve the API until stopped (SIGINT, SIGTERM)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from .app import create_app

    create_app(settings)  # the settings and the rulebook, checked before listening
    os.environ[ENV] = settings.to_json()
    config = uvicorn.Config(FACTORY, factory=True, host=host, port=port, workers=workers,
                            log_level=log_level, access_log=False, server_header=False,
                            proxy_headers=False, timeout_graceful_shutdown=GRACE,
                            lifespan="off")
    sock = config.bind_socket()
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    announce(f"ssreg serve: listening on http://{shown}:{bound_port} "
             f"({workers} worker{'s' if workers > 1 else ''}; stop with Ctrl-C)")
    # uvicorn re-raises the signal that stopped it once it has shut down: a handler of our
    # own makes that a normal return, so the command says so and exits with 0
    stopping = signal.signal(signal.SIGTERM, lambda number, frame: None)
    try:
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
        else:
            uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # SIGINT re-raised by uvicorn after its graceful shutdown
        pass
    finally:
        signal.signal(signal.SIGTERM, stopping)
        sock.close()
    announce("ssreg serve: stopped")
