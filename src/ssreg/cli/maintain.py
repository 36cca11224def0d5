"""The commands that maintain rulebooks and case files, ``test``, ``check-rulebook`` and
``law-changes``, and ``site``, which writes the explanation site (see :mod:`ssreg.cli.main`
for the parser and exit statuses)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..exceptions import InvalidInputError, Problem
from .inputs import book, emit, on


def cmd_test(args: argparse.Namespace) -> int:
    from ..testing.casefiles import case_files, coverage, run_case_file
    from ..testing.caserecord import write_recorded

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:  # bad input (status 2), not a failing file
        raise InvalidInputError([Problem(p[:200], "cannot read (No such file or directory)")
                                 for p in missing])
    rulebook = book(args)
    files = case_files(args.paths)
    if not files:
        raise InvalidInputError([Problem(", ".join(args.paths)[:200], "no case file found")])
    outcomes = []
    for path in files:
        outcome = run_case_file(path, rulebook, engine=args.engine, record=args.record)
        outcomes.append(outcome)
        if args.record and outcome.answers is not None:
            write_recorded(Path(path), outcome.answers)
        if args.json:
            continue
        if outcome.passed:
            if not args.quiet:
                print(f"PASS {path}: {outcome.name}")
            continue
        print(f"FAIL {path}: {outcome.name}")
        for difference in outcome.differences:
            print(f"     {difference}")
    failures = sum(1 for o in outcomes if not o.passed)
    reached = coverage(rulebook, outcomes) if args.coverage else None
    if args.json:
        data = {"passed": len(files) - failures, "failed": failures,
                "files": [o.to_dict() for o in outcomes]}
        if reached is not None:
            data["coverage"] = reached.to_dict()
        emit(data)
    else:
        if reached is not None:
            print(reached.text())
        if args.record:
            print(f"recorded the current answers in {len(files)} file(s): review them "
                  "(git diff) before committing", file=sys.stderr)
        print(f"{len(files) - failures} passed, {failures} failed")
    return 1 if failures and not args.record else 0


def cmd_check_rulebook(args: argparse.Namespace) -> int:
    from ..rulebook.loader import default_rulebook, load_rulebook
    from ..testing.lint import check_rulebook

    rulebook = load_rulebook(*args.paths, base=default_rulebook()) if args.paths else \
        default_rulebook()
    report = check_rulebook(rulebook, examples=args.examples)
    origin = rulebook.provenance(on=on(args), max_age_days=args.max_age)
    if args.json:
        emit({**report.to_dict(), "provenance": origin.to_dict()})
    else:
        print(report.text())
        print()
        print(origin.text())
    return 0 if report.ok else 1


def cmd_law_changes(args: argparse.Namespace) -> int:
    from ..rulebook.changes import render_law_changes

    rulebook = book(args)
    if args.json:
        emit({"rulebook": rulebook.version.to_dict(),
              "changes": [c.to_dict() for c in rulebook.law_changes()]})
    else:
        sys.stdout.write(render_law_changes(rulebook))
    return 0


def cmd_site(args: argparse.Namespace) -> int:
    from ..site.build import build_site

    report = build_site(book(args), args.out, base_url=args.base_url,
                        languages=args.lang or ("en", "fr", "es"))
    print(f"{report.out}: {report.pages} pages in {', '.join(report.languages)}; open "
          f"{report.out / 'index.html'}", file=sys.stderr)
    return 0
