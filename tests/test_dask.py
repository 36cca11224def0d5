"""The Dask recipe on a local cluster that the tests start and stop themselves."""

import os
import random

import pytest


dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import ssreg  # noqa: E402
import ssreg.dask  # noqa: E402


def claims_frame(n, seed=2):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        care = rnd.choice(["gp_consultation", "paramedical", "lab_biology", "medicine"])
        rows.append({"care": care, "billed": f"{rnd.randrange(5, 60)}.{rnd.randrange(100):02d}",
                     "date": f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 28):02d}",
                     "person": f"p{rnd.randrange(40)}", "age": 21,
                     "medicine_class": "major" if care == "medicine" else None,
                     "referent_doctor_declared": rnd.random() < 0.8})
    rows[5]["care"] = "massage"  # refused in its place
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def single_process(frame):
    return ssreg.price_frame(frame, errors="collect", money="cents")


def test_results_equal_one_process_claim_for_claim(client):
    frame = claims_frame(1500)
    priced = ssreg.dask.price_claims(dd.from_pandas(frame, npartitions=5), money="cents")
    got = client.compute(priced).result().sort_values("position").reset_index(drop=True)
    expected = single_process(frame)
    assert got["position"].tolist() == list(range(len(frame)))  # one row per claim
    for column in ("ok", "person", "care", "amo", "top_up", "patient", "deduction"):
        assert got[column].astype(object).where(got[column].notna(), None).tolist() == \
            expected[column].astype(object).where(expected[column].notna(), None).tolist()


def die_once_then_price(part, marker, **options):
    """Kill this worker process the first time any partition is priced."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return ssreg.dask.price_partition(part, **options)


def test_a_worker_dying_mid_batch_loses_and_duplicates_nothing(client, tmp_path):
    frame = claims_frame(800, seed=5)
    numbered = ssreg.dask.number_claims(dd.from_pandas(frame, npartitions=4))
    by_person = numbered.shuffle(on="person")
    marker = str(tmp_path / "died")
    priced = by_person.map_partitions(die_once_then_price, marker, money="cents",
                                      errors="collect", meta=ssreg.dask._meta("cents"))
    got = client.compute(priced).result().sort_values("position").reset_index(drop=True)
    assert os.path.exists(marker)  # a worker did die
    assert got["position"].tolist() == list(range(len(frame)))
    assert got["amo"].sum() == single_process(frame)["amo"].sum()
