"""Scans and pictures: generated scans (Pillow text at 300 dpi, rotated, noisy, JPEG and
PNG) in PDFs and Word files go through OCR, painting and the re-read check. Outputs are
checked with tools deident does not use for its own work: poppler (pdftotext,
pdftoppm), the tesseract command, qpdf, and the raw bytes."""

from __future__ import annotations

import io
import os
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pdf_traps
import pytest
import scans
from docx.shared import Inches
from PIL import Image
from pypdf import PdfReader

from deident import Deidentifier
from deident.config import ConfigError, load_config
from deident.formats import ocr

# Skipped where Tesseract is absent, except in CI (DEIDENT_REQUIRE_OCR): there they fail.
pytestmark = pytest.mark.skipif(not ocr.available("fra") and not os.environ.get("DEIDENT_REQUIRE_OCR"),
                                reason="Tesseract with its French model is not installed")


def _with(deidentifier: Deidentifier, **values: object) -> Deidentifier:
    return deidentifier.with_config(deidentifier.config.with_overrides("test", **values))


def _leaks(text: str) -> list[str]:
    """Planted values found in `text`: name tokens (any case), digit strings with the
    separators of each line removed."""
    digits, folded = scans.digits_and_words(text)
    found = [v for v in scans.NAME if v.casefold() in folded]
    return found + [v for v in scans.planted()[len(scans.NAME):] if v in digits]


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _qpdf_check(path: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-500:]


def _raw_leaks(path: Path) -> list[str]:
    """Planted values in the file's bytes and in its decompressed streams."""
    raw = path.read_bytes() + pdf_traps.qdf_bytes(path)
    return [v for v in (*scans.NAME, scans.NIR, scans.PHONE, scans.BIRTH, scans.NIR.replace(" ", ""))
            if v.encode() in raw or v.encode("utf-16-be") in raw]


# -- a scanned letter -----------------------------------------------------------------------
@pytest.fixture(scope="module", params=["JPEG", "PNG"])
def letter(request, tmp_path_factory: pytest.TempPathFactory, deidentifier: Deidentifier):
    folder = tmp_path_factory.mktemp(f"letter-{request.param}")
    src, dst = folder / "lettre.pdf", folder / "out" / "lettre.pdf"
    scans.scan_pdf(src, [scans.render(scans.LETTER, seed=7)], request.param)
    report = deidentifier.pseudonymize_file(src, dst)
    return src, dst, report


def test_a_scanned_letter_is_done_with_every_value_gone(letter) -> None:
    _, dst, report = letter
    assert report.status == "done", report.reason
    assert {"PERSON", "FR_NIR", "PHONE", "ADDRESS"} <= set(report.entities)
    text = _pdftotext(dst)  # the invisible text layer
    assert _leaks(text) == []
    assert all(word in text for word in scans.MEDICAL)
    pages = scans.pdf_pages(dst)
    fresh = "\n".join(scans.ocr_text(page) for page in pages)
    assert _leaks(fresh) == []
    assert "Parkinson" in fresh and "250 mg" in fresh  # medicine still readable
    assert _raw_leaks(dst) == []
    _qpdf_check(dst)


def test_the_scanned_page_keeps_its_size_and_only_the_painted_image(letter) -> None:
    src, dst, _ = letter
    before, after = PdfReader(src), PdfReader(dst)
    assert [tuple(p.mediabox) for p in after.pages] == [tuple(p.mediabox) for p in before.pages]
    images = [obj for obj in _objects(after) if obj.get("/Subtype") == "/Image"]
    assert len(images) == 1  # the original image is gone, not hidden under the new one
    original = before.pages[0].images[0].image
    # Rendered at 300 dpi, like the scan: the same pixels, give or take PDFium's rounding.
    assert abs(images[0]["/Width"] - original.width) <= 1
    assert abs(images[0]["/Height"] - original.height) <= 1


def _objects(reader: PdfReader) -> list:
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            found.append(reader.get_object(number))
        except Exception:
            continue
    return [obj for obj in found if hasattr(obj, "get")]


def test_surrogates_are_drawn_where_the_values_were(letter) -> None:
    _, dst, _ = letter
    layer = _pdftotext(dst)
    line = next(line for line in layer.splitlines() if "Patiente" in line)
    surrogate = line.split("Madame", 1)[1].split()
    fresh = scans.ocr_text(scans.pdf_pages(dst)[0])
    assert all(word in fresh for word in surrogate)  # drawn, and readable


# -- two pages, and a scanned page between text pages --------------------------------------
def test_a_two_page_scan_uses_one_pseudonym_per_name(deidentifier: Deidentifier,
                                                     tmp_path: Path) -> None:
    first = scans.render(scans.LETTER[:4], size=(5.8, 1.8), seed=2)
    second = scans.render([f"Madame {' '.join(scans.NAME)} revue ce jour.",
                           "Maladie de Parkinson stable."], size=(5.8, 1.2), seed=3)
    src, dst = tmp_path / "deux.pdf", tmp_path / "out" / "deux.pdf"
    scans.scan_pdf(src, [first, second], "PNG")
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    pages = [scans.ocr_text(p) for p in scans.pdf_pages(dst)]
    assert len(pages) == 2 and _leaks("\n".join(pages)) == []
    layer = [p.extract_text() for p in PdfReader(dst).pages]
    surrogate = layer[1].split("Madame", 1)[1].split("revue")[0].split()
    assert len(surrogate) == 2 and all(word in layer[0] for word in surrogate)
    _qpdf_check(dst)


def test_a_scanned_page_between_text_pages_shares_their_pseudonyms(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    name = " ".join(scans.NAME)
    scan = scans.render([f"Patiente : Madame {name}", f"NIR : {scans.NIR}",
                         "Maladie de Parkinson, lévodopa 250 mg."], size=(5.8, 1.6), seed=5)
    src, dst = tmp_path / "mixte.pdf", tmp_path / "out" / "mixte.pdf"
    scans.mixed_pdf(src, ([f"Courrier pour Madame {name}", "Service de neurologie"],
                          [f"Madame {name} est revue dans trois mois."]), scan)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    pages = [p.extract_text() for p in PdfReader(dst).pages]
    surrogate = pages[0].split("Madame", 1)[1].split()[:2]
    assert all(word in pages[1] and word in pages[2] for word in surrogate)
    fresh = scans.ocr_text(scans.pdf_pages(dst)[1])
    assert _leaks(_pdftotext(dst) + fresh) == [] and "Parkinson" in fresh
    assert all(word in fresh for word in surrogate)
    assert _raw_leaks(dst) == []
    _qpdf_check(dst)


def test_a_rotated_scanned_page_is_read_upright_and_stays_as_displayed(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    from pypdf import PdfWriter

    upright = scans.render(scans.LETTER[:6], size=(5.8, 2.2), seed=6)
    sideways, src, dst = tmp_path / "couche.pdf", tmp_path / "tourne.pdf", tmp_path / "out.pdf"
    scans.scan_pdf(sideways, [upright.rotate(90, expand=True)], "PNG")
    writer = PdfWriter(clone_from=PdfReader(sideways))
    writer.pages[0].rotate(90)  # the viewer turns it upright
    writer.write(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    page = PdfReader(dst).pages[0]
    assert page["/Rotate"] == 90 and tuple(page.mediabox) == tuple(PdfReader(src).pages[0].mediabox)
    shown = scans.pdf_pages(dst)[0]
    assert shown.width > shown.height  # displayed as before: landscape, upright
    fresh = scans.ocr_text(shown)
    assert _leaks(fresh + _pdftotext(dst)) == [] and "neurologie" in fresh
    assert "Madame" in _pdftotext(dst)  # the text layer runs along the displayed lines


def test_a_page_scanned_sideways_is_turned_for_reading_and_delivered_as_scanned(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    upright = scans.render(scans.LETTER[:6], size=(5.8, 2.2), seed=8)
    src, dst = tmp_path / "couche.pdf", tmp_path / "out.pdf"
    scans.scan_pdf(src, [upright.rotate(90, expand=True)], "PNG")  # no /Rotate to help
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert "/Rotate" not in PdfReader(dst).pages[0]
    shown = scans.pdf_pages(dst)[0]
    assert shown.height > shown.width  # still sideways, as it was scanned
    fresh = scans.ocr_text(shown.rotate(-90, expand=True))
    assert _leaks(fresh + _pdftotext(dst)) == [] and "neurologie" in fresh
    assert "Madame" in _pdftotext(dst)


# -- a smudged value ------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [3, 4])  # seeds whose blots make the OCR misread
def test_a_smudged_nir_is_painted_or_refused_never_readable(deidentifier: Deidentifier,
                                                            tmp_path: Path, seed: int) -> None:
    line = f"NIR : {scans.NIR}"
    image = scans.render([f"Patiente : Madame {' '.join(scans.NAME)}", line,
                          "Suivie pour une maladie de Parkinson."],
                         size=(5.8, 1.6), smudge=line, seed=seed)
    misread = ocr.read(image, ocr.OcrOptions())
    assert scans.NIR.replace(" ", "") not in re.sub(r"\D", "", misread.text())  # truly misread
    src, dst = tmp_path / "tache.pdf", tmp_path / "out" / "tache.pdf"
    scans.scan_pdf(src, [image], "PNG")
    report = deidentifier.pseudonymize_file(src, dst)
    if report.status == "refused":
        assert not dst.exists()
        return
    assert report.status == "done", report.reason
    fresh = scans.ocr_text(scans.pdf_pages(dst)[0])
    digits = re.sub(r"\D", "", fresh)
    nir = scans.NIR.replace(" ", "")
    # No six consecutive digits of the NIR remain readable anywhere on the page.
    assert not any(nir[i:i + 6] in digits for i in range(len(nir) - 5))
    assert "Parkinson" in fresh


# -- pictures in Word files and on text pages ----------------------------------------------------
LABEL = [f"{scans.NAME[0]} {scans.NAME[1].upper()}", f"Née le {scans.BIRTH}", "IPP : 800123457"]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory, deidentifier: Deidentifier):
    folder = tmp_path_factory.mktemp("label")
    photo = io.BytesIO()
    scans.label(LABEL).save(photo, "JPEG", quality=90)
    logo = Image.new("RGB", (300, 120), (20, 60, 140))  # a plain graphic: no text
    document = docx.Document()
    document.add_paragraph(f"Compte rendu : Madame {' '.join(scans.NAME)}, maladie de Parkinson.")
    document.add_picture(io.BytesIO(photo.getvalue()), width=Inches(3))
    logo_bytes = io.BytesIO()
    logo.save(logo_bytes, "PNG")
    document.add_picture(io.BytesIO(logo_bytes.getvalue()), width=Inches(1))
    src, dst = folder / "etiquette.docx", folder / "out" / "etiquette.docx"
    document.save(str(src))
    return src, dst, deidentifier.pseudonymize_file(src, dst), logo_bytes.getvalue()


def _media(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.startswith("word/media/")}


def test_a_photographed_label_in_a_docx_is_painted(labelled) -> None:
    src, dst, report, _ = labelled
    assert report.status == "done", report.reason
    media = _media(dst)
    photo = next(data for name, data in media.items() if name.endswith((".jpg", ".jpeg")))
    image = Image.open(io.BytesIO(photo))
    original = Image.open(io.BytesIO(next(d for n, d in _media(src).items()
                                          if n.endswith((".jpg", ".jpeg")))))
    assert image.format == "JPEG" and image.size == original.size
    fresh = scans.ocr_text(image)
    assert _leaks(fresh) == [] and "800123457" not in fresh.replace(" ", "")
    body = zipfile.ZipFile(dst).read("word/document.xml").decode()
    surrogate = re.search(r"Madame ([^,<]+),", body).group(1).split()
    assert fresh.casefold().count(surrogate[1].casefold()) == 1  # the same pseudonym
    with zipfile.ZipFile(dst) as archive:
        raw = b"".join(archive.read(n) for n in archive.namelist())
    assert not any(v.encode() in raw for v in (*scans.NAME, "800123457", scans.BIRTH))


def test_a_picture_without_text_is_left_as_it_is(labelled) -> None:
    _, dst, _, logo = labelled
    assert logo in _media(dst).values()


def test_a_picture_on_a_text_page_is_painted_in_place(deidentifier: Deidentifier,
                                                      tmp_path: Path) -> None:
    from fpdf import FPDF

    pasted = scans.render([f"Patiente : Madame {' '.join(scans.NAME)}", f"Téléphone : {scans.PHONE}"],
                          size=(4.0, 0.8), seed=4)
    pdf = FPDF(unit="pt")
    pdf.add_page()
    pdf.add_font("dejavu", "", scans.SANS)
    pdf.set_font("dejavu", size=11)
    pdf.text(40, 50, "Courrier de sortie, service de neurologie")
    pdf.image(io.BytesIO(scans.encoded(pasted, "PNG")), x=40, y=80, w=288, h=57.6)
    src, dst = tmp_path / "colle.pdf", tmp_path / "out" / "colle.pdf"
    pdf.output(str(src))
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    reader = PdfReader(dst)
    assert "Courrier de sortie" in reader.pages[0].extract_text()  # the text page stays text
    images = reader.pages[0].images
    assert len(images) == 1 and images[0].image.size == pasted.size
    assert _leaks(scans.ocr_text(images[0].image)) == []
    assert _raw_leaks(dst) == []
    _qpdf_check(dst)


def test_an_inline_image_with_text_is_refused_and_done_when_forced(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen.canvas import Canvas

    pasted = scans.render([f"Patiente : Madame {' '.join(scans.NAME)}"], size=(5.0, 0.8), seed=9)
    src = tmp_path / "inline.pdf"
    canvas = Canvas(str(src), pagesize=A5, invariant=1)
    canvas.drawString(40, 520, "Courrier de sortie, service de neurologie")
    canvas.drawInlineImage(pasted, 40, 400, width=360, height=57.6)  # BI ... ID ... EI
    canvas.showPage()
    canvas.save()
    assert b"BI" in pdf_traps.qdf_bytes(src)
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "inline.pdf")
    assert report.status == "refused" and "inline image" in report.reason
    forced = _with(deidentifier, ocr="force").pseudonymize_file(src, tmp_path / "forced.pdf")
    assert forced.status == "done", forced.reason
    assert _leaks(scans.ocr_text(scans.pdf_pages(tmp_path / "forced.pdf")[0])) == []


# -- refusals and settings --------------------------------------------------------------------
def test_painting_that_leaves_a_value_readable_is_refused(deidentifier: Deidentifier,
                                                         tmp_path: Path, monkeypatch) -> None:
    src, dst = tmp_path / "scan.pdf", tmp_path / "out" / "scan.pdf"
    scans.scan_pdf(src, [scans.render(scans.LETTER[:5], size=(5.8, 1.8))], "PNG")
    monkeypatch.setattr(ocr, "paint", lambda image, paints, draw: image)  # a broken painter
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "refused" and "still readable" in report.reason
    assert not dst.exists()


def test_without_tesseract_scans_are_refused_with_the_way_to_install_it(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch) -> None:
    src, dst = tmp_path / "scan.pdf", tmp_path / "out" / "scan.pdf"
    scans.scan_pdf(src, [scans.render(scans.LETTER[:2], size=(5.8, 1.0))], "PNG")
    monkeypatch.setattr(ocr, "tessdata_folder", lambda: None)
    ocr._engine.cache_clear()
    try:
        report = deidentifier.pseudonymize_file(src, dst)
    finally:
        monkeypatch.undo()
        ocr._engine.cache_clear()
    assert report.status == "refused" and "apt-get install tesseract-ocr" in report.reason
    off = _with(deidentifier, ocr="off").pseudonymize_file(src, dst)
    assert off.status == "refused" and "needs OCR" in off.reason


def test_draw_box_paints_plain_boxes(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, dst = tmp_path / "scan.pdf", tmp_path / "out" / "scan.pdf"
    scans.scan_pdf(src, [scans.render(scans.LETTER[:3] + scans.LETTER[8:9], size=(5.8, 1.6))],
                   "PNG")
    report = _with(deidentifier, ocr_draw="box").pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    layer = PdfReader(dst).pages[0].extract_text()
    surrogate = layer.split("Madame", 1)[1].split()[:2]
    fresh = scans.ocr_text(scans.pdf_pages(dst)[0])
    assert _leaks(fresh) == [] and "Parkinson" in fresh
    assert not any(word in fresh for word in surrogate)  # boxes, no text drawn


def test_scan_reads_scans_through_ocr(deidentifier: Deidentifier, tmp_path: Path) -> None:
    from deident.hook import scan_file

    src = tmp_path / "scan.pdf"
    scans.scan_pdf(src, [scans.render(scans.LETTER[:4], size=(5.8, 1.8))], "PNG")
    findings = scan_file(deidentifier, src, show_values=False)
    assert {"PERSON", "FR_NIR"} <= {f.type for f in findings}
    assert all("ocr" in f.location for f in findings)


def test_ocr_settings_from_the_configuration_file(tmp_path: Path) -> None:
    path = tmp_path / "deident.toml"
    path.write_text('[ocr]\nmode = "force"\ndpi = 200\ndraw = "box"\nlanguages = "fra+eng"\n',
                    encoding="utf-8")
    options = load_config(path=path).ocr_options()
    assert options == ocr.OcrOptions(mode="force", dpi=200, draw="box", languages="fra+eng")
    path.write_text('ocr = "off"\n', encoding="utf-8")
    assert load_config(path=path).ocr == "off"
    for bad in ('ocr = "maybe"\n', '[ocr]\ndpi = 10\n', '[ocr]\ndraw = "blur"\n',
                '[ocr]\nlanguages = "fra; rm"\n', '[ocr]\ncolour = 1\n'):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError, match="ocr"):
            load_config(path=path)


# -- real files -------------------------------------------------------------------------------
# ../shared/realfiles beside the project (or where DEIDENT_REALFILES says).
REALFILES = Path(os.environ.get("DEIDENT_REALFILES")
                 or Path(__file__).resolve().parents[2].parent / "shared" / "realfiles")


@pytest.mark.parametrize("name", ["sample-files__019-grayscale-image_grayscale-image.pdf",
                                  "sample-files__007-imagemagick-images_imagemagick-images.pdf"])
def test_image_only_real_files_are_done_with_ocr(deidentifier: Deidentifier, tmp_path: Path,
                                                 name: str) -> None:
    src = _realfile(name)
    report = deidentifier.pseudonymize_file(src, tmp_path / name)
    assert report.status == "done", report.reason
    _qpdf_check(tmp_path / name)


def test_type3_fonts_are_done_with_ocr_forced(deidentifier: Deidentifier, tmp_path: Path) -> None:
    whole = _realfile("sample-files__009-pdflatex-geotopo_GeoTopo-komprimiert.pdf")
    src = tmp_path / "geotopo-p40.pdf"  # a figure drawn with a Type3 font
    subprocess.run(["qpdf", "--empty", "--pages", str(whole), "40", "--", str(src)], check=True)
    refused = deidentifier.pseudonymize_file(src, tmp_path / "auto.pdf")
    assert refused.status == "refused" and "Type3" in refused.reason
    forced = _with(deidentifier, ocr="force").pseudonymize_file(src, tmp_path / "force.pdf")
    assert forced.status == "done", forced.reason
    assert PdfReader(tmp_path / "force.pdf").pages[0].extract_text().strip()  # searchable
    _qpdf_check(tmp_path / "force.pdf")


def _realfile(name: str) -> Path:
    if (REALFILES / name).is_file():
        return REALFILES / name
    pytest.skip("shared/realfiles is not beside the project")
