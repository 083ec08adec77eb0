"""Folder runs: a mixed export through the real CLI with two workers, an interrupted run
finished by --resume, shards, and names that hold personal data."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import docx_traps
import pdf_traps
import pytest
import scans

from deident import Deidentifier

DEIDENT = [sys.executable, "-m", "deident.cli"]


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("export")
    (src / "consultations").mkdir()
    (src / "note.txt").write_text("Vu M. Lucien FAUCHEUX le 12/03/2021.\n", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Patiente : Mme Josiane VERDELET, maladie de Parkinson.")
    document.save(str(src / "consultations" / "lettre.docx"))
    pdf_traps.build_helvetica(src / "consultations" / "CR_VERDELET_Josiane.pdf")
    docx_traps.build_truncated_docx(src / "consultations" / "abime.docx")
    pdf_traps.build_encrypted(src / "chiffre.pdf")
    scans.scan_pdf(src / "consultations" / "scan.pdf", [scans.render(
        ["Patiente : Mme Josiane VERDELET", "Suivie pour une maladie de Parkinson."],
        size=(4.5, 1.2))])
    (src / "tableau.xlsx").write_bytes(b"PK\x03\x04")
    return src


def test_a_mixed_export_with_two_workers(export: Path, key_file: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out"
    done = subprocess.run([*DEIDENT, "pseudonymize", str(export), str(dst), "--workers", "2",
                           "--key-file", str(key_file)], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    report_path = tmp_path / "out-report.json"  # beside DST by default, not inside
    report = json.loads(report_path.read_text(encoding="utf-8"))
    statuses = {f["source"]: (f["status"], f["output"]) for f in report["files"]}
    assert statuses == {
        "note.txt": ("done", "note.txt"),
        "consultations/lettre.docx": ("done", "consultations/lettre.docx"),
        "consultations/CR_[NOM].pdf": ("done", statuses["consultations/CR_[NOM].pdf"][1]),
        "consultations/abime.docx": ("refused", None),
        "consultations/scan.pdf": ("done", "consultations/scan.pdf"),  # read by OCR
        "chiffre.pdf": ("refused", None),
        "tableau.xlsx": ("refused", None),
    }
    written = set(_digests(dst))
    assert written == {f["output"] for f in report["files"] if f["output"]}
    assert not any("VERDELET" in name or "abime" in name for name in written)
    scanned = subprocess.run(["pdftotext", str(dst / "consultations" / "scan.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    assert "Parkinson" in scanned and "VERDELET" not in scanned
    for row in report["files"]:
        assert row["input_sha256"] and (row["status"] != "done" or row["output_sha256"])
        assert row["reason"] if row["status"] == "refused" else not row["reason"]
    for secret in ("VERDELET", "FAUCHEUX", "Josiane"):
        assert secret not in report_path.read_text() and secret not in done.stderr


def test_an_interrupted_run_resumes_to_the_same_result(deidentifier: Deidentifier,
                                                      key_file: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    paragraph = ("Mme Josiane VERDELET, née le 12/03/1956, revue le 03/04/2021 pour une maladie "
                 "de Parkinson ; tél. 06 12 47 83 95. ") * 60
    for index in range(14):
        (src / f"cr{index:02d}.txt").write_text(f"Dossier {index}\n{paragraph}\n", encoding="utf-8")
    dst = tmp_path / "out"
    run = subprocess.Popen([*DEIDENT, "pseudonymize", str(src), str(dst), "--workers", "1",
                            "--no-progress", "--key-file", str(key_file)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = dst.parent / ".out.deident-state.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (
            not state.exists() or len(state.read_text().splitlines()) < 3):
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait()
    finished_before = len(state.read_text().splitlines())
    assert 3 <= finished_before < 14, "killed midway"
    resumed = subprocess.run([*DEIDENT, "pseudonymize", str(src), str(dst), "--resume",
                              "--workers", "1", "--key-file", str(key_file)],
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert not [p for p in dst.rglob("*") if p.name.startswith(".deident-")]  # no partial file
    whole = tmp_path / "whole"
    assert deidentifier.pseudonymize_folder(src, whole).ok
    assert _digests(dst) == _digests(whole) and len(_digests(whole)) == 14


def test_shards_split_the_folder_without_overlap(deidentifier: Deidentifier, export: Path,
                                                 tmp_path: Path) -> None:
    outputs = [deidentifier.pseudonymize_folder(export, tmp_path / f"s{i}", shard=(i, 3))
               for i in range(3)]
    sources = [sorted(f.source for f in report.files) for report in outputs]
    assert sum(len(s) for s in sources) == 7 and len(set().union(*map(set, sources))) == 7


def test_a_non_empty_output_folder_needs_resume(deidentifier: Deidentifier, export: Path,
                                                tmp_path: Path) -> None:
    from deident.batch import UsageError

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("x")
    with pytest.raises(UsageError, match="--resume"):
        deidentifier.pseudonymize_folder(export, tmp_path / "out")


@pytest.fixture(scope="session")
def spark():
    from deident.spark import local_session

    session = local_session(2)
    yield session
    session.stop()


def test_local_and_spark_backends_give_the_same_reports_and_outputs(
        deidentifier: Deidentifier, export: Path, spark, tmp_path: Path) -> None:
    from deident.spark import run_spark

    local = deidentifier.pseudonymize_folder(export, tmp_path / "local")
    distributed = run_spark(deidentifier, export, tmp_path / "spark", spark,
                            parquet=tmp_path / "report.parquet")

    def rows(report) -> list[dict]:
        return [{k: v for k, v in vars(f).items() if k != "seconds"} for f in report.files]

    assert rows(local) == rows(distributed) and len(rows(local)) == 7
    assert _digests(tmp_path / "local") == _digests(tmp_path / "spark")
    parquet = spark.read.parquet(str(tmp_path / "report.parquet"))
    assert parquet.count() == 7 and {"source", "status", "input_sha256"} <= set(parquet.columns)


def test_spark_workers_fork_from_a_daemon_holding_the_models(spark) -> None:
    """deident.spark_daemon loads the models, freezes them for the collector, then forks
    the Python workers: each finds them loaded (gc.freeze happens nowhere else)."""
    import pandas as pd

    def probe(frames):
        import gc

        from deident import core

        inherited = bool(core._ANALYZERS) and gc.get_freeze_count() > 0
        for frame in frames:
            yield pd.DataFrame({"inherited": [inherited] * len(frame)})

    rows = spark.range(8).repartition(4).mapInPandas(probe, "inherited boolean").collect()
    assert len(rows) == 8 and all(row.inherited for row in rows)


def test_forked_workers_write_what_one_process_writes(
        export: Path, deidentifier: Deidentifier, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked after the pipeline is loaded (one fewer than asked: this process works
    beside them) give byte-identical outputs and the same report as the in-process run
    (the folder is small: thresholds lowered to use a pool)."""
    from deident import batch

    single = deidentifier.pseudonymize_folder(export, tmp_path / "one", workers=1)
    monkeypatch.setattr(batch, "SMALL_FOLDER_BYTES", 0)
    monkeypatch.setattr(batch, "FILES_PER_WORKER", 1)
    pids: set[int] = set()
    real_process = batch.process

    def process_and_note_pid(*args: object) -> object:
        report = real_process(*args)
        report.reason += f"@pid{os.getpid()}"
        return report

    monkeypatch.setattr(batch, "process", process_and_note_pid)
    pooled = deidentifier.pseudonymize_folder(export, tmp_path / "two", workers=2)
    for report in pooled.files:
        report.reason, _, pid = report.reason.rpartition("@pid")
        pids.add(int(pid))
    assert len(pids - {os.getpid()}) == 1  # one forked worker did files; this process may
    assert _digests(tmp_path / "one") == _digests(tmp_path / "two")
    strip = [(f.source, f.output, f.status, f.reason, f.entities, f.output_sha256)
             for f in single.files]
    assert strip == [(f.source, f.output, f.status, f.reason, f.entities, f.output_sha256)
                     for f in pooled.files]


def test_no_more_workers_than_work() -> None:
    from deident.batch import FILES_PER_WORKER, SMALL_FOLDER_BYTES, workers_for

    assert workers_for(8, files=1, total_bytes=10 * SMALL_FOLDER_BYTES) == 1
    assert workers_for(8, files=500, total_bytes=SMALL_FOLDER_BYTES - 1) == 1
    assert workers_for(8, files=3 * FILES_PER_WORKER, total_bytes=10 * SMALL_FOLDER_BYTES) == 3
    assert workers_for(2, files=500, total_bytes=10 * SMALL_FOLDER_BYTES) == 2
