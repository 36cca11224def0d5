"""The command line's commands (see :mod:`ssreg.cli.main` for the parser and exit statuses)."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..exceptions import InvalidInputError, Problem, SsregError
from ..pricing.results import ClaimResult
from ..rulebook.rulebook import FAR_FUTURE
from .inputs import (
    book,
    claim_items,
    emit,
    on,
    overrides,
    parse_json,
    read_input_text,
    read_json,
    write_atomically,
)


# --------------------------------------------------------------------------- decisions


def _decide(args: argparse.Namespace, source: Any) -> Any:
    from ..registration.evaluate import evaluate

    return evaluate(source, on=on(args), rulebook=book(args), engine=args.engine,
                    overrides=overrides(args.set))


def _check_base_url(args: argparse.Namespace) -> None:
    if args.base_url is not None:
        from ..output.links import check_base_url

        check_base_url(args.base_url)


def cmd_evaluate(args: argparse.Namespace) -> int:
    _check_base_url(args)
    decision = _decide(args, read_json(args.case))
    if args.json:
        emit(decision.to_dict(args.lang, base_url=args.base_url))
        return 0
    print(decision.summary(args.lang) if args.summary else decision.explain(args.lang))
    if args.base_url:
        _print_links(decision.to_dict(args.lang, base_url=args.base_url)["links"], args.lang)
    return 0


def _print_links(links: dict[str, dict[str, str]], lang: str) -> None:
    """The site's pages of the rules and parameters an answer cites, after its text."""
    from ..output import i18n

    print()
    print(i18n.text("pages", lang) + i18n.colon(lang).rstrip())
    for kind in ("rules", "parameters"):
        for key, url in links[kind].items():
            print(f"  {key}: {url}")


def cmd_checklist(args: argparse.Namespace) -> int:
    from ..output.labels import checklist_dict

    decision = _decide(args, read_json(args.case))
    if args.json:
        emit(checklist_dict(decision.book, decision.checklist, args.lang))
    else:
        print(decision.checklist_text(args.lang))
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from ..model.dossier import structure_dossier
    from ..output.text import workflow_lines

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
    from ..model.dossier import structure_dossier
    from ..registration.evaluate import apply_event

    current = structure_dossier(read_json(args.dossier))
    new = apply_event(current, read_json(args.event), rulebook=book(args),
                      engine=args.engine, overrides=overrides(args.set))
    target = args.output or args.dossier
    text = new.to_json() + "\n"
    if target == "-":
        sys.stdout.write(text)
        return 0
    write_atomically(Path(target), text)
    print(f"{target}: {len(new.events)} events; last: {new.events[-1].type} on "
          f"{new.events[-1].date}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- claims


def cmd_price(args: argparse.Namespace) -> int:
    from ..model.models import load_cover
    from ..output.labels import claim_dict
    from ..output.text import explain_error
    from ..pricing.batch import price_claims

    _check_base_url(args)
    rulebook = book(args)
    cover = load_cover(args.cover) if args.cover else None
    items = claim_items(args.claims)
    good = [(i, item) for i, (_, item) in enumerate(items) if not isinstance(item, Problem)]
    priced = iter(price_claims([item for _, item in good], cover=cover, rulebook=rulebook,
                               engine=args.engine, overrides=overrides(args.set),
                               presorted=args.presorted, errors="collect"))
    good_positions = {i for i, _ in good}
    refused = 0
    cited: list[ClaimResult] = []
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
            print(json.dumps({"where": where, **claim_dict(rulebook, result, args.lang,
                                                           args.base_url)},
                             ensure_ascii=False))
        else:
            cited.append(result)
            print(f"{where:<12} {result.date.isoformat():<10} {result.care[:24]:<24} "
                  f"{result.billed:>9} {result.amo:>9} {result.top_up:>9} {result.patient:>9}")
    if not args.json:
        print(f"{'total':<47} {totals['billed']:>9} {totals['amo']:>9} "
              f"{totals['top_up']:>9} {totals['patient']:>9}")
        if refused:
            print(f"{refused} claim(s) refused", file=sys.stderr)
        if args.base_url and cited:
            from ..output.links import claim_links

            merged: dict[str, dict[str, str]] = {"rules": {}, "parameters": {}}
            for result in cited:
                for kind, urls in claim_links(result, args.base_url, args.lang).items():
                    merged[kind].update(urls)
            _print_links({k: dict(sorted(v.items())) for k, v in merged.items()}, args.lang)
    return 1 if refused else 0


def _relocated(error: Any, where: str) -> Any:
    """A claim error located by the input's line (not its place among readable claims)."""
    import attrs

    prefix = f"claims[{error.position}]"
    problems = tuple(Problem(where + p.path.removeprefix(prefix), p.message)
                     for p in error.problems)
    return attrs.evolve(error, problems=problems)


def cmd_batch(args: argparse.Namespace) -> int:
    from ..registration.evaluate import evaluate

    _check_base_url(args)
    rulebook, day, extra = book(args), on(args), overrides(args.set)
    failed = 0
    for n, line in enumerate(read_input_text(args.cases).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            decision = evaluate(parse_json(line, f"line {n}"), on=day, rulebook=rulebook,
                                engine=args.engine, overrides=extra)
            out = {"line": n, "ok": True,
                   "decision": decision.to_dict(args.lang, base_url=args.base_url)}
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
    from ..output.text import param_value
    from ..rulebook.provenance import best_kind, last_checked

    rulebook = book(args)
    day = on(args) if args.on else None
    today = on(argparse.Namespace(on=None))  # the age of a check is counted from today
    rows: list[dict[str, Any]] = []
    for name in sorted(rulebook.parameters):
        if args.name and args.name not in name:
            continue
        param = rulebook.parameters[name]
        values = [v for v in param.values if day is None or v.start <= day <= v.end]
        for value in values:
            kind = best_kind(rulebook.sources, value.citations)
            checked = last_checked(rulebook.sources, value.citations)
            if args.secondary_only and kind != "secondary":
                continue
            if args.stale is not None and checked is not None and (
                    today - checked).days <= args.stale:
                continue
            rows.append({
                "name": name, "label": param.label[args.lang], "unit": param.unit,
                "value": str(value.value) if isinstance(value.value, Decimal) else
                list(value.value) if isinstance(value.value, tuple) else value.value,
                "shown": param_value(param.unit, value.value, args.lang),
                "start": value.start.isoformat(),
                "end": None if value.end == FAR_FUTURE else value.end.isoformat(),
                "citations": list(value.citations), "uncertain": value.uncertain,
                "note": value.note, "options": list(param.options),
                "alternatives": {k: list(v) for k, v in param.alternatives.items()},
                "kind": kind, "checked": checked.isoformat() if checked else None,
                "sources": {k: rulebook.sources[k].kind for k in value.citations}})
    if args.json:
        emit(rows)
        return 0
    for row in rows:
        flag = "  (uncertain)" if row["uncertain"] else ""
        print(f"{row['name']} = {row['shown']}  [{row['start']}..{row['end'] or ''}]{flag}")
        print(f"    {row['label']}  [{', '.join(row['citations'])}]")
        if args.provenance or args.secondary_only or args.stale is not None:
            kinds = ", ".join(f"{k} {v}" for k, v in row["sources"].items())
            print(f"    best source: {row['kind']}; last checked {row['checked']} ({kinds})")
        if row["options"]:
            print(f"    options: {', '.join(row['options'])}")
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from ..site.catalogue import render_catalogue

    sys.stdout.write(render_catalogue(book(args)))
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    from ..output.diagram import render_diagrams

    sys.stdout.write(render_diagrams(book(args), args.lang))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..output.schema import schema

    emit(schema(args.which))
    return 0


def cmd_nir(args: argparse.Namespace) -> int:
    from ..fr import nir

    result = nir.check(args.number)
    if args.json:
        emit(result.to_dict())
    else:
        print(f"{result.number or args.number[:40]}: {'valid' if result.valid else 'invalid'}"
              f" ({result.status})")
        for problem in result.problems:
            print(f"  {'error' if problem.error else 'note'}: {problem.message(args.lang)}")
    return 0 if result.valid else 1
