"""Ask, don't assume: unknown facts leave answers open, the questions settle them.

The two properties of the issue: an answer reported settled is the answer of every
completion of the facts not given, and a fact whose value changes an answer is asked;
removing a field from a claim leaves its price unchanged, or names the assumption, or is
refused.  Then the worked examples: the German student who says nothing about a card,
the American who does not say how long she stays, the prices of the issue.
"""

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ssreg
from ssreg.output.asking import gives
from ssreg.output.i18n import typeset
from ssreg.pricing.assumptions import CODES, DECIDING, field_of
from ssreg.testing import claims, evaluation_dates
from ssreg.testing.unknowns import completions, partial_students


ON = date(2026, 10, 1)
STATED = {"address_in_france": "3 rue Monge, Paris", "enrolled_in_french_institution": True,
          "previously_affiliated": False, "salaried": False, "andorran_insured": False, "quebec_form": "none", "has_s1": False}
GERMAN = {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
          "stay_months": 10, **STATED}
AMERICAN = {"birth_date": "2004-03-01", "nationality": "US", "country_of_birth": "US",
            **STATED}


def _value(decision, name):
    return decision.outcomes.get(name)


@settings(max_examples=40, deadline=None)
@given(partial_students(most=3, least=1), st.sampled_from([date(2026, 10, 1), date(2027, 3, 15),
                                                  date(2026, 8, 20)]))
def test_settled_answers_hold_for_every_completion_and_deciding_facts_are_asked(partial, on):
    student, removed = partial
    decision = ssreg.evaluate({"student": student}, on=on)
    asked = {q.fact for q in decision.questions}
    values: dict[tuple, dict[str, object]] = {}
    for completion in completions(student, removed, on):
        done = ssreg.evaluate({"student": attrs.evolve(student, **completion)}, on=on)
        assert not done.open, completion  # every fact given: nothing open
        for name, settled in decision.outcomes.items():
            if isinstance(settled, tuple):  # a list: what holds for sure is there
                assert set(settled) <= set(done.outcomes[name]), (name, completion)
                possible = set(settled) | set(decision.open.get(name, ()))
                assert set(done.outcomes[name]) <= possible, (name, completion)
            else:
                assert done.outcomes.get(name) == settled, (name, completion)
        for name, possible in decision.open.items():
            if not isinstance(done.outcomes.get(name), tuple):
                assert done.outcomes.get(name) in possible, (name, completion)
        values[tuple(sorted(completion.items(), key=str))] = dict(done.outcomes)
    # a fact is deciding when changing it alone changes an answer: it must be asked
    for key, outcomes in values.items():
        for index, (fact, _) in enumerate(key):
            for other, other_outcomes in values.items():
                same_elsewhere = all(a == b for i, (a, b) in enumerate(zip(key, other,
                                                                           strict=True))
                                     if i != index)
                if same_elsewhere and other_outcomes != outcomes:
                    assert fact in asked, (fact, dict(key), dict(other))


@settings(max_examples=40, deadline=None)
@given(claims(), st.data())
def test_removing_a_claim_field_keeps_the_price_or_names_it_or_refuses(claim, data):
    present = [f for f in (*CODES, "medicine_class", "age", "birth_date")
               if getattr(claim, f) is not None]
    if not present:
        return
    field = data.draw(st.sampled_from(present))
    before = ssreg.price_claim(claim)
    try:
        after = ssreg.price_claim(attrs.evolve(claim, **{field: None}))
    except ssreg.SsregError:
        return  # no honest default: refused, with the field's name
    same = (after.amo, after.top_up, after.patient) == (before.amo, before.top_up,
                                                        before.patient)
    assert same or field in {field_of(code) for code in after.assumptions}, (field, before,
                                                                            after)


@settings(max_examples=40, deadline=None)
@given(claims(persons=("student",)))
def test_a_claim_assumption_on_a_deciding_field_is_one_another_value_changes(claim):
    """An assumption is listed only where another value of the field changes the claim's
    rules (its rate, charge, base or top-up mode)."""
    book = ssreg.default_rulebook()
    result = ssreg.price_claim(claim)
    for code in result.assumptions:
        field = field_of(code)
        if field not in DECIDING:
            continue
        spec = book.facts[field]
        default = spec.default
        others = [not default] if spec.type == "bool" else [v for v in spec.values
                                                            if v != default]
        changed = []
        for value in others:
            try:
                other = ssreg.price_claim(attrs.evolve(claim, **{field: value}))
            except ssreg.SsregError:
                changed.append(True)
                continue
            changed.append(other.rules != result.rules or other.amo != result.amo)
        assert any(changed), (code, claim)


# --------------------------------------------------------------------------- the issue


def test_a_german_student_who_says_nothing_about_a_card():
    decision = ssreg.evaluate({"student": GERMAN}, on=ON)
    assert decision.route is None
    assert set(decision.open["route"]) == {"online", "no_registration"}
    first = decision.questions[0]
    assert first.fact == "ehic_expiry" and "route" in first.settles
    gives = {(a.value, a.low, a.high): a.outcomes.get("route") for a in first.answers}
    assert gives[("none", None, None)] == "online"
    assert gives[(None, date(2027, 8, 31), None)] == "no_registration"  # valid to year end
    assert all(route == "online" for (_, low, high), route in gives.items()
               if high is not None and high < date(2027, 8, 31))
    en, fr, es = (decision.summary(lang) for lang in ("en", "fr", "es"))
    assert "depends on one answer" in en and "European Health Insurance Card" in en
    assert "from 31 August 2027: No registration needed" in en
    assert "dépend d'une réponse" in fr and "à partir du 31 août 2027" in fr
    assert "depende de una respuesta" in es and "tarjeta sanitaria europea" in es
    data = decision.to_dict("fr")
    assert "route" not in data["outcomes"] and data["open"]["route"]
    assert data["questions"][0]["text"].startswith("Jusqu'à quand")
    assert data["questions"][0]["answers"][0]["label"] == \
        "Je n'ai pas de carte européenne d'assurance maladie"


def test_an_american_student_who_does_not_say_how_long_she_stays():
    decision = ssreg.evaluate({"student": AMERICAN}, on=ON)
    assert decision.route is None
    first = decision.questions[0]
    assert first.fact == "stay_months"
    assert [(a.low, a.high, a.outcomes["route"]) for a in first.answers] == [
        (0, 3, "private_insurance"), (4, None, "online")]
    assert "3 or less: Not covered" in decision.summary("en")


def test_assuming_takes_the_defaults_that_matter_and_lists_them():
    decision = ssreg.evaluate({"student": GERMAN}, on=ON, unknown="assume")
    assert decision.route == "online" and not decision.open
    assert decision.unknown == "assume"
    assumed = [n.values for n in decision.assumptions if n.code == "assumed"]
    assert assumed == [{"fact": "ehic_expiry", "value": "none"}]
    assert "no European Health Insurance Card" in decision.explain("en").split(
        "Assumed")[-1]
    stated = ssreg.evaluate({"student": {**GERMAN, "ehic_expiry": "none"}}, on=ON)
    assert stated.outcomes == decision.outcomes
    with pytest.raises(ssreg.InvalidInputError, match="unknown"):
        ssreg.evaluate({"student": GERMAN}, on=ON, unknown="guess")


@given(partial_students(), evaluation_dates(date(2025, 9, 1), date(2027, 6, 30)))
def test_assume_mode_settles_everything_and_lists_exactly_the_questions(partial, on):
    student, _ = partial
    asked = ssreg.evaluate({"student": student}, on=on)
    assumed = ssreg.evaluate({"student": student}, on=on, unknown="assume")
    assert not assumed.open
    facts = [n.values["fact"] for n in assumed.assumptions if n.code == "assumed"]
    assert sorted(facts) == sorted(q.fact for q in asked.questions
                                   if q.path.startswith("student."))


@pytest.mark.parametrize(("claim", "code", "amo"), [
    ({"care": "dental", "billed": "500"}, "base_from_bill", "300.00"),
    ({"care": "optics", "billed": "250"}, "base_from_bill", "150.00"),
    ({"care": "gp_consultation", "billed": "30", "referent_doctor_declared": True},
     "sector_not_given", None),
    ({"care": "medicine", "medicine_class": "major", "billed": "10"}, "boxes_not_given", None),
    ({"care": "hospital_stay", "billed": "1000"}, "hospital_days_not_given", None),
])
def test_prices_name_their_defaults(claim, code, amo):
    result = ssreg.price_claim({**claim, "date": "2025-03-10", "age": 22})
    assert code in result.assumptions
    if amo is not None:
        assert result.amo == Decimal(amo)
    assert result.to_dict()["assumptions"] == list(result.assumptions)
    text = result.explain("fr")
    assert typeset(ssreg.default_rulebook().label(f"assumption.{code}", "fr"), "fr") in text


@pytest.mark.parametrize("claim", [
    {"care": "specialist_consultation", "specialty": "gynaecology"},  # direct access
    {"care": "gp_consultation", "age": 15},                           # under 16
    {"care": "gp_consultation", "emergency": True},                   # an emergency
])
def test_no_pathway_assumption_where_the_pathway_does_not_apply(claim):
    result = ssreg.price_claim({"date": "2025-03-10", "billed": "30", "age": 22, **claim})
    assert not {"referent_doctor_declared_not_given", "referred_not_given",
                "referent_doctor_seen_assumed"} & set(result.assumptions)


def test_a_price_question_says_what_each_answer_gives():
    case = {"student": {**AMERICAN, "stay_months": 10},
            "claims": [{"care": "gp_consultation", "date": "2026-10-05", "billed": "30", "base": "30",
                        "referent_doctor_declared": True, "sector": "sector_1",
                        "specialty": "general", "provider": "dr-a", "ald": False,
                        "pregnancy_window": False, "contraception": False, "css": False,
                        "emergency": False, "away_from_home": False,
                        "emergency_contraception": False}]}
    decision = ssreg.evaluate(case, on=ON)
    assert not decision.open
    (question,) = decision.questions
    assert question.path == "claims[0].referent_doctor_seen"
    amounts = {a.value: a.outcomes["claims[0]"]["amo"] for a in question.answers}
    assert amounts[True] > amounts[False]  # the declared doctor seen: in the pathway


def test_next_question_walks_a_partial_case_to_a_settled_route():
    case = {"student": {}}
    truth = {"nationality": "DE", "country_of_birth": "DE", "birth_date": "2005-01-20",
             "stay_months": 10, "enrolled_in_french_institution": True,
             "previously_affiliated": False, "salaried": False, "andorran_insured": False, "ehic_expiry": "2027-12-31", "has_s1": False,
             "quebec_form": "none", "ghic_expiry": "none"}
    asked = []
    while (question := ssreg.next_question(case, on=ON, settle=("route",))) is not None:
        asked.append(question.fact)
        case["student"][question.path.removeprefix("student.")] = truth[question.fact]
    assert asked[:3] == ["nationality", "country_of_birth", "birth_date"]
    assert ssreg.evaluate(case, on=ON).route == "no_registration"
    assert len(asked) <= 7  # the 3 required, then salaried, stay, enrolment and the card
    assert ssreg.next_question(case, on=ON, skip=("quebec_form",)) is None


def test_a_rulebook_input_without_a_question_is_refused(tmp_path):
    path = tmp_path / "overlay.toml"
    path.write_text('''
[facts.stay_months]
type = "int"
kind = "input"
label = { en = "stay", fr = "séjour", es = "estancia" }
''', encoding="utf-8")
    with pytest.raises(ssreg.RulebookError, match=r"'stay_months' is read by rule .* has no "
                       r"question"):
        ssreg.load_rulebook(path, base=ssreg.default_rulebook())


@pytest.mark.parametrize("field", ["referent_doctor_declared", "referent_doctor_seen",
                                   "referred", "css", "pregnancy_window"])
@pytest.mark.parametrize("born", [None, "2002-05-05"])
def test_a_field_said_is_not_assumed_after_the_same_field_left_out(field, born):
    """The analysis of what a price assumes is kept per rulebook: a claim that says a
    field's default value must not inherit the assumption of one that left it out."""
    claim = {"care": "gp_consultation", "date": "2025-03-25", "billed": "30", "age": 22,
             "birth_date": born, "referent_doctor_declared": True, "sector": "sector_1"}
    claim.pop(field, None)
    default = ssreg.default_rulebook().facts[field].default
    default = False if default is None else default  # the window: outside it unless said
    left_out = ssreg.price_claim(claim)
    said = ssreg.price_claim({**claim, field: default})
    code = CODES[field]
    assert code not in said.assumptions
    assert said.patient == left_out.patient  # the same price, said rather than assumed
    fresh = ssreg.price_claim({**claim, field: default},
                              overrides={"participation_forfaitaire": Decimal("2.00")})
    assert fresh.assumptions == said.assumptions


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_what_an_answer_gives_is_written_in_full(lang):
    # a warning's text reads values of the case: what an answer would give, and the labels
    # of the outcomes, show them filled in, never as {placeholders}
    student = {**GERMAN, "address_in_france": "5 quai de la Fosse, Nantes"}
    decision = ssreg.evaluate({"student": student}, on=ON)
    question = decision.questions[0]
    texts = [gives(decision.book, answer, name, lang)
             for answer in question.answers for name in question.settles]
    assert any(t for t in texts if t != "")
    assert not [t for t in texts if "{" in t or "}" in t]
    card = {**student, "ehic_expiry": "2027-03-31"}
    settled = ssreg.evaluate({"student": card}, on=ON)
    labels = settled.to_dict(lang)["outcome_labels"]
    assert "ehic_ends_during_academic_year" in settled.outcomes["warnings"]
    assert not [t for t in labels["warnings"] if "{" in t or "}" in t]
    assert any(("2027" in t) for t in labels["warnings"])
