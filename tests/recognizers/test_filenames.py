"""Names and identifiers written file-name style (recognizers/filenames.py), recognizers
alone (no spaCy): each name atom is found on its own, separators, particles and the
extension stay; document words, compound eponyms and places are left alone."""

from __future__ import annotations

import unicodedata

import pytest

from deident.lexicons import load_lexicons
from deident.recognizers.filenames import FileNameIdRecognizer, JoinedNameRecognizer


def _found(recognizer, text: str, entity: str = "PERSON") -> list[str]:
    return [text[r.start:r.end] for r in sorted(recognizer.analyze(text, [entity]),
                                                key=lambda r: r.start)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Photo : BRETON_Agathe_plaie.png", ["BRETON", "Agathe"]),
    ("CR_HAMON_Lucien.docx", ["HAMON", "Lucien"]),
    ("dossier ToussaintBenoit transmis", ["Toussaint", "Benoit"]),
    ("voir BenoitToussaint_bilan.pdf", ["Benoit", "Toussaint"]),
    ("scan_kerlouegan_yvette_2019.jpg", ["kerlouegan", "yvette"]),
    ("ARNAUD_Marie-Hélène.pdf", ["ARNAUD", "Marie-Hélène"]),
    # a surname in capitals that is also a French word, joined to a first name
    ("Pièce jointe : CR_Gaspard_BLANC.docx", ["Gaspard", "BLANC"]),
    ("BERGER_Odile_ECG.pdf", ["BERGER", "Odile"]),
    # particles stay as written, before or after the first name
    ("CR_Gwenola_LE_BIHAN.docx", ["Gwenola", "BIHAN"]),
    ("Anne-Sophie_DE_KERAUDREN_plaie.jpg", ["Anne-Sophie", "KERAUDREN"]),
    ("CR_du_Mesnil_Thibault.pdf", ["Mesnil", "Thibault"]),
    ("thibault_du_mesnil_ordonnance.pdf", ["thibault", "mesnil"]),
    ("Export : DeKerangalMaelle.pdf", ["Kerangal", "Maelle"]),
    # dots and hyphens as joins when the token ends in an extension
    ("Pièce jointe : romain.castagnet.pdf (compte rendu)", ["romain", "castagnet"]),
    ("Pièce jointe : Castagnet-Romain.pdf", ["Castagnet", "Romain"]),
    # compound surnames: one result per hyphenated stretch
    ("Photo Ophélie_MARCHAND-ROY.png", ["Ophélie", "MARCHAND-ROY"]),
    ("CR_SALAUN_GUIVARCH_Yannick.docx", ["SALAUN", "GUIVARCH", "Yannick"]),
    # the extension is no name part; a sentence's full stop is no join
    ("Voir CR_Josiane_FONTAINE.docx.", ["Josiane", "FONTAINE"]),
])
def test_joined_names(text: str, expected: list[str]) -> None:
    assert _found(JoinedNameRecognizer(load_lexicons()), text) == expected


def test_decomposed_accents() -> None:
    text = unicodedata.normalize("NFD", "CR_Hélène_LEFÈVRE.docx")
    found = _found(JoinedNameRecognizer(load_lexicons()), text)
    assert [unicodedata.normalize("NFC", f) for f in found] == ["Hélène", "LEFÈVRE"]


@pytest.mark.parametrize("text", [
    "bilan_final_v2.docx", "IRM_Juin_2020.pdf", "Protocole_Cardiologie_2024.pdf",
    "rapport_final_v2.docx", "IRM_cerebrale_2020.pdf", "Parkinson_protocole.pdf",
    "NovoRapid FlexPen", "HbA1c à 7 %", "SpO2 96 %", "BRETON Agathe",  # spaces: not joined
    "Marie_BILAN.pdf", "CR_Paul_FINAL.docx", "scan_Julie_photo.png",  # document words
    "Protocole_Charcot_Marie_Tooth_v3.pdf", "syndrome_de_Gilles_de_la_Tourette.pdf",
    "Hopital_Saint_Louis.pdf", "CR_Lucie_IRM.pdf", "Lucie_Mars_2021.pdf",
    "compte_rendu_de_la_reunion.docx", "fin de phrase.Suite du texte",
])
def test_not_joined_names(text: str) -> None:
    assert _found(JoinedNameRecognizer(load_lexicons()), text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Pièce jointe : IPP_73120456_radio.pdf", ["73120456"]),
    ("nda-5512093847-sortie.docx", ["5512093847"]),
    ("scan.IPP.40917735.pdf", ["40917735"]),
    ("ipp4091773_scan.jpg", ["4091773"]),
])
def test_joined_hospital_ids(text: str, expected: list[str]) -> None:
    assert _found(FileNameIdRecognizer(), text, "HOSPITAL_ID") == expected


@pytest.mark.parametrize("text", [
    "IPPS_2020.pdf", "NDA_v2.docx", "zipp_12345.pdf", "IPP_en_attente.pdf",
])
def test_not_joined_hospital_ids(text: str) -> None:
    assert _found(FileNameIdRecognizer(), text, "HOSPITAL_ID") == []
