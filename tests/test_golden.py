"""Golden texts: what a student reads, for every route and stage, in English, French and
Spanish, committed in ``tests/golden/`` so that every change of wording shows in a diff.

Each file holds, per language, the summary, the dossier view (a dossier only) and the
refusal texts of every event not possible at that stage (and the events already done).
Every golden text also passes the text linter.  After a deliberate change of wording:

    SSREG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

and review the diff.
"""

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

import ssreg
from ssreg.output.reasons import refusal_text
from ssreg.output.text import workflow_lines
from ssreg.testing.textlint import lint_text
from ssreg.texts import catalogue


ROOT = Path(__file__).parent.parent
GOLDEN = ROOT / "tests" / "golden"
UPDATE = os.environ.get("SSREG_UPDATE_GOLDEN") == "1"

#: what decides the route of a student coming to study for the year (stated, not assumed)
STUDYING = {"stay_months": 10, "enrolled_in_french_institution": True,
            "previously_affiliated": False, "salaried": False, "andorran_insured": False,
            "quebec_form": "none"}


def _example(name: str) -> ModuleType:
    """A script of ``examples/``, loaded without running its ``main``."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Ana's journey is the one examples/student_journey.py shows, event by event
_ANA = _example("student_journey")
STUDENT, JOURNEY = _ANA.STUDENT, _ANA.JOURNEY

CPAM_STUDENT = {"birth_date": "2004-03-01", "nationality": "FR", "country_of_birth": "FR",
                "address_in_france": "3 place Bellecour, 69002 Lyon", **STUDYING}
CPAM_JOURNEY = [
    {"type": "cpam_contacted", "date": "2026-09-02"},
    {"type": "final_certificate_issued", "date": "2026-09-20", "number": "104037512345633"},
    {"type": "ameli_account_created", "date": "2026-09-21"},
    {"type": "carte_vitale_ordered", "date": "2026-09-21", "photo": True, "id_document": True},
    {"type": "carte_vitale_received", "date": "2026-10-05"},
    {"type": "referent_doctor_declared", "date": "2026-10-12"},
]
GERMAN = {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
          "ehic_expiry": "2027-12-31", "address_in_france": "5 quai de la Fosse, Nantes",
          **STUDYING}
SHORT_STAY = {"birth_date": "2001-11-11", "nationality": "US", "country_of_birth": "US",
              "address_in_france": "1 cours Mirabeau, Aix-en-Provence",
              **STUDYING, "stay_months": 3}
#: a student who has said only who they are: the route is not known yet
NOT_SAID = {"birth_date": "2004-08-30", "nationality": "IN", "country_of_birth": "IN"}
NO_ADDRESS = {**NOT_SAID, **STUDYING}


def dossier(student, events):
    return {"case": {"student": student, "academic_year": "2026-2027"}, "events": events}


#: name -> (input, evaluation date); a dossier has events (possibly none)
SCENARIOS = {
    "case_online": ({"student": STUDENT, "academic_year": "2026-2027"}, "2026-08-20"),
    "case_online_no_address": ({"student": NO_ADDRESS}, "2026-09-15"),
    "case_cpam": ({"student": CPAM_STUDENT}, "2026-09-01"),
    "case_no_registration": ({"student": GERMAN}, "2026-09-15"),
    "case_private_insurance": ({"student": SHORT_STAY}, "2026-09-15"),
    "online_not_started": (dossier(STUDENT, []), "2026-08-20"),
    "online_no_address": (dossier(NO_ADDRESS, []), "2026-09-15"),
    "online_account_created": (dossier(STUDENT, JOURNEY[:1]), "2026-08-25"),
    "online_documents_uploaded": (dossier(STUDENT, JOURNEY[:4]), "2026-08-25"),
    "online_documents_rejected": (dossier(STUDENT, JOURNEY[:5]), "2026-08-28"),
    "online_provisional_certificate": (dossier(STUDENT, JOURNEY[:10]), "2026-09-02"),
    "online_final_certificate": (dossier(STUDENT, JOURNEY[:16]), "2026-10-15"),
    "online_ameli_account": (dossier(STUDENT, JOURNEY[:17]), "2026-10-16"),
    "online_carte_vitale_ordered": (dossier(STUDENT, JOURNEY[:18]), "2026-10-16"),
    "online_carte_vitale_received": (dossier(STUDENT, JOURNEY[:19]), "2026-10-30"),
    "online_complete": (dossier(STUDENT, JOURNEY), "2026-11-05"),
    "cpam_not_started": (dossier(CPAM_STUDENT, []), "2026-09-01"),
    "cpam_contacted": (dossier(CPAM_STUDENT, CPAM_JOURNEY[:1]), "2026-09-02"),
    "cpam_final_certificate": (dossier(CPAM_STUDENT, CPAM_JOURNEY[:2]), "2026-09-20"),
    "cpam_complete": (dossier(CPAM_STUDENT, CPAM_JOURNEY), "2026-10-12"),
    "no_registration": (dossier(GERMAN, []), "2026-09-15"),
    "private_insurance": (dossier(SHORT_STAY, []), "2026-09-15"),
    "case_not_said": ({"student": NOT_SAID}, "2026-09-15"),
    "not_said_not_started": (dossier(NOT_SAID, []), "2026-09-15"),
}
#: events refused by what they carry, tried at a stage (the refusal rules' texts)
CONTENT_REFUSALS = {
    "online_ameli_account": [{"type": "carte_vitale_ordered", "date": "2026-10-17"}],
    "online_documents_uploaded": [{"type": "document_rejected", "date": "2026-08-26",
                                   "kind": "passport"}],
}
LANGS = ("en", "fr", "es")


def headings(lang):
    return [v[lang] for k, v in catalogue().items() if k.startswith("summary.")]


def render(name, lang):
    """The texts of a scenario in a language, as the golden file keeps them."""
    data, on = SCENARIOS[name]
    decision = ssreg.evaluate(data, on=on)
    parts = [f"## {lang}: summary", decision.summary(lang)]
    flow = decision.workflow
    if flow is not None:
        env = decision._run.env
        parts += [f"## {lang}: dossier view",
                  "\n".join(workflow_lines(decision.book, flow, env, lang))]
        refusals = [f"- {refusal_text(decision.book, r, env, lang)}"
                    for r in flow.refused_events]
        for event in CONTENT_REFUSALS.get(name, ()):
            try:
                ssreg.apply_event(data, event)
            except ssreg.EventRefused as refused:
                refusals.append(f"- {refused.text(lang)}")
        parts += [f"## {lang}: refusals", "\n".join(refusals) or "-"]
    return parts


def golden_text(name):
    data, on = SCENARIOS[name]
    head = f"# {name}, on {on}: {'dossier' if 'events' in data else 'case'}"
    blocks = [head]
    for lang in LANGS:
        blocks += render(name, lang)
    return "\n\n".join(blocks) + "\n"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden_texts(name):
    path = GOLDEN / f"{name}.txt"
    text = golden_text(name)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file: SSREG_UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: review the new wording, then SSREG_UPDATE_GOLDEN=1 pytest "
        "tests/test_golden.py")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
@pytest.mark.parametrize("lang", LANGS)
def test_golden_texts_pass_the_linter(name, lang):
    parts = render(name, lang)
    for title, text in zip(parts[::2], parts[1::2], strict=True):
        found = lint_text(text, lang, headings=headings(lang) if "summary" in title else ())
        assert not found, (name, title, found)


def test_every_route_and_stage_is_covered():
    stages = {ssreg.evaluate(data, on=on).workflow.stage
              for data, on in SCENARIOS.values() if "events" in data}
    declared = set(ssreg.default_rulebook().values_of("stage"))
    assert declared | {None} == stages, (declared | {None}) ^ stages  # None: not known yet
    routes = {ssreg.evaluate(data, on=on).route for data, on in SCENARIOS.values()}
    assert routes == set(ssreg.default_rulebook().values_of("route")) | {None}
