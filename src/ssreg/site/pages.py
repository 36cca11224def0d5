"""What each page of the site shows: the context its template is given, per kind of page.

Every function takes the index (:class:`~ssreg.site.reference.Reference`), a key, the
language and ``href`` (the relative address of another page) and returns plain values
and escaped HTML (:class:`markupsafe.Markup`); the templates only lay them out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..output import i18n
from ..registration.documents import CHECK_PARAMETERS
from ..rulebook.conditions import comparisons
from ..rulebook.provenance import best_kind
from .charts import value_chart
from .journey import Edge, journey_svg
from .reference import Reference
from .words import (
    Href,
    condition,
    day,
    fill_gaps,
    in_force,
    outcome,
    period,
    shown,
    text,
    texts,
)


def source_view(ref: Reference, key: str, lang: str) -> dict[str, Any]:
    source = ref.book.sources[key]
    return {"key": key, "title": source.title, "kind": source.kind,
            "kind_label": i18n.text(f"source_kind.{source.kind}", lang),
            "url": source.url if source.url.startswith(("https://", "http://")) else None,
            "host": urlsplit(source.url).hostname or source.url,
            "checked": day(source.checked, lang) if source.checked else None}


def _sources(ref: Reference, keys: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    return [source_view(ref, key, lang) for key in keys if key in ref.book.sources]


def rule_list(ref: Reference, ids: tuple[str, ...] | list[str], lang: str) -> list[Any]:
    """``(id, label)`` of rules, the label of their newest version."""
    return [(rule_id, ref.latest(rule_id).label[lang]) for rule_id in ids]


def rule_page(ref: Reference, rule_id: str, lang: str, href: Href) -> dict[str, Any]:
    book = ref.book
    versions = ref.rules_by_id[rule_id]
    spec = book.decisions[versions[0].decision]
    shown_versions = []
    for rule in reversed(versions):
        reads = [(name, book.parameters[name].label[lang]) for name in
                 dict.fromkeys((*rule.parameters_read, *rule.reads)) if name in book.parameters]
        shown_versions.append({
            "period": in_force(rule.start, rule.end, lang), "label": rule.label[lang],
            "priority": rule.priority, "condition": condition(rule.when, book, lang, href),
            "outcome": outcome(rule, book, lang, href), "reads": reads,
            "sources": _sources(ref, rule.citations, lang), "origin": rule.origin})
    return {"id": rule_id, "title": versions[-1].label[lang], "decision": spec,
            "decision_label": spec.label[lang], "hit": text(f"hit_{spec.hit_policy}", lang),
            "versions": shown_versions}


def decision_page(ref: Reference, name: str, lang: str, href: Href) -> dict[str, Any]:
    book = ref.book
    spec = book.decisions[name]
    rules = []
    for rule_id in ref.rule_ids(name):
        versions = ref.rules_by_id[rule_id]
        rules.append({"id": rule_id, "label": versions[-1].label[lang],
                      "priority": versions[-1].priority,
                      "periods": [period(r.start, r.end, lang) for r in versions]})
    outputs = [book.facts[o].label[lang] if o in book.facts else o for o in spec.outputs]
    return {"name": name, "title": spec.label[lang], "hit": text(f"hit_{spec.hit_policy}", lang),
            "scope": text(f"scope_{spec.scope}", lang), "outputs": outputs, "rules": rules}


def parameter_page(ref: Reference, name: str, lang: str, href: Href) -> dict[str, Any]:
    book = ref.book
    param = book.parameters[name]
    rows = [{"period": period(v.start, v.end, lang), "value": shown(param, v.value, lang),
             "uncertain": v.uncertain, "note": v.note,
             "sources": _sources(ref, v.citations, lang)} for v in reversed(param.values)]
    options = [{"code": code, "label": param.option_labels[code][lang]
                if code in param.option_labels else code} for code in param.options]
    alternatives = [{"label": param.option_labels[code][lang] if code in param.option_labels
                     else code, "sources": _sources(ref, tuple(cites), lang)}
                    for code, cites in param.alternatives.items()]
    default = param.values[-1].value if param.values else None
    unit = f"unit.{param.unit}"
    return {"name": name, "title": param.label[lang], "rows": rows,
            "unit": text(unit, lang) if unit in texts() else param.unit,
            "chart": value_chart(param, lang, param.label[lang], book.meta.horizon),
            "options": options,
            "default": default, "alternatives": alternatives,
            "readers": rule_list(ref, ref.readers.get(name, ()), lang)}


def document_page(ref: Reference, name: str, lang: str, href: Href) -> dict[str, Any]:
    book = ref.book
    kind = book.documents[name]
    checks = []
    for check in kind.checks:
        words = text(f"check.{check}", lang) if f"check.{check}" in texts() else check
        params = [(p, book.parameters[p].label[lang]) for p in CHECK_PARAMETERS.get(check, ())
                  if p in book.parameters]
        checks.append({"text": words, "parameters": params})
    requirements = []
    for req_name in ref.requirements_of.get(name, ()):
        req = book.requirements[req_name]
        requirements.append({
            "label": req.label[lang],
            "stage": text(f"stage.{req.stage}", lang) if f"stage.{req.stage}" in texts()
            else req.stage, "informational": req.informational,
            "others": [(k, book.documents[k].label[lang]) for k in req.one_of if k != name],
            "rules": rule_list(ref, ref.rules_giving("requirement", req_name), lang)})
    return {"name": name, "title": kind.label[lang], "checks": checks,
            "requirements": requirements}


def _table(ref: Reference, edges: list[Edge], lang: str,
           highlight: str) -> list[dict[str, Any]]:
    book = ref.book
    return [{"before": book.label(f"stage.{a}", lang), "event": e,
             "event_label": book.events[e].label[lang], "after": book.label(f"stage.{b}", lang),
             "on": e == highlight} for a, e, b in edges]


def diagrams(ref: Reference, routes: dict[str, list[Edge]], lang: str,
             highlight: str = "") -> list[dict[str, Any]]:
    """The journey diagram and table of each route whose journey has ``highlight`` (every
    route with a journey when no event is highlighted)."""
    found = []
    for route, edges in routes.items():
        if not edges or (highlight and all(e != highlight for _, e, _ in edges)):
            continue
        found.append({"route": route, "label": ref.book.label(f"route.{route}", lang),
                      "svg": journey_svg(ref.book, route, edges, lang, highlight),
                      "rows": _table(ref, edges, lang, highlight)})
    return found


def step_page(ref: Reference, name: str, lang: str, href: Href,
              routes: dict[str, list[Edge]]) -> dict[str, Any]:
    book = ref.book
    step = book.steps[name]
    return {"name": name, "title": fill_gaps(step.label[lang]),
            "actor": i18n.text(f"actor.{step.actor}", lang),
            "needs": fill_gaps(step.needs[lang]), "event": step.event,
            "event_label": book.events[step.event].label[lang] if step.event else "",
            "rules": rule_list(ref, ref.rules_giving("step", name), lang),
            "sources": _sources(ref, step.citations, lang),
            "diagrams": diagrams(ref, routes, lang, step.event) if step.event else []}


def event_page(ref: Reference, name: str, lang: str, href: Href,
               routes: dict[str, list[Edge]]) -> dict[str, Any]:
    book = ref.book
    event = book.events[name]
    records = []
    for fact, value in event.sets.items():
        label = book.facts[fact].label[lang] if fact in book.facts else fact
        records.append(f"{label}{i18n.colon(lang)}{i18n.show(value, lang)}")
    if event.document:
        records.append(text("document_status", lang, status=i18n.text(
            f"document_status.{event.document}", lang)))
    if event.number:
        records.append(text(f"number.{event.number}", lang))
    if event.changes_case:
        records.append(text("changes_case", lang))
    refusals = [r for r in ref.rule_ids("event_refusals")
                if any(c.name == "event_type" and (c.value == name or (
                    c.op == "in" and name in c.value))
                       for v in ref.rules_by_id[r] for c in comparisons(v.when))] \
        if "event_refusals" in book.decisions else []
    stages = list(dict.fromkeys(book.label(f"stage.{b}", lang) for edges in routes.values()
                                for _, e, b in edges if e == name))
    return {"name": name, "title": event.label[lang],
            "actor": i18n.text(f"actor.{event.actor}", lang), "payload": event.payload,
            "records": records, "allowed": rule_list(ref, ref.rules_giving("event", name), lang),
            "refused": rule_list(ref, refusals, lang),
            "steps": [(s, fill_gaps(book.steps[s].label[lang]))
                      for s in ref.steps_of.get(name, ())], "stages": stages,
            "sources": _sources(ref, event.citations, lang),
            "diagrams": diagrams(ref, routes, lang, name)}


def route_page(ref: Reference, route: str, lang: str, href: Href,
               routes: dict[str, list[Edge]]) -> dict[str, Any]:
    book = ref.book
    edges = routes.get(route, [])
    return {"name": route, "title": book.label(f"route.{route}", lang),
            "rules": rule_list(ref, ref.rules_giving("route", route), lang),
            "documents": rule_list(ref, ref.rules_on_route("documents", route), lang),
            "steps": rule_list(ref, ref.rules_on_route("next_steps", route), lang)
            if "next_steps" in book.decisions else [],
            "diagram": journey_svg(book, route, edges, lang) if edges else Markup(""),
            "rows": _table(ref, edges, lang, "")}


def source_page(ref: Reference, key: str, lang: str, href: Href) -> dict[str, Any]:
    book = ref.book
    source = book.sources[key]
    citers = ref.cited_by[key]
    return {**source_view(ref, key, lang), "name": key, "note": source.note,
            "primary": source.primary,
            "rules": rule_list(ref, citers.rules, lang),
            "parameters": [(p, book.parameters[p].label[lang]) for p in citers.parameters],
            "facts": [book.facts[f].label[lang] for f in citers.facts],
            "events": [(e, book.events[e].label[lang]) for e in citers.events],
            "steps": [(s, fill_gaps(book.steps[s].label[lang])) for s in citers.steps],
            "horizon": citers.horizon, "count": citers.count}


def parameter_rows(ref: Reference, lang: str) -> list[dict[str, Any]]:
    """Every parameter with its newest value, for the list of values."""
    rows = []
    for name in sorted(ref.book.parameters, key=lambda n: ref.book.parameters[n].label[lang]):
        param = ref.book.parameters[name]
        last = param.values[-1] if param.values else None
        rows.append({"name": name, "label": param.label[lang],
                     "value": shown(param, last.value, lang) if last else "",
                     "period": period(last.start, last.end, lang) if last else "",
                     "kind": best_kind(ref.book.sources, last.citations) if last else ""})
    return rows


def law_change_rows(ref: Reference, lang: str) -> list[dict[str, Any]]:
    """The law changes, newest first, in words."""
    book = ref.book
    rows = []
    for change in book.law_changes():
        params = []
        for p in change.parameters:
            param = book.parameters[p.parameter]
            before = shown(param, p.before, lang) if p.before is not None else ""
            after = shown(param, p.after, lang) if p.after is not None else ""
            key = ("value.changes" if before and after else "value.starts" if after
                   else "value.ends")
            params.append({"name": p.parameter, "label": param.label[lang],
                           "change": text(key, lang, before=before, after=after)})
        rules = [{"id": r.rule, "label": ref.latest(r.rule).label[lang],
                  "change": text(f"change.{r.change}", lang)} for r in change.rules]
        rows.append({"date": day(change.effective, lang), "iso": change.effective.isoformat(),
                     "parameters": params, "rules": rules,
                     "sources": _sources(ref, change.sources, lang)})
    return rows
