"""Word files: every trap of tests/formats/docx_traps.py pseudonymized, checked in the raw
XML of every part; refusals leave nothing behind."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import docx
import docx_traps as traps
import libreoffice
import pytest

from deident import Deidentifier


@pytest.fixture(scope="module")
def trap_output(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("docx")
    src, dst = folder / "traps.docx", folder / "out" / "traps.docx"
    traps.build_trap_docx(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    return src, dst


def test_no_planted_value_left_in_any_part(trap_output: tuple[Path, Path]) -> None:
    src, dst = trap_output
    before, after = traps.all_xml_text(src), traps.all_xml_text(dst)
    leaked = {trap: [v for v in values if v in after]
              for trap, values in traps.PLANTED.items()}
    assert all(values and all(v in before for v in values) for values in traps.PLANTED.values())
    assert {trap: values for trap, values in leaked.items() if values} == {}


def test_output_opens_and_keeps_its_text(trap_output: tuple[Path, Path]) -> None:
    _, dst = trap_output
    document = docx.Document(str(dst))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "texte inséré" in text  # an accepted insertion stays
    names = zipfile.ZipFile(dst).namelist()
    assert "docProps/custom.xml" not in names and not any("thumbnail" in n for n in names)
    core = document.core_properties
    assert (core.author, core.title, core.subject, core.keywords, core.last_modified_by) == ("",) * 5


def test_split_name_keeps_each_run_formatting(trap_output: tuple[Path, Path]) -> None:
    def runs(path: Path) -> list[tuple[str, bool | None]]:
        paragraph = next(p for p in docx.Document(str(path)).paragraphs
                         if p.text.startswith(traps.SPLIT_PREFIX))
        return [(r.text, r.bold) for r in paragraph.runs]

    src, dst = trap_output
    before, after = runs(src), runs(dst)
    assert [bold for _, bold in after] == [bold for _, bold in before]
    (prefix, _), (title, _), (first, _), (last, bold) = after
    assert (prefix, title, bold) == (traps.SPLIT_PREFIX, "Mme ", True)
    assert first.endswith(" ") and first.strip() and last.strip() and last != "ABRIAL"


def test_libreoffice_converts_the_output(trap_output: tuple[Path, Path], tmp_path: Path) -> None:
    _, dst = trap_output
    pdf = libreoffice.convert(dst, "pdf", tmp_path)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("builder", "reason"), [
    (traps.build_encrypted_docx, "encrypted"),
    (traps.build_truncated_docx, "not a valid"),
    (traps.build_zip_bomb_docx, "zip bomb"),
    (traps.build_entity_expansion_docx, "DTD"),
    (traps.build_macro_docx, "macros"),
    (traps.build_ole_docx, "embedded OLE object"),
    (traps.build_altchunk_docx, "altChunk"),
])
def test_unsafe_files_are_refused_and_never_written(deidentifier: Deidentifier, tmp_path: Path,
                                                    builder, reason: str) -> None:
    src, out = tmp_path / "in.docx", tmp_path / "out"
    builder(src)
    report = deidentifier.pseudonymize_file(src, out / "in.docx")
    assert report.status == "refused" and reason in report.reason
    assert not out.exists() or list(out.iterdir()) == []
    assert traps.REFUSAL_NAME not in report.reason


@pytest.mark.parametrize("builder", [traps.build_macro_docx, traps.build_ole_docx,
                                     traps.build_altchunk_docx])
def test_embedded_drop_removes_what_cannot_be_checked(deidentifier: Deidentifier, tmp_path: Path,
                                                      builder) -> None:
    dropping = copy.copy(deidentifier)
    dropping.embedded = "drop"
    src, dst = tmp_path / "in.docx", tmp_path / "out.docx"
    builder(src)
    report = dropping.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    names = zipfile.ZipFile(dst).namelist()
    assert not [n for n in names if "vba" in n.lower() or "embeddings" in n or "afchunk" in n]
    content = traps.all_xml_text(dst)
    assert traps.REFUSAL_NAME not in content and traps.ALTCHUNK_NAME not in content
    assert "macroEnabled" not in content and "w:object" not in content
    docx.Document(str(dst))  # still opens


def test_a_value_left_behind_fails_verification(deidentifier: Deidentifier, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from deident.formats import docx as docx_format

    original_write = docx_format.write
    monkeypatch.setattr(docx_format, "write", lambda document, edits, dst: original_write(
        document, [[] for _ in edits], dst))
    src, out = tmp_path / "in.docx", tmp_path / "out"
    document = docx.Document()
    document.add_paragraph("Patiente : Mme Josiane VERDELET, vue ce jour.")
    document.save(str(src))
    report = deidentifier.pseudonymize_file(src, out / "in.docx")
    assert report.status == "refused" and "verification failed" in report.reason
    assert not out.exists() or list(out.iterdir()) == []


def test_field_codes_keep_their_keywords(trap_output: tuple[Path, Path]) -> None:
    _, dst = trap_output
    document = zipfile.ZipFile(dst).read("word/document.xml").decode("utf-8")
    assert ' HYPERLINK "mailto:' in document and 'w:instr=" MERGEFIELD ' in document


def test_a_folder_with_word_and_text_files(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "lettres").mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("Adressée par le Dr Anatole PRUNIER pour une maladie de Parkinson.")
    document.save(str(src / "lettres" / "cr.docx"))
    (src / "note.txt").write_text("Vu Mme Josiane VERDELET ce jour.", encoding="utf-8")
    report = deidentifier.pseudonymize_folder(src, tmp_path / "dst")
    assert report.statuses() == {"done": 2}
    text = docx.Document(str(tmp_path / "dst" / "lettres" / "cr.docx")).paragraphs[0].text
    assert "PRUNIER" not in text and "maladie de Parkinson" in text


def test_both_copies_stay_consistent_and_revision_marks_are_gone(trap_output: tuple[Path, Path]
                                                                 ) -> None:
    import re

    _, dst = trap_output
    archive = zipfile.ZipFile(dst)
    document = archive.read("word/document.xml").decode("utf-8")
    bound = re.search(r"<nom>(.*?)</nom>", archive.read("customXml/item1.xml").decode("utf-8"))
    assert bound and bound.group(1) in re.sub(r"<[^>]+>", "", document)  # control = bound data
    text_boxes = re.findall(r"<w:txbxContent>(.*?)</w:txbxContent>", document, re.S)
    assert len(text_boxes) == 2 and len({re.sub(r"<[^>]+>", "", t) for t in text_boxes}) == 1
    for mark in ("w:rsid", "w:del ", "w:ins ", "w:rPrChange", "w:moveFrom", "w:delText",
                 "w:attachedTemplate", "w:docVars", "w:mailMerge", "w:date="):
        assert mark not in traps.all_xml_text(dst), mark


def test_language_tags_are_no_names(deidentifier: Deidentifier, tmp_path: Path) -> None:
    """python-docx's template declares East Asian text as "ja-JP": not the initials of a
    "J.-P." in the text, so neither a remnant nor rewritten."""
    src, dst = tmp_path / "in.docx", tmp_path / "out" / "in.docx"
    document = docx.Document()
    document.add_paragraph("Patient vu par le Dr J.-P. MARTIN et Mme Ja LEE, tremblement essentiel.")
    document.save(str(src))
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    with zipfile.ZipFile(dst) as archive:
        assert 'w:eastAsia="ja-JP"' in archive.read("word/settings.xml").decode("utf-8")
