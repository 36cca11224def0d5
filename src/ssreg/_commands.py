"""The command line's commands (see :mod:`ssreg._cli` for the parser and exit statuses)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ._files import decode, read_text
from ._results import ClaimResult
from ._rulebook import FAR_FUTURE, Rulebook
from .exceptions import InvalidInputError, Problem, SsregError


# --------------------------------------------------------------------------- inputs


def read_input_text(path: str) -> str:
    if path == "-":
        return decode(sys.stdin.buffer.read(), "(standard input)")
    return read_text(path)


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InvalidInputError([Problem(where, f"not valid JSON ({exc.msg} at line "
                                                f"{exc.lineno}, column {exc.colno})")]) from None
    except RecursionError:
        raise InvalidInputError([Problem(where, "not valid JSON: nested too deeply")]) from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise InvalidInputError([Problem(where, "not valid JSON: a number has too many "
                                                "digits")]) from None


def read_json(path: str) -> Any:
    return parse_json(read_input_text(path), path if path != "-" else "(standard input)")


def overrides(pairs: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    problems = []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            problems.append(Problem(f"--set {pair[:80]}", "expected NAME=VALUE"))
            continue
        found[name.strip()] = value.strip()
    if problems:
        raise InvalidInputError(problems)
    return found


def book(args: argparse.Namespace) -> Rulebook:
    from ._loader import default_rulebook, load_rulebook

    rules = getattr(args, "rules", [])
    return load_rulebook(*rules, base=default_rulebook()) if rules else default_rulebook()


def on(args: argparse.Namespace) -> date:
    from ._evaluate import as_date

    # the command line is the edge: only here may the date default to today
    return as_date(args.on, "--on") if args.on else date.today()  # noqa: DTZ011


def emit(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# --------------------------------------------------------------------------- decisions


def _decide(args: argparse.Namespace, source: Any) -> Any:
    from ._evaluate import evaluate

    return evaluate(source, on=on(args), rulebook=book(args), engine=args.engine,
                    overrides=overrides(args.set))


def cmd_evaluate(args: argparse.Namespace) -> int:
    decision = _decide(args, read_json(args.case))
    if args.json:
        emit(decision.to_dict(args.lang))
    elif args.summary:
        print(decision.summary(args.lang))
    else:
        print(decision.explain(args.lang))
    return 0


def cmd_checklist(args: argparse.Namespace) -> int:
    from ._labels import checklist_dict

    decision = _decide(args, read_json(args.case))
    if args.json:
        emit(checklist_dict(decision.book, decision.checklist, args.lang))
    else:
        print(decision.checklist_text(args.lang))
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from ._dossier import structure_dossier
    from ._text import workflow_lines

    decision = _decide(args, structure_dossier(read_json(args.dossier)))
    if args.json:
        data = decision.to_dict(args.lang)
        emit({key: data[key] for key in ("schema", "on", "academic_year", "outcomes",
                                          "workflow", "warnings", "checklist")})
        return 0
    print(decision.summary(args.lang))
    print()
    print("\n".join(workflow_lines(decision.book, decision.workflow, decision._run.env,
                                   args.lang)))
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    from ._dossier import structure_dossier
    from ._evaluate import apply_event

    current = structure_dossier(read_json(args.dossier))
    new = apply_event(current, read_json(args.event), rulebook=book(args),
                      engine=args.engine, overrides=overrides(args.set))
    target = args.output or args.dossier
    text = new.to_json() + "\n"
    if target == "-":
        sys.stdout.write(text)
        return 0
    _write_atomically(Path(target), text)
    print(f"{target}: {len(new.events)} events; last: {new.events[-1].type} on "
          f"{new.events[-1].date}", file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".ssreg-", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- claims


def _bool(text: str) -> Any:
    lowered = text.strip().lower()
    return {"true": True, "false": False, "1": True, "0": False, "yes": True,
            "no": False}.get(lowered, text)


def _csv_rows(text: str) -> Iterator[tuple[int, Any]]:
    """Claims from CSV, typed by the Claim fields; empty cells are left out."""
    from ._fields import BoolKind, IntKind, Optional, specs
    from ._model import Claim

    kinds = dict(specs(Claim))
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        item: dict[str, Any] = {}
        for key, value in row.items():
            if key is None or value is None or value == "":
                continue
            spec = kinds.get(key.strip())
            kind = spec.kind.inner if spec and isinstance(spec.kind, Optional) else (
                spec.kind if spec else None)
            if isinstance(kind, BoolKind):
                item[key.strip()] = _bool(value)
            elif isinstance(kind, IntKind) and value.strip().lstrip("-").isdigit():
                item[key.strip()] = int(value.strip())
            else:
                item[key.strip()] = value
        yield reader.line_num, item


def _claim_items(path: str) -> list[tuple[str, Any]]:
    """``(where, item)`` of each claim; an unreadable line gives a Problem as its item."""
    text = read_input_text(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return [(f"line {n}", item) for n, item in _csv_rows(text)]
    if suffix == ".jsonl":
        found: list[tuple[str, Any]] = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                found.append((f"line {n}", parse_json(line, f"line {n}")))
            except InvalidInputError as exc:
                found.append((f"line {n}", exc.problems[0]))
        return found
    data = parse_json(text, path)
    if isinstance(data, dict) and "claims" in data:
        data = data["claims"]
    if not isinstance(data, list):
        raise InvalidInputError([Problem(path, "expected a JSON list of claims (or .jsonl, "
                                               ".csv)")])
    return [(f"claims[{i}]", item) for i, item in enumerate(data)]


def cmd_price(args: argparse.Namespace) -> int:
    from ._batch import price_claims
    from ._labels import claim_dict
    from ._model import load_cover
    from ._text import explain_error

    rulebook = book(args)
    cover = load_cover(args.cover) if args.cover else None
    items = _claim_items(args.claims)
    good = [(i, item) for i, (_, item) in enumerate(items) if not isinstance(item, Problem)]
    priced = iter(price_claims([item for _, item in good], cover=cover, rulebook=rulebook,
                               engine=args.engine, overrides=overrides(args.set),
                               presorted=args.presorted, errors="collect"))
    good_positions = {i for i, _ in good}
    refused = 0
    totals = {"billed": Decimal("0.00"), "amo": Decimal("0.00"), "top_up": Decimal("0.00"),
              "patient": Decimal("0.00")}
    if not args.json:
        print(f"{'where':<12} {'date':<10} {'care':<24} {'billed':>9} {'amo':>9} "
              f"{'top-up':>9} {'patient':>9}")
    for i, (where, item) in enumerate(items):
        if i not in good_positions:
            refused += 1
            line = {"where": where, "ok": False, "problems": [item.to_dict()]}
            print(json.dumps(line, ensure_ascii=False) if args.json else
                  f"{where:<12} {'refused':<10} {item.message}")
            continue
        result = next(priced)
        if not isinstance(result, ClaimResult):
            result = _relocated(result, where)
            refused += 1
            if args.json:
                print(json.dumps({"where": where, **claim_dict(rulebook, result, args.lang)},
                                 ensure_ascii=False))
            else:
                print(f"{where:<12} " + explain_error(result, args.lang).replace("\n", " "))
            continue
        for key in totals:
            totals[key] += getattr(result, key)
        if args.json:
            print(json.dumps({"where": where, **claim_dict(rulebook, result, args.lang)},
                             ensure_ascii=False))
        else:
            print(f"{where:<12} {result.date.isoformat():<10} {result.care[:24]:<24} "
                  f"{result.billed:>9} {result.amo:>9} {result.top_up:>9} {result.patient:>9}")
    if not args.json:
        print(f"{'total':<47} {totals['billed']:>9} {totals['amo']:>9} "
              f"{totals['top_up']:>9} {totals['patient']:>9}")
        if refused:
            print(f"{refused} claim(s) refused", file=sys.stderr)
    return 1 if refused else 0


def _relocated(error: Any, where: str) -> Any:
    """A claim error located by the input's line (not its place among readable claims)."""
    import attrs

    prefix = f"claims[{error.position}]"
    problems = tuple(Problem(where + p.path.removeprefix(prefix), p.message)
                     for p in error.problems)
    return attrs.evolve(error, problems=problems)


def cmd_batch(args: argparse.Namespace) -> int:
    from ._evaluate import evaluate

    rulebook, day, extra = book(args), on(args), overrides(args.set)
    failed = 0
    for n, line in enumerate(read_input_text(args.cases).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            decision = evaluate(parse_json(line, f"line {n}"), on=day, rulebook=rulebook,
                                engine=args.engine, overrides=extra)
            out = {"line": n, "ok": True, "decision": decision.to_dict(args.lang)}
        except SsregError as exc:
            failed += 1
            problems = exc.problems if isinstance(exc, InvalidInputError) else (
                Problem(f"line {n}", str(exc)),)
            out = {"line": n, "ok": False, "problems": [p.to_dict() for p in problems]}
        print(json.dumps(out, ensure_ascii=False))
    return 1 if failed else 0


# --------------------------------------------------------------------------- the rulebook


def cmd_rules(args: argparse.Namespace) -> int:
    rulebook = book(args)
    day = on(args) if args.on else None
    rows: list[dict[str, Any]] = []
    for rule in sorted(rulebook.rules, key=lambda r: (r.decision, r.priority, r.id, r.start)):
        if day is not None and not rule.in_force(day):
            continue
        rows.append({"id": rule.id, "decision": rule.decision, "start": rule.start.isoformat(),
                     "end": None if rule.end == FAR_FUTURE else rule.end.isoformat(),
                     "citations": list(rule.citations), "label": rule.label[args.lang]})
    if args.json:
        emit(rows)
        return 0
    for row in rows:
        period = f"{row['start']}..{row['end'] or ''}"
        print(f"{row['id']:<52} {period:<24} {', '.join(row['citations'])}")
    return 0


def cmd_parameters(args: argparse.Namespace) -> int:
    from ._text import param_value

    rulebook = book(args)
    day = on(args) if args.on else None
    rows: list[dict[str, Any]] = []
    for name in sorted(rulebook.parameters):
        if args.name and args.name not in name:
            continue
        param = rulebook.parameters[name]
        values = [v for v in param.values if day is None or v.start <= day <= v.end]
        for value in values:
            rows.append({
                "name": name, "label": param.label[args.lang], "unit": param.unit,
                "value": str(value.value) if isinstance(value.value, Decimal) else
                list(value.value) if isinstance(value.value, tuple) else value.value,
                "shown": param_value(param.unit, value.value, args.lang),
                "start": value.start.isoformat(),
                "end": None if value.end == FAR_FUTURE else value.end.isoformat(),
                "citations": list(value.citations), "uncertain": value.uncertain,
                "note": value.note, "options": list(param.options),
                "alternatives": {k: list(v) for k, v in param.alternatives.items()}})
    if args.json:
        emit(rows)
        return 0
    for row in rows:
        flag = "  (uncertain)" if row["uncertain"] else ""
        print(f"{row['name']} = {row['shown']}  [{row['start']}..{row['end'] or ''}]{flag}")
        print(f"    {row['label']}  [{', '.join(row['citations'])}]")
        if row["options"]:
            print(f"    options: {', '.join(row['options'])}")
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from ._catalogue import render_catalogue

    sys.stdout.write(render_catalogue(book(args)))
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    from ._diagram import render_diagrams

    sys.stdout.write(render_diagrams(book(args), args.lang))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ._schema import schema

    emit(schema(args.which))
    return 0


def cmd_nir(args: argparse.Namespace) -> int:
    from .fr import nir

    result = nir.check(args.number)
    if args.json:
        emit(result.to_dict())
    else:
        print(f"{result.number or args.number[:40]}: {'valid' if result.valid else 'invalid'}"
              f" ({result.status})")
        for problem in result.problems:
            print(f"  {'error' if problem.error else 'note'}: {problem.message(args.lang)}")
    return 0 if result.valid else 1


def cmd_test(args: argparse.Namespace) -> int:
    from ._casefiles import case_files, run_case_file

    rulebook = book(args)
    files = case_files(args.paths)
    if not files:
        raise InvalidInputError([Problem(", ".join(args.paths)[:200], "no case file found")])
    failures = 0
    for path in files:
        outcome = run_case_file(path, rulebook, engine=args.engine)
        if outcome.passed:
            if not args.quiet:
                print(f"PASS {path}: {outcome.name}")
            continue
        failures += 1
        print(f"FAIL {path}: {outcome.name}")
        for difference in outcome.differences:
            print(f"     {difference}")
    print(f"{len(files) - failures} passed, {failures} failed")
    return 1 if failures else 0


def cmd_check_rulebook(args: argparse.Namespace) -> int:
    from ._lint import check_rulebook
    from ._loader import default_rulebook, load_rulebook

    rulebook = load_rulebook(*args.paths, base=default_rulebook()) if args.paths else \
        default_rulebook()
    report = check_rulebook(rulebook, examples=args.examples)
    if args.json:
        emit(report.to_dict())
    else:
        print(report.text())
    return 0 if report.ok else 1
