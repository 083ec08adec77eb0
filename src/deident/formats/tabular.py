"""Tables (CSV files, spreadsheets): what each column holds, from its header, and the
blocks its cells become.

A cell under a typed column ("Nom", "DDN", "N° SS") is one whole-block entity of that
type, replaced without analysis (a surname that is also a common word included); a cell
under any other column is text, analyzed with the rest of its row around it; a "keep"
column (from [columns] in deident.toml) is left as is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from deident.columns import column_type, fold_header, looks_identifying
from deident.document import Block
from deident.entities import DATE, FR_NIR, PERSON, PHONE

_ROLE_HINTS = {"first": "first_name", "last": "last_name"}
# Types whose values hold digits: "NC", "inconnu" under a DDN column are text, not dates.
_DIGIT_TYPES = {DATE, FR_NIR, PHONE}
# A date followed by a time ("1985-03-12 14:30"): the date alone is the entity.
_DATE_TIME = re.compile(r"(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4})[ T]\d{1,2}[:h]\d{2}")


@dataclass(frozen=True)
class Column:
    mode: str  # "typed" | "text" | "keep"
    entity_type: str = ""
    hint: str = ""  # "first_name" | "last_name": which surrogate a PERSON cell gets

    def block(self, text: str, locator: str, row: str = "") -> Block | None:
        """The block a cell's text becomes, or None (empty, or a kept column); `row` names
        its row, the context text cells are analyzed in."""
        if self.mode == "keep" or not text.strip():
            return None
        if self.mode == "typed" and (self.entity_type not in _DIGIT_TYPES
                                     or any(c.isdigit() for c in text)):
            return Block(text, locator, self.entity_type, self.hint)
        return Block(text, locator, context=row)

    def span(self, text: str) -> tuple[int, int]:
        """The part of a cell's stripped text its block covers: all of it, but the date
        alone of a date and time."""
        if self.mode == "typed" and self.entity_type == DATE:
            match = _DATE_TIME.match(text)
            if match:
                return 0, match.end(1)
        return 0, len(text)


TEXT = Column("text")


def plan_columns(headers: list[str], overrides: Mapping[str, str] | None = None
                 ) -> tuple[list[Column], int]:
    """Each column's treatment, and how many columns look identifying but are not typed."""
    folded = {fold_header(k): v for k, v in (overrides or {}).items()}
    columns, unrecognized = [], 0
    for header in headers:
        override = folded.get(fold_header(header))
        if override is not None:
            columns.append(_from_override(override))
            continue
        found = column_type(header)
        if found is not None:
            columns.append(Column("typed", found.entity_type, _ROLE_HINTS.get(found.role, "")))
        else:
            columns.append(TEXT)
            unrecognized += looks_identifying(header)
    return columns, unrecognized


def _from_override(kind: str) -> Column:
    if kind in ("text", "keep"):
        return Column(kind)
    if kind in ("FIRST_NAME", "LAST_NAME"):
        return Column("typed", PERSON, kind.lower())
    return Column("typed", kind)


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def note(unrecognized: int, extra: str = "") -> str:
    parts = [extra] if extra else []
    if unrecognized:
        parts.append(f"{unrecognized} identifier-like column(s) not typed (see [columns])")
    return "; ".join(parts)
