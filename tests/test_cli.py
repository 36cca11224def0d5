"""The command line: one-line errors, non-zero exit, never a traceback."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ssreg._cli import main


EXAMPLES = Path(__file__).parent.parent / "examples" / "cases"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "route_text"), [
    ("brazil_first_time.json", "Inscrivez-vous en ligne"),
    ("born_in_france.json", "Contactez la CPAM"),
    ("german_ehic.json", "Aucune inscription"),
    ("short_stay.json", "assurance privée"),
])
def test_evaluate_in_french(capsys, name, route_text):
    code, out, _ = run(capsys, "evaluate", str(EXAMPLES / name), "--on", "2026-09-15",
                       "--lang", "fr")
    assert code == 0
    assert route_text in out
    assert "Sources :" in out


def test_evaluate_json(capsys):
    code, out, _ = run(capsys, "evaluate", str(EXAMPLES / "no_address.json"), "--on",
                       "2026-09-15", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["schema"] == "ssreg.decision/1"
    assert data["outcomes"]["blocks"] == ["address_in_france"]


def test_set_overrides_a_choice(capsys):
    code, out, _ = run(capsys, "evaluate", str(EXAMPLES / "quebec_form.json"), "--on",
                       "2026-09-15", "--set", "quebec_form_policy=register_online", "--json")
    assert code == 0
    assert json.loads(out)["outcomes"]["route"] == "online"


@pytest.mark.parametrize(("argv", "message"), [
    (["evaluate", str(EXAMPLES / "malformed.json"), "--on", "2026-09-15"],
     "student.birth_date: expected a date (YYYY-MM-DD), got '31/02/2004'"),
    (["evaluate", "/no/such/case.json", "--on", "2026-09-15"], "cannot read"),
    (["evaluate", str(EXAMPLES / "brazil_first_time.json"), "--on", "15/09/2026"],
     "on: expected a date"),
    (["evaluate", str(EXAMPLES / "brazil_first_time.json"), "--on", "2026-09-15",
      "--set", "ghic_policy=maybe"], "overrides.ghic_policy: expected one of"),
])
def test_bad_input_is_one_line(capsys, argv, message):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_not_json(capsys, tmp_path):
    path = tmp_path / "case.json"
    path.write_text("{student: }")
    code, _, err = run(capsys, "evaluate", str(path), "--on", "2026-09-15")
    assert code == 2
    assert "not valid JSON" in err


def test_rules_lists_ids_periods_citations(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    line = next(li for li in out.splitlines() if li.startswith("route.cpam.born_in_france"))
    assert "2018-09-01.." in line
    assert "seed:registration" in line


def test_console_script_is_installed():
    out = subprocess.run([sys.executable, "-m", "ssreg", "rules", "--json"],
                         capture_output=True, text=True, check=True)
    assert any(r["id"] == "block.address_in_france" for r in json.loads(out.stdout))


def test_rules_overlay_on_the_command_line(capsys, tmp_path):
    overlay = tmp_path / "institution.toml"
    overlay.write_text('''
[[rules]]
id = "institution.everyone_private"
decision = "route"
priority = 1
outcome = { route = "private_insurance" }
start = 2025-09-01
citations = ["E5"]
label = { en = "Our programme keeps private insurance.", fr = "Notre programme garde une assurance privée.", es = "Nuestro programa mantiene un seguro privado." }
''', encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(EXAMPLES / "brazil_first_time.json"), "--on",
                       "2026-09-15", "--rules", str(overlay), "--json")
    assert code == 0
    assert json.loads(out)["outcomes"]["route"] == "private_insurance"
