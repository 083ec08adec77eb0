"""Documents embedded in a package (a .docx, .xlsx or .pdf part of a Word file, in
word/embeddings/): read by their own adapter into the host's Document, so that one
document session gives them the host's surrogates, then written back as pseudonymized
bytes by that same adapter. The verifier reads them back the same way (`read_back`).

Adapters read and write files: the part's bytes go through a private temporary folder
(0700) that is removed as soon as the adapter has read or written them. An embedded
document the adapter refuses refuses the host, with the part's name and the adapter's
reason (never a value); so does nesting deeper than MAX_DEPTH.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from deident.document import Block, Document, Piece, Replacement
from deident.errors import RefusedError

MAX_DEPTH = 3  # a document in a document in a document: real files stay far below
_MAIN_TYPES = {  # the main part's content type -> the adapter's suffix
    "wordprocessingml.document.main+xml": ".docx",
    "wordprocessingml.template.main+xml": ".docx",
    "ms-word.document.macroEnabled.main+xml": ".docx",
    "ms-word.template.macroEnabledTemplate.main+xml": ".docx",
    "spreadsheetml.sheet.main+xml": ".xlsx",
    "spreadsheetml.template.main+xml": ".xlsx",
    "ms-excel.sheet.macroEnabled.main+xml": ".xlsx",
}
_TYPES_BYTES = 1024 * 1024  # a [Content_Types].xml larger than this is no Office file's


def kind_of(data: bytes) -> str | None:
    """".docx", ".xlsx" or ".pdf" when the bytes are such a document (by content: the
    part's name and content type are the producer's say), else None."""
    if b"%PDF-" in data[:1024]:
        return ".pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _TYPES_BYTES:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, NotImplementedError):
        return None
    for main, suffix in _MAIN_TYPES.items():
        if main in types:
            return suffix
    return None


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="deident-embedded-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _adapter(suffix: str):
    from deident.formats import adapter_for  # the adapters import this module

    return adapter_for(Path(f"embedded{suffix}"))


@dataclass
class Embedded:
    """One embedded document: its part, its Document, and the edits its blocks receive."""

    name: str  # the part in the host package
    suffix: str
    document: Document
    edits: list[list[Replacement]] = field(default_factory=list)

    def blocks(self) -> list[tuple[Block, EmbeddedBlock]]:
        """Its blocks as the host's: locators and table contexts prefixed by the part."""
        return [(Block(block.text, f"{self.name}: {block.locator}", block.entity_type,
                       block.hint, f"{self.name}: {block.context}" if block.context else ""),
                 EmbeddedBlock(self, index))
                for index, block in enumerate(self.document.blocks)]

    def write(self) -> bytes:
        """The pseudonymized document's bytes, written by its own adapter."""
        with _private_folder() as folder:
            path = folder / f"embedded{self.suffix}"
            try:
                _adapter(self.suffix).write(self.document, self.edits, path)
            except RefusedError as exc:
                raise RefusedError(f"embedded document {self.name}: {exc.reason}") from None
            return path.read_bytes()


@dataclass
class EmbeddedBlock:
    """A host block that is an embedded document's block `index`."""

    embedded: Embedded
    index: int

    def apply(self, edits: list[Replacement]) -> None:
        self.embedded.edits[self.index] = edits


def read(data: bytes, name: str, scope_id: str, depth: int, **options: object) -> Embedded:
    """The embedded document read by its adapter (same options as the host's)."""
    suffix = kind_of(data)
    if suffix is None:
        raise RefusedError(f"embedded part {name} is not a document deident reads")
    if depth >= MAX_DEPTH:
        raise RefusedError(f"embedded document {name} nested more than {MAX_DEPTH} deep")
    with _private_folder() as folder:
        path = folder / f"embedded{suffix}"
        path.write_bytes(data)
        try:
            document = _adapter(suffix).read(path, scope_id, depth=depth + 1, **options)
        except RefusedError as exc:
            raise RefusedError(f"embedded document {name}: {exc.reason}") from None
    return Embedded(name, suffix, document, [[] for _ in document.blocks])


def read_back(data: bytes, name: str) -> list[Piece]:
    """What the verifier searches in an embedded document: its adapter's read-back, each
    piece's place prefixed by the part's name."""
    suffix = kind_of(data)
    if suffix is None:
        return []
    with _private_folder() as folder:
        path = folder / f"embedded{suffix}"
        path.write_bytes(data)
        return [Piece(f"{name}: {piece.location}", piece.text, piece.raw)
                for piece in _adapter(suffix).read_back(path)]
