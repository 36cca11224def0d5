"""The package layout: imports go from higher layers to lower ones, never back.

Read from the source (AST), so a lazy import inside a function counts as much as one at
the top of a module; imports under ``if TYPE_CHECKING:`` count too.  The only way up is
``ssreg._seam`` (documented in docs/architecture.md).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest


SRC = Path(__file__).resolve().parents[1] / "src" / "ssreg"

# Lowest first.  A unit is a package of ssreg or one of its top-level modules.
LAYERS: list[set[str]] = [
    {"exceptions", "_version", "texts"},
    {"model"},
    {"fr"},
    {"rulebook"},
    {"engines"},
    {"pricing"},
    {"registration"},
    {"output"},
    {"notebook"},
    {"testing"},
    {"site"},
    {"api"},
    {"cli"},
    {"__init__", "__main__", "dask", "_seam"},
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}
SEAM = "_seam"
MAX_LINES = 400


def _unit(parts: tuple[str, ...]) -> str:
    """The layer unit of a module given by its parts under ssreg (``("pricing", "batch")``)."""
    return parts[0] if parts else "__init__"


def _module_parts(path: Path) -> tuple[str, ...]:
    rel = path.relative_to(SRC).with_suffix("")
    parts = rel.parts
    return parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts


def _imports(path: Path, text: str | None = None) -> list[tuple[int, tuple[str, ...]]]:
    """``(line, target parts under ssreg)`` of every import of an ssreg module in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    here = _module_parts(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                module = tuple(node.module.split(".")) if node.module else ()
                target = (*base, *module)
            elif node.module and node.module.split(".")[0] == "ssreg":
                target = tuple(node.module.split(".")[1:])
            else:
                continue
            if node.module is None or not target:
                # from . import x: each name is a module of that package
                found += [(node.lineno, (*target, alias.name)) for alias in node.names]
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, tuple(alias.name.split(".")[1:])) for alias in node.names
                      if alias.name.split(".")[0] == "ssreg"]
    return found


SOURCES = sorted(p for p in SRC.rglob("*.py"))


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_parts(p)) for p in SOURCES}
    assert units <= set(RANK), f"put these in a layer: {sorted(units - set(RANK))}"


def _upward(path: Path, text: str | None = None) -> list[str]:
    source = _unit(_module_parts(path))
    upward = []
    for line, target in _imports(path, text):
        unit = _unit(target)
        if unit == SEAM or unit not in RANK:  # the seam; or a name of the package itself
            continue
        if RANK[unit] > RANK[source]:
            upward.append(f"{path.relative_to(SRC)}:{line} imports {'.'.join(target)}")
    return upward


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_go_down(path: Path) -> None:
    upward = _upward(path)
    assert not upward, "imports going up a layer:\n" + "\n".join(upward)


def test_the_seam_is_the_only_way_up() -> None:
    users = sorted({_unit(_module_parts(p)) for p in SOURCES
                    if any(_unit(t) == SEAM for _, t in _imports(p))})
    # only layers below output need it; anything above imports output directly
    assert users, "the seam is unused: remove it"
    assert all(RANK[u] < RANK["output"] for u in users), users


def test_no_import_cycle_between_packages() -> None:
    edges: dict[str, set[str]] = {}
    for path in SOURCES:
        source = _unit(_module_parts(path))
        for _, target in _imports(path):
            unit = _unit(target)
            if unit in RANK and unit != source and unit != SEAM:
                edges.setdefault(source, set()).add(unit)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(u for u in edges if reaches(u, u, {u}))
    assert not cycles, f"packages in an import cycle: {cycles}"


def test_modules_stay_small() -> None:
    big = {str(p.relative_to(SRC)): n for p in SOURCES
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines: {big}"


def test_the_check_sees_upward_imports() -> None:
    """Lazy, relative, absolute and type-only imports going up are all found."""
    where = SRC / "pricing" / "example.py"
    text = ("from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from ..registration.decision import Decision\n"
            "def f():\n    from ..output.text import summary\n    import ssreg.notebook.frames\n"
            "    from .. import _seam\n    from ..rulebook import loader\n")
    assert _upward(where, text) == ["pricing/example.py:3 imports registration.decision",
                                    "pricing/example.py:5 imports output.text",
                                    "pricing/example.py:6 imports notebook.frames"]
