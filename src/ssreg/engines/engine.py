"""Engines decide which rules of a decision table hold for an environment of facts.

An engine only answers "which of these rules fire" (and, when some fact is unknown,
"which may fire": :meth:`Engine.fire3`); everything else (hit policy, why-not,
parameters, citations, the Decision) is shared code in :mod:`ssreg.registration.evaluate`, so every
engine returns the very same Decision.  The default :class:`CompiledEngine` compiles each
condition once into a Python closure and keeps the closures per rulebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from ..exceptions import EngineUnavailable, NoValueInForce
from ..rulebook import conditions as cond
from ..rulebook.rulebook import Rule, Rulebook
from .codegen import Table3Function, TableFunction, compile_table, compile_table3


class Engine(Protocol):
    """What an engine does: report the rules that fire, in the given order."""

    name: str

    def fire(
        self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *, first: bool
    ) -> list[Rule]:
        """The rules of ``rules`` whose condition holds; only the first one if ``first``."""
        ...

    def fire3(
        self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *, first: bool
    ) -> list[tuple[Rule, bool]]:
        """The rules that may hold when some values are unknown, in order, each with
        ``True`` when it holds for certain; a first-hit table stops after its first
        certain rule."""
        ...


class CompiledEngine:
    """Conditions compiled to closures; no interpretation at evaluation time."""

    name = "compiled"
    #: the answer depends only on the values the conditions read (callers may memoise)
    pure = True

    def predicates(self, book: Rulebook) -> dict[tuple[str, date], cond.Predicate]:
        """The compiled closure of every rule version, built once per rulebook."""
        memo = book.memo()
        table: dict[tuple[str, date], cond.Predicate] | None = memo.get("compiled")
        if table is None:
            table = {(r.id, r.start): cond.compile_node(r.when) for r in book.rules}
            memo["compiled"] = table  # same value from any thread: a race only wastes work
        return table

    def table(self, book: Rulebook, rules: Sequence[Rule], first: bool) -> TableFunction:
        """The table's rules compiled into one function (kept per rulebook)."""
        memo: dict[tuple[Sequence[Rule], bool], TableFunction] = book.memo().setdefault(
            "table_functions", {})
        found = memo.get((rules, first))
        if found is None:
            found = memo[rules, first] = compile_table([r.when for r in rules], first=first)
        return found

    def fire(
        self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *, first: bool
    ) -> list[Rule]:
        """The rules that hold: the table compiled to one function, run on ``env``."""
        return [rules[i] for i in self.table(book, rules, first)(env)]

    def table3(self, book: Rulebook, rules: Sequence[Rule], first: bool) -> Table3Function:
        """The table's three-valued function (kept per rulebook)."""
        memo: dict[tuple[Sequence[Rule], bool], Table3Function] = book.memo().setdefault(
            "table3_functions", {})
        found = memo.get((rules, first))
        if found is None:
            found = memo[rules, first] = compile_table3([r.when for r in rules], first=first)
        return found

    def fire3(
        self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *, first: bool
    ) -> list[tuple[Rule, bool]]:
        """The rules that may hold, each flagged certain or not (three values)."""
        return [(rules[i], certain) for i, certain in self.table3(book, rules, first)(env)]

    def fire_uncached(
        self, book: Rulebook, rules: Sequence[Rule], env: cond.Env, *, first: bool
    ) -> list[Rule]:
        """The rules that hold, each condition's closure called in turn (the reference)."""
        table = self.predicates(book)
        fired = []
        for rule in rules:
            if table[rule.id, rule.start](env):
                fired.append(rule)
                if first:
                    break
        return fired


_COMPILED = CompiledEngine()
ENGINE_NAMES = ("compiled", "durable")


def get_engine(name: str | Engine) -> Engine:
    """An engine by name (``"compiled"`` or ``"durable"``) or an engine object."""
    if not isinstance(name, str):
        return name
    if name == "compiled":
        return _COMPILED
    if name == "durable":
        from .durable import durable_engine

        return durable_engine()
    raise EngineUnavailable(f"engine: unknown engine {name!r}; expected one of {ENGINE_NAMES}")


def rules_in_force(
    book: Rulebook, decision: str, on: date, *, required: bool = True
) -> tuple[Rule, ...]:
    """Rules of a decision in force on a date (memoised on the rulebook, bounded).

    With ``required``, a date on which no rule of the decision is in force is an error
    (a first-hit table must answer); a collect table may legitimately be empty.
    """
    cache: dict[tuple[str, date], tuple[Rule, ...]] = book.memo().setdefault("in_force", {})
    key = (decision, on)
    rules = cache.get(key)
    if rules is None:
        every = book.rules_of(decision)
        rules = tuple(r for r in every if r.start <= on <= r.end)
        if not rules and required:
            starts = sorted({r.start for r in every})
            raise NoValueInForce(
                f"decision {decision!r}", on,
                f"its rules start on {starts[0]}" if starts else "it has no rules",
            )
        if len(cache) > 8192:
            cache.clear()
        cache[key] = rules
    return rules
