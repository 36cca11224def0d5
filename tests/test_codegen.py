"""A table compiled to one function answers exactly what the closures of its rules do."""

from hypothesis import given
from hypothesis import strategies as st

from ssreg.engines.codegen import compile_table
from ssreg.rulebook.conditions import OPERATORS, AllOf, AnyOf, Compare, Not, compile_node


def comparisons():
    def build(key, op, value, members):
        if op in ("in", "not_in"):
            return Compare("fact", key, op, frozenset(members))
        return Compare("fact", key, op, value)

    return st.builds(build, st.sampled_from(["a", "b"]), st.sampled_from(sorted(OPERATORS)),
                     st.integers(-2, 2), st.lists(st.integers(-2, 2), min_size=1, max_size=3))


nodes = st.recursive(
    comparisons(),
    lambda children: st.one_of(
        st.builds(lambda items: AllOf(tuple(items)), st.lists(children, max_size=3)),
        st.builds(lambda items: AnyOf(tuple(items)), st.lists(children, max_size=3)),
        st.builds(Not, children)),
    max_leaves=8)

environments = st.fixed_dictionaries({}, optional={"a": st.none() | st.integers(-3, 3),
                                                   "b": st.none() | st.integers(-3, 3)})


@given(st.lists(nodes, max_size=6), st.lists(environments, min_size=1, max_size=5),
       st.booleans())
def test_compiled_table_equals_the_closures(conditions, envs, first):
    table = compile_table(conditions, first=first)
    closures = [compile_node(c) for c in conditions]
    for env in envs:
        expected = tuple(i for i, holds in enumerate(closures) if holds(env))
        if first:
            expected = expected[:1]
        assert table(env) == expected


def test_generated_source_holds_no_rule_text():
    """Fact names and literals are constants, never code: a hostile name stays data."""
    hostile = Compare("fact", "__import__('os').system('x')", "==", "'); raise SystemExit('")
    table = compile_table([hostile], first=True)
    assert table({"__import__('os').system('x')": "'); raise SystemExit('"}) == (0,)
    assert table({}) == ()
