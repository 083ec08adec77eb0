"""benchmarks/RESULTS.md: bench_text.py writes it anew, the other benchmarks each own one
`## ` section of it, replaced when they run again."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(title: str, section: str) -> None:
    """Put `section` (starting with `title`) at the end of RESULTS.md, in place of the
    section of that title if there was one; the other sections are kept as they are."""
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head, _, tail = previous.partition(title)
    rest = tail.split("\n## ", 1)[1] if "\n## " in tail else ""
    kept = head.rstrip("\n") + ("\n\n## " + rest.rstrip("\n") if rest else "")
    RESULTS.write_text((kept + "\n\n" if kept else "") + section, encoding="utf-8")
