"""The rulebook as a maintained product: one version, a version in every answer, the law
changes generated from the data, and the kind and freshness of every source."""

import json
import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

import ssreg
from ssreg.cli.main import main
from ssreg.exceptions import RulebookError
from ssreg.rulebook.changes import render_law_changes
from ssreg.rulebook.sources import SOURCE_KINDS


ROOT = Path(__file__).resolve().parents[1]
STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR"}


def test_one_version_for_the_package():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^### (\d+\.\d+\.\d+)", changelog, re.MULTILINE)
    assert first is not None and first.group(1) == ssreg.__version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/ssreg/_version.py"


def test_every_answer_names_its_rulebook():
    book = ssreg.default_rulebook()
    decision = ssreg.evaluate({"student": STUDENT, "claims": [
        {"care": "gp_consultation", "date": "2026-03-10", "billed": "30"}]}, on="2026-09-15")
    data = json.loads(json.dumps(decision.to_dict()))
    assert data["rulebook_version"] == book.version.version == "2026.12"
    assert data["rulebook_horizon"] == str(book.meta.horizon)
    assert data["rulebook"] == book.fingerprint
    assert decision.rulebook_version is book.version
    claim = data["reimbursements"]["claims"][0]
    assert (claim["rulebook_version"], claim["rulebook_horizon"]) == (
        data["rulebook_version"], data["rulebook_horizon"])
    batch = list(ssreg.price_claims([{"care": "gp_consultation", "date": "2026-03-10",
                                      "billed": "30", "age": 22, "person": "a"}] * 3))
    assert {r.rulebook_version for r in batch} == {book.version}
    assert all(c["kind"] in SOURCE_KINDS and c["checked"] for c in data["citations"].values())


def test_an_overlay_says_it_changed_the_rules(tmp_path):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[[rules]]\nid = "route.online.first_time_international"\n'
                       'disabled = true\n', encoding="utf-8")
    book = ssreg.load_rulebook(overlay, base=ssreg.default_rulebook())
    assert book.version.version == f"2026.12+{book.fingerprint[:8]}"
    again = ssreg.load_rulebook(overlay, base=book)
    assert again.version.version == f"2026.12+{again.fingerprint[:8]}"


@pytest.mark.parametrize(("entry", "message"), [
    ('title = "x"\nurl = "https://x.org"\nchecked = 2026-12-01\n', "kind: expected one of"),
    ('title = "x"\nurl = "https://x.org"\nkind = "blog"\nchecked = 2026-12-01\n',
     "kind: expected one of"),
    ('title = "x"\nurl = "https://x.org"\nkind = "law"\n', "checked: expected a TOML date"),
    ('title = "x"\nurl = "https://x.org"\nkind = "law"\nchecked = "yesterday"\n',
     "checked: expected a TOML date"),
])
def test_a_source_needs_a_kind_and_a_check_date(tmp_path, entry, message):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text("[sources.NEW]\n" + entry, encoding="utf-8")
    with pytest.raises(RulebookError) as info:
        ssreg.load_rulebook(overlay, base=ssreg.default_rulebook())
    assert message in str(info.value)
    assert "overlay.toml:sources.NEW" in str(info.value)


def test_a_rulebook_version_is_checked(tmp_path):
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[rulebook]\nhorizon = 2026-03-01\nversion = "next year"\n'
                       'citations = ["AH7"]\nnote = { en = "a", fr = "b", es = "c" }\n',
                       encoding="utf-8")
    with pytest.raises(RulebookError, match=r"rulebook\.version: expected a version"):
        ssreg.load_rulebook(overlay, base=ssreg.default_rulebook())


def test_the_law_changes_in_the_changelog_are_generated():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = changelog.index("<!-- law-changes: generated")
    body = changelog[changelog.index("\n", start) + 1:changelog.index("<!-- law-changes: end")]
    assert body == render_law_changes(ssreg.default_rulebook()), \
        "run: ssreg law-changes, and paste it between the law-changes markers of CHANGELOG.md"


def test_law_changes_follow_the_values():
    book = ssreg.default_rulebook()
    changes = {c.effective: c for c in book.law_changes()}
    assert list(changes) == sorted(changes, reverse=True)
    gp = [p for p in changes[date(2024, 12, 22)].parameters
          if p.parameter == "base.gp_consultation"]
    assert [(str(p.before), str(p.after)) for p in gp] == [("26.50", "30")]
    assert "AMC1" in changes[date(2024, 12, 22)].sources
    assert book.first_day not in changes  # the rulebook's first day is no change
    # every dated value after the first day appears on its effective date
    for name, param in book.parameters.items():
        for value in param.values:
            if value.start > book.first_day:
                assert name in {p.parameter for p in changes[value.start].parameters}
    assert any(r.change == "ended" for c in changes.values() for r in c.rules)


def test_provenance_counts_every_value_once():
    book = ssreg.default_rulebook()
    report = book.provenance(on=date(2026, 12, 4), max_age_days=365)
    assert report.values_total == sum(len(p.values) for p in book.parameters.values())
    assert sum(report.sources_by_kind.values()) == len(book.sources)
    assert report.values_primary >= 72  # recorded in docs/provenance.md: never fewer
    for value in report.values:
        kinds = {book.sources[k].kind for k in value.citations}
        assert value.kind == min(kinds, key=SOURCE_KINDS.index)
        assert (value in report.secondary_only) == (kinds == {"secondary"})
    assert report.stale == ()
    later = book.provenance(on=date(2028, 1, 1), max_age_days=365)
    assert len(later.stale) == report.values_total
    assert sum(n for _, n in later.freshness()) == report.values_total


def test_check_rulebook_prints_provenance_and_freshness(capsys):
    assert main(["check-rulebook", "--examples", "20", "--on", "2026-12-04",
                 "--max-age", "5"]) == 0
    out = capsys.readouterr().out
    assert "| kind | sources | values |" in out
    assert "| last checked | values |" in out
    report = ssreg.default_rulebook().provenance(on=date(2026, 12, 4))
    assert (f"{report.values_primary} of {report.values_total} values have a primary "
            "source") in out
    assert "values are backed only by secondary sources:" in out
    assert "values not checked for more than 5 days:" in out


def test_parameters_show_their_provenance(capsys):
    assert main(["parameters", "franchise_medicine", "--provenance", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    newest = next(r for r in rows if r["start"] == "2024-03-31")
    assert newest["kind"] == "law" and newest["sources"]["LF4"] == "law"
    assert main(["parameters", "--secondary-only", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["kind"] for r in rows} == {"secondary"}
    assert main(["parameters", "base.psychologist_session", "--provenance"]) == 0
    assert "best source: secondary source; last checked" in capsys.readouterr().out
    assert main(["parameters", "participation_forfaitaire_daily_cap", "--provenance",
                 "--on", "2026-12-04"]) == 0
    assert "best source: law or regulation; last checked 2026-12-04" in \
        capsys.readouterr().out


def test_law_changes_command(capsys):
    assert main(["law-changes", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rulebook"]["version"] == "2026.12"
    assert data["changes"][0]["effective"] >= data["changes"][-1]["effective"]


def test_the_recorded_provenance_is_current():
    doc = (ROOT / "docs" / "provenance.md").read_text(encoding="utf-8")
    start = doc.index("```text\n", doc.index("<!-- provenance: generated")) + len("```text\n")
    recorded = doc[start:doc.index("\n```", start)]
    expected = ssreg.default_rulebook().provenance(on=date(2026, 12, 4)).text()
    hint = ("run: ssreg check-rulebook --on 2026-12-04 and paste the provenance part into "
            "docs/provenance.md")
    assert recorded == expected, hint


def test_an_unversioned_rulebook_and_its_overlays_load(tmp_path):
    files = tmp_path / "rules"
    files.mkdir()
    for path in ssreg.builtin_rules_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        (files / path.name).write_text(text.replace('version = "2026.12"\n', ""),
                                       encoding="utf-8")
    book = ssreg.load_rulebook(files)
    assert book.version.version == f"unversioned+{book.fingerprint[:8]}"
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('[[rules]]\nid = "route.online.first_time_international"\n'
                       'disabled = true\n', encoding="utf-8")
    again = ssreg.load_rulebook(overlay, base=book)
    assert again.version.version == f"unversioned+{again.fingerprint[:8]}"


def test_a_law_source_names_the_text_it_is():
    """A source of kind `law` is a text, named as such: a Code article, a décret, an arrêté
    or a law (the official copy, a reproduction or a summary by an institution is not)."""
    named = re.compile(r"^(Code de la sécurité sociale, (ancien )?art(\.|icle) [LRD]\d"
                       r"|Décret n° \d{4}-\d+ du |Arrêté du \d|Loi n° \d{4}-\d+ du )")
    sources = ssreg.default_rulebook().sources
    laws = {key: s.title for key, s in sources.items() if s.kind == "law"}
    assert len(laws) >= 40
    assert {key: title for key, title in laws.items() if not named.match(title)} == {}
    # and the summaries of those texts kept beside them are not counted as law
    assert sources["U1"].kind == "institution" and sources["RA1"].kind == "institution"
