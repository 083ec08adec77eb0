"""Lexicon files and the phrase matcher."""

from __future__ import annotations

import pytest
import regex

from deident.lexicons import (
    PhraseMatcher,
    fold_same_length,
    load_lexicons,
    models_dir,
    overlapping_trie,
    trie_regex,
)

LEXICON_FILES = sorted((models_dir() / "lexicons").iterdir())


def test_phrase_matcher_ignores_case_accents_and_punctuation() -> None:
    matcher = PhraseMatcher(["maladie de Parkinson", "syndrome de Guillain-Barré", "maladie"])
    text = "Une MALADIE DE PARKINSON ; syndrome de Guillain Barre. maladie"
    assert [text[s:e] for s, e in matcher.finditer(text)] == [
        "MALADIE DE PARKINSON", "syndrome de Guillain Barre", "maladie"]


def test_phrase_matcher_labels_and_word_boundaries() -> None:
    matcher = PhraseMatcher([("Dupont", "PERSON"), ("Saint-Malo", "CITY")])
    text = "Dupontel, Dupont, saint malo"
    assert list(matcher.find_labelled(text)) == [(10, 16, "PERSON"), (18, 28, "CITY")]


def test_fold_keeps_offsets() -> None:
    text = "Élodie GUILLAIN-Barré, Œdème ß İ ﬁ"
    assert len(fold_same_length(text)) == len(text)
    assert fold_same_length("Élodie BARRÉ") == "elodie barre"


@pytest.mark.parametrize("path", LEXICON_FILES, ids=[p.name for p in LEXICON_FILES])
def test_lexicon_files_are_clean(path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# "), "each file opens with a comment saying what it is"
    entries = [line for line in lines if line and not line.startswith("#")]
    assert entries and len(entries) == len(set(entries))
    assert all(line == line.strip() for line in entries)


def test_lexicons_load() -> None:
    lex = load_lexicons()
    assert lex.first_names["jean"] == "M"
    assert lex.is_not_a_name("Kardégic") and lex.is_not_a_name("HTA")
    assert lex.is_not_a_name("Appendicectomie")  # medical word ending
    assert not lex.is_not_a_name("Dupont")
    assert "rue" in lex.street_types and "av." in lex.street_types


def test_trie_regex_matches_exactly_the_words() -> None:
    import re

    from deident.lexicons import trie_regex

    words = ["rue", "route", "r", "av", "avenue", "ave", "bd", "lieu-dit", "r.p."]
    pattern = re.compile(rf"(?:{trie_regex(words)})(?![\w.-])")
    for word in words:
        assert pattern.fullmatch(word), word
    assert not pattern.fullmatch("ru") and not pattern.fullmatch("aven")


def test_overlapping_trie_finds_what_regex_overlapped_finds():
    """The verifier's and the propagation's search: at each position, the longest word there."""
    words = ["dupont", "dupond", "jean", "jeanne", "anne", "ann", "nne", "é.x", "a+b", "l'ile"]
    texts = ["jeannedupontdupond", "jean-anne dupont; jeanne", "annenne a+b é.x l'ile",
             "", "rien", "jeanjeanjean"]
    for text in texts:
        expected = [(m.start(), m.group())
                    for m in regex.compile(trie_regex(words)).finditer(text, overlapped=True)]
        found = [(m.start(), m.group(1)) for m in overlapping_trie(words).finditer(text)]
        assert found == expected
    assert [m.group(1) for m in overlapping_trie(words).finditer("jeanne")] == ["jeanne", "anne", "nne"]
