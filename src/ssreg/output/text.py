"""Texts for people: a short summary for the student, the full reasoning, HTML tables.

Everything is rendered from the rulebook's labels and :mod:`ssreg.output.i18n` in English,
French or Spanish; money, rates and dates are formatted by Babel.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..pricing.results import ClaimError, ClaimResult, unique_reads
from ..rulebook.rulebook import FAR_FUTURE, Rulebook
from . import i18n
from .labels import failure_text, finding_text, notice_text, value_text


if TYPE_CHECKING:
    from ..registration.decision import Decision, ParameterRead
    from ..registration.documents import Checklist
    from ..registration.workflow import Workflow


def summary(decision: Decision, lang: str) -> str:
    """A few lines for the student: what to do, what to bring, what blocks, what comes next."""
    lang = i18n.check_language(lang)
    book, c = decision.book, i18n.colon(lang)
    lines = []
    if decision.route is not None:
        lines.append(f"{i18n.text('route', lang)}{c}{book.label(f'route.{decision.route}', lang)}")
    for block in decision.blocks:
        lines.append(f"{i18n.text('blocking', lang)}{c}{book.label(f'block.{block}', lang)}")
    css = decision.outcomes.get("css_eligibility")
    if css in ("free", "with_participation", "above_ceiling", "ceilings_not_found"):
        line = f"{i18n.text('css', lang)}{c}{book.label(f'css_eligibility.{css}', lang)}"
        monthly = decision._run.env.get("css_monthly_participation")
        if css == "with_participation" and monthly is not None:
            line += f" ({i18n.text('per_month', lang, amount=i18n.money(monthly, lang))})"
        lines.append(line)
    flow = decision.workflow
    if flow is not None:
        lines.append(f"{i18n.text('stage', lang)}{c}{book.label(f'stage.{flow.stage}', lang)}")
    todo = [i for i in decision.checklist.items if not i.met]
    if todo:
        lines.append(f"{i18n.text('to_bring', lang)}{c}")
        for item in todo:
            label = book.requirements[item.requirement].label[lang]
            lines.append(f"  - {label} ({i18n.text(f'status.{item.status}', lang)})")
    if flow is not None and flow.next_steps:
        lines.append(f"{i18n.text('next_steps', lang)}{c}")
        for step in flow.next_steps[:3]:
            spec = book.steps[step.step]
            lines.append(f"  - {i18n.fill(spec.label[lang], decision._run.env, lang)} "
                         f"({i18n.text(f'actor.{step.actor}', lang)})")
    for notice in decision.warnings:
        lines.append(f"! {notice_text(book, notice, lang)}")
    return "\n".join(lines)


def explain(decision: Decision, lang: str) -> str:
    """The full reasoning: conclusions with their rules, checklist, journey, claims, trace."""
    lang = i18n.check_language(lang)
    book, c = decision.book, i18n.colon(lang)
    lines = [i18n.text("decision_on", lang, date=decision.on),
             ]
    for fired in decision.trace.fired:
        if fired.decision in ("documents", "stage", "next_steps", "events", "event_refusals",
                              "warnings", "dossier_warnings"):
            continue  # shown in their own sections
        spec = book.decisions[fired.decision]
        rule = book.rule(fired.rule, decision.on)
        for key, value in fired.outcome.items():
            lines.append(f"{spec.label[lang]}{c}{value_text(book, key, value, lang)}")
        lines.append(f"  {i18n.text('because', lang)}{c}{rule.label[lang]} "
                     f"[{', '.join(fired.citations)}]")
    lines.append(i18n.text("academic_year", lang, year=decision.academic_year))
    lines += ["", *checklist_lines(book, decision.checklist, lang)]
    if decision.workflow is not None:
        lines += ["", *workflow_lines(book, decision.workflow, decision._run.env, lang)]
    if decision.reimbursements is not None:
        lines += ["", i18n.text("reimbursements", lang) + c.rstrip()]
        for result in decision.reimbursements.results:
            text = explain_claim(result, book, lang) if isinstance(result, ClaimResult) else \
                explain_error(result, lang)
            lines.extend("  " + line for line in text.splitlines())
    for title, notices in (("warnings", decision.warnings), ("assumptions",
                                                             decision.assumptions)):
        if notices:
            lines += ["", i18n.text(title, lang) + c.rstrip()]
            lines += [f"  - {notice_text(book, n, lang)}" for n in notices]
    if decision.trace.not_applied:
        lines += ["", i18n.text("why_not", lang) + c.rstrip()]
        for miss in decision.trace.not_applied:
            reasons = "; ".join(failure_text(book, f, lang) for f in miss.failures)
            lines.append(f"  - {book.rule(miss.rule, decision.on).label[lang]}{c}{reasons}")
    if decision.parameters:
        lines += ["", i18n.text("parameters", lang) + c.rstrip()]
        lines += ["  - " + parameter_text(book, read, lang) for read in decision.parameters]
    lines += ["", i18n.text("sources", lang) + c.rstrip()]
    for key in decision.citation_keys():
        source = book.sources[key]
        where = "" if source.url.startswith("seed:") else f" <{source.url}>"
        kind = i18n.text(f"source_kind.{source.kind}", lang)
        lines.append(f"  [{key}] {source.title} ({kind}){where}")
    return "\n".join(lines)


def parameter_text(book: Rulebook, read: ParameterRead, lang: str) -> str:
    param = book.parameters[read.name]
    text = f"{param.label[lang]} = {param_value(param.unit, read.value, lang, param)}"
    if read.overridden:
        text += f" ({i18n.text('overridden', lang)})"
    else:
        period = i18n.text("since", lang, date=read.start)
        if read.end != FAR_FUTURE:
            period += ", " + i18n.text("until", lang, date=read.end)
        flag = f", {i18n.text('uncertain', lang)}" if read.uncertain else ""
        text += f" ({period}{flag}) [{', '.join(read.citations)}]"
    for option, cites in read.alternatives.items():
        shown = param.option_labels[option][lang] if option in param.option_labels else option
        text += f"; {i18n.text('disputed', lang)}{i18n.colon(lang)}{shown} [{', '.join(cites)}]"
    return text


def param_value(unit: str, value: Any, lang: str, param: Any = None) -> str:
    if unit == "rate":
        return i18n.percent(value, lang)
    if unit == "EUR":
        return i18n.money(value, lang)
    if param is not None and isinstance(value, str) and value in param.option_labels:
        return str(param.option_labels[value][lang])
    return i18n.show(value, lang)


def checklist_lines(book: Rulebook, checklist: Checklist, lang: str) -> list[str]:
    c = i18n.colon(lang)
    if not checklist.items:
        return [i18n.text("checklist", lang) + c.rstrip(), "  " + i18n.text("no_documents", lang)]
    state = i18n.text("complete" if checklist.complete else "incomplete", lang)
    lines = [f"{i18n.text('checklist', lang)} ({state}){c.rstrip()}"]
    for item in checklist.items:
        lines.append(f"  [{i18n.text(f'status.{item.status}', lang)}] "
                     f"{book.requirements[item.requirement].label[lang]}")
        rule = book.rule(item.rule, checklist.on)
        lines.append(f"      {i18n.text('because', lang)}{c}{rule.label[lang]} "
                     f"[{', '.join(item.citations)}]")
        if item.satisfied_by is not None:
            kind = book.documents[item.satisfied_by.kind].label[lang]
            lines.append(f"      {i18n.text('satisfied_by', lang)} {kind}")
        for finding in item.findings:
            if finding.status != "satisfied":
                kind = book.documents[finding.kind].label[lang]
                detail = finding_text(finding, lang)
                lines.append(f"      {kind}{c}{i18n.text(f'status.{finding.status}', lang)}"
                             + (f" ({detail})" if detail else ""))
    if checklist.blocked_step:
        lines.append(f"  {i18n.text('blocked_step', lang)}{c}"
                     f"{i18n.text(f'blocked.{checklist.blocked_step}', lang)}")
    return lines


def printable(book: Rulebook, checklist: Checklist, lang: str) -> str:
    """A checklist to print: one box per requirement with its accepted documents."""
    lang = i18n.check_language(lang)
    title = i18n.text("checklist", lang)
    lines = [title, "=" * len(title)]
    if not checklist.items:
        lines.append(i18n.text("no_documents", lang))
    for item in checklist.items:
        box = {"satisfied": "[x]", "to_check": "[?]"}.get(item.status, "[ ]")
        lines.append(f"{box} {book.requirements[item.requirement].label[lang]}"
                     f" -- {i18n.text(f'status.{item.status}', lang)}")
        if len(item.one_of) > 1:
            lines.append(f"    {i18n.text('alternatives', lang)}{i18n.colon(lang).rstrip()}")
        for kind in item.one_of:
            lines.append(f"      - {book.documents[kind].label[lang]}")
    return "\n".join(lines)


def workflow_lines(book: Rulebook, flow: Workflow, env: dict[str, Any], lang: str) -> list[str]:
    c = i18n.colon(lang)
    lines = [f"{i18n.text('stage', lang)}{c}{book.label(f'stage.{flow.stage}', lang)}"]
    if flow.done:
        lines.append(i18n.text("done", lang) + c.rstrip())
        for done in flow.done:
            label = book.events[done.event].label[lang] if done.event in book.events else \
                done.event
            lines.append(f"  - {i18n.day(done.date, lang)}{c}{label}")
    if flow.next_steps:
        lines.append(i18n.text("next_steps", lang) + c.rstrip())
        for step in flow.next_steps:
            spec = book.steps[step.step]
            lines.append(f"  - {i18n.fill(spec.label[lang], env, lang)} "
                         f"({i18n.text(f'actor.{step.actor}', lang)}); "
                         f"{i18n.text('needs', lang)}{c}{i18n.fill(spec.needs[lang], env, lang)}"
                         f" [{', '.join(step.citations)}]")
            for name in step.requirements:
                lines.append(f"      {i18n.text('missing', lang)}{c}"
                             f"{book.requirements[name].label[lang]}")
    shown = [r for r in flow.refused_events if not r.other_route]
    if shown:
        lines.append(i18n.text("refused", lang) + c.rstrip())
        for refused in shown:
            reasons = "; ".join(failure_text(book, f, lang) for f in refused.failures)
            lines.append(f"  - {book.events[refused.event].label[lang]}{c}{reasons}")
    return lines


def explain_claim(result: ClaimResult, book: Rulebook, lang: str) -> str:
    """One claim's computation, line by line, with the rules and sources."""
    lang = i18n.check_language(lang)
    c = i18n.colon(lang)
    m = i18n.money
    care = book.label(f"care.{result.care}", lang)
    lines = [f"{i18n.day(result.date, lang)} - {care} - {i18n.text('billed', lang)} "
             f"{m(result.billed, lang)}",
             f"  {i18n.text('base', lang)}{c}{m(result.base, lang)}; {i18n.text('rate', lang)}{c}"
             f"{i18n.percent(result.rate, lang)} -> {m(result.amo_gross, lang)}"]
    if result.deduction:
        kind = book.label(f"deduction.{result.deduction_kind}", lang)
        lines.append(f"  {i18n.text('deductions', lang)}{c}{kind} -{m(result.deduction, lang)}")
    if result.flat_charge:
        lines.append(f"  {book.label(f'flat_charge.{result.flat_charge_kind}', lang)}{c}"
                     f"{m(result.flat_charge, lang)}")
        if result.care == "hospital_stay" and result.flat_charge_kind in (
                "daily_charge", "daily_charge_psychiatry"):
            co_payment = result.base - result.amo_gross  # the set-off of art. L174-4
            key = "stay_co_payment_holds" if co_payment >= result.flat_charge else \
                "stay_charges_hold"
            lines.append("  " + i18n.text(key, lang, co_payment=m(co_payment, lang),
                                          charges=m(result.flat_charge, lang)))
    lines.append(f"  {i18n.text('amo', lang)}{c}{m(result.amo, lang)}; "
                 f"{i18n.text('top_up_paid', lang)}{c}{m(result.top_up, lang)}; "
                 f"{i18n.text('patient', lang)}{c}{m(result.patient, lang)}")
    for rule_id in result.rules:
        rule = book.rule(rule_id, result.date)
        lines.append(f"  - {rule.label[lang]} [{', '.join(rule.citations)}]")
    for name, period in unique_reads(result.parameters):
        param = book.parameters[name]
        since = i18n.text("since", lang, date=period.start)
        flag = f", {i18n.text('uncertain', lang)}" if period.uncertain else ""
        lines.append(f"  * {param.label[lang]} = "
                     f"{param_value(param.unit, period.value, lang, param)}"
                     f" ({since}{flag}) [{', '.join(period.citations)}]")
    for code in result.assumptions:
        lines.append(f"  ({i18n.text('assumptions', lang)}{c}"
                     f"{i18n.text(f'assumption.{code}', lang)})")
    for code in result.warnings:
        lines.append(f"  ! {i18n.text(f'warning_claim.{code}', lang)}")
    return "\n".join(lines)


def explain_error(result: ClaimError, lang: str) -> str:
    lang = i18n.check_language(lang)
    head = f"#{result.position}" + (f" ({result.id})" if result.id else "")
    return "\n".join([f"{head}{i18n.colon(lang)}{i18n.text('claim_refused', lang)}",
                      *(f"  - {p}" for p in result.problems)])


def html_table(header: list[str], body: Iterable[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = ["<table class='ssreg'>", f"<thead><tr>{head}</tr></thead><tbody>"]
    for row in body:
        cells = "".join(f"<td>{v if isinstance(v, _Html) else html.escape(str(v))}</td>"
                        for v in row)
        lines.append(f"<tr>{cells}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def decision_html(decision: Decision, lang: str = "en", base_url: str | None = None) -> str:
    """A notebook view: the short summary, the checklist and the reimbursements.

    With ``base_url`` (where ``ssreg site`` is published) each checklist item and claim
    links to the page of its rule, and the rules applied and values used are listed with
    links to their pages.
    """
    book = decision.book
    lang = i18n.check_language(lang)
    parts = [f"<p><b>{html.escape(i18n.text('decision_on', lang, date=decision.on))}</b></p>",
             "<pre>" + html.escape(summary(decision, lang)) + "</pre>"]
    links = None
    if base_url is not None:
        from .links import check_base_url, decision_links

        links = decision_links(decision, check_base_url(base_url), lang)
    items = [[book.requirements[i.requirement].label[lang],
              i18n.text(f"status.{i.status}", lang), ", ".join(i.citations)]
             for i in decision.checklist.items]
    if items and links is None:
        parts.append(html_table(["requirement", "status", "sources"], items))
    elif items and links is not None:
        rules = [_link(links["rules"], i.rule) for i in decision.checklist.items]
        parts.append(html_table(["requirement", "status", "sources", "rule"],
                                [[*row, rule] for row, rule in zip(items, rules, strict=True)]))
    if decision.reimbursements is not None:
        from ..pricing.results import ROW_FIELDS

        results = [r for r in decision.reimbursements.results if r.ok]
        rows: list[list[Any]] = [[getattr(r, n) for n in ROW_FIELDS] for r in results]
        if links is None:
            parts.append(html_table(list(ROW_FIELDS), rows))
        else:
            cells = [_Html(", ".join(_link(links["rules"], rule)
                                     for rule in r.rules))  # type: ignore[union-attr]
                     for r in results]
            parts.append(html_table([*ROW_FIELDS, "rules"],
                                    [[*row, cell] for row, cell in zip(rows, cells,
                                                                       strict=True)]))
    if links is not None:
        parts.append(_links_html(book, decision, links, lang))
    return "\n".join(parts)


class _Html(str):
    """A table cell already written as HTML (a link)."""


def _link(urls: dict[str, str], key: str) -> _Html:
    return _Html(f"<a href='{html.escape(urls[key], quote=True)}'>"
                 f"<code>{html.escape(key)}</code></a>")


def _links_html(book: Rulebook, decision: Decision, links: dict[str, dict[str, str]],
                lang: str) -> str:
    c = i18n.colon(lang).rstrip()
    fired = dict.fromkeys(f.rule for f in decision.trace.fired)
    lines = [f"<p>{html.escape(i18n.text('rules_applied', lang))}{c}</p>", "<ul>"]
    lines += [f"<li>{_link(links['rules'], rule)} "
              f"{html.escape(book.rule(rule, decision.on).label[lang])}</li>" for rule in fired]
    lines += ["</ul>", f"<p>{html.escape(i18n.text('parameters', lang))}{c}</p>", "<ul>"]
    lines += [f"<li>{_link(links['parameters'], name)} "
              f"{html.escape(book.parameters[name].label[lang])}</li>"
              for name in links["parameters"]]
    lines.append("</ul>")
    return "\n".join(lines)
