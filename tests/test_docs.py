"""Generated docs stay in sync with the code: catalogue, journey diagrams, JSON Schemas."""

import json
from pathlib import Path

import pytest

import ssreg
from ssreg.output.diagram import render_diagrams
from ssreg.output.schema import SCHEMAS, schema
from ssreg.site.catalogue import render_catalogue


ROOT = Path(__file__).parent.parent


def test_rule_catalogue_is_up_to_date():
    expected = render_catalogue(ssreg.default_rulebook())
    actual = (ROOT / "docs" / "rules-catalogue.md").read_text(encoding="utf-8")
    assert actual == expected, "run: ssreg catalogue > docs/rules-catalogue.md"


def test_catalogue_lists_every_rule_event_and_step():
    book = ssreg.default_rulebook()
    text = render_catalogue(book)
    for name in [*(r.id for r in book.rules), *book.events, *book.steps]:
        assert f"`{name}`" in text


def test_journey_diagrams_are_up_to_date():
    expected = render_diagrams(ssreg.default_rulebook())
    actual = (ROOT / "docs" / "workflow-diagrams.md").read_text(encoding="utf-8")
    assert actual == expected, "run: ssreg diagram > docs/workflow-diagrams.md"


def test_the_online_diagram_walks_the_whole_journey():
    text = render_diagrams(ssreg.default_rulebook())
    online = text.split("## ")[1]
    for stage in ("not_started", "documents_rejected", "provisional_certificate",
                  "final_certificate", "carte_vitale_received", "complete"):
        assert stage in online


@pytest.mark.parametrize("which", SCHEMAS)
def test_published_schemas_are_up_to_date(which):
    path = ROOT / "docs" / "schemas" / f"{which}.schema.json"
    assert json.loads(path.read_text(encoding="utf-8")) == schema(which), (
        f"run: ssreg schema {which} > {path.relative_to(ROOT)}")


def test_the_journey_example_reaches_the_end():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "examples" / "student_journey.py"),
                          "--lang", "es"], capture_output=True, text=True, timeout=300,
                         check=True).stdout
    assert "-> complete" in out
    assert "refused: «carte Vitale pedida» no es posible ahora" in out
    assert out.rstrip().splitlines()[-3] == (
        "Dónde está: Completa: inscripción, carte Vitale y médecin traitant")
    assert out.rstrip().splitlines()[-2].startswith("Qué hacer: ")
    assert "Inscríbase" not in out.rstrip().splitlines()[-2]
