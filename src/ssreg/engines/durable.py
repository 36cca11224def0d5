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
  ``<fact>__present`` flags instead, and an unknown fact (three-valued tables) has
  ``<fact>__unknown`` and ``<fact>__may__<class>`` flags (see :class:`_Table3`);
- an ``or`` split into sub-rules fires an action twice: fired indexes are de-duplicated;
- a fact that matches no rule raises ``MessageNotHandledException`` and leaves a
  half-registered session that segfaults when deleted: every ruleset has a catch-all
  rule, so every fact matches and its session is created and deleted normally;
- limits (64 simultaneous alpha tests, 253 properties, 512 branches per node): checked
  before a ruleset is created; a table too large for one ruleset is split into several.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from ..exceptions import EngineError, EngineUnavailable
from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rule, Rulebook
from .patterns import (
    ALWAYS_KEY,
    MAX_PROPERTIES,
    MAX_TESTS,
    ThreeValued,
    count_tests,
    encode,
    to_durable,
)


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


class _Rulesets:
    """Patterns on one fact, registered as one or more durable rulesets (each within the
    test limit, each with a catch-all rule), and the tags of the patterns that matched."""

    def __init__(self, host: Any, name: str, decision: str,
                 patterns: Sequence[tuple[Any, dict[str, Any]]], keys: int) -> None:
        self.lock = threading.Lock()
        self.fired: set[Any] = set()
        self.errors: list[BaseException] = []
        self.names: list[str] = []
        chunks: list[list[tuple[Any, dict[str, Any]]]] = [[]]
        tests = 0
        for tag, pattern in patterns:
            count = count_tests(pattern)
            if count > MAX_TESTS or keys > MAX_PROPERTIES:
                raise EngineError(f"durable engine: decision table {decision!r} is too "
                                  f"large for durable-rules ({count} tests in one rule, "
                                  f"{keys} properties; limits {MAX_TESTS} and "
                                  f"{MAX_PROPERTIES}); use engine='compiled'")
            if tests + count > MAX_TESTS and chunks[-1]:
                chunks.append([])
                tests = 0
            chunks[-1].append((tag, pattern))
            tests += count
        for number, chunk in enumerate(chunks):
            definition: dict[str, Any] = {}
            for index, (tag, pattern) in enumerate(chunk):
                definition[f"r{index}"] = {"all": [{"m": pattern}], "run": self._action(tag)}
            # a catch-all rule: every fact matches something (see the module docs)
            definition["catch_all"] = {"all": [{"m": {ALWAYS_KEY: 1}}],
                                       "run": self._action(None)}
            chunk_name = f"{name}_{number}" if len(chunks) > 1 else name
            with _mapped(f"creating ruleset {chunk_name}"):
                host.set_rulesets({chunk_name: definition})
            self.names.append(chunk_name)

    def _action(self, tag: Any) -> Any:
        def record(c: Any) -> None:
            try:
                if tag is not None:
                    self.fired.add(tag)
            except BaseException as exc:  # never let durable swallow it
                self.errors.append(exc)

        return record


class _Table3(_Rulesets):
    """A decision table in three values (see :class:`~ssreg.engines.patterns.ThreeValued`)."""

    def __init__(self, host: Any, name: str, rules: Sequence[Rule]) -> None:
        self.three = ThreeValued(rules)
        super().__init__(host, name, rules[0].decision, self.three.patterns,
                         self.three.properties)

    def fact(self, env: cond.Env, sid: str) -> dict[str, Any]:
        return self.three.fact(env, sid)


class _Table(_Rulesets):
    """One compiled decision table: rule ``i`` fires when its pattern matches."""

    def __init__(self, host: Any, name: str, rules: Sequence[Rule]) -> None:
        self.keys = sorted({c.key for r in rules for c in cond.comparisons(r.when)})
        super().__init__(host, name, rules[0].decision,
                         [(i, to_durable(r.when)) for i, r in enumerate(rules)],
                         2 * len(self.keys) + 2)

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
        self._tables: dict[tuple[Any, ...], _Table | _Table3] = {}
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
            found = self._tables.get(key)
            if found is None:
                name = f"ssreg_{rules[0].decision}_{next(self._names)}"
                found = _Table(self._private_host(), name, rules)
                self._tables[key] = found
        assert isinstance(found, _Table)
        known[rules] = found
        return found

    def table3(self, book: Rulebook, rules: Sequence[Rule]) -> _Table3:
        rules = rules if isinstance(rules, tuple) else tuple(rules)
        memo: dict[Any, Any] = book.memo()
        known: dict[Sequence[Rule], _Table3] = memo.setdefault(("durable_tables3", id(self)),
                                                               {})
        table = known.get(rules)
        if table is not None:
            return table
        key = ("three", book.fingerprint, tuple((r.id, r.start) for r in rules))
        with self._lock:
            found = self._tables.get(key)
            if found is None:
                name = f"ssreg_{rules[0].decision}_3_{next(self._names)}"
                found = _Table3(self._private_host(), name, rules)
                self._tables[key] = found
        assert isinstance(found, _Table3)
        known[rules] = found
        return found

    def _matches(self, table: Any, decision: str, env: cond.Env) -> set[Any]:
        """The tags of the patterns matching ``env``, one session per ruleset."""
        host = self._host
        with table.lock:
            table.fired.clear()
            table.errors.clear()
            for name in table.names:
                sid = f"e{next(self._sids)}"
                try:
                    state = host.assert_fact(name, table.fact(env, sid))
                except self._engine.MessageNotHandledException as exc:
                    # cannot happen with the catch-all rule; never touch that sid again
                    raise EngineError(f"durable engine: evaluating {decision!r} "
                                      f"failed: {exc}") from exc
                except Exception as exc:  # durable raises bare Exception and C error codes
                    self._delete(name, sid)
                    raise EngineError(f"durable engine: evaluating {decision!r} "
                                      f"failed: {exc}") from exc
                self._delete(name, sid)
                if isinstance(state, dict) and state.get("exception"):
                    raise EngineError(f"durable engine: an action failed: "
                                      f"{state['exception']}")
            if table.errors:
                raise EngineError(f"durable engine: an action failed: "
                                  f"{table.errors[0]!r}") from table.errors[0]
            return set(table.fired)

    def fire(self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *,
             first: bool) -> list[Rule]:
        if not rules:
            return []
        fired = sorted(self._matches(self.table(book, rules), rules[0].decision, env))
        if first:
            return [rules[fired[0]]] if fired else []
        return [rules[i] for i in fired]

    def fire3(self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *,
              first: bool) -> list[tuple[Rule, bool]]:
        if not rules:
            return []
        tags = self._matches(self.table3(book, rules), rules[0].decision, env)
        found: list[tuple[Rule, bool]] = []
        for i, rule in enumerate(rules):
            if ("t", i) in tags:
                found.append((rule, True))
                if first:
                    break
            elif ("p", i) in tags:
                found.append((rule, False))
        return found

    def _delete(self, name: str, sid: str) -> None:
        try:
            self._host.delete_state(name, sid)
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
