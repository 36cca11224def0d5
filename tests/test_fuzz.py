"""Fuzzing every public entry point: broad junk and one-field mutations of the examples.

Each entry point is a *door* of the registry below (``DOORS``): one line names it, says how
to call it with one input, what inputs to try and which invariant its answer keeps.  Every
door must give nothing but accepted answers (invariant kept) and ``ssreg`` errors naming a
field, each within the hang limit.  A new entry point (``ssreg interview``, the HTTP API,
the site generator) is fuzzed by adding its line to ``DOORS``.

The budget here is bounded (``SSREG_FUZZ_EXAMPLES``, default 40 per door; slow doors are
capped).  The long campaign, with the accounting per door, runs the same registry::

    SSREG_FUZZ_EXAMPLES=100000 nice python stress/fuzz_campaign.py

(see docs/testing.md for its figures).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg import texts
from ssreg.cli.main import main
from ssreg.fr import nir
from ssreg.model.limits import too_deep
from ssreg.model.structure import unstructure
from ssreg.testing.fuzz import (
    TRICKY_TEXTS,
    Doors,
    amounts_are_exact,
    classify,
    deep,
    inputs,
    junk,
    mutation,
    scalars,
    weighted,
)


ROOT = Path(__file__).parent.parent
EXAMPLES = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "examples" / "cases").glob("*.json"))]
DOSSIERS = [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "examples" / "dossiers").glob("*.json"))]
EVENTS = [json.loads(p.read_text(encoding="utf-8"))
          for p in sorted((ROOT / "examples" / "events").glob("*.json"))] + [
    {"type": "document_accepted", "date": "2026-09-20", "kind": "passport"},
    {"type": "document_rejected", "date": "2026-09-05", "kind": "passport",
     "reason": "illegible scan"}]
CLAIMS = [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
           "referent_doctor_declared": True, "provider": "dr-a", "person": "ana"},
          {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
           "billed": "12.40", "boxes": 2, "age": 22, "person": "ben"},
          {"care": "hospital_stay", "date": "2026-03-10", "billed": "1200",
           "hospital_days": 3, "age": 30, "psychiatry": True}]
COVERS = [{"name": "basic", "levels": {"default": 100, "specialist_consultation": 150},
           "yearly_allowance": {"optics": 100}}, {"kind": "css"}]
STUDENT = {"birth_date": "2004-01-01", "nationality": "BR", "country_of_birth": "BR"}
CASE = {"student": STUDENT, "claims": [{k: v for k, v in CLAIMS[0].items()
                                        if k not in ("age", "person")}]}
ON = "2026-09-15"
DATES = st.sampled_from(["2026-09-15", "2019-03-01", "9999-12-31", "0001-01-01", "2017-06-01",
                         "2263-01-01", date(2262, 4, 12), date.max])
BOOK = ssreg.default_rulebook()
PARAMETERS = sorted(BOOK.parameters)
WORK = Path(tempfile.mkdtemp(prefix="ssreg-fuzz-"))
BUDGET = int(os.environ.get("SSREG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=BUDGET, deadline=None, derandomize=bool(os.environ.get("CI")),
                suppress_health_check=list(HealthCheck), database=None)


# --------------------------------------------------------------------------- invariants

def json_round_trip(data: Any) -> Any:
    """What a JSON file holding ``data`` reads back as (written as UTF-8)."""
    return json.loads(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def case_is_savable(given: Any) -> None:
    case = ssreg.Case(**given) if isinstance(given, dict) and all(
        isinstance(k, str) for k in given) and "events" not in given and "schema" not in given \
        else None
    if case is not None:
        assert ssreg.Case(**json_round_trip(unstructure(case))) == case, "case round trip"


def decision_is_consistent(given: Any, decision: Any) -> None:
    for lang in ("en", "fr", "es"):
        json.dumps(decision.to_dict(lang), ensure_ascii=False).encode("utf-8")
        compact = decision.to_dict(lang, form="compact")
        assert compact["schema"] == "ssreg.decision-compact/1" and "trace" not in compact
        json.dumps(compact, ensure_ascii=False).encode("utf-8")
        assert decision.explain(lang) and decision.summary(lang) is not None
    for question in decision.questions:
        question_is_answerable(given, question)
    if decision.reimbursements is not None:
        for result in decision.reimbursements.results:
            if result.ok:
                amounts_are_exact(result)
    if isinstance(given, tuple):
        given = given[0]
    with contextlib.suppress(ssreg.SsregError):  # a dossier, or a case given another way
        case_is_savable(given)


def question_is_answerable(given: Any, question: Any) -> None:
    """A question names a fact of the rulebook, where its answer goes, and reads in the
    three languages; what it says each answer gives is plain JSON."""
    from ssreg.output.asking import question_text

    if question is None:
        return
    assert question.fact in BOOK.facts, question.fact
    assert question.path.startswith(("student.", "claims[")), question.path
    json.dumps(question.to_dict(), ensure_ascii=False).encode("utf-8")
    for lang in texts.LANGUAGES:
        assert question_text(BOOK, question, lang).strip(), (question.fact, lang)


def questions_are_answerable(given: Any, found: Any) -> None:
    assert isinstance(found, tuple)
    for question in found:
        question_is_answerable(given, question)


def next_is_not_skipped(given: Any, question: Any) -> None:
    question_is_answerable(given, question)
    options = given[2] if isinstance(given[2], dict) else {}
    skipped = options.get("skip", ())
    assert question is None or question.fact not in skipped, "a skipped fact asked again"


def dossier_is_savable(given: Any, dossier: Any) -> None:
    text = dossier.to_json()
    text.encode("utf-8")
    assert ssreg.load_dossier(json.loads(text)) == dossier, "dossier round trip"


def model_is_savable(given: Any, model: Any) -> None:
    data = unstructure(model)
    assert type(model)(**json_round_trip(data)) == model, "model round trip"


def results_are_complete(given: Any, results: Any) -> None:
    batch = given[0]
    assert len(results) == len(batch), "one result per claim"
    for position, result in enumerate(results):
        assert result.position == position
        if result.ok:
            amounts_are_exact(result)
            result.explain("fr")
        else:
            assert result.problems and all(p.path and p.message for p in result.problems)


def claim_is_exact(given: Any, result: Any) -> None:
    amounts_are_exact(result)


def frame_is_complete(given: Any, frame: Any) -> None:
    if frame is not None:
        assert len(frame) == len(given[0]), "one row per claim"


def answer_is_a_number_check(given: Any, answer: Any) -> None:
    check, valid = answer
    assert valid is check.valid
    if valid:
        assert re.fullmatch(r"[0-9]{5}([0-9]{2}|2A|2B)[0-9]{8}", check.number), check.number


CLI_SECRETS = re.compile(r"Traceback|internal error|\.details\(\)|Errno|[A-Z][a-z]+Error\b")
CLI_ERRORS = tuple({form(texts.message("cli.error", lang)).strip() for lang in texts.LANGUAGES
                    for form in (str, lambda text, lang=lang: texts.typeset(text, lang))})


def cli_says_no_internals(given: Any, answer: Any) -> None:
    """The exit statuses of the help texts: 0 done (no error said), 1 done but refused or
    failed, 2 could not run (and every line of standard error says why)."""
    code, err = answer
    assert code in (0, 1, 2), (code, err[:300])
    assert not CLI_SECRETS.search(err), err[:500]
    assert len(err) < 200_000
    said = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in said if line.startswith(CLI_ERRORS)]
    if code == 0:
        assert not errors, ("exit status 0 with an error", err[:300])
    if code == 2:
        assert said and errors, ("exit status 2 without its reason", err[:300])


# --------------------------------------------------------------------------- calls

def evaluate_on(given: Any) -> Any:
    case, on = given
    return ssreg.evaluate(case, on=on)


def evaluate_with(options: Any) -> Any:
    return ssreg.evaluate(CASE, on=ON, **options) if isinstance(options, dict) and all(
        isinstance(k, str) for k in options) else ssreg.evaluate(CASE, on=ON, overrides=options)


def ask(function: Any) -> Any:
    """``questions`` or ``next_question`` on a (partial) case, a date and options."""
    def call(given: Any) -> Any:
        case, on, options = given
        if isinstance(options, dict) and all(isinstance(k, str) for k in options):
            return function(case, on=on, **options)
        return function(case, on=on, settle=options)
    return call


def interview(given: Any) -> Any:
    """``ssreg interview`` answered line by line (good answers, junk, "?", the end of input
    anywhere); what it saves is a case ``evaluate`` reads."""
    answers, lang, on = given
    saved = WORK / "interview.json"
    saved.unlink(missing_ok=True)
    args = ["interview", "--on", on, "--lang", lang, "--save", str(saved)]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
            _stdin("\n".join(answers) + "\n"):
        code = main(args)
    if code == 0:
        ssreg.evaluate(json.loads(saved.read_text(encoding="utf-8")), on=on)
    return code, err.getvalue()


@contextlib.contextmanager
def _stdin(text: str) -> Any:
    import sys

    before = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = before


def overridden(given: Any) -> Any:
    name, value = given
    ssreg.price_claim(CLAIMS[0], overrides={name: value})
    return ssreg.evaluate({"student": STUDENT, "arrival_date": "2026-08-20"}, on=ON,
                          overrides={name: value})


def apply(given: Any) -> Any:
    dossier, event = given
    return ssreg.apply_event(dossier, event)


def build_model(given: Any) -> Any:
    model, fields = given
    if isinstance(fields, dict) and all(isinstance(k, str) for k in fields):
        return model(**fields)
    return model(fields)


def price_one(given: Any) -> Any:
    claim, cover = given
    return ssreg.price_claim(claim, cover=cover)


def price_batch(given: Any) -> Any:
    batch, cover = given
    return list(ssreg.price_claims(batch, cover=cover, errors="collect"))


def price_with(given: Any) -> Any:
    claims, options = given
    if isinstance(options, dict) and all(isinstance(k, str) for k in options):
        return list(ssreg.price_claims(claims, **options))
    return list(ssreg.price_claims(claims, cover=options))


def priced(batch: list[Any]) -> list[Any]:
    return list(ssreg.price_claims(batch, errors="collect"))


def price_frame(given: Any) -> Any:
    import pandas as pd

    batch, money = given
    try:
        frame = pd.DataFrame(batch, dtype=object)
    except Exception:  # pandas refusing to build the frame is not our door
        return None
    return ssreg.price_frame(frame, money=money, errors="collect")


def plot_year(given: Any) -> Any:
    import matplotlib.pyplot as plt

    results, ax = given
    try:
        return ssreg.year_of_care(results, ax=ax)
    finally:
        plt.close("all")


def warm_plots() -> None:
    """matplotlib imported and its fonts found once, before the clock runs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ssreg.year_of_care(priced(CLAIMS))
    plt.close("all")


def warm_frames() -> None:
    """pandas, Arrow and the columnar pricer imported and used once, before the clock."""
    import pandas as pd

    ssreg.price_frame(pd.DataFrame(CLAIMS, dtype=object), errors="collect")
    ssreg.to_frame(priced(CLAIMS))


def toml_text(data: Any, table: str = "") -> str:
    """A small TOML writer for the fuzz (values it cannot write become strings)."""
    lines, tables = [], []
    for key, value in (data.items() if isinstance(data, dict) else {"value": data}.items()):
        name = json.dumps(str(key), ensure_ascii=False)
        if isinstance(value, dict):
            tables.append(toml_text(value, f"{table}.{name}" if table else name))
        else:
            lines.append(f"{name} = {toml_value(value)}")
    head = [f"[{table}]"] if table else []
    return "\n".join([*head, *lines, *tables]) + "\n"


def depth_of(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def dumps(value: Any) -> str:
    """JSON text of any junk (a list nested too deep for json is written by hand)."""
    try:
        return json.dumps(value, default=str, ensure_ascii=False)
    except (RecursionError, ValueError):
        depth = depth_of(value) if isinstance(value, list) else 5000
        return "[" * depth + "]" * depth


def toml_value(value: Any) -> str:
    if isinstance(value, list) and too_deep(value, 40):
        depth = depth_of(value)
        return "[" * depth + "]" * depth
    if isinstance(value, dict) and too_deep(value, 40):
        return '"too deep"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value.bit_length() > 10_000:
        return "9" * 5000
    if isinstance(value, int | Decimal) or (isinstance(value, float) and value == value):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def file_with(text: Any, suffix: str) -> Path:
    path = WORK / f"input{suffix}"
    data = text if isinstance(text, bytes) else str(text).encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def load_cover(given: Any) -> Any:
    data, form = given
    if form == "dict":
        return ssreg.load_cover(data)
    if form == ".json":
        return ssreg.load_cover(file_with(dumps(data), ".json"))
    return ssreg.load_cover(file_with(toml_text(data), ".toml"))


OVERLAYS = [{"parameters": {"rate.consultation": {
    "type": "decimal", "unit": "rate", "label": {"en": "r", "fr": "r", "es": "r"},
    "values": [{"start": date(2018, 9, 1), "value": Decimal("0.6"), "citations": ["C1"]}]}}},
    {"parameters": {"academic_year_start_month": {
        "type": "int", "unit": "count", "label": {"en": "m", "fr": "m", "es": "m"},
        "values": [{"start": date(2018, 9, 1), "value": 10, "citations": ["H1"]}]}}},
    {"rules": [{"id": "route.online.first_time_international", "disabled": True}]}]


def overlay(given: Any) -> Any:
    text = given if isinstance(given, str) else toml_text(given)
    book = ssreg.load_rulebook(file_with(text, ".toml"), base=BOOK)
    with contextlib.suppress(ssreg.SsregError):  # the overlay may leave a gap: an error
        ssreg.evaluate({"student": STUDENT, "claims": CASE["claims"]}, on=ON, rulebook=book)
    with contextlib.suppress(ssreg.SsregError):
        ssreg.price_claim(CLAIMS[1], rulebook=book)
    return book


def number(value: Any) -> Any:
    check = nir.check(value)
    if isinstance(value, str) and len(value) < 100:
        nir.compact(value)
        nir.format(value)
    with contextlib.suppress(ssreg.SsregError):
        nir.validate(value)
    return check, nir.is_valid(value)


COMMAND_LINES = [["evaluate"], ["checklist"], ["dossier"], ["price"], ["batch"],
                 ["evaluate", "--json", "--lang", "es"], ["apply"],
                 ["apply", "--output", "/nonexistent/dir/out.json"],
                 ["price", "--cover"], ["test"], ["evaluate", "--set"],
                 ["nir"], ["parameters"], ["evaluate", "--rules"],
                 ["law-changes"], ["rules", "--json"], ["catalogue"], ["diagram"],
                 ["schema"], ["check-rulebook"], ["evaluate", "--base-url"],
                 ["evaluate", "--json", "--form", "compact"],
                 ["batch", "--form", "compact"], ["price", "--base-url"],
                 ["evaluate", "--assume"], ["batch", "--assume"], ["questions"],
                 ["questions", "--next", "--json"], ["checklist", "--assume"]]
COMMANDS = st.sampled_from(COMMAND_LINES)
CONTENT = st.one_of(st.binary(max_size=300), junk.map(dumps),
                    st.sampled_from(EXAMPLES + DOSSIERS + EVENTS + CLAIMS).flatmap(
                        mutation).map(dumps),
                    st.lists(st.sampled_from(CLAIMS).flatmap(mutation), max_size=6).map(
                        lambda lines: "\n".join(dumps(v) for v in lines)))


def command_line(given: Any) -> Any:
    command, content, on = given
    suffix = {"price": ".jsonl", "batch": ".jsonl", "test": ".toml"}.get(command[0], ".json")
    path = file_with(content, suffix)
    args = [command[0], str(path)]
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    if command[0] in ("law-changes", "rules", "catalogue", "diagram"):  # as an overlay
        args = [*command, "--rules", str(file_with(content, ".toml"))]
    elif command[0] == "check-rulebook":
        args = [*command, str(file_with(content, ".toml")), "--examples", "1", "--on", on]
    elif command[0] in ("nir", "parameters", "schema"):  # the content as the argument
        args = [command[0], text[:200]]
    elif command[1:] == ["--base-url"]:  # the content as the site's address
        args = [command[0], str(file_with(json.dumps(EXAMPLES[0] if command[0] == "evaluate"
                                                     else CLAIMS), ".json")),
                "--json", "--base-url", text[:200]]
    elif command[1:] == ["--rules"]:
        args = [command[0], str(file_with(json.dumps(EXAMPLES[0]), ".case.json")),
                "--rules", str(file_with(content, ".toml"))]
    elif command[0] == "apply":
        args.append(str(file_with(json.dumps(EVENTS[0]), ".event.json")))
        args += command[1:] if len(command) > 1 else ["--output", "-"]
    elif command[1:] == ["--cover"]:
        args += ["--cover", str(path)]
    elif command[1:] == ["--set"]:
        args += ["--set", content if isinstance(content, str) else "x=1", "--on", on]
    else:
        args += command[1:]
    if command[0] in ("evaluate", "checklist", "dossier", "batch") and "--on" not in args:
        args += ["--on", on]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    return code, err.getvalue()


CASE_FILES = sorted((ROOT / "tests" / "cases").rglob("*.toml"))[:40]


def case_file(given: Any) -> Any:
    import tomllib

    outcome = ssreg.testing.run_case_file(file_with(toml_text(given), ".toml"))
    assert isinstance(outcome, ssreg.testing.CaseOutcome)
    _ = tomllib  # the case files are TOML
    return outcome


def case_file_data() -> st.SearchStrategy[Any]:
    import tomllib

    data = [tomllib.loads(p.read_text(encoding="utf-8"), parse_float=Decimal)
            for p in CASE_FILES]
    return inputs(data)


def site(given: Any) -> Any:
    """The explanation site of a rulebook (maybe overlaid), written to a folder."""
    from ssreg.site.build import build_site

    overlay_text, base_url, languages = given
    book = BOOK if overlay_text is None else ssreg.load_rulebook(
        file_with(overlay_text if isinstance(overlay_text, str) else toml_text(overlay_text),
                  ".toml"), base=BOOK)
    return build_site(book, WORK / "site", base_url=base_url, languages=languages)


SITE_FOLDERS = st.sampled_from(["site", "site/deeper", "a file", "under a file",
                                 "", "\udc80"])


def site_command(given: Any) -> Any:
    """``ssreg site OUT`` with an overlay, a base URL, languages, and an OUT of any kind
    (a folder, a file, nowhere); the exit statuses of ``command line``."""
    folder, content, base_url, languages = given
    out = folder if folder.startswith("/") or not folder else str(WORK / folder)
    if folder in ("a file", "under a file"):  # (as root, any folder could be created)
        out = str(file_with("not a folder", ".not-a-folder"))
        out += "/site" if folder == "under a file" else ""
    args = ["site", out, *(["--rules", str(file_with(content, ".toml"))] if content else [])]
    args += [*(["--base-url", base_url] if base_url is not None else [])]
    for lang in languages:
        args += ["--lang", lang]
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    return code, err.getvalue()


API_LEAKS = ("Traceback", 'File "', "site-packages", "ssreg/", ".py\"", "Error:")


def api_client() -> Any:
    """One in-process client of the HTTP API (``ssreg serve``'s app), made on first use."""
    client = getattr(api_client, "client", None)
    if client is None:
        import warnings

        from ssreg.api.app import create_app

        with warnings.catch_warnings():  # starlette would rather have httpx2: not our door
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient

            client = api_client.client = TestClient(create_app(),
                                                    raise_server_exceptions=False)
    return client


def _quoted(text: str) -> str:
    """Any text as it travels in a URL (percent-encoded UTF-8, lone surrogates too)."""
    from urllib.parse import quote

    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def http_request(given: Any) -> Any:
    """A request to the HTTP API: any route (and some that are not), any query, any body
    and media type, any language."""
    method, path, query, body, media, headers = given
    content = body if isinstance(body, bytes) else dumps(body).encode("utf-8", "surrogatepass")
    if media == "application/x-ndjson" and isinstance(body, list):
        content = "\n".join(dumps(item) for item in body).encode("utf-8", "surrogatepass")
    sent = {"content-type": media, **headers} if media else dict(headers)
    head, _, tail = path.partition("/")[2].partition("/")
    url = f"/{head}/{_quoted(tail)}" if tail else path  # what a client sends on the wire
    if query:
        url += "?" + "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in query.items())
    response = api_client().request(method, url, content=content, headers={
        k: v.encode("utf-8", "surrogatepass") for k, v in sent.items()})
    return response.status_code, response.headers.get("content-type", ""), response.text


def http_answer_is_documented(given: Any, answer: Any) -> None:
    """Never a server error; a refusal is problem details naming what was wrong, without
    the server's insides; an answer is JSON (or JSON Lines)."""
    status, media, text = answer
    assert status < 500, (status, text[:300])
    for leak in API_LEAKS:
        assert leak not in text, (leak, text[:300])
    if status >= 400:
        assert media.startswith("application/problem+json"), (status, media)
        body = json.loads(text)
        assert body["status"] == status and body["title"] and body["detail"], body
    elif "ndjson" in media:
        for line in text.splitlines():
            json.loads(line)
    elif "json" in media:
        json.loads(text)


def dask_priced(given: Any) -> Any:
    import dask.dataframe as dd
    import pandas as pd

    import ssreg.dask

    batch, parts = given
    try:
        frame = dd.from_pandas(pd.DataFrame(batch), npartitions=parts)
        frame.compute(scheduler="synchronous")
    except Exception:  # a frame that dask itself cannot compute is not our door
        return None
    return ssreg.dask.price_claims(frame).compute(scheduler="synchronous")


# --------------------------------------------------------------------------- the registry

claims_batch = st.lists(st.sampled_from(CLAIMS).flatmap(mutation) | st.sampled_from(CLAIMS),
                        max_size=5)
some_results = st.sampled_from([priced(CLAIMS), priced([*CLAIMS, {"care": "x"}]), []])
cover_or_junk = st.none() | st.sampled_from(COVERS) | st.sampled_from(COVERS).flatmap(
    mutation) | junk
DECISION = ssreg.evaluate(DOSSIERS[0], on=ON)
MODELS = st.sampled_from([ssreg.Student, ssreg.Document, ssreg.Claim, ssreg.Cover, ssreg.Case,
                          ssreg.Event, ssreg.Dossier])
MODEL_EXAMPLES = [STUDENT, {"kind": "passport", "expires": "2030-01-01"}, CLAIMS[0], COVERS[0],
                  EXAMPLES[1], EVENTS[0], DOSSIERS[0]]

DOORS = Doors()
DOORS.add("evaluate", evaluate_on, st.tuples(inputs(EXAMPLES + DOSSIERS),
                                             weighted((4, DATES), (1, junk))),
          decision_is_consistent)
DOORS.add("evaluate options", evaluate_with, junk | st.fixed_dictionaries({}, optional={
    "engine": junk, "rulebook": junk, "overrides": junk, "trace": junk, "lang": junk,
    "unknown": st.sampled_from(["ask", "assume"]) | junk}),
    decision_is_consistent)
DOORS.add("overrides", overridden, st.tuples(st.sampled_from(PARAMETERS), scalars | junk),
          decision_is_consistent)
DOORS.add("apply_event", apply, st.tuples(st.sampled_from(DOSSIERS) | inputs(DOSSIERS),
                                          inputs(EVENTS)))
DOORS.add("load_dossier", ssreg.load_dossier, inputs(DOSSIERS), dossier_is_savable)
DOORS.add("models", build_model, st.tuples(MODELS, inputs(MODEL_EXAMPLES)), model_is_savable)
DOORS.add("price_claim", price_one, st.tuples(inputs(CLAIMS), cover_or_junk), claim_is_exact)
DOORS.add("price_claims", price_batch, st.tuples(claims_batch, cover_or_junk),
          results_are_complete)
DOORS.add("price_claims options", price_with, st.tuples(
    st.just(CLAIMS) | junk, junk | st.fixed_dictionaries({}, optional={
        "workers": junk, "errors": junk, "presorted": junk, "engine": junk,
        "rulebook": junk, "cover": junk, "overrides": junk})))
DOORS.add("compare", lambda given: ssreg.compare(*given, errors="collect"),
          st.tuples(claims_batch, junk | st.fixed_dictionaries({"a": cover_or_junk},
                                                                optional={"b": junk})))
DOORS.add("summarize", lambda given: ssreg.summarize(*given), st.tuples(
    some_results | junk, st.sampled_from(["care", ("person", "year")]) | junk))
DOORS.add("rows", lambda results: list(ssreg.rows(results)), some_results | junk)
DOORS.add("to_frame", lambda given: ssreg.to_frame(given[0], money=given[1]), st.tuples(
    some_results | junk, st.sampled_from(["float", "cents", "decimal"]) | junk),
    warm=warm_frames)
DOORS.add("price_frame", price_frame, st.tuples(
    claims_batch, st.sampled_from(["float", "cents", "decimal"])), frame_is_complete,
    warm=warm_frames)
DOORS.add("year_of_care", plot_year, st.tuples(some_results | junk, st.none() | junk),
          examples=300, warm=warm_plots)
DOORS.add("load_cover", load_cover, st.tuples(inputs(COVERS), st.sampled_from(
    ["dict", ".json", ".toml"])), model_is_savable)
DOORS.add("load_rulebook", overlay, inputs(OVERLAYS) | st.text(max_size=200), examples=3000)
DOORS.add("nir", number, scalars | st.sampled_from(
    ["295109912611193", "2A5109912611193", "٣19032B00100102"]).flatmap(
    lambda n: st.integers(0, 14).flatmap(lambda i: st.sampled_from(
        [n[:i] + c + n[i + 1:] for c in ("٣", "³", "３", "0", "A", " ", "\udc80")]))),
    answer_is_a_number_check)
DOORS.add("command line", command_line, st.tuples(COMMANDS, CONTENT, DATES.map(str)),
          cli_says_no_internals, examples=20_000)
DOORS.add("case files", case_file, case_file_data(), examples=20_000)
DOORS.add("workers", lambda batch: list(ssreg.price_claims(batch, workers=2,
                                                            errors="collect")),
          claims_batch, lambda given, results: results_are_complete((given,), results),
          examples=300, hang=10)
DOORS.add("site", site, st.tuples(st.none() | inputs(OVERLAYS), st.none() | st.sampled_from(
    ["https://example.org/ssreg/", "http://x"]) | junk, st.sampled_from([("en",), ("es",)])
    | junk), examples=300, hang=30)
DOORS.add("site command", site_command, st.tuples(
    SITE_FOLDERS, st.none() | inputs(OVERLAYS).map(toml_text) | st.text(max_size=100),
    st.none() | st.sampled_from(["https://example.org/ssreg/", "/ssreg", "ftp://x"])
    | st.text(max_size=40), st.lists(st.sampled_from(["en", "es", "de", ""]), min_size=1,
                                     max_size=2)),
    cli_says_no_internals, examples=300, hang=30)
DOORS.add("decision forms", lambda given: DECISION.to_dict(given[0], form=given[1],
                                                           base_url=given[2]),
          st.tuples(st.sampled_from([None, "en", "fr", "es"]) | scalars,
                    st.sampled_from(["full", "compact"]) | scalars,
                    st.none() | st.sampled_from(["https://example.org/ssreg/", "/s"])
                    | scalars), lambda given, data: json.dumps(data, ensure_ascii=False))
PARTIAL = [{"student": {}}, {"student": {"nationality": "US"}},
           {"student": {k: v for k, v in DOSSIERS[0]["case"]["student"].items()
                        if k not in ("stay_months", "quebec_form", "salaried")}},
           *({"student": {k: v for k, v in case["student"].items() if k != drop}}
             for case in EXAMPLES[:4] for drop in ("birth_date", "enrolled_in_french_institution"))]
ASK_OPTIONS = junk | st.fixed_dictionaries({}, optional={
    "settle": st.sampled_from([None, ["route"], ("route", "documents"), ["claims[0]"]]) | junk,
    "skip": st.lists(st.sampled_from(["stay_months", "salaried", "ehic_expiry", "x"]),
                     max_size=3) | junk,
    "engine": st.sampled_from(["compiled", "durable"]) | junk,
    "overrides": st.none() | junk, "rulebook": st.none() | junk})
#: answers that go some way into an interview, then anything
ANSWERED = st.sampled_from([[], ["BR"], ["US", "US", "2004-03-01"], ["US", "US", "2004-03-01",
                                                                    "no"],
                            ["DE", "DE", "2005-01-20", "no", "yes", "10"]])
ANSWERS = st.tuples(ANSWERED, st.lists(st.sampled_from(
    ["BR", "US", "DE", "2004-03-01", "yes", "no", "oui", "1", "2", "10", "0", "?", "none",
     "20260901", "-0", "--5", "9" * 40]) | st.sampled_from(TRICKY_TEXTS)
    | st.text(max_size=20), max_size=14)).map(lambda parts: parts[0] + parts[1])
DOORS.add("questions", ask(ssreg.questions), st.tuples(
    inputs(PARTIAL + EXAMPLES), weighted((4, DATES), (1, junk)),
    st.fixed_dictionaries({}) | ASK_OPTIONS.filter(lambda o: not isinstance(o, dict)
                                                   or "skip" not in o)),
    questions_are_answerable)
DOORS.add("next_question", ask(ssreg.next_question), st.tuples(
    inputs(PARTIAL + EXAMPLES), weighted((4, DATES), (1, junk)),
    st.fixed_dictionaries({}) | ASK_OPTIONS), next_is_not_skipped)
DOORS.add("interview", interview, st.tuples(ANSWERS, st.sampled_from(["en", "fr", "es"]),
                                            DATES.map(str)),
          cli_says_no_internals, examples=20_000)
EVENT_BODIES = [{"dossier": DOSSIERS[0], "event": EVENTS[0]},
                {"dossier": DOSSIERS[0], "event": EVENTS[-1]}]
API_ROUTES = [("POST", "/evaluate", EXAMPLES + DOSSIERS), ("POST", "/questions", PARTIAL),
              ("POST", "/events", EVENT_BODIES),
              ("POST", "/claims/price", [CLAIMS, {"claims": CLAIMS, "cover": COVERS[0]}])]
API_GETS = st.sampled_from([
    "/health", "/openapi.json", "/schemas", "/schemas/case", "/schemas/decision-compact",
    "/rules", "/rules/route.online.first_time_international", "/parameters",
    "/parameters/rate.consultation", "/nope"]) | st.sampled_from(
        ["/schemas/", "/rules/", "/parameters/"]).flatmap(
        lambda head: st.text(max_size=30).map(lambda tail: head + tail))
ANY_BODY = weighted((2, junk), (1, deep), (1, st.binary(max_size=200)), (2, st.sampled_from(
    EXAMPLES + PARTIAL + EVENT_BODIES + [CLAIMS]).flatmap(mutation)))


def _posted(route: tuple[str, str, list[Any]]) -> st.SearchStrategy[Any]:
    method, path, good = route
    return st.tuples(st.just(method), st.just(path), weighted(
        (3, st.sampled_from(good)), (3, st.sampled_from(good).flatmap(mutation)),
        (2, ANY_BODY)))


API_CALLS = weighted(
    (6, st.sampled_from(API_ROUTES).flatmap(_posted)),
    (3, st.tuples(st.just("GET"), API_GETS, st.just(b""))),
    (1, st.tuples(st.sampled_from(["PUT", "POST", "GET", "DELETE"]),
                  API_GETS | st.sampled_from(["/evaluate", "/claims/price"]), ANY_BODY)))
API_QUERY = st.tuples(st.sampled_from([{"on": "2026-09-15"}, {"on": "2026-09-15"}, {}]),
                      st.dictionaries(st.sampled_from(
    ["on", "lang", "form", "unknown", "set", "settle", "skip", "cover", "decision", "name",
     "trace", "presorted", "errors", "x"]),
    st.sampled_from(["2026-09-15", "fr", "es", "compact", "assume", "ask", "route",
                     "stay_months", "rounding=half_up", "participation_forfaitaire=2",
                     "true", "basic"]) | st.sampled_from(TRICKY_TEXTS) | st.text(max_size=20),
    max_size=3)).map(lambda parts: {**parts[0], **parts[1]})
API_MEDIA = st.sampled_from(["application/json", "application/json", "application/json",
                             "application/x-ndjson", "", "text/plain",
                             "application/merge-patch+json"])
API_HEADERS = st.fixed_dictionaries({}, optional={
    "accept-language": st.sampled_from(["fr-FR,fr;q=0.9", "es", "de", "*", ""])
    | st.text(st.characters(codec="latin-1"), max_size=20),
    "accept": st.sampled_from(["application/x-ndjson", "application/json", "*/*"])})
DOORS.add("http api", http_request, st.tuples(
    API_CALLS, API_QUERY, API_MEDIA, API_HEADERS).map(
    lambda t: (*t[0][:2], t[1], t[0][2], *t[2:])), http_answer_is_documented,
    examples=20_000)
def api_app(options: Any) -> Any:
    """``ssreg serve``'s app made with any settings (what the command line gives it, and
    more)."""
    from ssreg.api.app import create_app
    from ssreg.api.settings import Settings

    if not (isinstance(options, dict) and all(k in attrs.fields_dict(Settings) for k in options)):
        return create_app(options)  # (an unknown keyword is Python's TypeError, as for any class)
    return create_app(Settings(**options))


DOORS.add("api settings", api_app, junk | st.fixed_dictionaries({}, optional={
    "rules": st.sampled_from([(), ("/nonexistent/rules.toml",)]) | junk,
    "base_url": st.sampled_from([None, "https://example.org/ssreg/"]) | scalars,
    "site": st.none() | scalars, "cors_origins": st.sampled_from([(), ("*",)]) | junk,
    **{name: st.sampled_from([1, 4096, 2**39]) | scalars for name in (
        "max_body", "max_stream", "max_line", "max_claims", "timeout", "stream_timeout")}}),
    examples=20_000)
DOORS.add("dask", dask_priced, st.tuples(claims_batch.filter(bool), st.integers(1, 3)),
          examples=100, hang=10)


# --------------------------------------------------------------------------- the tests

SLOW = {"workers": 3, "dask": 2, "load_rulebook": 15, "command line": 25, "case files": 25,
        "year_of_care": 10, "site": 3, "site command": 3, "interview": 15}


@pytest.mark.parametrize("name", DOORS.names())
def test_door(name):
    """Only accepted answers (invariant kept) and ssreg errors naming a field, quickly."""
    door = DOORS[name]
    hang = float(os.environ.get("SSREG_FUZZ_HANG", "10"))
    if door.warm is not None:
        door.warm()

    @settings(FUZZ, max_examples=min(BUDGET, SLOW.get(name, BUDGET)))
    @given(door.inputs)
    def run(value):
        outcome = classify(door, value, hang=hang)
        assert outcome.kind in ("accepted", "ssreg error"), outcome

    run()


def test_every_public_entry_point_has_a_door():
    covered = {"evaluate", "apply_event", "load_dossier", "price_claim", "price_claims",
               "compare", "summarize", "rows", "to_frame", "price_frame", "year_of_care",
               "load_cover", "load_rulebook", "questions", "next_question"}
    functions = {name for name in ssreg.__all__ if callable(getattr(ssreg, name))
                 and not isinstance(getattr(ssreg, name), type)}
    assert functions - covered <= {"default_rulebook", "builtin_rules_dir"}, (
        "add a door to DOORS for " + ", ".join(sorted(functions - covered)))
    assert set(DOORS.names()) >= {*covered - {"load_rulebook"}, "load_rulebook",
                                  "command line", "nir", "workers", "dask", "case files",
                                  "site", "site command", "decision forms", "questions",
                                  "next_question", "interview", "http api", "api settings"}


def test_every_command_has_a_door():
    from ssreg.cli.main import parser

    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    fuzzed = {line[0] for line in COMMAND_LINES} | {"site", "interview", "serve"}  # serve:
    # its settings and the app it serves are doors of their own ("api settings", "http api")
    assert set(commands) <= fuzzed, "add to COMMAND_LINES: " + ", ".join(
        sorted(set(commands) - fuzzed))


def test_the_fuzz_inputs_reach_the_tricky_values():
    """The junk does carry lone surrogates, non-ASCII digits and deep nesting."""
    seen: dict[str, bool] = {"surrogate": False, "digit": False, "deep": False}

    @settings(max_examples=400, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(junk | deep)
    def look(value):
        if too_deep(value, 20):
            seen["deep"] = True
            return
        try:
            text = json.dumps(value, default=str)
        except ValueError:  # an integer of thousands of digits
            return
        seen["surrogate"] |= "\\ud" in text
        seen["digit"] |= any(c in text for c in ("\\u0663", "\\u00b3"))

    look()
    assert all(seen.values()), seen
