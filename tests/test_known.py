"""Known identities: every written form of a known patient's values, and nothing else.

All names, numbers and addresses below are fictitious.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FR_NIR,
    HOSPITAL_ID,
    PERSON,
    PHONE,
    ZIP_CITY,
)
from deident.errors import DeidentError
from deident.known import KnownIdentities, KnownIdentitiesError, load_known

HEADER = ("patient_id;last_names;first_names;birth_date;nir;address;postcode;city;phones;emails;"
          "file;folder")
ROWS = [
    "PX0001;Vasseur-Morin|Kergoat;Jean-Pierre|Louis;1957-09-03;1 57 09 75 123 456;"
    "12 avenue des Tilleuls;69003;Villeurbanne;06 12 34 56 78|+33 4 72 00 11 22;"
    "jp.vasseur@exemple.fr;;",
    "PX0002;Petit;Claire;01/02/1980;;;;;;;lettres/cr_petit.docx;",
    "PX0003;de la Fontaine;Anne;;;;;;;;;consultations/2021",
    "PX0004;Blanc;Marc;;;;;;;;;",
    "PX0005;Quéméneur;Élodie;;;;;;;;bilan.pdf;",
    "PX0006;Guivarc'h;Anaïs;;;;;;;;;",
]
NIR_KEY = "54"  # 97 - 1570975123456 % 97
LETTER = "lettres/cr_petit.docx"
CONSULTATION = "consultations/2021/cr.txt"


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownIdentities:
    path = tmp_path_factory.mktemp("known") / "patients.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return load_known(path)


def matched(known: KnownIdentities, text: str, document: str | None = None
            ) -> list[tuple[str, str]]:
    return [(text[e.start:e.end], e.type) for e in known.find(text, document)]


# (text, document, expected (substring, type) pairs)
CASES: list[tuple[str, str | None, list[tuple[str, str]]]] = [
    # last names alone, compound, one part, with the next part's initial
    ("Vu M. VASSEUR-MORIN ce jour.", None, [("VASSEUR-MORIN", PERSON)]),
    ("Mme Vasseur Morin", None, [("Vasseur Morin", PERSON)]),
    ("un vasseur, le morin", None, []),  # words of the French lexicon: capital needed
    ("Adressé par Morin.", None, [("Morin", PERSON)]),
    ("Dossier VASSEUR", None, [("VASSEUR", PERSON)]),
    ("Courrier de Vasseur-M. joint", None, [("Vasseur-M.", PERSON)]),
    ("Courrier de FOURNIER L. joint".replace("FOURNIER L.", "VASSEUR M."), None,
     [("VASSEUR M.", PERSON)]),
    ("Mme KERGOAT-VASSEUR-MORIN", None, [("KERGOAT-VASSEUR-MORIN", PERSON)]),
    ("kergoat", None, [("kergoat", PERSON)]),  # not a French word: matched in lowercase too
    ("| Guivarc'h | GUIVARC’H |", None, [("Guivarc'h", PERSON), ("GUIVARC’H", PERSON)]),
    ("Anaïs Guivarc'h", None, [("Anaïs Guivarc'h", PERSON)]),
    # first names next to a last name or an initial, never alone
    ("Jean-Pierre Vasseur-Morin", None, [("Jean-Pierre Vasseur-Morin", PERSON)]),
    ("Jean Pierre KERGOAT", None, [("Jean Pierre KERGOAT", PERSON)]),
    ("Kergoat Louis", None, [("Kergoat Louis", PERSON)]),
    ("KERGOAT, Louis", None, [("KERGOAT, Louis", PERSON)]),
    ("Jean-Pierre Louis Kergoat", None, [("Jean-Pierre Louis Kergoat", PERSON)]),
    ("Jean-Pierre K. a appelé", None, [("Jean-Pierre K.", PERSON)]),
    ("Louis est venu seul", None, []),
    ("Jean-Pierre est venu seul", None, []),
    # initials
    ("J. Kergoat", None, [("J. Kergoat", PERSON)]),
    ("L. KERGOAT", None, [("L. KERGOAT", PERSON)]),
    ("Kergoat J.", None, [("Kergoat J.", PERSON)]),
    ("J.-P. Vasseur-Morin", None, [("J.-P. Vasseur-Morin", PERSON)]),
    ("J.P. Morin", None, [("J.P. Morin", PERSON)]),
    ("J-P Kergoat", None, [("J-P Kergoat", PERSON)]),
    ("VASSEUR, J.-P.", None, [("VASSEUR, J.-P.", PERSON)]),
    ("A. Kergoat", None, [("Kergoat", PERSON)]),  # not this patient's initial
    ("M. Blanc est revu", None, [("Blanc", PERSON)]),  # "M." is Monsieur, kept
    ("Marc Blanc", None, [("Marc Blanc", PERSON)]),
    # a surname that is a common word: capitalised or upper-case only
    ("BLANC Marc", None, [("BLANC Marc", PERSON)]),
    ("Vu Blanc ce jour", None, [("Blanc", PERSON)]),
    ("un vin blanc, un marc de raisin", None, []),
    ("Un petit nodule", LETTER, []),
    ("Revue de Mme Petit et de Claire PETIT", LETTER, [("Petit", PERSON), ("Claire PETIT", PERSON)]),
    # particles
    ("Mme de la Fontaine", CONSULTATION, [("de la Fontaine", PERSON)]),
    ("MME DE LA FONTAINE", CONSULTATION, [("DE LA FONTAINE", PERSON)]),
    ("Mme La Fontaine", CONSULTATION, [("La Fontaine", PERSON)]),
    ("Anne de la Fontaine", CONSULTATION, [("Anne de la Fontaine", PERSON)]),
    ("LA FONTAINE Anne", CONSULTATION, [("LA FONTAINE Anne", PERSON)]),
    ("une Fontaine Wallace", CONSULTATION, []),  # after an article, the article stays
    ("près de la fontaine du parc", CONSULTATION, []),
    # accents
    ("Élodie QUEMENEUR", "bilan.pdf", [("Élodie QUEMENEUR", PERSON)]),
    ("elodie queméneur", "2021/bilan.pdf", [("elodie queméneur", PERSON)]),
    # birth date in every form
    ("né le 03/09/1957", None, [("03/09/1957", DATE)]),
    ("né le 3/9/57", None, [("3/9/57", DATE)]),
    ("né le 03.09.1957", None, [("03.09.1957", DATE)]),
    ("né le 03-09-1957", None, [("03-09-1957", DATE)]),
    ("né le 1957-09-03", None, [("1957-09-03", DATE)]),
    ("né le 3 septembre 1957", None, [("3 septembre 1957", DATE)]),
    ("né le 03 sept. 1957", None, [("03 sept. 1957", DATE)]),
    ("né le 3 SEPTEMBRE 1957", None, [("3 SEPTEMBRE 1957", DATE)]),
    ("né le mardi 3 septembre 1957", None, [("mardi 3 septembre 1957", DATE)]),
    ("né le 03 09 1957", None, [("03 09 1957", DATE)]),
    ("DDN 03091957", None, [("03091957", DATE)]),
    ("née le 1er février 1980", LETTER, [("1er février 1980", DATE)]),
    ("née le 01/02/1980", LETTER, [("01/02/1980", DATE)]),
    ("vu le 04/09/1957 et le 03/09/1958", None, []),
    ("le 3 septembre", None, []),  # no year: not the birth date
    # NIR
    (f"NIR 1 57 09 75 123 456 {NIR_KEY}", None, [(f"1 57 09 75 123 456 {NIR_KEY}", FR_NIR)]),
    (f"NIR 1570975123456{NIR_KEY}", None, [(f"1570975123456{NIR_KEY}", FR_NIR)]),
    ("NIR 1570975123456", None, [("1570975123456", FR_NIR)]),
    (f"NIR 1.57.09.75.123.456.{NIR_KEY}", None, [(f"1.57.09.75.123.456.{NIR_KEY}", FR_NIR)]),
    ("NIR 1 57 09 75 123 456 et 12 cp", None, [("1 57 09 75 123 456", FR_NIR)]),
    ("NIR 1 57 09 75 123 457 00", None, []),
    # phones
    ("Tél 06 12 34 56 78", None, [("06 12 34 56 78", PHONE)]),
    ("Tél 06.12.34.56.78", None, [("06.12.34.56.78", PHONE)]),
    ("Tél 06-12-34-56-78", None, [("06-12-34-56-78", PHONE)]),
    ("Tél 0612345678.", None, [("0612345678", PHONE)]),
    ("Tél +33 6 12 34 56 78", None, [("+33 6 12 34 56 78", PHONE)]),
    ("Tél +33 (0)6 12 34 56 78", None, [("+33 (0)6 12 34 56 78", PHONE)]),
    ("Tél 0033 612 345 678", None, [("0033 612 345 678", PHONE)]),
    ("Tél 04 72 00 11 22 ou 06 12 34 56 78", None,
     [("04 72 00 11 22", PHONE), ("06 12 34 56 78", PHONE)]),
    ("Tél 06 12 34 56 79", None, []),
    # e-mails, case-insensitive
    ("écrire à JP.Vasseur@Exemple.FR.", None, [("JP.Vasseur@Exemple.FR", EMAIL)]),
    ("écrire à xjp.vasseur@exemple.fr", None, []),
    ("écrire à Louis.Kergoat@hopital.example", None, [("Louis.Kergoat@hopital.example", EMAIL)]),
    # address, postcode and city, city alone
    ("demeurant 12 avenue des Tilleuls", None, [("12 avenue des Tilleuls", ADDRESS)]),
    ("demeurant 12, av. des Tilleuls", None, [("12, av. des Tilleuls", ADDRESS)]),
    ("DEMEURANT 12 AVENUE DES TILLEULS", None, [("12 AVENUE DES TILLEULS", ADDRESS)]),
    ("69003 VILLEURBANNE", None, [("69003 VILLEURBANNE", ZIP_CITY)]),
    ("69003 Villeurbanne", None, [("69003 Villeurbanne", ZIP_CITY)]),
    ("habite à Villeurbanne", None, [("Villeurbanne", CITY)]),
    ("habite à villeurbanne", None, []),
    # hospital identifier
    ("IPP PX0001", None, [("PX0001", HOSPITAL_ID)]),
    ("IPP px0001", None, [("px0001", HOSPITAL_ID)]),
    # whole words only
    ("Kergoatique, Morinval, Blancs, 0612345678901", None, []),
]


@pytest.mark.parametrize(("text", "document", "expected"), CASES)
def test_find(known: KnownIdentities, text: str, document: str | None,
              expected: list[tuple[str, str]]) -> None:
    assert matched(known, text, document) == expected


def test_entities_are_sorted_non_overlapping_and_marked(known: KnownIdentities) -> None:
    text = ("Jean-Pierre VASSEUR-MORIN (IPP PX0001), né le 3 septembre 1957, NIR "
            f"1 57 09 75 123 456 {NIR_KEY}, 12 avenue des Tilleuls 69003 Villeurbanne, tél "
            "06 12 34 56 78, jp.vasseur@exemple.fr. Revu par J.-P. Vasseur-Morin et M. Blanc.")
    entities = known.find(text)
    assert entities == sorted(entities)
    assert all(a.end <= b.start for a, b in pairwise(entities))
    assert all(e.score == 1.0 and e.hint == "known" for e in entities)
    assert [text[e.start:e.end] for e in entities] == [
        "Jean-Pierre VASSEUR-MORIN", "PX0001", "3 septembre 1957",
        f"1 57 09 75 123 456 {NIR_KEY}", "12 avenue des Tilleuls", "69003 Villeurbanne",
        "06 12 34 56 78", "jp.vasseur@exemple.fr", "J.-P. Vasseur-Morin", "Blanc",
    ]


def test_longest_variant_wins(known: KnownIdentities) -> None:
    # "Jean-Pierre Vasseur-Morin" contains "Vasseur-Morin", "Vasseur" and "Morin".
    assert matched(known, "Jean-Pierre Vasseur-Morin") == [("Jean-Pierre Vasseur-Morin", PERSON)]


@pytest.mark.parametrize(("document", "found"), [
    (None, False),
    (LETTER, True),
    ("autres/cr_petit.docx", False),
    ("lettres/autre.docx", False),
    ("/data/export/lettres/cr_petit.docx", True),
])
def test_scope_by_file(known: KnownIdentities, document: str | None, found: bool) -> None:
    assert bool(matched(known, "Claire Petit", document)) is found


@pytest.mark.parametrize(("document", "found"), [
    (None, False),
    (CONSULTATION, True),
    ("consultations/2021/mai/cr.docx", True),
    ("consultations\\2021\\cr.docx", True),
    ("consultations/2022/cr.txt", False),
    ("archives/consultations/2021/cr.txt", False),
    ("/srv/docs/consultations/2021/cr.txt", True),
])
def test_scope_by_folder(known: KnownIdentities, document: str | None, found: bool) -> None:
    assert bool(matched(known, "Anne de la Fontaine", document)) is found


def test_scope_by_file_name(known: KnownIdentities) -> None:
    assert matched(known, "QUEMENEUR", "bilan.pdf") == [("QUEMENEUR", PERSON)]
    assert matched(known, "QUEMENEUR", "2021/bilan.pdf") == [("QUEMENEUR", PERSON)]
    assert matched(known, "QUEMENEUR", "2021/bilan.docx") == []


def test_unscoped_patients_apply_everywhere(known: KnownIdentities) -> None:
    for document in (None, LETTER, CONSULTATION, "autre.txt"):
        assert matched(known, "Marc Blanc", document) == [("Marc Blanc", PERSON)]


@pytest.mark.parametrize(("document", "patient"), [
    (LETTER, "PX0002"),
    (CONSULTATION, "PX0003"),
    ("consultations/2021/mai/cr.docx", "PX0003"),
    ("2021/bilan.pdf", "PX0005"),
    ("autre.txt", None),
    (None, None),
])
def test_patient_for(known: KnownIdentities, document: str | None, patient: str | None) -> None:
    assert known.patient_for(document) == patient


def test_most_specific_scope_wins(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("patient_id,last_names,file,folder\nA1,Arnaud,,dossiers\n"
                    "B2,Bertin,,dossiers/b\nC3,Carrel,dossiers/b/c.txt,\n", encoding="utf-8")
    known = load_known(path)
    assert known.patient_for("dossiers/x.txt") == "A1"
    assert known.patient_for("dossiers/b/x.txt") == "B2"
    assert known.patient_for("dossiers/b/c.txt") == "C3"
    # Every patient in scope is searched, not only the most specific one.
    assert [t for t, _ in matched(known, "Arnaud, Bertin, Carrel", "dossiers/b/c.txt")] == [
        "Arnaud", "Bertin", "Carrel"]


def test_repr_shows_counts_only(known: KnownIdentities) -> None:
    text = repr(known)
    assert text.startswith("KnownIdentities(patients=6, variants=")
    for value in ("Vasseur", "vasseur", "PX0001", "1957", "Tilleuls", "06 12"):
        assert value not in text


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "patients.jsonl"
    lines = [
        {"patient_id": 12345678, "last_names": ["Le Goff", "Rivoallan"],
         "first_names": "Maëlle|Rose", "birth_date": "07/11/1991", "phones": ["+41 22 555 01 02"],
         "emails": ["m.legoff@exemple.org"], "folder": "bretagne"},
        {"patient_id": "X-77", "last_names": "Brunetière", "first_names": ["Paul"]},
    ]
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n",
                    encoding="utf-8")
    known = load_known(path)
    assert repr(known).startswith("KnownIdentities(patients=2,")
    text = ("Maëlle LE GOFF (IPP 12 345 678), née le 7 novembre 1991, tél +41 22 555 01 02, "
            "M.LEGOFF@exemple.org ; Rose Rivoallan ; une rose ; P. Brunetière")
    assert matched(known, text, "bretagne/cr.txt") == [
        ("Maëlle LE GOFF", PERSON), ("12 345 678", HOSPITAL_ID), ("7 novembre 1991", DATE),
        ("+41 22 555 01 02", PHONE), ("M.LEGOFF@exemple.org", EMAIL), ("Rose Rivoallan", PERSON),
        ("P. Brunetière", PERSON),
    ]
    assert matched(known, text, "autre/cr.txt") == [("P. Brunetière", PERSON)]
    assert known.patient_for("bretagne/cr.txt") == "12345678"


def test_csv_with_commas_and_quotes(tmp_path: Path) -> None:
    path = tmp_path / "patients.csv"
    path.write_text(
        "\ufeffpatient_id,last_names,first_names,address,postcode,city\n"
        '0042917,Saint-Aubin,Lucie,"3, rue du Four",35000,Saint-Malo\n',
        encoding="utf-8")
    known = load_known(path)
    text = "Lucie SAINT-AUBIN, 3 rue du Four, 35000 St-Malo ; vue à St Malo ; Aubin"
    assert matched(known, text) == [
        ("Lucie SAINT-AUBIN", PERSON), ("3 rue du Four", ADDRESS), ("35000 St-Malo", ZIP_CITY),
        ("St Malo", CITY), ("Aubin", PERSON),
    ]


VALUE = "Zorglub"  # a value that must never appear in an error message


@pytest.mark.parametrize(("content", "line", "column"), [
    (f"patient_id;last_names;{VALUE}\nA1;Martin;x\n", 1, 3),  # unknown column
    ("patient_id;birth_date;DDN\n", 1, 3),  # duplicate column (one value expected)
    (f"nom;{VALUE}_naissance\nMartin;x\n", 1, 2),  # unknown column near a known alias
    (f"patient_id;last_names;birth_date\nA1;Martin;1990-01-01\nA2;{VALUE};{VALUE}\n", 3, 3),
    (f"patient_id;last_names;birth_date\nA1;{VALUE};31/02/1990\n", 2, 3),
    (f"patient_id;last_names;nir\nA1;{VALUE};1234{VALUE}\n", 2, 3),
    (f"patient_id;phones\nA1;06 12|{VALUE}\n", 2, 2),
    (f"patient_id;emails\nA1;{VALUE}\n", 2, 2),
    (f"patient_id;last_names\nA1;{VALUE}2\n", 2, 2),
    ("patient_id;last_names;file\n;;a.txt\n", 2, None),  # nothing identifies the patient
    (f"patient_id;last_names\nA1;{VALUE};{VALUE}\n", 2, 3),  # more fields than the header
    (f"patient_id;last_names;file;folder\nA1;{VALUE};a.txt;b\n", 2, 4),
])
def test_csv_errors_name_line_and_column_not_value(tmp_path: Path, content: str, line: int,
                                                   column: int | None) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnownIdentitiesError) as info:
        load_known(path)
    message = str(info.value)
    assert isinstance(info.value, DeidentError)
    assert str(path) in message
    assert f"line {line}" in message
    if column is not None:
        assert f"column {column}" in message
    assert VALUE.lower() not in message.lower()
    assert "1990" not in message and "06 12" not in message


@pytest.mark.parametrize(("content", "line", "column"), [
    (f'{{"patient_id": "A1"}}\n{{"patient_id": "A2", "{VALUE}": "x"}}\n', 2, 22),  # unknown key
    (f'{{"patient_id": "A1", "last_names": "{VALUE}",\n', 1, 46),  # invalid JSON
    (f'\n["{VALUE}"]\n', 2, 1),
    (f'{{"last_names": "{VALUE}", "birth_date": "1990/01/01", "patient_id": "A1"}}\n', 1, 27),
    (f'{{"patient_id": "A1", "last_names": {{"{VALUE}": 1}}}}\n', 1, 22),
    (f'{{"ddn": "01/01/1990", "birth_date": "{VALUE}"}}\n', 1, 23),  # duplicate key
])
def test_jsonl_errors_name_line_and_column_not_value(tmp_path: Path, content: str, line: int,
                                                     column: int) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KnownIdentitiesError) as info:
        load_known(path)
    message = str(info.value)
    assert f"line {line}, column {column}" in message
    assert VALUE.lower() not in message.lower() and "1990" not in message


def test_invalid_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("patient_id;last_names\nA1;Cl\u00e9ment\n".encode("latin-1"))
    with pytest.raises(KnownIdentitiesError, match=r"line 2, column 6: not valid UTF-8"):
        load_known(path)
    with pytest.raises(KnownIdentitiesError, match="cannot read"):
        load_known(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(KnownIdentitiesError, match="header"):
        load_known(empty)


def test_trailing_separator_and_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "patients.csv"
    path.write_text("patient_id;last_names;\r\n\r\nA1;Kerbrat;\r\n;;\r\n", encoding="utf-8")
    assert matched(load_known(path), "Mme KERBRAT") == [("KERBRAT", PERSON)]
    path.write_text("patient_id;last_names;\nA1;Kerbrat;Zorglub\n", encoding="utf-8")
    with pytest.raises(KnownIdentitiesError, match="line 2, column 3") as info:
        load_known(path)
    assert "Zorglub" not in str(info.value)


def test_without_the_french_lexicon_every_name_needs_its_capital(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deident.known

    monkeypatch.setattr(deident.known, "_common_words", lambda: None)
    path = tmp_path / "patients.csv"
    path.write_text("patient_id,last_names,first_names\nA1,Kergoat|X,Louis\n", encoding="utf-8")
    known = load_known(path)
    assert matched(known, "kergoat, Kergoat, X. Y") == [("Kergoat", PERSON)]


# -- exports as hospitals write them ------------------------------------------------------

FRENCH_EXPORT = (
    "Nom_Naissance;NOM_USAGE;Prénom;Date_Naissance;Num_Secu;Adresse;CP;Commune;Tél;Mail;IPP\n"
    "Fournier;Lambert;Claire;03/09/1957;1 57 09 75 123 456;12 avenue des Tilleuls;69003;"
    "Villeurbanne;06 12 34 56 78;c.fournier@exemple.fr;8841207\n"
)
FRENCH_TEXT = ("Mme Claire FOURNIER, épouse LAMBERT, née le 3 septembre 1957 (NIR 1570975123456), "
               "12 av. des Tilleuls 69003 Villeurbanne, tél 06.12.34.56.78, "
               "c.fournier@exemple.fr, IPP 8841207.")
FRENCH_FOUND = [
    ("Claire FOURNIER", PERSON), ("LAMBERT", PERSON), ("3 septembre 1957", DATE),
    ("1570975123456", FR_NIR), ("12 av. des Tilleuls", ADDRESS), ("69003 Villeurbanne", ZIP_CITY),
    ("06.12.34.56.78", PHONE), ("c.fournier@exemple.fr", EMAIL), ("8841207", HOSPITAL_ID),
]


def test_french_column_names_case_and_accents_ignored(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(FRENCH_EXPORT, encoding="utf-8")
    assert matched(load_known(path), FRENCH_TEXT) == FRENCH_FOUND
    # The other spellings of the brief: one column each, same record.
    path.write_text("nom;prenom;ddn;nir;ipp;adresse;code_postal;ville;telephone;email\n"
                    "Fournier-Lambert;Claire;1957-09-03;157097512345654;8841207;"
                    "12 avenue des Tilleuls;69003;Villeurbanne;0612345678;c.fournier@exemple.fr\n",
                    encoding="utf-8")
    assert matched(load_known(path), FRENCH_TEXT) == FRENCH_FOUND


def test_jsonl_keys_as_aliases_and_merged_name_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({
        "nom_naissance": "Fournier", "nom_usage": ["Lambert"], "prénom": "Claire",
        "DDN": "03/09/1957", "nir": "1 57 09 75 123 456", "adresse": "12 avenue des Tilleuls",
        "cp": "69003", "ville": "Villeurbanne", "tel": "06 12 34 56 78",
        "mail": "c.fournier@exemple.fr", "IPP": 8841207}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    assert matched(load_known(path), FRENCH_TEXT) == FRENCH_FOUND


def test_patient_id_optional_and_derived_from_the_identity(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("nom;prénom;ddn;fichier\n"
                    "Kerbrat;Anne;1960-05-01;a.txt\n"
                    "KERBRAT;anne;01/05/1960;b.txt\n"  # the same patient, written otherwise
                    "Kerbrat;Anne;1962-05-01;c.txt\n", encoding="utf-8")
    known = load_known(path)
    assert matched(known, "Anne Kerbrat", "a.txt") == [("Anne Kerbrat", PERSON)]
    a, b, c = (known.patient_for(name) for name in ("a.txt", "b.txt", "c.txt"))
    assert a == b != c  # one identity, one date shift; never a counter
    assert a is not None and "kerbrat" not in a.lower() and "1960" not in a
    assert known.patient_for("a.txt") == load_known(path).patient_for("a.txt")  # deterministic
    assert known.patient_count == 2 and "~" not in repr(known)
    # A derived identifier is never searched in the text.
    assert matched(known, f"dossier {a}", "a.txt") == []


@pytest.mark.parametrize("written", [
    "fournier-lambert", "fournier lambert", "FOURNIER-lambert", "Fournier-Lambert",
    "FOURNIER LAMBERT",
])
def test_known_compound_surname_is_replaced_whole_in_any_case(tmp_path: Path, written: str
                                                              ) -> None:
    # "fournier" is a French word (needs its capital alone), "lambert" is not: the lowercase
    # compound used to lose only its second half.
    path = tmp_path / "p.csv"
    path.write_text("nom;prénom\nFournier-Lambert;Claire\n", encoding="utf-8")
    known = load_known(path)
    assert matched(known, f"vu {written} ce jour") == [(written, PERSON)]
    assert matched(known, f"vu claire {written.lower()}") == [
        (f"claire {written.lower()}", PERSON)]
    # An ordinary word stays: a lowercase first name goes only beside a lowercase last name.
    assert matched(known, "une eau claire Fournier-Lambert") == [("Fournier-Lambert", PERSON)]
    assert matched(known, "le fournier du village") == []
