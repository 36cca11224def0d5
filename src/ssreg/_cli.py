"""The ``ssreg`` command line: evaluate a case file, print a checklist, list the rules.

Errors print one line (``ssreg: error: ...``) and exit with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ._loader import default_rulebook, load_rulebook
from ._rulebook import FAR_FUTURE, Rulebook
from .exceptions import SsregError


def _read_case(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SsregError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise SsregError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def _overrides(pairs: Sequence[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SsregError(f"--set {pair!r}: expected NAME=VALUE")
        found[name.strip()] = value.strip()
    return found


def _book(args: argparse.Namespace) -> Rulebook:
    if args.rules:
        return load_rulebook(*args.rules, base=default_rulebook())
    return default_rulebook()


def _on(args: argparse.Namespace) -> date:
    from ._evaluate import as_date

    # the command line is the edge: only here may the date default to today
    return as_date(args.on) if args.on else date.today()  # noqa: DTZ011


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ._evaluate import evaluate

    decision = evaluate(_read_case(args.case), on=_on(args), rulebook=_book(args),
                        engine=args.engine, overrides=_overrides(args.set))
    if args.json:
        print(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(decision.explain(args.lang))
    return 0


def _cmd_checklist(args: argparse.Namespace) -> int:
    from ._evaluate import evaluate

    decision = evaluate(_read_case(args.case), on=_on(args), rulebook=_book(args),
                        overrides=_overrides(args.set), trace=False)
    if decision.checklist is None:
        raise SsregError(f"no document checklist: the route is {decision.route!r}, "
                         "documents are only listed for the online registration")
    print(decision.checklist.printable(decision.book, args.lang))
    return 0


def _cmd_rules(args: argparse.Namespace) -> int:
    book = _book(args)
    rows: list[dict[str, Any]] = []
    for rule in sorted(book.rules, key=lambda r: (r.decision, r.priority, r.id, r.start)):
        end = "" if rule.end == FAR_FUTURE else rule.end.isoformat()
        rows.append({"id": rule.id, "decision": rule.decision, "start": rule.start.isoformat(),
                     "end": end or None, "citations": list(rule.citations),
                     "label": rule.label[args.lang]})
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for row in rows:
        period = f"{row['start']}..{row['end'] or ''}"
        print(f"{row['id']:<45} {period:<24} {', '.join(row['citations'])}")
    return 0


def _cmd_catalogue(args: argparse.Namespace) -> int:
    from ._catalogue import render_catalogue

    sys.stdout.write(render_catalogue(_book(args)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ssreg", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--rules", action="append", default=[], metavar="FILE",
                       help="overlay a rule file or folder on the built-in rulebook")
        p.add_argument("--lang", choices=("en", "fr", "es"), default="en")

    ev = sub.add_parser("evaluate", help="evaluate a case file (JSON) on a date")
    ev.add_argument("case", help="case file (JSON), or - for standard input")
    ev.add_argument("--on", help="as-of date YYYY-MM-DD (default: today)")
    ev.add_argument("--json", action="store_true", help="print the Decision as JSON")
    ev.add_argument("--engine", default="compiled", choices=("compiled", "durable"))
    ev.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a parameter, e.g. quebec_form_policy=register_online")
    common(ev)
    ev.set_defaults(func=_cmd_evaluate)

    ck = sub.add_parser("checklist", help="print the printable document checklist of a case")
    ck.add_argument("case")
    ck.add_argument("--on", help="as-of date YYYY-MM-DD (default: today)")
    ck.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    common(ck)
    ck.set_defaults(func=_cmd_checklist)

    ru = sub.add_parser("rules", help="list the rulebook: ids, periods, citations")
    ru.add_argument("--json", action="store_true")
    common(ru)
    ru.set_defaults(func=_cmd_rules)
    ca = sub.add_parser("catalogue", help="print the rule catalogue as Markdown")
    common(ca)
    ca.set_defaults(func=_cmd_catalogue)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except SsregError as exc:
        message = str(exc).replace("\n", " ")
        print(f"ssreg: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `ssreg rules | head`
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
