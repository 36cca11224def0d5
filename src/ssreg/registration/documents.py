"""The document checklist: which evidence is required and what the supplied copies are worth.

Requirements come from the ``documents`` decision (rules switch requirement groups on);
each supplied document of an accepted kind is checked on the evaluation date against
the academic year applied for (expiry, academic year, translation, IBAN, resources).
Statuses, from best to worst: ``satisfied``, ``needs_translation``,
``wrong_academic_year``, ``expired``, ``insufficient``, ``invalid``, ``rejected``,
``missing``; informational items are ``to_check`` and never block.  The result does not
depend on the order documents are given in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from ..model.models import Document
from ..rulebook.facts import academic_year
from ..rulebook.rulebook import Requirement, Rule, Rulebook


PROBLEM_ORDER = ("needs_translation", "wrong_academic_year", "expired", "insufficient",
                 "invalid", "rejected")
STATUSES = ("satisfied", *PROBLEM_ORDER, "missing", "to_check")
STEPS_BLOCKED = ("provisional_certificate", "final_certificate")


@attrs.frozen
class DocumentFinding:
    """What one supplied document is worth for a requirement.

    ``detail`` is a code with values (``("expired_on", {"date": ...})``) so that every
    language can render it; ``document_status`` is where the copy stands (held,
    uploaded, accepted, rejected).
    """

    kind: str
    status: str
    detail: str = ""
    values: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)
    document_status: str = "held"

    def to_dict(self) -> dict[str, Any]:
        from ..rulebook.conditions import jsonable

        data: dict[str, Any] = {"kind": self.kind, "status": self.status,
                                "document_status": self.document_status}
        if self.detail:
            data["detail"] = self.detail
            data["values"] = {k: jsonable(v) for k, v in self.values.items()}
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

    @property
    def met(self) -> bool:
        return self.informational or self.status == "satisfied"

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
    """The required documents of a case, with ``complete`` and the step they block.

    ``blocked_step`` is the next step of the registration that missing or invalid
    documents hold up (``provisional_certificate`` or ``final_certificate``), or None.
    """

    items: tuple[ChecklistItem, ...]
    complete: bool
    blocked_step: str | None
    on: date
    #: requirements that may apply, depending on facts not given (see Decision.questions)
    open: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"complete": self.complete, "blocked_step": self.blocked_step,
                                "items": [i.to_dict() for i in self.items]}
        if self.open:
            data["open"] = list(self.open)
        return data

    def citation_keys(self) -> set[str]:
        return {key for item in self.items for key in item.citations}

    def unmet(self, stage: str | None = None, *, submitted: bool = False) -> list[ChecklistItem]:
        """Requirements not met (of one stage), counting only uploaded copies if ``submitted``."""
        out = []
        for item in self.items:
            if item.informational or (stage is not None and item.stage != stage):
                continue
            met = item.status == "satisfied" and (
                not submitted or (item.satisfied_by is not None
                                  and item.satisfied_by.document_status in ("uploaded",
                                                                            "accepted")))
            if not met:
                out.append(item)
        return out


# --------------------------------------------------------------------------- checking


def _iban_problem(value: str | None, policy: str) -> tuple[str, dict[str, Any]] | None:
    from stdnum import iban
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength

    if not value:
        return "iban_missing", {}
    try:
        compact = iban.validate(value)
    except InvalidChecksum:
        return "iban_checksum", {}
    except InvalidLength:
        return "iban_length", {}
    except InvalidComponent:
        return "iban_country", {}
    except Exception:  # stdnum's InvalidFormat and anything else it finds wrong
        return "iban_format", {}
    if policy == "french_account" and not compact.startswith("FR"):
        return "iban_not_french", {"country": compact[:2]}
    return None


class DocumentChecker:
    """Judges documents on a date, against the academic year applied for."""

    def __init__(self, book: Rulebook, on: date, env: Mapping[str, Any],
                 param: Callable[[str], Any]) -> None:
        self.book, self.on, self.env, self.param = book, on, env, param

    def finding(self, doc: Document) -> DocumentFinding:
        kind = self.book.documents[doc.kind]
        if doc.status == "rejected":
            return DocumentFinding(doc.kind, "rejected", "rejected_because" if
                                   doc.rejection_reason else "",
                                   {"reason": doc.rejection_reason or ""}, doc.status)
        for check in kind.checks:
            problem = getattr(self, f"_{check}")(doc)
            if problem:
                status, detail, values = problem
                return DocumentFinding(doc.kind, status, detail, values, doc.status)
        return DocumentFinding(doc.kind, "satisfied", document_status=doc.status)

    def _not_expired(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        if doc.expires is not None and doc.expires < self.on:
            return "expired", "expired_on", {"date": doc.expires}
        return None

    def _valid_for_academic_year(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        end = self.env["academic_year_end"]
        if doc.expires is None or doc.expires < end:
            return "expired", "ends_before_year_end", {"date": doc.expires, "end": end}
        return None

    def _current_academic_year(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        current = self.env["academic_year"]
        year = doc.academic_year
        if year is None and doc.issued is not None:
            year = academic_year(doc.issued, self.param("academic_year_start_month"))[0]
        if year is None:
            return "wrong_academic_year", "academic_year_not_given", {"expected": current}
        if year != current:
            return "wrong_academic_year", "academic_year_differs", {"year": year,
                                                                     "expected": current}
        return None

    def _translation(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        if doc.translated or doc.language == "fr":
            return None
        policy = self.param("translation_policy")
        european = self.env["eu_eea_swiss"]
        if (policy == "non_european_only" and european and doc.language
                not in self.param("translation_languages_for_europeans")):
            return None
        if doc.language is None:
            return "needs_translation", "language_not_given", {}
        return "needs_translation", "language", {"language": doc.language}

    def _iban(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        problem = _iban_problem(doc.iban, self.param("iban_policy"))
        return ("invalid", *problem) if problem else None

    def _minimum_monthly_resources(self, doc: Document) -> tuple[str, str, dict[str, Any]] | None:
        minimum = self.param("minimum_monthly_resources")
        if doc.monthly_amount is not None and doc.monthly_amount < minimum:
            return "insufficient", "below_minimum", {"amount": doc.monthly_amount,
                                                     "minimum": minimum}
        return None


#: the parameters each document check reads (the site links a check to their pages)
CHECK_PARAMETERS: dict[str, tuple[str, ...]] = {
    "current_academic_year": ("academic_year_start_month",),
    "translation": ("translation_policy", "translation_languages_for_europeans"),
    "iban": ("iban_policy",),
    "minimum_monthly_resources": ("minimum_monthly_resources",),
}


def _rank(finding: DocumentFinding) -> tuple[int, str, str, str]:
    order = -1 if finding.status == "satisfied" else PROBLEM_ORDER.index(finding.status)
    return order, finding.kind, finding.detail, finding.document_status


def _item(req: Requirement, rule: Rule, docs: Iterable[Document],
          checker: DocumentChecker) -> ChecklistItem:
    relevant = [d for d in docs if d.kind in req.one_of]
    if req.informational or not relevant:  # the item depends only on the rule: kept
        memo: dict[tuple[Rule, str], ChecklistItem] = checker.book.memo().setdefault(
            "checklist_items", {})
        found = memo.get((rule, req.name))
        if found is None:
            found = memo[rule, req.name] = ChecklistItem(
                status="to_check" if req.informational else "missing",
                informational=req.informational, requirement=req.name, stage=req.stage,
                one_of=req.one_of, rule=rule.id, citations=rule.citations)
        return found
    findings = tuple(sorted({checker.finding(d) for d in relevant}, key=_rank))
    best = findings[0]
    return ChecklistItem(status=best.status, findings=findings,
                         satisfied_by=best if best.status == "satisfied" else None,
                         requirement=req.name, stage=req.stage, one_of=req.one_of,
                         rule=rule.id, citations=rule.citations)


#: the routes whose journey has the certificates a missing document holds up
CERTIFICATE_ROUTES = ("online",)


def build_checklist(book: Rulebook, fired: Iterable[Rule], documents: Iterable[Document],
                    checker: DocumentChecker, route: str | None = "online",
                    maybe: Iterable[Rule] = ()) -> Checklist:
    """The checklist of the requirement rules that fired (possibly empty, then complete);
    the requirements of the rules that ``maybe`` apply are listed as open (and the
    checklist is not complete while any is).

    ``blocked_step`` is only given on a route that has the provisional and final
    certificates (the online registration): a private insurance or an EHIC has no
    such step to hold up.
    """
    docs = tuple(documents)
    items = tuple(_item(book.requirements[rule.outcome["requirement"]], rule, docs, checker)
                  for rule in fired)
    settled = {i.requirement for i in items}
    open_ = tuple(dict.fromkeys(r.outcome["requirement"] for r in maybe
                                if r.outcome["requirement"] not in settled))
    unmet = [i for i in items if not i.met]
    blocked = None
    if route in CERTIFICATE_ROUTES and unmet:
        provisional = any(i.stage == "provisional" for i in unmet)
        blocked = "provisional_certificate" if provisional else "final_certificate"
    return Checklist(items=items, complete=not unmet and not open_, blocked_step=blocked,
                     on=checker.on, open=open_)
