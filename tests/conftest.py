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
