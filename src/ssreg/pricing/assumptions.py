"""What a price assumes when a claim leaves a field out, as codes with texts in the rules.

Each code names the claim field it stands for (``sector_not_given`` -> ``sector``); its
text in English, French and Spanish is the rulebook's ``[vocabulary."assumption.<code>"]``.
A claim lists an assumption only where another value of the field could change its
price (see :mod:`ssreg.pricing.pricer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engines.engine import get_engine
from ..exceptions import InvalidClaimError
from .plans import DERIVED_FACTS, PLAIN_FACTS, claim_defaults


if TYPE_CHECKING:
    from ..model.models import Cover
    from .plans import Plan, Planner

__all__ = ["CODES", "alternatives", "assumed", "claim_defaults", "field_of"]

#: the code of each claim field priced on a default when not given
CODES = {
    "referent_doctor_declared": "referent_doctor_declared_not_given",
    "referent_doctor_seen": "referent_doctor_seen_assumed",
    "referred": "referred_not_given",
    "provider": "provider_not_given",
    "base": "base_from_bill",
    "sector": "sector_not_given",
    "specialty": "specialty_not_given",
    "boxes": "boxes_not_given",
    "hospital_days": "hospital_days_not_given",
    "emergency": "emergency_not_given",
    "away_from_home": "away_from_home_not_given",
    "ald": "ald_not_given",
    "css": "css_not_given",
    "pregnancy_window": "pregnancy_window_not_given",
    "contraception": "contraception_not_given",
    "prescribed_by_sector_3": "prescribed_by_sector_3_not_given",
    "psychiatry": "psychiatry_not_given",
    "emergency_contraception": "emergency_contraception_not_given",
    "costly_act_in_stay": "costly_act_in_stay_not_given",
}
#: a base not given is taken from the care's tariff when it has one (else from the bill)
FIELDS = {**{code: name for name, code in CODES.items()}, "base_from_tariff": "base"}


def field_of(code: str) -> str | None:
    """The claim field an assumption code stands for.

    >>> field_of("sector_not_given"), field_of("after_rulebook_horizon")
    ('sector', None)
    """
    return FIELDS.get(code)


#: the fields whose default feeds the decision tables (the others feed the arithmetic)
DECIDING = (*PLAIN_FACTS, "css", "referent_doctor_declared", "referent_doctor_seen", "referred",
            "pregnancy_window")
#: the claim fields behind derived facts, with their default when the rule data has none
#: (the pregnancy window is a derived fact: said by the claim, or from its dates)
DERIVED_FIELDS = ("css", "referent_doctor_declared", "referent_doctor_seen", "referred",
                  "pregnancy_window")
ORDER = {code: i for i, code in enumerate((*CODES.values(), "base_from_tariff"))}


def alternatives(book: Any, name: str, default: Any) -> tuple[Any, ...]:
    """The other values a field left out could take (yes/no, or the fact's values)."""
    spec = book.facts.get(name)
    if spec is None:
        return ()
    if spec.type == "bool":
        return (not default,)
    return tuple(v for v in spec.values if v != default)


def assumed(planner: Planner, claim: Any, plain: tuple[Any, ...], derived: tuple[Any, ...],
            outcomes: tuple[str, ...], plan: Plan, cover: Cover | None) -> tuple[str, ...]:
    """The assumptions a claim's price rests on: each field left out whose default was
    used and whose other values could change the price (another outcome of the claim
    tables, or an amount the arithmetic reads)."""
    found = []
    defaults = planner.defaults
    for index, name in enumerate(PLAIN_FACTS):
        if getattr(claim, name) is None and name in defaults and _changes(
                planner, claim, plain, derived, outcomes, name, index, None):
            found.append(CODES[name])
    for name in DERIVED_FIELDS:
        index = DERIVED_FACTS.index(name)
        if name == "pregnancy_window" and (claim.pregnancy_start is not None
                                           or claim.delivery_date is not None):
            continue  # the window follows from the dates given
        if getattr(claim, name) is None and _changes(
                planner, claim, plain, derived, outcomes, name, None, index):
            found.append(CODES[name])
    if claim.base is None and (plan.rate or plan.threshold is not None
                               or (cover is not None and plan.top_up != "no_cover")):
        found.append(CODES["base"] if plan.base is None else "base_from_tariff")
    if claim.boxes is None and plan.family == "franchise":
        found.append(CODES["boxes"])
    if claim.hospital_days is None and plan.flat_per_day:
        found.append(CODES["hospital_days"])
    if claim.provider is None and plan.family == "participation":
        found.append(CODES["provider"])
    return tuple(sorted(found, key=ORDER.__getitem__))


def _effective(claim: Any, outcomes: tuple[str, ...]) -> tuple[Any, ...]:
    """The outcomes a price reads: the base rule's only when the claim gives no base."""
    return (None if claim.base is not None else outcomes[0], *outcomes[1:])


def _changes(planner: Planner, claim: Any, plain: tuple[Any, ...], derived: tuple[Any, ...],
             outcomes: tuple[str, ...], name: str, plain_index: int | None,
             derived_index: int | None) -> bool:
    """Whether another value of a field left out gives other outcomes (those a price
    reads: a base rule does not matter when the claim gives its base).

    This is an analysis of the rulebook, shared by every engine like the "why not" of a
    Decision: the other values are decided by the compiled engine (whose answers the
    differential tests prove equal to durable's), so an assumption list is the same
    whichever engine priced the claim.
    """
    analyst = get_engine("compiled")
    default = planner.defaults.get(name, False)  # the window: outside it, unless said
    for value in alternatives(planner.book, name, default):
        other_plain, other_derived = list(plain), list(derived)
        if plain_index is not None:
            other_plain[plain_index] = value
        else:
            assert derived_index is not None
            if name == "css":  # the cover's CSS counts too
                value = value or derived[DERIVED_FACTS.index("cover_kind")] == "css"
            other_derived[derived_index] = value
        try:
            found = planner.decide(claim, tuple(other_derived), tuple(other_plain),
                                   engine=analyst)[0]
        except InvalidClaimError:
            return True  # another value would not even be priced
        if _effective(claim, found) != _effective(claim, outcomes):
            return True
    return False
