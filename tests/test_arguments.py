"""Arguments are checked at the door: a wrong type or value is an ssreg error naming it.

A fixed matrix calls every public function (and the public methods of the public
classes) with each argument in turn replaced by values of the wrong type; only accepted
calls and ssreg errors may come out, and a refused argument is named in the error.  A
test checks the matrix covers every public function, so a new one must be added.
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ssreg
import ssreg.dask
import ssreg.testing
from ssreg.fr import nir
from ssreg.model.arguments import accepts, between, one_of


ROOT = Path(__file__).parent.parent
STUDENT = {"birth_date": "2004-01-01", "nationality": "BR", "country_of_birth": "BR"}
CLAIM = {"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
         "referent_doctor_declared": True}
DOSSIER = json.loads((ROOT / "examples" / "dossiers" / "brazil_in_progress.json").read_text(
    encoding="utf-8"))
EVENT = {"type": "document_accepted", "date": "2026-09-20", "kind": "passport"}
RESULTS = list(ssreg.price_claims([CLAIM, {**CLAIM, "care": "x"}], errors="collect"))
DECISION = ssreg.evaluate({"student": STUDENT, "claims": [{k: v for k, v in CLAIM.items()
                                                           if k != "age"}]}, on="2026-09-15")
COMPARISON = ssreg.compare([CLAIM], {"none": None, "basic": {"levels": {"default": 100}}})
BOOK = ssreg.default_rulebook()
CASE_FILE = next((ROOT / "tests" / "cases" / "route").glob("*.toml"))


def _frame() -> Any:
    import pandas as pd

    return pd.DataFrame([CLAIM])


def _dask_frame() -> Any:
    import dask.dataframe as dd

    return dd.from_pandas(_frame(), npartitions=1)


def _site(**kw: Any) -> Any:
    """``build_site`` run in a folder of its own (a wrong ``out`` such as ``"x"`` is a
    right relative path)."""
    from ssreg.site.build import build_site

    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="ssreg-site-") as folder:
        os.chdir(folder)
        try:
            return build_site(**kw)
        finally:
            os.chdir(here)


def _app(**kw: Any) -> Any:
    from ssreg.api.app import create_app

    return create_app(**kw)


def _numbered() -> Any:
    return _frame().assign(position=[0])


# every public callable with valid arguments; each argument is replaced in turn
CALLS: dict[str, tuple[Any, dict[str, Any]]] = {
    "evaluate": (ssreg.evaluate, {"case": {"student": STUDENT}, "on": "2026-09-15",
                                  "rulebook": None, "engine": "compiled", "trace": True,
                                  "overrides": None, "unknown": "assume"}),
    "apply_event": (ssreg.apply_event, {"dossier": DOSSIER, "event": EVENT, "rulebook": None,
                                        "engine": "compiled", "overrides": None,
                                        "unknown": "ask"}),
    "price_claim": (ssreg.price_claim, {"claim": CLAIM, "cover": None, "rulebook": None,
                                        "engine": "compiled", "overrides": None}),
    "price_claims": (lambda **kw: list(ssreg.price_claims(**kw)), {
        "claims": [CLAIM], "cover": None, "rulebook": None, "engine": "compiled",
        "overrides": None, "presorted": False, "errors": "raise", "workers": None}),
    "compare": (ssreg.compare, {"claims": [CLAIM], "scenarios": {"a": None},
                                "errors": "raise", "workers": None}),
    "summarize": (ssreg.summarize, {"results": RESULTS, "by": "care"}),
    "rows": (lambda **kw: list(ssreg.rows(**kw)), {"results": RESULTS}),
    "to_frame": (ssreg.to_frame, {"results": RESULTS, "money": "float"}),
    "price_frame": (lambda **kw: ssreg.price_frame(**kw), {"frame": _frame(),
                                                           "money": "float"}),
    "year_of_care": (lambda **kw: _plot(ssreg.year_of_care, **kw), {"results": RESULTS,
                                                                    "ax": None}),
    "load_cover": (ssreg.load_cover, {"source": ROOT / "examples" / "covers" /
                                      "student_basic.toml"}),
    "load_dossier": (ssreg.load_dossier, {"source": DOSSIER}),
    "load_rulebook": (lambda **kw: ssreg.load_rulebook(kw["paths"], base=kw["base"]), {
        "paths": ROOT / "src" / "ssreg" / "rules", "base": None}),
    "default_rulebook": (ssreg.default_rulebook, {}),
    "builtin_rules_dir": (ssreg.builtin_rules_dir, {}),
    "nir.check": (nir.check, {"number": "295109912611193"}),
    "nir.is_valid": (nir.is_valid, {"number": "295109912611193"}),
    "nir.validate": (nir.validate, {"number": "295109912611193"}),
    "nir.compact": (nir.compact, {"number": "2 95 10 99 126 111 93"}),
    "nir.format": (nir.format, {"number": "295109912611193", "separator": " "}),
    "nir.check_against": (nir.check_against, {"number": "295109912611193",
                                              "birth_date": "1995-10-02", "sex": "female",
                                              "country_of_birth": "BR"}),
    "testing.coverage": (ssreg.testing.coverage, {"book": BOOK, "outcomes": [
        ssreg.testing.run_case_file(next((ROOT / "tests" / "cases" / "route").glob(
            "*.toml")))]}),
    "dask.number_claims": (ssreg.dask.number_claims, {"claims": _dask_frame()}),
    "dask.price_claims": (lambda **kw: ssreg.dask.price_claims(**kw).compute(
        scheduler="synchronous"), {"claims": _dask_frame(), "money": "float",
                                   "errors": "collect"}),
    "dask.price_partition": (ssreg.dask.price_partition, {"part": _numbered()}),
    "testing.check_rulebook": (ssreg.testing.check_rulebook, {
        "book": ssreg.default_rulebook(), "examples": 1, "invariants": False}),
    "testing.run_case_file": (ssreg.testing.run_case_file, {
        "path": CASE_FILE, "book": None, "engine": "compiled"}),
    "testing.case_files": (ssreg.testing.case_files, {"paths": [CASE_FILE]}),
    "Decision.to_dict": (DECISION.to_dict, {"lang": "fr", "form": "compact",
                                            "base_url": "https://example.org/ssreg/"}),
    "site.build_site": (_site, {"book": BOOK, "out": "site", "base_url": None,
                                "languages": ("en",)}),
    "Decision.summary": (DECISION.summary, {"lang": "fr"}),
    "Decision.explain": (DECISION.explain, {"lang": "fr"}),
    "Decision.checklist_text": (DECISION.checklist_text, {"lang": "fr"}),
    "ClaimResult.explain": (RESULTS[0].explain, {"lang": "es", "rulebook": None}),
    "ClaimError.explain": (RESULTS[1].explain, {"lang": "es", "rulebook": None}),
    "Summary.to_frame": (ssreg.summarize(RESULTS).to_frame, {"money": "cents"}),
    "Comparison.summary": (COMPARISON.summary, {"name": "none", "by": "care"}),
    "Comparison.rows": (COMPARISON.rows, {"by": "care"}),
    "Comparison.to_frame": (COMPARISON.to_frame, {"by": None, "money": "float"}),
    "Dossier.from_dict": (ssreg.Dossier.from_dict, {"data": DOSSIER}),
    "Summary.plot": (lambda **kw: _plot(ssreg.summarize(RESULTS).plot, **kw), {"ax": None}),
    "Comparison.plot": (lambda **kw: _plot(COMPARISON.plot, **kw), {"ax": None}),
    "Rulebook.rule": (BOOK.rule, {"rule_id": "route.online.first_time_international",
                                  "on": date(2026, 9, 1)}),
    "Rulebook.parameter": (BOOK.parameter, {"name": "rounding"}),
    "Rulebook.label": (BOOK.label, {"key": "route.online", "lang": "fr"}),
    "Rulebook.values_of": (BOOK.values_of, {"fact": "route"}),
    "Rulebook.rules_of": (BOOK.rules_of, {"decision": "route"}),
    "Rulebook.decision_order": (BOOK.decision_order, {"scope": "claim"}),
    "Rulebook.provenance": (BOOK.provenance, {"on": date(2026, 9, 1), "max_age_days": 30}),
    "questions": (ssreg.questions, {"case": {"student": STUDENT}, "on": "2026-09-15",
                                    "rulebook": None, "engine": "compiled",
                                    "overrides": None, "settle": ["route"]}),
    "next_question": (ssreg.next_question, {"case": {"student": {}}, "on": "2026-09-15",
                                            "rulebook": None, "engine": "compiled",
                                            "overrides": None, "settle": ["route"],
                                            "skip": ["stay_months"]}),
    "api.create_app": (_app, {"settings": None, "rulebook": None}),
    "testing.completions": (lambda **kw: list(ssreg.testing.completions(**kw)), {
        "student": ssreg.Student(**STUDENT), "removed": ("stay_months",),
        "on": date(2026, 9, 15)}),
    "Dossier.history_until": (ssreg.load_dossier(DOSSIER).history_until,
                              {"on": date(2026, 9, 1)}),
}
for _name in ("students", "any_students", "documents", "ibans", "nirs", "covers", "claims",
              "cases", "dossiers", "events", "scenarios", "evaluation_dates", "academic_years",
              "amounts", "unknown_environments", "partial_students", "condition_trees"):
    _function = getattr(ssreg.testing, _name)
    CALLS[f"testing.{_name}"] = (_function, {
        p.name: p.default for p in inspect.signature(_function).parameters.values()
        if p.default is not p.empty})
CALLS["testing.event_sequences"] = (ssreg.testing.event_sequences, {
    "case": ssreg.Case(student=STUDENT), "start": date(2026, 8, 20), "max_events": 3})

WRONG = [None, 5, -1, True, 2.5, "x", "", b"bytes", [1], {"a": 1}, object(),
         date(2026, 1, 1), datetime(2026, 1, 1), Decimal("NaN"), 10 ** 5000, "\udc80"]


def _plot(function: Any, **kw: Any) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    try:
        return function(**kw)
    finally:
        plt.close("all")


def test_the_matrix_covers_every_public_function():
    public = {name for name in ssreg.__all__ if callable(getattr(ssreg, name))
              and not isinstance(getattr(ssreg, name), type)}
    public |= {f"nir.{n}" for n in nir.__all__ if not isinstance(getattr(nir, n), type)}
    public |= {f"dask.{n}" for n in ssreg.dask.__all__}
    public |= {f"testing.{n}" for n in ssreg.testing.__all__
               if not isinstance(getattr(ssreg.testing, n), type)}
    public |= {"site.build_site", "api.create_app"}  # ssreg site, ssreg serve
    public -= {"testing.student_data", "testing.claim_data", "testing.case_data"}  # kwargs
    assert public <= set(CALLS), sorted(public - set(CALLS))


@pytest.mark.parametrize("name", sorted(CALLS))
def test_wrong_arguments_give_ssreg_errors_naming_them(name):
    function, valid = CALLS[name]
    function(**valid)  # the valid call goes through
    escapes = []
    for argument in valid:
        for wrong in WRONG:
            try:
                function(**{**valid, argument: wrong})
            except ssreg.SsregError as exc:
                problems = getattr(exc, "problems", ())
                if isinstance(exc, ssreg.InvalidArgumentError):
                    assert any(p.path.split(".")[0].split("[")[0] == argument
                               for p in problems), (name, argument, str(exc)[:200])
                str(exc).encode("utf-8")
            except Exception as exc:  # the escapes are what we collect
                escapes.append(f"{argument}={wrong!r:.30}: {type(exc).__name__}: {exc!s:.80}")
    assert not escapes, f"{name}: " + "; ".join(escapes)


def test_unknown_missing_and_positional_arguments_are_named():
    with pytest.raises(ssreg.InvalidArgumentError) as info:
        ssreg.evaluate({"student": STUDENT}, on="2026-09-15", egnine="durable", engine=5)
    paths = [p.path for p in info.value.problems]
    assert paths == ["egnine", "engine"] and "unknown argument of evaluate" in str(info.value)
    with pytest.raises(ssreg.InvalidArgumentError, match="on: required argument"):
        ssreg.evaluate({"student": STUDENT})
    with pytest.raises(ssreg.InvalidArgumentError, match="at most 1 positional"):
        ssreg.price_claim(CLAIM, None)
    with pytest.raises(TypeError):  # Python's convention holds too
        ssreg.price_claims(None)
    with pytest.raises(ValueError, match="errors"):
        ssreg.price_claims([CLAIM], errors="ignore")


def test_one_mechanism_declares_every_door():
    """The public functions carry their declaration (not a check pasted in each)."""
    from ssreg.model.arguments import accepted

    for function in (BOOK.label, BOOK.parameter, ssreg.evaluate, ssreg.apply_event, ssreg.price_claim,
                     ssreg.price_claims, ssreg.compare, ssreg.summarize, ssreg.rows,
                     ssreg.to_frame, ssreg.price_frame, ssreg.load_cover, ssreg.load_dossier,
                     ssreg.load_rulebook, ssreg.year_of_care, nir.compact,
                     ssreg.dask.price_claims, ssreg.testing.run_case_file):
        assert accepted(function), function.__name__


def test_the_mechanism_reports_every_problem_at_once():
    @accepts(size=between(1, 9), colour=one_of(["red", "blue"]))
    def paint(size: int, *, colour: str = "red") -> str:
        return f"{size} {colour}"

    assert paint(3, colour="blue") == "3 blue"
    with pytest.raises(ssreg.InvalidArgumentError) as info:
        paint(0, colour="green", shade=1)
    assert [p.path for p in info.value.problems] == ["size", "colour", "shade"]
    assert inspect.signature(paint).parameters["colour"].default == "red"


# --------------------------------------------------------------------------- reproducers

def _refused(call: Any, *where: str) -> ssreg.SsregError:
    with pytest.raises(ssreg.SsregError) as info:
        call()
    text = str(info.value) + "\n" + getattr(info.value, "details", lambda: "")()
    for part in where:
        assert part in text, (part, text[:300])
    return info.value


def test_the_reproducers_of_issue_25():
    book = ssreg.default_rulebook()
    decision = ssreg.evaluate({"arrival_date": "0027-12-30", "student": STUDENT},
                              on="2026-09-01")
    assert decision.academic_year == "0027-0028"
    for early in ("0001-01-01", "0001-06-30", "9999-12-31"):
        ssreg.evaluate({"arrival_date": early, "student": STUDENT}, on="2026-09-01")
    _refused(lambda: ssreg.evaluate({"student": STUDENT}, on="2026-09-01", overrides={
        "academic_year_start_month": -221330}), "overrides.academic_year_start_month")
    _refused(lambda: ssreg.price_claim(CLAIM, overrides={"rate.consultation": 24}),
             "overrides.rate.consultation")
    for bad in (0, 3, None):
        _refused(lambda bad=bad: ssreg.price_claims(bad), "claims")
    _refused(lambda: ssreg.evaluate({"student": STUDENT}, on="2026-09-01", engine=5), "engine")
    _refused(lambda: ssreg.evaluate({"student": STUDENT}, on="2026-09-01", rulebook="x"),
             "rulebook")
    _refused(lambda: ssreg.load_cover(None), "source")
    one = ssreg.price_claim(CLAIM, cover={"levels": {"default": 100}})
    case = ssreg.evaluate({"student": {**STUDENT, "birth_date": "2003-01-01"},
                           "claims": [{k: v for k, v in CLAIM.items() if k != "age"}],
                           "cover": {"levels": {"default": 100}}}, on="2026-01-01")
    assert case.reimbursements.results[0].top_up == one.top_up == Decimal("9.00")
    _refused(lambda: ssreg.price_claim(CLAIM, cover={"levels": {"default": 100}, "x": 1}),
             "cover.x: unknown field")
    _refused(lambda: ssreg.summarize(None), "results")
    _refused(lambda: ssreg.to_frame(["x"]), "results[0]")
    assert not nir.is_valid("٣19032B00100102") and not nir.check("³46012B00100108").valid
    _refused(lambda: ssreg.Dossier(case={"student": {**STUDENT, "address_in_france":
                                                     "\udc80"}}),
             "case.student.address_in_france")
    _refused(lambda: ssreg.Event(type="document_rejected", date="2026-09-01",
                                 kind="passport", reason="\ud800"), "reason")
    frame = ssreg.to_frame(ssreg.price_claims([{**CLAIM, "date": "2263-01-01"}]))
    assert str(frame["date"].iloc[0].date()) == "2263-01-01"
    assert book is ssreg.default_rulebook()


def test_overlays_of_the_wrong_kind_are_refused_at_load(tmp_path):
    base = ssreg.default_rulebook()
    cases = {
        "a = " + "9" * 5000: "too many digits",
        '[parameters."rate.consultation"]\ntype = "str"\nunit = "text"\n': "cannot make it str",
        '[parameters.academic_year_start_month]\ntype = "int"\nunit = "count"\nmax = 14\n':
            "narrow the base's range",
        ('[parameters.participation_forfaitaire]\ntype = "decimal"\nunit = "EUR"\n'
         'label = {en = "a", fr = "a", es = "a"}\n'
         '[[parameters.participation_forfaitaire.values]]\nstart = 2018-09-01\n'
         'value = "two"\ncitations = ["C1"]\n'): "expected a number",
        ('[parameters.rounding]\ntype = "str"\nunit = "choice"\n'
         'options = ["ROUND_HALF_UP"]\nlabel = {en = "a", fr = "a", es = "a"}\n'
         '[[parameters.rounding.values]]\nstart = 2018-09-01\nvalue = "' + "x" * 1_000_000
         + '"\ncitations = ["C1"]\n'): "expected at most",
    }
    for i, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"overlay{i}.toml"
        path.write_text(text, encoding="utf-8")
        error = _refused(lambda path=path: ssreg.load_rulebook(path, base=base), message)
        assert len(str(error)) < 6_000 and len(error.details()) < 60_000


def test_parameters_read_by_code_keep_their_kind(tmp_path):
    """A new rate outcome naming a text parameter is refused at load, not in the pricer."""
    overlay = tmp_path / "overlay.toml"
    overlay.write_text('''
[parameters."rate.new"]
type = "decimal"
unit = "EUR"
label = { en = "n", fr = "n", es = "n" }
[[parameters."rate.new".values]]
start = 2018-09-01
value = 3
citations = ["C1"]
[[rules]]
id = "rate.new"
decision = "claim_rate"
priority = -1
outcome = { rate_key = "rate.new" }
when = { fact = "care", op = "==", value = "gp_consultation" }
label = { en = "n", fr = "n", es = "n" }
citations = ["C1"]
start = 2018-09-01
''', encoding="utf-8")
    _refused(lambda: ssreg.load_rulebook(overlay, base=ssreg.default_rulebook()),
             "read as decimal (rate)")


def test_the_cli_never_names_python_internals(tmp_path, capsys):
    from ssreg.cli.main import main

    event = tmp_path / "event.json"
    event.write_text(json.dumps(EVENT), encoding="utf-8")
    dossier = tmp_path / "dossier.json"
    dossier.write_text(json.dumps(DOSSIER), encoding="utf-8")
    code = main(["apply", str(dossier), str(event), "--output", "/nonexistent/dir/out.json"])
    err = capsys.readouterr().err
    assert code == 2 and "no such folder" in err and "Errno" not in err and "Error" not in err
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"student": {"birth_date": "x", "nationality": "XX"}}),
                    encoding="utf-8")
    assert main(["evaluate", str(case), "--on", "2026-09-15"]) == 2
    err = capsys.readouterr().err
    assert ".details()" not in err and len(err.splitlines()) == 3
    bad_case = tmp_path / "bad.toml"
    bad_case.write_text('name = "x"\non = 2026-09-15\nsources = ["R1"]\n[expected]\n'
                        'route = "online"\n[input.student]\nbirth_date = "x"\n'
                        'nationality = "XX"\n', encoding="utf-8")
    main(["test", str(bad_case)])
    out = capsys.readouterr().out
    assert ".details()" not in out and "student.birth_date" in out and "nationality" in out
