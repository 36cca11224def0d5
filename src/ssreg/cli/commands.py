"""The command line's commands (see :mod:`ssreg.cli.main` for the parser and exit statuses)."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import texts
from ..exceptions import InvalidInputError, Problem, SsregError
from ..model.limits import excerpt
from ..output import i18n
from ..pricing.results import ClaimResult
from .inputs import (
    book,
    claim_items,
    emit,
    hint,
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
                    overrides=overrides(args.set),
                    unknown="assume" if getattr(args, "assume", False) else "ask")


def _check_base_url(args: argparse.Namespace) -> None:
    if args.base_url is not None:
        from ..output.links import check_base_url

        check_base_url(args.base_url)


def cmd_evaluate(args: argparse.Namespace) -> int:
    _check_base_url(args)
    decision = _decide(args, read_json(args.case))
    if args.json:
        emit(decision.to_dict(args.lang, form=args.form, base_url=args.base_url))
        return 0
    print(decision.summary(args.lang) if args.summary else decision.explain(args.lang))
    if args.base_url:
        _print_links(decision.to_dict(args.lang, base_url=args.base_url)["links"], args.lang)
    return 0


def _print_links(links: dict[str, dict[str, str]], lang: str) -> None:
    """The site's pages of the rules and parameters an answer cites, after its text."""
    from ..output import i18n

    print()
    print(i18n.typeset(i18n.text("word.pages", lang) + i18n.colon(lang).rstrip(), lang))
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
    from ..output.summary import render, sections
    from ..output.text import workflow_lines

    decision = _decide(args, structure_dossier(read_json(args.dossier)))
    if args.json:
        data = decision.to_dict(args.lang)
        emit({key: data[key] for key in ("schema", "on", "academic_year", "outcomes",
                                          "workflow", "warnings", "checklist")})
        return 0
    # the journey in full, then what the summary adds to it: each heading once
    print("\n".join(workflow_lines(decision.book, decision.workflow, decision._run.env,
                                   args.lang)))
    rest = [s for s in sections(decision, args.lang)
            if s.key in ("what_blocks", "what_to_bring", "warnings")]
    if rest:
        print(render(rest, args.lang))
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    from ..model.dossier import structure_dossier
    from ..registration.evaluate import apply_event

    current = structure_dossier(read_json(args.dossier))
    new_book = book(args)
    new = apply_event(current, read_json(args.event), rulebook=new_book,
                      engine=args.engine, overrides=overrides(args.set))
    target = args.output or args.dossier
    text = new.to_json() + "\n"
    if target == "-":
        sys.stdout.write(text)
        return 0
    write_atomically(Path(target), text)
    last = new.events[-1]
    print(i18n.typeset(texts.message(
        "cli.written", args.lang, target=target, count=len(new.events),
        event=new_book.events[last.type].label[args.lang], date=i18n.day(last.date, args.lang)),
        args.lang), file=sys.stderr)
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
    from ..output.caveats import Marks

    lang = args.lang
    marks = Marks(rulebook, lang)
    if not args.json:
        print(_price_row(lang, *(texts.message(f"table.{k}", lang) for k in PRICE_COLUMNS),
                         note=texts.message("caveat.notes", lang)))
    for i, (where, item) in enumerate(items):
        if i not in good_positions:
            refused += 1
            line = {"where": where, "ok": False, "problems": [item.to_dict()]}
            print(json.dumps(line, ensure_ascii=False) if args.json else
                  f"{where:<12} {texts.message('table.refused', lang)}{i18n.colon(lang)}"
                  f"{item.text(lang)}")
            continue
        result = next(priced)
        if not isinstance(result, ClaimResult):
            result = _relocated(result, where)
            refused += 1
            if args.json:
                print(json.dumps({"where": where, **claim_dict(rulebook, result, args.lang)},
                                 ensure_ascii=False))
            else:
                print(f"{where:<12} " + explain_error(result, lang).replace("\n", " "))
            continue
        for key in totals:
            totals[key] += getattr(result, key)
        if args.json:
            print(json.dumps({"where": where, **claim_dict(rulebook, result, args.lang,
                                                           args.base_url)},
                             ensure_ascii=False))
        else:
            cited.append(result)
            care = rulebook.label(f"care.{result.care}", lang)
            print(_price_row(lang, where, i18n.short_day(result.date, lang), care,
                             *(i18n.number(getattr(result, k), lang) for k in MONEY),
                             note=marks.of(result.assumptions, result.warnings)))
    if not args.json:
        print(_price_row(lang, texts.message("table.total", lang), "", "",
                         *(i18n.number(totals[k], lang) for k in MONEY)))
        for legend in marks.legend():
            print(legend)
        if refused:
            print(texts.typeset(texts.message("cli.claims_refused", lang, count=refused),
                                lang), file=sys.stderr)
        if args.base_url and cited:
            from ..output.links import claim_links

            merged: dict[str, dict[str, str]] = {"rules": {}, "parameters": {}}
            for result in cited:
                for kind, urls in claim_links(result, args.base_url, args.lang).items():
                    merged[kind].update(urls)
            _print_links({k: dict(sorted(v.items())) for k, v in merged.items()}, args.lang)
    return 1 if refused else 0


PRICE_COLUMNS = ("where", "date", "care", "billed", "amo", "top_up", "patient")
MONEY = ("billed", "amo", "top_up", "patient")


def _price_row(lang: str, where: str, day: str, care: str, *amounts: str,
               note: str = "") -> str:
    """A row of the price table; ``note``: the marks of its assumptions and warnings."""
    care = care if len(care) <= 28 else care[:27] + "…"
    cells = "".join(f" {a[:17]:>17}" for a in amounts)
    return i18n.typeset(f"{where[:12]:<12} {day:<10} {care:<28}{cells}  {note}".rstrip(), lang)


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
                                engine=args.engine, overrides=extra,
                                unknown="assume" if args.assume else "ask")
            out = {"line": n, "ok": True,
                   "decision": decision.to_dict(args.lang, form=args.form,
                                                base_url=args.base_url)}
        except SsregError as exc:
            failed += 1
            problems = exc.problems if isinstance(exc, InvalidInputError) else (
                Problem(f"line {n}", str(exc)),)
            out = {"line": n, "ok": False,
                   "problems": [p.to_dict(args.lang) for p in problems]}
        print(json.dumps(out, ensure_ascii=False))
    return 1 if failed else 0


# --------------------------------------------------------------------------- the rulebook


def cmd_rules(args: argparse.Namespace) -> int:
    rulebook = book(args)
    day = on(args) if args.on else None
    chosen = sorted(rulebook.rules, key=lambda r: (r.decision, r.priority, r.id, r.start))
    if args.id:
        chosen = [r for r in chosen if args.id in r.id]
        if not chosen:
            raise InvalidInputError([Problem("id", f"no rule id contains {excerpt(args.id)}"
                                     f"{hint(args.id, {r.id for r in rulebook.rules})}; "
                                     "`ssreg rules` lists them")])
    if day is not None:
        chosen = [r for r in chosen if r.in_force(day)]
        if not chosen:
            raise InvalidInputError([Problem("--on", f"no rule is in force on {day}; the "
                                                     f"rules start on {rulebook.first_day}")])
    from ..output.listing import rule_row

    rows: list[dict[str, Any]] = [rule_row(rule, args.lang) for rule in chosen]
    if args.json:
        emit(rows)
        return 0
    for row in rows:
        period = f"{row['start']}..{row['end'] or ''}"
        print(f"{row['id']}  {period}  [{', '.join(row['citations'])}]")
        print(f"    {row['label']}")
    return 0


def cmd_parameters(args: argparse.Namespace) -> int:
    from ..output.claimtext import param_value
    from ..output.listing import parameter_value_row
    from ..registration.evaluate import as_date

    rulebook, lang = book(args), args.lang
    day = on(args) if args.on else None
    today = on(argparse.Namespace(on=None))  # the age of a check is counted from today
    names = [n for n in sorted(rulebook.parameters) if not args.name or args.name in n]
    if not names:
        raise InvalidInputError([Problem("name", f"no parameter name contains "
                                 f"{excerpt(args.name)}{hint(args.name, rulebook.parameters)}"
                                 "; `ssreg parameters` lists them")])
    rows: list[dict[str, Any]] = []
    for name in names:
        param = rulebook.parameters[name]
        values = [v for v in param.values if day is None or v.start <= day <= v.end]
        for value in values:
            row = parameter_value_row(rulebook, param, value, lang)
            if args.secondary_only and row["kind"] != "secondary":
                continue
            if args.stale is not None and row["checked"] is not None and (
                    today - as_date(row["checked"])).days <= args.stale:
                continue
            rows.append(row)
    if not rows and day is not None:
        raise InvalidInputError([Problem("--on", f"no value in force on {day}")])
    if args.json:
        emit(rows)
        return 0
    for row in rows:
        flag = f"  {texts.message('table.uncertain', lang)}" if row["uncertain"] else ""
        print(f"{row['name']} = {row['shown']}  [{row['start']}..{row['end'] or ''}]{flag}")
        print(f"    {row['label']}  [{', '.join(row['citations'])}]")
        if args.provenance or args.secondary_only or args.stale is not None:
            kinds = ", ".join(f"{k}: {i18n.text(f'source_kind.{v}', lang)}"
                              for k, v in row["sources"].items())
            best = i18n.text(f"source_kind.{row['kind']}", lang) if row["kind"] else "-"
            print(i18n.typeset(f"    {texts.message('table.best_source', lang)}"
                               f"{i18n.colon(lang)}{best}; "
                               f"{texts.message('table.last_checked', lang)} "
                               f"{row['checked']} ({kinds})", lang))
        if row["options"]:
            param = rulebook.parameters[row["name"]]
            shown = ", ".join(param_value(param.unit, o, lang, param) for o in param.options)
            print(i18n.typeset(f"    {texts.message('table.options', lang)}{i18n.colon(lang)}"
                               f"{shown}", lang))
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
    from ..output.schema import SCHEMAS, schema

    if args.which not in SCHEMAS:
        raise InvalidInputError([Problem("NAME", f"unknown schema {excerpt(args.which)}"
                                         f"{hint(args.which, SCHEMAS)}; known: "
                                         f"{', '.join(SCHEMAS)}")])
    emit(schema(args.which))
    return 0


def cmd_nir(args: argparse.Namespace) -> int:
    from ..fr import nir

    lang = args.lang
    result = nir.check(args.number)
    if args.json:
        emit(result.to_dict())
    else:
        verdict = texts.message("nir.valid" if result.valid else "nir.invalid", lang)
        status = texts.message(f"nir_status.{result.status}", lang)
        print(i18n.typeset(f"{result.number or args.number[:40]}{i18n.colon(lang)}{verdict} "
                           f"({status})", lang))
        for problem in result.problems:
            kind = texts.message("nir.error" if problem.error else "nir.note", lang)
            print(i18n.typeset(f"  {kind}{i18n.colon(lang)}{problem.message(lang)}", lang))
    return 0 if result.valid else 1
