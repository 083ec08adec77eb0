"""A document as the pipeline sees it: text blocks with locators, analysed as one text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

BLOCK_SEPARATOR = "\n\n"

# (start, end, new text) in a block's coordinates: what an adapter writes back.
Replacement = tuple[int, int, str]


def splice(text: str, edits: list[Replacement]) -> str:
    """`text` with sorted, non-overlapping (start, end, new) replacements applied."""
    pieces, position = [], 0
    for start, end, new in edits:
        pieces += [text[position:start], new]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class Piece(NamedTuple):
    """Some text a written file holds, and where: what an adapter's `read_back` returns for
    the verifier (deident.verify). `raw`: undecoded bytes (PDF streams)."""

    location: str  # "word/document.xml (wp:docPr/@name)", "page 2 text", "object 12 stream"
    text: str
    raw: bool = False


@dataclass(frozen=True, slots=True)  # no __dict__: a table makes a block per cell
class Block:
    """A unit an adapter can rewrite, e.g. a text file, a DOCX paragraph, a PDF line."""

    text: str
    locator: str
    # Set when the whole block is known to be one entity whatever the analyzer finds
    # (a comment's author): it is then replaced as such.
    entity_type: str | None = None
    # A clue for the surrogate of a whole-block entity: "first_name" / "last_name" (a
    # spreadsheet's "Prénom" / "Nom" column).
    hint: str = ""
    # Blocks of one context (a table row) are analyzed together, apart from the others;
    # identical contexts are analyzed once. "" : the whole document is the context.
    context: str = ""
    # The first `label` characters are a label the adapter put before the value for the
    # analyzer to read ("Immatriculation : " before a form field's value): read, never
    # replaced (the label is written elsewhere, and analyzed there).
    label: int = 0


@dataclass
class Document:
    blocks: list[Block]
    scope_id: str  # identifies the document for date shifting (not content)
    meta: dict[str, str] = field(default_factory=dict)
    state: Any = None  # what the adapter needs to write the file back (a parsed package)
    # (block index, start, end, surrogate) -> whether the surrogate fits where the span was
    # (a PDF line has the width of the original only); None: every surrogate fits.
    fits: Callable[[int, int, int, str], bool] | None = None

    def joined(self) -> tuple[str, list[int]]:
        """All blocks as one text, and each block's start offset in it."""
        offsets, position = [], 0
        for block in self.blocks:
            offsets.append(position)
            position += len(block.text) + len(BLOCK_SEPARATOR)
        return BLOCK_SEPARATOR.join(b.text for b in self.blocks), offsets
