"""Condition trees as durable-rules JSON patterns on one fact (no durable import here).

Two-valued (:func:`to_durable`): ``not`` is pushed to the comparisons and a missing fact
is expressed with ``<fact>__present`` flags, never ``$nex`` (which hangs durable).
Three-valued (:class:`ThreeValued`): each rule gets a pattern "holds for certain" and a
pattern "may hold", over facts that carry ``__unknown`` and ``__may__`` flags.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ..exceptions import EngineError
from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rule


MAX_TESTS = 60  # durable fails with error 303 beyond 64 alpha tests satisfied at once
MAX_PROPERTIES = 250  # error 302 from 254 properties
MAX_EXPANSIONS = 32  # an $or is expanded into sub-rules; error 113 beyond (measured)
NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<",
           "in": "not_in", "not_in": "in"}
DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
ALWAYS_KEY = "ssreg__always"


def encode(value: Any) -> Any:
    """A fact or literal as durable-rules sees it (dates become day numbers)."""
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise EngineError(f"durable engine: cannot compare the non-integral amount {value} "
                              "exactly (durable-rules uses doubles); use engine='compiled'")
        return int(value)
    raise EngineError(f"durable engine: unsupported value {value!r} in a condition")


def compare_pattern(comp: cond.Compare, op: str) -> dict[str, Any]:
    key = comp.key.replace(":", "__")
    if op in ("in", "not_in"):
        values = sorted((encode(v) for v in comp.value), key=str)
        single = "==" if op == "in" else "!="
        parts = [compare_pattern(cond.Compare(comp.kind, comp.name, single, v), single)
                 for v in values]
        if len(parts) == 1:
            return parts[0]
        return {"$or": parts} if op == "in" else {"$and": parts}
    value = encode(comp.value)
    if op == "==":
        return {key: value}
    return {DURABLE_OPS[op]: {key: value}}


def to_durable(node: cond.Node, *, negated: bool = False) -> dict[str, Any]:
    """A condition tree as a durable-rules JSON pattern, negations pushed to the leaves.

    ssreg's semantics: a comparison on a missing fact is false, so ``not (x == 1)`` holds
    when ``x`` is missing; this becomes ``x__present == 0 or x != 1`` (never ``$nex``).
    """
    if isinstance(node, cond.Compare):
        if not negated:
            return compare_pattern(node, node.op)
        present = {node.key.replace(":", "__") + "__present": 0}
        return {"$or": [present, compare_pattern(node, NEGATED[node.op])]}
    if isinstance(node, cond.Not):
        return to_durable(node.item, negated=not negated)
    conjunctive = isinstance(node, cond.AllOf) != negated
    parts = [to_durable(item, negated=negated) for item in node.items]
    if not parts:  # all() is true, any() is false
        return {ALWAYS_KEY: 1 if conjunctive else 0}
    if len(parts) == 1:
        return parts[0]
    return {"$and": parts} if conjunctive else {"$or": parts}


def count_expansions(pattern: Any) -> int:
    """How many sub-rules durable makes of a pattern (it expands every ``$or``)."""
    if isinstance(pattern, dict):
        if "$and" in pattern:
            product = 1
            for part in pattern["$and"]:
                product *= count_expansions(part)
            return product
        if "$or" in pattern:
            return sum(count_expansions(part) for part in pattern["$or"])
    return 1


def count_tests(pattern: Any) -> int:
    if isinstance(pattern, dict):
        return sum(count_tests(v) if k in ("$and", "$or") else 1 for k, v in pattern.items())
    if isinstance(pattern, list):
        return sum(count_tests(p) for p in pattern)
    return 1


class ThreeValued:
    """A decision table in three values: for rule ``i``, the pattern ``("t", i)`` matches
    when its condition holds for certain and ``("p", i)`` when it may hold.

    The values of a fact fall in *classes* on which every comparison of the table is
    constant: each literal the table compares it with, the values between two literals
    (for a fact compared with an order; else any other value), and no value.  The fact
    sent to durable carries a ``<k>__may__<class>`` flag per class: 1 for the class of a
    known value, for every class an unknown may be in (all of them when it may take any
    value), for ``none`` when the value is absent.  A comparison then holds for certain
    when no class where it fails is possible (a conjunction of flags at 0), and may hold
    when some class where it holds is possible (a disjunction); ``not`` swaps the two,
    so negations are pushed to the comparisons without ``$nex`` and the patterns stay
    small (durable expands each ``$or`` into sub-rules).
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        comps = [c for r in rules for c in cond.comparisons(r.when)]
        self.keys = sorted({c.key for c in comps})
        self.ordered = {c.key for c in comps if c.op in cond.ORDERED_OPERATORS}
        literals: dict[str, set[Any]] = {}
        for c in comps:
            values = c.value if isinstance(c.value, frozenset) else (c.value,)
            literals.setdefault(c.key, set()).update(values)
        self.literals = {k: tuple(sorted(v) if k in self.ordered else sorted(v, key=repr))
                         for k, v in literals.items()}
        self.names = {k: self._class_names(k) for k in self.keys}
        patterns: list[tuple[Any, dict[str, Any]]] = []
        for i, rule in enumerate(rules):
            patterns.append((("t", i), self.pattern(rule.when, "t")))
            patterns.append((("p", i), self.pattern(rule.when, "p")))
        self.patterns = patterns
        #: how many properties a fact has (the durable limit is on those)
        self.properties = sum(len(v) for v in self.names.values())

    def _class_names(self, key: str) -> tuple[str, ...]:
        count = len(self.literals[key])
        if key in self.ordered:  # gap i lies below literal i (gap count: above them all)
            return (*(f"e{i}" for i in range(count)), *(f"g{i}" for i in range(count + 1)),
                    "none")
        return (*(f"e{i}" for i in range(count)), "other", "none")

    def class_of(self, key: str, value: Any) -> str:
        """The class of a value of ``key``."""
        if value is None:
            return "none"
        literals = self.literals[key]
        if key in self.ordered:
            position = bisect.bisect_left(literals, value)
            if position < len(literals) and literals[position] == value:
                return f"e{position}"
            return f"g{position}"
        for index, literal in enumerate(literals):
            if type(literal) is type(value) and literal == value:
                return f"e{index}"
        return "other"

    def _holds_in(self, comp: cond.Compare, name: str) -> bool:
        """Whether ``comp`` holds for the values of class ``name``."""
        literals = self.literals[comp.key]
        if name.startswith("e"):
            return cond.compare(literals[int(name[1:])], comp.op, comp.value)
        if name == "other" or name.startswith("g"):
            if comp.op in ("==", "in"):
                return False
            if comp.op in ("!=", "not_in"):
                return True
            gap = int(name[1:])  # literals[gap - 1] < value < literals[gap]
            below = literals.index(comp.value) < gap  # the literal is below the value
            return below if comp.op in (">", ">=") else not below
        return False  # no value: every comparison is false

    def leaf(self, comp: cond.Compare, mode: str) -> dict[str, Any]:
        name = comp.key.replace(":", "__")
        yes = [c for c in self.names[comp.key] if self._holds_in(comp, c)]
        no = [c for c in self.names[comp.key] if c not in yes]
        conjunctive = mode in ("t", "np")
        classes = no if mode in ("t", "nt") else yes
        parts = [{f"{name}__may__{c}": 0 if conjunctive else 1} for c in classes]
        if not parts:  # all() of nothing holds, any() of nothing fails
            return {ALWAYS_KEY: 1 if conjunctive else 0}
        if len(parts) == 1:
            return parts[0]
        return {"$and": parts} if conjunctive else {"$or": parts}

    def pattern(self, node: cond.Node, mode: str) -> dict[str, Any]:
        """``mode``: ``t`` holds, ``p`` may hold, ``nt`` not ``t``, ``np`` not ``p``."""
        if isinstance(node, cond.Compare):
            return self.leaf(node, mode)
        if isinstance(node, cond.Not):
            return self.pattern(node.item, {"t": "np", "p": "nt", "nt": "p", "np": "t"}[mode])
        conjunctive = isinstance(node, cond.AllOf) == (mode in ("t", "p"))
        parts = [self.pattern(item, mode) for item in node.items]
        if not parts:
            return {ALWAYS_KEY: 1 if conjunctive else 0}
        if len(parts) == 1:
            return parts[0]
        return {"$and": parts} if conjunctive else {"$or": parts}

    def fact(self, env: cond.Env, sid: str) -> dict[str, Any]:
        fact: dict[str, Any] = {"sid": sid, ALWAYS_KEY: 1}
        for key in self.keys:
            value = env.get(key)
            name = key.replace(":", "__")
            if value.__class__ is cond.Unknown:
                possible = (set(self.names[key]) if value.possible is None else
                            {self.class_of(key, v) for v in value.possible})
            else:
                possible = {self.class_of(key, value)}
            for klass in self.names[key]:
                fact[f"{name}__may__{klass}"] = 1 if klass in possible else 0
        return fact
