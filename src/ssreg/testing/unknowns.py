"""Hypothesis strategies for facts not given: condition trees over unknown values (to test
an engine against the reference three-valued logic) and cases with facts removed.

>>> from hypothesis import find
>>> from ssreg.rulebook.conditions import Unknown
>>> env = find(unknown_environments(), lambda e: isinstance(e.get("a"), Unknown))
>>> env["a"]
UNKNOWN
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..rulebook.conditions import OPERATORS, UNKNOWN, AllOf, AnyOf, Compare, Node, Not, Unknown


def _comparisons() -> st.SearchStrategy[Compare]:
    def build(key: str, op: str, value: int, members: list[int]) -> Compare:
        if op in ("in", "not_in"):
            return Compare("fact", key, op, frozenset(members))
        return Compare("fact", key, op, value)

    return st.builds(build, st.sampled_from(["a", "b"]), st.sampled_from(sorted(OPERATORS)),
                     st.integers(-2, 2), st.lists(st.integers(-2, 2), min_size=1, max_size=3))


def condition_trees(max_leaves: int = 8) -> st.SearchStrategy[Node]:
    """Random conditions (``all``, ``any``, ``not``, every operator) on facts ``a``, ``b``."""
    return st.recursive(
        _comparisons(),
        lambda children: st.one_of(
            st.builds(lambda items: AllOf(tuple(items)), st.lists(children, max_size=3)),
            st.builds(lambda items: AnyOf(tuple(items)), st.lists(children, max_size=3)),
            st.builds(Not, children)),
        max_leaves=max_leaves)


def _values(unknown: bool) -> st.SearchStrategy[Any]:
    known = st.none() | st.integers(-3, 3)
    if not unknown:
        return known
    restricted = st.frozensets(st.none() | st.integers(-3, 3), min_size=2, max_size=4).map(
        Unknown)
    return known | st.just(UNKNOWN) | restricted


def unknown_environments(unknown: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Values of ``a`` and ``b``: absent, an integer, unknown, or unknown among some
    values (``unknown=False``: known or absent only)."""
    values = _values(unknown)
    return st.fixed_dictionaries({}, optional={"a": values, "b": values})
