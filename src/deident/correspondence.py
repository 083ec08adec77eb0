"""Re-identification on demand, for the data controller: the correspondence between
originals and pseudonyms is computed again from the key and the hospital's own records,
never stored. Nothing here is for a research partner: what it returns is personal data.

- `table` gives, per known patient, the pseudonyms their documents carry (names, NIR,
  IPP, birth date) and the date shift in days;
- `reveal` reads the documents of SRC as a folder run reads them (same scopes, same
  detection, same surrogates) and returns where an original value stands whose pseudonym
  is the one asked about (or whose `deident scan` fingerprint is the one given).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from deident.batch import folder_scope_id, iter_files
from deident.document import Block, Document, Replacement
from deident.entities import Entity
from deident.errors import DeidentError
from deident.fingerprints import fingerprint as scan_fingerprint
from deident.formats import ADAPTERS, adapter_for
from deident.normalize import fold

if TYPE_CHECKING:
    from deident.core import Deidentifier


@dataclass(frozen=True)
class Correspondence:
    """One replaced value: where it stands in the originals, and what the output holds."""

    file: str  # relative to SRC
    location: str  # the adapter's locator: "text", "word/document.xml:p4", "page 2 line"
    type: str
    original: str
    pseudonym: str

    def __repr__(self) -> str:  # values stay out of reprs (logs, tracebacks)
        return f"Correspondence(file=…, location={self.location!r}, type={self.type!r})"


def correspondences(deidentifier: Deidentifier, src: Path) -> Iterator[Correspondence]:
    """Every replacement a folder run of `src` makes, document by document."""
    files = [src] if src.is_file() else list(iter_files(src))
    for path in files:
        if path.suffix.lower() not in ADAPTERS:
            continue
        relative = Path(path.name) if path == src else path.relative_to(src)
        name = relative.as_posix()
        scope = deidentifier.document_scope(path, name, folder_scope_id(deidentifier, relative))
        try:
            document = adapter_for(path).read(path, scope, embedded=deidentifier.embedded,
                                              images=deidentifier.images)
        except DeidentError:
            continue  # refused files were never delivered: nothing to reveal in them
        edits, entities, _ = deidentifier.pseudonymize_document(document, name)
        for block, _, start, end, pseudonym, entity in replaced_spans(document, edits, entities):
            yield Correspondence(name, block.locator, entity.type if entity else "?",
                                 block.text[start:end], pseudonym)


def replaced_spans(document: Document, edits: list[list[Replacement]], entities: list[Entity]
                   ) -> Iterator[tuple[Block, int, int, int, str, Entity | None]]:
    """Each replacement with its block, the block's offset in the joined text, its span in
    the block, the pseudonym and the entity it replaced (entities: sorted, joined-text
    coordinates, as Deidentifier.pseudonymize_document gives them)."""
    _, offsets = document.joined()
    starts = [e.start for e in entities]  # sorted, non-overlapping
    for block, block_edits, offset in zip(document.blocks, edits, offsets, strict=True):
        for start, end, pseudonym in block_edits:
            index = bisect.bisect_right(starts, offset + start) - 1
            yield block, offset, start, end, pseudonym, entities[index] if index >= 0 else None


def reveal(deidentifier: Deidentifier, src: Path, pseudonym: str | None = None, *,
           fingerprint: str | None = None) -> list[Correspondence]:
    """The originals in `src` whose pseudonym holds every word of `pseudonym` ("Paul
    MARTIN" finds "M. Paul MARTIN"'s original; case and accents ignored), or whose scan
    fingerprint is `fingerprint`."""
    if (pseudonym is None) == (fingerprint is None):
        raise ValueError("give a pseudonym or a fingerprint")
    wanted = _words(pseudonym) if pseudonym is not None else []
    found = []
    for item in correspondences(deidentifier, src):
        if pseudonym is not None:
            words = _words(item.pseudonym)
            if wanted and all(word in words for word in wanted):
                found.append(item)
        elif scan_fingerprint(deidentifier._key, item.type, item.original) == fingerprint:
            found.append(item)
    return found


def _words(text: str) -> list[str]:
    """"M. Paul MARTIN" -> ["m", "paul", "martin"]; "p.martin@x.fr" -> ["p", "martin", "x", "fr"]."""
    return regex.findall(r"\w+", fold(text))


TABLE_COLUMNS = ("patient_id", "last_names", "first_names", "birth_date", "nir", "ipp",
                 "date_shift_days")


def table(deidentifier: Deidentifier, known: Path) -> list[dict[str, str]]:
    """One row per patient of the export `known`: each value as its pseudonym (lists
    `|`-separated), the birth date shifted, and the shift in days where one applies to all
    the patient's documents (a patient scoped to files or folders, or date_scope
    "project"; otherwise each document has its own shift: the cell is empty)."""
    from deident.entities import DATE, FR_NIR, HOSPITAL_ID, PERSON
    from deident.known import read_records

    pseudonymizer = deidentifier.pseudonymizer
    rows, seen = [], set()
    for record in read_records(known):
        if record.patient_id in seen:
            continue
        seen.add(record.patient_id)
        shared_shift = record.scope is not None or pseudonymizer.date_scope == "project"
        scope = "" if pseudonymizer.date_scope == "project" else f"patient:{record.patient_id}"
        # Names take their role from the label before them, as in a document.
        lines = [f"Nom : {n}" for n in record.last_names] + \
            [f"Prénom : {n}" for n in record.first_names]
        text = "\n".join(lines)
        session = pseudonymizer.session(text, scope)
        names, position = [], 0
        for line in lines:
            start = position + line.index(":") + 2
            names.append(Entity(start, position + len(line), PERSON, 1.0))
            position += len(line) + 1
        session.register(names)
        surrogates = [session.surrogate(PERSON, text[e.start:e.end]) for e in names]
        birth = f"{record.birth_date:%d/%m/%Y}" if record.birth_date else ""
        rows.append({
            "patient_id": record.patient_id if record.searched_id else "",
            "last_names": "|".join(surrogates[:len(record.last_names)]),
            "first_names": "|".join(surrogates[len(record.last_names):]),
            "birth_date": session.surrogate(DATE, birth) if birth and shared_shift else "",
            "nir": session.surrogate(FR_NIR, record.nir) if record.nir else "",
            "ipp": session.surrogate(HOSPITAL_ID, record.patient_id) if record.searched_id else "",
            "date_shift_days": str(session.date_offset) if shared_shift else "",
        })
    return rows
