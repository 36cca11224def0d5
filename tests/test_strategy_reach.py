"""The journey strategies reach every stage of every route (targeted draws), so a property
about late stages is never vacuous.  The distribution of default draws is measured by
benchmarks/stage_distribution.py and recorded in docs/testing.md."""

from datetime import date

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.testing import event_sequences, students
from ssreg.testing.journeys import ROUTE_STAGES, STAGES, dossiers


START = date(2026, 8, 20)
PAIRS = [(route, stage) for route, stages in ROUTE_STAGES.items() for stage in stages]


def _stage(dossier: ssreg.Dossier) -> str:
    day = max(dossier.events[-1].date, START) if dossier.events else START
    flow = ssreg.evaluate(dossier, on=day).workflow
    assert flow is not None
    return flow.stage


@pytest.mark.parametrize(("route", "stage"), PAIRS, ids=[f"{r}-{s}" for r, s in PAIRS])
def test_a_targeted_dossier_reaches_its_stage(route, stage):
    @settings(max_examples=2, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(dossiers(route=route, stage=stage))
    def reached(dossier):
        assert _stage(dossier) == stage

    reached()


def test_every_stage_is_on_some_route():
    assert set(STAGES) == {s for _, s in PAIRS}
    assert ROUTE_STAGES["online"][-1] == ROUTE_STAGES["cpam"][-1] == "complete"


@settings(max_examples=3, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(st.data())
def test_event_sequences_can_complete_a_whole_online_journey(data):
    student = data.draw(students(route="online", on=START))
    if not student.address_in_france:
        student = attrs.evolve(student, address_in_france="12 rue des Écoles, 75005 Paris")
    case = ssreg.Case(student=student, academic_year="2026-2027")
    events = data.draw(event_sequences(case, start=START, stage="complete"))
    assert _stage(ssreg.Dossier(case=case, events=tuple(events))) == "complete"
    assert {"account_created", "provisional_certificate_issued", "final_certificate_issued",
            "carte_vitale_received", "referent_doctor_declared"} <= {e.type for e in events}


def test_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="unknown stage 'finished'"):
        event_sequences(ssreg.Case(student=ssreg.Student(
            birth_date=date(2004, 3, 1), nationality="BR", country_of_birth="BR")),
            stage="finished")
