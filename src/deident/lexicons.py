"""Plain-text lexicons shipped in `models/lexicons/` (one term a line, `#` comments)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from deident.normalize import fold


def models_dir() -> Path:
    """`$DEIDENT_MODELS_DIR`, else the copy packaged in the wheel, else the source checkout's."""
    override = os.environ.get("DEIDENT_MODELS_DIR")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "models"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "models"


def _lines(name: str) -> list[str]:
    path = models_dir() / "lexicons" / name
    with path.open(encoding="utf-8") as handle:
        return [s for line in handle if (s := line.strip()) and not s.startswith("#")]


@dataclass(frozen=True)
class Lexicons:
    eponym_phrases: tuple[str, ...]  # "maladie de Parkinson": never touched
    eponym_names: frozenset[str]  # folded "parkinson": not a person on its own
    drugs: frozenset[str]  # folded
    abbreviations: frozenset[str]  # folded
    first_names: dict[str, str]  # folded name -> "M" | "F" | "X"
    street_types: tuple[str, ...]  # every spelling, full and abbreviated
    non_city_places: frozenset[str]  # folded
    common_words: frozenset[str]  # folded capitalised words that are not names

    def is_not_a_name(self, word: str) -> bool:
        key = fold(word)
        return (
            key in self.common_words
            or key in self.abbreviations
            or key in self.drugs
            or key in self.eponym_names
        )


@cache
def load_lexicons() -> Lexicons:
    first_names: dict[str, str] = {}
    for line in _lines("first_names.tsv"):
        name, _, gender = line.partition("\t")
        first_names.setdefault(fold(name), gender.strip() or "X")
    street_types: list[str] = []
    for line in _lines("street_types.tsv"):
        full, _, abbrevs = line.partition("\t")
        street_types.append(full.strip())
        street_types.extend(a.strip() for a in abbrevs.split("|") if a.strip())
    return Lexicons(
        eponym_phrases=tuple(_lines("eponyms.txt")),
        eponym_names=frozenset(fold(x) for x in _lines("eponym_names.txt")),
        drugs=frozenset(fold(x) for x in _lines("drugs.txt")),
        abbreviations=frozenset(fold(x) for x in _lines("medical_abbreviations.txt")),
        first_names=first_names,
        street_types=tuple(dict.fromkeys(street_types)),
        non_city_places=frozenset(fold(x) for x in _lines("non_city_places.txt")),
        common_words=frozenset(fold(x) for x in _lines("common_words_capitalised.txt")),
    )
