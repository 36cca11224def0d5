"""The models' one-pass ``__init__`` (ssreg/model/construct.py) against the checked path.

Each model's ``__init__`` is generated: a value already in its final form skips its
conversion and check.  Its ``__wrapped__`` is attrs' ``__init__`` followed by the
unknown-field check and the full check of every field (the path the fast one replaces).
On generated inputs, bad ones included, both must build equal models (same values, same
types, same representations) or raise the same error with the same problems.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ssreg
from ssreg.model.dossier import Dossier, Event
from ssreg.model.fields import specs
from ssreg.testing import strategies
from ssreg.testing.fuzz import TRICKY_TEXTS, scalars


class Text(str):
    pass


class Amount(Decimal):
    pass


class Day(date):
    pass


#: values on the edge of a fast path: a converter would change them, or a check refuse them
EDGE_VALUES = [
    Decimal("12.4"), Decimal("12.40"), Decimal("12.400"), Decimal("-0.00"), Decimal("0.00"),
    Decimal("0"), Decimal("-1.00"), Decimal("1E+2"), Decimal("1000000.00"),
    Decimal("1000000.01"), Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
    Amount("12.40"), Text("medicine"), Text("p1"), Day(2025, 3, 10),
    datetime(2025, 3, 10, 12), " gp_consultation", "major ", "medicine", "p1", " ",
    "female", " female", "frame", "none", "None", 0, 1, -1, 120, 121, 3650, 3651,
    True, False, None, 2.0, "2025-03-10", " 2025-03-10", date(2025, 3, 10), "30", " 30 ",
    "a\x00b", "ligne\nsuivante", "\u00e9t\u00e9", "x" * 201, "x" * 40, "x" * 41,
]
EDGES = st.sampled_from(EDGE_VALUES)
VALUES = st.one_of(EDGES, scalars, st.sampled_from(TRICKY_TEXTS))


def outcome(cls: type, init: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    made = object.__new__(cls)
    try:
        init(made, *args, **kwargs)
    except ssreg.SsregError as exc:
        return "refused", type(exc), [(p.path, p.message) for p in exc.problems]
    return "built", [(f.name, type(getattr(made, f.name)), repr(getattr(made, f.name)))
                     for f in attrs.fields(cls)], made


def assert_same(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    fast = outcome(cls, cls.__init__, args, kwargs)
    checked = outcome(cls, cls.__init__.__wrapped__, args, kwargs)
    assert fast[:2] == checked[:2]
    if fast[0] == "built":
        assert fast[2] == checked[2]


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[Any], cls: type) -> dict[str, Any]:
    """The fields of a valid model, some replaced by drawn values, maybe an unknown one."""
    model = draw(base)
    data = {f.name: getattr(model, f.name) for f in attrs.fields(cls)
            if draw(st.booleans()) or getattr(model, f.name) is not None}
    names = [name for name, _ in specs(cls)]
    for name in draw(st.lists(st.sampled_from(names), max_size=4)):
        data[name] = draw(VALUES)
    for name in draw(st.lists(st.sampled_from(names), max_size=2)):
        data.pop(name, None)
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.sampled_from(["colour", "dates", "x" * 70]))] = draw(VALUES)
    return data


BASES = {
    ssreg.Claim: {"care": "medicine", "date": date(2024, 3, 1), "billed": Decimal("12.40"),
                  "pregnancy_start": date(2024, 1, 1)},
    ssreg.Student: {"birth_date": date(2004, 3, 1), "nationality": "BR",
                    "country_of_birth": "BR"},
    ssreg.Document: {"kind": "passport"},
    ssreg.Cover: {},
    Event: {"type": "account_created", "date": date(2026, 8, 25)},
}


@pytest.mark.parametrize("cls", BASES, ids=lambda cls: cls.__name__)
def test_each_field_given_each_edge_value(cls):
    """Every field of the model given every value on the edge of a fast path."""
    for name, _ in specs(cls):
        for value in EDGE_VALUES:
            assert_same(cls, (), {**BASES[cls], name: value})


@given(mutated(strategies.claims(), ssreg.Claim),
       st.sampled_from([(), (), (), ("medicine",)]))
def test_claims_built_fast_equal_claims_built_the_checked_way(data, args):
    assert_same(ssreg.Claim, args, data)


@given(st.dictionaries(st.sampled_from([n for n, _ in specs(ssreg.Claim)]), VALUES,
                       max_size=8))
def test_any_claim_fields_give_the_same_claim_or_the_same_errors(data):
    assert_same(ssreg.Claim, (), data)


@pytest.mark.parametrize(("cls", "base"), [
    (ssreg.Student, strategies.any_students()),
    (ssreg.Document, strategies.documents()),
    (ssreg.Cover, strategies.covers()),
    (ssreg.Case, strategies.cases()),
])
@given(data=st.data())
def test_every_model_is_built_the_same_both_ways(cls, base, data):
    assert_same(cls, (), data.draw(mutated(base, cls)))


@given(st.dictionaries(st.sampled_from([n for n, _ in specs(Event)]), VALUES, max_size=6))
def test_events_and_dossiers_are_built_the_same_both_ways(data):
    assert_same(Event, (), {"type": "account_created", "date": "2026-08-25", **data})
    assert_same(Dossier, (), {"case": {"student": {}}, "events": [data], "id": data.get("note")})


def test_the_fast_path_keeps_what_converting_changes():
    claim = ssreg.Claim(care=" gp_consultation ", date=Day(2025, 3, 10),
                        billed=Decimal("-0.00"), person=Text("p1"))
    assert (claim.care, claim.billed, type(claim.date), type(claim.person)) == (
        "gp_consultation", Decimal("0.00"), Day, str)
    assert str(ssreg.Claim(care="x", date="2025-03-10", billed=Decimal("12.4")).billed) == "12.40"
    with pytest.raises(ssreg.InvalidClaimError, match="at most 2 decimals"):
        ssreg.Claim(care="x", date="2025-03-10", billed=Decimal("12.405"))
