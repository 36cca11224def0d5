"""The command line: every subcommand on the examples, one line per problem, no traceback."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ssreg
from ssreg.cli.main import main


ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples" / "cases"
VALID_CASES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "malformed.json")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "route_text"), [
    ("brazil_first_time.json", "Inscrivez-vous en ligne"),
    ("born_in_france.json", "Contactez la CPAM"),
    ("german_ehic.json", "Aucune inscription"),
    ("short_stay.json", "assurance privée"),
])
def test_evaluate_in_french(capsys, name, route_text):
    code, out, _ = run(capsys, "evaluate", EXAMPLES / name, "--on", "2026-09-15", "--lang", "fr")
    assert code == 0
    assert route_text in out
    assert "Sources\u202f:" in out


@pytest.mark.parametrize("case", VALID_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["evaluate", "checklist"])
def test_every_valid_example_through_every_case_command(capsys, case, command):
    for extra in ([], ["--json"], ["--lang", "es"]):
        code, out, err = run(capsys, command, case, "--on", "2026-09-15", *extra)
        assert code == 0, err
        assert out.strip()
        if "--json" in extra:
            json.loads(out)


def test_evaluate_json_and_summary(capsys):
    code, out, _ = run(capsys, "evaluate", EXAMPLES / "no_address.json", "--on", "2026-09-15",
                       "--json", "--lang", "fr")
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "ssreg.decision/3"
    assert data["outcomes"]["blocks"] == ["address_in_france"]
    assert data["outcome_labels"]["blocks"] == [
        "Une adresse postale en France est obligatoire pour s'inscrire"]
    code, out, _ = run(capsys, "evaluate", EXAMPLES / "no_address.json", "--on", "2026-09-15",
                       "--summary", "--lang", "es")
    assert code == 0 and "Qué hacer" in out and len(out.splitlines()) < 15


@pytest.mark.parametrize(("pair", "value"), [
    ("quebec_form_policy=exempt", "no_registration"),
    ("quebec_form_policy=register_online", "online"),
])
def test_set_overrides_a_choice(capsys, pair, value):
    code, out, _ = run(capsys, "evaluate", EXAMPLES / "quebec_form.json", "--on", "2026-09-15",
                       "--set", pair, "--json")
    assert code == 0
    assert json.loads(out)["outcomes"]["route"] == value


def test_typed_set_values(capsys):
    args = ["price", ROOT / "examples" / "claims" / "year_of_care.csv", "--json"]
    code, out, _ = run(capsys, *args, "--set", "participation_forfaitaire=3",
                       "--set", "eu_eea_swiss_countries=DE,FR", "--set",
                       "academic_year_start_month=10")
    assert code == 0
    first = json.loads(out.splitlines()[0])
    assert first["deduction"] == "3.00"
    code, _, err = run(capsys, *args, "--set", "participation_forfaitaire=two")
    assert code == 2 and "overrides.participation_forfaitaire: expected a number" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["evaluate", EXAMPLES / "malformed.json", "--on", "2026-09-15"],
     "student.birth_date: expected a date (YYYY-MM-DD), got '31/02/2004'"),
    (["evaluate", "/no/such/case.json", "--on", "2026-09-15"], "cannot read"),
    (["evaluate", EXAMPLES / "brazil_first_time.json", "--on", "15/09/2026"],
     "--on: expected a date"),
    (["evaluate", EXAMPLES / "brazil_first_time.json", "--on", "2026-09-15",
      "--set", "ghic_policy=maybe"], "overrides.ghic_policy: expected one of"),
    (["evaluate", EXAMPLES / "brazil_first_time.json", "--on", "2017-01-01"],
     "the rules start on 2018-09-01"),
])
def test_errors_are_one_line_per_problem_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert all(line.startswith("ssreg: error: ") for line in err.splitlines())


def test_every_problem_is_printed(capsys, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"student": {"birth_date": "x", "nationality": "XX",
                                            "country_of_birth": "YY"}}))
    code, _, err = run(capsys, "evaluate", case, "--on", "2026-09-15")
    assert code == 2
    assert len(err.splitlines()) == 3


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf" + json.dumps(
    {"student": {"birth_date": "2004-03-01", "nationality": "BR",
                 "country_of_birth": "BR"}}).encode(), b"\xff\xfe\x00{", b"[" * 100_000,
    b"", b"\x00\x01", "{\"student\": {\"birth_date\": \"été\"}}".encode("latin-1")])
def test_any_file_gives_a_decision_or_one_line(capsys, tmp_path, content):
    case = tmp_path / "case.json"
    case.write_bytes(content)
    code, out, err = run(capsys, "evaluate", case, "--on", "2026-09-15")
    assert code in (0, 2)
    assert "Traceback" not in err
    if code == 0:
        assert "Decision on" in out
    else:
        assert len(err.splitlines()) >= 1 and len(err) < 5000


def test_dossier_and_apply(capsys, tmp_path):
    dossier = tmp_path / "dossier.json"
    shutil.copy(ROOT / "examples" / "dossiers" / "brazil_in_progress.json", dossier)
    code, out, _ = run(capsys, "dossier", dossier, "--on", "2026-09-01", "--lang", "fr")
    assert code == 0 and "Compte créé" in out and "Envoyez vos pièces" in out
    before = dossier.read_text()
    code, _, err = run(capsys, "apply", dossier,
                       ROOT / "examples" / "events" / "carte_vitale_too_early.json")
    assert code == 1 and "ssreg: refused: “carte Vitale ordered” is not possible now" in err
    assert dossier.read_text() == before  # a refused event changes nothing
    code, _, _ = run(capsys, "apply", dossier,
                     ROOT / "examples" / "events" / "provisional_certificate.json")
    assert code == 0
    assert ssreg.load_dossier(dossier).events[-1].type == "provisional_certificate_issued"
    code, out, _ = run(capsys, "dossier", dossier, "--on", "2026-09-03", "--json")
    assert json.loads(out)["workflow"]["number_status"] == "provisional"


def test_price_formats_and_a_broken_line(capsys):
    claims = ROOT / "examples" / "claims"
    code, out, _ = run(capsys, "price", claims / "with_a_broken_line.jsonl", "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # done, with refused lines reported
    assert [line["ok"] for line in lines] == [True, False, False, True]
    assert lines[1]["where"] == "line 2" and "not valid JSON" in lines[1]["problems"][0][
        "message"]
    assert lines[2]["problems"][0]["path"] == "line 3.care"
    code, out, _ = run(capsys, "price", claims / "year_of_care.csv", "--lang", "fr")
    assert code == 0 and "total" in out


def test_batch_reports_a_bad_line_and_goes_on(capsys):
    code, out, _ = run(capsys, "batch", EXAMPLES / "batch.jsonl", "--on", "2026-09-15")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [line["line"] for line in lines] == [1, 2, 3, 4]
    assert [line["ok"] for line in lines] == [True, True, False, True]
    assert {p["path"] for p in lines[2]["problems"]} == {"student.birth_date",
                                                          "student.nationality"}


@pytest.mark.parametrize("argv", [["rules"], ["rules", "--on", "2026-03-01", "--json"],
                                  ["parameters", "--on", "2026-03-01"],
                                  ["parameters", "daily_charge", "--json", "--lang", "es"],
                                  ["catalogue"], ["diagram", "--lang", "fr"],
                                  ["schema", "decision"], ["nir", "295109912611193"]])
def test_rulebook_commands(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.strip()


def test_parameters_browser_shows_value_period_sources_uncertainty(capsys):
    code, out, _ = run(capsys, "parameters", "daily_charge", "--on", "2026-03-15", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert rows["daily_charge"]["value"] == "23"
    assert rows["daily_charge"]["start"] == "2026-03-01"
    assert "AH7" in rows["daily_charge"]["citations"]
    code, out, _ = run(capsys, "parameters", "costly_act_flat_charge", "--on", "2026-06-01")
    assert code == 0
    assert "(uncertain)" in out


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert ssreg.__version__ in capsys.readouterr().out
    out = subprocess.run([sys.executable, "-m", "ssreg", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "dossier" in out and "check-rulebook" in out and ":class:" not in out


def test_no_traceback_on_a_crash_of_the_process():
    """Run as users do (a subprocess) with arguments argparse refuses."""
    proc = subprocess.run([sys.executable, "-m", "ssreg", "evaluate"], capture_output=True,
                          text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_questions_of_a_partial_case_as_json_and_text(capsys, tmp_path):
    case = tmp_path / "partial.json"
    case.write_text(json.dumps({"student": {"nationality": "US"}}), encoding="utf-8")
    code, out, _ = run(capsys, "questions", case, "--on", "2026-10-01", "--next", "--json",
                       "--lang", "fr")
    data = json.loads(out)
    assert code == 0 and data["fact"] == "country_of_birth" and data["required"] is True
    assert data["text"] == "Dans quel pays êtes-vous né(e)\u202f?"
    code, out, _ = run(capsys, "questions", EXAMPLES / "german_card_not_said.json", "--on",
                       "2026-10-01", "--json")
    data = json.loads(out)
    assert data[0]["fact"] == "ehic_expiry"
    assert data[0]["answers"][-1] == {**data[0]["answers"][-1], "from": "2027-08-31",
                                      "to": None}
    assert data[0]["answers"][-1]["outcomes"]["route"] == "no_registration"
    code, out, _ = run(capsys, "questions", EXAMPLES / "german_card_not_said.json", "--on",
                       "2026-10-01", "--lang", "es")
    assert code == 0 and "¿Hasta cuándo es válida su tarjeta sanitaria europea?" in out
    code, out, _ = run(capsys, "questions", EXAMPLES / "german_ehic.json", "--on",
                       "2026-10-01", "--next", "--json")
    assert code == 0 and json.loads(out) is None  # nothing left to ask


def test_evaluate_asks_by_default_and_assumes_on_request(capsys):
    case = EXAMPLES / "german_card_not_said.json"
    code, out, _ = run(capsys, "evaluate", case, "--on", "2026-10-01", "--json")
    data = json.loads(out)
    assert code == 0 and data["unknown"] == "ask" and "route" in data["open"]
    code, out, _ = run(capsys, "evaluate", case, "--on", "2026-10-01", "--json", "--assume",
                       "--lang", "fr")
    data = json.loads(out)
    assert data["unknown"] == "assume" and data["outcomes"]["route"] == "online"
    assumed = [a for a in data["assumptions"] if a["code"] == "assumed"]
    assert assumed[0]["values"] == {"fact": "ehic_expiry", "value": "none"}
    assert "supposé, non indiqué" in assumed[0]["text"]


def test_the_price_table_marks_assumptions_and_warnings_and_explains_them(capsys, tmp_path):
    claims = tmp_path / "claims.jsonl"
    claims.write_text("\n".join(json.dumps(c) for c in [
        {"care": "dental", "date": "2025-03-10", "billed": "500", "age": 22},
        {"care": "gp_consultation", "date": "2027-03-10", "billed": "30", "base": "30", "age": 22,
         "referent_doctor_declared": True, "referent_doctor_seen": True, "provider": "dr",
         "sector": "sector_1", "specialty": "general", "emergency": False,
         "away_from_home": False, "ald": False, "css": False, "pregnancy_window": False,
         "contraception": False, "prescribed_by_sector_3": False,
         "emergency_contraception": False}]) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "price", claims, "--lang", "es")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[-1] == "notas"
    assert lines[1].split()[-1].startswith("a1")  # the dental bill rests on assumptions
    assert lines[2].split()[-1] == "w1"          # after the rulebook's horizon
    legend = "\n".join(lines[lines.index("Marcas:"):])
    assert "a1: base de reembolso no indicada" in legend
    assert "w1: fecha de la atención posterior" in legend
