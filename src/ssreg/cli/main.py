"""The ``ssreg`` command line.

Exit status, the same in every help text and document: **0** done; **1** done, but the
answer is a refusal or a failure (an event refused, some items of a batch or claims
refused, a case file that fails, a rulebook check that finds something, a number that
is not valid); **2** the command could not run: bad input, bad arguments, a file that
cannot be read or written.  Every problem is printed on its own line (``ssreg: error:
path: message``), in the language of ``--lang``, without Python internals; an unknown
parameter, rule or schema name gets a "did you mean".  A bug in ssreg itself exits with
70 and one line; an interruption with 130.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import texts
from ..exceptions import EventRefused, InvalidInputError, RulebookError, SsregError
from ..model.limits import MAX_PROBLEMS


DESCRIPTION = ("French social-security registration and reimbursement rules for "
               "international students: route, documents, the student's journey and "
               "reimbursements, with their sources, in English, French or Spanish.")
EPILOG = ("Exit status: 0 done; 1 done, but refused or failed (an event refused, items "
          "refused, a check failed, a number not valid); 2 the command could not run (bad "
          "input, arguments or files).  Dates are YYYY-MM-DD; --on defaults to today.  "
          "See the README and docs/ for examples.")


class UsageError(Exception):
    """A command line argparse refuses (printed on one line, exit status 2)."""

    def __init__(self, prog: str, message: str) -> None:
        self.prog, self.message = prog, message
        super().__init__(message)


class Parser(argparse.ArgumentParser):
    """argparse, whose errors are raised (and printed on one line by :func:`main`)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message)


def _common(p: argparse.ArgumentParser, *, on: bool = True, lang: bool = True,
            json: bool = True, overrides: bool = True) -> None:
    if on:
        p.add_argument("--on", metavar="DATE", help="as-of date (default: today)")
    if lang:
        p.add_argument("--lang", choices=("en", "fr", "es"), default="en",
                       help="language of the text (default: en)")
    if json:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="overlay a rule file or folder on the built-in rulebook "
                        "(repeatable)")
    if overrides:
        p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="override a parameter, e.g. quebec_form_policy=exempt or "
                            "participation_forfaitaire=2 (repeatable; "
                            "see `ssreg parameters`)")
        p.add_argument("--engine", default="compiled", choices=("compiled", "durable"),
                       help="decision engine (default: compiled)")


def _assume(p: argparse.ArgumentParser) -> None:
    p.add_argument("--assume", action="store_true",
                   help="take the documented default of every fact not given (listed among "
                        "the assumptions) instead of leaving the answers open")


def _base_url(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", metavar="URL",
                   help="where the site of `ssreg site` is published: answers then link "
                        "each rule and parameter they cite to its page (JSON: links)")


def parser() -> argparse.ArgumentParser:
    from .._version import __version__

    top = Parser(prog="ssreg", description=DESCRIPTION, epilog=EPILOG)
    top.add_argument("--version", action="version", version=f"ssreg {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=text, description=text, epilog=EPILOG)

    p = add("evaluate", "decide the route, documents, journey and reimbursements of a case "
                        "or dossier (JSON file, or - for standard input)")
    p.add_argument("case", help="case or dossier file (JSON)")
    p.add_argument("--summary", action="store_true", help="print only the short summary")
    _assume(p)
    p.add_argument("--form", choices=("full", "compact"), default="full",
                   help="with --json: the full form with its trace, or the compact form a "
                        "front end needs (default: full)")
    _common(p)
    _base_url(p)
    p = add("checklist", "print the document checklist of a case, to tick")
    p.add_argument("case", help="case or dossier file (JSON)")
    _assume(p)
    _common(p)
    p = add("dossier", "where a dossier stands: stage, steps done, next steps, refused events")
    p.add_argument("dossier", help="dossier file (JSON)")
    _assume(p)
    _common(p)
    p = add("apply", "append an event to a dossier if its stage allows it")
    p.add_argument("dossier", help="dossier file (JSON); rewritten unless --output is given")
    p.add_argument("event", help="event file (JSON), or - for standard input")
    p.add_argument("--output", "-o", metavar="FILE", help="write the new dossier there "
                                                          "(- for standard output)")
    _common(p, on=False, json=False)
    p = add("price", "price claims (JSON list, JSON Lines or CSV) and print a table or JSON Lines")
    p.add_argument("claims", help="claims file: .json, .jsonl or .csv")
    p.add_argument("--cover", metavar="FILE", help="top-up contract (TOML or JSON)")
    p.add_argument("--presorted", action="store_true",
                   help="each person's claims are in date order: stream them")
    _common(p, on=False)
    _base_url(p)
    p = add("batch", "evaluate many cases: JSON Lines in, JSON Lines out (a bad line is "
                     "reported with its number, the others go on)")
    p.add_argument("cases", help="JSON Lines file, one case or dossier per line")
    _assume(p)
    _common(p, json=False)
    p.add_argument("--form", choices=("full", "compact"), default="full",
                   help="each decision in the full form with its trace, or in the compact "
                        "form a front end needs (default: full)")
    _base_url(p)
    p = add("interview", "ask the questions of a case one at a time until the route and the "
                         "documents are settled, then print the summary")
    p.add_argument("--save", metavar="FILE", help="save the case (JSON) for `ssreg evaluate`")
    _common(p, json=False)
    p = add("questions", "what a case (JSON, possibly partial) still depends on: the "
                         "questions to ask, most deciding first, and what each answer gives")
    p.add_argument("case", help="case file (JSON), or - for standard input")
    p.add_argument("--next", action="store_true", help="only the question to ask now")
    _common(p)
    p = add("rules", "list the rules: ids, periods, what they say, citations")
    p.add_argument("id", nargs="?", help="only rules whose id contains this")
    _common(p, overrides=False)
    p = add("parameters", "browse the dated parameters: value in force, period, sources")
    p.add_argument("name", nargs="?", help="only parameters whose name contains this")
    p.add_argument("--provenance", action="store_true",
                   help="show each value's best source kind and when it was last checked")
    p.add_argument("--secondary-only", action="store_true",
                   help="only values backed by secondary sources alone")
    p.add_argument("--stale", type=int, metavar="DAYS",
                   help="only values whose sources were last checked more than DAYS ago")
    _common(p, overrides=False)
    p = add("catalogue", "print the rule catalogue as Markdown")
    _common(p, on=False, lang=False, json=False, overrides=False)
    p = add("diagram", "print the Mermaid diagram of each route's journey (Markdown)")
    _common(p, on=False, json=False, overrides=False)
    p = add("schema", "print the JSON Schema of an input, of the Decision (full or "
                      "compact) or of a priced claim")
    p.add_argument("which", metavar="NAME", help="one of case, dossier, event, claim, cover, "
                                                 "decision, decision-compact, claim-result")
    p.add_argument("--lang", choices=("en", "fr", "es"), default="en",
                   help="language of the messages (default: en)")
    p = add("nir", "check a French social security number, with precise reasons")
    p.add_argument("number")
    _common(p, on=False, overrides=False)
    p = add("test", "run case files (TOML) against the built-in rulebook or an overlay")
    p.add_argument("paths", nargs="+", metavar="PATH", help="case files or folders")
    p.add_argument("--engine", default="compiled", choices=("compiled", "durable"),
                   help="decision engine the files run on, unless a file names its own "
                        "(default: compiled)")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="overlay a rule file or folder on the built-in rulebook before "
                        "running the files (repeatable)")
    p.add_argument("--quiet", "-q", action="store_true", help="print failures only")
    p.add_argument("--json", action="store_true",
                   help="print one JSON report: passed, failed, each file's differences")
    p.add_argument("--coverage", action="store_true",
                   help="also list the rules no file fired and the parameters none read")
    p.add_argument("--record", action="store_true",
                   help="write the current answers as each file's [expected] tables, for "
                        "review (git diff) before committing; exits 0")
    p = add("check-rulebook", "look for gaps, rules that can never fire, parameter gaps and "
                              "broken invariants in a rulebook overlay; print the provenance "
                              "and freshness of its values")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="overlay files or folders (none: the built-in rulebook)")
    p.add_argument("--examples", type=int, default=200, metavar="N",
                   help="generated examples per invariant (default: 200)")
    p.add_argument("--max-age", type=int, default=365, metavar="DAYS",
                   help="list values whose sources were last checked more than DAYS ago "
                        "(default: 365)")
    p.add_argument("--on", metavar="DATE", help="the day ages are counted to (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = add("site", "write the explanation site: a page per rule, parameter, document, step, "
                    "event, route and source, in English, French and Spanish (static HTML; "
                    "needs the site extra)")
    p.add_argument("out", metavar="OUT", help="folder to write (empty, or a site written "
                                              "before)")
    p.add_argument("--base-url", metavar="URL",
                   help="where the site will be published (adds canonical links and "
                        "sitemap.xml; pages link to each other relatively either way)")
    p.add_argument("--lang", action="append", choices=("en", "fr", "es"), metavar="LANG",
                   help="a language to write (repeatable; default: en, fr and es)")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="overlay a rule file or folder on the built-in rulebook "
                        "(repeatable)")
    p = add("law-changes", "the law changes the rulebook knows of, by effective date, with "
                           "the rules, parameters and sources concerned (Markdown)")
    _common(p, on=False, lang=False, overrides=False)
    p = add("serve", "serve the HTTP API (evaluate, events, pricing, rules, parameters, "
                     "schemas, OpenAPI) until stopped; needs the api extra")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000,
                   help="port (default: 8000; 0 picks a free one, announced on stderr)")
    p.add_argument("--workers", type=int, default=1, help="processes (default: 1)")
    p.add_argument("--rules", action="append", default=[], metavar="PATH",
                   help="overlay a rule file or folder on the built-in rulebook (repeatable)")
    p.add_argument("--base-url", metavar="URL",
                   help="where the site of `ssreg site` is published: answers link to its "
                        "pages")
    p.add_argument("--site", metavar="DIR",
                   help="serve a site written by `ssreg site` under /site/ (answers then "
                        "link to its pages)")
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                   help="a web origin allowed to call the API from a browser, e.g. "
                        "https://portal.example, or * (repeatable; default: none)")
    p.add_argument("--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES",
                   help="largest JSON body (default: 2 MiB)")
    p.add_argument("--max-claims", type=int, default=1_000_000, metavar="N",
                   help="most claims in one request (default: 1000000)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="time limit of one JSON answer (default: 30)")
    p.add_argument("--stream-timeout", type=float, default=900.0, metavar="SECONDS",
                   help="time limit of a streamed JSON Lines batch (default: 900)")
    p.add_argument("--lang", choices=("en", "fr", "es"), default="en",
                   help="language of the command's own messages (answers follow each "
                        "request's lang or Accept-Language)")
    p.add_argument("--log-level", default="info",
                   choices=("critical", "error", "warning", "info", "debug"),
                   help="server log detail (default: info)")
    return top


def language(argv: Sequence[str]) -> str:
    """The language asked for on the command line (``--lang xx``), for its messages."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in texts.LANGUAGES:
            return str(value)
    return "en"


def _say(lines: list[str], lang: str, prefix: str = "cli.error") -> None:
    head = texts.message(prefix, lang)
    for line in lines:
        text = texts.typeset(head + line.replace("\n", " "), lang)
        print(text[:2000], file=sys.stderr)


def print_error(exc: BaseException, lang: str = "en") -> None:
    """An error as ssreg prints it: one line per problem, in the language."""
    if isinstance(exc, InvalidInputError | RulebookError):
        lines = [p.text(lang) for p in exc.problems[:MAX_PROBLEMS]]
        if len(exc.problems) > MAX_PROBLEMS:
            lines.append(texts.message("cli.more_problems", lang,
                                       count=len(exc.problems) - MAX_PROBLEMS))
    elif isinstance(exc, SsregError):
        lines = [exc.text(lang)]
    else:
        lines = [texts.translate(str(exc), lang)]
    _say(lines, lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from . import commands as _commands
    from . import interview as _interview
    from . import maintain as _maintain
    from . import serving as _serving

    given = list(sys.argv[1:] if argv is None else argv)
    lang = language(given)
    try:
        args = parser().parse_args(given)
    except UsageError as exc:
        command = exc.prog.removeprefix("ssreg").strip() or "COMMAND"
        usage = texts.message("cli.usage", lang, command=command)
        _say([f"{texts.translate(exc.message, lang)} ({usage})"], lang)
        return 2
    except SystemExit as exc:  # --help and --version
        return int(exc.code) if isinstance(exc.code, int) else 0
    name = "cmd_" + args.command.replace("-", "_")
    try:
        code: int = (getattr(_commands, name, None) or getattr(_interview, name, None)
                     or getattr(_maintain, name, None) or getattr(_serving, name))(args)
    except EventRefused as exc:
        _say([exc.text(lang)], lang, "cli.refused")
        return 1
    except SsregError as exc:
        print_error(exc, lang)
        return 2
    except BrokenPipeError:  # e.g. `ssreg rules | head`
        return 0
    except KeyboardInterrupt:
        print(texts.message("cli.interrupted", lang), file=sys.stderr)
        return 130
    except OSError as exc:
        where = exc.filename or "(file)"
        _say([f"{where}: {texts.translate(exc.strerror or str(exc), lang)}"], lang)
        return 2
    except (RecursionError, MemoryError):
        _say([texts.translate("nested more than 12 levels deep", lang)], lang)
        return 2
    except Exception as exc:  # a bug: say so in one line rather than a traceback
        print(texts.message("cli.internal", lang, error=f"{type(exc).__name__}: "
                                                        f"{str(exc)[:500]}"), file=sys.stderr)
        return 70
    return code
