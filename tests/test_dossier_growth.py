"""Dossiers grow event by event in linear time, and answer as if read from scratch.

``apply_event`` reads each event of a history once (the state after the last event is
remembered for the dossier it returns); a dossier read from JSON replays its history
from the first event.  Both must give the same answers on every date.  Timings are in
benchmarks/bench_dossier.py; here the *number of events read* is counted.
"""

import json
import pickle
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.model.dossier import held_events
from ssreg.registration import replay as replay_module
from ssreg.registration import workflow as workflow_module
from ssreg.registration.replay import replay
from ssreg.testing.journeys import dossiers


STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "1 rue de Rivoli, Paris",
           # every fact the route reads, stated (a fact not given leaves the route open)
           "stay_months": 10, "enrolled_in_french_institution": True,
           "previously_affiliated": False, "salaried": False, "andorran_insured": False,
           "quebec_form": "none", "has_s1": False, "ehic_expiry": "none"}
PASSPORT = {"kind": "passport", "expires": "2031-01-01", "status": "uploaded"}


def history(n, start=date(2026, 8, 20)):
    day = start
    events = [{"type": "account_created", "date": day},
              {"type": "document_uploaded", "date": day, "document": PASSPORT}]
    while len(events) < n:
        day += timedelta(days=1)
        events.append({"type": "document_rejected", "date": day, "kind": "passport",
                       "reason": "blurred"})
        events.append({"type": "document_replaced", "date": day, "document": PASSPORT})
    return [ssreg.Event(**e) for e in events[:n]]


def test_each_event_is_read_once_when_a_dossier_grows(monkeypatch):
    read = []
    original = replay_module.Replay.read

    def counting(self, events):
        events = tuple(events)
        read.append(len(events))
        return original(self, events)

    monkeypatch.setattr(replay_module.Replay, "read", counting)
    dossier = ssreg.Dossier(case={"student": STUDENT})
    for event in history(300):
        dossier = ssreg.apply_event(dossier, event)
    assert sum(read) == 300  # not 300 * 301 / 2


@settings(max_examples=25, deadline=None)
@given(dossiers())
def test_a_grown_dossier_answers_as_one_read_from_json(dossier):
    grown = ssreg.Dossier(case=dossier.case)
    for event in dossier.events:
        grown = ssreg.apply_event(grown, event)
    read = ssreg.Dossier.from_dict(dossier.to_dict())
    assert grown == read and grown.to_dict() == read.to_dict()
    days = [date(2026, 8, 19)] + [e.date for e in dossier.events] + [date(2027, 9, 1)]
    for on in days:
        assert (ssreg.evaluate(grown, on=on).to_dict()
                == ssreg.evaluate(read, on=on).to_dict())


def test_appended_is_the_dossier_the_constructor_builds():
    events = history(5)
    dossier = ssreg.Dossier(case={"student": STUDENT}, events=events[:4], id="d-1")
    grown = dossier.appended(events[4])
    assert grown == ssreg.Dossier(case=dossier.case, events=events, id="d-1")
    assert grown.to_dict() == ssreg.Dossier(case=dossier.case, events=events,
                                            id="d-1").to_dict()


def test_appending_still_checks_the_order_and_the_length():
    events = history(4)
    dossier = ssreg.Dossier(case={"student": STUDENT}, events=events[2:])
    with pytest.raises(ssreg.InvalidDossierError, match=r"events\[2\].date"):
        dossier.appended(events[0])
    too_long = ssreg.Dossier(case={"student": STUDENT},
                             events=[events[0]] * 10_000)
    with pytest.raises(ssreg.InvalidDossierError, match="at most 10000"):
        too_long.appended(events[0])


def test_a_change_of_situation_is_checked_against_the_case_it_changes():
    dossier = ssreg.Dossier(case={"student": STUDENT},
                            events=[{"type": "account_created", "date": "2026-08-20"}])
    event = {"type": "route_changed", "date": "2026-08-21", "reason": "moved",
             "changes": {"stay_months": 5000}}
    with pytest.raises(ssreg.InvalidDossierError, match="stay_months"):
        ssreg.apply_event(dossier, event)


def test_the_remembered_state_goes_with_the_dossier():
    book = ssreg.default_rulebook()
    memo = book.memo().setdefault("replays", {})
    dossier = ssreg.Dossier(case={"student": STUDENT})
    for event in history(3):
        dossier = ssreg.apply_event(dossier, event)
    key = id(dossier)
    assert key in memo
    del dossier
    import gc

    gc.collect()
    assert key not in memo


def test_a_grown_history_is_shared_not_copied_and_reads_as_a_tuple():
    events = history(6)
    dossiers_ = [ssreg.Dossier(case={"student": STUDENT}, id="d-1")]
    for event in events:
        dossiers_.append(dossiers_[-1].appended(event))
    held = [held_events(d) for d in dossiers_[2:]]
    assert all(h.items is held[0].items for h in held)  # one list for the line of growth
    for i, dossier in enumerate(dossiers_):
        at_once = ssreg.Dossier(case=dossier.case, events=events[:i], id="d-1")
        assert isinstance(dossier.events, tuple) and dossier.events == tuple(events[:i])
        assert dossier == at_once and hash(dossier.events) == hash(at_once.events)
        assert repr(dossier) == repr(at_once) and dossier.to_dict() == at_once.to_dict()
        assert (dossier.event_count, dossier.last_event) == (i, events[i - 1] if i else None)
        copy = pickle.loads(pickle.dumps(dossier))
        assert copy == at_once and type(copy.events) is tuple
        assert ssreg.Dossier.from_dict(json.loads(dossier.to_json())) == at_once


def test_a_branch_of_a_grown_dossier_has_its_own_history():
    events = history(6)
    other = ssreg.Event(type="document_rejected", date=events[3].date, kind="passport",
                        reason="another reason")
    trunk = ssreg.Dossier(case={"student": STUDENT})
    line = [trunk]
    for event in events[:4]:
        line.append(line[-1].appended(event))
    branch = line[3].appended(other)  # line[4] already took the shared list's next place
    longer = line[4].appended(events[4])
    again = branch.appended(events[4])
    assert branch.events == (*events[:3], other) and line[4].events == tuple(events[:4])
    assert longer.events == tuple(events[:5]) and again.events == (*events[:3], other,
                                                                   events[4])
    assert [d.event_count for d in line] == [0, 1, 2, 3, 4]


@settings(max_examples=15, deadline=None)
@given(dossiers(), st.data())
def test_a_dossier_grown_from_any_point_equals_one_built_at_once(dossier, data):
    """Growing in branches (from a dossier read from JSON, then from an earlier version)
    gives the events, the state and the answers of the dossier built at once."""
    events = dossier.events
    cut = data.draw(st.integers(0, len(events)))
    start = ssreg.Dossier.from_dict(
        ssreg.Dossier(case=dossier.case, events=events[:cut]).to_dict())
    line = [start]
    for event in events[cut:]:
        line.append(ssreg.apply_event(line[-1], event))
    back = data.draw(st.integers(0, len(line) - 1))
    branch = line[back]
    for event in events[cut + back:]:
        branch = ssreg.apply_event(branch, event)
    book = ssreg.default_rulebook()
    for grown in (line[-1], branch):
        at_once = ssreg.Dossier(case=dossier.case, events=events)
        assert grown.events == events and grown == at_once
        on = events[-1].date if events else date(2026, 9, 1)
        state, expected = replay(book, grown, on), replay(book, at_once, on)
        assert attrs.asdict(state, recurse=False) | {"source": None} == attrs.asdict(
            expected, recurse=False) | {"source": None}
        assert state.events == expected.events
        assert (ssreg.evaluate(grown, on=on).to_dict()
                == ssreg.evaluate(at_once, on=on).to_dict())


def test_applying_an_event_works_out_only_why_that_event_could_be_refused(monkeypatch):
    asked = []
    original = workflow_module.why_not

    def counting(book, rule, env):
        asked.append(rule.outcome["event"])
        return original(book, rule, env)

    monkeypatch.setattr(workflow_module, "why_not", counting)
    events = history(3)
    dossier = ssreg.Dossier(case={"student": STUDENT})
    for event in events:
        dossier = ssreg.apply_event(dossier, event)
    assert asked == []  # each was allowed: no refusal worked out
    with pytest.raises(ssreg.EventRefused):
        ssreg.apply_event(dossier, {"type": "carte_vitale_received", "date": "2026-08-23"})
    assert set(asked) == {"carte_vitale_received"}
    ssreg.evaluate(dossier, on=date(2026, 8, 23))  # a Decision says why for every event
    assert len(set(asked)) > 2
