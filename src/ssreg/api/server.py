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
import threading
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
    # a SIGTERM from now on stops the server, whenever it comes (uvicorn's own handler,
    # while it runs, re-raises the signal once it has shut down: this one makes that a
    # normal return, so the command says so and exits with 0)
    stop = threading.Event()
    stopping: list[Callable[[], None]] = [stop.set]
    previous = signal.signal(signal.SIGTERM, lambda number, frame: [f() for f in stopping])
    try:
        _serve(settings, host, port, workers, log_level, announce, stop, stopping)
    except KeyboardInterrupt:  # SIGINT, re-raised by uvicorn after its graceful shutdown
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    announce("ssreg serve: stopped")


def _serve(settings: Settings, host: str, port: int, workers: int, log_level: str,
           announce: Callable[[str], None], stop: threading.Event,
           stopping: list[Callable[[], None]]) -> None:
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
    try:
        sock.listen(config.backlog)  # connections wait in the backlog until a worker is up
        bound_host, bound_port = sock.getsockname()[:2]
        shown = f"[{bound_host}]" if ":" in bound_host else bound_host
        announce(f"ssreg serve: listening on http://{shown}:{bound_port} "
                 f"({workers} worker{'s' if workers > 1 else ''}; stop with Ctrl-C)")
        if workers > 1:
            supervisor = Multiprocess(config, sockets=[sock])
            stopping.append(supervisor.should_exit.set)
            if not stop.is_set():
                supervisor.run()
        else:
            server = uvicorn.Server(config)
            stopping.append(lambda: setattr(server, "should_exit", True))
            if not stop.is_set():
                server.run(sockets=[sock])
    finally:
        sock.close()
