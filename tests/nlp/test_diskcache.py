"""nlp.diskcache: values come back as built; damaged, stale or unwritable caches mean a rebuild."""

from __future__ import annotations

import os

import pytest

from nlp import diskcache, normalize


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RUNRI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting_build(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_second_load_reads_the_file(cache):
    build, calls = _counting_build(([1, "x", 3], "abc"))
    key = diskcache.key_of("a", b"b")
    for _ in range(2):
        assert diskcache.load_or_build("t", key, build, valid=lambda v: True) == ([1, "x", 3], "abc")
    assert len(calls) == 1
    assert [p.name for p in cache.iterdir()] == [f"t-{key}.marshal"]


def test_other_key_damaged_file_or_invalid_value_rebuilds(cache):
    build, calls = _counting_build([1, 2])
    diskcache.load_or_build("t", "k1", build, valid=lambda v: True)
    diskcache.load_or_build("t", "k2", build, valid=lambda v: True)
    (cache / "t-k1.marshal").write_bytes(b"\x00garbage")
    assert diskcache.load_or_build("t", "k1", build, valid=lambda v: True) == [1, 2]
    assert diskcache.load_or_build("t", "k2", build, valid=lambda v: len(v) == 3) == [1, 2]
    assert len(calls) == 4


def test_key_depends_on_every_part():
    assert diskcache.key_of("ab", "c") != diskcache.key_of("a", "bc")
    assert diskcache.key_of("a") == diskcache.key_of(b"a")


def test_off_or_unwritable_still_builds(tmp_path, monkeypatch):
    build, calls = _counting_build("v")
    monkeypatch.setenv("RUNRI_CACHE_DIR", "off")
    assert diskcache.load_or_build("t", "k", build, valid=lambda v: True) == "v"
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("RUNRI_CACHE_DIR", str(blocker / "cache"))
    assert diskcache.load_or_build("t", "k", build, valid=lambda v: True) == "v"
    assert len(calls) == 2 and os.listdir(tmp_path) == ["file"]


def test_cached_one_pass_fold_is_the_built_one(cache):
    normalize.one_pass_fold.cache_clear()
    try:
        built = normalize.one_pass_fold()
        assert len(list(cache.iterdir())) == 1
        normalize.one_pass_fold.cache_clear()
        loaded = normalize.one_pass_fold()
        assert loaded[0] == built[0] and loaded[1].__self__.pattern == built[1].__self__.pattern
        assert loaded[0] == normalize._build_one_pass_fold(normalize.fold_table())[0]
        assert normalize.fold("經營管理ビザ ＡＢＣ") == "经营管理ビザ abc"
    finally:
        normalize.one_pass_fold.cache_clear()
