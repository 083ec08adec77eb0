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
                            ".xls": "converted", ".ods": "converted", ".doc": "converted",
                            ".rtf": "converted", ".odt": "converted"}


def adapter_for(path: Path) -> ModuleType:
    module = ADAPTERS.get(path.suffix.lower())
    if module is None:
        raise UnsupportedFormatError(f"unsupported file type '{path.suffix or '(none)'}'")
    return importlib.import_module(f"deident.formats.{module}")


def output_name(name: str) -> str:
    """The name a file's pseudonymized copy gets: .xls and .ods come out as .xlsx, .doc,
    .rtf and .odt as .docx."""
    path = Path(name)
    if ADAPTERS.get(path.suffix.lower()) != "converted":
        return name
    return str(path.with_suffix(adapter_for(path).output_suffix(path.suffix)))
