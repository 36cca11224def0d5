"""Generated docs stay in sync with the code."""

from pathlib import Path

import ssreg
from ssreg._catalogue import render_catalogue


ROOT = Path(__file__).parent.parent


def test_rule_catalogue_is_up_to_date():
    expected = render_catalogue(ssreg.default_rulebook())
    actual = (ROOT / "docs" / "rules-catalogue.md").read_text(encoding="utf-8")
    assert actual == expected, "run: ssreg catalogue > docs/rules-catalogue.md"


def test_catalogue_lists_every_rule_and_citation():
    text = render_catalogue(ssreg.default_rulebook())
    for rule in ssreg.default_rulebook().rules:
        assert f"`{rule.id}`" in text
