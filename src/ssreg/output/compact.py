"""The compact JSON form of a Decision: what a front end shows, without the trace.

``Decision.to_dict(lang, form="compact")`` (``ssreg evaluate --json --form compact``,
``ssreg batch --form compact``) keeps the conclusions (route, blocks, top-up), the
checklist's items and statuses, where the dossier stands and its next steps, the
warnings and assumptions by code, the reimbursement totals, what is not known yet
(``unknown``, ``open``, the checklist's ``open`` requirements) and the questions that
would settle it (fact, kind of answer, what it settles, its answers), and, with a
language, their
labels (each status and actor named once, in ``labels``) and the summary in its
sections.  It leaves out the trace (rules fired and not applied, facts, parameters), the
findings of each document, the refused events and the citations: the full form
(``ssreg.decision/3``) has them, and what each answer to a question would give.  Its
schema is ``ssreg.decision-compact/1`` (``docs/schemas/decision-compact.schema.json``).

>>> import ssreg, json
>>> d = ssreg.evaluate({"student": {"birth_date": "2004-03-01", "nationality": "BR",
...     "country_of_birth": "BR", "stay_months": 10, "enrolled_in_french_institution": True,
...     "previously_affiliated": False, "salaried": False, "andorran_insured": False}},
...     on="2026-09-15")
>>> small = d.to_dict("en", form="compact")
>>> small["schema"], small["outcomes"]["route"], "trace" in small
('ssreg.decision-compact/1', 'online', False)
>>> len(json.dumps(small)) * 10 <= len(json.dumps(d.to_dict("en")))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..rulebook.conditions import jsonable
from . import i18n
from .labels import notice_text, outcome_labels


if TYPE_CHECKING:
    from ..registration.decision import Decision
    from ..registration.questions import Question

SCHEMA = "ssreg.decision-compact/1"
#: outcomes given elsewhere in the compact form (the checklist, warnings, sections)
LISTED = ("documents", "warnings", "dossier_warnings", "next_steps", "events",
          "event_refusals")


def compact_dict(decision: Decision, lang: str | None) -> dict[str, Any]:
    """The ``ssreg.decision-compact/1`` form (see docs/trace-schema.md)."""
    from .summary import sections

    if lang is not None:
        lang = i18n.check_language(lang)
    book = decision.book
    data: dict[str, Any] = {"schema": SCHEMA, "on": decision.on.isoformat(),
                            "rulebook": book.fingerprint,
                            "rulebook_version": book.version.version}
    if lang is not None:
        data["lang"] = lang
    data["academic_year"] = decision.academic_year
    data["unknown"] = decision.unknown
    data["outcomes"] = {k: jsonable(v) for k, v in decision.outcomes.items()
                        if k not in LISTED}
    if lang is not None:  # the labels of the route, blocks and top-up; the summary's parts
        data["outcome_labels"] = {k: v for k, v in outcome_labels(decision, lang).items()
                                  if k not in LISTED}
        data["sections"] = [s.to_dict() for s in sections(decision, lang)]
    data["open"] = {k: jsonable(v) for k, v in decision.open.items() if k not in LISTED}
    data["questions"] = [_question(decision, q, lang) for q in decision.questions]
    checklist = decision.checklist
    items = []
    for item in checklist.items:
        raw: dict[str, Any] = {"requirement": item.requirement, "status": item.status}
        if lang is not None:
            raw["label"] = i18n.typeset(book.requirements[item.requirement].label[lang], lang)
        items.append(raw)
    data["checklist"] = {"complete": checklist.complete,
                         "blocked_step": checklist.blocked_step, "items": items}
    if checklist.open:  # requirements that depend on answers not given
        data["checklist"]["open"] = list(checklist.open)
    flow = decision.workflow
    if flow is not None:
        steps = []
        for step in flow.next_steps:
            raw = {"step": step.step, "actor": step.actor}
            if lang is not None:
                raw["label"] = i18n.typeset(i18n.fill(
                    book.steps[step.step].label[lang], decision._run.env, lang), lang)
            steps.append(raw)
        data["workflow"] = {"stage": flow.stage, "number_status": flow.number_status,
                            "next_steps": steps, "allowed_events": list(flow.allowed_events)}
        if lang is not None and flow.stage is not None:
            data["workflow"]["stage_label"] = i18n.typeset(
                book.label(f"stage.{flow.stage}", lang), lang)
    data["warnings"] = [{"code": n.code} for n in decision.warnings]  # texts: in sections
    data["assumptions"] = [{"code": n.code, **({"text": notice_text(book, n, lang)}
                                               if lang is not None else {})}
                           for n in decision.assumptions]
    if lang is not None:  # each status and actor named once
        data["labels"] = {
            "status": {s: i18n.text(f"status.{s}", lang)
                       for s in dict.fromkeys(i.status for i in checklist.items)},
            "actor": {a: i18n.text(f"actor.{a}", lang)
                      for a in dict.fromkeys(s.actor for s in (flow.next_steps if flow else ()))}}
    if decision.reimbursements is not None:
        section = decision.reimbursements.to_dict()
        data["reimbursements"] = {"claims": len(section["claims"]),
                                  "refused": sum(1 for c in section["claims"] if not c["ok"]),
                                  "totals": section["totals"]}
    return data


def _question(decision: Decision, question: Question, lang: str | None) -> dict[str, Any]:
    """A question without what each answer gives (the full form has it)."""
    from .asking import answer_label, question_text

    full = question.to_dict()
    data: dict[str, Any] = {key: full[key] for key in ("fact", "path", "type", "values",
                                                        "required", "settles") if key in full}
    if lang is not None:
        data["text"] = question_text(decision.book, question, lang)
        data["answer_labels"] = [i18n.typeset(answer_label(decision.book, question, a, lang),
                                              lang) for a in question.answers]
    return data
