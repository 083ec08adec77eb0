"""Person forms the shape rules miss: patient initials, lowercase names (file-name style
names: test_filenames.py). Recognizers alone (no spaCy): what each finds and what it leaves."""

from __future__ import annotations

import pytest

from deident.lexicons import load_lexicons
from deident.recognizers.person import (
    LowercaseNameRecognizer,
    PatientInitialsRecognizer,
    TableNameRecognizer,
)


def _found(recognizer, text: str) -> list[str]:
    return [text[r.start:r.end] for r in sorted(recognizer.analyze(text, ["PERSON"]),
                                                key=lambda r: r.start)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Initiales : D.C.", ["D.", "C."]),
    ("Initiales du patient : DC", ["D", "C"]),
    ("Patiente H-L, 71 ans", ["H", "L"]),
    ("Sujet n° 0142 (initiales T.-G.)", ["T.", "G."]),
    ("patient F.M.R. inclus", ["F.", "M.", "R."]),
])
def test_patient_initials_one_result_per_letter(text: str, expected: list[str]) -> None:
    assert _found(PatientInitialsRecognizer(load_lexicons()), text) == expected


@pytest.mark.parametrize("text", [
    "patiente HTA", "patient VIH", "Patient : M. DU PLESSIS Yves", "Patient J.-P. ROUX",
    "sujet âgé", "patient DT2",
])
def test_not_initials(text: str) -> None:
    assert _found(PatientInitialsRecognizer(load_lexicons()), text) == []


def test_initials_column_gives_letters() -> None:
    text = "Initiales\tDate d'inclusion\tBras\nPM\t12/03/2020\tA\nJ.-R.\t13/03/2020\tB"
    assert _found(TableNameRecognizer(), text) == ["P", "M", "J.", "R."]


@pytest.mark.parametrize(("text", "expected"), [
    ("Prénom : mathéo", ["mathéo"]),
    ("Nom : le gall", ["le gall"]),
    ("Prénom : inconnu", []),
    ("vu avec jean kerdraon ce matin", ["jean kerdraon"]),
    ("mars, avril et mai soixante", []),  # a month, not a first name
])
def test_lowercase_names(text: str, expected: list[str]) -> None:
    assert _found(LowercaseNameRecognizer(load_lexicons()), text) == expected
