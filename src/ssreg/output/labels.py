"""The Decision's JSON forms, with the label of every code when a language is asked for.

Codes are for programs and never change with the language; labels are for people.
With ``lang``, each object carrying a code gets its label beside it (``label``,
``status_label``, ``text``, ``reasons``...), rendered from the rulebook's trilingual labels
and reasons and the catalogue, typeset for the language, so a web page needs nothing else.
The full form (``ssreg.decision/3``) carries the trace; the compact form
(:mod:`ssreg.output.compact`) only what a front end shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import jsonable
from ..rulebook.rulebook import Rulebook
from . import i18n
from .links import check_base_url, claim_links, decision_links
from .reasons import reason_texts, refusal_sentences
from .sources import source_dict


if TYPE_CHECKING:
    from ..pricing.results import ClaimError, ClaimResult
    from ..registration.decision import Decision, Notice
    from ..registration.documents import Checklist, DocumentFinding
    from ..registration.workflow import Workflow

#: the version of the full JSON form of a Decision (docs/trace-schema.md)
SCHEMA = "ssreg.decision/3"


def notice_text(book: Rulebook, notice: Notice, lang: str) -> str:
    if notice.rule is not None:
        template = book.label(f"warning.{notice.code}", lang)
    elif notice.code == "assumed":  # a fact not given, taken at its default
        from .asking import notice_text as assumed

        return str(assumed(book, notice, lang))
    else:
        template = i18n.text(f"notice.{notice.code}", lang)
    return i18n.typeset(i18n.fill(template, notice.values, lang), lang)


def finding_text(finding: DocumentFinding, lang: str) -> str:
    if not finding.detail:
        return ""
    values = dict(finding.values)
    if "language" in values:
        values["language"] = i18n.language_name(str(values["language"]), lang)
    if "country" in values:
        values["country"] = i18n.country_name(str(values["country"]), lang)
    return i18n.typeset(i18n.fill(i18n.text(f"detail.{finding.detail}", lang), values, lang),
                        lang)


def item_labels(book: Rulebook, item: Any, raw: dict[str, Any], lang: str) -> None:
    """The labels of a checklist item (used by the full and the compact forms)."""
    raw["label"] = i18n.typeset(book.requirements[item.requirement].label[lang], lang)
    raw["status_label"] = i18n.text(f"status.{item.status}", lang)


def checklist_dict(book: Rulebook, checklist: Checklist, lang: str | None) -> dict[str, Any]:
    data = checklist.to_dict()
    if lang is None:
        return data
    if checklist.open:  # requirements that depend on answers not given
        data["open_labels"] = [i18n.typeset(book.requirements[r].label[lang], lang)
                               for r in checklist.open]
    if checklist.blocked_step:
        data["blocked_step_label"] = i18n.text(f"blocked.{checklist.blocked_step}", lang)
    for item, raw in zip(checklist.items, data["items"], strict=True):
        item_labels(book, item, raw, lang)
        raw["one_of_labels"] = [book.documents[k].label[lang] for k in item.one_of]
        raw["rule_label"] = i18n.typeset(book.rule(item.rule, checklist.on).label[lang], lang)
        for finding, raw_finding in zip(item.findings, raw["findings"], strict=True):
            _finding_labels(book, finding, raw_finding, lang)
        if item.satisfied_by is not None:
            _finding_labels(book, item.satisfied_by, raw["satisfied_by"], lang)
    return data


def _finding_labels(book: Rulebook, finding: DocumentFinding, raw: dict[str, Any],
                    lang: str) -> None:
    raw["kind_label"] = book.documents[finding.kind].label[lang]
    raw["status_label"] = i18n.text(f"status.{finding.status}", lang)
    raw["document_status_label"] = i18n.text(f"document_status.{finding.document_status}",
                                             lang)
    if finding.detail:
        raw["text"] = finding_text(finding, lang)


def step_labels(book: Rulebook, step: Any, env: dict[str, Any], raw: dict[str, Any],
                lang: str) -> None:
    """The labels of a next step (used by the full and the compact forms)."""
    spec = book.steps[step.step]
    raw["label"] = i18n.typeset(i18n.fill(spec.label[lang], env, lang), lang)
    raw["actor_label"] = i18n.text(f"actor.{step.actor}", lang)


def workflow_dict(book: Rulebook, flow: Workflow, env: dict[str, Any],
                  lang: str | None) -> dict[str, Any]:
    from .text import done_label

    data = flow.to_dict()
    if lang is None:
        return data
    t = i18n.typeset
    if flow.stage is not None:  # None: the stage depends on facts not given
        data["stage_label"] = t(book.label(f"stage.{flow.stage}", lang), lang)
    for done, raw in zip(flow.done, data["done"], strict=True):
        raw["event_label"] = done_label(book, done.event, done.kind, lang)
    for step, raw in zip(flow.next_steps, data["next_steps"], strict=True):
        step_labels(book, step, env, raw, lang)
        raw["needs"] = t(i18n.fill(book.steps[step.step].needs[lang], env, lang), lang)
        if step.requirements:
            raw["requirement_labels"] = [t(book.requirements[r].label[lang], lang)
                                         for r in step.requirements]
    data["allowed_event_labels"] = [book.events[e].label[lang] for e in flow.allowed_events]
    for refused, raw in zip(flow.refused_events, data["refused_events"], strict=True):
        raw["label"] = book.events[refused.event].label[lang]
        raw["reasons"] = [t(r, lang) for r in refusal_sentences(book, refused, env, lang)]
        if refused.missing:
            raw["missing_labels"] = [t(book.requirements[r].label[lang], lang)
                                     for r in refused.missing]
    return data


def claim_dict(book: Rulebook, result: ClaimResult | ClaimError,
               lang: str | None, base_url: str | None = None) -> dict[str, Any]:
    """A priced claim's JSON form (``lang``: with labels; ``base_url``: with the site's
    page of each rule and parameter it cites, under ``links``)."""
    data = result.to_dict()
    if base_url is not None and result.ok:
        cited: ClaimResult = result  # type: ignore[assignment]
        data["links"] = claim_links(cited, check_base_url(base_url), lang)
    if lang is None:
        return data
    t = i18n.typeset
    if not result.ok:
        problems = result.problems  # type: ignore[union-attr]
        data["text"] = t("; ".join(p.text(lang) for p in problems), lang)
        for raw, problem in zip(data["problems"], problems, strict=True):
            raw["text"] = t(problem.text(lang), lang)
        return data
    priced: ClaimResult = result  # type: ignore[assignment]
    data["care_label"] = book.label(f"care.{priced.care}", lang)
    data["deduction_label"] = book.label(f"deduction.{priced.deduction_kind}", lang)
    data["flat_charge_label"] = book.label(f"flat_charge.{priced.flat_charge_kind}", lang)
    data["rule_labels"] = [t(book.rule(r, priced.date).label[lang], lang) for r in priced.rules]
    for raw in data["parameters"]:
        raw["label"] = t(book.parameters[raw["name"]].label[lang], lang)
    data["assumption_labels"] = [t(book.label(f"assumption.{a}", lang), lang)
                                 for a in priced.assumptions]
    data["warning_labels"] = [i18n.text(f"warning_claim.{w}", lang) for w in priced.warnings]
    return data


def outcome_labels(decision: Decision, lang: str,
                   outcomes: dict[str, Any] | None = None) -> dict[str, Any]:
    """The label of each outcome (``outcomes``: other values, e.g. those still possible)."""
    book = decision.book
    # a warning's text reads values of the case (the end of the academic year...)
    values = {k: v for notice in decision.warnings for k, v in notice.values.items()}

    def label(key: str) -> str:
        return i18n.typeset(i18n.fill(book.label(key, lang), values, lang), lang)

    found: dict[str, Any] = {}
    for name, value in (decision.outcomes if outcomes is None else outcomes).items():
        outputs = book.decisions[name].outputs
        fact = outputs[0] if outputs else name
        if isinstance(value, tuple):
            found[name] = [label(f"{fact}.{v}") for v in value]
        else:
            found[name] = label(f"{fact}.{value}")
    return found


def decision_dict(decision: Decision, lang: str | None,
                  base_url: str | None = None) -> dict[str, Any]:
    """The ``ssreg.decision/3`` JSON form of a Decision (see docs/trace-schema.md).

    With ``base_url`` (where the site of ``ssreg site`` is published) it also carries
    ``links``: the page of every rule and parameter it cites (:mod:`ssreg.output.links`).
    """
    from .asking import question_dict
    from .summary import render, sections

    if lang is not None:
        lang = i18n.check_language(lang)
    if base_url is not None:
        base_url = check_base_url(base_url)
    book = decision.book
    version = book.version
    data: dict[str, Any] = {"schema": SCHEMA, "on": decision.on.isoformat(),
                            "rulebook": book.fingerprint,
                            "rulebook_version": version.version,
                            "rulebook_horizon": version.to_dict()["horizon"]}
    if lang is not None:
        data["lang"] = lang
    data["academic_year"] = decision.academic_year
    data["unknown"] = decision.unknown
    data["outcomes"] = {k: jsonable(v) for k, v in decision.outcomes.items()}
    data["open"] = {k: jsonable(v) for k, v in decision.open.items()}
    if lang is not None:
        data["outcome_labels"] = outcome_labels(decision, lang)
        data["open_labels"] = outcome_labels(decision, lang, {
            name: tuple(v for v in values if v is not None)
            for name, values in decision.open.items()})
        found = sections(decision, lang)
        data["summary"] = render(found, lang)
        data["sections"] = [s.to_dict() for s in found]
    data["questions"] = [question_dict(book, q, lang) for q in decision.questions]
    data["checklist"] = checklist_dict(book, decision.checklist, lang)
    env = decision._run.env
    if decision.workflow is not None:
        data["workflow"] = workflow_dict(book, decision.workflow, env, lang)
    data["warnings"] = [notice_dict(book, n, lang) for n in decision.warnings]
    data["assumptions"] = [notice_dict(book, n, lang) for n in decision.assumptions]
    if decision.reimbursements is not None:
        section = decision.reimbursements.to_dict()
        section["claims"] = [claim_dict(book, r, lang, base_url)
                             for r in decision.reimbursements.results]
        data["reimbursements"] = section
    trace = decision.trace.to_dict()
    if lang is not None:
        t = i18n.typeset
        for raw in trace["fired"]:
            raw["label"] = t(book.rule(raw["rule"], decision.on).label[lang], lang)
        for raw, miss in zip(trace["not_applied"], decision.trace.not_applied, strict=True):
            raw["label"] = t(book.rule(raw["rule"], decision.on).label[lang], lang)
            raw["reasons"] = [t(r, lang) for r in reason_texts(book, miss.failures, env, lang)]
        for raw in trace["parameters"]:
            raw["label"] = t(book.parameters[raw["name"]].label[lang], lang)
        for raw in trace["open"]:
            raw["label"] = t(book.rule(raw["rule"], decision.on).label[lang], lang)
    data["trace"] = trace
    data["citations"] = {key: source_dict(book, key, lang) for key in decision.citation_keys()}
    if base_url is not None:
        data["links"] = decision_links(decision, base_url, lang)
    return data


def notice_dict(book: Rulebook, notice: Notice, lang: str | None) -> dict[str, Any]:
    data = notice.to_dict()
    if lang is not None:
        data["text"] = notice_text(book, notice, lang)
    return data
