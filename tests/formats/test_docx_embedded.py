"""Documents embedded in a Word file (.docx, .xlsx, .pdf in word/embeddings/, as Word's OLE
objects): pseudonymized in the host's document session, written back by their own
adapters, their preview pictures replaced; one that would be refused refuses the host,
unless --embedded drop. Built here with python-docx, openpyxl, reportlab and zip edits."""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from lxml import etree
from PIL import Image, ImageDraw

from deident import Deidentifier
from deident.formats import converted

FIRST, SURNAME = "Josiane", "VERDELET"
MEDICAL = "maladie de Parkinson"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HOST_LINE = ("Compte rendu pour Mme ", f"{FIRST} {SURNAME}", f", suivie pour une {MEDICAL}.")
INNER_LINE = ("Courrier : Mme ", f"{FIRST} {SURNAME}", f", {MEDICAL} connue.")
SHEET_LINE = ("Vue par Mme ", f"{FIRST} {SURNAME}", " en consultation.")


# -- building -----------------------------------------------------------------------------
def _docx_bytes(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Commentaire", "Dose"])
    sheet.append(["".join(SHEET_LINE), "100 mg"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_bytes() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 760, "Compte rendu d'imagerie")
    canvas.drawString(72, 740, "".join(INNER_LINE))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _preview_png() -> bytes:
    """What Word draws for the object: the old content, the name readable."""
    image = Image.new("RGB", (480, 120), "white")
    ImageDraw.Draw(image).text((10, 40), f"Mme {FIRST} {SURNAME}", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _emf_bytes() -> bytes:
    """An EMF record stream as Word writes previews: text in UTF-16 (not decodable here)."""
    return b"\x01\x00\x00\x00" + bytes(84) + f"Mme {FIRST} {SURNAME}".encode("utf-16-le")


def _ole_object(index: int, preview_id: str, object_id: str, prog_id: str) -> str:
    return (
        f'<w:p xmlns:w="{W}" xmlns:r="{REL[:-1]}" xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office"><w:r>'
        '<w:object w:dxaOrig="2880" w:dyaOrig="1440">'
        f'<v:shape id="_x0000_i10{index}" type="#_x0000_t75" style="width:144pt;height:72pt" o:ole="">'
        f'<v:imagedata r:id="{preview_id}" o:title=""/></v:shape>'
        f'<o:OLEObject Type="Embed" ProgID="{prog_id}" ShapeID="_x0000_i10{index}" '
        f'DrawAspect="Content" ObjectID="_17000000{index}" r:id="{object_id}"/>'
        '</w:object></w:r></w:p>')


def build_host(path: Path, inner_docx: bytes | None = None) -> None:
    """A letter embedding a .docx (EMF preview), an .xlsx (PNG preview) and a .pdf (PNG
    preview), each naming the host's patient."""
    path.write_bytes(_docx_bytes(["".join(HOST_LINE)]))
    embedded = [
        ("word/embeddings/Microsoft_Word_Document1.docx", inner_docx or _docx_bytes(
            ["".join(INNER_LINE)]), "package", "Word.Document.12",
         "word/media/image91.emf", _emf_bytes()),
        ("word/embeddings/Microsoft_Excel_Sheet1.xlsx", _xlsx_bytes(), "package", "Excel.Sheet.12",
         "word/media/image92.png", _preview_png()),
        ("word/embeddings/rapport.pdf", _pdf_bytes(), "oleObject", "AcroExch.Document.DC",
         "word/media/image93.png", _preview_png()),
    ]
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    types = etree.fromstring(members["[Content_Types].xml"])
    for extension, content_type in (
            ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("pdf", "application/pdf"), ("emf", "image/x-emf"), ("png", "image/png")):
        if not any(d.get("Extension") == extension for d in types.iter(f"{{{CT_NS}}}Default")):
            etree.SubElement(types, f"{{{CT_NS}}}Default", Extension=extension,
                             ContentType=content_type)
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    body_xml = etree.fromstring(members["word/document.xml"])
    body = body_xml.find(f"{{{W}}}body")
    for index, (name, data, relation, prog_id, preview, picture) in enumerate(embedded):
        object_id, preview_id = f"rIdE{index}", f"rIdP{index}"
        etree.SubElement(rels, f"{{{PR_NS}}}Relationship", Id=object_id, Type=REL + relation,
                         Target=name.removeprefix("word/"))
        etree.SubElement(rels, f"{{{PR_NS}}}Relationship", Id=preview_id, Type=REL + "image",
                         Target=preview.removeprefix("word/"))
        body.insert(len(body) - 1, etree.fromstring(_ole_object(index, preview_id, object_id,
                                                                prog_id)))
        members[name], members[preview] = data, picture
    members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True,
                                                    encoding="UTF-8", standalone=True)
    members["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                             encoding="UTF-8", standalone=True)
    members["word/document.xml"] = etree.tostring(body_xml, xml_declaration=True,
                                                  encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


# -- reading the output -------------------------------------------------------------------
def _all_bytes(data: bytes, name: str = "") -> list[tuple[str, bytes]]:
    """Every part of a package, unzipped recursively; PDFs uncompressed by qpdf."""
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [item for member in archive.namelist()
                    for item in _all_bytes(archive.read(member), f"{name}/{member}")]
    if data.startswith(b"%PDF"):
        data = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "-", "-"],
                              input=data, capture_output=True).stdout
    return [(name, data)]


def _leaks(path: Path) -> list[str]:
    forms = [v.encode(encoding) for v in (SURNAME, SURNAME.lower(), SURNAME.title())
             for encoding in ("utf-8", "utf-16-le")]
    return [name for name, data in _all_bytes(path.read_bytes()) if any(f in data for f in forms)]


def _surrogate(text: str, line: tuple[str, str, str]) -> str:
    found = re.search(re.escape(line[0]) + r"(.+?)" + re.escape(line[2][:8]), " ".join(text.split()))
    assert found is not None, "the line around the name is not in the output"
    return found.group(1)


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def _pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


# -- tests --------------------------------------------------------------------------------
def test_embedded_documents_share_the_host_surrogates(deidentifier: Deidentifier,
                                                      tmp_path: Path) -> None:
    src, dst = tmp_path / "lettre.docx", tmp_path / "out" / "lettre.docx"
    build_host(src)
    assert _leaks(src)  # the planted name is where the test looks
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert "embedded document word/embeddings/Microsoft_Excel_Sheet1.xlsx pseudonymized" \
        in report.reason and SURNAME not in report.reason
    assert _leaks(dst) == []
    surrogate = _surrogate(_docx_text(dst.read_bytes()), HOST_LINE)
    assert SURNAME not in surrogate and MEDICAL in _docx_text(dst.read_bytes())
    inner = _member(dst, "word/embeddings/Microsoft_Word_Document1.docx")
    assert _surrogate(_docx_text(inner), INNER_LINE) == surrogate
    sheet = openpyxl.load_workbook(io.BytesIO(_member(dst, "word/embeddings/Microsoft_Excel_Sheet1.xlsx")))
    assert _surrogate(str(sheet.active["A2"].value), SHEET_LINE) == surrogate
    assert sheet.active["B2"].value == "100 mg"
    pdf_text = _pdftotext(_member(dst, "word/embeddings/rapport.pdf"))
    assert _surrogate(pdf_text, INNER_LINE) == surrogate


def test_previews_are_replaced_by_a_blank_picture(deidentifier: Deidentifier,
                                                  tmp_path: Path) -> None:
    """The pictures Word shows for the objects drew the old content: an EMF preview
    becomes a blank PNG part, a PNG preview a blank PNG; the objects keep their place."""
    src, dst = tmp_path / "lettre.docx", tmp_path / "out" / "lettre.docx"
    build_host(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert "preview image of embedded document" in report.reason
    names = zipfile.ZipFile(dst).namelist()
    assert not [n for n in names if n.endswith(".emf")]
    pictures = [n for n in names if n.startswith("word/media/")]
    assert sorted(pictures) == ["word/media/image91.png", "word/media/image92.png",
                                "word/media/image93.png"]
    for name in pictures:
        image = Image.open(io.BytesIO(_member(dst, name)))
        assert image.format == "PNG" and len(set(image.convert("L").getextrema())) == 1
    body = _member(dst, "word/document.xml").decode("utf-8")
    assert body.count("<w:object") == 3 and body.count("o:OLEObject") == 3
    types = _member(dst, "[Content_Types].xml").decode("utf-8")
    assert 'PartName="/word/media/image91.png" ContentType="image/png"' in types


def test_output_opens_in_python_docx_and_libreoffice(deidentifier: Deidentifier,
                                                     tmp_path: Path) -> None:
    src, dst = tmp_path / "lettre.docx", tmp_path / "out" / "lettre.docx"
    build_host(src)
    assert deidentifier.pseudonymize_file(src, dst).status == "done"
    docx.Document(str(dst))
    binary = converted.soffice()
    if binary is None:
        pytest.skip("LibreOffice not installed")
    subprocess.run([binary, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", "pdf", "--outdir",
                    str(tmp_path / "pdf"), str(dst)], check=True, capture_output=True, timeout=180)
    text = _pdftotext((tmp_path / "pdf" / "lettre.pdf").read_bytes())
    assert MEDICAL in " ".join(text.split()) and SURNAME not in text


def _refused_inner() -> bytes:
    """A .docx whose main part declares entities: refused on its own whatever the policy,
    so refused inside a host."""
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(["".join(INNER_LINE)]))) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"?>", b'?><!DOCTYPE w:document [<!ENTITY x "x">]>', 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_an_embedded_document_that_would_be_refused_refuses_the_host(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, out = tmp_path / "lettre.docx", tmp_path / "out"
    build_host(src, inner_docx=_refused_inner())
    report = deidentifier.pseudonymize_file(src, out / "lettre.docx")
    assert report.status == "refused"
    assert "word/embeddings/Microsoft_Word_Document1.docx" in report.reason
    assert "DTD" in report.reason and SURNAME not in report.reason
    assert not out.exists() or list(out.iterdir()) == []


def test_embedded_drop_removes_the_document_that_would_be_refused(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    dropping = copy.copy(deidentifier)
    dropping.embedded = "drop"
    src, dst = tmp_path / "lettre.docx", tmp_path / "out" / "lettre.docx"
    build_host(src, inner_docx=_refused_inner())
    report = dropping.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    names = zipfile.ZipFile(dst).namelist()
    assert "word/embeddings/Microsoft_Word_Document1.docx" not in names
    assert not [n for n in names if "image91" in n]  # its preview went with it
    assert "word/embeddings/Microsoft_Excel_Sheet1.xlsx" in names
    assert _leaks(dst) == []
    assert _member(dst, "word/document.xml").decode("utf-8").count("<w:object") == 2
