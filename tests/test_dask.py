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


def by_person_frame(frame, npartitions):
    """The claims written partitioned by person (each person's rows in one partition),
    in input order within each person."""
    persons = sorted(frame["person"].unique())
    groups = [persons[i::npartitions] for i in range(npartitions)]
    parts = [frame[frame["person"].isin(g)] for g in groups]
    claims = dd.concat([dd.from_pandas(part, npartitions=1, sort=False) for part in parts])
    assert claims.npartitions == npartitions
    return claims, parts


def expected_by_position(frame, parts):
    """price_frame on the whole frame, in the order the partitions give the rows."""
    whole = single_process(frame)
    order = [i for part in parts for i in part.index]
    return whole.loc[order].reset_index(drop=True)


def test_by_person_skips_the_shuffle_and_equals_one_process(client, monkeypatch):
    frame = claims_frame(900, seed=8)
    claims, parts = by_person_frame(frame, 3)
    shuffles = []
    real = type(claims).shuffle
    monkeypatch.setattr(type(claims), "shuffle",
                        lambda self, *a, **k: shuffles.append(1) or real(self, *a, **k))
    priced = ssreg.dask.price_claims(claims, money="cents", by_person=True)
    assert not shuffles
    got = client.compute(priced).result().sort_values("position").reset_index(drop=True)
    expected = expected_by_position(frame, parts)
    assert got["position"].tolist() == list(range(len(frame)))
    for column in ("ok", "person", "care", "amo", "top_up", "patient", "deduction"):
        assert got[column].astype(object).where(got[column].notna(), None).tolist() == \
            expected[column].astype(object).where(expected[column].notna(), None).tolist()


def test_by_person_is_checked_and_refused_when_a_person_spans_partitions(client):
    frame = claims_frame(300, seed=9)
    claims = dd.from_pandas(frame, npartitions=3)  # persons spread over the partitions
    priced = ssreg.dask.price_claims(claims, by_person=True)  # checked when computed
    with pytest.raises(ssreg.InvalidArgumentError) as refused:
        client.compute(priced).result()
    assert refused.value.problems[0].path == "by_person"
    assert "more than one" in str(refused.value)
    assert "p" in refused.value.details("fr")


def test_a_frame_indexed_by_person_is_priced_without_a_shuffle(client, monkeypatch):
    frame = claims_frame(600, seed=10)
    claims = dd.from_pandas(frame.set_index("person"), npartitions=3, sort=True)
    assert claims.known_divisions
    shuffles = []
    real = type(claims).shuffle
    monkeypatch.setattr(type(claims), "shuffle",
                        lambda self, *a, **k: shuffles.append(1) or real(self, *a, **k))
    got = client.compute(ssreg.dask.price_claims(claims, money="cents")).result()
    assert not shuffles
    got = got.sort_values("position").reset_index(drop=True)
    ordered = frame.set_index("person").sort_index(kind="stable").reset_index()
    expected = single_process(ordered)  # the rows in the order Dask reads them
    assert len(got) == len(frame)
    assert got["person"].tolist() == expected["person"].tolist()
    assert got["amo"].astype(object).where(got["amo"].notna(), None).tolist() == \
        expected["amo"].astype(object).where(expected["amo"].notna(), None).tolist()
