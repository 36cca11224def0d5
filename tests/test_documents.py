"""Checklist invariants: monotone in the documents supplied, order-independent, clear errors."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.testing import evaluation_dates, students


KINDS = sorted(ssreg.default_rulebook().documents)
# every fact the route and the checklist depend on is stated
STATED = {"stay_months": 10, "enrolled_in_french_institution": True,
          "previously_affiliated": False, "salaried": False, "andorran_insured": False, "quebec_form": "none"}
RANK = {"satisfied": 0, "needs_translation": 1, "wrong_academic_year": 2, "expired": 3,
        "insufficient": 4, "invalid": 5, "rejected": 6, "missing": 7, "to_check": 0}

documents = st.builds(
    ssreg.Document,
    kind=st.sampled_from(KINDS),
    status=st.sampled_from(["held", "uploaded", "accepted", "rejected"]),
    expires=st.none() | st.dates(min_value=date(2018, 1, 1), max_value=date(2030, 1, 1)),
    academic_year=st.none() | st.sampled_from(["2024-2025", "2025-2026", "2026-2027"]),
    language=st.none() | st.sampled_from(["fr", "pt", "de", "el", "en"]),
    translated=st.booleans(),
    iban=st.none() | st.sampled_from(["FR14 2004 1010 0505 0001 3M02 606",
                                      "DE89 3704 0044 0532 0130 00", "FR00 1234"]),
)


def checklist(student, docs, on):
    return ssreg.evaluate({"student": student, "documents": docs}, on=on).checklist


def statuses(cl):
    return {} if cl is None else {i.requirement: i.status for i in cl.items}


@given(students(), st.lists(documents, max_size=6), documents, evaluation_dates())
def test_adding_a_document_never_makes_it_worse(student, docs, extra, on):
    before = checklist(student, docs, on)
    after = checklist(student, [*docs, extra], on)
    if before is None:
        assert after is None
        return
    assert not (before.complete and not after.complete)
    b, a = statuses(before), statuses(after)
    assert b.keys() == a.keys()
    for requirement in b:
        assert RANK[a[requirement]] <= RANK[b[requirement]], requirement


@given(students(), st.lists(documents, min_size=1, max_size=6), evaluation_dates(),
       st.randoms(use_true_random=False))
def test_order_of_documents_does_not_matter(student, docs, on, rnd):
    shuffled = list(docs)
    rnd.shuffle(shuffled)
    a = checklist(student, docs, on)
    b = checklist(student, shuffled, on)
    assert (a is None and b is None) or a.to_dict() == b.to_dict()


@given(students(), st.lists(documents, min_size=1, max_size=6), evaluation_dates(),
       st.data())
def test_removing_a_document_never_makes_it_better(student, docs, on, data):
    index = data.draw(st.integers(min_value=0, max_value=len(docs) - 1))
    fewer = docs[:index] + docs[index + 1:]
    full, less = checklist(student, docs, on), checklist(student, fewer, on)
    if full is None:
        return
    assert not (less.complete and not full.complete)
    for requirement, status in statuses(less).items():
        assert RANK[status] >= RANK[statuses(full)[requirement]]


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ssreg.InvalidCaseError, match=r"documents\[1\]\.kind: unknown document kind 'visa'"):
        ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
                                    "country_of_birth": "BR"},
                        "documents": [{"kind": "passport"}, {"kind": "visa"}]}, on="2026-09-15")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("expires", "2027-02-30", "documents[0].expires: expected a date"),
    ("academic_year", "2026", "documents[0].academic_year: expected an academic year"),
    ("language", "portuguese", "documents[0].language: expected an ISO 639-1"),
    ("status", "lost", "documents[0].status: expected one of held, uploaded"),
])
def test_malformed_document_fields(field, value, message):
    with pytest.raises(ssreg.InvalidCaseError) as info:
        ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
                                    "country_of_birth": "BR"},
                        "documents": [{"kind": "passport", field: value}]}, on="2026-09-15")
    assert message in str(info.value.problems[0])


def test_bad_iban_message_names_the_problem():
    cl = checklist({"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
                    "address_in_france": "x", **STATED},
                   [{"kind": "iban", "iban": "FR76 3000 6000 0112 3456 7890 188"}], "2026-09-15")
    item = next(i for i in cl.items if i.requirement == "bank_details")
    assert item.status == "invalid"
    assert "checksum" in item.findings[0].detail


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_printable_checklist_in_three_languages(lang):
    decision = ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
                                           "country_of_birth": "BR", "address_in_france": "x",
                                           **STATED}},
                              on="2026-09-15")
    text = decision.checklist_text(lang)
    assert text.count("[ ]") >= 5
    assert {"en": "passport", "fr": "passeport", "es": "pasaporte"}[lang] in text
