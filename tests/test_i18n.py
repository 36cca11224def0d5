"""French and Spanish texts contain no English and no raw code, whatever is rendered."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import cases, claims, dossiers
from ssreg.testing.textlint import ENGLISH as ENGLISH_WORDS
from ssreg.testing.textlint import lint_text


ROOT = Path(__file__).parent.parent
ENGLISH = sorted(ENGLISH_WORDS)


def foreign_words(text: str) -> list[str]:
    """English words and raw codes in a French or Spanish text (the linter's findings)."""
    return [f for f in lint_text(text, "fr") if f.startswith(("English", "raw code"))]


def findings(text: str, lang: str) -> list[str]:
    """Everything the text linter finds (typography, English, codes, mechanical sentences)."""
    return lint_text(text, lang)


def texts(decision: ssreg.Decision, lang: str) -> list[str]:
    data = decision.to_dict(lang)
    out = [decision.summary(lang), decision.explain(lang).split("\nSources")[0]
           .split("\nFuentes")[0], decision.checklist_text(lang)]

    def labels(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("label", "status_label", "text", "needs", "actor_label", "reasons",
                           "kind_label", "document_status_label", "missing_labels",
                           "requirement_labels", "allowed_event_labels", "outcome_labels",
                           "care_label", "deduction_label", "flat_charge_label",
                           "rule_labels", "assumption_labels", "warning_labels",
                           "one_of_labels", "rule_label", "blocked_step_label",
                           "stage_label", "event_label"):
                    out.extend(json.dumps(value, ensure_ascii=False) if not isinstance(
                        value, str) else [value])
                else:
                    labels(value)
        elif isinstance(node, list):
            for item in node:
                labels(item)

    labels({k: v for k, v in data.items() if k != "citations"})
    return out


def check(decision: ssreg.Decision) -> None:
    for lang in ("en", "fr", "es"):
        for text in texts(decision, lang):
            assert not findings(text, lang), (lang, findings(text, lang), text[:500])


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "cases").glob("*.json")),
                         ids=lambda p: p.stem)
def test_examples_in_french_and_spanish(path):
    if path.name == "malformed.json":
        return
    check(ssreg.evaluate(json.loads(path.read_text(encoding="utf-8")), on="2026-09-15"))


@settings(max_examples=25)
@given(cases(), st.sampled_from(["2025-03-10", "2026-09-15", "2027-01-10"]))
def test_generated_cases(case, on):
    try:
        decision = ssreg.evaluate(case, on=on)
    except ssreg.SsregError:
        return
    check(decision)


@settings(max_examples=15)
@given(dossiers())
def test_generated_dossiers(dossier):
    check(ssreg.evaluate(dossier, on="2026-11-01"))


@settings(max_examples=40)
@given(claims())
def test_claim_explanations(claim):
    try:
        result = ssreg.price_claim(claim)
    except ssreg.SsregError:
        return
    for lang in ("en", "fr", "es"):
        text = result.explain(lang)
        assert not findings(text, lang), (lang, findings(text, lang), text)


def test_every_finding_detail_in_three_languages():
    from ssreg.texts import catalogue

    messages = dict(catalogue())
    # a priced claim's assumptions are rule data, beside the claim facts they name
    messages.update((k, v) for k, v in ssreg.default_rulebook().vocabulary.items()
                    if k.startswith("assumption."))
    details = [k for k in messages if k.startswith(("detail.", "status.", "notice.",
                                                    "assumption.", "asking.", "interview."))]
    assert len(details) > 20
    assert sum(k.startswith("assumption.") for k in details) > 20
    for key in details:
        for lang in ("fr", "es"):
            template = re.sub(r"\{\w+\}", "", messages[key][lang])
            assert not foreign_words(template), (key, lang)


def test_the_detector_catches_english_and_codes():
    assert foreign_words("Pièce manquante: the passport")
    assert foreign_words("choix quebec_form_policy = exempt")
    assert foreign_words("arrondi ROUND_HALF_UP")
    assert not foreign_words("Inscrivez-vous en ligne sur etudiant-etranger.ameli.fr")
