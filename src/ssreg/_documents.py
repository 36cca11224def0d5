"""The document checklist: which evidence is required and what the supplied copies are worth.

Requirements come from the ``documents`` decision (rules switch requirement groups on);
each supplied document of an accepted kind is checked on the evaluation date (expiry,
academic year, translation, IBAN, resources).  Statuses, from best to worst:
``satisfied``, ``needs_translation``, ``wrong_academic_year``, ``expired``,
``insufficient``, ``invalid``, ``rejected``, ``missing``; informational items are
``to_check`` and never block.  The result does not depend on the order documents are
given in.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from . import _i18n as i18n
from ._facts import academic_year
from ._model import Case, Document
from ._rulebook import Requirement, Rulebook
from .exceptions import InvalidCaseError, Problem


if TYPE_CHECKING:
    from ._evaluate import DecisionRun

PROBLEM_ORDER = ("needs_translation", "wrong_academic_year", "expired", "insufficient",
                 "invalid", "rejected")
STATUS_LABELS: dict[str, dict[str, str]] = {
    "satisfied": {"en": "OK", "fr": "OK", "es": "OK"},
    "missing": {"en": "missing", "fr": "manquant", "es": "falta"},
    "expired": {"en": "expired", "fr": "expiré", "es": "caducado"},
    "wrong_academic_year": {"en": "not for the current academic year",
                            "fr": "pas pour l'année universitaire en cours",
                            "es": "no es del curso académico actual"},
    "needs_translation": {"en": "needs a certified translation",
                          "fr": "traduction certifiée nécessaire",
                          "es": "necesita una traducción jurada"},
    "rejected": {"en": "rejected", "fr": "refusé", "es": "rechazado"},
    "invalid": {"en": "invalid", "fr": "invalide", "es": "no válido"},
    "insufficient": {"en": "below the minimum amount", "fr": "inférieur au minimum",
                     "es": "por debajo del mínimo"},
    "to_check": {"en": "to check", "fr": "à vérifier", "es": "a comprobar"},
}
STEP_LABELS = {
    "provisional_certificate": {"en": "provisional certificate and number",
                                "fr": "attestation et numéro provisoires",
                                "es": "certificado y número provisionales"},
    "final_certificate": {"en": "final certificate", "fr": "attestation définitive",
                          "es": "certificado definitivo"},
}


@attrs.frozen
class DocumentFinding:
    """What one supplied document is worth for a requirement."""

    kind: str
    status: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "status": self.status}
        if self.detail:
            data["detail"] = self.detail
        return data


@attrs.frozen
class ChecklistItem:
    """One requirement group, why it applies, and how the supplied documents fare."""

    requirement: str
    status: str
    stage: str
    one_of: tuple[str, ...]
    rule: str
    citations: tuple[str, ...]
    informational: bool = False
    satisfied_by: DocumentFinding | None = None
    findings: tuple[DocumentFinding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "requirement": self.requirement, "status": self.status, "stage": self.stage,
            "one_of": list(self.one_of), "rule": self.rule, "citations": list(self.citations),
        }
        if self.informational:
            data["informational"] = True
        if self.satisfied_by is not None:
            data["satisfied_by"] = self.satisfied_by.to_dict()
        data["findings"] = [f.to_dict() for f in self.findings]
        return data


@attrs.frozen
class Checklist:
    """The required documents of a case, with ``complete`` and the step they block."""

    items: tuple[ChecklistItem, ...]
    complete: bool
    blocks: str | None
    on: date

    def to_dict(self) -> dict[str, Any]:
        return {"complete": self.complete, "blocks": self.blocks,
                "items": [i.to_dict() for i in self.items]}

    def citation_keys(self) -> set[str]:
        return {key for item in self.items for key in item.citations}

    def explain_lines(self, book: Rulebook, lang: str) -> list[str]:
        state = i18n.text("complete" if self.complete else "incomplete", lang)
        lines = [f"{i18n.text('checklist', lang)} ({state}){i18n.colon(lang).rstrip()}"]
        for item in self.items:
            lines.append(f"  [{STATUS_LABELS[item.status][lang]}] "
                         f"{book.requirements[item.requirement].label[lang]}")
            rule = book.rule(item.rule, self.on)
            lines.append(f"      {i18n.text('because', lang)}{i18n.colon(lang)}"
                         f"{rule.label[lang]} [{', '.join(item.citations)}]")
            if item.satisfied_by is not None:
                kind = book.documents[item.satisfied_by.kind].label[lang]
                lines.append(f"      {i18n.text('satisfied_by', lang)} {kind}")
            for finding in item.findings:
                if finding.status != "satisfied":
                    kind = book.documents[finding.kind].label[lang]
                    detail = f" ({finding.detail})" if finding.detail else ""
                    lines.append(f"      {kind}{i18n.colon(lang)}"
                                 f"{STATUS_LABELS[finding.status][lang]}{detail}")
        if self.blocks:
            lines.append(f"  {i18n.text('blocks_next', lang)}{i18n.colon(lang)}"
                         f"{STEP_LABELS[self.blocks][lang]}")
        return lines

    def printable(self, book: Rulebook, lang: str = "en") -> str:
        """A checklist to print: one box per requirement with its accepted documents."""
        lang = i18n.check_language(lang)
        lines = [i18n.text("checklist", lang), "=" * len(i18n.text("checklist", lang))]
        for item in self.items:
            box = {"satisfied": "[x]", "to_check": "[?]"}.get(item.status, "[ ]")
            lines.append(f"{box} {book.requirements[item.requirement].label[lang]}"
                         f" -- {STATUS_LABELS[item.status][lang]}")
            if len(item.one_of) > 1:
                lines.append(f"    {i18n.text('alternatives', lang)}{i18n.colon(lang).rstrip()}")
            for kind in item.one_of:
                lines.append(f"      - {book.documents[kind].label[lang]}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- checking


def check_document_kinds(case: Case, book: Rulebook) -> None:
    """Unknown document kinds are an input error naming the field."""
    problems = [
        Problem(f"documents[{i}].kind", f"unknown document kind {doc.kind!r}; known: "
                f"{', '.join(sorted(book.documents))}")
        for i, doc in enumerate(case.documents) if doc.kind not in book.documents
    ]
    if problems:
        raise InvalidCaseError(problems)


def _iban_problem(value: str | None, policy: str) -> str:
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    if not value:
        return "no IBAN value given"
    try:
        compact = iban.validate(value)
    except ValidationError as exc:
        return f"IBAN {value!r}: {getattr(exc, 'message', exc)}"
    if policy == "french_account" and not compact.startswith("FR"):
        return f"IBAN of a {compact[:2]} account; choice iban_policy = french_account"
    return ""


class _Checker:
    def __init__(self, run: DecisionRun) -> None:
        self.run = run
        self.on: date = run.on
        self.env = run.env

    def finding(self, doc: Document) -> DocumentFinding:
        kind = self.run.book.documents[doc.kind]
        if doc.status == "rejected":
            return DocumentFinding(doc.kind, "rejected", doc.rejection_reason or "")
        for check in kind.checks:
            problem = getattr(self, f"_{check}")(doc)
            if problem:
                return DocumentFinding(doc.kind, problem[0], problem[1])
        return DocumentFinding(doc.kind, "satisfied", doc.status)

    def _not_expired(self, doc: Document) -> tuple[str, str] | None:
        if doc.expires is not None and doc.expires < self.on:
            return "expired", doc.expires.isoformat()
        return None

    def _current_academic_year(self, doc: Document) -> tuple[str, str] | None:
        current = self.env["academic_year"]
        year = doc.academic_year
        if year is None and doc.issued is not None:
            year = academic_year(doc.issued, self.run.params("academic_year_start_month"))[0]
        if year is None:
            return "wrong_academic_year", "academic year not given"
        return None if year == current else ("wrong_academic_year", f"{year} != {current}")

    def _translation(self, doc: Document) -> tuple[str, str] | None:
        if doc.translated or doc.language == "fr":
            return None
        policy = self.run.params("translation_policy")
        european = self.env["eu_eea_swiss"]
        if (policy == "non_european_only" and european and doc.language
                not in self.run.params("translation_languages_for_europeans")):
            return None
        return "needs_translation", f"language {doc.language or 'not given'}"

    def _iban(self, doc: Document) -> tuple[str, str] | None:
        problem = _iban_problem(doc.iban, self.run.params("iban_policy"))
        return ("invalid", problem) if problem else None

    def _minimum_monthly_resources(self, doc: Document) -> tuple[str, str] | None:
        minimum = self.run.params("minimum_monthly_resources")
        if doc.monthly_amount is not None and doc.monthly_amount < minimum:
            return "insufficient", f"{doc.monthly_amount} < {minimum} EUR/month"
        return None


def _rank(finding: DocumentFinding) -> tuple[int, str, str]:
    order = -1 if finding.status == "satisfied" else PROBLEM_ORDER.index(finding.status)
    return order, finding.kind, finding.detail


def _item(req: Requirement, rule: Any, docs: tuple[Document, ...], checker: _Checker) -> (
    ChecklistItem
):
    common = {"requirement": req.name, "stage": req.stage, "one_of": req.one_of,
              "rule": rule.id, "citations": rule.citations}
    if req.informational:
        return ChecklistItem(status="to_check", informational=True, **common)
    findings = tuple(sorted({checker.finding(d) for d in docs if d.kind in req.one_of},
                            key=_rank))
    if not findings:
        return ChecklistItem(status="missing", **common)
    best = findings[0]
    return ChecklistItem(status=best.status, findings=findings,
                         satisfied_by=best if best.status == "satisfied" else None, **common)


def build_checklist(case: Case, run: DecisionRun) -> Checklist | None:
    """The checklist of the ``documents`` decision, or None when no requirement applies."""
    book = run.book
    if "documents" not in book.decisions:
        return None
    fired = [f for f in run.fired if f.decision == "documents"]
    if not fired:
        return None
    rules = {r.id: r for r in book.rules_of("documents") if r.in_force(run.on)}
    checker = _Checker(run)
    items = tuple(
        _item(book.requirements[f.outcome["requirement"]], rules[f.rule], case.documents,
              checker)
        for f in fired
    )
    unmet = [i for i in items if not i.informational and i.status != "satisfied"]
    blocks = None
    if any(i.stage == "provisional" for i in unmet):
        blocks = "provisional_certificate"
    elif unmet:
        blocks = "final_certificate"
    return Checklist(items=items, complete=not unmet, blocks=blocks, on=run.on)

