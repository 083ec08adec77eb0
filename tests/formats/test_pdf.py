"""PDF files built by tests/formats/pdf_traps.py: planted values gone from the text poppler
extracts and from every decompressed byte, the file valid, the layout held."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdf_traps as traps
import pytest
from pypdf.generic import TextStringObject

from deident import Deidentifier

REWRITTEN = [traps.build_helvetica, traps.build_truetype_subset, traps.build_type0_identity_h,
             traps.build_split_name, traps.build_two_columns, traps.build_header_footer,
             traps.build_form_field, traps.build_annotations, traps.build_incremental_update]
_TITLED = re.compile(r"(?:Mme|Dr|M\.) ([A-ZÉÈ][\w'’-]+)")


@pytest.fixture(scope="module")
def outputs(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("pdf")
    results = {}
    for builder in REWRITTEN:
        src, dst = folder / f"{builder.__name__}.pdf", folder / "out" / f"{builder.__name__}.pdf"
        planted = builder(src)
        report = deidentifier.pseudonymize_file(src, dst)
        results[builder.__name__] = (src, dst, planted, report)
    return results


@pytest.mark.parametrize("builder", REWRITTEN, ids=lambda b: b.__name__)
def test_planted_values_gone_everywhere(outputs: dict, builder) -> None:
    src, dst, planted, report = outputs[builder.__name__]
    assert report.status == "done", report.reason
    text, raw, qdf = traps.pdftotext(dst), dst.read_bytes(), traps.qdf_bytes(dst)
    assert planted and all(v in traps.pdftotext(src) or v.encode("latin-1", "ignore")
                           in traps.qdf_bytes(src) for v in planted)
    leaked = [v for v in planted if v in text or any(
        v.encode(codec, "ignore") in blob for codec in ("latin-1", "utf-16-be") for blob in (raw, qdf))]
    assert leaked == []
    assert subprocess.run(["qpdf", "--check", str(dst)], capture_output=True).returncode == 0


@pytest.mark.parametrize("builder", REWRITTEN[:7], ids=lambda b: b.__name__)  # names on the page
def test_pseudonyms_read_in_place_and_medicine_stays(outputs: dict, builder) -> None:
    src, dst, _, _ = outputs[builder.__name__]
    before, after = traps.pdftotext(src), traps.pdftotext(dst)
    assert traps.MEDICAL in after
    assert len(_TITLED.findall(after)) >= len(_TITLED.findall(before)) > 0
    assert set(_TITLED.findall(after)).isdisjoint(_TITLED.findall(before))
    # In content order too (what pypdf and most extractors read): "M. <surrogate>", not
    # "M. " with the surrogate at the end of the page.
    from pypdf import PdfReader

    def in_order(path: Path) -> list[str]:
        return _TITLED.findall("\n".join(page.extract_text() for page in PdfReader(path).pages))

    assert len(in_order(dst)) >= len(in_order(src))


@pytest.mark.parametrize("builder", REWRITTEN, ids=lambda b: b.__name__)
def test_untouched_lines_do_not_move(outputs: dict, builder) -> None:
    src, dst, _, _ = outputs[builder.__name__]
    after = {(page, text): (x, y) for page, x, y, text in traps.line_positions(dst)}
    same = [(page, x, y, text) for page, x, y, text in traps.line_positions(src)
            if (page, text) in after]
    assert same, "some lines carry no personal data"
    assert [(p, x, y, t) for p, x, y, t in same if after[(p, t)] != (x, y)] == []


@pytest.mark.parametrize(("builder", "reason"), [(traps.build_image_only, "needs OCR"),
                                                 (traps.build_encrypted, "encrypted")])
def test_scans_without_ocr_and_encrypted_files_are_refused(
        deidentifier: Deidentifier, tmp_path: Path, builder, reason: str) -> None:
    src, out = tmp_path / "in.pdf", tmp_path / "out"
    builder(src)
    without_ocr = deidentifier.with_config(deidentifier.config.with_overrides("test", ocr="off"))
    report = without_ocr.pseudonymize_file(src, out / "in.pdf")
    assert report.status == "refused" and reason in report.reason
    assert not out.exists() or list(out.iterdir()) == []


def test_metadata_and_old_revisions_are_gone(outputs: dict) -> None:
    _, dst, _, _ = outputs["build_incremental_update"]
    raw = traps.qdf_bytes(dst)
    assert b"/Info" not in dst.read_bytes() and b"/Metadata" not in raw
    assert raw.count(b"%%EOF") == 1 and dst.read_bytes().count(b"%%EOF") == 1


def test_info_and_xmp_metadata_removed(deidentifier: Deidentifier, tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    canvas = Canvas(str(src), invariant=1)
    canvas.setAuthor("Dr Anatole PRUNIER")
    canvas.setTitle("Dossier de Mme Josiane VERDELET")
    canvas.setSubject("Maladie de Parkinson")
    canvas.drawString(72, 720, "Vue par le Dr Anatole PRUNIER pour une maladie de Parkinson.")
    canvas.save()
    assert deidentifier.pseudonymize_file(src, dst).status == "done"
    raw = traps.qdf_bytes(dst)
    assert b"PRUNIER" not in raw and b"VERDELET" not in raw and b"/Author" not in raw


def test_the_output_id_is_derived_from_the_output_alone(deidentifier: Deidentifier,
                                                         tmp_path: Path) -> None:
    """Same input, same bytes, even for a file without /ID (pypdf would give it a random
    one, which qpdf kept); and an input's own /ID does not go out."""
    import pikepdf

    with_id, without_id = tmp_path / "with-id.pdf", tmp_path / "without-id.pdf"
    _canvas_pdf(with_id, lambda c: c.drawString(72, 700, "Vu le Dr Anatole PRUNIER."))
    data = with_id.read_bytes()
    found = re.search(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>\s*<[0-9a-fA-F]+>\s*\]", data)
    assert found is not None
    original_id = bytes.fromhex(found.group(1).decode())
    # the same file without its /ID: blanked in place, so the offsets hold
    without_id.write_bytes(data[:found.start()] + b" " * len(found.group()) + data[found.end():])
    subprocess.run(["qpdf", "--check", str(without_id)], check=True, capture_output=True)
    runs = []
    for attempt in range(2):
        dst = tmp_path / f"out{attempt}.pdf"
        assert deidentifier.pseudonymize_file(without_id, dst).status == "done"
        runs.append(dst.read_bytes())
    assert runs[0] == runs[1]
    dst = tmp_path / "out-with-id.pdf"
    assert deidentifier.pseudonymize_file(with_id, dst).status == "done"
    with pikepdf.open(dst) as pdf:
        assert original_id not in [bytes(part) for part in pdf.trailer["/ID"]]


def _canvas_pdf(path: Path, draw) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 760, "Suivi pour une maladie de Parkinson.")
    draw(canvas)
    canvas.save()


def _rewritten(deidentifier: Deidentifier, tmp_path: Path, src: Path, embedded: str = "refuse"):
    import copy

    runner = copy.copy(deidentifier)
    runner.embedded = embedded
    dst = tmp_path / "out" / "out.pdf"
    return runner.pseudonymize_file(src, dst), dst


def test_invisible_ocr_text_is_rewritten_and_stays_invisible(deidentifier: Deidentifier,
                                                             tmp_path: Path) -> None:
    def draw(canvas) -> None:
        text = canvas.beginText(72, 700)
        text.setTextRenderMode(3)  # an OCR layer under a scanned image
        text.textLine("Patient : M. Lucien FAUCHEUX")
        canvas.drawText(text)

    src = tmp_path / "ocr.pdf"
    _canvas_pdf(src, draw)
    report, dst = _rewritten(deidentifier, tmp_path, src)
    assert report.status == "done", report.reason
    assert "FAUCHEUX" not in traps.pdftotext(dst) and _TITLED.search(traps.pdftotext(dst))
    # The surrogate is drawn in render mode 3 too: "3 Tr ... <matrix> Tm <scale> Tz [...] TJ".
    assert re.search(rb"3 Tr\s+[^\[]{0,40}?[-\d. ]+ Tm\s+[\d.]+ Tz\s+\[", traps.qdf_bytes(dst))


def test_actual_text_named_destinations_and_attachments(deidentifier: Deidentifier,
                                                         tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    def draw(canvas) -> None:
        canvas._code.append("/Span <</ActualText (Patiente : Mme Josiane VERDELET)>> BDC "
                            "BT /F1 11 Tf 72 700 Td (Patiente : J. V.) Tj ET EMC")

    base = tmp_path / "base.pdf"
    _canvas_pdf(base, draw)
    writer = PdfWriter(clone_from=base)
    writer.add_named_destination("Dossier de Mme Josiane VERDELET", 0)
    writer.add_outline_item(title="Dossier", page_number=0)
    bookmark = writer.root_object["/Outlines"].get_object()["/First"].get_object()
    bookmark[NameObject("/Dest")] = TextStringObject("Dossier de Mme Josiane VERDELET")
    writer.add_attachment("cr_verdelet.txt", b"Mme Josiane VERDELET")
    src = tmp_path / "in.pdf"
    writer.write(src)

    refused, _ = _rewritten(deidentifier, tmp_path, src)
    assert refused.status == "refused" and "attachments" in refused.reason
    report, dst = _rewritten(deidentifier, tmp_path, src, embedded="drop")
    assert report.status == "done", report.reason
    raw = traps.qdf_bytes(dst)
    assert b"VERDELET" not in raw and "VERDELET".encode("utf-16-be") not in raw
    assert b"/EmbeddedFiles" not in raw and b"/ActualText" in raw
    reader = PdfReader(dst)
    (key,) = list(reader.named_destinations)
    bookmark = reader.trailer["/Root"]["/Outlines"]["/First"].get_object()
    assert key.startswith("Dossier de Mme ") and bookmark["/Dest"] == key  # the link follows


@pytest.mark.parametrize(("form", "fields", "outcome"), [
    ({"/SigFlags": 3}, False, "digital signature removed"),
    ({"/XFA": []}, True, "XFA form removed"),
    ({"/XFA": []}, False, "pure XFA")])
def test_signatures_and_xfa_with_fallback_removed_pure_xfa_refused(
        deidentifier: Deidentifier, tmp_path: Path, form: dict, fields: bool, outcome: str) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    base = tmp_path / "base.pdf"
    _canvas_pdf(base, lambda canvas: canvas.drawString(72, 700, "Dr Anatole PRUNIER"))
    writer = PdfWriter(clone_from=base)
    field = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("nom"),
        NameObject("/V"): TextStringObject("Dr Anatole PRUNIER")}))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject(k): NumberObject(v) if isinstance(v, int) else ArrayObject()
        for k, v in form.items()} | {NameObject("/Fields"): ArrayObject([field] if fields else [])})
    src = tmp_path / "in.pdf"
    writer.write(src)
    report, dst = _rewritten(deidentifier, tmp_path, src)
    if outcome == "pure XFA":
        assert report.status == "refused" and outcome in report.reason and not dst.exists()
        return
    assert report.status == "done" and outcome in report.reason
    form_out = PdfReader(dst).trailer["/Root"]["/AcroForm"]
    assert "/XFA" not in form_out and "/SigFlags" not in form_out
    assert b"PRUNIER" not in traps.qdf_bytes(dst)


def test_surrogates_use_the_original_font_when_it_has_the_glyphs(outputs: dict) -> None:
    from pypdf import PdfReader
    from pypdf.generic._font import Font

    from deident.formats.pdf import _in_font

    _, dst, _, _ = outputs["build_helvetica"]
    assert b"/DeidentHelvetica" not in traps.qdf_bytes(dst)  # Helvetica has every glyph
    src, _, _, _ = outputs["build_truetype_subset"]
    fonts = PdfReader(src).pages[0]["/Resources"]["/Font"]
    subset = next(Font.from_font_resource(f.get_object()) for f in fonts.values()
                  if "+" in str(f.get_object()["/BaseFont"]))
    assert _in_font("Œ", subset) is None  # a glyph the subset lacks: the fallback font
    used = next(c for c in "aeinorstu" if _in_font(c, subset) is not None)
    assert _in_font(used * 3, subset) is not None


def test_a_font_that_cannot_be_decoded_is_refused(deidentifier: Deidentifier, tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject

    base = tmp_path / "base.pdf"
    _canvas_pdf(base, lambda canvas: canvas._code.append("BT /T3 11 Tf 72 700 Td (ab) Tj ET"))
    writer = PdfWriter(clone_from=base)
    glyph = writer._add_object(StreamObject())
    type3 = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type3"),
        NameObject("/FontBBox"): ArrayObject([NumberObject(0)] * 4),
        NameObject("/FontMatrix"): ArrayObject([NumberObject(1)] + [NumberObject(0)] * 5),
        NameObject("/CharProcs"): DictionaryObject({NameObject("/g1"): glyph, NameObject("/g2"): glyph}),
        NameObject("/Encoding"): DictionaryObject({NameObject("/Differences"): ArrayObject(
            [NumberObject(97), NameObject("/g1"), NameObject("/g2")])}),
        NameObject("/FirstChar"): NumberObject(97), NameObject("/LastChar"): NumberObject(98),
        NameObject("/Widths"): ArrayObject([NumberObject(500)] * 2)})
    writer.pages[0]["/Resources"]["/Font"][NameObject("/T3")] = writer._add_object(type3)
    src = tmp_path / "in.pdf"
    writer.write(src)
    report, dst = _rewritten(deidentifier, tmp_path, src)
    assert report.status == "refused" and "cannot be decoded" in report.reason and not dst.exists()


def test_image_metadata_and_folders(deidentifier: Deidentifier, tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    folder = tmp_path / "src"
    folder.mkdir()
    traps.build_helvetica(tmp_path / "base.pdf")
    writer = PdfWriter(clone_from=tmp_path / "base.pdf")
    xmp = StreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>Dr Anatole PRUNIER</dc:creator></x:xmpmeta>")
    fonts = writer.pages[0]["/Resources"]["/Font"]
    next(iter(fonts.values())).get_object()[NameObject("/Metadata")] = writer._add_object(xmp)
    writer.write(folder / "lettre.pdf")
    report = deidentifier.pseudonymize_folder(folder, tmp_path / "dst")
    assert report.statuses() == {"done": 1}
    assert b"PRUNIER" not in traps.qdf_bytes(tmp_path / "dst" / "lettre.pdf")
