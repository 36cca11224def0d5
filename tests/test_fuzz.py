"""Fuzzing every public entry point: broad junk and one-field mutations of the examples.

Passes when nothing but ``ssreg`` errors come out (each with a located problem), nothing
hangs (a deadline per input) and every priced claim keeps the money invariants.  The
budget is bounded here; a longer campaign runs with, for example::

    SSREG_FUZZ_EXAMPLES=100000 python -m pytest tests/test_fuzz.py -p no:cacheprovider
"""

import copy
import json
import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.cli.main import main
from ssreg.fr import nir


ROOT = Path(__file__).parent.parent
EXAMPLES = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "examples" / "cases").glob("*.json"))]
DOSSIERS = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "examples" / "dossiers").glob("*.json"))]
CLAIMS = [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
           "referent_doctor_declared": True},
          {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
           "billed": "12.40", "boxes": 2, "age": 22},
          {"care": "hospital_stay", "date": "2026-03-10", "billed": "1200",
           "hospital_days": 3, "age": 30, "psychiatry": True}]
FUZZ = settings(max_examples=int(os.environ.get("SSREG_FUZZ_EXAMPLES", "150")),
                deadline=timedelta(seconds=10), derandomize=bool(os.environ.get("CI")),
                suppress_health_check=list(HealthCheck))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from([5000, 4400]).map(lambda n: 10 ** n),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.text(max_size=5).map(lambda t: t * 20_000),
    st.sampled_from(["NaN", "Infinity", "-0", "1e999", "0x10", "2026-02-30", "9999-12-31",
                     "0001-01-01", "20260901", "UK", "EU", "ZZ", "GB", "fr", "", " ",
                     "gynecology", "specialist_consultaton", "SE401-Q-106", "true",
                     "2026-2027", "2026-2028", "\x00", "é" * 3]),
    st.decimals(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    st.binary(max_size=8))
junk = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=12) | st.integers() | st.none(), inner, max_size=4), max_leaves=12)
def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


deep = st.sampled_from([50, 1_000, 100_000]).map(nested)


def paths(node, prefix=()):
    """Every path to a value of a nested structure."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*prefix, i))


def mutate(document, data):
    """One field of a copy replaced by junk (or removed)."""
    document = copy.deepcopy(document)
    every = list(paths(document))[1:]
    if not every:
        return data.draw(junk)
    path = data.draw(st.sampled_from(every))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(junk | deep)
    return document


def check_decision(decision):
    for lang in ("en", "fr", "es"):
        json.dumps(decision.to_dict(lang))
        assert decision.explain(lang) and decision.summary(lang) is not None
    if decision.reimbursements is not None:
        for result in decision.reimbursements.results:
            if result.ok:
                check_money(result)


def check_money(result):
    assert result.amo + result.top_up + result.patient == result.billed
    for name in ("billed", "amo", "top_up", "patient", "deduction", "flat_charge"):
        value = getattr(result, name)
        assert isinstance(value, Decimal) and value >= 0 and str(value) != "-0.00", name


def only_ssreg_errors(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ssreg.SsregError as exc:
        message = str(exc)
        assert message and len(message) < 5_000, message[:200]
        if isinstance(exc, ssreg.InvalidInputError):
            assert all(p.path and p.message for p in exc.problems)
            assert len(exc.details()) < 200_000
        return None


@FUZZ
@given(st.data(), st.sampled_from(["2026-09-15", "2019-03-01", "9999-12-31", "0001-01-01",
                                   "2017-06-01"]))
def test_evaluate_mutated_examples(data, on):
    case = mutate(data.draw(st.sampled_from(EXAMPLES)), data)
    decision = only_ssreg_errors(ssreg.evaluate, case, on=on)
    if decision is not None:
        check_decision(decision)


@FUZZ
@given(junk | deep, junk)
def test_evaluate_junk(case, on):
    decision = only_ssreg_errors(ssreg.evaluate, case, on=on)
    if decision is not None:
        check_decision(decision)


@FUZZ
@given(st.data(), junk, junk, junk)
def test_notebook_entry_points(data, scenarios, by, money):
    """compare, summarize, to_frame and price_frame: ssreg errors on any junk."""
    batch = [mutate(data.draw(st.sampled_from(CLAIMS)), data) for _ in range(2)]
    only_ssreg_errors(lambda: ssreg.compare(batch, scenarios, errors="collect"))
    results = list(ssreg.price_claims(CLAIMS))
    only_ssreg_errors(ssreg.summarize, results, by=by)
    only_ssreg_errors(ssreg.to_frame, results, money=money)
    only_ssreg_errors(lambda: list(ssreg.price_claims(batch, workers=by)))


@FUZZ
@given(st.data())
def test_price_mutated_claims(data):
    batch = [mutate(data.draw(st.sampled_from(CLAIMS)), data) for _ in range(3)]
    cover = data.draw(st.none() | st.just({"levels": {"default": 200}}) | junk)
    results = only_ssreg_errors(lambda: list(ssreg.price_claims(batch, cover=cover,
                                                                errors="collect")))
    if results is not None:
        assert len(results) == len(batch)
        for result in results:
            if result.ok:
                check_money(result)
                result.explain("fr")
            else:
                assert result.problems
    only_ssreg_errors(ssreg.price_claim, batch[0], cover=cover)


@FUZZ
@given(st.data())
def test_dossiers_and_events(data):
    dossier = mutate(data.draw(st.sampled_from(DOSSIERS)), data) if data.draw(
        st.booleans()) else data.draw(st.sampled_from(DOSSIERS))
    event = data.draw(junk | st.fixed_dictionaries({
        "type": st.sampled_from(["account_created", "document_uploaded", "document_rejected",
                                 "final_certificate_issued", "route_changed", "x"]),
        "date": st.sampled_from(["2026-09-01", "2026-08-01", "x"])}, optional={
        "number": junk | st.just("295109912611193"), "kind": junk, "changes": junk,
        "document": junk, "reason": junk, "photo": junk}))
    only_ssreg_errors(ssreg.evaluate, dossier, on="2026-09-15")
    only_ssreg_errors(ssreg.apply_event, dossier, event)
    only_ssreg_errors(ssreg.load_dossier, dossier if isinstance(dossier, dict) else {})


@FUZZ
@given(junk, junk)
def test_models_and_options(value, other):
    for model in (ssreg.Student, ssreg.Document, ssreg.Claim, ssreg.Cover, ssreg.Case,
                  ssreg.Event, ssreg.Dossier):
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            only_ssreg_errors(model, **value)
        only_ssreg_errors(model, birth_date=value, care=other, kind=value)
    only_ssreg_errors(ssreg.load_cover, value if isinstance(value, dict) else {"levels": value})
    only_ssreg_errors(ssreg.evaluate, {"student": {"birth_date": "2004-01-01",
                                                   "nationality": "BR",
                                                   "country_of_birth": "BR"}},
                      on="2026-09-15", overrides=value)
    assert nir.is_valid(value) in (True, False)


@settings(max_examples=int(os.environ.get("SSREG_FUZZ_CLI", "40")), deadline=None,
          derandomize=bool(os.environ.get("CI")), suppress_health_check=list(HealthCheck))
def dumps(value) -> bytes:
    try:
        return json.dumps(value, default=str).encode()
    except ValueError:  # an integer too long for Python's own conversion
        return b'{"student": {"birth_date": 1' + b"0" * 5000 + b"}}"


@given(st.binary(max_size=300) | junk.map(dumps),
       st.sampled_from([["evaluate"], ["checklist"], ["dossier"], ["price"], ["batch"],
                        ["evaluate", "--json", "--lang", "es"]]),
       st.sampled_from(["2026-09-15", "9999-12-31", "0001-01-01", "x"]))
def test_the_command_line_never_shows_a_traceback(tmp_path_factory, content, command, on):
    path = tmp_path_factory.mktemp("fuzz") / ("input.jsonl" if command[0] in ("price", "batch")
                                              else "input.json")
    path.write_bytes(content)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        args = [command[0], str(path), *command[1:]]
        if command[0] != "price":
            args += ["--on", on]
        code = main(args)
    assert code in (0, 1, 2), err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()
    assert len(err.getvalue()) < 100_000


def test_limits_seen_by_the_first_campaign():
    """The inputs that escaped before: each gives an ssreg error now."""
    student = {"birth_date": "2004-01-01", "nationality": "BR", "country_of_birth": "BR"}
    for on in ("9999-12-31", date(9999, 12, 31)):
        only_ssreg_errors(ssreg.evaluate, {"student": student}, on=on)
    for billed in ("NaN", "Infinity", "-0", 10 ** 5000, "1e999"):
        claim = {**CLAIMS[0], "billed": billed}
        result = only_ssreg_errors(ssreg.price_claim, claim)
        if result is not None:
            check_money(result)
    for bad in ({1: "x"}, {"student": [None]}, {"student": {None: 1}}, [[[]]]):
        only_ssreg_errors(ssreg.evaluate, bad, on="2026-09-15")
    only_ssreg_errors(ssreg.evaluate, {"student": {**student, "address_in_france": "x" * 10**6}},
                      on=datetime(2026, 1, 1))
