"""The public API is small, explicit and guarded."""

import subprocess
import sys

import ssreg


def test_all_is_sorted_and_complete():
    public = sorted(n for n in dir(ssreg) if not n.startswith("_") and n not in {
        "exceptions", "testing"} and not isinstance(getattr(ssreg, n), type(ssreg)))
    assert ssreg.__all__ == sorted(ssreg.__all__, key=str.lower) or ssreg.__all__ == sorted(
        ssreg.__all__)
    assert set(ssreg.__all__) - {"__version__"} == set(public)


def test_every_error_derives_from_the_root():
    for name in ssreg.exceptions.__all__:
        obj = getattr(ssreg.exceptions, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, ssreg.SsregError), name


def test_import_does_not_load_hypothesis_durable_the_site_or_the_server():
    code = ("import sys, ssreg; ssreg.evaluate({'student': {'birth_date': '2000-01-01', "
            "'nationality': 'US', 'country_of_birth': 'US'}}, on='2026-01-01')"
            ".to_dict('fr', base_url='https://example.org/s'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('hypothesis', 'durable', 'durable_rules_engine', 'jinja2', 'markupsafe', "
            "'selenium', 'starlette', 'uvicorn', 'anyio', 'httpx', 'h11') "
            "or m.startswith(('ssreg.site', 'ssreg.api'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_version_is_a_string():
    assert isinstance(ssreg.__version__, str)
    assert ssreg.__version__.count(".") == 2


def test_every_interface_text_exists_in_three_languages():
    import re

    from ssreg import texts
    from ssreg.output.i18n import LANGUAGES

    problems, phrases = texts.templates()
    entries = [*texts.catalogue().items(), *(("problem", e) for e in problems),
               *(("phrase", e) for e in phrases)]
    assert len(entries) > 200
    for key, found in entries:
        assert set(found) == set(LANGUAGES), key
        assert all(t.strip() for t in found.values()), key
        names = [sorted(re.findall(r"\{(\w+)\}", found[lang])) for lang in LANGUAGES]
        assert names[0] == names[1] == names[2], (key, found["en"])
    for key, labels in ssreg.default_rulebook().vocabulary.items():
        assert all(labels[lang].strip() for lang in LANGUAGES), key
