"""The verifier on real files: a form of a value the detector missed (an alt text, a picture's
file name, a table cell, another case) is fixed with the same surrogate, or the file is
refused with the type and place of the remnant, never its value."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import docx_traps as traps
import pdf_traps
import pytest
from PIL import Image

from deident import Deidentifier
from test_verify import miss, no_fix, without


def build_docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Patient : M. Jean DUPONT, vu ce jour.")
    table = document.add_table(rows=1, cols=2)
    # an untyped label: a "Nom" cell would be a name whole, found without the analyzer
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Remarque", "DUPONT"
    document.add_paragraph("M. Dupont va mieux.")
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(png, "PNG")
    document.add_picture(png)
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", "Photo de Jean DUPONT")
    doc_pr.set("name", "DUPONT_Jean_photo.png")
    document.save(str(path))


def test_docx_missed_forms_are_fixed_with_the_same_surrogate(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    miss(monkeypatch, deidentifier, r"dupont|jean")
    src, dst = tmp_path / "in.docx", tmp_path / "out.docx"
    build_docx(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert not re.search(r"(?i)dupont|(?<![a-z])jean(?![a-z])", traps.all_xml_text(dst))
    out = docx.Document(str(dst))
    first, last = re.fullmatch(r"Patient : M\. (\S+) (\S+), vu ce jour\.",
                               out.paragraphs[0].text).groups()
    assert out.tables[0].rows[0].cells[1].text == last
    assert out.paragraphs[1].text == f"M. {last.title()} va mieux."
    doc_pr = out.inline_shapes[0]._inline.docPr
    assert doc_pr.get("descr") == f"Photo de {first} {last}"
    assert doc_pr.get("name") == f"{last}_{first}_photo.png"


@pytest.mark.parametrize(("pattern", "place"), [
    (r"dupont|jean", "word/document.xml (paragraph)"),  # the table cell, then the others
    (r"DUPONT_Jean", "word/document.xml (wp:docPr/@name)"),  # the file-name form alone
])
def test_docx_remnants_not_fixed_are_refused_with_their_place(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        pattern: str, place: str) -> None:
    miss(monkeypatch, deidentifier, pattern, keep_first=pattern != "DUPONT_Jean")
    no_fix(monkeypatch)
    src, out = tmp_path / "in.docx", tmp_path / "out"
    build_docx(src)
    report = deidentifier.pseudonymize_file(src, out / "in.docx")
    assert report.status == "refused"
    assert report.reason == f"verification failed: PERSON remnant in {place}"
    assert not out.exists() or list(out.iterdir()) == []


def test_docx_remnant_in_a_media_name_is_refused(deidentifier: Deidentifier, tmp_path: Path
                                                 ) -> None:
    """A part name is no block: nothing can fix it, the file is refused."""
    built, src = tmp_path / "built.docx", tmp_path / "in.docx"
    build_docx(built)
    with zipfile.ZipFile(built) as old, zipfile.ZipFile(src, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename.replace("image1.png", "DUPONT_Jean.png")
            if info.filename.endswith(".rels"):
                data = data.replace(b"image1.png", b"DUPONT_Jean.png")
            new.writestr(name, data)
    assert "word/media/DUPONT_Jean.png" in zipfile.ZipFile(src).namelist()
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.docx")
    assert report.status == "refused"
    assert report.reason == "verification failed: PERSON remnant in part names"


def _pdf(path: Path, lines: list[str]) -> None:
    canvas = pdf_traps._canvas(path)
    pdf_traps._draw_lines(canvas, lines)
    canvas.showPage()
    canvas.save()


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_file_name_form_is_fixed_or_refused(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.pdf"
    _pdf(src, ["Patiente : Mme Josiane VERDELET", "Photo : VERDELET_Josiane_plaie.png",
               "Revue ce jour, cicatrisation en cours."])
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.pdf")
    assert report.status == "done", report.reason
    text = _pdf_text(tmp_path / "out.pdf")
    assert "VERDELET" not in text.upper() and "Josiane" not in text
    first, last = re.search(r"Mme (\S+) (\S+)", text).groups()
    assert f"{last}_{first}_plaie.png" in text.replace(" ", "")  # drawn apart: blanks

    no_fix(monkeypatch)  # and the file-name recognizer misses it too
    miss(monkeypatch, deidentifier, r"VERDELET_Josiane", keep_first=False)
    report = deidentifier.pseudonymize_file(src, tmp_path / "refused.pdf")
    assert report.status == "refused"
    assert report.reason == "verification failed: PERSON remnant in page 1 text"


def test_pdf_sentinel_catches_a_missed_nir(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without(monkeypatch, deidentifier, "FrNirRecognizer")
    number = pdf_traps.nir("2 58 07 75 112 048")
    src = tmp_path / "in.pdf"
    _pdf(src, ["Suivi au long cours.", f"NIR : {number}", "Revue ce jour."])
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.pdf")
    assert report.status == "done", report.reason
    assert number.replace(" ", "") not in _pdf_text(tmp_path / "out.pdf").replace(" ", "")

    no_fix(monkeypatch)  # and the file-name recognizer misses it too
    miss(monkeypatch, deidentifier, r"VERDELET_Josiane", keep_first=False)
    report = deidentifier.pseudonymize_file(src, tmp_path / "refused.pdf")
    assert report.status == "refused"
    assert report.reason == "verification failed: FR_NIR remnant in page 1 text"
