"""Word files as they come from the world: Strict OOXML, XML and text parts of types no
table lists, unknown binary parts, signatures, Word's own page count, and the real files
of ../shared/realfiles/ (see its README)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import libreoffice
import pytest
from lxml import etree

from deident import Deidentifier
from deident.formats.package import Package
from deident.formats.strict import to_strict

# ../shared/realfiles beside the checkout (CI lays shared/ beside its clone).
REALFILES = next((p / "shared" / "realfiles" for p in Path(__file__).resolve().parents
                  if (p / "shared" / "realfiles").is_dir()), Path("/nonexistent"))
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
PATIENT = ("Jeanne", "VERDELET")


def _letter(path: Path) -> None:
    """A letter whose patient's surname is cut over three runs, as Word often saves it."""
    document = docx.Document()
    paragraph = document.add_paragraph("Compte rendu : Mme Jeanne ")
    for piece in ("VER", "DE", "LET"):
        paragraph.add_run(piece)
    paragraph.add_run(", suivie pour une maladie de Parkinson.")
    document.add_paragraph("Lévodopa 100 mg trois fois par jour.")
    document.save(str(path))


def _add_part(path: Path, name: str, content_type: str, data: bytes,
              relation: str = "http://example.org/relationships/addin") -> None:
    """A part related from the main document, with its content type declared."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    types = etree.fromstring(members["[Content_Types].xml"])
    ns = types.nsmap[None]
    etree.SubElement(types, f"{{{ns}}}Override", PartName=f"/{name}", ContentType=content_type)
    members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
    rels = etree.fromstring(members["word/_rels/document.xml.rels"])
    etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship", Id="rIdTest", Type=relation,
                     Target=f"/{name}")
    members["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True,
                                                             encoding="UTF-8")
    members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)


def _all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join([*archive.namelist(),
                          *(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())])


def _converts_with_libreoffice(path: Path, tmp_path: Path) -> None:
    text = libreoffice.convert(path, "txt:Text", tmp_path / "txt").read_text(encoding="utf-8-sig")
    assert "maladie de Parkinson" in text
    assert not any(value in text for value in PATIENT)


def test_a_strict_document_is_read_and_written_back_strict(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    transitional = tmp_path / "transitional.docx"
    _letter(transitional)
    with zipfile.ZipFile(transitional) as archive:
        package = Package({n: archive.read(n) for n in archive.namelist()})
    to_strict(package)
    src = tmp_path / "strict.docx"
    package.save(src)
    assert W_STRICT in _all_text(src)

    dst = tmp_path / "out" / "strict.docx"
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert "Strict" in report.reason
    out = _all_text(dst)
    assert not any(value in out for value in PATIENT)
    with zipfile.ZipFile(dst) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    assert etree.QName(root).namespace == W_STRICT  # delivered as it came
    assert "maladie de Parkinson" in out
    _converts_with_libreoffice(dst, tmp_path)


def test_an_xml_part_of_an_unlisted_type_is_read_as_xml(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "addin.docx"
    _letter(src)
    _add_part(src, "customXml/addin1.xml", "application/vnd.example.addin-data+xml",
              b'<?xml version="1.0" encoding="UTF-8"?><addin xmlns="urn:example:addin">'
              b'<patient label="Patiente Jeanne VERDELET">Mme Jeanne VERDELET</patient></addin>')
    dst = tmp_path / "out" / "addin.docx"
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    out = _all_text(dst)
    assert not any(value in out for value in PATIENT)
    assert "urn:example:addin" in out  # the part is kept, rewritten


def test_a_text_part_of_an_unlisted_type_is_read_as_text(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "notes.docx"
    _letter(src)
    _add_part(src, "addin/notes", "text/x-example-notes",
              b"Dossier suivi par Mme Jeanne VERDELET.\n")
    dst = tmp_path / "out" / "notes.docx"
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert not any(value in _all_text(dst) for value in PATIENT)


def test_an_unknown_binary_part_is_refused_or_dropped(tmp_path: Path,
                                                      deidentifier: Deidentifier) -> None:
    src = tmp_path / "blob.docx"
    _letter(src)
    _add_part(src, "addin/blob.bin", "application/x-example-blob",
              b"\x00\x01VERDELET\x00\xff" * 8)
    refused = deidentifier.pseudonymize_file(src, tmp_path / "out" / "blob.docx")
    assert refused.status == "refused"
    assert "binary part of unknown type" in refused.reason and "VERDELET" not in refused.reason
    assert not (tmp_path / "out" / "blob.docx").exists()
    dropping = deidentifier.with_config(deidentifier.config.with_overrides("test", embedded="drop"))
    done = dropping.pseudonymize_file(src, tmp_path / "drop" / "blob.docx")
    assert done.status == "done", done.reason
    out = _all_text(tmp_path / "drop" / "blob.docx")
    assert "addin/blob.bin" not in out and "VERDELET" not in out


def test_a_signature_is_removed_and_the_report_says_so(deidentifier: Deidentifier,
                                                       tmp_path: Path) -> None:
    src = tmp_path / "signed.docx"
    _letter(src)
    signature = b'<?xml version="1.0" encoding="UTF-8"?><Signature ' \
        b'xmlns="http://www.w3.org/2000/09/xmldsig#"><SignatureValue>QUJD</SignatureValue>' \
        b'<KeyInfo><X509Data><X509SubjectName>CN=Jeanne VERDELET</X509SubjectName></X509Data>' \
        b'</KeyInfo></Signature>'
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/"
    with zipfile.ZipFile(src) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    types = etree.fromstring(members["[Content_Types].xml"])
    ns = types.nsmap[None]
    sig = "application/vnd.openxmlformats-package.digital-signature-"
    etree.SubElement(types, f"{{{ns}}}Override", PartName="/_xmlsignatures/origin.sigs",
                     ContentType=sig + "origin")
    etree.SubElement(types, f"{{{ns}}}Override", PartName="/_xmlsignatures/sig1.xml",
                     ContentType=sig + "xmlsignature+xml")
    members["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8")
    rels = etree.fromstring(members["_rels/.rels"])
    etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship", Id="rIdSig",
                     Type=pkg + "origin", Target="_xmlsignatures/origin.sigs")
    members["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8")
    members["_xmlsignatures/origin.sigs"] = b""
    members["_xmlsignatures/_rels/origin.sigs.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        f'{pkg}signature" Target="sig1.xml"/></Relationships>').encode()
    members["_xmlsignatures/sig1.xml"] = signature
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "signed.docx")
    assert report.status == "done", report.reason
    assert "digital signature removed" in report.reason
    out = _all_text(tmp_path / "out" / "signed.docx")
    assert "_xmlsignatures" not in out and "VERDELET" not in out


def _with_page_count(src: Path, dst: Path, pages: str | None) -> None:
    with zipfile.ZipFile(src) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    app = etree.fromstring(members["docProps/app.xml"])
    for element in app.findall(f"{{{app.nsmap[None]}}}Pages"):
        app.remove(element)
    if pages is not None:
        etree.SubElement(app, f"{{{app.nsmap[None]}}}Pages").text = pages
    members["docProps/app.xml"] = etree.tostring(app, xml_declaration=True, encoding="UTF-8")
    with zipfile.ZipFile(dst, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)


def test_pages_are_words_own_count_or_none(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Consultation de suivi.")
    document.save(str(src))
    _with_page_count(src, tmp_path / "counted.docx", "3")
    _with_page_count(src, tmp_path / "uncounted.docx", None)
    counted = deidentifier.pseudonymize_file(tmp_path / "counted.docx", tmp_path / "out" / "c.docx")
    assert counted.status == "done" and counted.pages == 3
    uncounted = deidentifier.pseudonymize_file(tmp_path / "uncounted.docx",
                                               tmp_path / "out" / "u.docx")
    assert uncounted.status == "done" and uncounted.pages is None
    text = tmp_path / "note.txt"
    text.write_text("Consultation de suivi.\n" * 2000, encoding="utf-8")
    assert deidentifier.pseudonymize_file(text, tmp_path / "out" / "note.txt").pages is None


@pytest.mark.parametrize("name", [
    "mammoth.js__test_test-data_strict-format.docx",
    "mammoth.js__test_test-data_embedded-style-map.docx",
    # "First Page Header", Word's own label, was taken for a name; the file name has it
    "python-docx__features_steps_test_files_sct-first-page-hdrftr.docx",
    # a chart's workbook (word/embeddings/*.xlsx): pseudonymized with the host
    "python-docx__features_steps_test_files_shp-inline-shape-access.docx",
])
def test_real_files_are_done(deidentifier: Deidentifier, tmp_path: Path, name: str) -> None:
    src = REALFILES / name
    if not src.exists():
        pytest.skip("../shared/realfiles is not beside this checkout")
    report = deidentifier.pseudonymize_file(src, tmp_path / name)
    assert report.status == "done", report.reason
    with zipfile.ZipFile(tmp_path / name) as archive:
        assert archive.testzip() is None


def test_a_name_that_is_also_a_word_of_the_package_is_no_reason_to_refuse(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    """"Dr Header" is replaced; Word's own "header1.xml", style "Header" and w:type="first"
    are the package's wiring, not remnants of him."""
    src = tmp_path / "lettre.docx"
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Service de neurologie"
    document.sections[0].different_first_page_header_footer = True
    document.sections[0].first_page_header.paragraphs[0].text = "Première page"
    document.add_paragraph("Consultation du Dr Header et du Dr First, maladie de Parkinson.")
    document.save(str(src))
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "lettre.docx")
    assert report.status == "done", report.reason
    body = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "lettre.docx")).paragraphs)
    assert "Header" not in body and "First" not in body and "maladie de Parkinson" in body
