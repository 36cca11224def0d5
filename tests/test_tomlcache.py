"""The cache of the parsed built-in rule files: same rulebook, never stale, never required."""

import tomllib
from decimal import Decimal

from ssreg.rulebook import cache as _tomlcache
from ssreg.rulebook.loader import builtin_rules_dir, load_rulebook


def test_cached_files_give_the_same_rulebook(tmp_path, monkeypatch):
    monkeypatch.setenv("SSREG_CACHE_DIR", str(tmp_path))
    cold = load_rulebook(builtin_rules_dir())
    assert list(tmp_path.glob("*.json"))  # the entries were written
    warm = load_rulebook(builtin_rules_dir())
    assert warm.fingerprint == cold.fingerprint
    assert warm.parameters == cold.parameters
    assert [r.id for r in warm.rules] == [r.id for r in cold.rules]


def test_every_builtin_file_round_trips_exactly(tmp_path, monkeypatch):
    monkeypatch.setenv("SSREG_CACHE_DIR", str(tmp_path))
    for path in builtin_rules_dir().glob("*.toml"):
        raw = path.read_bytes()
        parsed = tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
        _tomlcache.store(raw, parsed)
        assert _tomlcache.load(raw) == parsed


def test_an_edited_file_never_reads_a_stale_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("SSREG_CACHE_DIR", str(tmp_path))
    _tomlcache.store(b"a = 1", {"a": 1})
    assert _tomlcache.load(b"a = 2") is None
    assert _tomlcache.load(b"a = 1") == {"a": 1}


def test_a_broken_or_disabled_cache_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("SSREG_CACHE_DIR", str(tmp_path))
    _tomlcache.store(b"a = 1", {"a": 1})
    _tomlcache.entry(b"a = 1").write_text("{not json", encoding="utf-8")
    assert _tomlcache.load(b"a = 1") is None
    monkeypatch.setenv("SSREG_CACHE", "off")
    assert _tomlcache.entry(b"a = 1") is None
    monkeypatch.setenv("SSREG_CACHE", "")
    monkeypatch.setenv("SSREG_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    _tomlcache.store(b"a = 1", {"a": 1})  # cannot write: silently not cached
    assert _tomlcache.load(b"a = 1") is None
