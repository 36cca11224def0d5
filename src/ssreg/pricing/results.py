"""The result of pricing one claim, or the error that refused it, with JSON and text forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from .. import _seam
from ..exceptions import Problem
from ..rulebook.rulebook import FAR_FUTURE, ParameterValue, Rulebook
from ..rulebook.sources import RulebookVersion


class ClaimResult(NamedTuple):
    """The priced claim.  All amounts are ``Decimal`` rounded to the cent.

    ``amo + top_up + patient == billed`` and no amount is negative.  ``deduction``
    (participation forfaitaire or franchise) and the ``flat_charge`` (hospital daily
    charge, emergency or costly-act flat charge) are part of what the patient pays
    unless the top-up pays the flat charge.  ``rules`` are the rules that fired (without
    the base rule when the claim gave its base), ``parameters`` the values read with
    their periods and citations, ``assumptions`` the defaults used for fields the claim
    did not give, and ``warnings`` what the reader must know (e.g. a date of care after
    the newest source of the rulebook).  ``rulebook_version`` says which rules priced it.
    """

    position: int
    id: str | None
    person: str
    date: date
    care: str
    billed: Decimal
    base: Decimal
    rate: Decimal
    amo_gross: Decimal
    deduction_kind: str
    deduction: Decimal
    amo: Decimal
    flat_charge_kind: str
    flat_charge: Decimal
    top_up: Decimal
    patient: Decimal
    rules: tuple[str, ...]
    parameters: tuple[tuple[str, ParameterValue], ...]
    assumptions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    rulebook_version: RulebookVersion | None = None

    @property
    def ok(self) -> bool:
        """Always true: the claim was priced (a refused claim is a :class:`ClaimError`)."""
        return True

    def to_dict(self, *, base_url: str | None = None, lang: str = "en") -> dict[str, Any]:
        """JSON form: amounts as strings, the rules and parameters with their periods.

        With ``base_url`` (where the site of ``ssreg site`` is published), ``links`` gives
        the page of each rule and parameter, in ``lang``.
        """
        data: dict[str, Any] = {"ok": True}
        for name in ROW_FIELDS:
            value = getattr(self, name)
            data[name] = str(value) if isinstance(value, Decimal) else (
                value.isoformat() if name == "date" else value)
        data["rules"] = list(self.rules)
        data["parameters"] = [
            {"name": name, "value": str(period.value) if isinstance(period.value, Decimal)
             else period.value, "period": {
                 "start": period.start.isoformat(),
                 "end": None if period.end == FAR_FUTURE else period.end.isoformat()},
             "citations": list(period.citations),
             **({"uncertain": True} if period.uncertain else {})}
            for name, period in unique_reads(self.parameters)
        ]
        data["assumptions"] = list(self.assumptions)
        data["warnings"] = list(self.warnings)
        if self.rulebook_version is not None:
            version = self.rulebook_version.to_dict()
            data["rulebook_version"] = version["version"]
            data["rulebook_horizon"] = version["horizon"]
        if base_url is not None:
            data["links"] = _seam.claim_links(self, base_url, lang)
        return data

    def row(self) -> dict[str, Any]:
        """A flat row for ``pandas.DataFrame`` (amounts stay ``Decimal``)."""
        return {name: getattr(self, name) for name in ROW_FIELDS}

    def _repr_html_(self) -> str:
        return _seam.html_table(list(ROW_FIELDS), [[getattr(self, n) for n in ROW_FIELDS]])

    def explain(self, lang: str = "en", rulebook: Rulebook | None = None) -> str:
        """This claim's computation as text in English, French or Spanish."""
        from ..rulebook.loader import default_rulebook

        return _seam.claim_explanation(self, rulebook or default_rulebook(), lang)


ROW_FIELDS = ("position", "id", "person", "date", "care", "billed", "base", "rate",
              "amo_gross", "deduction_kind", "deduction", "amo", "flat_charge_kind",
              "flat_charge", "top_up", "patient")
MONEY_FIELDS = ("billed", "base", "amo_gross", "deduction", "amo", "flat_charge", "top_up",
                "patient")


@attrs.frozen
class ClaimError:
    """A claim of a batch that could not be priced (``errors="collect"``), in its place."""

    position: int
    id: str | None
    problems: tuple[Problem, ...]
    person: str | None = None

    ok = False

    def to_dict(self) -> dict[str, Any]:
        return {"ok": False, "position": self.position, "id": self.id, "person": self.person,
                "problems": [p.to_dict() for p in self.problems]}

    def explain(self, lang: str = "en", rulebook: Rulebook | None = None) -> str:
        return _seam.error_explanation(self, lang)


def unique_reads(reads: Any) -> list[tuple[str, ParameterValue]]:
    seen: dict[str, ParameterValue] = {}
    for name, period in reads:
        seen.setdefault(name, period)
    return list(seen.items())
