"""The explanation site in a real browser: Debian's Chromium, headless, driven by Selenium
through Debian's chromedriver, the site served on 127.0.0.1.

Each kind of page renders, the language switch works, the search finds a rule by a French
word, every page works without JavaScript except the search, the colours keep their
contrast, and three pages are kept as screenshots (``$SSREG_ARTIFACTS/screenshots``,
by default ``.ci/artifacts/screenshots``).  Without Chromium the tests are skipped, except
in CI (``CI`` set), where ``.ci/run`` installs it and they must run.
"""

import functools
import os
import shutil
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import ssreg
from ssreg.site.reference import Reference


CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).parent.parent
ARTIFACTS = Path(os.environ.get("SSREG_ARTIFACTS", ROOT / ".ci" / "artifacts"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1200,1000")

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests: .ci/run installs chromium and "
                    "chromium-driver", pytrace=False)
    pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium "
                "chromium-driver)", allow_module_level=True)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site.out))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _browser(javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ssreg-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver, profile


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _errors(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


PAGES = {
    "index": "en/index.html", "rule": "fr/rules/documents.civil_status.html",
    "decision table": "es/decisions/route.html",
    "parameter": "en/parameters/participation_forfaitaire.html",
    "document": "fr/documents/birth_certificate_full.html",
    "step": "es/steps/upload_documents.html", "event": "en/events/document_rejected.html",
    "route": "fr/routes/online.html", "source": "en/sources/R1.html",
    "version": "fr/version.html", "horizon": "es/horizon.html",
    "law changes": "en/law-changes.html", "journey": "es/journey.html",
    "rule list": "en/rules/index.html", "value list": "fr/parameters/index.html",
    "search": "en/search.html", "language choice": "index.html",
}


@pytest.mark.parametrize("kind", PAGES)
def test_each_kind_of_page_renders(server, browser, kind):
    browser.get(f"{server}/{PAGES[kind]}")
    heading = browser.find_element(By.TAG_NAME, "h1")
    assert heading.is_displayed() and heading.text.strip()
    lang = PAGES[kind].split("/")[0] if "/" in PAGES[kind] else "en"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert browser.title.strip()
    for svg in browser.find_elements(By.CSS_SELECTOR, "svg[role=img]"):
        size = svg.size
        assert size["width"] > 200 and size["height"] > 100, kind
    assert not _errors(browser), _errors(browser)


def test_the_language_switch_keeps_the_page(server, browser):
    rule = Reference.of(ssreg.default_rulebook()).latest("documents.civil_status")
    browser.get(f"{server}/en/rules/documents.civil_status.html")
    for lang in ("fr", "es", "en"):
        browser.find_element(By.CSS_SELECTOR, f"nav.languages a[hreflang={lang}]").click()
        WebDriverWait(browser, 10).until(
            lambda d, lang=lang: d.find_element(By.TAG_NAME, "html").get_attribute("lang")
            == lang)
        assert browser.current_url.endswith(f"/{lang}/rules/documents.civil_status.html")
        heading = browser.find_element(By.TAG_NAME, "h1").text
        assert heading.replace("\u00a0", " ") == rule.label[lang]
        current = browser.find_element(By.CSS_SELECTOR, "nav.languages a[aria-current]")
        assert current.get_attribute("hreflang") == lang


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_search_finds_a_rule_by_a_french_word(server, browser, lang):
    browser.get(f"{server}/{lang}/search.html")
    box = browser.find_element(By.ID, "q")
    box.send_keys("naissance")
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results a"))
    found = [a.get_attribute("href") for a in
             browser.find_elements(By.CSS_SELECTOR, "#search-results a")]
    assert f"{server}/{lang}/rules/documents.civil_status.html" in found
    assert browser.find_element(By.ID, "search-status").text
    browser.find_element(By.CSS_SELECTOR,
                         "#search-results a[href='rules/documents.civil_status.html']").click()
    WebDriverWait(browser, 10).until(lambda d: "documents.civil_status" in d.current_url)
    assert not _errors(browser)


def test_the_search_form_of_every_page_leads_to_results(server, browser):
    browser.get(f"{server}/fr/parameters/participation_forfaitaire.html")
    box = browser.find_element(By.ID, "quick-q")
    box.send_keys("traduction certifiée")
    box.submit()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results a"))
    assert browser.find_element(By.ID, "q").get_attribute("value") == "traduction certifiée"


def test_the_keyboard_reaches_the_skip_link_first(server, browser):
    browser.get(f"{server}/es/rules/route.online.first_time_international.html")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys("\ue004")  # Tab
    active = browser.switch_to.active_element
    assert active.get_attribute("href").endswith("#content") and active.is_displayed()


CONTRAST = """
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function background(el) {
  for (; el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
  }
  return 'rgb(255, 255, 255)';
}
const worst = [];
for (const el of document.querySelectorAll(arguments[0])) {
  if (!el.textContent.trim() || !el.offsetParent) continue;
  const a = luminance(getComputedStyle(el).color), b = luminance(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) worst.push([el.tagName, el.textContent.trim().slice(0, 40), ratio]);
}
return worst;
"""


@pytest.mark.parametrize("path", ["fr/rules/documents.civil_status.html",
                                  "en/parameters/participation_forfaitaire.html",
                                  "es/version.html"])
def test_text_keeps_its_contrast(server, browser, path):
    browser.get(f"{server}/{path}")
    selector = "p, li, a, dt, dd, th, td, h1, h2, h3, code, .badge, button, label, span"
    assert browser.execute_script(CONTRAST, selector) == []


def test_pages_work_without_javascript_except_the_search(server):
    driver, profile = _browser(javascript=False)
    try:
        driver.get(f"{server}/en/routes/online.html")
        assert driver.find_element(By.CSS_SELECTOR, "svg.journey").is_displayed()
        driver.find_element(By.CSS_SELECTOR, "main a[href^='../rules/']").click()
        WebDriverWait(driver, 10).until(lambda d: "/en/rules/" in d.current_url)
        assert driver.find_element(By.TAG_NAME, "h1").text
        driver.get(f"{server}/fr/search.html")
        assert "JavaScript" in driver.find_element(By.TAG_NAME, "main").text
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


SHOTS = {"rule-fr": "fr/rules/documents.civil_status.html",
         "parameter-en": "en/parameters/participation_forfaitaire.html",
         "route-es": "es/routes/online.html"}


def test_three_pages_are_kept_as_screenshots(server, browser):
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in SHOTS.items():
        browser.get(f"{server}/{path}")
        height = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(1200, min(max(height, 600), 4000))  # the whole page
        target = folder / f"{name}.png"
        assert browser.save_screenshot(str(target))
        browser.set_window_size(1200, 1000)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, name
