"""What the commands read: input files (JSON, JSON Lines, CSV), options, the rulebook and
the date; and how they write (JSON to standard output, files atomically)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..exceptions import InvalidInputError, Problem
from ..model.files import MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, decode, read_text
from ..rulebook.rulebook import Rulebook


def read_input_text(path: str, limit: int = MAX_FILE_BYTES) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise InvalidInputError([Problem("(standard input)", f"larger than {limit} "
                                                                 "bytes")])
        return decode(data, "(standard input)")
    return read_text(path, limit=limit)


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
    """One JSON document (a case, a dossier, an event)."""
    return parse_json(read_input_text(path, MAX_DOCUMENT_BYTES),
                      path if path != "-" else "(standard input)")


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


_INTEGER = re.compile(r"-?[0-9]{1,12}")


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
            elif isinstance(kind, IntKind) and _INTEGER.fullmatch(value.strip()):
                item[key.strip()] = int(value.strip())
            else:
                item[key.strip()] = value
        yield reader.line_num, item


MAX_LINE_BYTES = 16 * 1024 * 1024
"""Longest line of a JSON Lines file (a longer one is reported and skipped)."""


def json_lines(path: str) -> Iterator[tuple[int, Any]]:
    """``(number, value)`` of each non-blank line of a JSON Lines file, read as it goes
    (memory does not grow with the file); a line that cannot be read gives a Problem
    naming it, and the next lines go on.  A file that cannot be opened is an error now,
    before any line."""
    return _lines(sys.stdin.buffer if path == "-" else _open(path))


CHUNK_BYTES = 1 << 20
"""Lines are read a megabyte at most at a time: no single buffer of a huge line."""


def _read_line(stream: Any) -> tuple[bytes | None, bool]:
    """The next line (without its end), or ``None`` at the end; and whether it was too
    long (then it is skipped and not kept)."""
    chunk = stream.readline(CHUNK_BYTES)
    if not chunk:
        return None, False
    if chunk.endswith(b"\n"):  # the common case: a line shorter than a megabyte
        return (chunk, False) if len(chunk) <= MAX_LINE_BYTES else (None, True)
    parts, size = [chunk], len(chunk)
    while chunk and not chunk.endswith(b"\n"):
        chunk = stream.readline(CHUNK_BYTES)
        size += len(chunk)
        if size > MAX_LINE_BYTES:
            parts = []  # too long: the rest is read and dropped, a chunk at a time
        elif chunk:
            parts.append(chunk)
    return (None if size > MAX_LINE_BYTES else b"".join(parts)), size > MAX_LINE_BYTES


def _lines(stream: Any) -> Iterator[tuple[int, Any]]:
    try:
        number = 0
        while True:
            raw, too_long = _read_line(stream)
            if raw is None and not too_long:
                return
            number += 1
            where = f"line {number}"
            if raw is None:
                yield number, Problem(where, f"longer than {MAX_LINE_BYTES} bytes")
                continue
            if not raw.strip():
                continue
            try:
                text = decode(raw.rstrip(b"\r\n"), where)
                yield number, parse_json(text, where)
            except InvalidInputError as exc:
                yield number, exc.problems[0]
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _open(path: str) -> Any:
    try:
        if not Path(path).is_file():
            raise OSError(2, "no such file (or not a regular file)")
        return Path(path).open("rb")
    except (OSError, ValueError) as exc:
        raise InvalidInputError([Problem(path[:300], "cannot read "
                                         f"({getattr(exc, 'strerror', None) or exc})")]
                                ) from None


def claim_items(path: str) -> Iterator[tuple[str, Any]]:
    """``(where, item)`` of each claim, in order; an unreadable line gives a Problem as its
    item.  JSON Lines are read as they are priced."""
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return ((f"line {number}", item) for number, item in json_lines(path))
    text = read_input_text(path)
    if suffix == ".csv":
        return ((f"line {n}", row) for n, row in _csv_rows(text))
    data = parse_json(text, path)
    if isinstance(data, dict) and "claims" in data:
        data = data["claims"]
    if not isinstance(data, list):
        raise InvalidInputError([Problem(path, "expected a JSON list of claims (or .jsonl, "
                                               ".csv)")])
    return ((f"claims[{i}]", item) for i, item in enumerate(data))

