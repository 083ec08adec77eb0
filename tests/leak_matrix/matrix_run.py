"""Running leak-matrix cells through Deidentifier.pseudonymize_file, and the matrix's summary.

A cell ends `replaced` (output written, none of its planted values left), `refused` (no output
written: refused or failed closed) or `kept` (output written with a planted value left: a leak).
`checker_blind` marks a cell whose SOURCE the checker does not see as leaking: such a cell could
never fail, so it counts as a defect of the matrix itself.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from .matrix_cells import Cell, filler
from .matrix_check import extract, keep_lost, leaks, words
from .matrix_files import build

OUTCOMES = ("replaced", "refused", "kept")
RESULTS: list[dict] = []  # every cell run in this process, for the summary


_BOILERPLATE: dict[tuple[Path, str, str], frozenset[str]] = {}


def _boilerplate(cell: Cell, root: Path) -> frozenset[str]:
    """Words of a blank file of the cell's format and place (styles, fonts, XML names...)."""
    key = (root, cell.format, cell.place)
    if key not in _BOILERPLATE:
        path = root / "blank" / f"{cell.place}.{cell.format}"
        build(cell, path, value="")
        _BOILERPLATE[key] = frozenset(w for s in extract(path) for w in words(s))
    return _BOILERPLATE[key]


def template_words(cell: Cell, root: Path) -> set[str]:
    """Words of everything in the cell's file that is not its planted value."""
    before, after = filler()
    texts = [*before, *after, *cell.rendered(value="")]
    return {w for s in texts for w in words(s)} | _boilerplate(cell, root)


def run_cell(deidentifier, cell: Cell, root: Path) -> dict:
    src, dst = root / "in" / cell.relpath, root / "out" / cell.relpath
    build(cell, src)
    dst.parent.mkdir(parents=True, exist_ok=True)
    template = template_words(cell, root)
    report = deidentifier.pseudonymize_file(src, dst, scope_id=cell.id)  # a fixed date shift per cell
    result = {"cell": cell.id, "type": cell.variant.type, "variant": cell.variant.id, "place": cell.place,
              "format": cell.format, "status": report.status,
              "checker_blind": not leaks(cell, extract(src, tools=False), template)}
    if dst.exists():
        strings = extract(dst)
        found = leaks(cell, strings, template)
        result |= {"outcome": "kept" if found else "replaced", "leaked": found,
                   "keep_lost": keep_lost(strings)}
    else:
        result |= {"outcome": "refused", "reason": report.reason}
    RESULTS.append(result)
    return result


def summarize(results: list[dict]) -> dict:
    """Counts per type, place and format, and the failing classes (type x variant x place x format)."""

    def table(key: str) -> dict:
        counts: dict[str, Counter] = defaultdict(Counter)
        for r in results:
            counts[r[key]]["cells"] += 1
            counts[r[key]][r["outcome"]] += 1
        return {name: {k: c[k] for k in ("cells", *OUTCOMES)} for name, c in sorted(counts.items())}

    classes: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        if r["outcome"] == "kept":
            classes[f"{r['type']}/{r['variant']}"][r["format"]].append(r["place"])
    ranked = sorted(classes.items(), key=lambda item: (-sum(map(len, item[1].values())), item[0]))
    totals = Counter(r["outcome"] for r in results)
    failing = sorted(r["cell"] for r in results if r["outcome"] == "kept")
    return {
        "cells": len(results),
        **{k: totals[k] for k in OUTCOMES},
        "failed_closed": sum(r["status"] == "failed" for r in results),
        "checker_blind": sorted(r["cell"] for r in results if r["checker_blind"]),
        "keep_lost": sorted(r["cell"] for r in results if r.get("keep_lost")),
        "by_format": table("format"),
        "by_type": table("type"),
        "by_place": table("place"),
        "kept_classes": {name: dict(formats) for name, formats in ranked},  # type/variant -> format -> places
        "kept_cells": failing,
        "refused_cells": sorted(f"{r['cell']}: {r['reason']}" for r in results if r["outcome"] == "refused"),
    }


def write_summary(results: list[dict], path: Path) -> dict:
    summary = summarize(results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def summary_lines(summary: dict) -> list[str]:
    """A short printable table (no values, cell ids only)."""
    lines = [f"leak matrix: {summary['cells']} cells, {summary['replaced']} replaced, "
             f"{summary['refused']} refused ({summary['failed_closed']} failed closed), "
             f"{summary['kept']} kept (leaks); checker blind {len(summary['checker_blind'])}, "
             f"keep items lost in {len(summary['keep_lost'])} delivered outputs"]
    for section in ("by_format", "by_type", "by_place"):
        lines.append(f"  {section}: " + "; ".join(
            f"{name} {c['cells']}/{c['replaced']}/{c['refused']}/{c['kept']}"
            for name, c in summary[section].items()) + "  (cells/replaced/refused/kept)")
    if summary["kept_classes"]:
        lines.append("  kept, by type/variant (format: places):")
        for name, formats in summary["kept_classes"].items():
            lines.append(f"    {name}: " + "; ".join(f"{fmt} {len(places)} ({','.join(places)})"
                                                    for fmt, places in formats.items()))
    return lines
