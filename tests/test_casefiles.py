"""The case runner cannot pass by accident: unknown keys are refused, a file must check
something, citations can be expected, and --json, --coverage and --record work."""

import json
import shutil
from pathlib import Path

import pytest

import ssreg
from ssreg.cli.main import main, parser
from ssreg.testing import coverage, run_case_file


CASES = Path(__file__).parent / "cases"
HEAD = '''name = "A Brazilian student registers online"
on = 2026-09-15
sources = ["R1"]
[input.student]
birth_date = "2004-03-01"
nationality = "BR"
country_of_birth = "BR"
address_in_france = "12 rue des Écoles, 75005 Paris"
stay_months = 10
enrolled_in_french_institution = true
previously_affiliated = false
salaried = false
andorran_insured = false
quebec_form = "none"
'''


def _case(tmp_path: Path, text: str, name: str = "case.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "hint"), [
    ('[expected]\nrout = "online"\n', "expected.rout: unknown key; did you mean 'route'?"),
    ("[expected.checklist]\nstatuss = { identity = \"missing\" }\n",
     "expected.checklist.statuss: unknown key; did you mean 'status'?"),
    ('[expected.workflow]\nstag = "complete"\n', "did you mean 'stage'?"),
    ('[[expected.claims]]\namount = "7.00"\n', "expected.claims[0].amount: unknown key"),
])
def test_misspelt_expectations_are_refused(tmp_path, text, hint):
    outcome = run_case_file(_case(tmp_path, text))
    assert not outcome.passed
    assert hint in outcome.differences[0]


@pytest.mark.parametrize("text", ["", "[expected]\n", "[expected]\nfired = []\n",
                                  "[expected.checklist]\n"])
def test_a_file_that_checks_nothing_fails(tmp_path, text):
    outcome = run_case_file(_case(tmp_path, text))
    assert not outcome.passed
    assert "checks nothing" in outcome.differences[0]


def test_expected_citations_must_be_carried(tmp_path):
    passing = run_case_file(_case(tmp_path, '[expected]\nroute = "online"\n'
                                            'citations = ["R1"]\n'))
    assert passing.passed, passing.differences
    failing = run_case_file(_case(tmp_path, '[expected]\ncitations = ["LF4"]\n'))
    assert failing.differences == (
        failing.differences[0],) and failing.differences[0].startswith(
            "citations: 'LF4' is not cited")


def test_a_claim_must_carry_its_expected_citations(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text('''name = "A box of medicine in 2026 carries the 2024 franchise décret"
on = 2026-03-10
sources = ["LF4"]
[[claims]]
care = "medicine"
medicine_class = "major"
date = "2026-03-10"
billed = "10.00"
age = 22
person = "a"
[[expected.claims]]
deduction = "1.00"
citations = ["LF4", "F1"]
''', encoding="utf-8")
    assert run_case_file(path).passed
    text = path.read_text(encoding="utf-8").replace('["LF4", "F1"]', '["LF5"]')
    path.write_text(text, encoding="utf-8")
    assert run_case_file(path).differences[0].startswith("claims[0].citations:")


def test_json_report_as_documented(tmp_path, capsys):
    good = _case(tmp_path, '[expected]\nroute = "online"\n', "good.toml")
    _case(tmp_path, '[expected]\nroute = "cpam"\n', "bad.toml")
    assert main(["test", str(tmp_path), "--json", "--coverage"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["passed"], data["failed"]) == (1, 1)
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path[str(good)]["passed"] and by_path[str(good)]["checks"] == 1
    assert by_path[str(tmp_path / "bad.toml")]["differences"] == ["route: 'online' != 'cpam'"]
    assert "route.online.first_time_international" not in data["coverage"]["never_fired"]
    assert data["coverage"]["rules"] == len({r.id for r in ssreg.default_rulebook().rules})


def test_record_writes_expectations_that_then_pass(tmp_path, capsys):
    picked = [CASES / "route" / "brazil_first_time.toml", CASES / "dossier" / "online_start.toml",
              CASES / "reimbursement" / "gp_30_in_pathway.toml"]
    for source in picked:
        assert source.exists(), source
        shutil.copy(source, tmp_path / source.name)
        # the expectations are wrong: recording replaces them with the answers
        text = (tmp_path / source.name).read_text(encoding="utf-8")
        (tmp_path / source.name).write_text(text.replace('"online"', '"cpam"', 1),
                                            encoding="utf-8")
    assert main(["test", str(tmp_path), "--record", "-q"]) == 0
    assert "review them" in capsys.readouterr().err
    for source in picked:
        recorded = (tmp_path / source.name).read_text(encoding="utf-8")
        assert recorded.count("[expected") >= 1
        assert recorded.startswith(source.read_text(encoding="utf-8")[:40])
        outcome = run_case_file(tmp_path / source.name)
        assert outcome.passed, (source.name, outcome.differences)
        assert outcome.checks > 3


def test_coverage_names_what_no_file_reached(tmp_path):
    outcome = run_case_file(_case(tmp_path, '[expected]\nroute = "online"\n'))
    found = coverage(ssreg.default_rulebook(), [outcome])
    assert "route.online.first_time_international" not in found.never_fired
    assert "claim_rate.optics" in found.never_fired
    assert "rate.optics" in found.never_read
    assert found.text().startswith("coverage: ")


def test_engine_and_rules_options_are_explained():
    text = parser()._subparsers._group_actions[0].choices["test"].format_help()  # type: ignore[union-attr]
    for option in ("--engine", "--rules", "--json", "--coverage", "--record"):
        line = text[text.index(option):].split("\n\n")[0]
        assert len(line.split()) > 3, line


def test_record_replaces_an_inline_expectation(tmp_path):
    path = tmp_path / "inline.toml"
    path.write_text(HEAD.replace('sources = ["R1"]\n',
                                 'sources = ["R1"]\nexpected = { route = "cpam" }\n'),
                    encoding="utf-8")
    assert not run_case_file(path).passed
    assert main(["test", str(path), "--record", "-q"]) == 0
    text = path.read_text(encoding="utf-8")
    assert "expected = {" not in text and 'route = "online"' in text
    assert run_case_file(path).passed
