"""The start-up cache: used when written for the same version and whole, rebuilt otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from deident import cache


@pytest.fixture(autouse=True)
def _cache_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DEIDENT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Builder:
    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_built_once_then_loaded() -> None:
    build = Builder((frozenset({1, 2}), frozenset({"appeler"})))
    assert cache.cached("words", "v1", build) == build.value
    assert cache.cached("words", "v1", build) == build.value
    assert build.calls == 1


def test_an_entry_of_another_version_is_not_used(_cache_here: Path) -> None:
    cache.cached("words", "deident 0.1|model 3.8", Builder({"old"}))
    new = Builder({"new"})
    assert cache.cached("words", "deident 0.2|model 3.8", new) == {"new"}
    assert new.calls == 1
    # ... and the entry now serves the new version
    assert cache.cached("words", "deident 0.2|model 3.8", Builder({"never"})) == {"new"}


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "empty"])
def test_a_damaged_entry_is_rebuilt(_cache_here: Path, damage: str) -> None:
    cache.cached("words", "v1", Builder({"good"}))
    path = _cache_here / "words.marshal"
    data = path.read_bytes()
    path.write_bytes({
        "flip": data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:],
        "truncate": data[: len(data) // 2],
        "garbage": b"deident-cache-1\n" + b"\0" * 64,
        "empty": b"",
    }[damage])
    rebuilt = Builder({"good"})
    assert cache.cached("words", "v1", rebuilt) == {"good"}
    assert rebuilt.calls == 1
    assert cache.cached("words", "v1", Builder({"never"})) == {"good"}  # rewritten whole


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DEIDENT_CACHE_DIR", str(blocker / "cache"))
    build = Builder({"value"})
    assert cache.cached("words", "v1", build) == {"value"}
    assert cache.cached("words", "v1", build) == {"value"}
    assert build.calls == 2


def test_the_cached_dictionary_answers_as_the_tables_do() -> None:
    from deident.nlp import DEFAULT_MODEL, FrenchDictionary, _model_data_path

    data = _model_data_path(DEFAULT_MODEL)
    fresh = FrenchDictionary.load(data)  # builds the entry
    loaded = FrenchDictionary.load(data)  # reads it
    for word in ("Adressée", "directives", "appeler", "Sécurité", "maison"):
        assert word in fresh and word in loaded
    for word in ("Xqzvbw", "Dupontel"):
        assert word not in fresh and word not in loaded


def test_a_stamp_changes_when_its_file_does(tmp_path: Path) -> None:
    source = tmp_path / "communes.tsv"
    source.write_text("Brest\t29200\n", encoding="utf-8")
    before = cache.stamp(source)
    assert cache.stamp(source) == before
    source.write_text("Brest\t29200\nQuimper\t29000\n", encoding="utf-8")
    assert cache.stamp(source) != before


def test_the_cached_tables_are_the_tables(_cache_here: Path) -> None:
    """Each start-up table, built (written) then read back from the disk, equals one read
    from its source files."""
    from dataclasses import fields

    from deident import lexicons, places, pseudonyms, verify

    lemma_tables = []
    for _ in range(2):  # the first call writes the entry, the second reads it
        assert lexicons.load_lexicons.__wrapped__() == lexicons._read_lexicons()
        assert pseudonyms.load_pools.__wrapped__() == pseudonyms._read_pools()
        loaded = places.load_places.__wrapped__()
        rows, streets, establishments = places._read()
        assert [tuple(getattr(c, f.name) for f in fields(c)) for c in loaded.communes] == rows
        assert loaded.street_names == tuple(streets)
        assert loaded.establishment_names == tuple(establishments)
        lemma_tables.append(verify._lemma_tables())
    built, loaded_tables = lemma_tables
    assert len(built) > 3 and loaded_tables == built
    assert {p.name for p in _cache_here.iterdir()} >= {
        "lexicons.marshal", "surrogate-pools.marshal", "places.marshal", "lemma-tables.marshal"}
