"""Several processes: the same results claim for claim; a dying worker loses nothing.

With numpy installed the workers check and price their claims by columns
(``ssreg.pricing.spread``); without it, claim by claim (``processes``, ``pipeline``).
Both are tested here (``claim_workers`` turns the columnar workers off).
"""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.pricing import batch as _batch
from ssreg.pricing import processes as _parallel
from ssreg.testing import claims, covers


@pytest.fixture(params=["columns", "claim by claim"])
def either(request, monkeypatch):
    """Each test twice: workers pricing by columns, and claim by claim (no numpy)."""
    monkeypatch.setattr(_batch, "COLUMNAR_WORKERS", request.param == "columns")
    return request.param


@pytest.fixture
def claim_workers(monkeypatch):
    monkeypatch.setattr(_batch, "COLUMNAR_WORKERS", False)


def batch_of(n, seed=1):
    rnd = random.Random(seed)
    return [{"care": rnd.choice(["gp_consultation", "paramedical", "lab_biology", "dental"]),
             "date": f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 28):02d}",
             "billed": f"{rnd.randrange(10, 90)}.{rnd.randrange(100):02d}",
             "age": 22, "person": f"p{rnd.randrange(12)}",
             "referent_doctor_declared": rnd.random() < 0.7} for _ in range(n)]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(claims(persons=("a", "b", "c")), max_size=25), st.none() | covers())
def test_two_processes_equal_one(batch, cover):
    one = list(ssreg.price_claims(batch, cover=cover, errors="collect"))
    two = list(ssreg.price_claims(batch, cover=cover, errors="collect", workers=2))
    assert two == one
    assert [r.to_dict() for r in two] == [r.to_dict() for r in one]


def test_mappings_and_refused_claims_keep_their_place(either):
    batch = batch_of(300)
    batch[7] = {"care": "massage", "date": "2025-01-01", "billed": "1", "age": 20}
    one = list(ssreg.price_claims(batch, errors="collect"))
    three = list(ssreg.price_claims(batch, errors="collect", workers=3))
    assert three == one
    assert not three[7].ok and [r.position for r in three] == list(range(300))


def test_a_worker_that_dies_is_replaced_and_nothing_is_lost(tmp_path, monkeypatch, either):
    batch = batch_of(400)
    one = list(ssreg.price_claims(batch))
    monkeypatch.setitem(_parallel.FAULTS, "die_once", str(tmp_path / "died"))
    two = list(ssreg.price_claims(batch, workers=2))
    assert (tmp_path / "died").exists()  # a worker did die
    assert two == one  # every claim once, in order, same amounts


def test_a_worker_that_keeps_dying_is_an_error(tmp_path, monkeypatch, either):
    marker = tmp_path / "never-created" / "died"  # cannot be created: dies every time
    monkeypatch.setitem(_parallel.FAULTS, "die_once", str(marker))
    with pytest.raises(ssreg.WorkerError, match="died twice"):
        list(ssreg.price_claims(batch_of(50), workers=2))


@pytest.mark.parametrize("workers", [0, -1, 1.5, "2", True, 65])
def test_workers_must_be_a_small_whole_number(workers):
    with pytest.raises(ssreg.InvalidInputError, match="workers"):
        ssreg.price_claims([], workers=workers)


def test_partition_is_stable_and_by_person():
    assert _parallel.partition("p1", 4) == _parallel.partition("p1", 4)
    assert {_parallel.partition(f"p{i}", 4) for i in range(100)} == {0, 1, 2, 3}


def test_without_fork_the_claims_are_sent_and_the_results_are_the_same(tmp_path, monkeypatch, either):
    """Where fork is unavailable (or the process has threads) workers start fresh."""
    import multiprocessing

    monkeypatch.setattr(_parallel, "_context",
                        lambda: multiprocessing.get_context("forkserver"))
    batch = batch_of(200, seed=3)
    cover = ssreg.Cover(levels={"default": 150})
    one = list(ssreg.price_claims(batch, cover=cover))
    monkeypatch.setitem(_parallel.FAULTS, "die_once", str(tmp_path / "died"))
    two = list(ssreg.price_claims([ssreg.Claim(**c) for c in batch], cover=cover, workers=2))
    assert (tmp_path / "died").exists()
    assert two == one


def test_a_claim_too_deep_to_send_is_refused_in_its_place(monkeypatch):
    """A claim nested 1,000 deep cannot be pickled for a worker started fresh: it is
    refused in its place as by one process, not a RecursionError (issue 25)."""
    import multiprocessing

    from ssreg.testing.fuzz import nested

    monkeypatch.setattr(_parallel, "_context",
                        lambda: multiprocessing.get_context("forkserver"))
    good = batch_of(6, seed=5)
    batch = [*good[:3], {**good[0], "care": nested(1000)}, *good[3:]]
    one = list(ssreg.price_claims(batch, errors="collect"))
    two = list(ssreg.price_claims(batch, errors="collect", workers=2))
    assert two[3].ok is False and two[3].problems
    assert two == one


def in_order_batch(n, seed=4):
    """Each person's claims in date order (the pipelined path), several chunks."""
    batch = sorted(batch_of(n, seed), key=lambda c: c["date"])
    batch[11] = dict(batch[11], care="massage")
    return batch


@pytest.fixture
def small_chunks(monkeypatch):
    from ssreg.pricing import pipeline as _pipeline

    monkeypatch.setattr(_pipeline, "CHUNK", 37)
    monkeypatch.setattr(_batch, "COLUMNAR_WORKERS", False)


def test_pipelined_chunks_equal_one_process(small_chunks):
    batch = in_order_batch(500)
    one = list(ssreg.price_claims(batch, errors="collect"))
    for workers in (2, 3):
        assert list(ssreg.price_claims(batch, errors="collect", workers=workers)) == one


def test_pipelined_worker_death_replays_its_chunks(small_chunks, tmp_path, monkeypatch):
    batch = in_order_batch(400, seed=6)
    one = list(ssreg.price_claims(batch, errors="collect"))
    monkeypatch.setitem(_parallel.FAULTS, "die_once", str(tmp_path / "died"))
    assert list(ssreg.price_claims(batch, errors="collect", workers=2)) == one
    assert (tmp_path / "died").exists()


@pytest.mark.parametrize("columns", [True, False])
def test_pipelined_raise_stops_at_the_first_refused_claim(small_chunks, monkeypatch, columns):
    monkeypatch.setattr(_batch, "COLUMNAR_WORKERS", columns)
    batch = [dict(c, care="costly_act", billed="20") if i == 90 else c
             for i, c in enumerate(sorted(batch_of(200), key=lambda c: c["date"]))]
    one = ssreg.price_claims(batch)
    two = ssreg.price_claims(batch, workers=2)
    first = [next(one) for _ in range(90)]
    assert [next(two) for _ in range(90)] == first
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[90\]"):
        next(one)
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[90\]"):
        next(two)


def test_regrouped_raise_names_the_refused_claim(either):
    batch = batch_of(120)
    batch[40] = dict(batch[40], care="costly_act", billed="20")
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[40\]"):
        list(ssreg.price_claims(batch))
    with pytest.raises(ssreg.InvalidClaimError, match=r"claims\[40\]"):
        list(ssreg.price_claims(batch, workers=2))
