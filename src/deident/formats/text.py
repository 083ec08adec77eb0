"""Plain text: UTF-8 (with or without BOM) or CP1252/Latin-1, written back the same way.

Line endings are kept byte for byte because the text is decoded without newline
translation.
"""

from __future__ import annotations

from pathlib import Path

from deident.document import Block, Document, Piece, Replacement, splice
from deident.errors import RefusedError

UTF8_BOM = b"\xef\xbb\xbf"
# Bytes CP1252 leaves undefined; a file containing them is read as Latin-1.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def detect_encoding(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1" if _CP1252_UNDEFINED.intersection(data) else "cp1252"
    return "utf-8"


def decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data:
        raise RefusedError("binary content (NUL bytes) in a text file")
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


def encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        raise RefusedError(
            f"a surrogate cannot be written in the file's encoding ({encoding})"
        ) from None


def read(path: Path, scope_id: str, **options: str) -> Document:
    text, encoding = decode(path.read_bytes())
    return Document(blocks=[Block(text, "text")], scope_id=scope_id, meta={"encoding": encoding})


def read_back(path: Path) -> list[Piece]:
    """Every piece of text the written file holds, for the verifier."""
    return [Piece("text", decode(path.read_bytes())[0])]


def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    (block,), (block_edits,) = document.blocks, edits
    dst.write_bytes(encode(splice(block.text, block_edits), document.meta["encoding"]))
