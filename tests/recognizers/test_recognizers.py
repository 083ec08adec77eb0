"""Recognizers one by one: patterns, checksums that raise (never drop) a score."""

from __future__ import annotations

import pytest

from deident.recognizers.dates import FrenchDateRecognizer, _anchors
from deident.recognizers.identifiers import FrenchIbanRecognizer, RppsRecognizer
from deident.recognizers.nir import FrNirRecognizer
from deident.recognizers.phone import FrenchPhoneRecognizer


def _found(recognizer, text: str) -> list[tuple[str, float]]:
    results = recognizer.analyze(text, recognizer.supported_entities)
    return [(text[r.start:r.end], r.score) for r in results]


@pytest.mark.parametrize("text", ["2 48 02 29 019 004 06", "248022901900406", "2 48 02 2A 019 004 52",
                                  "2-48-02-29-019-004-06"])
def test_nir_forms(text: str) -> None:
    assert [v for v, _ in _found(FrNirRecognizer(), f"NIR : {text}.")] == [text]


def test_nir_checksum_raises_confidence_but_a_wrong_key_is_kept() -> None:
    recognizer = FrNirRecognizer()
    (_, valid_score), = _found(recognizer, "2 48 02 29 019 004 06")
    (_, wrong_score), = _found(recognizer, "2 48 02 29 019 004 07")
    assert valid_score == 1.0 and 0.4 <= wrong_score < valid_score


def test_corsican_nir_key() -> None:
    from stdnum.fr import nir

    from deident.recognizers.nir import nir_key_is_valid

    body = "2480220190045"[:5] + "2A" + "019004"
    key = nir.calc_check_digits(body)
    assert nir_key_is_valid(body + key)


@pytest.mark.parametrize("text", ["06 12 34 56 78", "06.12.34.56.78", "0612345678",
                                  "+33 6 12 34 56 78", "01 42 34 56 78"])
def test_phone_layouts(text: str) -> None:
    assert [v for v, _ in _found(FrenchPhoneRecognizer(), f"Tél. : {text} (portable)")] == [text]


def test_phone_over_two_lines_and_outside_the_assigned_ranges() -> None:
    recognizer = FrenchPhoneRecognizer()
    assert _found(recognizer, "Tél. : 06 33 18\n72 91\n")[0][0] == "06 33 18\n72 91"
    (unassigned, score), = _found(recognizer, "tél. 07 28 66 58 03.")
    assert unassigned == "07 28 66 58 03" and 0.4 <= score < 1.0  # kept, not validated
    assert _found(recognizer, "ARC : 02 62 63 04 93 –")[0][0] == "02 62 63 04 93"


def test_valid_numbers_score_highest_and_foreign_numbers_are_found() -> None:
    recognizer = FrenchPhoneRecognizer()
    assert _found(recognizer, "tél. 06 12 34 56 78")[0] == ("06 12 34 56 78", 1.0)
    assert _found(recognizer, "Fils à Londres : +44 20 7946 0958.")[0][0] == "+44 20 7946 0958"


def test_rpps_luhn_and_iban_checksum() -> None:
    assert _found(RppsRecognizer(), "RPPS 10003456786")[0] == ("10003456786", 1.0)
    (iban, score), = _found(FrenchIbanRecognizer(), "IBAN FR76 3000 6000 0112 3456 7890 189")
    assert iban == "FR76 3000 6000 0112 3456 7890 189" and score == 1.0


def test_names_in_table_columns() -> None:
    from deident.recognizers.person import TableNameRecognizer

    text = ("Nom | Prénom | Date de naissance\nLESAGE | Piotr | 30/05/1974\nFin du tableau\n"
            "Nom\tBERTRAND\nService\tNeurochirurgie\n")
    assert [v for v, _ in _found(TableNameRecognizer(), text)] == ["LESAGE", "Piotr"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Au total, LE MEN, 72 ans, sort ce jour.", ["LE MEN"]),
    ("Vu avec Jinhua L. (IDE) ce matin.", ["Jinhua L."]),
    ("Transmis à Coumba Renard, IDE.", ["Coumba Renard"]),
    ("Patiente née à Quimper, 54 ans.", []),  # a place, not a name
    ("Examen normal, 72 ans.", []),
])
def test_name_before_an_age_or_a_role(text: str, expected: list[str]) -> None:
    from deident.recognizers.person import NameBeforeCueRecognizer

    assert [v for v, _ in _found(NameBeforeCueRecognizer(), text)] == expected


def test_hospital_names_without_their_head_word() -> None:
    from deident.recognizers.hospital import HospitalNameRecognizer

    recognizer = HospitalNameRecognizer()
    text = ("Transféré du CHU de Rouen à l'hôpital Henri Mondor puis à la clinique des Cèdres ; "
            "EHPAD Les Glycines. CLINIQUE DE L'ESPÉRANCE.")
    assert [v for v, _ in _found(recognizer, text)] == [
        "Rouen", "Henri Mondor", "Cèdres", "Les Glycines", "ESPÉRANCE"]


@pytest.mark.parametrize("text", [
    "Hôpital de jour le 12/03.", "HÔPITAL DE JOUR D'ONCOLOGIE", "Examen clinique : normal.",
    "ESSAI CLINIQUE ESCAPE-BPCO (NCT01247566)", "Attachée de recherche clinique : Jeanne ROUX",
    "HÔPITAL D'INSTRUCTION DES ARMÉES – RADIOLOGIE", "Vit en EHPAD à Massy.",
    "Clinique du Parc : Service de cardiologie", "dosage de GH Normal",
])
def test_not_hospital_names(text: str) -> None:
    from deident.recognizers.hospital import HospitalNameRecognizer

    found = [v for v, _ in _found(HospitalNameRecognizer(), text)]
    assert found in ([], ["Parc"])  # "Clinique du Parc" is one; the rest name no establishment


def test_hospital_sites_named_alone_need_a_cue() -> None:
    from deident.recognizers.hospital import HospitalSiteRecognizer

    recognizer = HospitalSiteRecognizer()
    cued = _found(recognizer, "Suivi à Mondor, greffé à la Pitié-Salpêtrière (St Louis).")
    assert [v for v, s in cued if s >= 0.4] == ["Mondor", "Pitié-Salpêtrière", "St Louis"]
    assert _found(recognizer, "aphasie de Broca, signe de Trousseau") == []
    assert all(s < 0.4 for _, s in _found(recognizer, "Le Dr Necker a vu le patient."))


def test_vehicle_plates_need_a_label_or_a_vehicle_word() -> None:
    from deident.recognizers.identifiers import VehiclePlateRecognizer

    recognizer = VehiclePlateRecognizer()
    assert _found(recognizer, "immatriculé AB-123-CD")[0] == ("AB-123-CD", 0.85)
    assert _found(recognizer, "Immatriculation : 1234 AB 75")[0] == ("1234 AB 75", 0.85)
    # Bare shapes score below the threshold (0.4) until a vehicle word is near.
    assert all(s < 0.4 for _, s in _found(recognizer, "Tube LB-204-XT, lot 12 AB 34."))
    assert _found(recognizer, "code IO-123-UA") == []  # no I, O, U in SIV plates


def test_payment_cards_need_the_luhn_check() -> None:
    from deident.recognizers.identifiers import PaymentCardRecognizer

    recognizer = PaymentCardRecognizer()
    assert _found(recognizer, "Carte bancaire 4970 1012 3456 7893") == [("4970 1012 3456 7893", 0.85)]
    assert _found(recognizer, "Carte bancaire 4970 1012 3456 7894") == []  # checksum fails
    assert all(s < 0.4 for _, s in _found(recognizer, "Réf. 4111111111111111"))


@pytest.mark.parametrize(("text", "expected"), [
    ("tlabelle @ medimail . com", "tlabelle@medimail.com"),
    ("x [at] y.fr", "x@y.fr"), ("x(at)y.fr", "x@y.fr"),
    ("jean arobase orange point fr", "jean@orange.fr"),
])
def test_obfuscated_emails(text: str, expected: str) -> None:
    from deident.recognizers.web import FrenchEmailRecognizer, plain_email

    assert [v for v, _ in _found(FrenchEmailRecognizer(), f"Mail : {text}. Merci")] == [text]
    assert plain_email(text) == expected


def test_obfuscated_email_needs_a_real_domain() -> None:
    from deident.recognizers.web import FrenchEmailRecognizer

    assert _found(FrenchEmailRecognizer(), "RDV @ domicile. Le patient") == []


@pytest.mark.parametrize("text", ["(01) 45.67-89 10", "+33 (0)6 12 34 56 78", "(+33) 6 12 34 56 78"])
def test_phone_with_brackets_and_mixed_separators(text: str) -> None:
    assert [v for v, _ in _found(FrenchPhoneRecognizer(), f"Tél. : {text} (portable)")] == [text]


def test_dates_in_words_are_found_around_their_month_only() -> None:
    recognizer = FrenchDateRecognizer()
    padding = "Compte rendu dicté et relu, " * 8  # the month far from the start of the line
    text = f"{padding}le Mardi vingt-sept Décembre deux mille vingt-deux, puis le 3 mars."
    found = {value for value, _ in _found(recognizer, text)}
    assert "Mardi vingt-sept Décembre deux mille vingt-deux" in found and "3 mars" in found
    assert _found(recognizer, "vingt-sept patients, deux mille euros, douze ans") == []


def test_month_anchors_found_quickly_are_the_ones_the_pattern_finds() -> None:
    import regex

    from deident.dates import ANCHOR

    text = "MARDI 3 DÉC. ; aout, Août, mais marche, sept ; dimanche ; pharmacie jan. déc décembre"
    expected = [m.span() for m in regex.finditer(ANCHOR, text, regex.IGNORECASE)]
    assert [m.span() for m in _anchors(text)] == expected and len(expected) == 9


def test_nir_then_birth_date_one_digit_per_box() -> None:
    text = "Cases : 1 4 2 3 8 5 6 8 3 7 8 3 5 3 0 9 0 1 1 9 8 7 24 rue"
    assert [v for v, _ in _found(FrNirRecognizer(), text)] == ["1 4 2 3 8 5 6 8 3 7 8 3 5 3"]
    assert [v for v, _ in _found(FrenchDateRecognizer(), text)] == ["0 9 0 1 1 9 8 7"]
