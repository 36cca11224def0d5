"""Dossiers grow event by event in linear time, and answer as if read from scratch.

``apply_event`` reads each event of a history once (the state after the last event is
remembered for the dossier it returns); a dossier read from JSON replays its history
from the first event.  Both must give the same answers on every date.  Timings are in
benchmarks/bench_dossier.py; here the *number of events read* is counted.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings

import ssreg
from ssreg.registration import replay as replay_module
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
