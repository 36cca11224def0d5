"""A table compiled to one function answers exactly what the closures of its rules do."""

from hypothesis import given
from hypothesis import strategies as st

from ssreg.engines.codegen import compile_table
from ssreg.rulebook.conditions import Compare, compile_node
from ssreg.testing.unknowns import condition_trees, unknown_environments


nodes = condition_trees()
environments = unknown_environments(unknown=False)
environments3 = unknown_environments()


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


# --------------------------------------------------------------------------- three values

def _expected3(conditions, env, first):
    from ssreg.rulebook.conditions import value3

    found = []
    for i, node in enumerate(conditions):
        value = value3(node, env)
        if value is True:
            found.append((i, True))
            if first:
                break
        elif value is None:
            found.append((i, False))
    return tuple(found)


@given(st.lists(nodes, max_size=6), st.lists(environments3, min_size=1, max_size=5),
       st.booleans())
def test_three_valued_table_equals_the_reference(conditions, envs, first):
    """The generated three-valued table says what Kleene's logic says, rule by rule, and
    the closures agree with it (certain and may)."""
    from ssreg.engines.codegen import compile_table3
    from ssreg.rulebook.conditions import compile_may

    table = compile_table3(conditions, first=first)
    for env in envs:
        assert table(env) == _expected3(conditions, env, first)
        for node in conditions:
            from ssreg.rulebook.conditions import value3

            assert compile_node(node)(env) == (value3(node, env) is True)
            assert compile_may(node)(env) == (value3(node, env) is not False)


@given(st.lists(nodes, max_size=6), environments3)
def test_a_known_value_is_never_unknown_and_completions_agree_with_settled_rules(conditions,
                                                                                  env):
    """Kleene's logic is sound: a rule that holds (or fails) for certain holds (fails)
    whatever value each unknown takes."""
    import itertools

    from ssreg.rulebook.conditions import Unknown, value3

    keys = [k for k, v in env.items() if isinstance(v, Unknown)]
    choices = [sorted(env[k].possible, key=repr) if env[k].possible is not None
               else [None, *range(-3, 4)] for k in keys]
    for node in conditions:
        value = value3(node, env)
        if value is None:
            continue
        for combination in itertools.product(*choices):
            completed = {**env, **dict(zip(keys, combination, strict=True))}
            assert value3(node, completed) is value
