"""Legacy and OpenDocument files: spreadsheets (.xls, .ods) converted to .xlsx, text
documents (.doc, .rtf, .odt) to .docx, by LibreOffice headless; then read, pseudonymized
and written as any .xlsx or .docx (the output is that file beside the mirrored path; the
report says which conversion happened).

LibreOffice runs with a private, throw-away profile (no user settings, no macro ever
enabled: a fresh profile keeps macro security at its default, High, which runs no
unsigned macro), on a copy with a neutral name (a file name can hold a patient's name),
under a time limit. A file LibreOffice cannot convert is refused.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

from deident.document import Document, Replacement
from deident.errors import RefusedError
from deident.formats import docx, xlsx

CONVERSION_SECONDS = 180
# Input suffix -> (output suffix, LibreOffice's export filter, the adapter of the output).
TARGETS = {
    ".xls": (".xlsx", "xlsx:Calc MS Excel 2007 XML", xlsx),
    ".ods": (".xlsx", "xlsx:Calc MS Excel 2007 XML", xlsx),
    ".doc": (".docx", "docx:MS Word 2007 XML", docx),
    ".rtf": (".docx", "docx:MS Word 2007 XML", docx),
    ".odt": (".docx", "docx:MS Word 2007 XML", docx),
}


def output_suffix(suffix: str) -> str:
    return TARGETS[suffix.lower()][0]


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, folder: Path) -> Path:
    """`path` converted (see TARGETS) into `folder` (which also holds LibreOffice's
    profile)."""
    binary = soffice()
    if binary is None:
        raise RefusedError(f"{path.suffix} files need LibreOffice (soffice) to be converted; "
                           "it is not installed")
    source = folder / f"input{path.suffix.lower()}"
    shutil.copyfile(path, source)
    try:
        subprocess.run(
            [binary, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
             "--norestore", "--nolockcheck", "--convert-to", TARGETS[path.suffix.lower()][1],
             "--outdir", str(folder / "out"), str(source)],
            check=True, capture_output=True, timeout=CONVERSION_SECONDS)
    except subprocess.TimeoutExpired:
        raise RefusedError(f"LibreOffice took longer than {CONVERSION_SECONDS} s to convert "
                           f"the {path.suffix} file") from None
    except subprocess.CalledProcessError:
        raise RefusedError(f"LibreOffice could not convert the {path.suffix} file") from None
    converted = folder / "out" / f"input{output_suffix(path.suffix)}"
    if not converted.exists():  # encrypted or damaged: LibreOffice says nothing and writes nothing
        raise RefusedError(f"LibreOffice could not convert the {path.suffix} file "
                           "(encrypted or damaged?)")
    return converted


def read(path: Path, scope_id: str, **options: object) -> Document:
    target, _, adapter = TARGETS[path.suffix.lower()]
    with tempfile.TemporaryDirectory(prefix="deident-convert-") as folder:
        document = adapter.read(convert(path, Path(folder)), scope_id, **options)
    conversion = f"converted from {path.suffix.lower()} to {target} with LibreOffice"
    document.meta["note"] = "; ".join(n for n in (conversion, document.meta.get("note")) if n)
    document.meta["converted_to"] = target
    return document


def _adapter(suffix: str) -> ModuleType:
    return {target: adapter for target, _, adapter in TARGETS.values()}[suffix.lower()]


def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    _adapter(document.meta["converted_to"]).write(document, edits, dst)


def read_back(path: Path) -> list:
    return _adapter(path.suffix).read_back(path)  # the output: an .xlsx or a .docx
