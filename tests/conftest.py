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
