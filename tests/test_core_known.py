"""Known identities through the whole pipeline: every written form of a patient replaced,
one pseudonym per identity, and dates shifted per patient across their documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from deident import Deidentifier

PATIENTS = [
    {"patient_id": "IPP-001", "last_names": ["Fournier-Lambert", "Guivarc'h"],
     "first_names": ["Jeanne", "Marie"], "birth_date": "1957-09-03", "nir": "257092923201170",
     "folder": "patient_a"},
    {"patient_id": "IPP-002", "last_names": ["Petit"], "first_names": ["Loïc"],
     "birth_date": "1961-02-14", "folder": "patient_b"},
]


def _write_known(folder: Path) -> Path:
    path = folder / "known.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PATIENTS) + "\n",
                    encoding="utf-8")
    return path


def _date(text: str) -> dt.date:
    day, month, year = map(int, re.search(r"(\d\d)/(\d\d)/(\d{4})", text).groups())
    return dt.date(year, month, day)


def test_known_patients_are_caught_without_clues_and_dates_shift_per_patient(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "patient_a").mkdir(parents=True)
    (src / "patient_b").mkdir()
    (src / "patient_a" / "cr1.txt").write_text(
        "Consultation du 10/01/2021.\nvu avec Mme J. Fournier-Lambert ; FOURNIER L. revue.\n"
        "| Guivarc'h | 03/09/1957 |\n", encoding="utf-8")
    (src / "patient_a" / "cr2.txt").write_text(
        "Contrôle du 25/01/2021. Jeanne-Marie GUIVARC'H va bien.\n", encoding="utf-8")
    (src / "patient_b" / "cr1.txt").write_text(
        "Consultation du 10/01/2021. Petit va mieux ; un petit nodule persiste.\n",
        encoding="utf-8")
    known = deidentifier.with_config(
        deidentifier.config.with_overrides("test", known=_write_known(tmp_path)))
    report = known.pseudonymize_folder(src, tmp_path / "dst")
    assert report.statuses() == {"done": 3}
    a1, a2, b1 = ((tmp_path / "dst" / p).read_text(encoding="utf-8")
                  for p in ("patient_a/cr1.txt", "patient_a/cr2.txt", "patient_b/cr1.txt"))
    for value in ("Fournier", "FOURNIER", "Lambert", "Guivarc'h", "GUIVARC'H", "1957"):
        assert value not in a1 + a2
    assert "Petit va" not in b1 and "un petit nodule" in b1  # the word stays lowercase
    # One patient: the same offset for all their documents, so the interval stays.
    assert (_date(a2) - _date(a1)).days == 15
    # Two patients: two offsets.
    assert _date(a1) != _date(b1)


def test_lowercase_compound_surname_and_french_export_through_the_pipeline(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Nom_Naissance;Nom_Usage;Prénom;DDN\nFournier;Lambert;Claire;03/09/1957\n"
                      "Fournier-Lambert;;Claire;03/09/1957\n", encoding="utf-8")
    known = deidentifier.with_config(deidentifier.config.with_overrides("test", known=export))
    text = ("note: vu fournier-lambert ce jour, puis claire fournier lambert au téléphone. "
            "Mme FOURNIER née le 03/09/1957.")
    out = known.pseudonymize_text(text).text
    for half in ("fournier", "lambert", "claire", "03/09/1957"):
        assert half not in out.lower(), "every written form goes whole"
    assert out.startswith("note: vu ") and " ce jour, puis " in out
