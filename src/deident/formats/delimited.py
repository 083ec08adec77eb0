"""CSV and TSV exports, column-aware (see formats.tabular): every cell a block, the header
row naming what each column holds.

The delimiter (comma, semicolon, tab, pipe), the quoting, the encoding (UTF-8 with or
without BOM, CP1252, Latin-1) and the line endings are detected and kept: the output is
the input byte for byte outside the replaced cells. A replaced cell keeps its quotes; an
unquoted one is quoted only if its new value needs it.

(Named `delimited`, not `csv`: a module `deident.formats.csv` would shadow the standard
library's inside the package.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from deident.document import Block, Document, Piece, Replacement, splice
from deident.errors import RefusedError
from deident.formats.tabular import TEXT, column_letters, note, plan_columns
from deident.formats.text import decode, encode

KIND = "CSV file"
_CANDIDATES = (",", ";", "\t", "|")
_SAMPLE_CHARS = 65536
_FIELDS: dict[str, re.Pattern] = {
    d: re.compile(rf'"((?:[^"]|"")*)"|((?!")[^{re.escape(d)}\r\n]*)') for d in _CANDIDATES}
_LINE_END = re.compile(r"\r\n|\n|\r")


class Field(NamedTuple):  # a tuple: a 100,000-row export makes a million of them
    start: int  # raw span in the decoded text, quotes included
    end: int
    value: str
    quoted: bool


@dataclass
class CsvState:
    text: str
    delimiter: str
    fields: list[tuple[Field, int]]  # per block: the field, and where the block starts in it


def parse(text: str, delimiter: str, strict: bool = True) -> Iterator[list[Field]]:
    """Records as fields, quotes and "" escapes understood (RFC 4180, any line ending)."""
    pattern, position, row = _FIELDS[delimiter], 0, []
    while position < len(text):
        match = pattern.match(text, position)
        if match is None:  # a quote never closed
            if strict:
                raise RefusedError(f"malformed {KIND} (a quoted field is never closed)")
            return
        quoted = match.group(1) is not None
        value = match.group(1).replace('""', '"') if quoted else match.group(2)
        row.append(Field(match.start(), match.end(), value, quoted))
        position = match.end()
        if text.startswith(delimiter, position):
            position += len(delimiter)
            if position == len(text):
                row.append(Field(position, position, "", False))
            continue
        end = _LINE_END.match(text, position)
        if end is None and position < len(text):
            if strict:
                raise RefusedError(f"malformed {KIND} (text after a closing quote)")
            return
        yield row
        row = []
        position = end.end() if end else position
    if row:
        yield row


def detect_delimiter(text: str, suffix: str) -> str:
    if suffix.lower() == ".tsv":
        return "\t"
    sample = text[:_SAMPLE_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in _CANDIDATES:
        rows = [len(r) for r in parse(sample, delimiter, strict=False)][:50]
        if len(text) > _SAMPLE_CHARS and len(rows) > 1:
            rows = rows[:-1]  # the sample may cut the last record
        if not rows:
            continue
        width, count = Counter(rows).most_common(1)[0]
        score = (count if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read(path: Path, scope_id: str, *, columns: Mapping[str, str] | None = None,
         **_options: object) -> Document:
    text, encoding = decode(path.read_bytes())
    delimiter = detect_delimiter(text, path.suffix)
    rows = list(parse(text, delimiter))
    blocks: list[Block] = []
    fields: list[tuple[Field, int]] = []
    plan, unrecognized, header_seen = [], 0, False
    for number, row in enumerate(rows, start=1):
        if not header_seen:
            if not any(f.value.strip() for f in row):
                continue
            plan, unrecognized = plan_columns([f.value for f in row], columns)
            header_seen, kinds = True, [TEXT] * len(row)  # the header itself is text
        else:
            kinds = plan
        for index, field in enumerate(row):
            kind = kinds[index] if index < len(kinds) else TEXT
            lead = len(field.value) - len(field.value.lstrip())
            start, end = kind.span(field.value.strip())
            core = field.value[lead + start:lead + end]
            block = kind.block(core, f"{column_letters(index)}{number}", f"row {number}")
            if block is not None:
                blocks.append(block)
                fields.append((field, lead + start))
    return Document(blocks=blocks, scope_id=scope_id,
                    meta={"encoding": encoding, "note": note(unrecognized)},
                    state=CsvState(text, delimiter, fields))


def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    state: CsvState = document.state
    changes: list[Replacement] = []
    for block, (field, lead), block_edits in zip(document.blocks, state.fields, edits, strict=True):
        if not block_edits:
            continue
        value = field.value
        new = value[:lead] + splice(block.text, block_edits) + value[lead + len(block.text):]
        changes.append((field.start, field.end, _quote(new, field.quoted, state.delimiter)))
    changes.sort()
    dst.write_bytes(encode(splice(state.text, changes), document.meta["encoding"]))


def _quote(value: str, quoted: bool, delimiter: str) -> str:
    if quoted or any(c in value for c in (delimiter, '"', "\n", "\r")):
        return '"' + value.replace('"', '""') + '"'
    return value


def read_back(path: Path) -> list[Piece]:
    """Each row's cells (quotes undone, blank-separated: a number one digit per cell reads
    whole), for the verifier."""
    text, _ = decode(path.read_bytes())
    delimiter = detect_delimiter(text, path.suffix)
    return [Piece(f"row {number}", " ".join(f.value for f in row))
            for number, row in enumerate(parse(text, delimiter), start=1)]
