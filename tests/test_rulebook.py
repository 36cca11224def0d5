"""Loading and checking rulebooks: every problem reported with its file and key."""

from datetime import date
from pathlib import Path

import pytest

import ssreg
from ssreg.rulebook import facts as _facts
from ssreg.rulebook.rulebook import LANGUAGES


def write(tmp_path: Path, text: str, name: str = "extra.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


LABEL = 'label = { en = "x", fr = "x", es = "x" }'


class TestBuiltinRulebook:
    def test_every_rule_is_cited_trilingual_and_dated(self):
        book = ssreg.default_rulebook()
        assert len(book.rules) >= 10
        for rule in book.rules:
            assert rule.citations, rule.id
            assert all(key in book.sources for key in rule.citations), rule.id
            assert all(rule.label[lang].strip() for lang in LANGUAGES), rule.id
            assert rule.start >= date(2000, 1, 1), rule.id

    def test_every_parameter_value_is_cited(self):
        for param in ssreg.default_rulebook().parameters.values():
            for value in param.values:
                assert value.citations, param.name
            starts = [v.start for v in param.values]
            assert starts == sorted(starts)
            for prev, nxt in zip(param.values, param.values[1:], strict=False):
                assert prev.end < nxt.start, param.name

    def test_choices_cite_both_sides(self):
        book = ssreg.default_rulebook()
        disputed = ["quebec_form_policy", "ghic_policy", "top_up_policy", "translation_policy",
                    "iban_policy"]
        for param in (book.parameters[name] for name in disputed):
            assert param.options
            assert param.alternatives, f"{param.name}: the other side of the dispute is cited"

    def test_derived_facts_match_the_implementation(self):
        book = ssreg.default_rulebook()
        declared = {n for n, f in book.facts.items() if f.kind == "derived"}
        assert declared >= _facts.DERIVED_STUDENT_FACTS
        for name in declared:
            assert book.facts[name].citations, name

    def test_loading_twice_gives_equal_rulebooks(self):
        a = ssreg.load_rulebook(ssreg.builtin_rules_dir())
        b = ssreg.load_rulebook(ssreg.builtin_rules_dir())
        assert a == b
        assert a is not b
        assert a.fingerprint == b.fingerprint


class TestProblemsAreReported:
    def problems(self, tmp_path: Path, text: str) -> list[str]:
        path = write(tmp_path, text)
        with pytest.raises(ssreg.RulebookError) as info:
            ssreg.load_rulebook(path, base=ssreg.default_rulebook())
        return [str(p) for p in info.value.problems]

    def rule(self, when: str, **extra: str) -> str:
        fields = {"id": '"inst.x"', "decision": '"route"', "priority": "1",
                  "outcome": '{ route = "online" }', "start": "2020-01-01",
                  "citations": '["R1"]'} | extra
        body = "\n".join(f"{k} = {v}" for k, v in fields.items())
        return f"[[rules]]\n{body}\n{LABEL}\n[rules.when]\n{when}\n"

    def test_unknown_fact(self, tmp_path):
        found = self.problems(tmp_path, self.rule('all = [{ fact = "shoe_size", op = ">", value = 3 }]'))
        assert any("extra.toml:rules[0]" in p and "unknown fact 'shoe_size'" in p for p in found)

    def test_unknown_operator(self, tmp_path):
        found = self.problems(tmp_path, self.rule('all = [{ fact = "age", op = "~=", value = 3 }]'))
        assert any("rules[0].when.all[0].op" in p and "unknown operator" in p for p in found)

    def test_wrong_value_type(self, tmp_path):
        found = self.problems(tmp_path, self.rule('all = [{ fact = "age", op = ">", value = "old" }]'))
        assert any("'age' is int" in p for p in found)

    def test_missing_citation(self, tmp_path):
        found = self.problems(tmp_path, self.rule("all = []", citations="[]"))
        assert any("rules[0].citations" in p and "without citation" in p for p in found)

    def test_unknown_source(self, tmp_path):
        found = self.problems(tmp_path, self.rule("all = []", citations='["Z9"]'))
        assert any("unknown source 'Z9'" in p for p in found)

    def test_missing_translation(self, tmp_path):
        text = self.rule("all = []").replace(LABEL, 'label = { en = "x", fr = "x" }')
        found = self.problems(tmp_path, text)
        assert any("rules[0].label.es" in p and "missing translation" in p for p in found)

    def test_overlapping_periods(self, tmp_path):
        text = (self.rule("all = []", end="2021-12-31")
                + self.rule("all = []", start="2021-06-01"))
        found = self.problems(tmp_path, text)
        assert any("overlapping periods" in p for p in found)

    def test_parameter_value_without_citation(self, tmp_path):
        text = f"""
[parameters.fee]
type = "decimal"
unit = "EUR"
{LABEL}
[[parameters.fee.values]]
start = 2020-01-01
value = 1.50
"""
        found = self.problems(tmp_path, text)
        assert any("extra.toml:parameters.fee.values[0].citations" in p for p in found)

    def test_every_problem_at_once(self, tmp_path):
        text = self.rule('all = [{ fact = "nope", op = "~", value = 1 }]', citations="[]")
        assert len(self.problems(tmp_path, text)) >= 2

    def test_invalid_toml(self, tmp_path):
        found = self.problems(tmp_path, "[[rules]\nid = ")
        assert any("not valid TOML" in p for p in found)

    def test_unknown_top_level_table(self, tmp_path):
        found = self.problems(tmp_path, "[macros]\nx = 1\n")
        assert any("extra.toml:macros" in p for p in found)

    def test_loading_never_executes_code(self, tmp_path):
        marker = tmp_path / "pwned"
        text = self.rule(f'all = [{{ fact = "__import__(\'os\').system(\'touch {marker}\')", '
                         'op = "==", value = 1 }]')
        self.problems(tmp_path, text)
        assert not marker.exists()


class TestOverlay:
    def test_institution_rule_changes_the_outcome(self, tmp_path):
        path = write(tmp_path, """
[[rules]]
id = "institution.exchange_students_private"
decision = "route"
priority = 5
outcome = { route = "private_insurance" }
start = 2025-09-01
citations = ["E5"]
label.en = "Our exchange students of 4 months or less keep private insurance."
label.fr = "Nos étudiants en échange de 4 mois ou moins gardent une assurance privée."
label.es = "Nuestros estudiantes de intercambio de 4 meses o menos mantienen un seguro privado."
[rules.when]
all = [{ fact = "stay_months", op = "<=", value = 4 }]
""")
        case = {"student": {"birth_date": "2003-01-01", "nationality": "US",
                            "country_of_birth": "US", "stay_months": 4,
                            "address_in_france": "x", "enrolled_in_french_institution": True,
                            "previously_affiliated": False, "salaried": False, "andorran_insured": False}}
        assert ssreg.evaluate(case, on="2026-01-10").route == "online"
        book = ssreg.load_rulebook(path, base=ssreg.default_rulebook())
        decision = ssreg.evaluate(case, on="2026-01-10", rulebook=book)
        assert decision.route == "private_insurance"
        assert decision.trace.fired[0].rule == "institution.exchange_students_private"
        # the default rulebook is untouched
        assert ssreg.evaluate(case, on="2026-01-10").route == "online"

    def test_disable_a_rule(self, tmp_path):
        path = write(tmp_path, '[[rules]]\nid = "block.address_in_france"\ndisabled = true\n')
        book = ssreg.load_rulebook(path, base=ssreg.default_rulebook())
        case = {"student": {"birth_date": "2003-01-01", "nationality": "US",
                            "country_of_birth": "US", "stay_months": 10,
                            "enrolled_in_french_institution": True,
                            "previously_affiliated": False, "salaried": False, "andorran_insured": False}}
        assert ssreg.evaluate(case, on="2026-01-10").blocks == ("address_in_france",)
        assert ssreg.evaluate(case, on="2026-01-10", rulebook=book).blocks == ()

    def test_overlay_a_parameter(self, tmp_path):
        path = write(tmp_path, f"""
[parameters.quebec_form_policy]
type = "str"
unit = "choice"
options = ["exempt", "register_online"]
option_labels.exempt = {{ en = "exempt", fr = "dispense", es = "exención" }}
option_labels.register_online = {{ en = "online", fr = "en ligne", es = "en línea" }}
{LABEL}
[[parameters.quebec_form_policy.values]]
start = 2018-09-01
value = "exempt"
citations = ["E5"]
""")
        book = ssreg.load_rulebook(path, base=ssreg.default_rulebook())
        case = {"student": {"birth_date": "2003-01-01", "nationality": "CA",
                            "country_of_birth": "CA", "quebec_form": "SE401-Q-106",
                            "address_in_france": "x", "stay_months": 10,
                            "enrolled_in_french_institution": True,
                            "previously_affiliated": False, "salaried": False, "andorran_insured": False}}
        assert ssreg.evaluate(case, on="2026-01-10").route == "online"
        assert ssreg.evaluate(case, on="2026-01-10", rulebook=book).route == "no_registration"


class TestDates:
    def test_date_before_every_rule_is_a_clear_error(self):
        case = {"student": {"birth_date": "1998-01-01", "nationality": "US",
                            "country_of_birth": "US"}}
        with pytest.raises(ssreg.NoValueInForce, match="2017-05-01"):
            ssreg.evaluate(case, on="2017-05-01")

    @pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", 20260101, None])
    def test_bad_on_date(self, bad):
        with pytest.raises(ssreg.InvalidCaseError, match="on: expected a date"):
            ssreg.evaluate({"student": {}}, on=bad)
