"""PDF files built by tests/formats/pdf_traps.py: planted values gone from the text poppler
extracts and from every decompressed byte, the file valid, the layout held."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdf_traps as traps
import pytest

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


@pytest.mark.parametrize("builder", REWRITTEN[:6], ids=lambda b: b.__name__)
def test_pseudonyms_read_in_place_and_medicine_stays(outputs: dict, builder) -> None:
    src, dst, _, _ = outputs[builder.__name__]
    before, after = traps.pdftotext(src), traps.pdftotext(dst)
    assert traps.MEDICAL in after
    assert len(_TITLED.findall(after)) >= len(_TITLED.findall(before)) > 0
    assert set(_TITLED.findall(after)).isdisjoint(_TITLED.findall(before))


@pytest.mark.parametrize("builder", REWRITTEN[:6], ids=lambda b: b.__name__)
def test_untouched_lines_do_not_move(outputs: dict, builder) -> None:
    src, dst, _, _ = outputs[builder.__name__]
    after = {(page, text): (x, y) for page, x, y, text in traps.line_positions(dst)}
    same = [(page, x, y, text) for page, x, y, text in traps.line_positions(src)
            if (page, text) in after]
    assert same, "some lines carry no personal data"
    assert [(p, x, y, t) for p, x, y, t in same if after[(p, t)] != (x, y)] == []


@pytest.mark.parametrize(("builder", "reason"), [(traps.build_image_only, "needs OCR"),
                                                 (traps.build_encrypted, "encrypted")])
def test_scans_and_encrypted_files_are_refused(deidentifier: Deidentifier, tmp_path: Path,
                                               builder, reason: str) -> None:
    src, out = tmp_path / "in.pdf", tmp_path / "out"
    builder(src)
    report = deidentifier.pseudonymize_file(src, out / "in.pdf")
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
