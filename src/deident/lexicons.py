"""Plain-text lexicons shipped in `models/lexicons/` (one term a line, `#` comments)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from deident import __version__, normalize
from deident.cache import cached, stamp
from deident.normalize import fold, strip_accents

_TOKEN = re.compile(r"\w+")
# Word endings of diseases, procedures and drugs ("Sarcoïdose", "Appendicectomie",
# "Néomercazole"), matched on folded words: a name only if the first-name lexicon says so.
MEDICAL_SUFFIX = re.compile(
    r"(?:ite|ites|ose|oses|ome|omes|emie|urie|pathie|plastie|ectomie|tomie|stomie|scopie|"
    r"graphie|gramme|algie|cycline|mycine|cilline|floxacine|oxacine|azole|prazole|pril|sartan|"
    r"olol|statine|parine|xaban|gatran|tidine|azepam|mab|nib|vir|ase|asie|isme|ectasie|"
    r"rragie|rrhee|cele|plasie|trophie|penie|cytose|amine|idine|tropine|morphine|caine|"
    r"phylline|sone|lone|feron|ctus|osis|itis|axie|xie|tion)$"
)


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


def trie_regex(words: Iterable[str]) -> str:
    """One alternation for many words, factored by common prefixes ("r(?:ue|oute)"), so the
    regex engine tests a handful of characters where a flat alternation tests every word."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def overlapping_trie(words: Iterable[str]) -> re.Pattern:
    """Every occurrence of `words` in a text, overlapping ones too: `finditer` gives an empty
    match at each position where one of them starts, the longest there in group 1 (what
    `regex`'s finditer(overlapped=True) gives with trie_regex(words), several times faster:
    the standard `re` runs a plain alternation of literals much faster than `regex`)."""
    return re.compile(f"(?=({trie_regex(words)}))")


def _fold_table() -> dict[int, str]:
    table = {}
    for code in range(0x250):  # Latin-1 and Latin Extended A/B: French and its neighbours
        ch = chr(code)
        base = strip_accents(ch).lower()
        if len(base) == 1 and base != ch:
            table[code] = base
    return table


_FOLD_TABLE = _fold_table()


def fold_same_length(text: str) -> str:
    """Lowercase without accents, one character for one, so offsets stay valid."""
    return text.translate(_FOLD_TABLE)


class PhraseMatcher:
    """Finds terms by their word sequence, ignoring case, accents and the punctuation
    between words; the longest term wins. A trie of words: each word of the text costs one
    dictionary look-up, however many terms share its first words ("syndrome de …").

    Built from phrases, or from (phrase, label) pairs to know which term matched.
    """

    _END = ""  # a word is never empty: marks the end of a term, holds its label

    def __init__(self, phrases: Iterable[str] | Iterable[tuple[str, str]]) -> None:
        self._trie: dict = {}
        for item in phrases:
            phrase, label = (item, "") if isinstance(item, str) else item
            words = _TOKEN.findall(fold_same_length(phrase))
            if not words:
                continue
            node = self._trie
            for word in words:
                node = node.setdefault(word, {})
            node.setdefault(self._END, label)  # the first label given for a term stays

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        for start, end, _ in self.find_labelled(text):
            yield start, end

    def find_labelled(self, text: str) -> Iterator[tuple[int, int, str]]:
        if not self._trie:  # no terms (an empty allow-list): no need to read the text
            return
        tokens = list(_TOKEN.finditer(fold_same_length(text)))
        i = 0
        while i < len(tokens):
            node = self._trie.get(tokens[i].group())
            matched, label, j = 0, "", i
            while node is not None:
                j += 1
                if self._END in node:
                    matched, label = j - i, node[self._END]
                node = node.get(tokens[j].group()) if j < len(tokens) else None
            if matched:
                yield tokens[i].start(), tokens[i + matched - 1].end(), label
                i += matched
            else:
                i += 1


@dataclass(frozen=True)
class Lexicons:
    eponym_phrases: tuple[str, ...]  # "maladie de Parkinson": never touched
    eponym_names: frozenset[str]  # folded "parkinson": not a person on its own
    drugs: frozenset[str]  # folded
    abbreviations: frozenset[str]  # folded
    short_abbreviations: frozenset[str]  # 2-3 letters, exact case: "HA" is one, "Ha" is a name
    first_names: dict[str, str]  # folded name -> "M" | "F" | "X"
    street_types: tuple[str, ...]  # every spelling, full and abbreviated
    street_type_words: tuple[str, ...]  # full spellings only: "route", "quai"
    non_city_places: frozenset[str]  # folded
    common_words: frozenset[str]  # folded capitalised words that are not names
    never_names: frozenset[str]  # folded: not a name even in capitals (Word field keywords)

    def is_abbreviation(self, word: str) -> bool:
        if len(word) <= 3:
            return word in self.short_abbreviations
        return fold(word) in self.abbreviations

    def is_not_a_name(self, word: str) -> bool:
        """Heading word, abbreviation, drug, eponym or medical term (unless a first name)."""
        key = fold(word)
        if key in self.common_words or self.is_abbreviation(word) or key in self.drugs \
                or key in self.eponym_names:
            return True
        # Per part of a compound, long words only: "José", "Rose" end like "-ose" too.
        parts = [p for p in key.split() if p not in self.first_names]
        return any(len(p) >= 7 and MEDICAL_SUFFIX.search(p) for p in parts) and (
            key not in self.first_names
        )


@cache
def load_lexicons() -> Lexicons:
    """Read and folded once, then loaded from the on-disk cache (deident.cache) while the
    lexicon files and the code that folds them stay the same."""
    files = sorted((models_dir() / "lexicons").iterdir())
    version = "|".join((__version__, stamp(*files, __file__, normalize.__file__)))
    values = cached("lexicons", version,
                    lambda: tuple(getattr(_read_lexicons(), f.name) for f in fields(Lexicons)))
    return Lexicons(*values)


def _read_lexicons() -> Lexicons:
    first_names: dict[str, str] = {}
    for line in _lines("first_names.tsv"):
        name, _, gender = line.partition("\t")
        first_names.setdefault(fold(name), gender.strip() or "X")
    street_types: list[str] = []
    street_type_words: list[str] = []
    for line in _lines("street_types.tsv"):
        full, _, abbrevs = line.partition("\t")
        street_types.append(full.strip())
        street_type_words.append(full.strip())
        street_types.extend(a.strip() for a in abbrevs.split("|") if a.strip())
    return Lexicons(
        eponym_phrases=tuple(_lines("eponyms.txt")),
        eponym_names=frozenset(fold(x) for x in _lines("eponym_names.txt")),
        drugs=frozenset(fold(x) for x in _lines("drugs.txt")),
        abbreviations=frozenset(
            fold(x) for x in _lines("medical_abbreviations.txt") if len(x) > 3
        ),
        short_abbreviations=frozenset(
            x for x in _lines("medical_abbreviations.txt") if len(x) <= 3
        ),
        first_names=first_names,
        street_types=tuple(dict.fromkeys(street_types)),
        street_type_words=tuple(dict.fromkeys(street_type_words)),
        non_city_places=frozenset(fold(x) for x in _lines("non_city_places.txt")),
        common_words=frozenset(fold(x) for name in ("common_words_capitalised.txt",
                                                    "word_vocabulary.txt")
                               for x in _lines(name)),
        never_names=frozenset(fold(x) for x in _lines("field_codes.txt")),
    )
