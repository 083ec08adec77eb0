"""The verifier (deident.verify): what betrays a value, found in every form; the sentinel
independent of the recognizers; fixed in place before writing, refused after; ordinary
words left alone. Detection is made to miss on purpose (the analyzer's results filtered)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from stdnum import luhn

import deident.core as core
from deident import Deidentifier
from deident.entities import EMAIL, FR_NIR, IBAN, PAYMENT_CARD, PERSON, PHONE
from deident.hook import scan_file
from deident.lexicons import load_lexicons
from deident.verify import Remnants, common_words, tells_of, validated

NIR = "2 58 07 75 112 048 " + f"{97 - 2580775112048 % 97:02d}"
CARD = "4970101234567" + "89"
CARD += luhn.calc_check_digit(CARD)
IBAN_VALUE = "FR76 3000 6000 0112 3456 7890 189"


def find(values: list[tuple[str, str]], text: str, **options: object) -> list[str]:
    lexicons = load_lexicons()
    remnants = Remnants([tells_of(values, lexicons)], common_words(lexicons))
    return [text[h.start:h.end] for h in remnants.find(text, **options)]


def miss(monkeypatch: pytest.MonkeyPatch, deidentifier: Deidentifier, pattern: str,
         keep_first: bool = True) -> None:
    """The analyzer misses `pattern` (a regex, case-insensitive), except on the line of its
    first occurrence when `keep_first`."""
    analyze_many = deidentifier.analyzer.analyze_many

    def dropping(text: str, found: list) -> list:
        spans = [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
        line_end = text.find("\n", spans[0][0]) if spans and keep_first else -1
        dropped = [s for s in spans if s[0] > line_end] if line_end != -1 else spans
        return [e for e in found
                if not any(e.start < end and start < e.end for start, end in dropped)]

    def missing_many(texts):
        texts = list(texts)
        return (dropping(t, f) for t, f in zip(texts, analyze_many(texts), strict=True))

    # analyze() goes through analyze_many(); documents with typed blocks (table cells) too
    monkeypatch.setattr(deidentifier.analyzer, "analyze_many", missing_many)


def without(monkeypatch: pytest.MonkeyPatch, deidentifier: Deidentifier, *names: str) -> None:
    registry = deidentifier.analyzer.engine.registry
    monkeypatch.setattr(registry, "recognizers",
                        [r for r in registry.recognizers if r.name not in names])


def no_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the check after writing: what it finds is refused."""
    monkeypatch.setattr(core, "fix", lambda text, entities, *args: entities)


# -- what betrays a value --------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "photo DUPONT_Jean_photo.png", "fichier DupontJean.jpg", "fichier DUPONTJean.jpg",
    "Dossier de M. DUPONT", "dossier dupont-jean.pdf", "Vu par Dupönt hier", "CR_dupont_2024.docx",
])
def test_a_name_is_found_in_every_form(text: str) -> None:
    assert find([(PERSON, "Jean Dupont")], text)


@pytest.mark.parametrize("text", [
    "Tél. 0612345678", "Tél. 06.12.34.56.78", "tel +33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
    "0 6 1 2 3 4 5 6 7 8",  # one digit per table cell, as a row reads back
])
def test_a_number_is_found_whatever_its_separators(text: str) -> None:
    assert find([(PHONE, "06 12 34 56 78")], text, sentinel=False)


def test_email_parts_and_street_names() -> None:
    values = [(EMAIL, "jdupontel@chu-quimperle.fr"), ("ADDRESS", "12 rue des Kerguelen")]
    assert find(values, "archive jdupontel_2023.zip") == ["jdupontel"]
    assert find(values, "site quimperle.fr") == ["quimperle"]
    assert find(values, "Kerguelen, Quimper") == ["Kerguelen"]
    assert not find(values, "la rue et le quartier")  # the street type says nothing


def test_ordinary_words_count_only_where_they_stand_as_names() -> None:
    values = [(PERSON, "Marie Petit"), (PERSON, "Paul Boulanger")]
    for ordinary in ("un petit garçon", "Petit à petit, il progresse.", "le boulanger du coin",
                     "Boulanger est un métier."):
        assert not find(values, ordinary), ordinary
    for as_name in ("revue par Petit hier", "Nom : PETIT", "photo PetitMarie.png",
                    "petit_marie.png", "avec Boulanger ce jour"):
        assert find(values, as_name), as_name


def test_short_and_medical_tokens_never_betray() -> None:
    values = [(PERSON, "J. Doliprane"), (PERSON, "Paracetamol")]
    assert not find(values, "J. a pris du Doliprane et du paracétamol, J")


def test_the_medical_allow_list_is_kept_in_files(deidentifier: Deidentifier, tmp_path: Path
                                                 ) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Mme Lucienne Parkinson, 71 ans.\nMaladie de Parkinson évoluée.\n",
                   encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "done", report.reason
    assert "Maladie de Parkinson" in (tmp_path / "out.txt").read_text(encoding="utf-8")


# -- the sentinel ----------------------------------------------------------------------------
def test_the_sentinel_validates() -> None:
    compact = NIR.replace(" ", "")
    assert validated(compact) == FR_NIR and validated(compact[:13]) == FR_NIR
    assert validated("0612345678") == PHONE and validated(CARD) == PAYMENT_CARD
    assert validated(compact[:-2] + "00") is None  # a wrong key
    assert validated("123456789012") is None


@pytest.mark.parametrize(("recognizers", "value", "entity_type"), [
    (("FrNirRecognizer",), NIR, FR_NIR),
    (("FrNirRecognizer",), "1 69 05 2A 123 456 " + "{key}", FR_NIR),
    (("FrenchPhoneRecognizer",), "06 12 34 56 78", PHONE),
    (("FrenchPhoneRecognizer",), "+33 (0)6 12 34 56 78", PHONE),
    (("FrenchIbanRecognizer",), IBAN_VALUE, IBAN),
    ((), CARD[:4] + " " + CARD[4:8] + " " + CARD[8:12] + " " + CARD[12:], PAYMENT_CARD),
    (("FrenchEmailRecognizer", "FrenchUrlRecognizer"), "lucien.k@exemple-clinique.fr", EMAIL),
    (("FrenchEmailRecognizer", "FrenchUrlRecognizer"), "lucien.k @ exemple-clinique . fr", EMAIL),
    (("FrenchEmailRecognizer", "FrenchUrlRecognizer"), "lucien.k [at] exemple-clinique.fr", EMAIL),
    (("FrenchEmailRecognizer", "FrenchUrlRecognizer"), "lucien.k arobase exemple point fr", EMAIL),
])
def test_what_the_recognizers_miss_the_sentinel_catches(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        recognizers: tuple[str, ...], value: str, entity_type: str) -> None:
    if "{key}" in value:  # Corsica: 2A counts as 19, 2B as 18
        body = value.replace("{key}", "").replace(" ", "")
        number = int(body.replace("2A", "19").replace("2B", "18"))
        value = value.replace("{key}", f"{97 - number % 97:02d}")
    without(monkeypatch, deidentifier, *recognizers)
    src = tmp_path / "in.txt"
    src.write_text(f"Suivi au long cours.\nÀ noter : {value} ce jour.\n", encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "fixed.txt")
    assert report.status == "done", report.reason
    assert value not in (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert report.entities.get(entity_type)

    no_fix(monkeypatch)
    report = deidentifier.pseudonymize_file(src, tmp_path / "refused.txt")
    assert report.status == "refused"
    assert report.reason == f"verification failed: {entity_type} remnant in text"
    assert not (tmp_path / "refused.txt").exists()


def test_surrogates_are_not_remnants(deidentifier: Deidentifier, tmp_path: Path) -> None:
    """Surrogate NIRs and phones validate too: they are what the run wrote."""
    src = tmp_path / "in.txt"
    src.write_text(f"Mme Josiane VERDELET\nNIR : {NIR}\nTél. : 06 12 34 56 78\n"
                   f"Carte : {CARD}\nIBAN : {IBAN_VALUE}\n", encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "done", report.reason


# -- fixed in place, or refused --------------------------------------------------------------
TEXT = ("Patient : M. Jean DUPONT, né le 12/03/1960.\n"
        "Photo jointe : DUPONT_Jean_photo.png\n"
        "M. Dupont va mieux. Revu avec DupontJean.\n")


def test_a_missed_form_is_fixed_with_the_same_surrogate(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    miss(monkeypatch, deidentifier, r"dupont|jean")
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "done", report.reason
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert not re.search("dupont|jean", out, re.IGNORECASE)
    first, last = re.search(r"M\. (\S+) (\S+),", out).groups()
    assert f"{last}_{first}_photo.png" in out
    assert f"M. {last.title()} va mieux" in out and f"{last.title()}{first}." in out


def test_a_missed_form_is_refused_when_not_fixed(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    miss(monkeypatch, deidentifier, r"dupont|jean")
    no_fix(monkeypatch)
    src = tmp_path / "in.txt"
    src.write_text(TEXT, encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "refused"
    assert report.reason == "verification failed: PERSON remnant in text"


def test_the_output_name_is_checked(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Patient : M. Jean DUPONT, vu ce jour.\n", encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "CR_DUPONT.txt")
    assert report.status == "refused"
    assert report.reason == "verification failed: PERSON remnant in output file name"


def test_ordinary_words_do_not_refuse(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    text = ("Patiente : Mme Marie PETIT, vue ce jour.\n"
            "Petit à petit, la marche progresse. Un petit hématome persiste.\n"
            "Conseils du boulanger : pain sans sel. Blanc de l'œil normal.\n")
    src.write_text(text, encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.txt")
    assert report.status == "done", report.reason
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert "Petit à petit" in out and "Un petit hématome" in out and "boulanger" in out


# -- the hook --------------------------------------------------------------------------------
def test_scan_reports_remnants_and_sentinel_hits(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    miss(monkeypatch, deidentifier, r"dupont|jean")
    without(monkeypatch, deidentifier, "FrenchPhoneRecognizer")
    path = tmp_path / "notes.txt"
    path.write_text(TEXT + "Tél. 06 12 34 56 78\n", encoding="utf-8")
    findings = scan_file(deidentifier, path, show_values=False)
    lines = {(f.location, f.type) for f in findings}
    assert {("2", PERSON), ("3", PERSON), ("4", PHONE)} <= lines
    assert not any("DUPONT" in f.line() or "06 12" in f.line() for f in findings)
