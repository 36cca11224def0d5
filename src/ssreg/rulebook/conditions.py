"""The condition language: a tree of ``all`` / ``any`` / ``not`` over comparisons.

A comparison reads one named fact (``fact = "age"``) or one dated parameter
(``param = "short_stay_max_months"``) and compares it with a literal.  Conditions are
parsed from plain TOML data (never executed) and compiled to Python closures.  A missing
value (``None``) makes every comparison on it false: "unknown" never satisfies a rule.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeAlias

import attrs

from ..model.limits import excerpt


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda actual, required: actual in required,
    "not_in": lambda actual, required: actual not in required,
}
ORDERED_OPERATORS = frozenset({"<", "<=", ">", ">="})
MEMBERSHIP_OPERATORS = frozenset({"in", "not_in"})


@attrs.frozen
class Compare:
    """``<fact or param> <op> <value>``; ``kind`` is ``"fact"`` or ``"param"``."""

    kind: str
    name: str
    op: str
    value: Any

    @property
    def key(self) -> str:
        """The key of this value in an evaluation environment."""
        return self.name if self.kind == "fact" else f"param:{self.name}"


@attrs.frozen
class AllOf:
    items: tuple[Node, ...]


@attrs.frozen
class AnyOf:
    items: tuple[Node, ...]


@attrs.frozen
class Not:
    item: Node


Node: TypeAlias = Compare | AllOf | AnyOf | Not
Env: TypeAlias = Mapping[str, Any]
Predicate: TypeAlias = Callable[[Env], bool]

ALWAYS = AllOf(items=())


@attrs.frozen
class Failure:
    """A comparison that did not hold: what was required and what the case had."""

    kind: str
    name: str
    op: str
    required: Any
    actual: Any
    negated: bool = False

    @property
    def reason_key(self) -> str:
        """The key of the authored reason that explains this failure to a person."""
        return reason_key(self.kind, self.name, self.op, self.required, self.negated)

    @property
    def subject(self) -> str:
        """The fact (``age``) or parameter (``param:NAME``) compared."""
        return self.name if self.kind == "fact" else f"param:{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            self.kind: self.name,
            "op": ("not " if self.negated else "") + self.op,
            "required": jsonable(self.required),
            "actual": jsonable(self.actual),
        }


def jsonable(value: Any) -> Any:
    """A value as JSON data: dates as ISO text, decimals as text, sets sorted as lists."""
    if isinstance(value, str | bool | int | None):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset):
        return list(_sorted_set(value))  # a fresh list: the caller may change it
    if isinstance(value, tuple | list | set):
        items = sorted(value, key=str) if isinstance(value, set) else value
        return [jsonable(v) for v in items]
    return value


@functools.lru_cache(maxsize=1024)
def _sorted_set(value: frozenset[Any]) -> tuple[Any, ...]:
    return tuple(jsonable(v) for v in sorted(value, key=str))


MAX_CONDITION_DEPTH = 32


def parse(data: Any, where: str, problems: list[tuple[str, str]], depth: int = 0) -> Node:
    """Parse condition data into a tree; append ``(key, message)`` problems instead of raising."""
    if depth > MAX_CONDITION_DEPTH:
        problems.append((where, f"condition nested more than {MAX_CONDITION_DEPTH} levels deep"))
        return ALWAYS
    if not isinstance(data, Mapping):
        problems.append((where, f"a condition must be a table, got {excerpt(data)}"))
        return ALWAYS
    keys = set(data)
    if keys == {"all"} or keys == {"any"}:
        (word,) = keys
        items = data[word]
        if not isinstance(items, list):
            problems.append((f"{where}.{word}", "expected an array of conditions"))
            return ALWAYS
        parsed = tuple(
            parse(item, f"{where}.{word}[{i}]", problems, depth + 1)
            for i, item in enumerate(items)
        )
        return AllOf(parsed) if word == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse(data["not"], f"{where}.not", problems, depth + 1))
    kinds = keys & {"fact", "param"}
    if len(kinds) != 1 or keys - {"fact", "param", "op", "value"} or not {"op", "value"} <= keys:
        problems.append(
            (
                where,
                ("expected {all = [...]}, {any = [...]}, {not = {...}} or "
                f"{{fact|param = NAME, op = OP, value = VALUE}}, got keys "
                 f"{excerpt(sorted(map(str, keys)))}"),
            )
        )
        return ALWAYS
    (kind,) = kinds
    op, name = data["op"], data[kind]
    if not isinstance(op, str) or op not in OPERATORS:
        problems.append((f"{where}.op", f"unknown operator {excerpt(op)}; known: "
                                        f"{sorted(OPERATORS)}"))
        return ALWAYS
    if not isinstance(name, str):
        problems.append((f"{where}.{kind}", f"expected a name, got {excerpt(name)}"))
        return ALWAYS
    value = data["value"]
    if op in MEMBERSHIP_OPERATORS:
        if not isinstance(value, list) or not value:
            problems.append((f"{where}.value", f"operator {op!r} needs a non-empty array"))
            return ALWAYS
        if not all(isinstance(v, bool | int | str | Decimal | date) for v in value):
            problems.append((f"{where}.value", "expected an array of single values"))
            return ALWAYS
        value = frozenset(value)
    elif isinstance(value, list | dict):
        problems.append((f"{where}.value", f"operator {op!r} needs a single value"))
        return ALWAYS
    return Compare(kind=kind, name=name, op=op, value=value)


def comparisons(node: Node) -> list[Compare]:
    """Every comparison in the tree, depth first."""
    if isinstance(node, Compare):
        return [node]
    if isinstance(node, Not):
        return comparisons(node.item)
    return [c for item in node.items for c in comparisons(item)]


def signed_comparisons(node: Node, negated: bool = False) -> list[tuple[Compare, bool]]:
    """Every comparison with whether it sits under an odd number of ``not``."""
    if isinstance(node, Compare):
        return [(node, negated)]
    if isinstance(node, Not):
        return signed_comparisons(node.item, not negated)
    return [found for item in node.items for found in signed_comparisons(item, negated)]


def literal(value: Any) -> str:
    """A condition's value as written in a reason's key (``true``, ``[a, b]``, ``2024-05-15``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset | set | tuple | list):
        return "[" + ", ".join(literal(v) for v in sorted(value, key=str)) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def reason_key(kind: str, name: str, op: str, value: Any, negated: bool = False) -> str:
    """The key of the reason of a comparison: ``"number_status == definitive"``,
    ``"param:ghic_policy == exempt"``, ``"not event_photo == true"``.

    >>> reason_key("fact", "route", "in", frozenset({"online", "cpam"}))
    'route in [cpam, online]'
    """
    prefix = "not " if negated else ""
    subject = name if kind == "fact" else f"param:{name}"
    return f"{prefix}{subject} {op} {literal(value)}"


def compile_node(node: Node) -> Predicate:
    """Compile a tree into a closure ``env -> bool`` (no interpretation at call time)."""
    if isinstance(node, Compare):
        key, required, test = node.key, node.value, OPERATORS[node.op]

        def compare(env: Env) -> bool:
            actual = env.get(key)
            return actual is not None and test(actual, required)

        return compare
    if isinstance(node, Not):
        inner = compile_node(node.item)
        return lambda env: not inner(env)
    parts = tuple(compile_node(item) for item in node.items)
    if isinstance(node, AllOf):
        if len(parts) == 1:
            return parts[0]
        return lambda env: all(p(env) for p in parts)
    return lambda env: any(p(env) for p in parts)


def holds(node: Node, env: Env) -> bool:
    """Interpret a tree (slow path used by explanations and tests)."""
    if isinstance(node, Compare):
        actual = env.get(node.key)
        return actual is not None and OPERATORS[node.op](actual, node.value)
    if isinstance(node, Not):
        return not holds(node.item, env)
    if isinstance(node, AllOf):
        return all(holds(i, env) for i in node.items)
    return any(holds(i, env) for i in node.items)


def why_not(node: Node, env: Env, *, negated: bool = False) -> list[Failure]:
    """The comparisons that make ``node`` false (or true, when ``negated``).

    For ``all`` every failing member is reported; for ``any`` every member is (none
    held).  Under ``not`` a comparison that *held* is the reason, reported as negated.
    """
    if isinstance(node, Compare):
        if holds(node, env) != negated:
            return []
        return [
            Failure(
                kind=node.kind,
                name=node.name,
                op=node.op,
                required=node.value,
                actual=env.get(node.key),
                negated=negated,
            )
        ]
    if isinstance(node, Not):
        return why_not(node.item, env, negated=not negated)
    conjunctive = isinstance(node, AllOf) != negated
    if conjunctive:
        return [f for item in node.items for f in why_not(item, env, negated=negated)]
    if holds(node, env) != negated:
        return []
    return [f for item in node.items for f in why_not(item, env, negated=negated)]


def to_data(node: Node) -> Any:
    """The TOML-shaped data of a tree (inverse of :func:`parse`)."""
    if isinstance(node, Compare):
        value = sorted(node.value, key=str) if isinstance(node.value, frozenset) else node.value
        return {node.kind: node.name, "op": node.op, "value": value}
    if isinstance(node, Not):
        return {"not": to_data(node.item)}
    word = "all" if isinstance(node, AllOf) else "any"
    return {word: [to_data(i) for i in node.items]}
