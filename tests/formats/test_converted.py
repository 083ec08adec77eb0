""".xls and .ods: converted by LibreOffice headless to .xlsx, pseudonymized as such, written
as .xlsx beside the mirrored path, the conversion named in the report."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import libreoffice
import openpyxl
import pytest
import xlsx_traps as traps

from deident import Deidentifier
from deident.formats import converted

NAMES = ["Brunet", "Lefebvre", "Amandine", "Rosalie", "Lemaire", "Carpentier"]


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same small workbook saved as .xls and .ods by LibreOffice itself."""
    binary = libreoffice.require_soffice()
    folder = tmp_path_factory.mktemp("legacy")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Patients"
    sheet.append(["Nom", "Prénom", "DDN", "Commentaire"])
    sheet.append(["Brunet", "Amandine", dt.date(1961, 4, 2), "RAS"])
    sheet.append(["Lefebvre", "Rosalie", dt.date(1988, 6, 14), "appel de Mme Carpentier"])
    for row in (2, 3):
        sheet.cell(row, 3).number_format = "dd/mm/yyyy"
    hidden = workbook.create_sheet("Suivi Mme Lemaire")
    hidden["A1"] = "Notes"
    hidden.sheet_state = "hidden"
    source = folder / "source.xlsx"
    workbook.save(source)
    for target in ("xls", "ods"):
        subprocess.run([binary, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", target, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
    source.unlink()
    return folder


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_converted_and_written_as_xlsx(deidentifier: Deidentifier, legacy_files: Path,
                                       tmp_path: Path, suffix: str) -> None:
    src = legacy_files / f"source{suffix}"
    report = deidentifier.pseudonymize_file(src, tmp_path / f"out{suffix}")
    assert report.status == "done", report.reason
    assert report.output == str(tmp_path / "out.xlsx") and not (tmp_path / f"out{suffix}").exists()
    assert f"converted from {suffix} to .xlsx with LibreOffice" in report.reason
    raw = traps.all_xml_text(tmp_path / "out.xlsx")
    assert [n for n in NAMES if n in raw] == []
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert [s.sheet_state for s in workbook] == ["visible", "hidden"]
    dates = [workbook.worksheets[0].cell(r, 3).value for r in (2, 3)]
    assert all(isinstance(d, dt.datetime) for d in dates)
    assert (dates[1] - dates[0]).days == (dt.date(1988, 6, 14) - dt.date(1961, 4, 2)).days


def test_folder_run_mirrors_legacy_files_as_xlsx(deidentifier: Deidentifier, legacy_files: Path,
                                                 tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(legacy_files / "source.ods", src / "suivi.ods")
    report = deidentifier.pseudonymize_folder(src, tmp_path / "out")
    assert report.ok, [f.reason for f in report.files]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["suivi.xlsx"]
    assert report.files[0].source == "suivi.ods" and report.files[0].output == "suivi.xlsx"


def test_refused_without_libreoffice(deidentifier: Deidentifier, legacy_files: Path,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(converted.shutil, "which", lambda name: None)
    report = deidentifier.pseudonymize_file(legacy_files / "source.xls", tmp_path / "o.xls")
    assert report.status == "refused" and "need LibreOffice" in report.reason
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def legacy_letters(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One letter saved as .doc, .rtf and .odt by LibreOffice itself."""
    import docx

    binary = libreoffice.require_soffice()
    folder = tmp_path_factory.mktemp("letters")
    letter = docx.Document()
    letter.add_paragraph("Compte rendu : Mme Rosalie LEFEBVRE, née le 14/06/1988, suivie pour "
                         "une maladie de Parkinson.")
    letter.add_paragraph("Adressée par le Dr Amandine CARPENTIER.")
    source = folder / "letter.docx"
    letter.save(str(source))
    for target in ("doc", "rtf", "odt"):
        subprocess.run([binary, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                        "--convert-to", target, "--outdir", str(folder), str(source)],
                       check=True, capture_output=True, timeout=180)
    source.unlink()
    return folder


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_word_formats_converted_and_written_as_docx(
        deidentifier: Deidentifier, legacy_letters: Path, tmp_path: Path, suffix: str) -> None:
    import docx

    report = deidentifier.pseudonymize_file(legacy_letters / f"letter{suffix}",
                                            tmp_path / f"out{suffix}")
    assert report.status == "done", report.reason
    assert report.output == str(tmp_path / "out.docx") and not (tmp_path / f"out{suffix}").exists()
    assert f"converted from {suffix} to .docx with LibreOffice" in report.reason
    raw = traps.all_xml_text(tmp_path / "out.docx")
    assert [n for n in ("Rosalie", "LEFEBVRE", "Amandine", "CARPENTIER") if n in raw] == []
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out.docx")).paragraphs)
    assert "maladie de Parkinson" in text
