"""Reports on priced claims: JSON, text in three languages, summaries, rows, HTML tables."""

from __future__ import annotations

import html
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from . import _i18n as i18n
from ._pricing import ROW_FIELDS, ClaimResult
from ._rulebook import FAR_FUTURE, Rulebook


MONEY = ("billed", "amo", "top_up", "patient")


def claim_to_dict(result: ClaimResult) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ROW_FIELDS:
        value = getattr(result, name)
        data[name] = str(value) if isinstance(value, Decimal) else (
            value.isoformat() if name == "date" else value)
    data["rules"] = list(result.rules)
    data["parameters"] = [
        {"name": name, "value": str(period.value) if isinstance(period.value, Decimal)
         else period.value, "period": {
             "start": period.start.isoformat(),
             "end": None if period.end == FAR_FUTURE else period.end.isoformat()},
         "citations": list(period.citations), **({"uncertain": True} if period.uncertain
                                                  else {})}
        for name, period in _unique(result.parameters)
    ]
    return data


def _unique(reads: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for name, period in reads:
        seen.setdefault(name, period)
    return list(seen.items())


def claim_citations(result: ClaimResult, book: Rulebook) -> list[str]:
    keys: list[str] = []
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        keys += [k for k in rule.citations if k not in keys]
    for _, period in result.parameters:
        keys += [k for k in period.citations if k not in keys]
    return keys


def explain_claim(result: ClaimResult, book: Rulebook, lang: str) -> str:
    """One claim's computation, line by line, with the rules and sources."""
    lang = i18n.check_language(lang)
    c = i18n.colon(lang)

    def m(amount: Decimal) -> str:
        return i18n.money(amount, lang)

    care = book.label(f"care.{result.care}", lang)
    lines = [
        (f"{i18n.day(result.date, lang)} - {care} - "
         f"{i18n.text('billed', lang)} {m(result.billed)}"),
        (f"  {i18n.text('base', lang)}{c}{m(result.base)}; {i18n.text('rate', lang)}{c}"
         f"{result.rate * 100:.0f} % -> {m(result.amo_gross)}"),
    ]
    if result.deduction:
        kind = book.label(f"deduction.{result.deduction_kind}", lang)
        lines.append(f"  {i18n.text('deductions', lang)}{c}{kind} -{m(result.deduction)}")
    if result.daily_charge:
        lines.append(f"  {book.label('daily_charge.daily_charge', lang)}{c}"
                     f"{m(result.daily_charge)}")
    lines.append(f"  {i18n.text('amo', lang)}{c}{m(result.amo)}; "
                 f"{i18n.text('top_up_paid', lang)}{c}{m(result.top_up)}; "
                 f"{i18n.text('patient', lang)}{c}{m(result.patient)}")
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        lines.append(f"  - {rule.label[lang]} [{', '.join(rule.citations)}]")
    for name, period in _unique(result.parameters):
        since = i18n.text("since", lang, date=i18n.day(period.start, lang))
        flag = " (UNCERTAIN)" if period.uncertain else ""
        param = book.parameters[name]
        shown = (i18n.percent(period.value, lang) if param.unit == "rate"
                 else i18n.money(period.value, lang) if param.unit == "EUR"
                 else i18n.value(period.value, lang))
        lines.append(f"  * {param.label[lang]} = {shown} ({since}){flag} "
                     f"[{', '.join(period.citations)}]")
    return "\n".join(lines)


def rows(results: Iterable[ClaimResult]) -> Iterable[dict[str, Any]]:
    """Flat dict rows, e.g. ``pandas.DataFrame(ssreg.rows(results))``."""
    for result in results:
        yield result.row()


def _html_table(header: list[str], body: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = ["<table class='ssreg'>", f"<thead><tr>{head}</tr></thead><tbody>"]
    for row in body:
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


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

    def totals(self) -> dict[str, Decimal]:
        return {name: sum((getattr(line, name) for line in self.lines), Decimal("0.00"))
                for name in MONEY}

    def rows(self) -> list[dict[str, Any]]:
        return [attrs.asdict(line) for line in self.lines]

    def _repr_html_(self) -> str:
        header = ["person", "month", "claims", *MONEY]
        body = [[getattr(line, h) for h in header] for line in self.lines]
        total = self.totals()
        body.append(["total", "", sum(line.claims for line in self.lines),
                     *(total[n] for n in MONEY)])
        return _html_table(header, body)


def summarize(results: Iterable[ClaimResult]) -> Summary:
    """Sum priced claims per person and month (streaming; memory per person-month).

    >>> import ssreg
    >>> claims = [{"care": "gp_consultation", "date": "2025-03-10", "billed": "30", "age": 22},
    ...           {"care": "medicine", "medicine_class": "major", "date": "2025-03-10",
    ...            "billed": "10", "age": 22}]
    >>> ssreg.summarize(ssreg.price_claims(claims)).totals()["patient"]
    Decimal('15.50')
    """
    table: dict[tuple[str, str], list[Any]] = {}
    for result in results:
        key = (result.person, f"{result.date:%Y-%m}")
        acc = table.setdefault(key, [0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
                                     Decimal("0.00")])
        acc[0] += 1
        for i, name in enumerate(MONEY, start=1):
            acc[i] += getattr(result, name)
    return Summary(lines=tuple(
        SummaryLine(person, month, *values) for (person, month), values in sorted(table.items())
    ))


@attrs.frozen
class Reimbursements:
    """The priced claims of a case (a Decision section)."""

    results: tuple[ClaimResult, ...]
    book: Rulebook = attrs.field(eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        total = summarize(self.results).totals()
        return {"claims": [r.to_dict() for r in self.results],
                "totals": {k: str(v) for k, v in total.items()}}

    def citation_keys(self) -> set[str]:
        return {key for r in self.results for key in claim_citations(r, self.book)}

    def explain_lines(self, book: Rulebook, lang: str) -> list[str]:
        lines = [i18n.text("reimbursements", lang) + i18n.colon(lang).rstrip()]
        for result in self.results:
            lines.extend("  " + line for line in explain_claim(result, book, lang).splitlines())
        return lines

    def _repr_html_(self) -> str:
        header = list(ROW_FIELDS)
        return _html_table(header, [[getattr(r, h) for h in header] for r in self.results])

