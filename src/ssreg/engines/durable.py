"""The durable-rules engine: the same rulebook on durable-rules' Rete core, hardened.

This is the only module that imports ``durable``.  The traps measured in
``notes/durable_rules.md`` and how this adapter avoids each one:

- global host and background threads: a private ``Host`` subclass whose ``_run`` starts
  no thread, created lazily; everything runs synchronously on the calling thread;
- rulesets cannot be redefined: every compiled decision table gets a fresh name;
- 1024 live sessions per ruleset, MemoryError then segfaults, out-of-order deletes: one
  session per evaluation, deleted right after, under one lock per ruleset;
- 32-bit hash collisions merging sessions or events: at most one live session, one fact
  per session, and no state is ever read back from durable (results are collected by
  the actions themselves);
- swallowed action exceptions: actions only record a rule index; any error they hit, or
  an ``exception`` key in the returned state, raises :class:`~ssreg.EngineError`;
- ``$nex`` (not-exists) hangs the engine: never emitted; negation uses explicit
  ``<fact>__present`` flags instead;
- an ``or`` split into sub-rules fires an action twice: fired indexes are de-duplicated;
- a fact that matches no rule raises ``MessageNotHandledException`` and leaves a
  half-registered session that segfaults when deleted: every ruleset has a catch-all
  rule, so every fact matches and its session is created and deleted normally;
- limits (64 simultaneous alpha tests, 253 properties, 512 branches per node): checked
  before a ruleset is created.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ..exceptions import EngineError, EngineUnavailable
from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rule, Rulebook


MAX_TESTS = 60  # durable fails with error 303 beyond 64 alpha tests satisfied at once
MAX_PROPERTIES = 250  # error 302 from 254 properties
NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<",
           "in": "not_in", "not_in": "in"}
DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
ALWAYS_KEY = "ssreg__always"


def _load() -> Any:
    if sys.version_info >= (3, 13):
        raise EngineUnavailable(
            "engine='durable' needs durable-rules 2.0.28, which ships no wheels and whose C "
            "code uses APIs removed in Python 3.13; use engine='compiled' (same Decisions) "
            "or run on Python 3.11/3.12 with `pip install ssreg[durable]`")
    try:
        from durable import engine
    except ImportError as exc:
        raise EngineUnavailable(
            "engine='durable' needs the optional dependency: `pip install ssreg[durable]` "
            "(builds durable-rules 2.0.28 from source, needs a C compiler); or use "
            "engine='compiled'") from exc
    return engine


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


def _compare(comp: cond.Compare, op: str) -> dict[str, Any]:
    key = comp.key.replace(":", "__")
    if op in ("in", "not_in"):
        values = sorted((encode(v) for v in comp.value), key=str)
        parts = [_compare(cond.Compare(comp.kind, comp.name, "==" if op == "in" else "!=", v),
                          "==" if op == "in" else "!=") for v in values]
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
            return _compare(node, node.op)
        present = {node.key.replace(":", "__") + "__present": 0}
        return {"$or": [present, _compare(node, NEGATED[node.op])]}
    if isinstance(node, cond.Not):
        return to_durable(node.item, negated=not negated)
    conjunctive = isinstance(node, cond.AllOf) != negated
    parts = [to_durable(item, negated=negated) for item in node.items]
    if not parts:  # all() is true, any() is false
        return {ALWAYS_KEY: 1 if conjunctive else 0}
    if len(parts) == 1:
        return parts[0]
    return {"$and": parts} if conjunctive else {"$or": parts}


def _tests(pattern: Any) -> int:
    if isinstance(pattern, dict):
        return sum(_tests(v) if k in ("$and", "$or") else 1 for k, v in pattern.items())
    if isinstance(pattern, list):
        return sum(_tests(p) for p in pattern)
    return 1


class _Table:
    """One compiled decision table: a durable ruleset, its lock, and the fired sink."""

    def __init__(self, host: Any, name: str, rules: Sequence[Rule]) -> None:
        self.name = name
        self.lock = threading.Lock()
        self.fired: set[int] = set()
        self.errors: list[BaseException] = []
        self.keys = sorted({c.key for r in rules for c in cond.comparisons(r.when)})
        definition: dict[str, Any] = {}
        tests = 0
        for index, rule in enumerate(rules):
            pattern = to_durable(rule.when)
            tests += _tests(pattern)
            definition[f"r{index}"] = {"all": [{"m": pattern}], "run": self._action(index)}
        # a catch-all rule: every fact matches something (see the module docs)
        definition["catch_all"] = {"all": [{"m": {ALWAYS_KEY: 1}}], "run": self._action(-1)}
        if tests > MAX_TESTS or 2 * len(self.keys) + 2 > MAX_PROPERTIES:
            raise EngineError(f"durable engine: decision table {rules[0].decision!r} is too "
                              f"large for durable-rules ({tests} tests, {len(self.keys)} facts;"
                              f" limits {MAX_TESTS} and {MAX_PROPERTIES // 2}); use "
                              "engine='compiled'")
        with _mapped(f"creating ruleset {name}"):
            host.set_rulesets({name: definition})

    def _action(self, index: int) -> Any:
        def record(c: Any) -> None:
            try:
                self.fired.add(index)
            except BaseException as exc:  # never let durable swallow it
                self.errors.append(exc)

        return record

    def fact(self, env: cond.Env, sid: str) -> dict[str, Any]:
        fact: dict[str, Any] = {"sid": sid, ALWAYS_KEY: 1}
        for key in self.keys:
            value = env.get(key)
            name = key.replace(":", "__")
            fact[name + "__present"] = 0 if value is None else 1
            if value is not None:
                fact[name] = encode(value)
        return fact


@contextlib.contextmanager
def _mapped(what: str) -> Iterator[None]:
    try:
        yield
    except EngineError:
        raise
    except Exception as exc:  # durable raises bare Exception and C error codes
        raise EngineError(f"durable engine: {what} failed: {exc}") from exc


class DurableEngine:
    """Runs the decision tables of a rulebook on durable-rules (see the module docs)."""

    name = "durable"

    def __init__(self) -> None:
        self._engine = _load()
        self._host: Any = None
        self._tables: dict[tuple[str, tuple[tuple[str, date], ...]], _Table] = {}
        self._lock = threading.Lock()
        self._names = itertools.count()
        self._sids = itertools.count()

    def _private_host(self) -> Any:
        if self._host is None:
            base = self._engine.Host

            class QuietHost(base):  # type: ignore[misc, valid-type]
                """A host without the background dispatch and timer threads."""

                def _run(self) -> None:
                    return None

            self._host = QuietHost()
        return self._host

    def table(self, book: Rulebook, rules: Sequence[Rule]) -> _Table:
        rules = rules if isinstance(rules, tuple) else tuple(rules)
        # fast path: the rules tuple of this rulebook already has its ruleset
        memo: dict[Any, Any] = book.memo()
        known: dict[Sequence[Rule], _Table] = memo.setdefault(("durable_tables", id(self)), {})
        table = known.get(rules)
        if table is not None:
            return table
        key = (book.fingerprint, tuple((r.id, r.start) for r in rules))
        with self._lock:
            table = self._tables.get(key)
            if table is None:
                name = f"ssreg_{rules[0].decision}_{next(self._names)}"
                table = _Table(self._private_host(), name, rules)
                self._tables[key] = table
        known[rules] = table
        return table

    def fire(self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *,
             first: bool) -> list[Rule]:
        if not rules:
            return []
        table = self.table(book, rules)
        host = self._host
        with table.lock:
            sid = f"e{next(self._sids)}"
            table.fired.clear()
            table.errors.clear()
            try:
                state = host.assert_fact(table.name, table.fact(env, sid))
            except self._engine.MessageNotHandledException as exc:
                # cannot happen with the catch-all rule; never touch that sid again
                raise EngineError(f"durable engine: evaluating {rules[0].decision!r} "
                                  f"failed: {exc}") from exc
            except Exception as exc:  # durable raises bare Exception and C error codes
                self._delete(table, sid)
                raise EngineError(f"durable engine: evaluating {rules[0].decision!r} "
                                  f"failed: {exc}") from exc
            self._delete(table, sid)
            if isinstance(state, dict) and state.get("exception"):
                raise EngineError(f"durable engine: an action failed: {state['exception']}")
            if table.errors:
                raise EngineError(f"durable engine: an action failed: "
                                  f"{table.errors[0]!r}") from table.errors[0]
            fired = sorted(i for i in table.fired if i >= 0)
        if first:
            return [rules[fired[0]]] if fired else []
        return [rules[i] for i in fired]

    def _delete(self, table: _Table, sid: str) -> None:
        try:
            self._host.delete_state(table.name, sid)
        except Exception as exc:
            raise EngineError(f"durable engine: deleting session {sid} failed: {exc}") from exc


_ENGINE: DurableEngine | None = None
_ENGINE_LOCK = threading.Lock()


def durable_engine() -> DurableEngine:
    """The process's durable engine (one private host, created on first use)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = DurableEngine()
        return _ENGINE
