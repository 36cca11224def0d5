"""The explanation site (ssreg site), read as files: every page is there, every internal
link leads somewhere, the HTML is accessible, texts are escaped, and the answers' links
point at pages that exist.  tests/test_site_browser.py checks it in Chromium."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import ssreg
from ssreg.exceptions import InvalidInputError
from ssreg.output.links import PAGE_KINDS, page_path, slug
from ssreg.rulebook.rulebook import LANGUAGES
from ssreg.site.build import MARKER, build_site
from ssreg.site.reference import Reference
from ssreg.site.search import fold, search_index
from ssreg.site.words import texts, typography


ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
BOOK = ssreg.default_rulebook()
SITE_URL = "https://example.org/ssreg"


class Page(HTMLParser):
    """What the checks need from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.headings: list[int] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self.svgs: list[dict[str, str]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        data = dict(attrs)
        if tag == "html":
            self.lang = data.get("lang")
        if "id" in data:
            if data["id"] in self.ids:
                self.duplicate_ids.append(data["id"])
            self.ids.add(data["id"])
        for key in ("href", "src"):
            if (key in data and tag != "link") or (tag == "link" and data.get("rel") ==
                                                  "stylesheet" and key == "href"):
                self.links.append(data[key])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "input":
            self.inputs.append(data.get("id", ""))
        if tag == "label":
            self.labels.add(data.get("for", ""))
        if tag == "svg":
            self.svgs.append(data)
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def pages(built_site):
    return {path: parse(path) for path in sorted(built_site.out.rglob("*.html"))}


def test_every_rule_parameter_and_page_kind_has_its_page_in_every_language(built_site):
    ref = Reference.of(BOOK)
    keys = {"rules": ref.rules_by_id, "parameters": BOOK.parameters,
            "documents": BOOK.documents, "steps": BOOK.steps, "events": BOOK.events,
            "routes": ref.routes, "sources": BOOK.sources, "decisions": BOOK.decisions}
    assert set(keys) == set(PAGE_KINDS)
    for lang in LANGUAGES:
        for kind, names in keys.items():
            assert names, kind
            for name in names:
                assert (built_site.out / page_path(kind, name, lang)).is_file(), (lang, kind, name)
        for name in ("index", "search", "version", "horizon", "law-changes", "journey",
                     "rules/index", "parameters/index", "documents/index", "sources/index"):
            assert (built_site.out / lang / f"{name}.html").is_file()
    assert built_site.pages == sum(1 for f in built_site.files if f.endswith(".html"))


def test_no_internal_link_is_broken(built_site, pages):
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                assert parts.scheme in ("http", "https"), (path, link)
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(built_site.out)} links to {link}"
            assert built_site.out.resolve() in target.parents, (path, link)
            if parts.fragment:
                assert parts.fragment in (pages[target].ids if target.suffix == ".html"
                                          else set()), (path, link)
            checked += 1
    assert checked > 20 * len(pages)


def test_pages_are_accessible(built_site, pages):
    for path, page in pages.items():
        rel = path.relative_to(built_site.out)
        expected = rel.parts[0] if len(rel.parts) > 1 else "en"
        assert page.lang == expected, rel
        assert page.headings.count(1) == 1, rel
        assert not page.duplicate_ids, (rel, page.duplicate_ids)
        assert page.headings[0] == 1, rel
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{rel}: h{before} then h{after}"
        assert all(i and i in page.labels for i in page.inputs), rel
        for svg in page.svgs:
            assert svg.get("role") == "img" and svg.get("aria-labelledby"), rel
        if len(rel.parts) > 1:
            assert "content" in page.ids, rel  # the skip link's target


def test_french_pages_follow_french_typography(built_site, pages):
    for path, page in pages.items():
        if path.relative_to(built_site.out).parts[0] != "fr":
            continue
        text = "".join(page.text)
        assert not re.search(r" [:;!?]", text), (path, re.search(r".{30} [:;!?]", text))


def test_the_site_texts_exist_in_three_languages_and_are_plain():
    for key, values in texts().items():
        assert set(values) == set(LANGUAGES), key
        assert all(v.strip() and "<" not in v and "&" not in v for v in values.values()), key
        placeholders = {lang: set(re.findall(r"\{(\w+)\}", v)) for lang, v in values.items()}
        assert placeholders["fr"] == placeholders["en"] == placeholders["es"], key


def test_a_rule_page_says_when_it_applies_what_it_gives_and_where_it_comes_from(built_site):
    page = (built_site.out / "fr/rules/documents.civil_status.html").read_text("utf-8")
    rule = Reference.of(BOOK).latest("documents.civil_status")
    assert typography(rule.label["fr"], "fr").replace("'", "&#39;") in page
    assert 'href="../decisions/documents.html"' in page
    assert 'href="../documents/birth_certificate_full.html"' in page
    for key in rule.citations:
        assert f'href="../sources/{slug(key)}.html"' in page
    assert "toutes ces conditions sont remplies" in page
    assert "En vigueur depuis le 1er\u00a0septembre\u00a02018" in page


def test_a_parameter_page_has_its_history_and_a_chart(built_site):
    page = (built_site.out / "en/parameters/participation_forfaitaire.html").read_text("utf-8")
    assert page.count("<svg") == 1 and "participation forfaitaire per act: values over time" \
        in page
    assert "€2.00" in page and "€1.00" in page
    assert "15\u00a0May\u00a02024 onwards" in page
    assert 'href="../rules/claim_deduction.doctor_acts.html"' in page


def test_step_and_event_pages_show_the_journey_with_their_event(built_site):
    step = (built_site.out / "en/steps/upload_documents.html").read_text("utf-8")
    event = (built_site.out / "es/events/document_rejected.html").read_text("utf-8")
    route = (built_site.out / "en/routes/online.html").read_text("utf-8")
    assert 'class="journey"' in route and "Register online" in route
    assert 'class="on"' in event and "(este)" in event
    assert 'href="../events/document_uploaded.html"' in step
    document = (built_site.out / "fr/documents/birth_certificate_full.html").read_text("utf-8")
    assert "traduction certifiée" in document
    assert 'href="../parameters/translation_policy.html"' in document
    assert 'href="../rules/documents.civil_status.html"' in document


def test_texts_from_rule_files_are_escaped(tmp_path):
    hostile = '<script>alert("x")</script> & <b>'
    overlay = tmp_path / "hostile.toml"
    overlay.write_text(f"""
[[rules]]
id = "route.cpam.hostile"
decision = "route"
priority = 65
outcome = {{ route = "cpam" }}
start = 2018-09-01
citations = ["seed:registration"]
label = {{ en = '{hostile}', fr = '{hostile}', es = '{hostile}' }}
[rules.when]
all = [{{ fact = "born_in_france", op = "==", value = true }}]
""", encoding="utf-8")
    book = ssreg.load_rulebook(overlay, base=BOOK)
    report = build_site(book, tmp_path / "site", languages=("en",))
    page = (report.out / "en/rules/route.cpam.hostile.html").read_text("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)" in page
    index = (report.out / "en/rules/index.html").read_text("utf-8")
    assert "<script>alert" not in index and "&lt;b&gt;" in index


def test_a_rebuild_removes_stale_pages_and_keeps_a_hosts_files(tmp_path):
    out = tmp_path / "site"
    build_site(BOOK, out, languages=("es",))
    (out / "CNAME").write_text("rules.example.org\n")
    (out / "es" / "rules" / "gone.html").write_text("old")
    report = build_site(BOOK, out, languages=("en",))
    assert not (out / "es").exists() and (out / "en" / "index.html").is_file()
    assert (out / "CNAME").read_text() == "rules.example.org\n"
    assert json.loads((out / MARKER).read_text())["languages"] == ["en"]
    assert report.languages == ("en",) and not (out / "sitemap.xml").exists()


def test_bad_arguments_are_refused_with_every_problem(tmp_path):
    (tmp_path / "mine.txt").write_text("not a site")
    with pytest.raises(InvalidInputError) as caught:
        build_site(BOOK, tmp_path, languages=("de",))
    assert [p.path for p in caught.value.problems] == ["languages[0]"]
    with pytest.raises(InvalidInputError, match="not empty"):
        build_site(BOOK, tmp_path, languages=("en",))
    with pytest.raises(InvalidInputError, match="base_url"):
        build_site(BOOK, tmp_path / "new", base_url="javascript:alert(1)")


def test_two_keys_with_one_page_are_refused(tmp_path):
    overlay = tmp_path / "sources.toml"
    overlay.write_text("""
[sources."X:1"]
title = "one"
url = "https://example.org/1"
kind = "secondary"
checked = 2026-11-26
[sources."X-1"]
title = "two"
url = "https://example.org/2"
kind = "secondary"
checked = 2026-11-26
""", encoding="utf-8")
    book = ssreg.load_rulebook(overlay, base=BOOK)
    with pytest.raises(InvalidInputError, match=r"X-1\.html would overwrite"):
        build_site(book, tmp_path / "site")


def test_the_search_index_finds_a_rule_by_a_french_word_in_every_language(built_site):
    for lang in LANGUAGES:
        index = json.loads((built_site.out / lang / "search-index.json").read_text("utf-8"))
        assert index == search_index(Reference.of(BOOK), lang)
        found = [e["u"] for e in index if all(w in e["w"] for w in fold("Acte de naissance")
                                                 .split())]
        assert "rules/documents.civil_status.html" in found, lang
        assert all((built_site.out / lang / e["u"]).is_file() for e in index)


def test_the_sitemap_lists_every_page_at_the_base_url(built_site):
    text = (built_site.out / "sitemap.xml").read_text("utf-8")
    urls = re.findall(r"<loc>([^<]+)</loc>", text)
    assert len(urls) == built_site.pages
    assert f"{SITE_URL}/fr/rules/documents.identity.html" in urls


def _decisions():
    brazil = EXAMPLES / "cases" / "brazil_first_time.json"
    yield ssreg.evaluate(json.loads(brazil.read_text()), on="2026-10-01")
    yield ssreg.evaluate(json.loads((EXAMPLES / "cases" / "spanish_no_card.json").read_text()),
                         on="2026-10-01")
    yield ssreg.evaluate(ssreg.load_dossier(EXAMPLES / "dossiers" / "brazil_in_progress.json"),
                         on="2026-10-20")
    case = json.loads(brazil.read_text())
    case["claims"] = [{"date": "2026-10-05", "care": "gp_consultation", "billed": "30"},
                      {"date": "2026-10-06", "care": "medicine", "billed": "12",
                       "medicine_class": "major"}]
    yield ssreg.evaluate(case, on="2026-10-10")


def _without_links(data):
    if isinstance(data, dict):
        return {k: _without_links(v) for k, v in data.items() if k != "links"}
    if isinstance(data, list):
        return [_without_links(v) for v in data]
    return data


@pytest.mark.parametrize("lang", [None, "fr"])
def test_a_decisions_json_with_a_base_url_links_to_pages_that_exist(built_site, lang):
    for decision in _decisions():
        plain = decision.to_dict(lang)
        data = decision.to_dict(lang, base_url=SITE_URL + "/")
        assert "links" not in json.dumps(plain)
        assert _without_links(data) == plain  # nothing else changes
        urls = [*data["links"]["rules"].values(), *data["links"]["parameters"].values()]
        fired = {f["rule"] for f in data["trace"]["fired"]}
        assert fired <= set(data["links"]["rules"])
        assert {p["name"] for p in data["trace"]["parameters"]} <= set(
            data["links"]["parameters"])
        for claim in data.get("reimbursements", {}).get("claims", []):
            assert set(claim["rules"]) <= set(claim["links"]["rules"]) <= set(
                data["links"]["rules"])
            urls += claim["links"]["parameters"].values()
        for url in urls:
            assert url.startswith(f"{SITE_URL}/{lang or 'en'}/")
            assert (built_site.out / url.removeprefix(SITE_URL + "/")).is_file(), url


def test_the_default_forms_are_unchanged_and_the_html_form_links():
    decision = next(_decisions())
    assert decision.to_html() == decision._repr_html_()
    assert "href=" not in decision._repr_html_()
    linked = decision.to_html("es", base_url="/ssreg")
    assert "href='/ssreg/es/rules/route.online.first_time_international.html'" in linked
    assert "Reglas aplicadas" in linked
    with pytest.raises(InvalidInputError, match="base_url"):
        decision.to_dict(base_url="ftp://example.org")


def test_a_priced_claim_links_its_rules_and_parameters():
    result = ssreg.price_claim({"date": "2026-10-05", "care": "gp_consultation",
                                "billed": "30", "age": 22})
    assert "links" not in result.to_dict()
    links = result.to_dict(base_url="https://x.org/s", lang="es")["links"]
    assert set(links["rules"]) == set(result.rules)
    assert links["parameters"]["participation_forfaitaire"] == \
        "https://x.org/s/es/parameters/participation_forfaitaire.html"


def test_the_command_writes_the_site_and_answers_link_to_it(tmp_path, capsys):
    from ssreg.cli.main import main

    assert main(["site", str(tmp_path / "site"), "--lang", "es", "--base-url",
                 "https://example.org/ssreg/"]) == 0
    assert "pages in es" in capsys.readouterr().err
    assert (tmp_path / "site" / "es" / "rules" / "route.online.first_time_international.html"
            ).is_file() and (tmp_path / "site" / "sitemap.xml").is_file()
    case = str(EXAMPLES / "cases" / "brazil_first_time.json")
    assert main(["evaluate", case, "--on", "2026-10-01", "--json", "--lang", "es",
                 "--base-url", SITE_URL]) == 0
    links = json.loads(capsys.readouterr().out)["links"]
    for url in links["rules"].values():
        assert (tmp_path / "site" / url.removeprefix(SITE_URL + "/")).is_file()
    assert main(["evaluate", case, "--on", "2026-10-01", "--base-url", SITE_URL]) == 0
    out = capsys.readouterr().out
    assert f"{SITE_URL}/en/rules/route.online.first_time_international.html" in out
    assert main(["evaluate", case, "--base-url", "no spaces allowed"]) == 2
    assert "base_url" in capsys.readouterr().err
    assert main(["site", str(tmp_path / "other"), "--lang", "de"]) == 2
