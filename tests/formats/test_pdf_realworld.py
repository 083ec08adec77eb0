"""Real-world PDF classes (issue 16): owner-password files, user passwords, damaged files,
signatures, annotations of every kind, content streams with odd delimiters, huge annotation
counts. Each is built here (reportlab, pypdf, the qpdf CLI), delivered, verified, `qpdf
--check` clean, and renders like its input except inside the boxes of replaced words.
The real files of ../shared/realfiles are run too when that folder is there."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pdf_traps as traps
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from deident import Deidentifier

NAME = "PRUNIER"
LETTER = ["Compte rendu de consultation", "Vue par le Dr Anatole PRUNIER ce jour.",
          f"Suivi pour une {traps.MEDICAL}, {traps.DRUG}."]


# -- helpers ------------------------------------------------------------------------------
def _letter(path: Path, lines: list[str] = LETTER, compress: int = 1) -> None:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), invariant=1, pageCompression=compress)
    canvas.setFont("Helvetica", 12)
    for i, line in enumerate(lines):
        canvas.drawString(72, 760 - 20 * i, line)
    canvas.showPage()
    canvas.save()


def _run(deidentifier: Deidentifier, src: Path, tmp_path: Path, **config):
    runner = deidentifier.with_config(deidentifier.config.with_overrides("test", **config)) \
        if config else deidentifier
    dst = tmp_path / "out" / src.name
    return runner.pseudonymize_file(src, dst), dst


def _words(path: Path) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page, word, box in points from the top-left) as poppler reads them."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
                          line)
        if found:
            box = tuple(float(found.group(i)) for i in range(1, 5))
            words.append((page, found.group(5), box))
    return words


def _render(path: Path, scale: float = 1.0) -> list[np.ndarray]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [np.asarray(page.render(scale=scale, draw_annots=True).to_pil().convert("L"),
                           dtype=np.int16) for page in document]
    finally:
        document.close()


def _rewritten_annotation_boxes(src: Path, dst: Path) -> list[tuple[int, tuple]]:
    """Rectangles (top-left origin) of annotations whose text changed: a viewer draws
    their new text there (and their popups)."""
    boxes = []
    pages = zip(PdfReader(src).pages, PdfReader(dst).pages, strict=True)
    for number, (before, after) in enumerate(pages, start=1):
        height = float(before.mediabox.top)
        olds, news = before.get("/Annots") or [], after.get("/Annots") or []
        for old, new in zip(olds, news, strict=False):
            old, new = old.get_object(), new.get_object()
            if any(str(old.get(k, "")) != str(new.get(k, "")) for k in ("/Contents", "/RC", "/V", "/T")):
                for annotation in (old, old.get("/Popup")):
                    if annotation is not None:
                        x0, y0, x1, y1 = (float(v) for v in annotation.get_object()["/Rect"])
                        boxes.append((number, (x0, height - y1, x1, height - y0)))
    return boxes


def _differ(a: np.ndarray, b: np.ndarray, tolerance: int = 48) -> np.ndarray:
    """Pixels of `a` unlike every pixel of `b` within one pixel: pdfium snaps text to whole
    pixels, so a line whose origin moved by 1/10000 pt may land one pixel off; a missing
    image, a recoloured area or a line moved by more than a pixel still differ."""
    padded = np.pad(b, 1, mode="edge")
    shifts = [padded[1 + dy:1 + dy + b.shape[0], 1 + dx:1 + dx + b.shape[1]]
              for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    low, high = np.minimum.reduce(shifts), np.maximum.reduce(shifts)
    return (a < low - tolerance) | (a > high + tolerance)


def assert_same_outside_replaced_words(src: Path, dst: Path, margin: float = 3.0) -> None:
    """Pages render alike except inside the boxes of the words that changed (words of the
    input missing from the output at the same place, and the output's new words)."""
    before, after = _words(src), _words(dst)
    key = {(p, w, tuple(round(v) for v in b)) for p, w, b in before} & \
        {(p, w, tuple(round(v) for v in b)) for p, w, b in after}
    changed = [(p, b) for p, w, b in before + after if (p, w, tuple(round(v) for v in b)) not in key]
    changed += _rewritten_annotation_boxes(src, dst)
    pages_in, pages_out = _render(src), _render(dst)
    assert len(pages_in) == len(pages_out)
    for number, (a, b) in enumerate(zip(pages_in, pages_out, strict=True), start=1):
        assert a.shape == b.shape
        outside = _differ(a, b)
        for page, (x0, y0, x1, y1) in changed:
            if page == number:
                outside[max(0, int(y0 - margin)):int(y1 + margin) + 1,
                        max(0, int(x0 - margin)):int(x1 + margin) + 1] = False
        ys, xs = np.nonzero(outside)
        assert len(ys) == 0, f"page {number}: {len(ys)} pixels differ outside replaced words, " \
                             f"e.g. at {list(zip(xs[:3].tolist(), ys[:3].tolist(), strict=False))}"


def assert_delivered(report, src: Path, dst: Path, gone: list[str], note: str = "") -> None:
    assert report.status == "done", report.reason
    assert note in report.reason
    assert subprocess.run(["qpdf", "--check", str(dst)], capture_output=True).returncode == 0
    raw, text = traps.qdf_bytes(dst), traps.pdftotext(dst)
    assert [v for v in gone if v in text or v.encode("latin-1") in raw] == []
    assert traps.MEDICAL in text
    assert not PdfReader(dst).is_encrypted
    assert_same_outside_replaced_words(src, dst)


# -- encryption ---------------------------------------------------------------------------
@pytest.mark.parametrize("bits", ["40", "128", "256"])
def test_owner_password_only_is_opened_and_written_unencrypted(
        deidentifier: Deidentifier, tmp_path: Path, bits: str) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    restriction = ["--print=n"] if bits == "40" else ["--print=none"]
    weak = [] if bits == "256" else ["--allow-weak-crypto"]
    subprocess.run(["qpdf", *weak, "--encrypt", "", "owner-secret", bits, *restriction, "--",
                    str(plain), str(src)], check=True)
    assert PdfReader(src).is_encrypted
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, plain, dst, [NAME], note="encryption removed")


def test_user_password_refused_unless_given_in_a_file(deidentifier: Deidentifier,
                                                      tmp_path: Path) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    subprocess.run(["qpdf", "--encrypt", "user-secret", "owner-secret", "256", "--",
                    str(plain), str(src)], check=True)
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "refused" and "--password-file" in report.reason
    assert not dst.exists()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-it\n")
    report, dst = _run(deidentifier, src, tmp_path, password_file=wrong)
    assert report.status == "refused" and "does not open" in report.reason
    good = tmp_path / "password.txt"
    good.write_text("user-secret\n")
    report, dst = _run(deidentifier, src, tmp_path, password_file=good)
    assert_delivered(report, plain, dst, [NAME], note="decrypted")
    assert "user-secret" not in report.reason


# -- damage -------------------------------------------------------------------------------
def _damaged(data: bytes, how: str) -> bytes:
    if how == "junk before %PDF":
        return b"garbage from a mail gateway\r\n" * 3 + data
    if how == "broken xref":
        start = data.rindex(b"startxref")
        return data[:start] + b"startxref\n999999\n%%EOF\n"
    if how == "wrong lengths":
        return re.sub(rb"/Length (\d+)", lambda m: b"/Length " + str(int(m[1]) + 7).encode(), data)
    if how == "bad offsets":
        xref = data.rindex(b"\nxref")
        table = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 3),
                       data[xref:])
        return data[:xref] + table
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["junk before %PDF", "broken xref", "wrong lengths", "bad offsets"])
def test_damaged_files_that_readers_repair_are_repaired(deidentifier: Deidentifier,
                                                        tmp_path: Path, how: str) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain, compress=0)
    src.write_bytes(_damaged(plain.read_bytes(), how))
    if how != "junk before %PDF":  # which qpdf skips without a word
        assert subprocess.run(["qpdf", "--check", str(src)], capture_output=True).returncode != 0
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, plain, dst, [NAME], note="damaged file repaired")


def test_what_no_reader_opens_is_refused(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "in.pdf"
    src.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "refused" and "damaged beyond repair" in report.reason
    assert not dst.exists()


# -- signatures ---------------------------------------------------------------------------
def test_signature_removed_and_noted(deidentifier: Deidentifier, tmp_path: Path) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    writer = PdfWriter(clone_from=plain)
    signature = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Sig"), NameObject("/Filter"): NameObject("/Adobe.PPKLite"),
        NameObject("/Name"): TextStringObject("Anatole PRUNIER"),
        NameObject("/Reason"): TextStringObject("Validation du Dr Anatole PRUNIER"),
        NameObject("/Contents"): ByteStringObject(b"\x30\x82" + b"\0" * 64),
        NameObject("/ByteRange"): ArrayObject(NumberObject(n) for n in (0, 10, 20, 30))}))
    field = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Sig"), NameObject("/T"): TextStringObject("Signature1"),
        NameObject("/V"): signature, NameObject("/F"): NumberObject(132),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (0, 0, 0, 0)),
        NameObject("/P"): writer.pages[0].indirect_reference}))
    writer.pages[0][NameObject("/Annots")] = ArrayObject([field])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject([field]), NameObject("/SigFlags"): NumberObject(3)})
    writer.root_object[NameObject("/Perms")] = DictionaryObject({NameObject("/DocMDP"): signature})
    writer.write(src)
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, src, dst, [NAME], note="digital signature removed")
    root = PdfReader(dst).trailer["/Root"]
    assert "/Perms" not in root and "/SigFlags" not in root["/AcroForm"]
    (kept,) = root["/AcroForm"]["/Fields"]
    assert kept.get_object()["/FT"] == "/Sig" and "/V" not in kept.get_object()


# -- annotations --------------------------------------------------------------------------
def _annotation(writer: PdfWriter, subtype: str, rect: tuple, **entries: object):
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        NameObject("/P"): writer.pages[0].indirect_reference})
    for key, value in entries.items():
        annotation[NameObject(f"/{key}")] = value
    return writer._add_object(annotation)


def test_annotations_of_every_kind_are_rewritten(deidentifier: Deidentifier, tmp_path: Path) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    writer = PdfWriter(clone_from=plain)
    quad = ArrayObject(FloatObject(v) for v in (72, 752, 300, 752, 72, 740, 300, 740))
    popup = _annotation(writer, "/Popup", (400, 600, 550, 700), Open=NumberObject(0))
    highlight = _annotation(
        writer, "/Highlight", (72, 738, 300, 754), QuadPoints=quad,
        Contents=TextStringObject("Vu avec Mme Josiane VERDELET"),
        T=TextStringObject("Dr Armand CASTELNEAU"), Popup=popup,
        RC=TextStringObject("<?xml version=\"1.0\"?><body xmlns=\"http://www.w3.org/1999/xhtml\">"
                            "<p>Vu avec Mme Josiane <b>VERDELET</b></p></body>"))
    popup.get_object()[NameObject("/Parent")] = highlight
    annotations = [highlight, popup] + [
        _annotation(writer, subtype, (72, 600 - 30 * i, 300, 620 - 30 * i),
                    Contents=TextStringObject(f"Revoir M. Lucien ROUQUAYROL ({subtype[1:]})"),
                    QuadPoints=quad)
        for i, subtype in enumerate(("/Underline", "/StrikeOut", "/Squiggly"))]
    annotations.append(_annotation(  # free text without an appearance stream
        writer, "/FreeText", (72, 400, 400, 430), DA=TextStringObject("/Helv 10 Tf 0 g"),
        Contents=TextStringObject("Appeler Mme Ghislaine PERRONCEL")))
    writer.pages[0][NameObject("/Annots")] = ArrayObject(annotations)
    writer.write(src)
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, src, dst, ["VERDELET", "CASTELNEAU", "ROUQUAYROL", "PERRONCEL"])
    kinds = [a.get_object()["/Subtype"] for a in PdfReader(dst).pages[0]["/Annots"]]
    assert sorted(kinds) == sorted(["/Highlight", "/Popup", "/Underline", "/StrikeOut",
                                    "/Squiggly", "/FreeText"])


# -- layout -------------------------------------------------------------------------------
def test_form_appearances_kept_and_need_appearances_never_set(deidentifier: Deidentifier,
                                                              tmp_path: Path) -> None:
    src = tmp_path / "in.pdf"
    traps.build_form_field(src)
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "done", report.reason
    form = PdfReader(dst).trailer["/Root"]["/AcroForm"]
    assert form.get("/NeedAppearances") in (None, False)
    assert_same_outside_replaced_words(src, dst)


def _odd_stream_pdf(path: Path) -> None:
    """A page whose content uses NUL as a delimiter, a colour space named with a #20 escape,
    and an inline image, around a line of text with a name."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): font}),
        NameObject("/ColorSpace"): DictionaryObject({NameObject("/Cs 1"): NameObject("/DeviceRGB")})})
    pixels = bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0])
    content = (b"q\x00/Cs#201\x00cs\x000.1\x000.5\x000.9\x00sc\x0060 500 200 100 re\x00f\x00Q\n"
               b"q 80 0 0 80 300 500 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID " + pixels + b"\nEI Q\n"
               b"BT\x00/F1\x0012\x00Tf\x0072 760 Td\x00(Vue par le Dr Anatole PRUNIER ce jour.)Tj"
               b"\x00ET\nBT /F1 12 Tf 72 740 Td (Suivi pour une maladie de Parkinson.) Tj ET\n")
    stream = StreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream)
    writer.write(path)


def test_content_streams_with_nul_delimiters_escapes_and_inline_images_render_alike(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "in.pdf"
    _odd_stream_pdf(src)
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, src, dst, [NAME])


def test_thirty_thousand_annotations_do_not_blow_the_file_up(deidentifier: Deidentifier,
                                                             tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
    from bench_pdf import many_links

    src = tmp_path / "in.pdf"
    many_links(src, 30_000)
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "done", report.reason
    assert dst.stat().st_size <= src.stat().st_size * 1.05
    assert len(PdfReader(dst).pages[0]["/Annots"]) == 30_000


def test_large_font_reused_on_many_pages_is_written_once(deidentifier: Deidentifier,
                                                         tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    src = tmp_path / "in.pdf"
    pdfmetrics.registerFont(TTFont("DejaVu", str(traps.DEJAVU)))
    canvas = Canvas(str(src), invariant=1)
    for page in range(40):
        canvas.setFont("DejaVu", 12)
        canvas.drawString(72, 760, f"Page {page} : vue par le Dr Anatole PRUNIER.")
        canvas.drawString(72, 740, f"Suivi pour une {traps.MEDICAL}.")
        canvas.showPage()
    canvas.save()
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "done", report.reason

    def font_files(path: Path) -> int:
        return sum(1 for obj in _objects(path) if "/FontFile2" in obj)

    assert font_files(dst) == font_files(src) == 1
    # What grows is each page's few lines of content (the surrogate drawn), not the font.
    assert dst.stat().st_size <= src.stat().st_size * 1.10


def _objects(path: Path) -> list:
    reader = PdfReader(path)
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject):
            found.append(obj)
    return found


# -- real files ---------------------------------------------------------------------------
def _realfiles() -> Path | None:
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "realfiles").is_dir():
            return parent / "shared" / "realfiles"
    return None


REAL = _realfiles()
# README: expected "done" (the image-only pages and Type3 fonts belong to OCR).
REAL_DONE = {
    "pypdf__resources_AutoCad_Diagram.pdf": {}, "pypdf__resources_SF424_page2.pdf": {},
    "pypdf__resources_encryption_r2-owner-password.pdf": {},
    "pypdf__resources_encryption_r4-owner-password.pdf": {},
    "pypdf__resources_encryption_r6-owner-password.pdf": {},
    "pypdf__resources_encryption_r3-empty-password.pdf": {},
    "pypdf__resources_encryption_r5-empty-password.pdf": {},
    "pypdf__resources_encryption_r4-aes-user-password.pdf": {"password": "asdfzxcv"},
    "sample-files__024-annotations_annotated_pdf.pdf": {},
    "sample-files__026-latex-multicolumn_multicolumn.pdf": {},
    "sample-files__013-reportlab-overlay_reportlab-overlay.pdf": {},
    "sample-files__025-attachment_with-attachment.pdf": {"embedded": "drop"},
}


@pytest.mark.skipif(REAL is None, reason="no shared/realfiles folder above the tests")
@pytest.mark.parametrize("name", sorted(REAL_DONE))
def test_real_files_delivered_and_rendered_alike(deidentifier: Deidentifier, tmp_path: Path,
                                                  name: str) -> None:
    src = REAL / name
    options = dict(REAL_DONE[name])
    if "password" in options:  # printed on the page of the owner-password variants
        secret = tmp_path / "password.txt"
        secret.write_text(options.pop("password"))
        options["password_file"] = secret
    report, dst = _run(deidentifier, src, tmp_path, **options)
    assert report.status == "done", report.reason
    assert subprocess.run(["qpdf", "--check", str(dst)], capture_output=True).returncode == 0
    if not PdfReader(src).is_encrypted:
        assert_same_outside_replaced_words(src, dst)


@pytest.mark.skipif(REAL is None, reason="no shared/realfiles folder above the tests")
def test_real_files_refused_with_a_precise_reason(deidentifier: Deidentifier,
                                                  tmp_path: Path) -> None:
    report, _ = _run(deidentifier, REAL / "pypdf__resources_encryption_r4-aes-user-password.pdf",
                     tmp_path)
    assert report.status == "refused" and "user password" in report.reason
    report, _ = _run(deidentifier,
                     REAL / "sample-files__017-unreadable-meta-data_unreadablemetadata.pdf", tmp_path)
    assert report.status == "refused" and "damaged beyond repair" in report.reason



@pytest.mark.parametrize("room", [200.0, 60.0, 20.0, 5.0])
def test_a_surrogate_never_overflows_its_original_width(room: float) -> None:
    """Squeezed down to MIN_SQUEEZE, then drawn smaller: the drawn width is at most the
    room the original left, whatever the surrogate's length."""
    from pypdf.generic._font import Font

    from deident.formats import pdf

    font = Font.from_core_font_name("/Helvetica")
    glyph = pdf._Glyph("P", 0, 0, 0, 1, 7.0, (1, 0, 0, 1, 72, 700), (1, 0, 0, 1, 72, 700),
                       (1, 0, 0, 1, 72, 700), font, "/F1", 12.0, 1.0, False)
    text = "Marie-Bernadette DE LA ROCHEFOUCAULD"
    operations = pdf._draw(glyph, text, room, {"Helvetica": "/DeidentHelvetica"})
    by_operator = {operator: operands for operands, operator in operations}
    size, scale = float(by_operator[b"Tf"][1]), float(by_operator[b"Tz"][0]) / 100
    natural = pdf._shown_width(by_operator[b"TJ"][0], font, size)
    assert natural * scale <= room + 1e-6
    assert scale >= pdf.MIN_SQUEEZE and (size == 12.0 or abs(natural * scale - room) < 1e-6)


def test_a_surrogate_too_wide_for_its_place_is_redrawn_shorter_everywhere(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    """"Ida LY" leaves little room: a shorter surrogate of the same kind is drawn (for every
    occurrence, so the document stays consistent) before any type is shrunk."""
    lines = ["Vu par Mme Ida LY ce jour.", f"Suivi pour une {traps.MEDICAL}.",
             "Contrôle : Mme Ida LY dans un mois."]
    src = tmp_path / "in.pdf"
    _letter(src, lines)
    unconstrained = deidentifier.pseudonymize_text("\n".join(lines)).text.splitlines()
    wide = unconstrained[0].removeprefix("Vu par Mme ").removesuffix(" ce jour.")
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "done", report.reason
    text = " ".join(traps.pdftotext(dst).split())
    first = re.search(r"Vu par Mme (.+?) ce jour", text).group(1)
    second = re.search(r"Contrôle : Mme (.+?) dans un mois", text).group(1)
    assert first == second and "LY" not in first.split()
    assert len(first) < len(wide)
    assert_same_outside_replaced_words(src, dst)


def test_changed_field_without_appearance_gets_one_others_untouched(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    writer = PdfWriter(clone_from=plain)
    fields = []
    for i, value in enumerate(("Mme Josiane VERDELET", "sans objet")):
        fields.append(_annotation(
            writer, "/Widget", (300, 600 - 40 * i, 500, 620 - 40 * i), FT=NameObject("/Tx"),
            T=TextStringObject(f"champ{i}"), V=TextStringObject(value),
            DA=TextStringObject("/Helv 10 Tf 0 g")))
    helvetica = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")})
    writer.pages[0][NameObject("/Annots")] = ArrayObject(fields)
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(fields), NameObject("/DA"): TextStringObject("/Helv 10 Tf 0 g"),
        NameObject("/DR"): DictionaryObject({NameObject("/Font"): DictionaryObject({
            NameObject("/Helv"): writer._add_object(helvetica)})})})
    writer.write(src)
    report, dst = _run(deidentifier, src, tmp_path)
    assert report.status == "done", report.reason
    reader = PdfReader(dst)
    assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]
    changed, untouched = (a.get_object() for a in reader.pages[0]["/Annots"])
    assert "VERDELET" not in str(changed["/V"])
    appearance = changed["/AP"]["/N"].get_object().get_data()
    assert str(changed["/V"]).split()[-1].encode("latin-1") in appearance
    assert "/AP" not in untouched  # not redrawn: it looks as it did


def test_parent_fields_of_a_page_without_acroform_are_read_and_rewritten(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    """A page taken out of a larger form (SF424_page2) keeps its widgets but no /AcroForm:
    their parent field, reached only by /Parent, has its name and action like any field."""
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    writer = PdfWriter(clone_from=plain)
    parent = writer._add_object(DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(NAME),
        NameObject("/TU"): TextStringObject(f"Dossier de M. Anatole {NAME}"),
        NameObject("/AA"): DictionaryObject({NameObject("/K"): DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{NAME}')")})})}))
    kids = [_annotation(writer, "/Widget", (300, 600 - 40 * i, 500, 620 - 40 * i),
                        T=TextStringObject(str(i)), Parent=parent) for i in (1, 2)]
    parent.get_object()[NameObject("/Kids")] = ArrayObject(kids)
    writer.pages[0][NameObject("/Annots")] = ArrayObject(kids)
    writer.write(src)
    assert "/AcroForm" not in PdfReader(src).trailer["/Root"]
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, src, dst, [NAME])
    field = PdfReader(dst).pages[0]["/Annots"][0].get_object()["/Parent"].get_object()
    assert str(field["/T"]) and NAME not in str(field["/T"]) and "/JS" not in str(field)


def test_a_password_file_does_not_stop_owner_password_only_files(deidentifier: Deidentifier,
                                                                 tmp_path: Path) -> None:
    """A folder run with --password-file also holds files that need no password."""
    plain, src = tmp_path / "plain.pdf", tmp_path / "in.pdf"
    _letter(plain)
    subprocess.run(["qpdf", "--encrypt", "", "owner-secret", "256", "--print=none", "--",
                    str(plain), str(src)], check=True)
    secret = tmp_path / "password.txt"
    secret.write_text("user-secret-of-other-files\n")
    report, dst = _run(deidentifier, src, tmp_path, password_file=secret)
    assert_delivered(report, plain, dst, [NAME], note="encryption removed (owner password only)")


def test_a_form_xobject_reused_on_every_page_is_read_and_rewritten_once(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    from deident.formats import pdf

    src = tmp_path / "in.pdf"
    canvas = Canvas(str(src), invariant=1)
    canvas.beginForm("letterhead")
    canvas.setFont("Helvetica", 10)
    canvas.drawString(72, 800, "Service de neurologie, chef de service : Dr Anatole PRUNIER")
    canvas.endForm()
    for page in range(5):
        canvas.doForm("letterhead")
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 760, f"Page {page + 1} : suivi pour une {traps.MEDICAL}.")
        canvas.showPage()
    canvas.save()
    document = pdf.read(src, "scope")
    assert sum("PRUNIER" in block.text for block in document.blocks) == 1
    report, dst = _run(deidentifier, src, tmp_path)
    assert_delivered(report, src, dst, [NAME])
    assert traps.pdftotext(dst).count("Service de neurologie") == 5
