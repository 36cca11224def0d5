"""check-rulebook: the built-in rulebook passes; broken overlays are caught, with examples."""

from pathlib import Path

import pytest

import ssreg
from ssreg.cli.main import main
from ssreg.testing.lint import check_rulebook


LABEL = 'label = { en = "x", fr = "x", es = "x" }'


def overlay(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "overlay.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_builtin_rulebook_passes():
    report = check_rulebook(ssreg.default_rulebook(), examples=60)
    assert report.ok, report.text()
    assert report.tables >= 8


def test_a_gap_and_a_shadowed_rule_are_caught_with_an_example(tmp_path):
    path = overlay(tmp_path, f"""
[[rules]]
id = "route.online.first_time_international"
disabled = true

[[rules]]
id = "route.cpam.born_in_paris"
decision = "route"
priority = 65
outcome = {{ route = "cpam" }}
start = 2018-09-01
citations = ["seed:registration"]
{LABEL.replace("label", "label")}
[rules.when]
all = [{{ fact = "born_in_france", op = "==", value = true }}, {{ fact = "age", op = ">", value = 20 }}]
""")
    book = ssreg.load_rulebook(path, base=ssreg.default_rulebook())
    report = check_rulebook(book, examples=60, invariants=False)
    kinds = {(f.kind, f.where) for f in report.findings}
    assert ("gap", "decision 'route'") in kinds
    assert any(k == "never_fires" and "born_in_paris" in w for k, w in kinds)
    gap = next(f for f in report.findings if f.kind == "gap")
    assert gap.example  # a counter-example a person can read
    assert "example:" in report.text()


def test_the_command_exits_1_on_findings_and_2_on_a_rulebook_that_does_not_load(tmp_path,
                                                                                   capsys):
    assert main(["check-rulebook", "--examples", "30"]) == 0
    gap = overlay(tmp_path, """
[[rules]]
id = "route.online.first_time_international"
disabled = true
""")
    assert main(["check-rulebook", str(gap), "--examples", "30"]) == 1
    assert "[gap]" in capsys.readouterr().out
    broken = overlay(tmp_path, f"""
[parameters."daily_charge"]
type = "decimal"
unit = "EUR"
{LABEL}
[[parameters."daily_charge".values]]
start = 2018-09-01
end = 2019-12-31
value = 20
citations = ["H3"]
""")
    code = main(["check-rulebook", str(broken)])
    err = capsys.readouterr().err
    assert code == 2 and "has no value" in err


def test_the_loader_refuses_a_rule_that_outlives_its_parameters(tmp_path):
    path = overlay(tmp_path, f"""
[parameters."base.gp_teleconsultation"]
type = "decimal"
unit = "EUR"
{LABEL}
[[parameters."base.gp_teleconsultation".values]]
start = 2024-12-22
value = 25
citations = ["G8"]
""")
    with pytest.raises(ssreg.RulebookError) as info:
        ssreg.load_rulebook(path, base=ssreg.default_rulebook())
    message = info.value.details()
    assert "claim_base.gp_teleconsultation" in message
    assert "base.gp_teleconsultation" in message and "2018-09-15..2024-12-21" in message


def test_an_unknown_value_in_a_rule_is_refused(tmp_path):
    path = overlay(tmp_path, f"""
[[rules]]
id = "claim_base.gynecology"
decision = "claim_base"
priority = 31
outcome = {{ base_key = "base.specialist_gynaecology" }}
start = 2023-11-01
citations = ["AS4"]
{LABEL}
[rules.when]
all = [{{ fact = "specialty", op = "==", value = "gynecology" }}]
""")
    with pytest.raises(ssreg.RulebookError, match="'gynecology' is not a known value"):
        ssreg.load_rulebook(path, base=ssreg.default_rulebook())


def test_no_claim_of_a_known_care_type_is_refused_from_2018_to_today():
    """Every care type prices on every date a rule changes (no NoValueInForce)."""
    book = ssreg.default_rulebook()
    days = sorted({r.start for r in book.rules} | {ssreg.rulebook.rulebook.FAR_FUTURE.replace(
        year=2026, month=11, day=28)})
    for day in days:
        for care in book.values_of("care"):
            claim = {"care": care, "date": day.isoformat(), "billed": "150", "age": 30,
                     "medicine_class": "major" if care == "medicine" else None}
            for sector in book.values_of("sector"):
                result = ssreg.price_claim({**claim, "sector": sector})
                assert result.amo + result.top_up + result.patient == result.billed
