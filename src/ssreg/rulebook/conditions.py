"""The condition language: a tree of ``all`` / ``any`` / ``not`` over comparisons.

A comparison reads one named fact (``fact = "age"``) or one dated parameter
(``param = "short_stay_max_months"``) and compares it with a literal.  Conditions are
parsed from plain TOML data (never executed) and compiled to Python closures.

Two kinds of missing values: ``None`` is *absent* (not applicable, such as the event facts
when no event is applied) and makes every comparison on it false; an :class:`Unknown`
is a fact the caller did not give.  A comparison on an unknown is itself unknown, and
conditions are evaluated in three values (true, false, unknown: Kleene's logic), so a
rule whose condition depends on an unknown fact neither holds nor fails
(:func:`value3`).  An unknown may know the values it can still take (``possible``), as
an open outcome does: ``route`` is ``online`` or ``cpam``, so ``route == "no_registration"``
is false already.
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
class Unknown:
    """A value not given.  ``possible`` is the set of values it may still take (``None``
    in it: it may be absent), or ``None`` when it may take any value.

    >>> Unknown(frozenset({"online", "cpam"})).may("==", "online")
    True
    >>> Unknown(frozenset({"online", "cpam"})).must("in", frozenset({"online", "cpam"}))
    True
    >>> UNKNOWN.may("<=", 3), UNKNOWN.must("<=", 3)
    (True, False)
    """

    possible: frozenset[Any] | None = None

    def may(self, op: str, required: Any) -> bool:
        """Some value it may take satisfies the comparison."""
        if self.possible is None:
            return True
        return any(compare(v, op, required) for v in self.possible)

    def must(self, op: str, required: Any) -> bool:
        """Every value it may take satisfies the comparison."""
        if self.possible is None:
            return False
        return all(compare(v, op, required) for v in self.possible)

    def __repr__(self) -> str:
        if self.possible is None:
            return "UNKNOWN"
        return f"Unknown({sorted(self.possible, key=str)!r})"


#: a value not given, that may take any value
UNKNOWN = Unknown()


def compare(actual: Any, op: str, required: Any) -> bool:
    """A comparison on a known (or absent: always false) value."""
    return actual is not None and OPERATORS[op](actual, required)


def is_unknown(value: Any) -> bool:
    return value.__class__ is Unknown


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
    if isinstance(value, Unknown):
        data: dict[str, Any] = {"unknown": True}
        if value.possible is not None:
            data["possible"] = [jsonable(v) for v in sorted(value.possible, key=str)]
        return data
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
    """Compile a tree into a closure ``env -> bool``, true when the tree holds for
    certain (a value not given makes a comparison on it hold for none of its values).

    :func:`compile_may` gives the closure true when the tree *may* hold.
    """
    return _compile(node, False)


def compile_may(node: Node) -> Predicate:
    """A closure true when the tree may hold: it holds, or its value is unknown."""
    return _compile(node, True)


def _compile(node: Node, may: bool) -> Predicate:
    if isinstance(node, Compare):
        key, required, test, op = node.key, node.value, OPERATORS[node.op], node.op

        def compare(env: Env) -> bool:
            actual = env.get(key)
            if actual.__class__ is Unknown:
                return bool(actual.may(op, required) if may else actual.must(op, required))
            return actual is not None and test(actual, required)

        return compare
    if isinstance(node, Not):
        inner = _compile(node.item, not may)  # certainly not A == not (A may hold)
        return lambda env: not inner(env)
    parts = tuple(_compile(item, may) for item in node.items)
    if isinstance(node, AllOf):
        if len(parts) == 1:
            return parts[0]
        return lambda env: all(p(env) for p in parts)
    return lambda env: any(p(env) for p in parts)


def value3(node: Node, env: Env) -> bool | None:
    """The tree's value in three values: ``True``, ``False`` or ``None`` (unknown).

    >>> node = AllOf((Compare("fact", "eu", "==", True), Compare("fact", "stay", "<=", 3)))
    >>> value3(node, {"eu": True, "stay": UNKNOWN}), value3(node, {"eu": False, "stay": UNKNOWN})
    (None, False)
    """
    if isinstance(node, Compare):
        actual = env.get(node.key)
        if actual.__class__ is Unknown:
            if actual.must(node.op, node.value):
                return True
            return None if actual.may(node.op, node.value) else False
        return actual is not None and OPERATORS[node.op](actual, node.value)
    if isinstance(node, Not):
        inner = value3(node.item, env)
        return None if inner is None else not inner
    found: bool | None = isinstance(node, AllOf)
    for item in node.items:
        value = value3(item, env)
        if value is None:
            found = None
        elif value is not isinstance(node, AllOf):  # a false member of all, a true of any
            return value
    return found


def holds(node: Node, env: Env) -> bool:
    """Interpret a tree: true when it holds for certain (slow path used by explanations)."""
    return value3(node, env) is True


def unknown_comparisons(node: Node, env: Env) -> list[Compare]:
    """The comparisons whose value is unknown in ``env`` (what a rule still depends on)."""
    return [c for c in comparisons(node) if value3(c, env) is None]


def why_not(node: Node, env: Env, *, negated: bool = False) -> list[Failure]:
    """The comparisons that make ``node`` false (or true, when ``negated``).

    For ``all`` every failing member is reported; for ``any`` every member is (none
    held).  Under ``not`` a comparison that *held* is the reason, reported as negated.
    A comparison whose value is unknown is never a reason.
    """
    if isinstance(node, Compare):
        if value3(node, env) is not negated:
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
    if value3(node, env) is not negated:
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
