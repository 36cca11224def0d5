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
