"""Reports on priced claims: summaries per person and month, flat rows, a Decision section."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from ._results import ClaimError, ClaimResult
from ._rulebook import Rulebook


MONEY = ("billed", "amo", "top_up", "patient")
ZERO = Decimal("0.00")


def claim_citations(result: ClaimResult, book: Rulebook) -> list[str]:
    keys: list[str] = []
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        keys += [k for k in rule.citations if k not in keys]
    for _, period in result.parameters:
        keys += [k for k in period.citations if k not in keys]
    return keys


def rows(results: Iterable[ClaimResult | ClaimError]) -> Iterable[dict[str, Any]]:
    """Flat dict rows of the priced claims (refused claims are left out)."""
    for result in results:
        if result.ok:
            yield result.row()  # type: ignore[union-attr]


@attrs.frozen
class SummaryLine:
    person: str
    month: str
    claims: int
    billed: Decimal
    amo: Decimal
    top_up: Decimal
    patient: Decimal


@attrs.frozen
class Summary:
    """Totals per person and month (``YYYY-MM``); displays as a table in Jupyter."""

    lines: tuple[SummaryLine, ...]
    errors: int = 0

    def totals(self) -> dict[str, Decimal]:
        return {name: sum((getattr(line, name) for line in self.lines), ZERO)
                for name in MONEY}

    def rows(self) -> list[dict[str, Any]]:
        return [attrs.asdict(line) for line in self.lines]

    def _repr_html_(self) -> str:
        from ._text import html_table

        header = ["person", "month", "claims", *MONEY]
        body = [[getattr(line, h) for h in header] for line in self.lines]
        total = self.totals()
        body.append(["total", "", sum(line.claims for line in self.lines),
                     *(total[n] for n in MONEY)])
        return html_table(header, body)


def summarize(results: Iterable[ClaimResult | ClaimError]) -> Summary:
    """Sum priced claims per person and month (streaming; memory per person-month).

    >>> import ssreg
    >>> claims = [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22,
    ...            "referent_doctor_declared": True},
    ...           {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
    ...            "billed": "10", "age": 22}]
    >>> ssreg.summarize(ssreg.price_claims(claims)).totals()["patient"]
    Decimal('15.50')
    """
    table: dict[tuple[str, str], list[Any]] = {}
    errors = 0
    for result in results:
        if not result.ok:
            errors += 1
            continue
        assert isinstance(result, ClaimResult)
        key = (result.person, f"{result.date:%Y-%m}")
        acc = table.setdefault(key, [0, ZERO, ZERO, ZERO, ZERO])
        acc[0] += 1
        for i, name in enumerate(MONEY, start=1):
            acc[i] += getattr(result, name)
    return Summary(lines=tuple(
        SummaryLine(person, month, *values) for (person, month), values in sorted(table.items())
    ), errors=errors)


@attrs.frozen
class Reimbursements:
    """The priced claims of a case (a Decision section)."""

    results: tuple[ClaimResult | ClaimError, ...]
    book: Rulebook = attrs.field(eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        total = summarize(self.results).totals()
        return {"claims": [r.to_dict() for r in self.results],
                "totals": {k: str(v) for k, v in total.items()}}

    def citation_keys(self) -> set[str]:
        return {key for r in self.results if isinstance(r, ClaimResult)
                for key in claim_citations(r, self.book)}
