"""The Decision: conclusions, trace and citations, with a versioned JSON form and text.

``Decision.to_dict()`` follows the schema documented in ``docs/trace-schema.md``
(``"schema": "ssreg.decision/1"``).  ``Decision.explain(lang)`` renders the same content
as text in English, French or Spanish.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from . import _i18n as i18n
from ._conditions import Failure, _jsonable
from ._rulebook import FAR_FUTURE, Rulebook


if TYPE_CHECKING:
    from ._documents import Checklist
    from ._reports import Reimbursements

SCHEMA = "ssreg.decision/1"


@attrs.frozen
class FiredRule:
    """A rule whose condition held (and, for a first-hit table, came first)."""

    rule: str
    decision: str
    outcome: Mapping[str, Any]
    citations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "decision": self.decision,
                "outcome": {k: _jsonable(v) for k, v in self.outcome.items()},
                "citations": list(self.citations)}


@attrs.frozen
class RuleNotApplied:
    """A rule that did not fire, with each comparison that failed (the "why not")."""

    rule: str
    decision: str
    failures: tuple[Failure, ...]
    shadowed: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule, "decision": self.decision,
                                "failed": [f.to_dict() for f in self.failures]}
        if self.shadowed:
            data["shadowed"] = True
        return data


@attrs.frozen
class ParameterRead:
    """A parameter value that was used, with its period and citations."""

    name: str
    value: Any
    start: date
    end: date
    citations: tuple[str, ...]
    overridden: bool = False
    alternatives: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name, "value": _jsonable(self.value),
            "period": {"start": self.start.isoformat(),
                       "end": None if self.end == FAR_FUTURE else self.end.isoformat()},
            "citations": list(self.citations),
        }
        if self.overridden:
            data["overridden"] = True
        if self.alternatives:
            data["alternatives"] = {k: list(v) for k, v in self.alternatives.items()}
        return data


@attrs.frozen
class Trace:
    fired: tuple[FiredRule, ...]
    not_applied: tuple[RuleNotApplied, ...]
    parameters: tuple[ParameterRead, ...]
    facts: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "fired": [f.to_dict() for f in self.fired],
            "not_applied": [n.to_dict() for n in self.not_applied],
            "parameters": [p.to_dict() for p in self.parameters],
            "facts": {k: _jsonable(v) for k, v in sorted(self.facts.items())},
        }


@attrs.frozen(kw_only=True)
class Decision:
    """What ssreg concludes for a case on a date, why, and on which sources.

    ``route`` is the registration route, ``blocks`` the blocking conditions,
    ``checklist`` the required documents and ``reimbursements`` the priced claims.
    """

    on: date
    outcomes: Mapping[str, Any]
    trace: Trace
    checklist: Checklist | None = None
    reimbursements: Reimbursements | None = None
    book: Rulebook = attrs.field(eq=False, repr=False)

    @property
    def route(self) -> str | None:
        """``online``, ``cpam``, ``no_registration`` or ``private_insurance``."""
        value = self.outcomes.get("route")
        return value if isinstance(value, str) else None

    @property
    def blocks(self) -> tuple[str, ...]:
        value = self.outcomes.get("blocks", ())
        return tuple(value)

    def citation_keys(self) -> list[str]:
        keys: set[str] = set()
        for fired in self.trace.fired:
            keys.update(fired.citations)
        for read in self.trace.parameters:
            keys.update(read.citations)
            for cites in read.alternatives.values():
                keys.update(cites)
        for section in (self.checklist, self.reimbursements):
            if section is not None:
                keys.update(section.citation_keys())
        return sorted(keys)

    def to_dict(self) -> dict[str, Any]:
        """The documented, versioned JSON form (``docs/trace-schema.md``)."""
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "on": self.on.isoformat(),
            "rulebook": self.book.fingerprint,
            "outcomes": {k: _jsonable(v) for k, v in self.outcomes.items()},
        }
        if self.checklist is not None:
            data["checklist"] = self.checklist.to_dict()
        if self.reimbursements is not None:
            data["reimbursements"] = self.reimbursements.to_dict()
        data["trace"] = self.trace.to_dict()
        data["citations"] = {
            key: self.book.sources[key].to_dict() for key in self.citation_keys()
        }
        return data

    def _repr_html_(self) -> str:
        """A notebook view: the outcomes, then the checklist and reimbursement tables."""
        from html import escape

        rows = "".join(
            f"<tr><th>{escape(self.book.decisions[name].label['en'])}</th>"
            f"<td>{escape(', '.join(value) if isinstance(value, tuple) else str(value))}</td>"
            "</tr>"
            for name, value in self.outcomes.items()
        )
        parts = [f"<p>Decision on {self.on.isoformat()}</p><table>{rows}</table>"]
        if self.checklist is not None:
            items = "".join(
                f"<tr><td>{escape(i.requirement)}</td><td>{escape(i.status)}</td>"
                f"<td>{escape(', '.join(i.citations))}</td></tr>" for i in self.checklist.items)
            parts.append(f"<table><tr><th>requirement</th><th>status</th><th>sources</th>"
                         f"</tr>{items}</table>")
        if self.reimbursements is not None:
            parts.append(self.reimbursements._repr_html_())
        return "\n".join(parts)

    def explain(self, lang: str = "en") -> str:
        """Readable text in ``"en"``, ``"fr"`` or ``"es"``, every conclusion with its sources."""
        lang = i18n.check_language(lang)
        book = self.book
        lines = [i18n.text("decision_on", lang, date=i18n.day(self.on, lang))]
        for fired in self.trace.fired:
            if fired.decision == "documents" and self.checklist is not None:
                continue  # shown item by item in the checklist section
            spec = book.decisions[fired.decision]
            rule = book.rule(fired.rule, self.on)
            for key, value in fired.outcome.items():
                lines.append(f"{spec.label[lang]}{i18n.colon(lang)}"
                             f"{book.label(f'{key}.{value}', lang)}")
            lines.append(f"  {i18n.text('because', lang)}{i18n.colon(lang)}{rule.label[lang]} "
                         f"[{', '.join(fired.citations)}]")
        for section in (self.checklist, self.reimbursements):
            if section is not None:
                lines.append("")
                lines.extend(section.explain_lines(book, lang))
        if self.trace.not_applied:
            lines += ["", i18n.text("why_not", lang) + i18n.colon(lang).rstrip()]
            for miss in self.trace.not_applied:
                reasons = "; ".join(_failure_text(book, f, lang) for f in miss.failures)
                lines.append(f"  - {miss.rule}{i18n.colon(lang)}{reasons}")
        if self.trace.parameters:
            lines += ["", i18n.text("parameters", lang) + i18n.colon(lang).rstrip()]
            for read in self.trace.parameters:
                lines.append("  - " + _parameter_text(book, read, lang))
        lines += ["", i18n.text("sources", lang) + i18n.colon(lang).rstrip()]
        for key in self.citation_keys():
            source = book.sources[key]
            lines.append(f"  [{key}] {source.title} <{source.url}>")
        return "\n".join(lines)


def _failure_text(book: Rulebook, failure: Failure, lang: str) -> str:
    if failure.kind == "fact" and failure.name in book.facts:
        name = book.facts[failure.name].label[lang]
    elif failure.kind == "param" and failure.name in book.parameters:
        name = failure.name
    else:
        name = failure.name
    text = (f"{name} {i18n.text('is', lang)} {i18n.value(failure.actual, lang)}, "
            f"{i18n.text('op.' + failure.op, lang)} {i18n.value(failure.required, lang)}")
    if failure.negated:
        text += " " + i18n.text("negated", lang)
    return text


def _parameter_text(book: Rulebook, read: ParameterRead, lang: str) -> str:
    param = book.parameters[read.name]
    text = f"{param.label[lang]} = {i18n.value(read.value, lang)}"
    if read.overridden:
        text += f" ({i18n.text('overridden', lang)})"
    else:
        period = i18n.text("since", lang, date=i18n.day(read.start, lang))
        if read.end != FAR_FUTURE:
            period += ", " + i18n.text("until", lang, date=i18n.day(read.end, lang))
        text += f" ({period}) [{', '.join(read.citations)}]"
    for option, cites in read.alternatives.items():
        text += f"; {i18n.text('disputed', lang)} {option} [{', '.join(cites)}]"
    return text
