"""PDF files that used to take minutes or blow up: a 1-page PDF with 30,000 link
annotations, and one large embedded font reused on 40 pages. Per-file time (pipeline
loaded once, as in a folder run) and output/input size. Appends its section to RESULTS.md.

    python benchmarks/bench_pdf.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

TITLE = "## PDF: many annotations, a large font on many pages"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _letter(path: Path, pages: int = 1, font: str = "Helvetica") -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    if font != "Helvetica":
        pdfmetrics.registerFont(TTFont(font, str(DEJAVU)))
    canvas = Canvas(str(path), invariant=1)
    for page in range(pages):
        canvas.setFont(font, 12)
        canvas.drawString(72, 760, f"Page {page + 1} : vue par le Dr Anatole PRUNIER.")
        canvas.drawString(72, 740, "Suivi pour une maladie de Parkinson.")
        canvas.showPage()
    canvas.save()


def many_links(path: Path, count: int = 30_000, uri: bool = False) -> None:
    """One page with `count` link annotations (a generated index, a CAD export): links to
    the page itself, or to `count` distinct web addresses."""
    base = path.with_suffix(".base.pdf")
    _letter(base)
    writer = PdfWriter(clone_from=base)
    base.unlink()
    links = ArrayObject()
    for i in range(count):
        x, y = 20 + (i % 100) * 5.5, 20 + (i // 100) * 2.4
        links.append(writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in (x, y, x + 5, y + 2)),
            NameObject("/Border"): ArrayObject([FloatObject(0)] * 3),
            NameObject("/A"): DictionaryObject({
                NameObject("/S"): NameObject("/URI"),
                NameObject("/URI"): TextStringObject(f"https://example.org/item/{i}")}) if uri
            else DictionaryObject({
                NameObject("/S"): NameObject("/GoTo"),
                NameObject("/D"): ArrayObject([writer.pages[0].indirect_reference,
                                               NameObject("/Fit")])})})))
    writer.pages[0][NameObject("/Annots")] = links
    writer.write(path)


def large_font(path: Path, pages: int = 40) -> None:
    _letter(path, pages, font="DejaVu")


def main() -> None:
    from results import write_section

    from deident import Deidentifier

    folder = Path(tempfile.mkdtemp(prefix="deident-bench-pdf-"))
    try:
        deidentifier = Deidentifier(key=b"benchmark-key-not-a-secret-000000")
        cases = [("1 page, 30,000 link annotations", many_links),
                 ("40 pages, one embedded TrueType font (DejaVu Sans)", large_font)]
        rows = []
        for label, build in cases:
            src = folder / f"{build.__name__}.pdf"
            build(src)
            best, report = None, None
            for run in range(3):
                dst = folder / "out" / f"{run}-{src.name}"
                started = time.perf_counter()
                report = deidentifier.pseudonymize_file(src, dst)
                elapsed = time.perf_counter() - started
                best = elapsed if best is None else min(best, elapsed)
            assert report.status == "done", report.reason
            ratio = dst.stat().st_size / src.stat().st_size
            rows.append(f"| {label} | {src.stat().st_size / 1024:,.0f} | {best:.2f} | {ratio:.3f} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = [TITLE, "",
             "Per-file time of `Deidentifier.pseudonymize_file` (pipeline loaded once, read, "
             "detection, rewrite and verification included), best of 3, and output/input "
             "size. Produced by `benchmarks/bench_pdf.py` (`make bench`).", "",
             "| file | input (KiB) | seconds | output/input size |", "|---|---:|---:|---:|", *rows]
    section = "\n".join(lines) + "\n"
    write_section(TITLE, section)
    print(section)


if __name__ == "__main__":
    main()
