"""The durable-rules engine: same Decisions as the compiled engine, immune to its traps.

Each trap of durable-rules 2.0.28 (notes/durable_rules.md) is reproduced through the raw
library, in a subprocess when it crashes or hangs, next to a check that ssreg is immune.
"""

import itertools
import json
import subprocess
import sys
import textwrap
import threading
from datetime import date

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import any_students, claims, covers, dossiers, evaluation_dates, events


ON_313 = sys.version_info >= (3, 13)
if not ON_313:
    pytest.importorskip("durable", reason="the optional extra ssreg[durable] is not installed")
needs_durable = pytest.mark.skipif(ON_313, reason="durable-rules does not build on Python 3.13+")


@pytest.mark.skipif(not ON_313, reason="checks the message given on Python 3.13+")
def test_durable_is_unavailable_with_a_clear_reason():
    with pytest.raises(ssreg.EngineUnavailable, match=r"Python 3\.13.*engine='compiled'"):
        ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
                                    "country_of_birth": "BR"}}, on="2026-09-15",
                       engine="durable")

STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "stay_months": 10, "enrolled_in_french_institution": True,
           "previously_affiliated": False, "salaried": False, "andorran_insured": False, "quebec_form": "none"}


def raw(code: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """Run raw durable-rules code in a fresh interpreter (it may crash or hang)."""
    prelude = textwrap.dedent("""
        from durable import engine
        class Quiet(engine.Host):
            def _run(self):
                pass
    """)
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=timeout, check=False)


documents = st.lists(st.builds(
    ssreg.Document, kind=st.sampled_from(sorted(ssreg.default_rulebook().documents)),
    status=st.sampled_from(["held", "uploaded", "rejected"]),
    language=st.none() | st.sampled_from(["fr", "pt", "el"])), max_size=4)


@needs_durable
class TestSameDecisions:
    @given(any_students(unknown=True), evaluation_dates(), documents,
           st.sampled_from([None, {"quebec_form_policy": "register_online"},
                            {"ghic_policy": "exempt", "top_up_policy": "affiliation_required"}]))
    def test_routes_documents_and_trace(self, student, on, docs, overrides):
        case = {"student": student, "documents": docs}
        compiled = ssreg.evaluate(case, on=on, overrides=overrides)
        durable = ssreg.evaluate(case, on=on, overrides=overrides, engine="durable")
        assert durable.to_dict() == compiled.to_dict()

    @given(st.lists(claims(), max_size=8), st.none() | covers())
    def test_claims(self, batch, cover):
        compiled = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
        durable = list(ssreg.price_claims(batch, cover=cover, engine="durable",
                                          errors="collect"))
        assert durable == compiled

    @settings(max_examples=20)
    @given(dossiers(), evaluation_dates(date(2026, 8, 20), date(2027, 6, 30)), events())
    def test_dossiers_and_events(self, dossier, on, event):
        compiled = ssreg.evaluate(dossier, on=on)
        durable = ssreg.evaluate(dossier, on=on, engine="durable")
        assert durable.to_dict("fr") == compiled.to_dict("fr")
        if event.date < (dossier.events[-1].date if dossier.events else event.date):
            return
        outcomes = []
        for engine in ("compiled", "durable"):
            try:
                outcomes.append(ssreg.apply_event(dossier, event, engine=engine).to_dict())
            except ssreg.EventRefused as exc:
                outcomes.append(("refused", exc.stage, exc.reasons, exc.citations))
            except ssreg.InvalidDossierError as exc:
                outcomes.append(("invalid", exc.problems))
        assert outcomes[0] == outcomes[1]


_TABLES = itertools.count()


@needs_durable
@settings(max_examples=60)
@given(st.data())
def test_three_valued_tables_match_the_compiled_engine(data):
    """Random tables over unknown, restricted and absent values: durable's "holds" and
    "may hold" patterns give what the generated Python gives, rule by rule."""
    from ssreg.engines.engine import get_engine
    from ssreg.rulebook.rulebook import Rule
    from ssreg.testing.unknowns import condition_trees, unknown_environments

    nodes, environments3 = condition_trees(max_leaves=4), unknown_environments()
    conditions = data.draw(st.lists(nodes, min_size=1, max_size=5))
    # the engine keys its rulesets by rule id and start: fresh ids for each table
    rules = tuple(Rule(id=f"r{i}-{next(_TABLES)}", decision="random", priority=i, outcome={}, when=node,
                       label={}, citations=(), start=date(2018, 1, 1))
                  for i, node in enumerate(conditions))
    book = ssreg.default_rulebook()
    first = data.draw(st.booleans())
    for env in data.draw(st.lists(environments3, min_size=1, max_size=4)):
        compiled = get_engine("compiled").fire3(book, rules, env, first=first)
        try:
            durable = get_engine("durable").fire3(book, rules, env, first=first)
        except ssreg.EngineError as exc:  # refused before compiling, with the reason
            assert "too large for durable-rules" in str(exc)
            reject()
        assert durable == compiled


@needs_durable
class TestTraps:
    def test_global_host_starts_threads_but_ssreg_does_not(self):
        result = raw("""
            import threading
            before = threading.active_count()
            engine.Host()
            print(threading.active_count() - before)
        """)
        assert int(result.stdout) >= 1  # the library's own host starts timer threads
        before = threading.active_count()
        ssreg.evaluate({"student": STUDENT}, on="2026-09-15", engine="durable")
        assert threading.active_count() == before

    def test_rulesets_cannot_be_redefined_but_rulebooks_reload(self):
        result = raw("""
            h = Quiet()
            rs = {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}
            h.set_rulesets({"same": dict(rs)})
            try:
                h.set_rulesets({"same": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})
            except Exception as exc:
                print(exc)
        """)
        assert "already registered" in result.stdout
        for _ in range(3):  # a reloaded rulebook gets fresh ruleset names
            book = ssreg.load_rulebook(ssreg.builtin_rules_dir())
            d = ssreg.evaluate({"student": STUDENT}, on="2026-09-15", rulebook=book,
                               engine="durable")
            assert d.route == "online"

    def test_action_exceptions_are_swallowed_by_durable_but_raised_by_ssreg(self, monkeypatch):
        result = raw("""
            h = Quiet()
            def boom(c):
                raise ValueError("boom")
            h.set_rulesets({"t": {"r": {"all": [{"m": {"x": 1}}], "run": boom}}})
            print("exception" in h.assert_fact("t", {"sid": "a", "x": 1}))
        """)
        assert result.stdout.strip() == "True"  # no error raised, only a key in the state

        from ssreg.engines import durable as _durable
        from ssreg.engines.engine import rules_in_force
        book = ssreg.default_rulebook()
        rules = rules_in_force(book, "route", date(2026, 9, 15))
        engine = _durable.durable_engine()
        table = engine.table(book, rules)

        class Exploding(set):
            def add(self, item):
                raise RuntimeError("action failed")

        monkeypatch.setattr(table, "fired", Exploding())
        with pytest.raises(ssreg.EngineError, match="action failed"):
            engine.fire(book, rules, {}, first=False)

    def test_1024_live_sessions_then_memory_error(self):
        result = raw("""
            h = Quiet()
            h.set_rulesets({"t": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})
            try:
                for i in range(1100):
                    h.assert_fact("t", {"sid": str(i), "x": 1})
            except MemoryError:
                print("MemoryError at", i)
        """)
        assert "MemoryError at 1024" in result.stdout
        for _ in range(3000):  # ssreg keeps at most one live session per evaluation
            ssreg.evaluate({"student": STUDENT}, on="2026-09-15", engine="durable",
                           trace=False)

    def test_hash_collision_merges_sessions_but_ssreg_never_reads_state_back(self):
        result = raw("""
            h = Quiet()
            h.set_rulesets({"t": {"r": {"all": [{"m": {"x": 1}}],
                                        "run": lambda c: setattr(c.s, "owner", "tenant-A")}}})
            h.assert_fact("t", {"sid": "16bd111acbdfcccd", "x": 1})
            print(h.get_state("t", "a47f1dae0bee8fd6").get("owner"))
        """)
        assert result.stdout.strip() == "tenant-A"  # another session's state leaks
        # ssreg: one live session at a time, results collected by the actions, and the
        # answer of every evaluation matches the compiled engine (TestSameDecisions).
        a = ssreg.evaluate({"student": STUDENT}, on="2026-09-15", engine="durable")
        b = ssreg.evaluate({"student": dict(STUDENT, country_of_birth="FR")},
                           on="2026-09-15", engine="durable")
        assert (a.route, b.route) == ("online", "cpam")

    def test_not_exists_hangs_durable_and_ssreg_never_emits_it(self):
        with pytest.raises(subprocess.TimeoutExpired):
            raw("""
                h = Quiet()
                h.set_rulesets({"t": {"r": {"all": [{"m": {"$nex": {"x": 1}}}],
                                            "run": lambda c: None}}})
                h.assert_fact("t", {"sid": "a", "y": 2})
            """, timeout=5)
        from ssreg.engines.durable import to_durable
        for rule in ssreg.default_rulebook().rules:
            assert "$nex" not in json.dumps(to_durable(rule.when))

    def test_unmatched_fact_leaves_a_session_that_segfaults_on_delete(self):
        result = raw("""
            h = Quiet()
            h.set_rulesets({"t": {"r": {"all": [{"m": {"x": 1}}], "run": lambda c: None}}})
            try:
                h.assert_fact("t", {"sid": "a", "x": 2})
            except engine.MessageNotHandledException:
                print("not handled", flush=True)
            h.delete_state("t", "a")
        """)
        assert "not handled" in result.stdout
        assert result.returncode < 0  # killed by a signal (segmentation fault)
        # ssreg: every ruleset has a catch-all rule, so a case where no rule of a table
        # applies (blocks of a private-insurance route) works and is deleted safely.
        d = ssreg.evaluate({"student": dict(STUDENT, stay_months=2)}, on="2026-09-15",
                           engine="durable")
        assert d.route == "private_insurance"
        assert d.blocks == ()

    def test_or_split_fires_twice_but_counts_once(self):
        result = raw("""
            h = Quiet()
            hits = []
            h.set_rulesets({"t": {"r": {"all": [{"m": {"$or": [{"x": 1}, {"y": 1}]}}],
                                        "run": lambda c: hits.append(1)}}})
            h.assert_fact("t", {"sid": "a", "x": 1, "y": 1})
            print(len(hits))
        """)
        assert result.stdout.strip() == "2"
        from ssreg.engines.durable import durable_engine
        rule = next(r for r in ssreg.default_rulebook().rules
                    if r.id == "route.cpam.born_in_france")
        assert durable_engine().fire(ssreg.default_rulebook(), [rule],
                                     {"born_in_france": True}, first=False) == [rule]

    def test_too_large_tables_are_refused_before_compiling(self, tmp_path):
        conditions = ", ".join(f'{{ fact = "age", op = ">", value = {i} }}' for i in range(70))
        path = tmp_path / "big.toml"
        path.write_text(f"""
[[rules]]
id = "big.rule"
decision = "top_up"
priority = 1
outcome = {{ top_up = "eligible" }}
start = 2018-09-01
citations = ["E6"]
label = {{ en = "x", fr = "x", es = "x" }}
[rules.when]
any = [{conditions}]
""")
        book = ssreg.load_rulebook(path, base=ssreg.default_rulebook())
        with pytest.raises(ssreg.EngineError, match="too large for durable-rules"):
            ssreg.evaluate({"student": STUDENT}, on="2026-09-15", rulebook=book,
                           engine="durable")


@needs_durable
def test_a_batch_of_20000_claims_loses_nothing():
    batch = [{"care": "medicine", "medicine_class": "major", "date": f"2025-0{1 + i % 9}-1{i % 10}",
              "billed": "10", "age": 20 + i % 5, "person": f"p{i % 37}", "id": str(i)}
             for i in range(20_000)]
    results = list(ssreg.price_claims(batch, engine="durable"))
    assert len(results) == 20_000
    assert [r.id for r in results] == [str(i) for i in range(20_000)]
    assert results == list(ssreg.price_claims(batch))
