"""Folder throughput with 1 and 2 worker processes on a generated export of mixed files
(the 150 test-split texts as .txt, 30 of them as .docx, 30 as .pdf: 210 files); the
scaling ratio and peak memory per worker. Appends its section to benchmarks/RESULTS.md.

    python benchmarks/bench_folder.py
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import docx
from reportlab.pdfgen.canvas import Canvas
from results import write_section

from deident import Deidentifier
from deident.batch import _execute, _State, plan, state_path

ROOT = Path(__file__).resolve().parents[1]
TITLE = "## Folder runs (local backend)"


def build_export(folder: Path) -> int:
    texts = sorted((ROOT / "evaluation" / "corpus" / "test").glob("doc_*.txt"))
    for index, path in enumerate(texts):
        text = path.read_text(encoding="utf-8")
        (folder / "txt").mkdir(parents=True, exist_ok=True)
        (folder / "txt" / path.name).write_text(text, encoding="utf-8")
        if index < 30:
            document = docx.Document()
            for line in text.splitlines():
                document.add_paragraph(line)
            (folder / "docx").mkdir(exist_ok=True)
            document.save(str(folder / "docx" / f"{path.stem}.docx"))
        elif index < 60:
            (folder / "pdf").mkdir(exist_ok=True)
            canvas = Canvas(str(folder / "pdf" / f"{path.stem}.pdf"), invariant=1)
            canvas.setFont("Helvetica", 9)
            y = 800
            for line in text.splitlines():
                if y < 40:
                    canvas.showPage()
                    canvas.setFont("Helvetica", 9)
                    y = 800
                canvas.drawString(40, y, line[:120])
                y -= 12
            canvas.save()
    return sum(1 for p in folder.rglob("*") if p.is_file())


def measure(deidentifier: Deidentifier, src: Path, dst: Path, workers: int) -> dict:
    started = time.perf_counter()
    stamps, pages = [], 0
    tasks = plan(deidentifier, src, None)
    for report in _execute(deidentifier, src, dst, tasks, workers, _State(state_path(dst), False)):
        assert report.status == "done", report.reason
        stamps.append(time.perf_counter())
        pages += report.pages or 0
    total = stamps[-1] - started
    steady = stamps[-1] - stamps[0]  # from the first file done: worker start-up excluded
    return {"files": len(stamps), "pages": pages, "wall": total, "steady": steady,
            "files_per_s": len(stamps) / total, "steady_files_per_s": (len(stamps) - 1) / steady,
            "pages_per_s": pages / total}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="deident-bench-folder-"))
    try:
        count = build_export(folder / "src")
        deidentifier = Deidentifier(key=b"benchmark-key-not-a-secret-000000")
        rows = {n: measure(deidentifier, folder / "src", folder / f"out{n}", n) for n in (1, 2)}
        worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    one, two = rows[1], rows[2]
    lines = [TITLE, "",
             f"{count} files (150 .txt, 30 .docx, 30 .pdf from the test split), "
             f"{one['pages']} pages (PDF pages and Word's own counts); names planned in "
             "the parent, files in the parent and in workers-1 worker processes forked "
             "after the pipeline is loaded. "
             "Produced by "
             "`benchmarks/bench_folder.py` (`make bench`).", "",
             "| workers | wall time (s) | files/s | pages/s | files/s after start-up |",
             "|---:|---:|---:|---:|---:|"]
    for n, row in rows.items():
        lines.append(f"| {n} | {row['wall']:.1f} | {row['files_per_s']:.1f} | "
                     f"{row['pages_per_s']:.1f} | {row['steady_files_per_s']:.1f} |")
    wall = two["files_per_s"] / one["files_per_s"]
    steady = two["steady_files_per_s"] / one["steady_files_per_s"]
    lines += ["", f"Scaling, 2 workers / 1: {wall:.2f}× wall clock (worker start-up included), "
              f"{steady:.2f}× after start-up. Peak RSS: {worker_rss:.0f} MB for the worker process, "
              f"{parent_rss:.0f} MB for the parent (which also ran the 1-worker pass)."]
    section = "\n".join(lines) + "\n"
    write_section(TITLE, section)
    print(section)


if __name__ == "__main__":
    sys.exit(main())
