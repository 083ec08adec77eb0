"""`deident scan`: find personal data in files without changing them, for a pre-commit
hook on shared data repositories.

One line per finding: `path:location: TYPE score fingerprint`. The fingerprint is a short
HMAC of the type and the normalized value under the project key: the same value gives the
same fingerprint (a baseline can accept it), and without the key it tells nothing. Values
are printed only with `--show-values`, for local triage.

Exit codes: 0 clean; 1 findings, or a file that could not be read (fail closed); 2 usage
error; 3 baseline updated.
"""

from __future__ import annotations

import bisect
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from deident.config import ConfigError, load_config
from deident.errors import DeidentError, KeyFileError
from deident.fingerprints import fingerprint
from deident.formats import ADAPTERS, adapter_for
from deident.formats import text as text_format

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_BASELINE = 0, 1, 2, 3
TEXT_LIKE = {".txt", ".json", ".md"}  # CSV/TSV and spreadsheets: cell by cell, column-aware
SCANNED = TEXT_LIKE | set(ADAPTERS)
BASELINE = ".deident-baseline.json"


@dataclass(frozen=True)
class Finding:
    path: str
    location: str  # "12" (a line), "word/document.xml:p4", "Feuil1!C12" (a cell), "C12" (CSV)
    type: str
    score: float
    fingerprint: str
    value: str = ""  # only with --show-values

    def line(self) -> str:
        shown = f" {self.value!r}" if self.value else ""
        return f"{self.path}:{self.location}: {self.type} {self.score:.2f} {self.fingerprint}{shown}"


@dataclass(frozen=True)
class Unreadable:
    path: str
    reason: str


def _deidentifier(key_file: Path | None, fast: bool, config_file: Path | None,
                  ocr: str | None = None):
    from deident.core import shared_deidentifier

    config = load_config(path=config_file).with_overrides("CLI --ocr", ocr=ocr)
    return shared_deidentifier(key_file=key_file, config=config, fast=fast)


def iter_paths(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file()
                              and p.suffix.lower() in SCANNED and ".git" not in p.parts
                              and p.name != BASELINE)
        elif path.suffix.lower() in SCANNED and path.name != BASELINE:
            yield path


def scan_file(deidentifier, path: Path, show_values: bool) -> list[Finding] | Unreadable:
    """Findings of one file, or why it could not be read."""
    try:
        adapter = text_format if path.suffix.lower() in TEXT_LIKE else adapter_for(path)
        document = adapter.read(path, path.as_posix(), columns=deidentifier.config.columns,
                                ocr=deidentifier.ocr)
    except DeidentError as exc:
        return Unreadable(path.as_posix(), str(exc))
    except Exception as exc:  # fail closed, and quote nothing of the file
        return Unreadable(path.as_posix(), type(exc).__name__)
    joined, starts, found = deidentifier.detect(document, path.as_posix())
    key = deidentifier._key
    findings = []
    for entity in found:
        value = joined[entity.start:entity.end]
        block = bisect.bisect_right(starts, entity.start) - 1
        text, locator = document.blocks[block].text, document.blocks[block].locator
        if adapter is text_format:  # a line number
            location = f"{text.count(chr(10), 0, entity.start - starts[block]) + 1}"
        else:
            location = locator
        findings.append(Finding(path.as_posix(), location, entity.type, entity.score,
                                fingerprint(key, entity.type, value), value if show_values else ""))
    return findings


def _read_baseline(path: Path) -> dict[str, set[str]]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {name: set(prints) for name, prints in data["files"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DeidentError(f"{path}: not a deident baseline") from None


def _write_baseline(path: Path, findings: list[Finding]) -> None:
    files: dict[str, list[str]] = {}
    for finding in findings:
        files.setdefault(finding.path, []).append(finding.fingerprint)
    data = {"version": 1, "generated_by": "deident scan --update-baseline",
            "files": {name: sorted(set(prints)) for name, prints in sorted(files.items())}}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _sarif(findings: list[Finding], unreadable: list[Unreadable]) -> dict:
    results = [{
        "ruleId": f.type, "level": "error",
        "message": {"text": f"{f.type} (score {f.score:.2f}, fingerprint {f.fingerprint})"},
        "partialFingerprints": {"deident/v1": f.fingerprint},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": f.path},
            **({"region": {"startLine": int(f.location)}} if f.location.isdigit() else {}),
        }, "message": {"text": f.location}}],
    } for f in findings]
    results += [{"ruleId": "UNREADABLE", "level": "error", "message": {"text": u.reason},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": u.path}}}]}
                for u in unreadable]
    return {"version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{"tool": {"driver": {"name": "deident", "informationUri":
                                          "https://example.invalid/deident", "rules": []}},
                      "results": results}]}


def run_scan(paths: Sequence[Path], *, key_file: Path | None = None, fast: bool = False,
             output_format: str = "text", show_values: bool = False,
             baseline: Path | None = None, update_baseline: bool = False,
             config_file: Path | None = None, out=None, ocr: str | None = None) -> int:
    out = out or sys.stdout
    if output_format not in ("text", "json", "sarif"):
        print(f"error: unknown format '{output_format}' (text, json, sarif)", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in paths if not p.exists()]
    if not paths or missing:
        print(f"error: no such file or folder: {missing[0] if missing else '(none given)'}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        deidentifier = _deidentifier(key_file, fast, config_file, ocr)
        baseline_path = baseline or Path(BASELINE)
        accepted = {} if update_baseline else _read_baseline(baseline_path)
    except (KeyFileError, ConfigError, DeidentError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    findings: list[Finding] = []
    unreadable: list[Unreadable] = []
    for path in iter_paths(paths):
        result = scan_file(deidentifier, path, show_values)
        if isinstance(result, Unreadable):
            unreadable.append(result)
        else:
            findings += [f for f in result if f.fingerprint not in accepted.get(f.path, set())]
    if update_baseline:
        _write_baseline(baseline_path, findings)
        print(f"baseline written: {baseline_path} ({len(findings)} finding(s) accepted)",
              file=sys.stderr)
        return EXIT_BASELINE
    if output_format == "json":
        json.dump({"findings": [asdict(f) for f in findings],
                   "unreadable": [asdict(u) for u in unreadable]}, out, indent=2)
        out.write("\n")
    elif output_format == "sarif":
        json.dump(_sarif(findings, unreadable), out, indent=2)
        out.write("\n")
    else:
        for finding in findings:
            print(finding.line(), file=out)
        for item in unreadable:
            print(f"{item.path}: cannot be checked: {item.reason}", file=out)
        if findings or unreadable:
            print(f"deident: {len(findings)} finding(s) of personal data, {len(unreadable)} "
                  "unreadable file(s). Pseudonymize the files (deident pseudonymize), or "
                  "accept known findings with `deident scan --update-baseline`.", file=sys.stderr)
    return EXIT_FINDINGS if findings or unreadable else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """`deident scan` without Typer's exit handling: returns the exit code (for tests and
    embedding)."""
    import argparse

    parser = argparse.ArgumentParser(prog="deident scan", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--key-file", "-k", type=Path)
    parser.add_argument("--config", type=Path, dest="config_file")
    parser.add_argument("--fast", action="store_true",
                        help="rules and lexicons only, no statistical NER")
    parser.add_argument("--format", default="text", dest="output_format",
                        help="text (default), json or sarif")
    parser.add_argument("--show-values", action="store_true",
                        help="print the values found (local triage only)")
    parser.add_argument("--baseline", type=Path, help=f"default: {BASELINE}")
    parser.add_argument("--update-baseline", action="store_true")
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_CLEAN
    return run_scan(**vars(args))


if __name__ == "__main__":
    sys.exit(main())
