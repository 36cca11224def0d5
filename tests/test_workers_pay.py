"""Workers that pay off: the columns read from ``Claim`` objects a block at a time, the
DataFrame priced in one process whatever ``workers`` asks (and said), and the kept
multi-process frame path still exact when turned on."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.pricing import at_once, columns, spread
from ssreg.testing import claims


pd = pytest.importorskip("pandas")


def arrays(c):
    """Everything the columns hold about the claims, as plain lists (texts decoded: their
    numbers depend on the order they were met in)."""
    return {"texts": {name: [c.text(int(code)) for code in c.codes[name]]
                      for name in columns.CODED},
            "values": {k: v.tolist() for k, v in c.values.items()},
            "answers": {k: v.tolist() for k, v in c.answers.items()},
            "ids": c.ids.tolist(), "ids_given": c.ids_given, "valid": c.valid.tolist()}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(claims(persons=("a", "b", "c")), max_size=30), st.integers(1, 7),
       st.integers(1, 4), st.data())
def test_claims_read_in_chunks_and_blocks_give_the_same_columns(batch, chunk, block, data):
    if batch and data.draw(st.booleans()):  # some claims with an id, across chunks
        batch = [ssreg.Claim(**{**{f: getattr(c, f) for f in columns.FIELDS},
                                "id": f"c{i}"}) if i % 3 == 0 else c
                 for i, c in enumerate(batch)]
    whole = arrays(columns.ClaimColumns.from_claims(batch))
    saved = columns._CHUNK, columns._BLOCK
    try:
        columns._CHUNK, columns._BLOCK = chunk, block
        pieces = arrays(columns.ClaimColumns.from_claims(batch))
    finally:
        columns._CHUNK, columns._BLOCK = saved
    assert pieces == whole


def test_columns_from_claims_keep_each_field():
    one = ssreg.Claim(care="medicine", medicine_class="major", date="2025-03-10",
                      billed="12.40", age=22, boxes=2, person="ana", id="x1",
                      referred=True)
    two = ssreg.Claim(care="gp_consultation", date="2025-03-11", billed="30", age=23,
                      referent_doctor_declared=False)
    c = columns.ClaimColumns.from_claims([one, two])
    assert [c.text(int(x)) for x in c.care] == ["medicine", "gp_consultation"]
    assert [c.text(int(x)) for x in c.person] == ["ana", "student"]
    assert c.values["boxes"].tolist() == [2, -1] and c.values["age"].tolist() == [22, 23]
    assert c.billed.tolist() == [1240, 3000] and c.values["base"].tolist() == [-1, -1]
    assert c.answers["referred"].tolist() == [1, -1]
    assert c.answers["referent_doctor_declared"].tolist() == [-1, 0]
    assert c.ids.tolist() == ["x1", None] and c.ids_given


def claims_frame(n, seed=3):
    rnd = random.Random(seed)
    rows = [{"care": rnd.choice(["gp_consultation", "paramedical", "medicine", "dental"]),
             "billed": rnd.randrange(500, 9000) / 100, "age": 21,
             "date": f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 28):02d}",
             "person": f"p{rnd.randrange(30)}", "referent_doctor_declared": rnd.random() < .8}
            for _ in range(n)]
    for row in rows:
        row["medicine_class"] = "major" if row["care"] == "medicine" else None
    rows[4]["care"] = "massage"  # refused in its place
    return pd.DataFrame(rows)


def no_processes(*args, **kwargs):
    raise AssertionError("a process pool was started for a frame priced by columns")


def test_a_frame_priced_by_columns_stays_in_one_process_and_says_so(monkeypatch):
    frame = claims_frame(400)
    one = ssreg.price_frame(frame, errors="collect", money="cents")
    monkeypatch.setattr(spread, "price_in_processes", no_processes)
    two = ssreg.price_frame(frame, errors="collect", money="cents", workers=2)
    assert two.equals(one)
    assert two.attrs["ssreg"]["workers"] == 2 and two.attrs["ssreg"]["processes"] == 1
    assert one.attrs["ssreg"]["workers"] == 1 and one.attrs["ssreg"]["processes"] == 1
    given = list(ssreg.price_claims(frame, errors="collect", workers=2))  # same decision
    assert given == list(ssreg.price_claims(frame, errors="collect"))


def test_a_frame_raises_as_one_process_does_with_workers(monkeypatch):
    frame = claims_frame(50)
    monkeypatch.setattr(spread, "price_in_processes", no_processes)
    for presorted in (False, True):
        with pytest.raises(ssreg.InvalidClaimError) as one:
            ssreg.price_frame(frame, presorted=presorted)
        with pytest.raises(ssreg.InvalidClaimError) as two:
            ssreg.price_frame(frame, presorted=presorted, workers=2)
        assert str(two.value) == str(one.value)


def test_claim_by_claim_frames_still_use_the_workers():
    frame = claims_frame(120)
    priced = ssreg.price_frame(frame, errors="collect", columnar=False, workers=2)
    assert priced.attrs["ssreg"]["processes"] == 2
    assert priced.equals(ssreg.price_frame(frame, errors="collect", columnar=False))


def test_the_kept_multi_process_frame_path_is_exact_when_turned_on(monkeypatch):
    frame = claims_frame(600, seed=7)
    one = ssreg.price_frame(frame, errors="collect", money="cents")
    monkeypatch.setattr(at_once, "FRAME_WORKERS", True)
    started = []
    real = spread.price_in_processes
    monkeypatch.setattr(spread, "price_in_processes",
                        lambda *a, **k: started.append(1) or real(*a, **k))
    two = ssreg.price_frame(frame, errors="collect", money="cents", workers=2)
    assert started and two.attrs["ssreg"]["processes"] == 2
    assert two.equals(one)


def test_the_main_process_prices_a_share_while_the_workers_price_theirs(monkeypatch):
    """workers=2: this process and one worker, each pricing its persons' share."""
    batch = [ssreg.Claim(care="gp_consultation", date=f"2025-03-{1 + i % 28:02d}",
                         billed="30", age=22, person=f"p{i % 40}") for i in range(400)]
    one = list(ssreg.price_claims(batch))
    here = []
    real = spread.price_columns
    monkeypatch.setattr(spread, "price_columns",
                        lambda pricer, columns: here.append(columns.size) or real(pricer,
                                                                                 columns))
    two = list(ssreg.price_claims(batch, workers=2))
    assert two == one
    assert len(here) == 1 and 0 < here[0] < len(batch)  # the workers' are not counted here
    owners = spread.owners_of([c.person for c in batch], 2)
    assert here[0] == int((owners == 0).sum()) and int((owners == 1).sum())
