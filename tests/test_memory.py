"""Repeated evaluation keeps memory flat (no caches that grow with calls)."""

import gc
import tracemalloc

import ssreg


CASE = {"student": {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
                    "address_in_france": "x"}}


def test_memory_is_flat_over_many_evaluations():
    for _ in range(500):  # warm caches
        ssreg.evaluate(CASE, on="2026-09-15")
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for _ in range(5000):
        ssreg.evaluate(CASE, on="2026-09-15")
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert growth < 200_000, f"grew by {growth} bytes over 5000 evaluations"


def test_threads_get_the_same_decisions_as_a_single_thread():
    from concurrent.futures import ThreadPoolExecutor

    cases = [{"student": {"birth_date": f"200{i % 8}-0{1 + i % 9}-15", "nationality": n,
                          "country_of_birth": b, "address_in_france": "x" if i % 2 else None}}
             for i, (n, b) in enumerate([("BR", "BR"), ("DE", "DE"), ("MA", "FR"),
                                         ("FR", "SN"), ("CA", "CA"), ("GB", "GB")] * 20)]
    serial = [ssreg.evaluate(c, on="2026-09-15").to_dict() for c in cases]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda c: ssreg.evaluate(c, on="2026-09-15").to_dict(), cases))
    assert threaded == serial
