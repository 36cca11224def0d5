"""Write the site: every page of every language, the search indexes, the assets.

>>> import ssreg, tempfile
>>> from ssreg.site.build import build_site
>>> with tempfile.TemporaryDirectory() as out:
...     report = build_site(ssreg.default_rulebook(), out, languages=("fr",))
...     page = (report.out / "fr" / "rules" / "documents.identity.html").read_text("utf-8")
>>> '<html lang="fr"' in page and report.pages > 300
True
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from .._version import __version__
from ..exceptions import InvalidInputError, Problem
from ..output import i18n
from ..output.links import check_base_url, slug
from ..rulebook.rulebook import LANGUAGES, Rulebook
from ..rulebook.sources import SOURCE_KINDS
from . import pages
from .journey import Edge, route_edges
from .reference import Reference
from .search import search_index
from .words import day, fill_gaps, html, text, typography


#: the file that marks a folder as a site ssreg wrote (so a rebuild may clear it)
MARKER = "ssreg-site.json"
#: the folders of a language, one per kind of page
FOLDERS = ("rules", "decisions", "parameters", "documents", "steps", "events", "routes",
           "sources")


@attrs.frozen
class SiteReport:
    """What :func:`build_site` wrote: the folder, the number of HTML pages, the files."""

    out: Path
    pages: int
    languages: tuple[str, ...]
    files: tuple[str, ...]


def _jinja() -> Any:
    try:
        import jinja2
    except ImportError:  # pragma: no cover - the site extra is installed in tests
        raise InvalidInputError([Problem("site", "the site needs Jinja2: pip install "
                                                 "'ssreg[site]'")]) from None
    return jinja2


def _environment(lang: str) -> Any:
    jinja2 = _jinja()

    def finalize(value: Any) -> Any:
        if isinstance(value, jinja2.utils.markupsafe.Markup):
            return jinja2.utils.markupsafe.Markup(typography(str(value), lang))
        return typography(value, lang) if isinstance(value, str) else value

    env = jinja2.Environment(loader=jinja2.PackageLoader("ssreg.site", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             finalize=finalize, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.globals.update(t=lambda key, **values: text(key, lang, **values),
                       h=lambda key, **values: html(key, lang, **values),
                       day=lambda value: day(value, lang), slug=slug, gaps=fill_gaps,
                       colon=i18n.colon(lang),
                       names={code: text("language_name", code) for code in LANGUAGES},
                       kind_labels={kind: i18n.text(f"source_kind.{kind}", lang)
                                    for kind in SOURCE_KINDS})
    return env


def _check(book: Rulebook, languages: Iterable[str], base_url: str | None) -> tuple[str, ...]:
    problems = []
    chosen = tuple(dict.fromkeys(languages))
    for i, lang in enumerate(chosen):
        if lang not in LANGUAGES:
            problems.append(Problem(f"languages[{i}]", f"expected one of "
                                    f"{', '.join(LANGUAGES)}, got {lang!r}"))
    if not chosen:
        problems.append(Problem("languages", "expected at least one language"))
    ref = Reference.of(book)
    keys = {"rules": ref.rules_by_id, "parameters": book.parameters,
            "documents": book.documents, "steps": book.steps, "events": book.events,
            "routes": ref.routes, "sources": book.sources, "decisions": book.decisions}
    for kind, names in keys.items():
        seen: dict[str, str] = {}
        for name in names:
            page = slug(name)
            if page in seen or page == "index":
                other = "the list" if page == "index" else seen[page]
                problems.append(Problem(f"{kind}.{name}", f"its page {page}.html would "
                                        f"overwrite {other}'s; rename it"))
            seen[page] = name
    if problems:
        raise InvalidInputError(problems)
    if base_url is not None:
        check_base_url(base_url)
    return chosen


def _pages(ref: Reference, lang: str,
           routes: dict[str, list[Edge]]) -> Iterator[tuple[str, str, Any]]:
    """``(path in the language's folder, template, page function or None)``."""
    book = ref.book
    yield "index.html", "index.html", None
    for name in ("search", "version", "horizon", "law-changes", "journey"):
        yield f"{name}.html", f"{name}.html", None
    for folder in ("rules", "parameters", "documents", "sources"):
        yield f"{folder}/index.html", f"{folder}_index.html", None
    listing: list[tuple[str, Iterable[str], Any]] = [
        ("rules", ref.rules_by_id, pages.rule_page),
        ("decisions", [d.name for d in ref.decisions], pages.decision_page),
        ("parameters", sorted(book.parameters), pages.parameter_page),
        ("documents", book.documents, pages.document_page),
        ("sources", book.sources, pages.source_page)]
    for folder, names, page in listing:
        for name in names:
            yield f"{folder}/{slug(name)}.html", f"{folder[:-1]}.html", (page, name, None)
    for folder, names, page in (("steps", book.steps, pages.step_page),
                                ("events", book.events, pages.event_page),
                                ("routes", ref.routes, pages.route_page)):
        for name in names:
            yield f"{folder}/{slug(name)}.html", f"{folder[:-1]}.html", (page, name, routes)


def build_site(book: Rulebook, out: str | Path, *, base_url: str | None = None,
               languages: Iterable[str] = LANGUAGES) -> SiteReport:
    """Write the explanation site of ``book`` into the folder ``out``.

    ``base_url`` (where the site will be published) adds canonical addresses and a
    ``sitemap.xml``; without it every link is relative and the folder can be moved.
    ``out`` must be empty, missing, or a site written before (then what is not written
    again is removed).
    """
    chosen = _check(book, languages, base_url)
    ref = Reference.of(book)
    target = Path(out)
    _prepare(target)
    routes = route_edges(book)
    written: list[str] = []
    version = book.version
    common = {"version": version.version, "package": __version__,
              "horizon_iso": version.horizon.isoformat() if version.horizon else "",
              "languages": chosen, "base_url": base_url.rstrip("/") if base_url else ""}
    for lang in chosen:
        env = _environment(lang)
        extra = _language_context(ref, lang)
        for rel, template, job in _pages(ref, lang, routes):
            depth = rel.count("/")
            up = "../" * depth

            def href(kind: str, key: str, up: str = up) -> str:
                return f"{up}{kind}/{slug(key)}.html"

            page = {} if job is None else (job[0](ref, job[1], lang, href) if job[2] is None
                                           else job[0](ref, job[1], lang, href, job[2]))
            context = {**common, **extra, "lang": lang, "rel": rel, "up": up,
                       "root": "../" * (depth + 1), "href": href, "page": page,
                       "section": rel.split("/")[0].removesuffix(".html")}
            _write(target / lang / rel, env.get_template(template).render(context))
            written.append(f"{lang}/{rel}")
        index = json.dumps(search_index(ref, lang), ensure_ascii=False, separators=(",", ":"))
        _write(target / lang / "search-index.json", index + "\n")
        written.append(f"{lang}/search-index.json")
    env = _environment(chosen[0])
    _write(target / "index.html", env.get_template("choose.html").render(
        {**common, "names": {code: text("language_name", code) for code in chosen},
         "titles": {code: text("site_title", code) for code in chosen},
         "choose": {code: text("choose_language", code) for code in chosen}}))
    written.append("index.html")
    for name in ("site.css", "search.js", "favicon.svg"):
        data = resources.files("ssreg.site").joinpath("static", name).read_bytes()
        (target / "assets").mkdir(exist_ok=True)
        (target / "assets" / name).write_bytes(data)
        written.append(f"assets/{name}")
    if base_url is not None:
        _write(target / "sitemap.xml", _sitemap(base_url.rstrip("/"), written))
        written.append("sitemap.xml")
    _write(target / MARKER, json.dumps({**version.to_dict(), "package": __version__,
                                        "languages": list(chosen), "files": len(written)},
                                       indent=1) + "\n")
    _clear_stale(target, set(written) | {MARKER})
    return SiteReport(out=target, pages=sum(1 for f in written if f.endswith(".html")),
                      languages=chosen, files=tuple(written))


def _language_context(ref: Reference, lang: str) -> dict[str, Any]:
    """What every page of a language shows: the site's name, horizon, the list pages'
    data (computed once per language)."""
    book = ref.book
    horizon = book.version.horizon
    return {"horizon": day(horizon, lang) if horizon else "", "ref": ref, "book": book,
            "horizon_sources": [pages.source_view(ref, key, lang) for key in book.meta.citations
                                if key in book.sources],
            "parameter_rows": pages.parameter_rows(ref, lang),
            "law_rows": pages.law_change_rows(ref, lang),
            "provenance": book.provenance(on=horizon) if horizon else None}


def _prepare(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InvalidInputError([Problem("out", f"{target} is a file, not a folder")])
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise InvalidInputError([Problem("out", f"{target} is not empty and holds no site "
                                                "written by ssreg: choose an empty folder")])
    target.mkdir(parents=True, exist_ok=True)


def _clear_stale(target: Path, written: set[str]) -> None:
    """Remove what a previous build wrote and this one did not (a rule removed since),
    in the folders the site owns; other files (a host's ``CNAME``...) are kept."""
    owned = (*(f"{lang}/" for lang in LANGUAGES), "assets/")
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target).as_posix()
        if path.is_file() and rel not in written and (rel.startswith(owned)
                                                      or rel == "sitemap.xml"):
            path.unlink()
        elif path.is_dir() and (rel + "/").startswith(owned) and not any(path.iterdir()):
            shutil.rmtree(path)


def _write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")


def _sitemap(base: str, files: list[str]) -> str:
    from xml.sax.saxutils import escape

    urls = "".join(f"<url><loc>{escape(base + '/' + f)}</loc></url>\n"
                   for f in files if f.endswith(".html"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls +
            "</urlset>\n")
