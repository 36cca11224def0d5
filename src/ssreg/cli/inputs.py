"""What the commands read: input files (JSON, JSON Lines, CSV), options, the rulebook and
the date; and how they write (JSON to standard output, files atomically)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..exceptions import InvalidInputError, Problem
from ..model.files import decode, read_text
from ..rulebook.rulebook import Rulebook


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
    from ..rulebook.loader import default_rulebook, load_rulebook

    rules = getattr(args, "rules", [])
    return load_rulebook(*rules, base=default_rulebook()) if rules else default_rulebook()


def on(args: argparse.Namespace) -> date:
    from ..registration.evaluate import as_date

    # the command line is the edge: only here may the date default to today
    return as_date(args.on, "--on") if args.on else date.today()  # noqa: DTZ011


def emit(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def hint(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest known name, or nothing."""
    import difflib

    names = set(known)
    parts = {".".join(n.split(".")[:i]) for n in names for i in range(1, n.count(".") + 1)}
    close = difflib.get_close_matches(name, sorted(names | parts), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all; a folder that does not exist is a clear error."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInputError([Problem(str(path)[:200], f"no such folder: {folder}")])
    try:
        fd, tmp = tempfile.mkstemp(prefix=".ssreg-", dir=folder)
    except OSError as exc:
        raise InvalidInputError([Problem(str(path)[:200], f"cannot write "
                                 f"({exc.strerror or exc})")]) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _bool(text: str) -> Any:
    lowered = text.strip().lower()
    return {"true": True, "false": False, "1": True, "0": False, "yes": True,
            "no": False}.get(lowered, text)


def _csv_rows(text: str) -> Iterator[tuple[int, Any]]:
    """Claims from CSV, typed by the Claim fields; empty cells are left out."""
    from ..model.fields import specs
    from ..model.kinds import BoolKind, IntKind, Optional
    from ..model.models import Claim

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


def claim_items(path: str) -> list[tuple[str, Any]]:
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

