"""Where the explanation site (``ssreg site``) puts each page, and the links of an answer.

The site has one page per rule, parameter, document kind, step, event, route, source and
decision table, in each language, at ``{base}/{lang}/{kind}/{slug}.html``; the slug is
the key itself where it is a safe file name, with any other character (the ``:`` of
``seed:step1``) replaced by ``-``.  This module is the one place that says so: the site
generator writes its files here, and a Decision or a priced claim asked for links with a
``base_url`` (``Decision.to_dict(base_url=...)``, ``ssreg evaluate --base-url``) points
at the same places.

>>> page_path("rules", "documents.identity", "fr")
'fr/rules/documents.identity.html'
>>> page_url("https://example.org/ssreg/", "sources", "seed:step1", "en")
'https://example.org/ssreg/en/sources/seed-step1.html'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .i18n import check_language


if TYPE_CHECKING:
    from ..pricing.results import ClaimResult
    from ..registration.decision import Decision

#: the kinds of pages, by the folder that holds them
PAGE_KINDS = ("rules", "parameters", "documents", "steps", "events", "routes", "sources",
              "decisions")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(key: str) -> str:
    """The file name (without ``.html``) of a key: safe characters kept, others ``-``.

    >>> slug("seed:step1"), slug("rate.consultation")
    ('seed-step1', 'rate.consultation')
    """
    return _UNSAFE.sub("-", key)


def page_path(kind: str, key: str, lang: str) -> str:
    """The path of a page under the site's root (``en/rules/route.online.html``)."""
    if kind not in PAGE_KINDS:
        raise ValueError(f"unknown page kind {kind!r}; known: {', '.join(PAGE_KINDS)}")
    return f"{lang}/{kind}/{slug(key)}.html"


def page_url(base_url: str, kind: str, key: str, lang: str) -> str:
    """The address of a page on a site published at ``base_url``."""
    return f"{base_url.rstrip('/')}/{page_path(kind, key, lang)}"


def _links(base_url: str, lang: str, rules: Iterable[str],
           parameters: Iterable[str]) -> dict[str, dict[str, str]]:
    lang = check_language(lang)
    return {"rules": {r: page_url(base_url, "rules", r, lang) for r in sorted(set(rules))},
            "parameters": {p: page_url(base_url, "parameters", p, lang)
                           for p in sorted(set(parameters))}}


def decision_links(decision: Decision, base_url: str,
                   lang: str | None) -> dict[str, dict[str, str]]:
    """The page of every rule and parameter a Decision cites: the rules that fired and
    those that did not (with why), the checklist's, the journey's and the warnings'
    rules, every parameter read or compared, and those of its priced claims.

    Pages are in ``lang`` (English when no language is asked for).
    """
    trace = decision.trace
    rules = [f.rule for f in trace.fired] + [n.rule for n in trace.not_applied]
    params = [p.name for p in trace.parameters]
    params += [f.name for n in trace.not_applied for f in n.failures if f.kind == "param"]
    rules += [item.rule for item in decision.checklist.items]
    rules += [n.rule for n in (*decision.warnings, *decision.assumptions) if n.rule]
    flow = decision.workflow
    if flow is not None:
        rules += [*([flow.stage_rule] if flow.stage_rule else []),
                  *(s.rule for s in flow.next_steps)]
        for refused in flow.refused_events:
            rules += refused.rules
            params += [f.name for f in refused.failures if f.kind == "param"]
    if decision.reimbursements is not None:
        for result in decision.reimbursements.results:
            if result.ok:
                rules += result.rules  # type: ignore[union-attr]
                params += [name for name, _ in result.parameters]  # type: ignore[union-attr]
    return _links(base_url, lang or "en", rules, params)


def claim_links(result: ClaimResult, base_url: str,
                lang: str | None) -> dict[str, dict[str, str]]:
    """The page of every rule and parameter a priced claim cites."""
    return _links(base_url, lang or "en", result.rules, [n for n, _ in result.parameters])


def check_base_url(base_url: Any) -> str:
    """A base URL as given (``https://...``, ``http://...`` or a path such as ``/ssreg``),
    or an :class:`~ssreg.InvalidInputError` naming ``base_url``."""
    if isinstance(base_url, str) and base_url.strip() == base_url and base_url and (
            re.match(r"https?://[^\s/]+", base_url) or base_url.startswith("/")) and \
            not re.search(r"[\s\"'<>?#]", base_url):
        return base_url
    from ..exceptions import InvalidInputError, Problem
    from ..model.limits import excerpt

    raise InvalidInputError([Problem("base_url", "expected the address the site is published "
                                     "at (http://..., https://... or a path starting with /, "
                                     f"without spaces, quotes, ? or #), got {excerpt(base_url)}")])
