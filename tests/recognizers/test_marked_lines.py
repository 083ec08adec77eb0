"""Patterns run only on the lines that hold their marker find what the whole-text scan finds."""

from __future__ import annotations

import regex

from deident.lexicons import load_lexicons
from deident.recognizers import french_recognizers
from deident.recognizers.lines import OnMarkedLines
from deident.recognizers.web import FrenchEmailRecognizer, FrenchUrlRecognizer

TEXTS = [
    "Contact : jeanne.martin@chu-brest.fr\nSuivi le 12/03.",
    "tlabelle @ medimail . com, puis x [at] y.fr et z(at)w.org\n",
    "écrire à p.durand arobase orange point fr ; AT chu.fr\nA at b . fr",
    "\nmail@debut.fr\nfin@ligne.com",
    "www.chu-rouen.fr/page?x=1, site chu-brest.fr. Lien: ameli.fr\nrien ici",
    "Dr. Re fr.\nvu.re\n.fr seul\nexemple.com@\nx.fr.y",
    "Le patient va bien.\nAucun courriel, aucune adresse web.",
    "Kinésithérapeute (Paul ROUX)\nIDE (Jeanne Martin) puis (\nInterne (Luc Petit)",
    "Fiche complétée par Anne DURAND\nvalidé le 12/03/2021 à 10h par Marc Leroy\npar Eve",
    "Immatriculation : AB-123-CD\nplaque d'immatriculation 1234 AB 75\nAB-123-CD seul",
    "Carte bancaire n° 4970 1012 3456 7890\nCB : 4970101234567890\nvisa\n4970 1012 3456 7890",
    "",
]


def _wrapped(recognizer):
    return [p for p in getattr(recognizer, "patterns", [])
            if isinstance(p.compiled_regex, OnMarkedLines)]


def test_every_wrapped_pattern_matches_as_a_whole_text_scan():
    wrapped = [(r, p) for r in french_recognizers(load_lexicons()) for p in _wrapped(r)]
    assert {p.name for _, p in wrapped} == {
        "Email (Medium)", "email_obfuscated", "url_bare", "labelled_siv", "labelled_fni",
        "labelled_card", "role_then_parenthesis", "done_by"}
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
