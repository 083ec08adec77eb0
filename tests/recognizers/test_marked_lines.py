"""Patterns run only on the lines that hold their marker find what the whole-text scan finds."""

from __future__ import annotations

import regex

from deident.recognizers.web import FrenchEmailRecognizer, FrenchUrlRecognizer, _OnMarkedLines

TEXTS = [
    "Contact : jeanne.martin@chu-brest.fr\nSuivi le 12/03.",
    "tlabelle @ medimail . com, puis x [at] y.fr et z(at)w.org\n",
    "écrire à p.durand arobase orange point fr ; AT chu.fr\nA at b . fr",
    "\nmail@debut.fr\nfin@ligne.com",
    "www.chu-rouen.fr/page?x=1, site chu-brest.fr. Lien: ameli.fr\nrien ici",
    "Dr. Re fr.\nvu.re\n.fr seul\nexemple.com@\nx.fr.y",
    "Le patient va bien.\nAucun courriel, aucune adresse web.",
    "",
]


def _wrapped(recognizer):
    return [p for p in recognizer.patterns if isinstance(p.compiled_regex, _OnMarkedLines)]


def test_every_wrapped_pattern_matches_as_a_whole_text_scan():
    recognizers = [FrenchEmailRecognizer(), FrenchUrlRecognizer()]
    wrapped = [(r, p) for r in recognizers for p in _wrapped(r)]
    assert {p.name for _, p in wrapped} == {"Email (Medium)", "email_obfuscated", "url_bare"}
    for recognizer, pattern in wrapped:
        whole = regex.compile(pattern.regex, recognizer.global_regex_flags)
        for text in TEXTS:
            expected = [m.span() for m in whole.finditer(text)]
            assert [m.span() for m in pattern.compiled_regex.finditer(text, timeout=5)] == expected


def test_the_recognizers_find_addresses_on_any_line():
    text = "Bonjour\nécrire à jeanne.martin@chu-brest.fr\nou tlabelle @ medimail . com\nsite: chu-rouen.fr"
    emails = FrenchEmailRecognizer().analyze(text, ["EMAIL"])
    urls = FrenchUrlRecognizer().analyze(text, ["URL"])
    assert {text[r.start:r.end] for r in emails if r.score > 0} >= {
        "jeanne.martin@chu-brest.fr", "tlabelle @ medimail . com"}
    assert "chu-rouen.fr" in {text[r.start:r.end] for r in urls}
