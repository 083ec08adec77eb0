"""The verifier: a second pair of eyes, independent of the detector. One job: find remnants.

Every detected or known value is broken into what can betray it ("tells"): its name tokens
(2+ letters, no particle, no medical allow-list word), its digit string without separators
(6+ digits), the parts of an e-mail address, the words of a street name. `Remnants` finds
them in any text after folding case and accents and splitting on every non-alphanumeric
character and camelCase join ("DupontJean", "NOM_Prenom_photo.png"), with one compiled
pattern over the folded text and one scan of its digit runs. Its sentinel, independent of
every recognizer, also finds digit runs that validate as a NIR, a French phone number, an
IBAN or a payment card, and e-mail addresses.

Used twice: before writing, `fix` adds entities for the forms the detector missed, typed
like the value they came from, so the document session gives them the same surrogate;
after writing, `first_remnant` searches everything the adapter reads back, and any remnant
refuses the file (type and location, never the value).

A name token that is also an ordinary French word counts only where it stands as a name:
capitalised mid-sentence, in capitals, or joined to another name part.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import phonenumbers
import regex
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

from deident import __version__
from deident import lexicons as lexicons_module
from deident.analyzer import Spans
from deident.cache import cached, stamp
from deident.document import Piece
from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FR_NIR,
    HOSPITAL,
    IBAN,
    PAYMENT_CARD,
    PERSON,
    PHONE,
    URL,
    ZIP_CITY,
    Entity,
)
from deident.lexicons import MEDICAL_SUFFIX, Lexicons, fold_same_length, overlapping_trie
from deident.normalize import alnum_only, fold

MIN_DIGITS = 6  # a digit string shorter than this betrays nothing on its own
RAW_MIN_CHARS = 4  # in raw bytes (PDF streams) a 2-letter token matches by chance
HINT = "remnant"  # entities added by the fix (see also "sentinel")

# Words of a value that betray nothing: particles, place and institution words.
_STOP = frozenset(fold(w) for w in (
    "de", "du", "des", "le", "la", "les", "l", "d", "da", "di", "do", "dos", "das", "del",
    "della", "van", "von", "der", "den", "ben", "el", "al", "et", "en", "au", "aux", "sur",
    "sous", "lès", "lez", "saint", "sainte", "st", "ste", "mme", "mlle", "mr", "dr", "pr",
    "centre", "hospitalier", "hospitaliere", "universitaire", "hôpital", "hopital", "clinique",
    "chu", "chr", "ch", "ehpad", "groupe", "institut", "fondation", "polyclinique", "maison",
    "residence", "cedex", "france", "www", "http", "https", "com", "fr", "org", "net", "mailto",
))
# Public mail and web providers: their name says nothing of the person.
_PROVIDERS = frozenset((
    "gmail", "googlemail", "hotmail", "outlook", "live", "yahoo", "orange", "wanadoo", "free",
    "laposte", "sfr", "neuf", "bbox", "icloud", "aol", "protonmail", "proton", "gmx", "msn",
    "numericable", "club", "internet", "example", "exemple", "sante", "gouv", "ameli", "apicrypt",
    "mssante",
))
_NAME_TYPES = (PERSON, CITY, HOSPITAL, ADDRESS, ZIP_CITY)
# A token betraying several values takes the type that gives the best surrogate.
_PRIORITY = {PERSON: 0, CITY: 1, ZIP_CITY: 2, HOSPITAL: 3, ADDRESS: 4}
_CHUNK = regex.compile(r"[^\W_]+")
# Digits with one separator at most between them (a blank, dot, dash, slash; one digit per
# table cell joined by blanks; "+33 (0)6"): longer gaps part two numbers ("06… / 04…").
# Corsican NIRs hold 2A/2B.
_RUN = regex.compile(
    r"\d(?:(?:[ \t\u00a0.\-/]|[ ]?\(0\)[ ]?)?(?:\d|(?<=2)[ABab](?![^\W\d_])))*")
_GROUP = regex.compile(r"\d+|[ABab]")
# E-mail addresses, also written to dodge harvesters ("x @ y . fr", "x [at] y.fr",
# "x arobase y point fr"): the sentinel's own patterns, not the recognizer's. A dodged
# address ends on a common top-level domain ("x @ y.fr. Puis" is no address to "Puis").
_AT = (r"(?:[ \t]*@[ \t]*|[ \t]*[\[({<][ \t]*(?i:at|arobase|@)[ \t]*[\])}>][ \t]*"
       r"|[ \t]+(?i:arobase)[ \t]+)")
_DOT = (r"(?:[ \t]*\.[ \t]*|[ \t]*[\[({<][ \t]*(?i:dot|point)[ \t]*[\])}>][ \t]*"
        r"|[ \t]+(?i:point)[ \t]+)")
_TLD = r"(?i:fr|com|net|org|eu|info|be|ch|lu|ca|re|mc|io|de|es|it|uk)"
_EMAIL = regex.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
                       rf"|[\w.+\-]*\w{_AT}\w[\w\-]*(?:{_DOT}[\w\-]+)*?{_DOT}{_TLD}(?![\w])")
_EMAIL_HINT = regex.compile(r"@|(?i:arobase|[\[({<][ \t]*at[ \t]*[\])}>])")
_IBAN = regex.compile(r"(?<![^\W_])[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){10,30}(?![^\W_])")
_SENTENCE_END = frozenset(".!?:;\n\t|«\"(•-–—*>")
_MAX_WINDOW = 34


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    type: str
    kind: str  # "name" | "number" | "sentinel"


@dataclass
class Tells:
    """Folded tokens and digit strings, each with the entity type it betrays."""

    words: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern | None = None

    def add_word(self, key: str, entity_type: str) -> None:
        old = self.words.get(key)
        if old is None or _PRIORITY.get(entity_type, 9) < _PRIORITY.get(old, 9):
            self.words[key] = entity_type
            self._pattern = None

    def add_number(self, key: str, entity_type: str) -> None:
        self.numbers.setdefault(key, entity_type)

    def pattern(self) -> re.Pattern | None:
        """Every occurrence of the words, overlaps included: a match (empty) at each position
        where one starts, the longest there in group 1. The standard `re` runs this plain
        alternation of literals several times faster than `regex` does."""
        if self._pattern is None and self.words:
            self._pattern = overlapping_trie(self.words)
        return self._pattern

    def __bool__(self) -> bool:
        return bool(self.words or self.numbers)


def tells_of(values: Iterable[tuple[str, str]], lexicons: Lexicons,
             memo: dict[tuple[str, str], list] | None = None) -> Tells:
    """What can betray each (type, value): see the module docstring. `memo` keeps each
    value's tells for the next call (one document's entities are read more than once)."""
    tells = Tells()
    # each distinct value once (a 100,000-row column repeats its surnames), in order: the
    # first of equal-priority types stays
    for entity_type, value in dict.fromkeys(values):
        if memo is None:
            _value_tells(tells, entity_type, value, lexicons)
            continue
        found = memo.get((entity_type, value))
        if found is None:
            found = memo[(entity_type, value)] = _Recorded()
            _value_tells(found, entity_type, value, lexicons)
        found.replay(tells)
    return tells


class _Recorded(list):
    """One value's tells, in the order they were added, to add again to other Tells."""

    def add_word(self, key: str, entity_type: str) -> None:
        self.append((True, key, entity_type))

    def add_number(self, key: str, entity_type: str) -> None:
        self.append((False, key, entity_type))

    def replay(self, tells: Tells) -> None:
        for word, key, entity_type in self:
            if word:
                tells.add_word(key, entity_type)
            else:
                tells.add_number(key, entity_type)


def _value_tells(tells: Tells | _Recorded, entity_type: str, value: str,
                 lexicons: Lexicons) -> None:
    if entity_type == DATE:
        return  # dates are shifted, and a date alone names no one
    if entity_type in _NAME_TYPES:
        word_type = CITY if entity_type == ZIP_CITY else entity_type
        for chunk in _CHUNK.findall(value):
            key = fold_same_length(chunk)
            if _is_tell_word(key, chunk, lexicons, entity_type):
                tells.add_word(key, word_type)
        return
    if entity_type in (EMAIL, URL):
        _add_address_parts(tells, value, entity_type, lexicons)
        return
    for key in number_keys(value, entity_type):
        tells.add_number(key, entity_type)


def _is_tell_word(key: str, chunk: str, lexicons: Lexicons, entity_type: str) -> bool:
    if sum(c.isalpha() for c in key) < 2 or key in _STOP or key.isdigit():
        return False
    if entity_type == ADDRESS and key in _street_words(lexicons):
        return False
    return not _medical(key, chunk, lexicons)


def _medical(key: str, chunk: str, lexicons: Lexicons) -> bool:
    """A medical allow-list word: a drug, an abbreviation, a disease or procedure ending."""
    if key in lexicons.drugs or lexicons.is_abbreviation(chunk):
        return True
    return len(key) >= 7 and MEDICAL_SUFFIX.search(key) is not None \
        and key not in lexicons.first_names


def _add_address_parts(tells: Tells | _Recorded, value: str, entity_type: str, lexicons: Lexicons) -> None:
    """E-mail local parts (jean.dupont, jdupont) and the domain's own name (chu-brest):
    found alone, such a word is replaced like a name."""
    local, at, domain = value.rpartition("@")
    if not at:
        domain, local = regex.sub(r"(?i)^[a-z]+://", "", value).partition("/")[0], ""
    for chunk in _CHUNK.findall(local):
        key = fold_same_length(chunk)
        if _is_tell_word(key, chunk, lexicons, entity_type) and not key.isdigit():
            tells.add_word(key, PERSON)  # a word alone: replaced like a name, word for word
        digits = "".join(c for c in chunk if c.isdigit())
        if len(digits) >= MIN_DIGITS:
            tells.add_number(digits, entity_type)
    labels = domain.split(".")
    for label in labels[:-1]:  # not the top-level domain
        for chunk in _CHUNK.findall(label):
            key = fold_same_length(chunk)
            if len(key) >= RAW_MIN_CHARS and key not in _PROVIDERS and \
                    _is_tell_word(key, chunk, lexicons, entity_type):
                tells.add_word(key, PERSON)


def number_keys(value: str, entity_type: str) -> list[str]:
    """The digit strings (separators removed) that betray a value; a phone in all its
    national and international forms, a NIR with and without its key."""
    compact = alnum_only(value).upper()
    digits = "".join(c for c in compact if c.isdigit() or c in "AB")
    if entity_type == FR_NIR:
        return [k for k in (digits, digits[:13]) if len(k) >= MIN_DIGITS]
    digits = "".join(c for c in compact if c.isdigit())
    if len(digits) < MIN_DIGITS:
        return []
    if entity_type == PHONE:
        national = digits[-9:]
        return [national, "0" + national, "33" + national, "330" + national,
                "0033" + national, digits]
    return [digits]


_DERIVED: dict[tuple[str, int], frozenset[str]] = {}  # per lexicons object (not hashable)


def common_words(lexicons: Lexicons) -> tuple[frozenset[str], frozenset[str]]:
    """Ordinary French words, twice: every word of the spaCy model's lemmatizer (its noun
    table holds many surnames, "dupont", "martin": enough to leave a lowercase word alone),
    and the words of its other tables with the capitalised heading words (enough to leave
    "Petit", "Blanc" alone at the start of a sentence)."""
    key = ("common", id(lexicons))
    if key not in _DERIVED:
        tables = _lemma_tables()
        headings = frozenset(fold_same_length(w) for w in lexicons.common_words)
        nouns = max(tables, key=len, default=frozenset())  # the largest table: nouns
        _DERIVED[key] = headings.union(*tables)
        _DERIVED[("narrow", id(lexicons))] = headings.union(*(t for t in tables if t is not nouns))
    return _DERIVED[key], _DERIVED[("narrow", id(lexicons))]


def _lemma_tables() -> list[frozenset[str]]:
    try:
        import importlib.util
        from pathlib import Path

        import srsly

        from deident.nlp import DEFAULT_MODEL

        spec = importlib.util.find_spec(DEFAULT_MODEL)
        if spec is None or not spec.submodule_search_locations:
            return []
        package = Path(next(iter(spec.submodule_search_locations)))
        lookups = next(package.glob("*/lemmatizer/lookups/lookups.bin"), None)
        if lookups is None:
            return []
        def read() -> list[frozenset[str]]:
            index = srsly.msgpack_loads(lookups.read_bytes())["lemma_index"]
            return [frozenset(fold_same_length(w) for w in words) for words in index.values()]

        # Read and folded once, then loaded from the on-disk cache (deident.cache).
        version = "|".join((__version__, stamp(lookups, __file__, lexicons_module.__file__)))
        return cached("lemma-tables", version, read)
    except (ImportError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _street_words(lexicons: Lexicons) -> frozenset[str]:
    key = ("street", id(lexicons))
    if key not in _DERIVED:
        _DERIVED[key] = frozenset(fold_same_length(t) for s in lexicons.street_types
                                  for t in _CHUNK.findall(s))
    return _DERIVED[key]


class Remnants:
    """Finds the tells of some values in texts, and the sentinel's validated numbers."""

    def __init__(self, tells: Iterable[Tells], common: tuple[frozenset[str], frozenset[str]],
                 replaced: Iterable[str] | None = None) -> None:
        self.tells = [t for t in tells if t]
        self.common, self.narrow = common
        self.replaced = None if replaced is None else frozenset(replaced)

    def find(self, text: str, *, sentinel: bool = True, raw: bool = False,
             ignored_words: frozenset[str] = frozenset()) -> list[Hit]:
        """Every remnant in `text`, longest first where they overlap."""
        hits = list(self._words(text, raw, ignored_words))
        hits += self._numbers(text, sentinel and not raw)
        if sentinel and not raw:
            hits += _sentinel_text(text)
        if self.replaced is not None:
            hits = [h for h in hits if h.type in self.replaced]
        return _longest(hits)

    # -- words ----------------------------------------------------------------------------
    def _words(self, text: str, raw: bool, ignored: frozenset[str]) -> Iterator[Hit]:
        patterns = [(t, t.pattern()) for t in self.tells if t.words]
        if not patterns:
            return
        folded = fold_same_length(text)
        for tells, pattern in patterns:
            for match in pattern.finditer(folded):
                start, end, key = match.start(), match.end(1), match.group(1)
                if key in ignored or (raw and len(key) < RAW_MIN_CHARS):
                    continue
                if not _bounded(text, start, end, len(key) >= RAW_MIN_CHARS):
                    continue
                if key in self.common and not self._as_name(text, start, end, key, tells):
                    continue
                yield Hit(start, end, tells.words[key], "name")

    def _as_name(self, text: str, start: int, end: int, key: str, tells: Tells) -> bool:
        """An ordinary word counts where it stands as a name: in capitals, capitalised
        mid-sentence (or at its start, unless an adjective, adverb, verb or heading word),
        joined to another name part ("Petit_Jean", "PetitJean", "petit_jean"), or in a file
        name unless an adjective, adverb, verb or heading word."""
        word = text[start:end]
        if (word.isupper() and len(word) > 1) or _joined(text, start, end, tells):
            return True
        if not word[:1].isupper():  # in a file name ("cr_dupont_2024"), only a true word stays
            underscored = (start and text[start - 1] == "_") or text[end:end + 1] == "_"
            return bool(underscored) and key not in self.narrow
        position = start - 1
        while position >= 0 and text[position] in " \u00a0":
            position -= 1
        return (position >= 0 and text[position] not in _SENTENCE_END) or key not in self.narrow

    # -- digits ---------------------------------------------------------------------------
    def _numbers(self, text: str, sentinel: bool) -> Iterator[Hit]:
        numbers = [t.numbers for t in self.tells if t.numbers]
        if not numbers and not sentinel:
            return
        for run in _RUN.finditer(text):
            if run.end() - run.start() < MIN_DIGITS:
                continue
            groups = [(m.group().upper(), m.start() + run.start(), m.end() + run.start())
                      for m in _GROUP.finditer(run.group())]
            for i in range(len(groups)):
                window = ""
                for j in range(i, len(groups)):
                    window += groups[j][0]
                    if len(window) > _MAX_WINDOW:
                        break
                    if len(window) < MIN_DIGITS:
                        continue
                    start, end = groups[i][1], groups[j][2]
                    start -= start > 0 and text[start - 1] == "+"  # +33: the sign too
                    for table in numbers:
                        if window in table:
                            yield Hit(start, end, table[window], "number")
                    # validated() finds nothing in fewer than 10 or more than 19 digits
                    if sentinel and 10 <= len(window) <= 19 and (kind := validated(window)):
                        yield Hit(start, end, kind, "sentinel")


def _bounded(text: str, start: int, end: int, long: bool) -> bool:
    """`text[start:end]` is a token: non-alphanumerics, a camelCase join or (for long
    tokens) a change between letters and digits on both sides."""
    return _boundary(text, start, long) and _boundary(text, end, long)


def _boundary(text: str, position: int, long: bool) -> bool:
    if position == 0 or position == len(text):
        return True
    before, after = text[position - 1], text[position]
    if not before.isalnum() or not after.isalnum():
        return True
    if before.isdigit() != after.isdigit():
        return long
    if before.islower() and after.isupper():
        return True  # DupontJean
    # DUPONTJean: the capital that starts a capitalised word
    return before.isupper() and after.isupper() and position + 1 < len(text) \
        and text[position + 1].islower()


def _joined(text: str, start: int, end: int, tells: Tells) -> bool:
    """Glued to another name part: a camelCase join, or an underscore, dot or hyphen with
    another of the values' words on the other side."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if (before.isalpha() and before.islower() and text[start].isupper()) or after.isupper():
        return True
    if before in "_.-" and before:
        first = start - 1
        while first > 0 and text[first - 1].isalnum():
            first -= 1
        if fold_same_length(text[first:start - 1]) in tells.words:
            return True
    if after in "_.-" and after:
        match = _CHUNK.match(text, end + 1)
        if match and fold_same_length(match.group()) in tells.words:
            return True
    return False


# -- the sentinel -------------------------------------------------------------------------
def validated(digits: str) -> str | None:
    """The type a digit string (separators removed) validates as, if any."""
    length = len(digits)
    if length in (13, 15) and _nir(digits):
        return FR_NIR
    if not digits.isdigit():
        return None
    if 10 <= length <= 13 and _french_phone(digits):
        return PHONE
    if 13 <= length <= 19 and digits[0] in "23456" and luhn.is_valid(digits):
        return PAYMENT_CARD
    return None


_NIR_BODY = re.compile(r"[1-478]\d\d(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d\d|2[AB])\d{6}")


def _nir(digits: str) -> bool:
    if _NIR_BODY.fullmatch(digits[:13]) is None:
        return False
    return len(digits) == 13 or stdnum_nir.is_valid(digits)


def _french_phone(digits: str) -> bool:
    if digits.startswith("0033"):
        number = "+" + digits[2:]
    elif digits.startswith("330") and len(digits) == 12:  # +33 (0)6…
        number = "+33" + digits[3:]
    elif digits.startswith("33") and len(digits) == 11:
        number = "+" + digits
    elif digits.startswith("0") and len(digits) == 10 and digits[1] != "0":
        number = digits
    else:
        return False
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return False
    # Possible rather than valid: a number of an unassigned range is still someone's.
    return parsed.country_code == 33 and phonenumbers.is_possible_number(parsed) \
        and len(str(parsed.national_number)) == 9


def _sentinel_text(text: str) -> Iterator[Hit]:
    if _EMAIL_HINT.search(text):
        for match in _EMAIL.finditer(text):
            yield Hit(match.start(), match.end(), EMAIL, "sentinel")
    for match in _IBAN.finditer(text):
        value = match.group()
        # The pattern may run on into the next words: the longest valid prefix.
        cuts = [m.start() for m in regex.finditer(r"[ \-]", value)] + [len(value)]
        for cut in reversed(cuts):
            if cut >= 15 and stdnum_iban.is_valid(value[:cut]):
                yield Hit(match.start(), match.start() + cut, IBAN, "sentinel")
                break


def _longest(hits: list[Hit]) -> list[Hit]:
    kept: list[Hit] = []
    taken = Spans()
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.kind == "sentinel", h.start)):
        if not taken.overlaps(hit.start, hit.end):
            taken.add(hit.start, hit.end)
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


# -- before writing: fix ------------------------------------------------------------------
def fix(text: str, entities: list[Entity], remnants: Remnants,
        protected: Callable[[str], Spans]) -> list[Entity]:
    """`entities` (sorted, apart) with the remnants in `text` outside them: other occurrences
    and forms of the values found, and the sentinel's numbers and addresses. A sentinel hit
    that only partly overlaps entities (an e-mail whose domain was taken for a URL) absorbs
    them.

    Lines that one entity covers whole (a typed table cell) are not searched: no remnant
    crosses a line break, and one inside an entity is replaced with it."""
    hits = [hit for start, end in _uncovered_lines(text, entities)
            for hit in _shifted(remnants.find(text[start:end]), start)]
    if not hits:
        return entities
    starts = [e.start for e in entities]
    taken = Spans((e.start, e.end) for e in entities)
    removed: set[int] = set()
    added: list[Entity] = []
    allowed = _LineSpans(text, protected)
    for hit in hits:
        if taken.overlaps(hit.start, hit.end):
            if hit.kind != "sentinel":
                continue
            first = max(0, bisect.bisect_right(starts, hit.start) - 1)
            inside = [i for i in range(first, bisect.bisect_left(starts, hit.end))
                      if entities[i].start < hit.end and hit.start < entities[i].end]
            whole = any(entities[i].start <= hit.start and hit.end <= entities[i].end
                        for i in inside)
            if whole or removed.intersection(inside):
                continue
            removed.update(inside)
            added.append(Entity(min(hit.start, entities[inside[0]].start),
                                max(hit.end, entities[inside[-1]].end), hit.type, 0.6, hit.kind))
            continue
        if hit.kind == "name" and allowed.contains(hit.start, hit.end):
            continue
        added.append(Entity(hit.start, hit.end, hit.type, 0.6,
                            "propagated" if hit.kind == "name" else hit.kind))
    if not added:
        return entities
    return sorted([e for i, e in enumerate(entities) if i not in removed] + added)


def _uncovered_lines(text: str, entities: list[Entity]) -> Iterator[tuple[int, int]]:
    """Spans of consecutive lines of `text`, together all the lines that no entity of
    `entities` (sorted, apart) covers whole. Every pattern of the verifier stops at a line
    break and reads nothing beyond it, so searching these spans finds the same remnants
    outside the covered lines as searching the whole text."""
    index, region, position = 0, None, 0
    for line in text.split("\n"):
        end = position + len(line)
        while index < len(entities) and entities[index].end < end:
            index += 1
        covered = not line or (index < len(entities) and entities[index].start <= position)
        if not covered and region is None:
            region = position
        elif covered and region is not None:
            yield region, position - 1
            region = None
        position = end + 1
    if region is not None:
        yield region, len(text)


def _shifted(hits: list[Hit], offset: int) -> Iterator[Hit]:
    for hit in hits:
        yield Hit(hit.start + offset, hit.end + offset, hit.type, hit.kind) if offset else hit


class _LineSpans:
    """The allow-list's protected spans, computed line by line where asked (the phrases it
    protects never cross a line): a whole long text would cost more than its few hits."""

    def __init__(self, text: str, protected: Callable[[str], Spans]) -> None:
        self.text, self.protected = text, protected
        self.lines: dict[int, tuple[int, Spans]] = {}

    def contains(self, start: int, end: int) -> bool:
        line = self.text.rfind("\n", 0, start) + 1
        if line not in self.lines:
            stop = self.text.find("\n", end)
            stop = len(self.text) if stop == -1 else stop
            self.lines[line] = (stop, self.protected(self.text[line:stop]))
        stop, spans = self.lines[line]
        return end <= stop and spans.contains(start - line, end - line)


# -- after writing: verify ----------------------------------------------------------------
class Written:
    """The surrogates this run wrote: valid NIRs and phones too, never remnants.

    `holds` asks whether a found number lies inside a surrogate or holds one of 6+
    characters. Asked for each number in the output, a scan of every surrogate made a
    100,000-row table quadratic: the surrogates are indexed instead (a set, and their
    lengths), and only a value none of them explains scans them all, once joined."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._added: set[str] = set()
        self._compact: set[str] = set()
        self._long_lengths: list[int] = []  # the lengths of the 6+ character ones
        self._joined: str | None = None

    def add(self, surrogate: str) -> None:
        if surrogate in self._added:  # a table's column repeats its surrogates
            return
        self._added.add(surrogate)
        self.words.update(fold_same_length(c) for c in _CHUNK.findall(surrogate))
        compact = _compact(surrogate)
        if compact and compact not in self._compact:
            self._compact.add(compact)
            self._joined = None
            if len(compact) >= MIN_DIGITS and len(compact) not in self._long_lengths:
                self._long_lengths = sorted([*self._long_lengths, len(compact)])

    def holds(self, value: str) -> bool:
        """A surrogate holds `value` (letters and digits alone), or `value` holds a
        surrogate of MIN_DIGITS characters or more."""
        if not self._compact:
            return False
        compact = _compact(value)
        if compact in self._compact:
            return True
        for length in self._long_lengths:  # a surrogate inside the value
            if length > len(compact):
                break
            if any(compact[i:i + length] in self._compact
                   for i in range(len(compact) - length + 1)):
                return True
        if self._joined is None:  # the value inside a surrogate (rare: scan them all)
            self._joined = "\n".join(self._compact)  # no value holds "\n"
        return compact in self._joined


def _compact(text: str) -> str:
    return alnum_only(text).upper()


def first_remnant(pieces: Iterable[Piece], remnants: Remnants, written: Written,
                  protected: Callable[[str], Spans]) -> str | None:
    """The refusal reason for the first remnant in the pieces, or None: its type and
    location, never its value.

    Every piece is searched, but not one at a time: a workbook reads back as hundreds of
    thousands of small pieces (cells, attributes), so pieces are searched in batches joined
    by line breaks (no remnant crosses one, and none reads beyond its line: the same hits
    as piece by piece), and a text met again is not searched twice."""
    ignored = frozenset(written.words)
    seen: set[tuple[str, bool]] = set()
    batch: list[Piece] = []
    size = 0
    for piece in pieces:
        if not piece.text.strip() or (piece.text, piece.raw) in seen:
            continue
        seen.add((piece.text, piece.raw))
        if batch and (piece.raw != batch[0].raw or size > _BATCH_CHARS):
            reason = _first_in_batch(batch, remnants, written, protected, ignored)
            if reason:
                return reason
            batch, size = [], 0
        batch.append(piece)
        size += len(piece.text) + 1
    return _first_in_batch(batch, remnants, written, protected, ignored) if batch else None


_BATCH_CHARS = 1 << 16


def _first_in_batch(batch: list[Piece], remnants: Remnants, written: Written,
                    protected: Callable[[str], Spans], ignored: frozenset[str]) -> str | None:
    text = "\n".join(piece.text for piece in batch)
    starts = list(itertools.accumulate((len(piece.text) + 1 for piece in batch[:-1]), initial=0))
    allowed = _LineSpans(text, protected)
    for hit in remnants.find(text, raw=batch[0].raw, ignored_words=ignored):
        if hit.kind == "sentinel" and written.holds(text[hit.start:hit.end]):
            continue
        if hit.kind == "number" and written.holds(text[hit.start:hit.end]):
            continue
        if hit.kind == "name" and allowed.contains(hit.start, hit.end):
            continue
        location = batch[bisect.bisect_right(starts, hit.start) - 1].location
        return f"verification failed: {hit.type} remnant in {location}"
    return None
