"""A whole decision table compiled to one Python function.

The conditions of a table's rules become one function ``env -> indexes of the rules
that hold``: each value the table reads is fetched once, each comparison is inlined,
the first-hit table returns at its first match.  The generated source holds only
generated names (``v0``, ``c0``...): fact names and literals are passed in as
constants, never written into the code, so rule data cannot inject anything.

The semantics are those of :func:`ssreg.rulebook.conditions.compile_node` exactly (a missing
value makes every comparison on it false; ``not`` negates), which the tests check on
random tables and environments.

:func:`compile_table3` writes the three-valued twin used when some value the table reads
is :class:`~ssreg.rulebook.conditions.Unknown`: each condition becomes two tests, "holds
for certain" and "may hold" (``not`` swaps them), and the function returns the rules that
may hold, each flagged certain or not; a first-hit table stops at its first certain rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..rulebook.conditions import AllOf, AnyOf, Compare, Env, Node, Not, Unknown, comparisons


TableFunction = Callable[[Env], tuple[int, ...]]
#: ``env -> ((index, certain), ...)``: the rules that may hold, in order
Table3Function = Callable[[Env], tuple[tuple[int, bool], ...]]

_TESTS = {"==": "{v} == {c}", "!=": "{v} != {c}", "<": "{v} < {c}", "<=": "{v} <= {c}",
          ">": "{v} > {c}", ">=": "{v} >= {c}", "in": "{v} in {c}",
          "not_in": "{v} not in {c}"}


class _Source:
    """Names for the values read and the constants used, while writing the source."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.constants: dict[str, Any] = {}

    def value(self, key: str) -> str:
        name = self.values.get(key)
        if name is None:
            name = self.values[key] = f"v{len(self.values)}"
        return name

    def constant(self, value: Any) -> str:
        name = f"c{len(self.constants)}"
        self.constants[name] = value
        return name

    def expression(self, node: Node) -> str:
        if isinstance(node, Compare):
            v = self.value(node.key)
            test = _TESTS[node.op].format(v=v, c=self.constant(node.value))
            return f"({v} is not None and {test})"
        if isinstance(node, Not):
            return f"(not {self.expression(node.item)})"
        if not node.items:
            return "True" if isinstance(node, AllOf) else "False"
        joiner = " and " if isinstance(node, AllOf) else " or "
        assert isinstance(node, AllOf | AnyOf)
        return "(" + joiner.join(self.expression(item) for item in node.items) + ")"

    def expression3(self, node: Node, may: bool) -> str:
        """The test "holds for certain" (or "may hold" with ``may``) of a tree whose
        values may be unknown (``u0`` says whether ``v0`` is)."""
        if isinstance(node, Compare):
            v = self.value(node.key)
            c = self.constant(node.value)
            o = self.constant(node.op)
            known = _TESTS[node.op].format(v=v, c=c)
            check = "may" if may else "must"
            u = "u" + v[1:]
            return f"({u} and {v}.{check}({o}, {c}) or not {u} and {v} is not None and {known})"
        if isinstance(node, Not):
            return f"(not {self.expression3(node.item, not may)})"
        if not node.items:
            return "True" if isinstance(node, AllOf) else "False"
        joiner = " and " if isinstance(node, AllOf) else " or "
        assert isinstance(node, AllOf | AnyOf)
        return "(" + joiner.join(self.expression3(item, may) for item in node.items) + ")"


def compile_table(conditions: Sequence[Node], *, first: bool) -> TableFunction:
    """One function giving the indexes of the conditions that hold (only the first one
    with ``first``), in order."""
    source = _Source()
    tests = [source.expression(node) for node in conditions]
    lines = ["def table(env):", "    get = env.get"]
    keys = {}
    for key, name in source.values.items():
        keys[f"k{name}"] = key
        lines.append(f"    {name} = get(k{name})")
    if first:
        for index, test in enumerate(tests):
            lines += [f"    if {test}:", f"        return ({index},)"]
        lines.append("    return ()")
    else:
        lines.append("    found = []")
        for index, test in enumerate(tests):
            lines += [f"    if {test}:", f"        found.append({index})"]
        lines.append("    return tuple(found)")
    namespace: dict[str, Any] = {**source.constants, **keys, "tuple": tuple,
                                 "__builtins__": {}}
    exec(compile("\n".join(lines), "<ssreg decision table>", "exec"), namespace)
    function: TableFunction = namespace["table"]
    return function


def compile_table3(conditions: Sequence[Node], *, first: bool) -> Table3Function:
    """The three-valued table: ``((index, certain), ...)`` of the rules that may hold, in
    order; with ``first`` it stops after the first rule that holds for certain."""
    source = _Source()
    tests = [(source.expression3(node, False), source.expression3(node, True))
             for node in conditions]
    lines = ["def table(env):", "    get = env.get", "    found = []"]
    keys = {}
    for key, name in source.values.items():
        keys[f"k{name}"] = key
        lines.append(f"    {name} = get(k{name})")
        lines.append(f"    u{name[1:]} = {name}.__class__ is Unknown")
    for index, (certain, may) in enumerate(tests):
        lines += [f"    if {certain}:", f"        found.append(({index}, True))"]
        if first:
            lines.append("        return tuple(found)")
        lines += [f"    elif {may}:", f"        found.append(({index}, False))"]
    lines.append("    return tuple(found)")
    namespace: dict[str, Any] = {**source.constants, **keys, "tuple": tuple,
                                 "Unknown": Unknown, "__builtins__": {}}
    exec(compile("\n".join(lines), "<ssreg decision table, three values>", "exec"), namespace)
    function: Table3Function = namespace["table"]
    return function


def keys_read(conditions: Sequence[Node]) -> tuple[str, ...]:
    """The environment keys a table reads, sorted."""
    return tuple(sorted({c.key for node in conditions for c in comparisons(node)}))
