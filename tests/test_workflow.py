"""The student's journey: a dossier is its history; events are allowed or refused by rules."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import ssreg
from ssreg.testing import students
from ssreg.testing.journeys import _event_for


# every fact the route and the checklist depend on is stated
STATED = {"stay_months": 10, "enrolled_in_french_institution": True,
          "previously_affiliated": False, "salaried": False, "andorran_insured": False, "quebec_form": "none", "has_s1": False,
          "ehic_expiry": "none"}
BRAZIL = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
          "address_in_france": "12 rue des Écoles, Paris", **STATED}
DOCS = {"passport": {"kind": "passport", "expires": "2031-05-01"},
        "visa": {"kind": "vls_ts_validated", "expires": "2027-09-30"},
        "enrolment": {"kind": "enrolment_certificate", "academic_year": "2026-2027"},
        "birth": {"kind": "birth_certificate_full", "translated": True},
        "iban": {"kind": "iban", "iban": "FR7630006000011234567890189"}}
PROVISIONAL = "704039912345655"
DEFINITIVE = "204039912345614"


def upload(name, day="2026-08-25", kind="document_uploaded"):
    return {"type": kind, "date": day, "document": {**DOCS[name], "status": "uploaded"}}


def walk(events, student=BRAZIL, year="2026-2027"):
    dossier = ssreg.Dossier(case={"student": student, "academic_year": year})
    for event in events:
        dossier = ssreg.apply_event(dossier, event)
    return dossier


class TestTheOnlineJourney:
    def test_from_nothing_to_the_first_step(self):
        d = ssreg.evaluate(walk([]), on="2026-08-20")
        assert d.workflow.stage == "not_started"
        assert d.workflow.next_steps[0].step == "create_account"
        assert "account_created" in d.workflow.allowed_events
        assert d.workflow.done == ()

    def test_no_address_blocks_the_account(self):
        student = {k: v for k, v in BRAZIL.items() if k != "address_in_france"}
        d = ssreg.evaluate(walk([], student), on="2026-08-20")
        assert d.workflow.next_steps[0].step == "give_address_in_france"
        refused = d.workflow.refused("account_created")
        assert [f.name for f in refused.failures] == ["has_address_in_france"]
        with pytest.raises(ssreg.EventRefused) as info:
            ssreg.apply_event(walk([], student), {"type": "account_created", "date": "2026-08-21"})
        assert info.value.stage == "not_started"
        assert info.value.reasons[0]["fact"] == "has_address_in_france"

    def test_the_rejected_document_loop_keeps_its_history(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}, upload("passport"),
                        {"type": "document_rejected", "date": "2026-08-27", "kind": "passport",
                         "reason": "illegible scan"}])
        d = ssreg.evaluate(dossier, on="2026-08-27")
        assert d.workflow.stage == "documents_rejected"
        assert d.workflow.next_steps[0].step == "replace_rejected_documents"
        assert d.workflow.next_steps[0].requirements == ("identity",)
        identity = next(i for i in d.checklist.items if i.requirement == "identity")
        assert identity.status == "rejected"
        assert identity.findings[0].values["reason"] == "illegible scan"
        dossier = ssreg.apply_event(dossier, upload("passport", "2026-08-28",
                                                    "document_replaced"))
        d = ssreg.evaluate(dossier, on="2026-08-28")
        assert d.workflow.stage == "account_created"
        assert [s.event for s in d.workflow.done] == [
            "account_created", "document_uploaded", "document_rejected", "document_replaced"]

    def test_replacing_a_document_that_was_not_rejected_is_refused(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}, upload("passport"),
                        {"type": "document_rejected", "date": "2026-08-26", "kind": "passport",
                         "reason": "blurred"}])
        with pytest.raises(ssreg.EventRefused) as info:
            ssreg.apply_event(dossier, upload("visa", "2026-08-27", "document_replaced"))
        assert info.value.reasons == ({"refusal": "document_not_rejected"},)

    def test_a_rejection_gives_its_reason(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}, upload("passport")])
        with pytest.raises(ssreg.EventRefused, match="gives its reason"):
            ssreg.apply_event(dossier, {"type": "document_rejected", "date": "2026-08-26",
                                        "kind": "passport"})

    def test_provisional_certificate_needs_the_provisional_documents(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}, upload("passport")])
        event = {"type": "provisional_certificate_issued", "date": "2026-08-26",
                 "number": PROVISIONAL}
        with pytest.raises(ssreg.EventRefused) as info:
            ssreg.apply_event(dossier, event)
        assert {"missing": ["residence_permit", "enrolment"]} in info.value.reasons
        dossier = ssreg.apply_event(dossier, upload("visa", "2026-08-26"))
        dossier = ssreg.apply_event(dossier, upload("enrolment", "2026-08-26"))
        dossier = ssreg.apply_event(dossier, event)
        d = ssreg.evaluate(dossier, on="2026-08-27")
        assert d.workflow.stage == "provisional_certificate"
        assert d.workflow.number == PROVISIONAL and d.workflow.number_status == "provisional"
        assert "provisional_number" in {w.code for w in d.warnings}
        steps = [s.step for s in d.workflow.next_steps]
        assert "upload_certificate_to_institution" in steps and "upload_documents" in steps

    def _provisional(self):
        return walk([{"type": "account_created", "date": "2026-08-25"}, upload("passport"),
                     upload("visa"), upload("enrolment"),
                     {"type": "provisional_certificate_issued", "date": "2026-08-26",
                      "number": PROVISIONAL}])

    def test_carte_vitale_is_refused_on_a_provisional_number(self):
        with pytest.raises(ssreg.EventRefused) as info:
            ssreg.apply_event(self._provisional(), {
                "type": "carte_vitale_ordered", "date": "2026-08-27", "photo": True,
                "id_document": True})
        facts = {r.get("fact") for r in info.value.reasons}
        assert "number_status" in facts
        assert "V6" in info.value.citations or "R9" in info.value.citations

    def test_final_certificate_refused_on_an_incomplete_checklist_naming_what_is_missing(self):
        with pytest.raises(ssreg.EventRefused) as info:
            ssreg.apply_event(self._provisional(), {"type": "final_certificate_issued",
                                                    "date": "2026-09-10",
                                                    "number": DEFINITIVE})
        assert {"missing": ["civil_status", "bank_details"]} in info.value.reasons
        assert "Still missing: Civil status: full birth certificate" in str(info.value)
        assert "Bank details (IBAN)" in info.value.text("en")
        assert "Coordonnées bancaires (IBAN)" in info.value.text("fr")
        d = ssreg.evaluate(self._provisional(), on="2026-09-10")
        refused = d.to_dict("fr")["workflow"]["refused_events"]
        final = next(r for r in refused if r["event"] == "final_certificate_issued")
        assert any("État civil" in label for label in final["missing_labels"])

    def test_the_whole_journey_to_complete(self):
        events = [{"type": "account_created", "date": "2026-08-25"}, upload("passport"),
                  upload("visa"), upload("enrolment"),
                  {"type": "provisional_certificate_issued", "date": "2026-08-26",
                   "number": PROVISIONAL},
                  {"type": "certificate_uploaded_to_institution", "date": "2026-08-27"},
                  upload("birth", "2026-08-28"), upload("iban", "2026-08-28"),
                  *({"type": "document_accepted", "date": "2026-09-02", "kind": k}
                    for k in ("passport", "vls_ts_validated", "enrolment_certificate",
                              "birth_certificate_full", "iban")),
                  {"type": "final_certificate_issued", "date": "2026-09-15",
                   "number": DEFINITIVE},
                  {"type": "ameli_account_created", "date": "2026-09-16"},
                  {"type": "carte_vitale_ordered", "date": "2026-09-16", "photo": True,
                   "id_document": True},
                  {"type": "carte_vitale_received", "date": "2026-10-01"},
                  {"type": "referent_doctor_declared", "date": "2026-10-05"}]
        dossier = walk(events)
        d = ssreg.evaluate(dossier, on="2026-10-05")
        assert d.workflow.stage == "complete"
        # only the optional carte Vitale app is left; the médecin traitant can be changed
        assert [s.step for s in d.workflow.next_steps] == ["activate_carte_vitale_app"]
        assert {"referent_doctor_declared", "carte_vitale_app_activated"} <= set(
            d.workflow.allowed_events)
        assert d.workflow.number_status == "definitive"
        assert len(d.workflow.done) == len(events)
        assert ssreg.Dossier.from_dict(json.loads(dossier.to_json())) == dossier
        done = walk([*events, {"type": "carte_vitale_app_activated", "date": "2026-10-06",
                               "id_document": True},
                     {"type": "referent_doctor_declared", "date": "2026-11-02"}])
        d = ssreg.evaluate(done, on="2026-11-02")
        assert (d.workflow.stage, d.workflow.next_steps) == ("complete", ())

    def test_the_state_on_an_earlier_date_ignores_later_events(self):
        dossier = self._provisional()
        assert ssreg.evaluate(dossier, on="2026-08-25").workflow.stage == "account_created"
        assert ssreg.evaluate(dossier, on="2026-08-26").workflow.stage == "provisional_certificate"

    def test_a_parent_co_signs_the_referent_doctor_at_17(self):
        student = {**BRAZIL, "birth_date": "2009-06-01"}
        events = [{"type": "route_changed", "date": "2026-08-20",
                   "changes": {"previously_affiliated": True}},
                  {"type": "final_certificate_issued", "date": "2026-08-25",
                   "number": "209069912611172"}]  # born in June 2009, abroad
        dossier = walk(events, student)
        declaration = {"type": "referent_doctor_declared", "date": "2026-09-01"}
        with pytest.raises(ssreg.EventRefused, match="a parent also signs"):
            ssreg.apply_event(dossier, declaration)
        done = ssreg.apply_event(dossier, {**declaration, "signed_by_parent": True})
        assert done.events[-1].signed_by_parent is True


class TestOtherRoutes:
    def test_cpam_route(self):
        student = {**BRAZIL, "previously_affiliated": True}
        d = ssreg.evaluate(walk([], student), on="2026-09-01")
        assert d.route == "cpam" and d.workflow.stage == "contact_cpam"
        assert d.workflow.next_steps[0].step == "contact_cpam"
        dossier = walk([{"type": "cpam_contacted", "date": "2026-09-01"},
                        {"type": "final_certificate_issued", "date": "2026-09-10",
                         "number": DEFINITIVE}], student)
        d = ssreg.evaluate(dossier, on="2026-09-10")
        assert d.workflow.stage == "final_certificate"
        assert d.workflow.next_steps[0].step == "create_ameli_account"

    def test_ehic_route_and_what_to_keep_valid(self):
        student = {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
                   **STATED, "ehic_expiry": "2028-06-30"}
        d = ssreg.evaluate(walk([], student), on="2026-09-01")
        assert d.route == "no_registration" and d.workflow.stage == "no_registration"
        assert d.workflow.next_steps[0].step == "keep_ehic_valid"
        text = d.to_dict("fr")["workflow"]["next_steps"][0]["label"]
        assert "31 août 2027" in text  # the end of the year applied for, by Babel

    def test_an_ehic_ending_during_the_year_means_registering_and_a_warning(self):
        student = {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
                   **STATED, "ehic_expiry": "2026-12-31", "address_in_france": "Paris"}
        for day in ("2026-08-20", "2026-09-01"):  # same answer before and after 1 Sept
            d = ssreg.evaluate(walk([], student), on=day)
            assert d.route == "online", day
            assert "ehic_ends_during_academic_year" in {w.code for w in d.warnings}

    def test_private_insurance_then_a_longer_stay(self):
        student = {"birth_date": "2002-02-02", "nationality": "US", "country_of_birth": "US",
                   **STATED, "stay_months": 3, "address_in_france": "Lyon"}
        d = ssreg.evaluate(walk([], student), on="2026-09-01")
        assert d.route == "private_insurance"
        assert d.workflow.next_steps[0].step == "take_private_insurance"
        assert "stay_may_become_longer" in {w.code for w in d.warnings}
        dossier = walk([{"type": "route_changed", "date": "2026-10-01",
                         "changes": {"stay_months": 10}, "reason": "exchange extended"}],
                       student)
        assert ssreg.evaluate(dossier, on="2026-09-15").route == "private_insurance"
        d = ssreg.evaluate(dossier, on="2026-10-01")
        assert d.route == "online" and d.workflow.next_steps[0].step == "create_account"


class TestTheAcademicYearApplied:
    def test_late_august_registration_with_next_years_certificate(self):
        case = {"student": BRAZIL, "arrival_date": "2026-08-20",
                "documents": [{"kind": "enrolment_certificate", "academic_year": "2026-2027"}]}
        d = ssreg.evaluate(case, on="2026-08-25")
        enrolment = next(i for i in d.checklist.items if i.requirement == "enrolment")
        assert d.academic_year == "2026-2027" and enrolment.status == "satisfied"
        assert d.assumptions[0].code == "academic_year_from_arrival_date"

    def test_without_a_year_the_decision_says_which_year_it_assumed(self):
        d = ssreg.evaluate({"student": BRAZIL}, on="2026-08-25")
        assert d.academic_year == "2025-2026"
        assert d.assumptions[0].code == "academic_year_from_evaluation_date"
        assert "Academic year 2025-2026 assumed" in d.explain("en")

    def test_a_given_year_wins(self):
        d = ssreg.evaluate({"student": BRAZIL, "academic_year": "2027-2028",
                            "arrival_date": "2026-08-20"}, on="2026-08-25")
        assert d.academic_year == "2027-2028" and d.assumptions == ()


class TestBadDossiersAndEvents:
    @pytest.mark.parametrize(("event", "path"), [
        ({"type": "account_created"}, "event.date"),
        ({"type": "teleportation", "date": "2026-08-25"}, "event.type"),
        ({"type": "document_uploaded", "date": "2026-08-25"}, "event.document"),
        ({"type": "document_accepted", "date": "2026-08-25", "kind": "passprt"}, "event.kind"),
        ({"type": "route_changed", "date": "2026-08-25", "changes": {"birth_date": "x"}},
         "event.changes"),
        ({"type": "account_created", "date": "2026-08-25", "photo": "yes"}, "event.photo"),
    ])
    def test_malformed_events(self, event, path):
        dossier = walk([])
        with pytest.raises(ssreg.InvalidDossierError) as info:
            ssreg.apply_event(dossier, event)
        assert any(p.path.startswith(path) for p in info.value.problems), info.value.details()

    def test_the_history_is_append_only(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}])
        with pytest.raises(ssreg.InvalidDossierError, match="append-only"):
            ssreg.apply_event(dossier, upload("passport", "2026-08-01"))

    def test_malformed_dossiers_name_their_fields(self):
        with pytest.raises(ssreg.InvalidDossierError) as info:
            ssreg.load_dossier({"schema": "ssreg.dossier/1", "case": {"student": {
                "birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR"}},
                "events": [{"type": "account_created", "date": "2026-09-01"},
                           {"type": "account_created", "date": "2026-08-01"}]})
        assert info.value.problems[0].path == "events[1].date"
        with pytest.raises(ssreg.InvalidDossierError, match="schema"):
            ssreg.load_dossier({"schema": "ssreg.dossier/9", "case": {}})

    def test_a_refused_event_changes_nothing(self):
        dossier = walk([{"type": "account_created", "date": "2026-08-25"}])
        before = dossier.to_dict()
        with pytest.raises(ssreg.EventRefused):
            ssreg.apply_event(dossier, {"type": "ameli_account_created", "date": "2026-08-26"})
        assert dossier.to_dict() == before


EVENTS = ("account_created", "document_uploaded", "document_accepted", "document_rejected",
          "document_replaced", "provisional_certificate_issued",
          "certificate_uploaded_to_institution", "final_certificate_issued", "cpam_contacted",
          "ameli_account_created", "carte_vitale_ordered", "carte_vitale_received",
          "referent_doctor_declared")


class DossierMachine(RuleBasedStateMachine):
    """Random event sequences: the invariants of the journey hold whatever happens."""

    @initialize(student=students(route="online", on=date(2026, 8, 20)) | students(
        route="cpam", on=date(2026, 8, 20)))
    def start(self, student):
        self.dossier = ssreg.Dossier(case={"student": student, "academic_year": "2026-2027"})
        self.day = date(2026, 8, 20)
        self.length = 0

    @rule(data=st.data())
    def apply_an_allowed_event(self, data):
        allowed = ssreg.evaluate(self.dossier, on=self.day).workflow.allowed_events
        kinds = [k for k in allowed if k in EVENTS]
        if kinds:
            self.apply_an_event(data.draw(st.sampled_from(kinds)), data)

    @rule(kind=st.sampled_from(EVENTS), data=st.data())
    def apply_an_event(self, kind, data):
        before = ssreg.evaluate(self.dossier, on=self.day)
        event = _event_for(data.draw, kind, self.day, self.dossier, before)
        if kind == "document_rejected" and data.draw(st.booleans()):
            event = ssreg.Event(type=kind, date=self.day, kind=event.kind)  # no reason
        old = self.dossier
        try:
            new = ssreg.apply_event(old, event)
        except ssreg.EventRefused:
            assert self.dossier is old and old.to_dict() == old.to_dict()
            return
        facts = before._run.env
        assert kind in before.workflow.allowed_events
        if kind == "final_certificate_issued" and before.route == "online":
            assert facts["unmet_requirements"] == 0 and facts["rejected_documents"] == 0
        if kind in ("carte_vitale_ordered", "ameli_account_created"):
            assert facts["number_status"] == "definitive"
        assert new.events[:-1] == old.events and new.events[-1] == event
        self.dossier = new

    @precondition(lambda self: self.day < date(2027, 8, 1))
    @rule(days=st.integers(0, 40))
    def time_passes(self, days):
        self.day += timedelta(days=days)

    @invariant()
    def history_only_grows(self):
        assert len(self.dossier.events) >= self.length
        self.length = len(self.dossier.events)

    @invariant()
    def state_is_a_function_of_the_history(self):
        again = ssreg.Dossier.from_dict(json.loads(self.dossier.to_json()))
        assert again == self.dossier
        assert ssreg.evaluate(again, on=self.day).to_dict() == ssreg.evaluate(
            self.dossier, on=self.day).to_dict()

    @invariant()
    def no_carte_vitale_before_a_definitive_number(self):
        d = ssreg.evaluate(self.dossier, on=self.day)
        facts = d._run.env
        if facts["carte_vitale_ordered"] or facts["ameli_account"]:
            assert facts["number_status"] == "definitive"
        if facts["final_certificate"] and d.route == "online":
            assert facts["provisional_certificate"]


TestDossierMachine = DossierMachine.TestCase
TestDossierMachine.settings = settings(max_examples=30, stateful_step_count=40, deadline=None)
