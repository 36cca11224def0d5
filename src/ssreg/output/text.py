"""Texts for people: the full reasoning of a Decision, the checklist to print, the journey,
HTML tables.

Everything is rendered from the rulebook's labels and reasons and the catalogue of
:mod:`ssreg.output.i18n` in English, French or Spanish; money, rates and dates are
formatted by Babel and each finished text is typeset for its language.  The student's
short summary is :mod:`ssreg.output.summary`; a priced claim's explanation is
:mod:`ssreg.output.claimtext`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..pricing.results import ClaimResult
from ..rulebook.rulebook import Rulebook
from . import asking, i18n
from .claimtext import explain_claim, explain_error, parameter_text
from .labels import finding_text, notice_text
from .reasons import event_name, reason_texts, refusal_sentences, sentences, value_text
from .sources import source_line


if TYPE_CHECKING:
    from ..registration.decision import Decision
    from ..registration.documents import Checklist
    from ..registration.workflow import Workflow

__all__ = ["checklist_lines", "decision_html", "explain", "explain_claim", "explain_error",
           "html_table", "printable", "workflow_lines"]

#: decisions whose conclusions have their own section (not listed as "route: ...")
OWN_SECTIONS = ("documents", "stage", "next_steps", "events", "event_refusals", "warnings",
                "dossier_warnings")


def _heading(key: str, lang: str) -> str:
    return i18n.text(key, lang) + i18n.colon(lang).rstrip()


def explain(decision: Decision, lang: str) -> str:
    """The full reasoning: conclusions with their rules, checklist, journey, claims, trace."""
    lang = i18n.check_language(lang)
    book, c = decision.book, i18n.colon(lang)
    lines = [i18n.text("word.decision_on", lang, date=decision.on)]
    for fired in decision.trace.fired:
        if fired.decision in OWN_SECTIONS or fired.decision in decision.open:
            continue
        spec = book.decisions[fired.decision]
        rule = book.rule(fired.rule, decision.on)
        for key, value in fired.outcome.items():
            lines.append(f"{spec.label[lang]}{c}{value_text(book, key, value, lang)}")
        lines.append(f"  {i18n.text('word.because', lang)}{c}{rule.label[lang]} "
                     f"[{', '.join(fired.citations)}]")
    lines.append(i18n.text("word.academic_year", lang, year=decision.academic_year))
    found = asking.open_items(decision, lang)
    if found:
        lines += ["", _heading("summary.open", lang), *(f"  - {item}" for item in found)]
    lines += ["", *checklist_lines(book, decision.checklist, lang)]
    if decision.workflow is not None:
        lines += ["", *workflow_lines(book, decision.workflow, decision._run.env, lang)]
    if decision.reimbursements is not None:
        lines += ["", _heading("word.reimbursements", lang)]
        for result in decision.reimbursements.results:
            text = explain_claim(result, book, lang) if isinstance(result, ClaimResult) \
                else explain_error(result, lang)
            lines.extend("  " + line for line in text.splitlines())
    for title, notices in (("word.warnings", decision.warnings),
                           ("word.assumptions", decision.assumptions)):
        if notices:
            lines += ["", _heading(title, lang)]
            lines += [f"  - {notice_text(book, n, lang)}" for n in notices]
    lines += _question_lines(decision, lang)
    lines += _why_not_lines(decision, lang)
    if decision.parameters:
        lines += ["", _heading("word.parameters", lang)]
        lines += ["  - " + parameter_text(book, read, lang) for read in decision.parameters]
    lines += ["", _heading("word.sources", lang)]
    lines += ["  " + source_line(book, key, lang) for key in decision.citation_keys()]
    return i18n.typeset_lines(lines, lang)


def _question_lines(decision: Decision, lang: str) -> list[str]:
    """The questions that would settle what is open, each with its sources and what its
    answers give for the first answer it settles."""
    book, c = decision.book, i18n.colon(lang)
    if not decision.questions:
        return []
    lines = ["", _heading("asking.questions", lang)]
    for question in decision.questions:
        lines.append(f"  - {asking.question_text(book, question, lang)} "
                     f"[{', '.join(question.citations)}]")
        for name in question.settles[:1]:
            for answers, shown in asking.grouped(book, question, name, lang):
                lines.append(f"      {answers}{c}{shown}")
    return lines


def _why_not_lines(decision: Decision, lang: str) -> list[str]:
    """The rules of the case's decisions that did not apply, each with its reasons."""
    book, env = decision.book, decision._run.env
    shown = [miss for miss in decision.trace.not_applied
             if book.decisions[miss.decision].scope == "case"
             and miss.decision not in ("warnings",)]
    if not shown:
        return []
    lines = ["", _heading("word.why_not", lang)]
    for miss in shown:
        reasons = reason_texts(book, miss.failures, env, lang) or [
            i18n.text("word.shadowed", lang)]
        lines.append(f"  - {book.rule(miss.rule, decision.on).label[lang]}")
        lines.append(f"      {sentences(reasons)}")
    return lines


def checklist_lines(book: Rulebook, checklist: Checklist, lang: str) -> list[str]:
    c = i18n.colon(lang)
    if not checklist.items and not checklist.open:
        return [_heading("word.checklist", lang), "  " + i18n.text("word.no_documents", lang)]
    state = i18n.text("word.complete" if checklist.complete else "word.incomplete", lang)
    lines = [f"{i18n.text('word.checklist', lang)} ({state}){c.rstrip()}"]
    for item in checklist.items:
        lines.append(f"  [{i18n.text(f'status.{item.status}', lang)}] "
                     f"{book.requirements[item.requirement].label[lang]}")
        rule = book.rule(item.rule, checklist.on)
        lines.append(f"      {i18n.text('word.because', lang)}{c}{rule.label[lang]} "
                     f"[{', '.join(item.citations)}]")
        if item.satisfied_by is not None:
            kind = book.documents[item.satisfied_by.kind].label[lang]
            lines.append(f"      {i18n.text('word.satisfied_by', lang)}{c}{kind}")
        for finding in item.findings:
            if finding.status != "satisfied":
                kind = book.documents[finding.kind].label[lang]
                detail = finding_text(finding, lang)
                lines.append(f"      {kind}{c}{i18n.text(f'status.{finding.status}', lang)}"
                             + (f" ({detail})" if detail else ""))
    if checklist.blocked_step:
        lines.append(f"  {i18n.text('word.blocked_step', lang)}{c}"
                     f"{i18n.text(f'blocked.{checklist.blocked_step}', lang)}")
    if checklist.open:  # requirements that depend on answers not given yet
        lines.append(f"  {_heading('asking.may_be_needed', lang)}")
        lines += [f"    - {book.requirements[name].label[lang]}" for name in checklist.open]
    return lines


def printable(book: Rulebook, checklist: Checklist, lang: str) -> str:
    """A checklist to print: one box per requirement with its accepted documents."""
    lang = i18n.check_language(lang)
    title = i18n.text("word.checklist", lang)
    lines = [title, "=" * len(title)]
    if not checklist.items and not checklist.open:
        lines.append(i18n.text("word.no_documents", lang))
    for item in checklist.items:
        box = {"satisfied": "[x]", "to_check": "[?]"}.get(item.status, "[ ]")
        lines.append(f"{box} {book.requirements[item.requirement].label[lang]}"
                     f" ({i18n.text(f'status.{item.status}', lang)})")
        if len(item.one_of) > 1:
            lines.append(f"    {_heading('word.alternatives', lang)}")
        for kind in item.one_of:
            lines.append(f"      - {book.documents[kind].label[lang]}")
    if checklist.open:  # may be needed, depending on answers not given yet
        lines.append(_heading("asking.may_be_needed", lang))
        lines += [f"[?] {book.requirements[name].label[lang]}" for name in checklist.open]
    return i18n.typeset_lines(lines, lang)


def done_label(book: Rulebook, event: str, kind: str | None, lang: str) -> str:
    """A step done, naming its document: ``document uploaded – passport``."""
    label = event_name(book, event, lang)
    if kind is not None and kind in book.documents:
        label += f" – {book.documents[kind].label[lang]}"
    return label


def workflow_lines(book: Rulebook, flow: Workflow, env: dict[str, Any], lang: str) -> list[str]:
    """The journey: where the dossier stands, what was done, what comes next, what cannot
    be done yet and why (steps already done are listed as done, never as refused)."""
    c = i18n.colon(lang)
    stage = book.label(f"stage.{flow.stage}", lang) if flow.stage is not None else \
        i18n.text("asking.open", lang)
    lines = [f"{i18n.text('word.stage', lang)}{c}{stage}"]
    if flow.done:
        lines.append(_heading("word.done", lang))
        for done in flow.done:
            lines.append(f"  - {i18n.day(done.date, lang)}{c}"
                         f"{done_label(book, done.event, done.kind, lang)}")
    if flow.next_steps:
        lines.append(_heading("word.next_steps", lang))
        for step in flow.next_steps:
            spec = book.steps[step.step]
            who = i18n.text("word.who", lang, actor=i18n.text(f"actor.{step.actor}", lang))
            lines.append(f"  - {i18n.fill(spec.label[lang], env, lang)} ({who}) "
                         f"[{', '.join(step.citations)}]")
            lines.append(f"      {i18n.text('word.needs', lang)}{c}"
                         f"{i18n.fill(spec.needs[lang], env, lang)}")
            for name in step.requirements:
                lines.append(f"      {i18n.text('word.missing', lang)}{c}"
                             f"{book.requirements[name].label[lang]}")
    shown = [r for r in flow.refused_events if not r.other_route and not r.done]
    if shown:
        lines.append(_heading("word.refused", lang))
        for refused in shown:
            reasons = sentences(refusal_sentences(book, refused, env, lang))
            lines.append(f"  - {event_name(book, refused.event, lang)}{c}{reasons}")
    return [i18n.typeset(line, lang) for line in lines]


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
    parts = [f"<p><b>{html.escape(i18n.text('word.decision_on', lang, date=decision.on))}"
             "</b></p>", "<pre>" + html.escape(decision.summary(lang)) + "</pre>"]
    links = None
    if base_url is not None:
        from .links import check_base_url, decision_links

        links = decision_links(decision, check_base_url(base_url), lang)
    items = [[book.requirements[i.requirement].label[lang],
              i18n.text(f"status.{i.status}", lang), ", ".join(i.citations)]
             for i in decision.checklist.items]
    header = [i18n.text(f"table.{k}", lang) for k in ("requirement", "status", "sources")]
    if items and links is None:
        parts.append(html_table(header, items))
    elif items and links is not None:
        rules = [_link(links["rules"], i.rule) for i in decision.checklist.items]
        parts.append(html_table([*header, i18n.text("table.rule", lang)],
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
    lines = [f"<p>{html.escape(i18n.text('word.rules_applied', lang))}{c}</p>", "<ul>"]
    lines += [f"<li>{_link(links['rules'], rule)} "
              f"{html.escape(book.rule(rule, decision.on).label[lang])}</li>" for rule in fired]
    lines += ["</ul>", f"<p>{html.escape(i18n.text('word.parameters', lang))}{c}</p>", "<ul>"]
    lines += [f"<li>{_link(links['parameters'], name)} "
              f"{html.escape(book.parameters[name].label[lang])}</li>"
              for name in links["parameters"]]
    lines.append("</ul>")
    return "\n".join(lines)
