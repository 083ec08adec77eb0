"""Hostile and broken inputs, interruptions, locks, and no leaks through logs or errors."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pdf_traps
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deident import Deidentifier

EXAMPLES = int(os.environ.get("DEIDENT_FUZZ_EXAMPLES", "30"))
NAME, NIR = "VERDELET", "2 58 07 75 112 048 79"
FUZZ_COUNTS: dict[str, dict[str, int]] = {}


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph(f"Patiente : Mme Josiane {NAME}, NIR {NIR}.")
    document.add_table(rows=1, cols=1).cell(0, 0).text = f"Dr Anatole PRUNIER – {NAME}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_bytes(tmp: Path) -> bytes:
    pdf_traps.build_annotations(tmp)
    return tmp.read_bytes()


def _mutate(data: bytes, cut: float, flips: list[tuple[float, int]]) -> bytes:
    mutated = bytearray(data[: max(1, int(len(data) * cut))])
    for where, value in flips:
        mutated[int(where * (len(mutated) - 1))] = value
    return bytes(mutated)


mutations = st.tuples(st.one_of(st.just(1.0), st.floats(0.05, 1.0)),
                      st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=12))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_mutated_files_end_in_a_clear_status_and_never_half_written(
        deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory, kind: str) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz-{kind}")
    original = _docx_bytes() if kind == "docx" else _pdf_bytes(folder / "seed.pdf")
    counts = FUZZ_COUNTS.setdefault(kind, {})

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(mutations)
    def run(mutation: tuple[float, list[tuple[float, int]]]) -> None:
        src, dst = folder / f"in.{kind}", folder / "out" / f"out.{kind}"
        src.write_bytes(_mutate(original, *mutation))
        dst.unlink(missing_ok=True)
        report = deidentifier.pseudonymize_file(src, dst)  # never raises
        counts[report.status] = counts.get(report.status, 0) + 1
        assert report.status in ("done", "refused", "failed")
        assert (report.status == "done") == dst.exists()
        assert NAME not in report.reason and NIR not in report.reason
        if report.status == "done":
            assert NAME.encode() not in dst.read_bytes()
        assert not [p for p in dst.parent.iterdir() if p.name.startswith(".deident-")]

    run()
    print(f"fuzz {kind}: {counts}")  # the closing note reports these
    assert sum(counts.values()) >= EXAMPLES


def test_cyclic_and_deep_form_xobjects_are_refused(deidentifier: Deidentifier,
                                                   tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    pdf_traps.build_helvetica(tmp_path / "base.pdf")
    for shape in ("cycle", "deep"):
        writer = PdfWriter(clone_from=tmp_path / "base.pdf")
        forms = []
        for _ in range(2 if shape == "cycle" else 40):
            form = StreamObject()
            form.update({NameObject("/Type"): NameObject("/XObject"),
                         NameObject("/Subtype"): NameObject("/Form")})
            forms.append((form, writer._add_object(form)))
        for index, (form, _) in enumerate(forms):
            following = forms[(index + 1) % len(forms)] if shape == "cycle" or index + 1 < len(forms) \
                else None
            if following is not None:
                form[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
                    {NameObject("/X"): following[1]})})
                form.set_data(b"/X Do")
        page = writer.pages[0]
        page["/Resources"][NameObject("/XObject")] = DictionaryObject({NameObject("/X"): forms[0][1]})
        page.replace_contents(page.get_contents())
        page.get_contents().operations.append(([NameObject("/X")], b"Do"))
        contents = page.get_contents()
        contents.operations.append(([NameObject("/X")], b"Do"))
        page.replace_contents(contents)
        src = tmp_path / f"{shape}.pdf"
        writer.write(src)
        report = deidentifier.pseudonymize_file(src, tmp_path / "out" / f"{shape}.pdf")
        assert report.status == "refused", (shape, report.status, report.reason)
        assert ("cycle" if shape == "cycle" else "nested") in report.reason


def test_a_second_run_on_the_same_output_waits_for_the_first(deidentifier: Deidentifier,
                                                             tmp_path: Path) -> None:
    from deident.batch import UsageError

    src = tmp_path / "src"
    src.mkdir()
    (src / "note.txt").write_text("Vu M. Lucien FAUCHEUX.", encoding="utf-8")
    lock = tmp_path / ".out.deident-lock"
    lock.write_text(str(os.getpid()))  # a live process holds it
    with pytest.raises(UsageError, match="another deident run"):
        deidentifier.pseudonymize_folder(src, tmp_path / "out")
    lock.write_text("999999999")  # its process is gone: taken over
    assert deidentifier.pseudonymize_folder(src, tmp_path / "out").ok
    assert not lock.exists()


def test_temporaries_are_private_and_go_on_failure(deidentifier: Deidentifier, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from deident.formats import text as text_format

    seen: list[tuple[int, int]] = []

    def failing_write(document, edits, dst: Path) -> None:
        seen.append((dst.parent.stat().st_mode & 0o777, dst.stat().st_mode & 0o777))
        raise OSError("disk full")

    monkeypatch.setattr(text_format, "write", failing_write)
    (tmp_path / "in.txt").write_text(f"Mme {NAME}", encoding="utf-8")
    report = deidentifier.pseudonymize_file(tmp_path / "in.txt", tmp_path / "out" / "in.txt")
    assert report.status == "failed" and seen == [(0o700, 0o600)]
    assert list((tmp_path / "out").iterdir()) == []


def test_sigterm_leaves_no_temporary_file(key_file: Path, tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for index in range(30):
        (src / f"cr{index:02d}.txt").write_text(f"Mme Josiane {NAME} revue. " * 400, encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "deident.cli", "pseudonymize", str(src), str(dst),
                            "--workers", "1", "--no-progress", "--key-file", str(key_file)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    state = tmp_path / ".out.deident-state.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (state.exists() and state.read_text().strip()):
        time.sleep(0.02)
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode != 0
    assert not [p for p in dst.rglob("*") if p.name.startswith(".deident-")]
    assert not (tmp_path / ".out.deident-lock").exists()
    assert NAME.encode() not in stderr


def test_nothing_leaks_at_debug_level_with_failures_injected(
        deidentifier: Deidentifier, tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    from deident.recognizers.identifiers import RppsRecognizer

    def broken(self, text, entities, nlp_artifacts=None):
        if "RPPS-BOOM" in text:
            raise ValueError(f"recognizer failed on: {text}")  # quotes the document
        return []

    monkeypatch.setattr(RppsRecognizer, "analyze", broken)
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text(f"Vue Mme Josiane {NAME}, NIR {NIR}.", encoding="utf-8")
    (src / "boom.txt").write_text(f"Mme Josiane {NAME} RPPS-BOOM", encoding="utf-8")
    (src / "broken.docx").write_bytes(_docx_bytes()[:500])
    (src / "scan.pdf").write_bytes(b"%PDF-1.4 " + NAME.encode())
    from reportlab.pdfgen.canvas import Canvas

    plain = tmp_path / "plain.pdf"  # uncompressed: the name sits in the bytes
    canvas = Canvas(str(plain), pageCompression=0, invariant=1)
    canvas.drawString(72, 720, f"Patiente : Mme Josiane {NAME}")
    canvas.save()
    data = bytearray(plain.read_bytes())
    at = data.index(NAME.encode())
    data[at - 40:at - 38] = b"\x8f\x8f"  # damage just before it: pypdf quotes what it reads
    (src / "damaged.pdf").write_bytes(bytes(data))
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    report = deidentifier.pseudonymize_folder(src, tmp_path / "out")
    statuses = {f.source: (f.status, f.reason) for f in report.files}
    assert statuses["boom.txt"] == ("failed", "ValueError")
    assert statuses["ok.txt"][0] == "done"
    blobs = [caplog.text, *capsys.readouterr(), repr(report), str(statuses)]
    blobs += [p.read_text(errors="replace") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    for blob in blobs:
        assert NAME not in blob and NIR not in blob


def test_pypdf_logs_are_silenced() -> None:
    """pypdf's warnings quote the damaged bytes they read: none may reach a log."""
    import deident.formats.pdf  # noqa: F401

    for name in ("pypdf", "pypdf._reader", "pypdf.generic._data_structures"):
        assert not logging.getLogger(name).isEnabledFor(logging.CRITICAL)


def test_a_content_stream_inflating_to_hundreds_of_megabytes_is_refused(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    import zlib

    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject, StreamObject

    pdf_traps.build_helvetica(tmp_path / "base.pdf")
    writer = PdfWriter(clone_from=tmp_path / "base.pdf")
    bomb = StreamObject()
    bomb._data = zlib.compress(b"q Q " * (120 * 2**20 // 4), 9)  # 120 MB in ~120 KB
    bomb[NameObject("/Filter")] = NameObject("/FlateDecode")
    bomb[NameObject("/Length")] = NumberObject(len(bomb._data))
    page = writer.pages[0]
    page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), writer._add_object(bomb)])
    writer.write(tmp_path / "bomb.pdf")
    report = deidentifier.pseudonymize_file(tmp_path / "bomb.pdf", tmp_path / "out" / "bomb.pdf")
    assert report.status == "refused" and not (tmp_path / "out" / "bomb.pdf").exists()
