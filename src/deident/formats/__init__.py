"""One adapter per format: read a file into a Document, write a new file from new block texts."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from deident.errors import UnsupportedFormatError
from deident.formats import converted, delimited, docx, pdf, text, xlsx

ADAPTERS: dict[str, ModuleType] = {".txt": text, ".docx": docx, ".pdf": pdf,
                                   ".csv": delimited, ".tsv": delimited, ".xlsx": xlsx,
                                   ".xls": converted, ".ods": converted}


def output_name(name: str) -> str:
    """The name a file's pseudonymized copy gets: .xls and .ods come out as .xlsx."""
    path = Path(name)
    adapter = ADAPTERS.get(path.suffix.lower())
    suffix = getattr(adapter, "OUTPUT_SUFFIX", None)
    return str(path.with_suffix(suffix)) if suffix else name


def adapter_for(path: Path) -> ModuleType:
    adapter = ADAPTERS.get(path.suffix.lower())
    if adapter is None:
        raise UnsupportedFormatError(f"unsupported file type '{path.suffix or '(none)'}'")
    return adapter
