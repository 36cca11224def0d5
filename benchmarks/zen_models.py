"""GoRules ZEN (JDM) models generated from the ssreg rulebook, so they cannot drift.

Benchmark-only: ``pip install -e '.[bench]'`` brings ``zen-engine``.  Each case-scope
decision table of the rulebook, with the rules in force on a date, becomes a ZEN
decision table node (hit policy ``first`` or ``collect``, rows in the rulebook's
priority order), either with one expression column (the default, ZEN's faster form on
this machine) or a column per fact with unary cells (``columns_form``).  First-hit
tables are chained (their outputs feed the later tables, like ssreg's
outcomes-as-facts); collect tables hang off the chain and write their lists under the
decision's name.

ssreg's semantics are kept exactly: a missing value makes every comparison on it false,
so each comparison is guarded with ``x != null``.  Dates travel as day ordinals,
decimals as numbers, sets as lists.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ssreg.engines.engine import rules_in_force
from ssreg.rulebook.conditions import AllOf, AnyOf, Compare, Node, Not
from ssreg.rulebook.rulebook import Rulebook


def name(key: str) -> str:
    """An ssreg environment key as a ZEN variable (``param:x`` becomes ``param_x``)."""
    return key.replace("param:", "param_")


def literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return str(value.toordinal())
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return "[" + ", ".join(literal(v) for v in sorted(value, key=str)) + "]"
    raise TypeError(f"no ZEN literal for {value!r}")


def expression(node: Node) -> str:
    """A ZEN expression that holds exactly when the ssreg condition holds."""
    if isinstance(node, Compare):
        x, v = name(node.key), literal(node.value)
        test = {"in": f"{x} in {v}", "not_in": f"not ({x} in {v})"}.get(
            node.op, f"{x} {node.op} {v}")
        return f"({x} != null and {test})"
    if isinstance(node, Not):
        return f"not {expression(node.item)}"
    if isinstance(node, AllOf):
        return "(" + " and ".join(expression(i) for i in node.items) + ")" if node.items \
            else "true"
    assert isinstance(node, AnyOf)
    return "(" + " or ".join(expression(i) for i in node.items) + ")" if node.items \
        else "false"


def unary(node: Compare) -> str:
    """A comparison as a ZEN unary cell of its fact's column (``$`` is the value)."""
    v = literal(node.value)
    if node.op == "==":
        return v
    if node.op in ("<", "<=", ">", ">="):
        return f"{node.op} {v}"  # a null value makes the cell fail: the row is skipped
    if node.op == "in":
        return ", ".join(literal(x) for x in sorted(node.value, key=str))
    if node.op == "!=":
        return f"$ != null and $ != {v}"
    return f"$ != null and not ($ in {v})"  # not_in


def cells(node: Node) -> dict[str, str] | None:
    """A condition as one unary cell per fact, when it is an ``all`` of comparisons of
    distinct facts (the idiomatic ZEN table); None otherwise."""
    items = node.items if isinstance(node, AllOf) else (node,)
    if not all(isinstance(i, Compare) for i in items):
        return None
    keys = [i.key for i in items]  # type: ignore[union-attr]
    if len(set(keys)) != len(keys):
        return None
    return {name(i.key): unary(i) for i in items}  # type: ignore[arg-type]


def table_node(book: Rulebook, decision: str, on: date, columns_form: bool) -> dict[str, Any]:
    """A decision table: with ``columns_form`` in ZEN's spreadsheet idiom (a column per
    fact with unary cells, one expression column for the other conditions), otherwise
    one expression column (measured slightly faster in ZEN 2.1.3)."""
    spec = book.decisions[decision]
    first = spec.hit_policy == "first"
    rules = rules_in_force(book, decision, on, required=first)
    output = spec.outputs[0]
    rows, columns = [], {}
    for rule in rules:
        row = {"_id": rule.id, "then": literal(rule.outcome[output])}
        simple = cells(rule.when) if columns_form else None
        if simple is None:
            row["when"] = expression(rule.when)
            columns["when"] = {"id": "when", "name": "when"}
        else:
            for field, cell in simple.items():
                row["in_" + field] = cell
                columns["in_" + field] = {"id": "in_" + field, "name": field, "field": field}
        rows.append(row)
    return {
        "id": decision, "type": "decisionTableNode", "name": decision,
        "position": {"x": 0, "y": 0},
        "content": {
            "hitPolicy": spec.hit_policy, "passThrough": first, "inputField": None,
            "outputPath": None if first else decision, "executionMode": "single",
            "inputs": list(columns.values()),
            "outputs": [{"id": "then", "field": output, "name": output}],
            "rules": rows,
        },
    }


def keys_read(book: Rulebook, on: date, decisions: list[str]) -> set[str]:
    """The facts and parameters the tables read (all ZEN is given)."""
    from ssreg.rulebook.conditions import comparisons

    found = set()
    for decision in decisions:
        first = book.decisions[decision].hit_policy == "first"
        for rule in rules_in_force(book, decision, on, required=first):
            found |= {c.key for c in comparisons(rule.when)}
    return found


def graph(book: Rulebook, on: date, decisions: list[str], *,
          columns_form: bool = False) -> dict[str, Any]:
    """The JDM graph deciding ``decisions`` (in the rulebook's order) on date ``on``."""
    nodes: list[dict[str, Any]] = [
        {"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}},
        {"id": "response", "type": "outputNode", "name": "response",
         "position": {"x": 0, "y": 0}}]
    edges: list[dict[str, str]] = []

    def edge(source: str, target: str) -> None:
        edges.append({"id": f"{source}-{target}", "sourceId": source, "targetId": target,
                      "type": "edge"})

    last = "request"
    collect = []
    for decision in decisions:
        nodes.append(table_node(book, decision, on, columns_form))
        if book.decisions[decision].hit_policy == "first":
            edge(last, decision)
            last = decision
        else:
            collect.append(decision)
    for decision in collect:
        edge(last, decision)
        edge(decision, "response")
    edge(last, "response")
    return {"nodes": nodes, "edges": edges}


def zen_input(env: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The ``keys`` of an ssreg environment as ZEN input (JSON types only)."""
    out: dict[str, Any] = {}
    for key, value in env.items():
        if key not in keys:
            continue
        if isinstance(value, date):
            value = value.toordinal()
        elif isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, (set, frozenset, tuple)):
            value = sorted(value, key=str)
        out[name(key)] = value
    return out


def zen_outcomes(result: dict[str, Any], book: Rulebook, decisions: list[str]) -> dict[
        str, Any]:
    """ZEN's answer in the shape of ``Decision.outcomes``."""
    found: dict[str, Any] = {}
    for decision in decisions:
        spec = book.decisions[decision]
        output = spec.outputs[0]
        if spec.hit_policy == "first":
            if output in result:
                found[decision] = result[output]
        else:
            found[decision] = tuple(row[output] for row in result.get(decision, []))
    return found
