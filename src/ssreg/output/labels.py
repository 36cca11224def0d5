"""The Decision's JSON form, with the label of every code when a language is asked for.

Codes are for programs and never change with the language; labels are for people.
With ``lang``, each object carrying a code gets its label beside it (``label``,
``status_label``, ``text``...), rendered from the rulebook's trilingual labels and
:mod:`ssreg.output.i18n`, so a web page needs nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import Failure, jsonable
from ..rulebook.rulebook import Rulebook
from . import i18n
from .links import check_base_url, claim_links, decision_links


if TYPE_CHECKING:
    from ..pricing.results import ClaimError, ClaimResult
    from ..registration.decision import Decision, Notice
    from ..registration.documents import Checklist, DocumentFinding
    from ..registration.workflow import Workflow

#: the version of the JSON form of a Decision (docs/trace-schema.md)
SCHEMA = "ssreg.decision/2"


def source_dict(book: Rulebook, key: str) -> dict[str, Any]:
    """A source as a link: official pages by URL, the seed guide by section title."""
    source = book.sources[key]
    data: dict[str, Any] = {"key": key, "title": source.title}
    if source.url.startswith("seed:"):
        data["url"] = None
        data["document"] = "seed guide (the original registration guide), " + \
            source.title.removeprefix("Seed guide: ")
    else:
        data["url"] = source.url
    data["kind"] = source.kind
    if source.checked is not None:
        data["checked"] = source.checked.isoformat()
    if source.note:
        data["note"] = source.note
    return data


def failure_text(book: Rulebook, failure: Failure, lang: str) -> str:
    if failure.kind == "fact" and failure.name in book.facts:
        name = book.facts[failure.name].label[lang]
    elif failure.kind == "param" and failure.name in book.parameters:
        name = book.parameters[failure.name].label[lang]
    else:
        name = failure.name
    required = value_text(book, failure.name, failure.required, lang)
    actual = value_text(book, failure.name, failure.actual, lang)
    text = (f"{name} {i18n.text('is', lang)} {actual}, "
            f"{i18n.text('op.' + failure.op, lang)} {required}")
    if failure.negated:
        text += " " + i18n.text("negated", lang)
    return text


def value_text(book: Rulebook, name: str, value: Any, lang: str) -> str:
    """A fact's or a parameter's value as a person reads it (labels, country names)."""
    if isinstance(value, frozenset | set | tuple | list):
        return ", ".join(value_text(book, name, v, lang) for v in sorted(value, key=str))
    if isinstance(value, str):
        param = book.parameters.get(name)
        if param is not None and value in param.option_labels:
            return param.option_labels[value][lang]
        spec = book.facts.get(name)
        prefix = spec.prefix if spec is not None else name
        if f"{prefix}.{value}" in book.vocabulary:
            return book.label(f"{prefix}.{value}", lang)
        if spec is not None and spec.display == "country":
            return i18n.country_name(value, lang)
        if spec is not None and spec.display == "language":
            return i18n.language_name(value, lang)
    return i18n.show(value, lang)


def notice_text(book: Rulebook, notice: Notice, lang: str) -> str:
    if notice.rule is not None:
        template = book.label(f"warning.{notice.code}", lang)
    else:
        template = i18n.MESSAGES[f"notice.{notice.code}"][lang]
    return i18n.fill(template, notice.values, lang)


def finding_text(finding: DocumentFinding, lang: str) -> str:
    if not finding.detail:
        return ""
    values = dict(finding.values)
    if "language" in values:
        values["language"] = i18n.language_name(str(values["language"]), lang)
    if "country" in values:
        values["country"] = i18n.country_name(str(values["country"]), lang)
    return i18n.fill(i18n.MESSAGES[f"detail.{finding.detail}"][lang], values, lang)


def checklist_dict(book: Rulebook, checklist: Checklist, lang: str | None) -> dict[str, Any]:
    data = checklist.to_dict()
    if lang is None:
        return data
    if checklist.blocked_step:
        data["blocked_step_label"] = i18n.text(f"blocked.{checklist.blocked_step}", lang)
    for item, raw in zip(checklist.items, data["items"], strict=True):
        raw["label"] = book.requirements[item.requirement].label[lang]
        raw["status_label"] = i18n.text(f"status.{item.status}", lang)
        raw["one_of_labels"] = [book.documents[k].label[lang] for k in item.one_of]
        raw["rule_label"] = book.rule(item.rule, checklist.on).label[lang]
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


def workflow_dict(book: Rulebook, flow: Workflow, env: dict[str, Any],
                  lang: str | None) -> dict[str, Any]:
    data = flow.to_dict()
    if lang is None:
        return data
    data["stage_label"] = book.label(f"stage.{flow.stage}", lang)
    for done, raw in zip(flow.done, data["done"], strict=True):
        raw["event_label"] = book.events[done.event].label[lang] if done.event in \
            book.events else done.event
    for step, raw in zip(flow.next_steps, data["next_steps"], strict=True):
        spec = book.steps[step.step]
        raw["label"] = i18n.fill(spec.label[lang], env, lang)
        raw["needs"] = i18n.fill(spec.needs[lang], env, lang)
        raw["actor_label"] = i18n.text(f"actor.{step.actor}", lang)
        if step.requirements:
            raw["requirement_labels"] = [book.requirements[r].label[lang]
                                         for r in step.requirements]
    data["allowed_event_labels"] = [book.events[e].label[lang] for e in flow.allowed_events]
    for refused, raw in zip(flow.refused_events, data["refused_events"], strict=True):
        raw["label"] = book.events[refused.event].label[lang]
        raw["reasons"] = [failure_text(book, f, lang) for f in refused.failures]
        if refused.missing:
            raw["missing_labels"] = [book.requirements[r].label[lang] for r in refused.missing]
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
    if not result.ok:
        data["text"] = "; ".join(str(p) for p in result.problems)  # type: ignore[union-attr]
        return data
    priced: ClaimResult = result  # type: ignore[assignment]
    data["care_label"] = book.label(f"care.{priced.care}", lang)
    data["deduction_label"] = book.label(f"deduction.{priced.deduction_kind}", lang)
    data["flat_charge_label"] = book.label(f"flat_charge.{priced.flat_charge_kind}", lang)
    data["rule_labels"] = [book.rule(r, priced.date).label[lang] for r in priced.rules]
    for raw in data["parameters"]:
        raw["label"] = book.parameters[raw["name"]].label[lang]
    data["assumption_labels"] = [i18n.text(f"assumption.{a}", lang) for a in priced.assumptions]
    data["warning_labels"] = [i18n.text(f"warning_claim.{w}", lang) for w in priced.warnings]
    return data


def decision_dict(decision: Decision, lang: str | None,
                  base_url: str | None = None) -> dict[str, Any]:
    """The ``ssreg.decision/2`` JSON form of a Decision (see docs/trace-schema.md).

    With ``base_url`` (where the site of ``ssreg site`` is published) it also carries
    ``links``: the page of every rule and parameter it cites (:mod:`ssreg.output.links`).
    """
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
    data["outcomes"] = {k: jsonable(v) for k, v in decision.outcomes.items()}
    if lang is not None:
        data["outcome_labels"] = {
            name: _outcome_label(book, name, value, lang)
            for name, value in decision.outcomes.items()}
        data["summary"] = decision.summary(lang)
    data["checklist"] = checklist_dict(book, decision.checklist, lang)
    env = decision._run.env
    if decision.workflow is not None:
        data["workflow"] = workflow_dict(book, decision.workflow, env, lang)
    data["warnings"] = [_notice(book, n, lang) for n in decision.warnings]
    data["assumptions"] = [_notice(book, n, lang) for n in decision.assumptions]
    if decision.reimbursements is not None:
        section = decision.reimbursements.to_dict()
        section["claims"] = [claim_dict(book, r, lang, base_url)
                             for r in decision.reimbursements.results]
        data["reimbursements"] = section
    trace = decision.trace.to_dict()
    if lang is not None:
        for raw in trace["fired"]:
            raw["label"] = book.rule(raw["rule"], decision.on).label[lang]
        for raw, miss in zip(trace["not_applied"], decision.trace.not_applied, strict=True):
            raw["label"] = book.rule(raw["rule"], decision.on).label[lang]
            raw["reasons"] = [failure_text(book, f, lang) for f in miss.failures]
        for raw in trace["parameters"]:
            raw["label"] = book.parameters[raw["name"]].label[lang]
    data["trace"] = trace
    data["citations"] = {key: source_dict(book, key) for key in decision.citation_keys()}
    if base_url is not None:
        data["links"] = decision_links(decision, base_url, lang)
    return data


def _outcome_label(book: Rulebook, decision: str, value: Any, lang: str) -> Any:
    outputs = book.decisions[decision].outputs
    fact = outputs[0] if outputs else decision
    if isinstance(value, tuple):
        return [book.label(f"{fact}.{v}", lang) for v in value]
    return book.label(f"{fact}.{value}", lang)


def _notice(book: Rulebook, notice: Notice, lang: str | None) -> dict[str, Any]:
    data = notice.to_dict()
    if lang is not None:
        data["text"] = notice_text(book, notice, lang)
    return data
