"""Invariants of the route decision, over generated students and dates."""

import attrs
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.rulebook import conditions as cond
from ssreg.testing import any_students, evaluation_dates, students


ROUTES = {"online", "cpam", "no_registration", "private_insurance"}


@given(any_students(), evaluation_dates())
def test_exactly_one_route_and_it_is_explained(student, on):
    decision = ssreg.evaluate({"student": student}, on=on)
    assert decision.route in ROUTES
    route_rules = [f for f in decision.trace.fired if f.decision == "route"]
    assert len(route_rules) == 1
    assert route_rules[0].outcome["route"] == decision.route
    for lang in ("en", "fr", "es"):
        text = decision.explain(lang)
        assert route_rules[0].rule.split(".")[0] not in ("",)
        assert all(f"[{key}]" in text for key in route_rules[0].citations)


@given(any_students(), evaluation_dates())
def test_deterministic_and_trace_does_not_change_the_outcome(student, on):
    a = ssreg.evaluate({"student": student}, on=on)
    b = ssreg.evaluate({"student": student}, on=on)
    fast = ssreg.evaluate({"student": student}, on=on, trace=False)
    assert a.to_dict() == b.to_dict()
    assert fast.outcomes == a.outcomes


@given(any_students(), evaluation_dates())
def test_why_not_is_true(student, on):
    """Every rule reported as not applied really is false on the recorded facts."""
    decision = ssreg.evaluate({"student": student}, on=on)
    book = decision.book
    env = dict(decision.trace.facts)
    env.update({f"param:{p.name}": p.value for p in decision.trace.parameters})
    env.update({k: v for k, v in decision.outcomes.items() if isinstance(v, str)})
    by_id = {r.id: r for r in book.rules if r.in_force(on)}
    for miss in decision.trace.not_applied:
        rule = by_id[miss.rule]
        if not miss.shadowed:
            assert not cond.holds(rule.when, env), miss.rule
            assert miss.failures, miss.rule


@given(any_students(), evaluation_dates())
def test_short_stays_and_non_enrolled_need_private_insurance_unless_an_ehic_covers(student, on):
    student = attrs.evolve(student, salaried=False)  # a job affiliates whatever the stay
    short = attrs.evolve(student, stay_months=3)
    decision = ssreg.evaluate({"student": short}, on=on)
    if decision.trace.facts["eu_eea_swiss"] and decision.trace.facts["ehic_valid_for_stay"]:
        assert decision.route == "no_registration"  # the EHIC covers a short stay [E1]
    else:
        assert decision.route == "private_insurance"
    out = attrs.evolve(student, enrolled_in_french_institution=False, stay_months=12)
    assert ssreg.evaluate({"student": out}, on=on).route == "private_insurance"
    working = attrs.evolve(out, salaried=True)
    assert ssreg.evaluate({"student": working}, on=on).route == "cpam"


@given(students(route="online"), students(route="cpam"), students(route="no_registration"),
       students(route="private_insurance"))
def test_route_targeted_students_get_their_route(online, cpam, exempt, private):
    on = "2026-10-01"
    for student, route in ((online, "online"), (cpam, "cpam"), (exempt, "no_registration"),
                           (private, "private_insurance")):
        assert ssreg.evaluate({"student": student}, on=on).route == route


@given(any_students(), evaluation_dates())
def test_an_address_lifts_the_block(student, on):
    with_address = attrs.evolve(student, address_in_france="3 rue Monge, Paris")
    assert ssreg.evaluate({"student": with_address}, on=on).blocks == ()
    without = attrs.evolve(student, address_in_france=None)
    decision = ssreg.evaluate({"student": without}, on=on)
    assert (decision.blocks == ("address_in_france",)) == (decision.route == "online")


@given(students(), st.sampled_from(["2025-10-01", "2026-10-01"]))
def test_choice_overrides_only_touch_their_cases(student, on):
    """Overriding the Québec choice never changes the route of a student without a form."""
    plain = attrs.evolve(student, quebec_form="none")
    a = ssreg.evaluate({"student": plain}, on=on)
    b = ssreg.evaluate({"student": plain}, on=on,
                       overrides={"quebec_form_policy": "register_online"})
    assert a.route == b.route
