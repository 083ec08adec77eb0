"""Prints the beginning of each pseudonymized file of a folder (used by `make demo`)."""

from __future__ import annotations

import sys
from pathlib import Path

import docx

from deident.formats.text import decode


def text_of(path: Path) -> str:
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        lines = [p.text for s in document.sections for p in s.header.paragraphs]
        lines += [p.text for p in document.paragraphs]
        lines += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
        lines += [f"[comment by {c.author}] {c.text}" for c in document.comments]
        return "\n".join(lines)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return decode(path.read_bytes())[0]


for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.is_file():
        print("-----", path, text_of(path)[:600], sep="\n")
