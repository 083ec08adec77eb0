"""One adapter per format: read a file into a Document, write a new file from new block texts.

Adapters are imported when a file of their type comes (pypdf, lxml): a command that reads
no document does not pay for them."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from deident.errors import UnsupportedFormatError

# File suffix -> adapter module in this package.
ADAPTERS: dict[str, str] = {".txt": "text", ".docx": "docx", ".pdf": "pdf",
                            ".csv": "delimited", ".tsv": "delimited", ".xlsx": "xlsx",
                            ".xls": "converted", ".ods": "converted"}


def adapter_for(path: Path) -> ModuleType:
    module = ADAPTERS.get(path.suffix.lower())
    if module is None:
        raise UnsupportedFormatError(f"unsupported file type '{path.suffix or '(none)'}'")
    return importlib.import_module(f"deident.formats.{module}")


def output_name(name: str) -> str:
    """The name a file's pseudonymized copy gets: .xls and .ods come out as .xlsx."""
    path = Path(name)
    if path.suffix.lower() not in ADAPTERS:
        return name
    suffix = getattr(adapter_for(path), "OUTPUT_SUFFIX", None)
    return str(path.with_suffix(suffix)) if suffix else name
