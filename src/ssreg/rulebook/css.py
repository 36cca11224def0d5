"""The complémentaire santé solidaire's facts of a student: resources against the dated
ceilings of the household [CS3][CSS-R861-3], and the monthly participation by age band
[CSS-R861-16-1]."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..exceptions import NoValueInForce


CSS_SIZES = ("1", "2", "3", "4")


def css_ceiling(size: int, kind: str, param: Callable[[str], Any]) -> Decimal:
    """The yearly resource ceiling of the complémentaire santé solidaire for a household
    of ``size`` persons (``kind``: ``free`` or ``participation``): the published amount
    for 1 to 4 persons, plus the amount per further person [CS3][CSS-R861-3]."""
    if size <= 4:
        value: Decimal = param(f"css.{kind}_ceiling.{size}")
        return value
    return Decimal(param(f"css.{kind}_ceiling.4")) + (size - 4) * Decimal(
        param(f"css.{kind}_ceiling.extra"))


def css_facts(student: Any, age: int, param: Callable[[str], Any]) -> dict[str, Any]:
    """Resources against the dated ceilings, and the monthly participation by age band.

    A ceiling without a value on the date (the 1 April revaluation not found) makes
    ``css_ceilings_known`` false: the decision says so instead of guessing.
    """
    size, resources = student.household_size or 1, student.household_resources
    try:
        free = css_ceiling(size, "free", param)
        paid = css_ceiling(size, "participation", param)
    except NoValueInForce:
        known, within_free, within_paid = False, None, None
    else:
        known = True
        within_free = None if resources is None else resources <= free
        within_paid = None if resources is None else resources <= paid
    band = next(name for limit, name in CSS_AGE_BANDS if age <= limit)
    try:
        monthly = param(f"css.participation.{band}")
    except NoValueInForce:
        monthly = None
    return {"household_resources_given": resources is not None,
            "css_ceilings_known": known, "within_css_free_ceiling": within_free,
            "within_css_participation_ceiling": within_paid,
            "css_monthly_participation": monthly}


#: the age bands of the CSS participation (age at most, parameter suffix)
CSS_AGE_BANDS = ((29, "under_30"), (49, "30_to_49"), (59, "50_to_59"), (69, "60_to_69"),
                 (10_000, "70_and_over"))
