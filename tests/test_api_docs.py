"""The curl examples of docs/api.md, run against a real server: each gives the answer the
page shows (the page shows a part of it; every key, value and list item shown is there)."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest


ROOT = Path(__file__).parent.parent
PAGE = ROOT / "docs" / "api.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def examples() -> list[tuple[str, str, str]]:
    """``(command, kind of answer, answer shown)`` for each curl block of the page."""
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    found = []
    for (kind, text), following in zip(blocks, [*blocks[1:], ("", "")], strict=True):
        if kind == "sh" and text.lstrip().startswith("curl"):
            assert following[0] in ("json", "jsonl"), f"no answer shown after:\n{text}"
            found.append((text, following[0], following[1]))
    return found


def contains(actual, shown, where="answer"):
    """Whether ``actual`` has everything ``shown`` has (lists: the items shown, first)."""
    if isinstance(shown, dict):
        assert isinstance(actual, dict), where
        for key, value in shown.items():
            assert key in actual, f"{where}: no {key!r}"
            contains(actual[key], value, f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(actual, list) and len(actual) >= len(shown), where
        for i, value in enumerate(shown):
            contains(actual[i], value, f"{where}[{i}]")
    else:
        assert actual == shown, f"{where}: {actual!r} != {shown!r}"


def test_the_page_has_an_example_of_every_endpoint():
    text = " ".join(command for command, _, _ in examples())
    for path in ("/health", "/schemas/", "/evaluate", "/questions", "unknown=assume",
                 "/events", "/claims/price", "/rules?", "/rules/", "/parameters/"):
        assert path in text, path


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize(("command", "kind", "shown"), examples(),
                         ids=lambda v: v.split("?")[0].split("$API")[-1][:40]
                         if isinstance(v, str) and "curl" in v else "")
def test_a_curl_example_gives_the_answer_shown(api_server, command, kind, shown):
    run = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                         env={"API": api_server.url, "PATH": "/usr/bin:/bin"}, timeout=120,
                         check=False)
    assert run.returncode == 0, run.stderr
    if kind == "jsonl":
        lines = [json.loads(line) for line in run.stdout.splitlines()]
        for i, line in enumerate(shown.strip().splitlines()):
            contains(lines[i], json.loads(line), f"line {i + 1}")
    else:
        contains(json.loads(run.stdout), json.loads(shown))
