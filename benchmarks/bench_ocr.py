"""Scans and pictures: OCR pages per second per worker at 300 dpi and where the time goes
(rendering, OCR, analysis, painting), the engine choice (tesserocr in process against the
tesseract command, which is what pytesseract runs), what pictures without text cost in a
Word file, and a folder of scanned and text PDFs with 1 and 2 workers. Replaces its
section of RESULTS.md.

    python benchmarks/bench_ocr.py
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import docx
import pypdfium2
from docx.shared import Inches
from PIL import Image, ImageDraw
from results import write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "formats"))
import scans  # noqa: E402  (the test suite's scan generator)

from deident import Deidentifier  # noqa: E402
from deident.analyzer import Analyzer  # noqa: E402
from deident.formats import ocr  # noqa: E402

TITLE = "## Scans and pictures (OCR)"
KEY = b"benchmark-key-not-a-secret-000000"
PAGE = [*scans.LETTER, *[f"{line} (suite)" for line in scans.LETTER[7:]] * 6]  # ~30 lines


def a4_scan(seed: int) -> Image.Image:
    return scans.render(PAGE, size=(8.27, 11.69), points=11, seed=seed)


class Timer:
    """Seconds spent in a few functions, patched in place (nested calls not counted twice)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner: object, name: str, label: str) -> None:
        original = getattr(owner, name)
        timer = self

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timer.seconds[label] += time.perf_counter() - started

        setattr(owner, name, timed)


def per_worker(deidentifier: Deidentifier, folder: Path, pages: int) -> tuple[float, dict]:
    timer = Timer()
    timer.wrap(pypdfium2.PdfPage, "render", "rendering (PDFium, 300 dpi)")
    timer.wrap(ocr._Engine, "read", "OCR (read + re-read after painting)")
    timer.wrap(Analyzer, "analyze", "analysis (NER + recognizers)")
    timer.wrap(ocr, "paint", "painting")
    timer.wrap(ocr, "encode", "image encoding (JPEG)")
    started = time.perf_counter()
    for index in range(pages):
        src = folder / f"scan{index}.pdf"
        report = deidentifier.pseudonymize_file(src, folder / "out" / src.name)
        assert report.status == "done", report.reason
    total = time.perf_counter() - started
    return total, dict(timer.seconds)


def engines(image: Image.Image, label: Image.Image) -> list[tuple[str, float, float]]:
    """Seconds per call of each engine on an A4 page and on a small label (best of 2)."""
    rows = []
    engine = ocr._engine("fra")
    engine.read(label, 300)  # warm
    for name, run in (
        ("tesserocr (in process)", lambda im: engine.read(im, 300)),
        ("tesseract command, TSV (as pytesseract)", _command),
    ):
        timings = []
        for picture in (image, label):
            best = min(_seconds(run, picture) for _ in range(2))
            timings.append(best)
        rows.append((name, *timings))
    return rows


def _command(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return subprocess.run(["tesseract", "stdin", "stdout", "-l", "fra", "--dpi", "300", "tsv"],
                          input=buffer.getvalue(), capture_output=True, check=True).stdout.decode()


def _cheap_test_seconds(data: bytes) -> float:
    started = time.perf_counter()
    ocr.may_hold_text(Image.open(io.BytesIO(data)))
    return time.perf_counter() - started


def _seconds(run, image: Image.Image) -> float:
    started = time.perf_counter()
    run(image)
    return time.perf_counter() - started


def pictures_without_text() -> dict[str, Image.Image]:
    logo = Image.new("RGB", (400, 160), (20, 60, 140))
    ImageDraw.Draw(logo).ellipse((20, 20, 140, 140), fill=(240, 200, 40))
    chart = Image.new("RGB", (800, 500), "white")
    draw = ImageDraw.Draw(chart)
    for i, height in enumerate((120, 260, 180, 340, 220)):
        draw.rectangle((60 + i * 140, 460 - height, 160 + i * 140, 460), fill=(70, 110, 180))
    photo = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
    icon = Image.new("RGB", (24, 24), (200, 30, 30))
    return {"logo 400x160 PNG": logo, "bar chart 800x500 PNG": chart,
            "photo-like gradient 1600x1200 JPEG": photo, "icon 24x24 PNG": icon}


def docx_cost(deidentifier: Deidentifier, folder: Path, copies: int = 10
              ) -> list[tuple[str, float, float, bool]]:
    """Per picture without text: the cheap test alone (ms, best of 5), and what the OCR
    step adds to a Word file holding 10 of them (ms each: ocr auto against ocr off on
    the same file, best of 3 each)."""
    off = deidentifier.with_config(deidentifier.config.with_overrides("bench", ocr="off"))

    def build(path: Path, picture: Image.Image, fmt: str) -> None:
        document = docx.Document()
        document.add_paragraph("Compte rendu : Madame Ghislaine Brossolette, maladie de Parkinson.")
        for index in range(copies):
            buffer = io.BytesIO()
            # distinct bytes per copy: each is a part of its own
            picture.putpixel((0, 0), (index, 0, 0) if picture.mode == "RGB" else index)
            picture.save(buffer, fmt)
            document.add_picture(buffer, width=Inches(1))
        document.save(str(path))

    def best(runner: Deidentifier, path: Path) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            report = runner.pseudonymize_file(path, folder / "out" / path.name)
            times.append(time.perf_counter() - started)
            assert report.status == "done", report.reason
        return min(times)

    rows = []
    for name, picture in pictures_without_text().items():
        fmt = "JPEG" if "JPEG" in name else "PNG"
        path = folder / f"{name.split()[0]}.docx"
        build(path, picture.copy(), fmt)
        encoded = io.BytesIO()
        picture.save(encoded, fmt)
        cheap = min(_cheap_test_seconds(encoded.getvalue()) for _ in range(5)) * 1000
        added = (best(deidentifier, path) - best(off, path)) / copies * 1000
        rows.append((name, cheap, added, ocr.may_hold_text(picture)))
    return rows


def folder_run(folder: Path, workers: int) -> tuple[float, int]:
    src = folder / "mix"
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "deident.cli", "pseudonymize", str(src),
                           str(folder / f"mix-out-{workers}"), "--workers", str(workers),
                           "--key-file", str(folder / "bench.key"), "--no-progress", "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.perf_counter() - started, len(list(src.iterdir()))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="deident-bench-ocr-"))
    try:
        deidentifier = Deidentifier(key=KEY)
        pages = 3
        images = [a4_scan(seed) for seed in range(pages)]
        for index, image in enumerate(images):
            scans.scan_pdf(folder / f"scan{index}.pdf", [image], "JPEG")
        deidentifier.pseudonymize_file(folder / "scan0.pdf", folder / "warm.pdf")  # warm up
        total, shares = per_worker(deidentifier, folder, pages)
        engine_rows = engines(images[0], scans.label(["Ghislaine BROSSOLETTE", "IPP : 800123457"]))
        picture_rows = docx_cost(deidentifier, folder)
        (folder / "bench.key").write_bytes(KEY)
        (folder / "bench.key").chmod(0o600)
        mix = folder / "mix"
        mix.mkdir()
        for index in range(4):
            shutil.copy(folder / f"scan{index % pages}.pdf", mix / f"scan{index}.pdf")
        for index in range(8):
            _text_pdf(mix / f"texte{index}.pdf", index)
        folder_rows = [(workers, *folder_run(folder, workers)) for workers in (1, 2)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    lines = [TITLE, "",
             f"Generated A4 letters scanned at 300 dpi (~30 lines of text each, slight rotation "
             f"and noise, JPEG in a PDF), {pages} pages one after the other in one process, "
             "after a warm-up. Produced by `benchmarks/bench_ocr.py` (`make bench`); the "
             "machine is shared, so figures vary from run to run.", "",
             f"**{pages / total:.2f} pages/s per worker** ({total / pages:.2f} s a page). "
             "Where the time goes:", "",
             "| step | share |", "|---|---:|"]
    accounted = sum(shares.values())
    lines += [f"| {label} | {seconds / total:.0%} |" for label, seconds in shares.items()]
    lines += [f"| other (PDF read/write, text verification) | {(total - accounted) / total:.0%} |",
              "", "Engines, seconds per call (best of 2):", "",
              "| engine | A4 page | small label (900x420) |", "|---|---:|---:|"]
    lines += [f"| {name} | {page:.2f} | {label:.3f} |" for name, page, label in engine_rows]
    lines += ["", "Pictures without text: the cheap test on the encoded picture (decode "
              "included, best of 5), and what OCR adds to a Word file per picture (10 copies: "
              "`ocr = auto` against `ocr = off`, best of 3; noisy on a shared machine):", "",
              "| picture | cheap test (ms) | added in a .docx (ms each) | read by OCR |",
              "|---|---:|---:|---|"]
    lines += [f"| {name} | {cheap:.1f} | {added:.1f} | {'yes' if read else 'no (cheap test)'} |"
              for name, cheap, added, read in picture_rows]
    lines += ["", "Folder of 4 scanned and 8 text PDFs, `deident pseudonymize --workers N` "
              "(process start and model loading included):", "",
              "| workers | files | wall time (s) |", "|---:|---:|---:|"]
    lines += [f"| {w} | {n} | {s:.1f} |" for w, s, n in folder_rows]
    section = "\n".join(lines) + "\n"
    write_section(TITLE, section)
    print(section)


def _text_pdf(path: Path, index: int) -> None:  # index: distinct files, same letter
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dejavu", "", scans.SANS)
    pdf.set_font("dejavu", size=11)
    for number, line in enumerate(scans.LETTER):
        pdf.text(20, 20 + 7 * number, line)
    pdf.output(str(path))


if __name__ == "__main__":
    main()
