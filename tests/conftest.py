import os

import pytest
from hypothesis import HealthCheck, settings


# CI: bounded and derandomized so the whole run stays well under its time budget.
settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


#: where the site built for the tests says it will be published
SITE_URL = "https://example.org/ssreg"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site of the built-in rulebook in every language, built once for the session."""
    import ssreg
    from ssreg.site.build import build_site

    return build_site(ssreg.default_rulebook(), tmp_path_factory.mktemp("site"),
                      base_url=SITE_URL)


class ApiServer:
    """``ssreg serve`` in a process of its own on 127.0.0.1, on a free port it announces."""

    def __init__(self, *args: str) -> None:
        import subprocess
        import sys
        import threading
        import time

        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ssreg", "serve", "--host", "127.0.0.1", "--port", "0",
             *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            encoding="utf-8")
        ready = threading.Event()

        def drain() -> None:
            for line in self.process.stderr:
                self.lines.append(line)
                if "listening on" in line:
                    self.url = line.split("listening on ")[1].split()[0]
                if "Application startup complete" in line or "Started server process" in line:
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        ready.wait(timeout=120)
        assert hasattr(self, "url"), "".join(self.lines)
        deadline = time.monotonic() + 120
        import httpx

        while time.monotonic() < deadline:  # every worker answers once it has started
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        self.port = int(self.url.rsplit(":", 1)[1])

    def stop(self) -> int:
        """SIGTERM, as a supervisor stops it; the exit status."""
        import signal

        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=60)
        self.process.stderr.close()
        return status

    @property
    def log(self) -> str:
        return "".join(self.lines)


@pytest.fixture
def serve_api():
    """Start a server of one's own: ``serve_api("--workers", "2")``."""
    started = []

    def start(*args):
        started.append(ApiServer(*args))
        return started[-1]

    yield start
    for server in started:
        if server.process.poll() is None:
            server.stop()


def _stopped_cleanly(server):
    status = server.stop()
    assert status == 0 and "ssreg serve: stopped" in server.log, server.log
    assert "Traceback" not in server.log, server.log


@pytest.fixture(scope="session")
def api_server():
    """The API with its default limits and links to a published site, for the session."""
    server = ApiServer("--base-url", SITE_URL)
    yield server
    _stopped_cleanly(server)


@pytest.fixture(scope="session")
def tight_server():
    """The API on two workers with tiny limits and CORS for one origin."""
    server = ApiServer("--workers", "2", "--max-body", "4096", "--max-claims", "3",
                       "--timeout", "0.001", "--stream-timeout", "0.5",
                       "--cors-origin", "https://portal.example")
    yield server
    _stopped_cleanly(server)


# Every message of an input error raised anywhere in the suite must exist in French and
# Spanish (the catalogue of ssreg.texts): they are recorded as they are raised, and the
# session fails at its end on any left in English.  The problems of rule authors' files (a
# rulebook, a case file: paths "file.toml:key") stay in English (docs/architecture.md).
_RAISED: set[str] = set()


def pytest_configure(config):
    import re

    from ssreg import exceptions

    original = exceptions._ProblemsError.__init__
    authors = re.compile(r"^[^:\s]*\.toml:")

    def recording(self, problems):
        original(self, problems)
        if not isinstance(self, exceptions.RulebookError):
            _RAISED.update(p.message for p in self.problems if not authors.match(p.path))

    exceptions._ProblemsError.__init__ = recording


def untranslated(messages):
    """The messages no template of the catalogue matches (so left in English)."""
    from ssreg import texts

    return [m for m in sorted(messages) if not texts.known(m)]


def pytest_sessionfinish(session, exitstatus):
    missing = untranslated(_RAISED)
    if missing and exitstatus == 0:
        report = "\n  ".join(missing[:50])
        print(f"\n{len(missing)} error message(s) raised by the suite have no French or "
              f"Spanish in the catalogue (ssreg/texts/problems.toml):\n  {report}")
        session.exitstatus = 1


@pytest.fixture(scope="session")
def raised_both_ways():
    """What ``price_frame`` raises on a frame claim by claim, then by columns (``None``
    where it raises nothing): the two must say the same."""
    import ssreg

    def raised(frame, **options):
        errors = []
        for columnar in (False, True):
            try:
                ssreg.price_frame(frame, columnar=columnar, **options)
                errors.append(None)
            except ssreg.SsregError as exc:
                errors.append((type(exc), str(exc), getattr(exc, "problems", None)))
        return errors

    return raised
