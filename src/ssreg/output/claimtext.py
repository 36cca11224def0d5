"""A priced claim explained line by line, and the values of parameters as people read them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..pricing.results import ClaimError, ClaimResult, unique_reads
from ..rulebook.rulebook import FAR_FUTURE, Rulebook
from . import i18n


if TYPE_CHECKING:
    from ..registration.decision import ParameterRead


def param_value(unit: str, value: Any, lang: str, param: Any = None) -> str:
    """A parameter's value: a rate as a percentage, an amount in euros, a choice's label."""
    if unit == "rate":
        return i18n.percent(value, lang)
    if unit == "EUR":
        return i18n.money(value, lang)
    if param is not None and isinstance(value, str) and value in param.option_labels:
        return str(param.option_labels[value][lang])
    return i18n.show(value, lang)


def parameter_text(book: Rulebook, read: ParameterRead, lang: str) -> str:
    param = book.parameters[read.name]
    text = f"{param.label[lang]} = {param_value(param.unit, read.value, lang, param)}"
    if read.overridden:
        text += f" ({i18n.text('word.overridden', lang)})"
    else:
        period = i18n.text("word.since", lang, date=read.start)
        if read.end != FAR_FUTURE:
            period += ", " + i18n.text("word.until", lang, date=read.end)
        flag = f", {i18n.text('word.uncertain', lang)}" if read.uncertain else ""
        text += f" ({period}{flag}) [{', '.join(read.citations)}]"
    for option, cites in read.alternatives.items():
        shown = param.option_labels[option][lang] if option in param.option_labels else option
        text += (f"; {i18n.text('word.disputed', lang)}{i18n.colon(lang)}{shown} "
                 f"[{', '.join(cites)}]")
    return text


def explain_claim(result: ClaimResult, book: Rulebook, lang: str) -> str:
    """One claim's computation, line by line, with the rules and sources."""
    lang = i18n.check_language(lang)
    c = i18n.colon(lang)
    m = i18n.money
    care = book.label(f"care.{result.care}", lang)
    lines = [f"{i18n.day(result.date, lang)} - {care} - {i18n.text('word.billed', lang)} "
             f"{m(result.billed, lang)}",
             f"  {i18n.text('word.base', lang)}{c}{m(result.base, lang)}; "
             f"{i18n.text('word.rate', lang)}{c}{i18n.percent(result.rate, lang)} "
             f"→ {m(result.amo_gross, lang)}"]
    if result.deduction:
        kind = book.label(f"deduction.{result.deduction_kind}", lang)
        lines.append(f"  {i18n.text('word.deductions', lang)}{c}{kind} "
                     f"-{m(result.deduction, lang)}")
    if result.flat_charge:
        lines.append(f"  {book.label(f'flat_charge.{result.flat_charge_kind}', lang)}{c}"
                     f"{m(result.flat_charge, lang)}")
        if result.care == "hospital_stay" and result.flat_charge_kind in (
                "daily_charge", "daily_charge_psychiatry"):
            co_payment = result.base - result.amo_gross  # the set-off of art. L174-4
            key = "word.stay_co_payment_holds" if co_payment >= result.flat_charge else \
                "word.stay_charges_hold"
            lines.append("  " + i18n.text(key, lang, co_payment=m(co_payment, lang),
                                          charges=m(result.flat_charge, lang)))
    lines.append(f"  {i18n.text('word.amo', lang)}{c}{m(result.amo, lang)}; "
                 f"{i18n.text('word.top_up_paid', lang)}{c}{m(result.top_up, lang)}; "
                 f"{i18n.text('word.patient', lang)}{c}{m(result.patient, lang)}")
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        lines.append(f"  - {rule.label[lang]} [{', '.join(rule.citations)}]")
    for name, period in unique_reads(result.parameters):
        param = book.parameters[name]
        since = i18n.text("word.since", lang, date=period.start)
        flag = f", {i18n.text('word.uncertain', lang)}" if period.uncertain else ""
        lines.append(f"  * {param.label[lang]} = "
                     f"{param_value(param.unit, period.value, lang, param)}"
                     f" ({since}{flag}) [{', '.join(period.citations)}]")
    for code in result.assumptions:
        lines.append(f"  ({i18n.text('word.assumptions', lang)}{c}"
                     f"{book.label(f'assumption.{code}', lang)})")
    for code in result.warnings:
        lines.append(f"  {i18n.text('word.warning', lang)}{c}"
                     f"{i18n.text(f'warning_claim.{code}', lang)}")
    return i18n.typeset_lines(lines, lang)


def explain_error(result: ClaimError, lang: str) -> str:
    """A refused claim: where it was and each problem, in the language."""
    lang = i18n.check_language(lang)
    head = f"#{result.position}" + (f" ({result.id})" if result.id else "")
    return i18n.typeset("\n".join(
        [f"{head}{i18n.colon(lang)}{i18n.text('word.claim_refused', lang)}",
         *(f"  - {p.text(lang)}" for p in result.problems)]), lang)
