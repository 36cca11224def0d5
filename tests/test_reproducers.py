"""Each reproducer of issue 19 ("Words a student can trust") gives the expected text or
exit status; and every condition a student may be told about has its sentences."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ssreg
from ssreg.cli.main import main
from ssreg.rulebook import conditions as cond
from ssreg.rulebook.reasons import EXPLAINED_SCOPES
from ssreg.testing.textlint import lint_text


ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
N = "\u202f"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- summaries


def test_a_finished_dossier_has_nothing_left_to_do():
    out = subprocess.run([sys.executable, str(EXAMPLES / "student_journey.py")],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    tail = out.rstrip().splitlines()[-3:]
    assert tail[:2] == ["Where you are: Complete: registered, carte Vitale and médecin traitant",
                        "What to do: Optional: activate the carte Vitale app on your phone"]
    assert "Register online" not in "\n".join(tail)


@pytest.mark.parametrize(("lang", "heading", "label"), [
    ("fr", "Ce qui bloque", "Une adresse postale en France est obligatoire pour s'inscrire"),
    ("en", "What blocks", "A postal address in France is mandatory to register"),
    ("es", "Qué lo impide", "Una dirección postal en Francia es obligatoria para inscribirse"),
])
def test_a_block_is_said_once_without_a_prefix(capsys, lang, heading, label):
    code, out, _ = run(capsys, "evaluate", EXAMPLES / "cases" / "no_address.json", "--on",
                       "2026-09-15", "--summary", "--lang", lang)
    colon = f"{N}: " if lang == "fr" else ": "
    assert code == 0 and f"{heading}{colon}{label}\n" in out
    for word in ("Bloquant", "Blocking", "Blocked", "Bloqueo"):
        assert word not in out
    assert not lint_text(out, lang)


# --------------------------------------------------------------------------- reasons


def test_reasons_read_like_a_person_and_done_steps_are_done():
    dossier = json.loads((EXAMPLES / "dossiers" / "brazil_in_progress.json").read_text())
    decision = ssreg.evaluate(dossier, on="2026-09-01")
    for lang in ("en", "fr", "es"):
        text = decision.explain(lang)
        assert not lint_text(text, lang), lint_text(text, lang)
        refused = text.split("\n\n")[2] if lang else ""
        assert "compte créé sur le site étudiant vaut" not in refused
    flow = decision.workflow
    done = next(r for r in flow.refused_events if r.event == "account_created")
    assert done.done and "account_created" not in "\n".join(
        line for line in decision.explain("en").splitlines() if line.startswith("  - acc"))
    fr = decision.explain("fr")
    assert "Il vous faut d'abord votre numéro de sécurité sociale définitif" in fr
    assert "Pas encore possible" in fr and "compte créé sur le site étudiant :" not in fr


def test_every_condition_a_student_may_read_has_its_sentences_in_three_languages():
    book = ssreg.default_rulebook()
    env = {"nationality": "BR", "academic_year_end": None, "ehic_expiry": None}
    counted = 0
    for rule in book.rules:
        if book.decisions[rule.decision].scope not in EXPLAINED_SCOPES:
            continue
        for compare, negated in cond.signed_comparisons(rule.when):
            failure = cond.Failure(kind=compare.kind, name=compare.name, op=compare.op,
                                   required=compare.value, actual=None, negated=negated)
            reason = book.reason(failure.reason_key, failure.subject)
            assert reason is not None, (rule.id, failure.reason_key)
            from ssreg.output.reasons import reason_text

            for lang in ("en", "fr", "es"):
                assert reason.text[lang].strip()
                shown = reason_text(book, failure, env, lang)
                assert "{" not in shown and not _mechanical(shown), (rule.id, shown)
            counted += 1
    assert counted >= 150


def _mechanical(text):
    return any(f.startswith("a mechanical") for f in lint_text(text, "en"))


def test_a_long_disputed_choice_is_one_short_sentence():
    decision = ssreg.evaluate(json.loads((EXAMPLES / "cases" / "no_address.json").read_text()),
                              on="2026-09-15")
    lines = decision.explain("fr").splitlines()
    i = next(n for n, line in enumerate(lines) if "Selon le guide d'origine" in line)
    reasons = lines[i + 1]
    assert len(reasons.split()) < 45 and "requis" not in reasons


# --------------------------------------------------------------------------- languages


def test_a_refused_event_speaks_french_and_exits_1(capsys, tmp_path):
    dossier = tmp_path / "d.json"
    shutil.copy(EXAMPLES / "dossiers" / "brazil_in_progress.json", dossier)
    code, out, err = run(capsys, "apply", dossier, EXAMPLES / "events" /
                         "carte_vitale_too_early.json", "--lang", "fr")
    assert code == 1 and out == ""
    assert err.startswith(f"ssreg{N}: refusé{N}: «{N}carte Vitale commandée{N}» n'est pas "
                          "possible maintenant.")
    assert "number_status" not in err and "required" not in err


def test_nir_answers_in_the_language(capsys):
    code, out, _ = run(capsys, "nir", "295109912611193", "--lang", "fr")
    assert code == 0 and out.startswith(f"295109912611193{N}: valide (définitif)")
    code, out, _ = run(capsys, "nir", "295109912611194", "--lang", "es")
    assert code == 1 and "no válido" in out and "clave errónea" in out


def test_batch_problems_rules_and_the_price_table_in_french(capsys):
    code, out, _ = run(capsys, "batch", EXAMPLES / "cases" / "batch.jsonl", "--on",
                       "2026-09-15", "--lang", "fr")
    bad = json.loads(out.splitlines()[2])["problems"]
    assert code == 1 and all("attendu" in p["text"] for p in bad)
    code, out, _ = run(capsys, "rules", "route.cpam", "--lang", "fr")
    assert code == 0 and "Né(e) en France" in out
    code, out, _ = run(capsys, "price", EXAMPLES / "claims" / "year_of_care.csv", "--lang", "fr")
    assert code == 0 and "reste à charge" in out and "consultation de médecin" in out
    assert "gp_consultation" not in out and "30,00" in out
    assert not [f for f in lint_text(out, "fr") if not f.startswith("French typography")]


# --------------------------------------------------------------------------- what is said


def test_the_private_insurance_route_holds_up_no_step():
    decision = ssreg.evaluate(json.loads((EXAMPLES / "cases" / "short_stay.json").read_text()),
                              on="2026-09-15")
    assert decision.route == "private_insurance"
    assert decision.checklist.blocked_step is None
    assert "provisional" not in decision.explain("en").lower().split("documents")[1][:400]


def test_the_assurance_maladie_steps_say_who_acts():
    book = ssreg.default_rulebook()
    for name, step in book.steps.items():
        if step.actor == "cpam":
            assert not step.label["en"].startswith(("Download", "Wait")), name


def test_the_done_list_names_each_document():
    dossier = json.loads((EXAMPLES / "dossiers" / "brazil_in_progress.json").read_text())
    data = ssreg.evaluate(dossier, on="2026-09-01").to_dict("en")
    labels = [d["event_label"] for d in data["workflow"]["done"]
              if d["event"] == "document_uploaded"]
    assert labels and len(set(labels)) == len(labels)
    assert all(" – " in label for label in labels)


# --------------------------------------------------------------------------- typography


def test_french_typography_and_sources_in_their_own_language():
    result = ssreg.price_claim({"care": "gp_consultation", "date": "2025-03-10",
                                "billed": "30", "age": 22, "referent_doctor_declared": True})
    text = result.explain("fr")
    assert f"30,00\u00a0€{N}; taux{N}: 70\u00a0%" in text
    assert "depuis le 1er" in text or "depuis le" in text
    assert not lint_text(text, "fr")
    decision = ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
                                           "country_of_birth": "BR"}}, on="2026-09-15")
    fr = decision.explain("fr")
    assert "depuis le 1er septembre 2018" in fr and ". :" not in fr and ".\u202f:" not in fr
    assert "Seed guide" not in fr and "Le guide d'inscription d'origine (en anglais)" in fr
    assert "La guía de inscripción original (en inglés)" in decision.explain("es")


# --------------------------------------------------------------------------- exit statuses


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["test", "nope.toml"], 2, "nope.toml: cannot read"),
    (["parameters", "participation_forfaitair"], 0, ""),
    (["parameters", "partcipation"], 2, "no parameter name contains 'partcipation' "
                                        "(did you mean '"),
    (["rules", "--on", "2010-01-01"], 2, "no rule is in force on 2010-01-01"),
    (["rules", "route.cpm"], 2, "did you mean 'route.cpam'?"),
    (["schema", "nope"], 2, "unknown schema 'nope'"),
    (["schema", "decison"], 2, "did you mean 'decision'?"),
    (["evaluate", EXAMPLES / "cases" / "brazil_first_time.json", "--on", "2026-09-15", "--set",
      "participation_forfaitair=3"], 2, "did you mean 'participation_forfaitaire'?"),
])
def test_exit_statuses_and_did_you_mean(capsys, argv, code, message):
    got, _, err = run(capsys, *argv)
    assert got == code, err
    assert message in err
    assert "Traceback" not in err and "Error:" not in err and "Errno" not in err


def test_writing_into_a_missing_folder_is_a_clear_error(capsys):
    code, _, err = run(capsys, "apply", EXAMPLES / "dossiers" / "brazil_in_progress.json",
                       EXAMPLES / "events" / "provisional_certificate.json", "-o",
                       "/no/such/folder/d.json")
    assert code == 2 and err.strip() == ("ssreg: error: /no/such/folder/d.json: no such "
                                         "folder: /no/such/folder")


def test_several_problems_are_several_lines_never_see_details(capsys, tmp_path):
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"student": {"birth_date": "x", "nationality": "XX",
                                            "country_of_birth": "YY"}}))
    code, _, err = run(capsys, "evaluate", case, "--on", "2026-09-15", "--lang", "es")
    assert code == 2 and len(err.splitlines()) == 3
    assert ".details()" not in err and "se esperaba" in err


def test_the_documented_exit_statuses_are_the_same_everywhere():
    statuses = "0 done; 1 done, but refused or failed"
    from ssreg.cli import main as cli

    assert statuses in cli.EPILOG
    for doc in ("README.md", "docs/workflow.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        for wrong in re.findall(r"refus\w* \w+ exits? (?:with )?(?:status )?2", text):
            pytest.fail(f"{doc}: {wrong}")


# --------------------------------------------------------------------------- weight


@pytest.mark.parametrize("lang", [None, "en", "fr", "es"])
def test_the_compact_form_is_at_most_a_tenth_of_the_full_one(lang):
    student = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR"}
    decision = ssreg.evaluate({"student": student}, on="2026-09-15")  # the README's student
    full = len(json.dumps(decision.to_dict(lang), ensure_ascii=False))
    compact = len(json.dumps(decision.to_dict(lang, form="compact"), ensure_ascii=False))
    assert compact * 10 <= full, (compact, full)


def test_the_dossier_command_says_each_heading_once(capsys):
    from ssreg.texts import catalogue

    for lang in ("en", "fr", "es"):
        code, out, _ = run(capsys, "dossier", EXAMPLES / "dossiers" / "brazil_in_progress.json",
                           "--on", "2026-09-01", "--lang", lang)
        heads = [v[lang] for k, v in catalogue().items() if k.startswith(("summary.", "word."))]
        assert code == 0 and not lint_text(out, lang, headings=heads), lint_text(out, lang)
