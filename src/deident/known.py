"""Known identities: a hospital export of its patients, to catch every written form of
their names, birth dates, numbers and addresses, even where the text gives no clue.

The export is UTF-8, either CSV (comma, semicolon or tab separated, one header row) or
JSONL (one object per line). Columns (CSV) or keys (JSONL) are named as hospital exports
name them, in French or English, case and accents ignored (`deident.columns` holds the
table: "nom", "nom_naissance", "nom_usage", "prénom", "ddn", "num_secu", "ipp", "cp",
"commune", "tel", "mail"…); a column the table does not know is an error. Several columns
may feed one list field ("nom_naissance" and "nom_usage" both give last names: merged).

- `patient_id` (IPP): optional. Also searched in the text (HOSPITAL_ID) when it has at
  least 5 letters or digits. Without it, a patient is identified by a hash of their
  identity (NIR, else names and birth date, else the whole row), never written anywhere:
  it only keys the patient's shared date shift.
- `last_names`: birth name and usage name (CSV: several separated by `|`; JSONL: a list
  or a `|`-separated string). Compound names and particles are understood:
  "Fournier-Lambert", "de la Fontaine".
- `first_names`: every first name, `|`-separated in CSV ("Jean-Pierre|Louis").
- `birth_date`: `YYYY-MM-DD` or `DD/MM/YYYY`.
- `nir`: the social security number, 13 characters or 15 with the key, any spacing.
- `address`: street address ("12 avenue des Tilleuls").
- `postcode`, `city`: found together ("69003 Lyon", ZIP_CITY) and the city alone (CITY,
  only written with a capital and for names of at least 4 letters).
- `phones`, `emails`: `|`-separated in CSV.
- `file` or `folder` (optional, not both): the patient then applies only to that document
  ("lettres/cr.docx", or just its name "cr.docx") or to the documents inside that folder
  ("consultations/2021"). Without either, the patient applies to every document.

Several rows may share a `patient_id` (one per document, say).

`load_known` builds every matcher once: a trie of word sequences (names, addresses,
cities, identifiers), one pass over the digit runs (phones, NIR, compact dates), the
calendar date patterns of `deident.dates` and one e-mail pattern. `KnownIdentities.find`
is therefore a few passes over the text, however many patients there are.

Nothing here logs, and no error message or `repr` contains a value: errors name the file,
the line and the column only.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import importlib.util
import io
import json
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import permutations
from pathlib import Path

import regex
from stdnum.fr import nir as stdnum_nir

from deident.columns import column_type, fold_header
from deident.dates import DATE_PATTERNS, MONTH_ABBREVIATIONS, MONTHS
from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FR_NIR,
    HOSPITAL_ID,
    PERSON,
    PHONE,
    ZIP_CITY,
    Entity,
)
from deident.errors import DeidentError
from deident.lexicons import fold_same_length, models_dir
from deident.normalize import digits_only, fold, strip_accents

__all__ = ["COLUMNS", "KnownIdentities", "KnownIdentitiesError", "load_known", "read_records"]

COLUMNS = (
    "patient_id", "last_names", "first_names", "birth_date", "nir", "address", "postcode",
    "city", "phones", "emails", "file", "folder",
)
# Headers the column table does not hold: where a patient's documents are.
_SCOPE_COLUMNS = {"file": "file", "folder": "folder", "fichier": "file", "repertoire": "folder"}
LIST_COLUMNS = frozenset({"last_names", "first_names", "phones", "emails"})
HINT = "known"
MIN_ID_CHARS = 5
MIN_CITY_LETTERS = 4

# Same span found as two types: the first wins.
_PRIORITY = {t: i for i, t in enumerate(
    (HOSPITAL_ID, FR_NIR, PHONE, EMAIL, DATE, PERSON, ADDRESS, ZIP_CITY, CITY))}

# Name particles: never a name alone, never required in capitals.
_PARTICLES = frozenset({
    "de", "d", "du", "des", "la", "le", "les", "l", "van", "von", "der", "den", "di", "da",
    "del", "della", "dos", "das", "do", "ten", "ter", "zu", "dei", "degli",
})
_PREPOSITIONS = frozenset({"de", "d"})  # "de la Fontaine" -> "La Fontaine"
_ARTICLES = frozenset({"la", "le", "les", "l"})
_NOT_ALONE = _PARTICLES | {"saint", "sainte", "st", "ste", "ben", "ibn", "bin", "el", "al",
                           "mac", "mc", "abd", "ould", "ait"}

_TOKEN = regex.compile(r"\w+|[.,]")
# What may stand between two words of one name or address: blanks, one hyphen or
# apostrophe, at most one line break (blocks are joined by a blank line: never crossed).
_GAP = regex.compile(r"[^\S\n]{0,3}(?:[-‐‑–'’ʼ´`][^\S\n]{0,2})?(?:\r?\n[^\S\n]*)?")
_NAME_SPLIT = regex.compile(r"[\s\-‐‑–]+")
_WORD = regex.compile(r"\w+")
_ID_SEPARATORS = regex.compile(r"[\s.\-/]")
_ALNUM = regex.compile(r"[^\W_]")
_LETTER = regex.compile(r"\p{L}")

# Digit runs: phones, NIR (with Corsica's 2A/2B), identifiers and compact dates, split
# into groups by single separators; "+33", "0033" and "(0)" as phones write them.
_DIGIT = r"(?:\d|(?<=2)[AaBb](?=[ .\-]?\d))"
_RUN = regex.compile(
    rf"(?<![\w+])(?P<plus>\+|00(?=[1-9]))?{_DIGIT}"
    rf"(?:(?:[ \t]{{1,2}}|[.\-/][ \t]?|[ \t]*\n[ \t]*)?(?:\(0\)[ .\-]?)?{_DIGIT})*(?!\w)"
)
_GROUP = regex.compile(r"\(0\)|[0-9AaBb]+")
_MAX_RUN_CHARS = 17

_EMAIL = regex.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_EMAIL_VALUE = regex.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NIR_VALUE = regex.compile(r"[1-478]\d{4}(?:\d\d|2[AB])\d{6}(?:\d\d)?")
_PHONE_VALUE = regex.compile(r"[\d\s.\-+()/]+")
_POSTCODE_VALUE = regex.compile(r"[0-9A-Za-z][0-9A-Za-z \-]{1,9}")
_ISO_DATE = regex.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FR_DATE = regex.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

# Calendar dates as deident.dates writes them, in one alternation (named groups d, m, y).
_DATE_FORMS = ("text", "numeric_ymd", "numeric_dmy", "numeric_dmy_spaced", "digits_spaced")
_DATE = regex.compile(
    "|".join(f"(?:{pattern})" for name in _DATE_FORMS
             for pattern_name, pattern, _ in DATE_PATTERNS if pattern_name == name),
    regex.IGNORECASE,
)
_MONTH_NUMBERS = {
    strip_accents(name): number
    for names in (MONTHS, MONTH_ABBREVIATIONS)
    for number, name in enumerate(names, start=1)
}
_FOLDED_MONTHS = tuple(strip_accents(m) for m in MONTHS)

# Kinds of trie entries: names combine at search time; the others are entities at once.
_LAST, _FIRST, _INITIAL, _LAST_INITIAL, _OTHER = "last", "first", "initial", "last_initial", "other"


class KnownIdentitiesError(DeidentError):
    """The known-identities file is unreadable or invalid (file, line and column named)."""


# -- loading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    patient_id: str
    searched_id: bool  # given by the export (searched in texts), not derived
    last_names: tuple[str, ...]
    first_names: tuple[str, ...]
    birth_date: dt.date | None
    nir: str | None
    address: str | None
    postcode: str | None
    city: str | None
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    scope: tuple[str, tuple[str, ...], bool] | None  # ("file" | "folder", parts, absolute)


class _Where:
    """Names a place in the file for error messages: never a value."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int, column: int | None, reason: str, field: str | None = None
              ) -> KnownIdentitiesError:
        place = f"line {line}" + (f", column {column}" if column is not None else "")
        named = f" ({field})" if field else ""
        return KnownIdentitiesError(f"{self.path}: {place}{named}: {reason}")


def load_known(path: Path | str) -> KnownIdentities:
    """Read a CSV or JSONL export of known patients and build its matchers.

    Raises `KnownIdentitiesError` naming the file, line and column of the first problem.
    """
    return KnownIdentities(read_records(path))


def read_records(path: Path | str) -> list[_Record]:
    """The patients of a CSV or JSONL export, one record per row (see the module's
    docstring); errors as `load_known`'s."""
    path = Path(path)
    where = _Where(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnownIdentitiesError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})"
                                   ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise where.error(line, column, "not valid UTF-8") from None
    suffix = path.suffix.lower()
    is_jsonl = suffix in (".jsonl", ".ndjson", ".json") or (
        suffix != ".csv" and text.lstrip().startswith("{"))
    return list(_read_jsonl(text, where) if is_jsonl else _read_csv(text, where))


def _read_csv(text: str, where: _Where) -> Iterator[_Record]:
    lines = text.splitlines()
    header_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_index is None:
        raise where.error(1, None, "empty file: a header row is needed")
    header_line = lines[header_index]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: list[str] | None = None
    previous_end = 0
    try:
        for row in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header(row, line, where)
                continue
            if len(row) > len(columns):
                raise where.error(line, len(columns) + 1, "more fields than the header has")
            values: dict[str, list[tuple[int, object]]] = defaultdict(list)
            for column, name in enumerate(columns, start=1):
                if name:
                    values[name].append((column, row[column - 1] if column <= len(row) else ""))
            for column, name in enumerate(columns, start=1):
                if not name and column <= len(row) and row[column - 1].strip():
                    raise where.error(line, column, "a value in a column without a name")
            yield _record(values, line, where)
    except csv.Error:
        raise where.error(reader.line_num, None, "malformed CSV") from None
    if columns is None:
        raise where.error(1, None, "empty file: a header row is needed")


def _field(header: str) -> str | None:
    """The known-identities field a column header or JSONL key names, or None."""
    folded = fold_header(header)
    if folded in _SCOPE_COLUMNS:
        return _SCOPE_COLUMNS[folded]
    found = column_type(header)
    return found.field if found is not None and found.field else None


def _header(row: list[str], line: int, where: _Where) -> list[str]:
    columns: list[str] = []
    for column, cell in enumerate(row, start=1):
        if not cell.strip().lstrip("\ufeff"):  # a trailing separator: the column must stay empty
            columns.append("")
            continue
        name = _field(cell)
        if name is None:  # not echoed: a header-less file would show a value
            raise where.error(line, column, f"unknown column (expected: {', '.join(COLUMNS)} "
                              "or their French names, see deident.columns)")
        if name in columns and name not in LIST_COLUMNS:
            raise where.error(line, column, "duplicate column", name)
        columns.append(name)
    return columns


def _read_jsonl(text: str, where: _Where) -> Iterator[_Record]:
    for line_number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise where.error(line_number, exc.colno, "invalid JSON") from None
        if not isinstance(obj, dict):
            raise where.error(line_number, 1, "a JSON object is expected")
        values: dict[str, list[tuple[int, object]]] = defaultdict(list)
        for ordinal, (key, value) in enumerate(obj.items(), start=1):
            column = _key_column(raw, key)
            name = _field(key)
            if name is None:  # not echoed: keys are named only when they are ours
                raise where.error(line_number, column, f"unknown key (key {ordinal}; expected: "
                                  f"{', '.join(COLUMNS)} or their French names)")
            if name in values and name not in LIST_COLUMNS:
                raise where.error(line_number, column, "duplicate key", name)
            values[name].append((column, value))
        yield _record(values, line_number, where)


def _key_column(raw: str, key: str) -> int:
    position = raw.find(json.dumps(key))
    if position < 0:
        position = raw.find(json.dumps(key, ensure_ascii=False))
    return position + 1 if position >= 0 else 1


def _record(values: dict[str, list[tuple[int, object]]], line: int, where: _Where) -> _Record:
    def texts(name: str) -> tuple[str, ...]:
        merged: list[str] = []
        for column, value in values.get(name, ()):
            merged += [t for t in cell_texts(name, column, value) if t not in merged]
        return tuple(merged)

    def cell_texts(name: str, column: int, value: object) -> list[str]:
        if value is None:
            return []
        items: list[object]
        if isinstance(value, list):
            items = value
        elif isinstance(value, str):
            items = value.split("|") if name in LIST_COLUMNS else [value]
        elif isinstance(value, int) and not isinstance(value, bool) and name in (
                "patient_id", "postcode", "nir", "phones"):
            items = [str(value)]
        else:
            raise where.error(line, column, "a text value is expected", name)
        out = []
        for item in items:
            if not isinstance(item, str):
                raise where.error(line, column, "a text value is expected", name)
            if item.strip():
                out.append(unicodedata.normalize("NFC", item.strip()))
        if len(out) > 1 and name not in LIST_COLUMNS:
            raise where.error(line, column, "a single value is expected", name)
        return out

    def one(name: str) -> str | None:
        found = texts(name)
        return found[0] if found else None

    def fail(name: str, reason: str) -> KnownIdentitiesError:
        cells = values.get(name)
        return where.error(line, cells[0][0] if cells else None, reason, name)

    patient_id = one("patient_id")
    last_names, first_names = texts("last_names"), texts("first_names")
    for name, names in (("last_names", last_names), ("first_names", first_names)):
        if any(not _LETTER.search(n) or any(c.isdigit() for c in n) for n in names):
            raise fail(name, "a name must have letters and no digits")
    birth_date = None
    if (raw_date := one("birth_date")) is not None:
        birth_date = _parse_birth_date(raw_date)
        if birth_date is None:
            raise fail("birth_date", "not a date in YYYY-MM-DD or DD/MM/YYYY form")
    nir = None
    if (raw_nir := one("nir")) is not None:
        nir = _ID_SEPARATORS.sub("", raw_nir).upper()
        if not _NIR_VALUE.fullmatch(nir):
            raise fail("nir", "not a NIR (13 characters, or 15 with the key)")
    postcode = one("postcode")
    if postcode is not None and not _POSTCODE_VALUE.fullmatch(postcode):
        raise fail("postcode", "not a postcode")
    city, address = one("city"), one("address")
    if city is not None and not _LETTER.search(city):
        raise fail("city", "a city name must have letters")
    if address is not None and not _ALNUM.search(address):
        raise fail("address", "an address must have letters or digits")
    phones = texts("phones")
    for phone in phones:
        digits = digits_only(phone.replace("(0)", ""))
        if not _PHONE_VALUE.fullmatch(phone) or not 8 <= len(digits) <= 16:
            raise fail("phones", "not a phone number")
    emails = texts("emails")
    if any(not _EMAIL_VALUE.fullmatch(e) for e in emails):
        raise fail("emails", "not an e-mail address")
    scope = None
    file, folder = one("file"), one("folder")
    if file is not None and folder is not None:
        raise fail("folder", "a patient is scoped by file or by folder, not both")
    if file is not None or folder is not None:
        kind = "file" if file is not None else "folder"
        parts, absolute = _path_parts(file if file is not None else folder)
        if not parts or ".." in parts:
            raise fail(kind, "not a usable path")
        scope = (kind, parts, absolute)
    searched_id = patient_id is not None
    if patient_id is None:
        if not (last_names or first_names or birth_date or nir or address or postcode or city
                or phones or emails):
            raise fail("patient_id", "nothing identifies the patient (no patient_id, no value)")
        patient_id = _derived_id(last_names, first_names, birth_date, nir,
                                 (address, postcode, city, *phones, *emails))
    return _Record(patient_id, searched_id, last_names, first_names, birth_date, nir, address, postcode, city,
                   phones, emails, scope)


def _derived_id(last_names: tuple[str, ...], first_names: tuple[str, ...],
                birth_date: dt.date | None, nir: str | None, others: tuple[str | None, ...]) -> str:
    """A patient's identifier when the export has none: a hash of who they are (the NIR,
    else their names and birth date, else the whole row), so that rows of one patient agree
    whatever else they hold. Never a counter; never written out (it keys a date shift)."""
    if nir is not None:
        identity = ["nir", nir[:13]]
    elif last_names or first_names or birth_date is not None:
        identity = ["names", *sorted(map(fold, last_names)), "|", *sorted(map(fold, first_names)),
                    birth_date.isoformat() if birth_date else ""]
    else:
        identity = ["row", *(fold(v) for v in others if v)]
    return "~" + hashlib.sha256("\x1f".join(identity).encode("utf-8")).hexdigest()[:24]


def _parse_birth_date(value: str) -> dt.date | None:
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _FR_DATE.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _path_parts(value: str) -> tuple[tuple[str, ...], bool]:
    value = unicodedata.normalize("NFC", value.strip()).replace("\\", "/")
    absolute = value.startswith("/") or bool(regex.match(r"[A-Za-z]:/", value))
    return tuple(p for p in value.split("/") if p not in ("", ".")), absolute


# -- word lists ---------------------------------------------------------------------------


@cache
def _common_words() -> frozenset[str] | None:
    """Folded French words (nouns, adjectives, verbs, adverbs) of the spaCy model's
    lemmatizer: a surname that is one ("Petit", "Blanc") is matched only when written with
    a capital. None when the model is not there: then every name needs its capital."""
    try:
        import srsly

        from deident.nlp import DEFAULT_MODEL

        spec = importlib.util.find_spec(DEFAULT_MODEL)
        if spec is None or not spec.submodule_search_locations:
            return None
        package = Path(next(iter(spec.submodule_search_locations)))
        lookups = next(package.glob("*/lemmatizer/lookups/lookups.bin"), None)
        if lookups is None:
            return None
        tables = srsly.msgpack_loads(lookups.read_bytes())
        index = tables["lemma_index"]
        return frozenset(fold(word) for words in index.values() for word in words)
    except (ImportError, OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


@cache
def _street_spellings() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Every spelling of a street type (folded tokens) -> all spellings of that type."""
    path = models_dir() / "lexicons" / "street_types.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    table: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        full, _, abbreviations = line.partition("\t")
        spellings = [full.strip()] + [a.strip() for a in abbreviations.split("|") if a.strip()]
        forms = tuple(dict.fromkeys(t for s in spellings if (t := _value_tokens(s, punct=True))))
        for form in forms:
            table.setdefault(form, forms)
    return table


def _value_tokens(value: str, punct: bool = False) -> tuple[str, ...]:
    return tuple(fold(m.group()) for m in _TOKEN.finditer(value)
                 if punct or m.group() not in ".,")


def _name_parts(value: str) -> list[list[str]]:
    """A name's parts (split on blanks and hyphens), each a list of folded word tokens
    ("O'Brien" is one part of two tokens)."""
    parts = []
    for chunk in _NAME_SPLIT.split(value):
        tokens = [fold(word) for word in _WORD.findall(chunk)]
        if tokens:
            parts.append(tokens)
    return parts


# -- the matchers -------------------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.trie: dict = {}
        self.variants = 0
        self.common = _common_words()

    def name_mask(self, tokens: tuple[str, ...]) -> tuple[int, ...]:
        """Tokens of a name form that must start with a capital in the text: French words
        ("Petit", "Blanc"), a short name standing alone ("Ly"), a trailing initial
        ("Fournier-L."); never particles, nor the end of "Guivarc'h"."""
        words = [i for i, t in enumerate(tokens) if t not in _PARTICLES and t not in ".,"]
        mask = {i for i in words if len(tokens[i]) > 1 and (
            self.common is None or tokens[i] in self.common)}
        if len(words) == 1 and len(tokens[words[0]]) <= 3:
            mask.add(words[0])
        # A compound with a word that already matches alone in lowercase ("lambert") is that
        # name in any case: "fournier-lambert" goes whole, not its second half only.
        if len(words) > 1 and any(i not in mask and len(tokens[i]) > 3 for i in words):
            mask = set()
        if len(tokens) > 1 and tokens[-1] == ".":
            mask.add(len(tokens) - 2)
        return tuple(sorted(mask))

    def add(self, tokens: Iterable[str], kind: str, type_: str, index: int,
            mask: tuple[int, ...] | None = None) -> None:
        tokens = tuple(tokens)
        if not tokens:
            return
        if mask is None:
            mask = self.name_mask(tokens)
        node = self.trie
        for token in tokens:
            node = node.setdefault(token, {})
        ends = node.setdefault("", {})
        patients = ends.setdefault((kind, type_, mask), set())
        if not patients:
            self.variants += 1
        patients.add(index)

    # names ---------------------------------------------------------------------------
    def add_names(self, record: _Record, index: int) -> None:
        last_forms: list[tuple[str, ...]] = []
        for name in record.last_names:
            last_forms.extend(self._last_forms(name))
        lasts = [tuple(t for part in _name_parts(n) for t in part) for n in record.last_names]
        for first, second in permutations([t for t in lasts if t], 2):  # "Lambert-Fournier"
            last_forms.append(first + second)
        for form in dict.fromkeys(last_forms):
            if sum(len(t) for t in form if t != ".") >= 2:  # never one letter alone
                self.add(form, _LAST, PERSON, index)
        for tokens in dict.fromkeys(lasts):
            core = [t for t in tokens if t not in _PARTICLES] or list(tokens)
            self.add((core[0][0], "."), _LAST_INITIAL, PERSON, index, mask=(0,))

        firsts = [tuple(t for part in _name_parts(n) for t in part) for n in record.first_names]
        firsts = [f for f in firsts if f]
        first_forms = list(firsts)
        if len(firsts) > 1:
            first_forms.append(tuple(t for f in firsts for t in f))
        for form in dict.fromkeys(first_forms):
            self.add(form, _FIRST, PERSON, index)
        for first in dict.fromkeys(firsts):
            a = first[0][0]
            self.add((a, "."), _INITIAL, PERSON, index, mask=(0,))
            if len(first) > 1:
                b = first[1][0]
                self.add((a, ".", b, "."), _INITIAL, PERSON, index, mask=(0, 2))  # J.-P.
                self.add((a, b, "."), _INITIAL, PERSON, index, mask=(0, 1))  # J-P.
                self.add((a, b), _INITIAL, PERSON, index, mask=(0, 1))  # J-P
                self.add((a + b, "."), _INITIAL, PERSON, index, mask=(0,))  # JP.

    @staticmethod
    def _last_forms(name: str) -> list[tuple[str, ...]]:
        parts = _name_parts(name)
        tokens = [t for part in parts for t in part]
        if not tokens:
            return []
        forms = [tuple(tokens)]
        lead = 0
        while lead < len(tokens) - 1 and tokens[lead] in _PARTICLES:
            lead += 1
        if lead:
            if tokens[lead - 1] not in _ARTICLES:  # "de Villepin" -> "Villepin"; "Le Goff" stays
                forms.append(tuple(tokens[lead:]))
            if tokens[0] in _PREPOSITIONS and lead >= 2 and tokens[1] in _ARTICLES:
                forms.append(tuple(tokens[1:]))  # "de la Fontaine" -> "La Fontaine"
        # Parts of a compound core, alone or with the next one's initial ("Fournier-L.").
        core_parts: list[list[str]] = []
        skipped = 0
        for part in parts:
            if skipped + len(part) <= lead:
                skipped += len(part)
                continue
            core_parts.append(part[max(0, lead - skipped):])
            skipped += len(part)
        if len(core_parts) > 1:
            forms += [tuple(part) for part in core_parts  # "Fournier", "Lambert"; not "Saint"
                      if part[-1] not in _NOT_ALONE and len("".join(part)) >= 2]
            forms.append((*core_parts[0], core_parts[1][0][0], "."))
        return forms

    # places, identifiers -----------------------------------------------------------------
    def add_address(self, address: str, index: int) -> None:
        pieces = [address] + [p for p in address.split(",") if p.strip()]
        for piece in dict.fromkeys(pieces):
            base = tuple(t for t in _value_tokens(piece, punct=True) if t != ",")
            if len(base) < 2 and piece != address:
                continue
            mask = (0,) if len(base) == 1 else ()
            for form in self._street_variants(base):
                self.add(form, _OTHER, ADDRESS, index, mask=mask)
                if form and form[0].isdigit() and len(form) > 1:
                    cut = 2 if form[1] in ("bis", "ter", "quater", "quinquies", "b", "t") else 1
                    self.add((*form[:cut], ",", *form[cut:]), _OTHER, ADDRESS, index, mask=mask)

    @staticmethod
    def _street_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
        spellings = _street_spellings()
        for start in range(len(tokens)):
            for length in (3, 2, 1):
                forms = spellings.get(tokens[start:start + length])
                if forms:
                    return [tokens[:start] + f + tokens[start + length:] for f in forms]
        return [tokens]

    def add_city(self, city: str, postcode: str | None, index: int) -> None:
        forms = _saint_variants(_value_tokens(city))
        if postcode is not None:
            codes = [_value_tokens(postcode)]
            compact = postcode.replace(" ", "")
            if len(compact) == 5 and compact.isdigit():
                codes += [(compact,), (compact[:2], compact[2:])]
            for code in dict.fromkeys(codes):
                for form in forms:
                    self.add(code + form, _OTHER, ZIP_CITY, index, mask=())
                    self.add(form + code, _OTHER, ZIP_CITY, index, mask=())
        if sum(1 for c in city if c.isalpha()) >= MIN_CITY_LETTERS:
            for form in forms:
                self.add(form, _OTHER, CITY, index, mask=(0,))

    def add_identifier(self, patient_id: str, index: int) -> None:
        tokens = _value_tokens(patient_id)
        if sum(1 for c in patient_id if c.isalnum()) >= MIN_ID_CHARS:
            self.add(tokens, _OTHER, HOSPITAL_ID, index, mask=())


def _saint_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    forms = [()]
    short = {"saint": ("st",), "sainte": ("ste",), "st": ("saint",), "ste": ("sainte",)}
    for token in tokens:
        options = [(token,)]
        if token in short:
            alt = short[token]
            options += [alt, (*alt, ".")]
        forms = [f + o for f in forms for o in options][:16]
    return [f for f in forms if f]


def _phone_key(plus: bool, digits: str) -> str:
    """"+33 6 12 34 56 78", "0033 (0)6…" and "06 12 34 56 78" share one key."""
    if plus:
        if digits.startswith("33"):
            rest = digits[2:]
            if len(rest) == 10 and rest.startswith("0"):
                rest = rest[1:]
            return "0" + rest
        return "+" + digits
    return digits


def _phone_value_key(value: str) -> str:
    value = value.strip()
    digits = digits_only(value.replace("(0)", ""))
    if value.startswith("00"):
        digits = digits[2:]
    return _phone_key(value.startswith(("+", "00")), digits)


def _nir_keys(nir: str) -> tuple[str, frozenset[str]]:
    body = nir[:13]
    keys = {stdnum_nir.calc_check_digits(body)}
    if len(nir) == 15:
        keys.add(nir[13:])
    return body, frozenset(keys)


# -- scopes -------------------------------------------------------------------------------


def _scope_rank(scope: tuple[str, tuple[str, ...], bool], document: tuple[tuple[str, ...], bool]
                ) -> int:
    """How specifically a scope holds the document: 0 when it does not."""
    kind, parts, absolute = scope
    doc, doc_absolute = document
    if not doc:
        return 0
    if kind == "file":
        if doc == parts or (len(parts) == 1 and doc[-1] == parts[0]):
            return 10_000
        if doc_absolute and not absolute and doc[-len(parts):] == parts:
            return 10_000
        return 0
    if doc[:len(parts)] == parts:
        return 1 + len(parts)
    if doc_absolute and not absolute:
        for start in range(1, len(doc) - len(parts) + 1):
            if doc[start:start + len(parts)] == parts:
                return 1 + len(parts)
    return 0


# -- the public object --------------------------------------------------------------------


class KnownIdentities:
    """The matchers of a known-identities export (see the module's docstring)."""

    def __init__(self, records: list[_Record]) -> None:
        builder = _Builder()
        self._ids = [r.patient_id for r in records]
        self._scopes = [(i, r.scope) for i, r in enumerate(records) if r.scope is not None]
        self._global = frozenset(i for i, r in enumerate(records) if r.scope is None)
        self._all_global = len(self._global) == len(records)
        phones: dict[str, set[int]] = defaultdict(set)
        nirs: dict[str, tuple[set[int], set[str]]] = {}
        compact_dates: dict[str, set[int]] = defaultdict(set)
        numeric_ids: dict[str, set[int]] = defaultdict(set)
        births: dict[tuple[int, int, int, int], set[int]] = defaultdict(set)
        emails: dict[str, set[int]] = defaultdict(set)
        for index, record in enumerate(records):
            builder.add_names(record, index)
            if record.searched_id:
                builder.add_identifier(record.patient_id, index)
            if record.address:
                builder.add_address(record.address, index)
            if record.city:
                builder.add_city(record.city, record.postcode, index)
            for phone in record.phones:
                phones[_phone_value_key(phone)].add(index)
            if record.nir:
                body, keys = _nir_keys(record.nir)
                patients, known_keys = nirs.setdefault(body, (set(), set()))
                patients.add(index)
                known_keys.update(keys)
            if (born := record.birth_date) is not None:
                births[(4, born.year, born.month, born.day)].add(index)
                births[(2, born.year % 100, born.month, born.day)].add(index)
                for form in (f"{born:%d%m%Y}", f"{born:%Y%m%d}", f"{born:%d%m%y}"):
                    compact_dates[form].add(index)
            for email in record.emails:
                emails[email.casefold()].add(index)
            compact_id = _ID_SEPARATORS.sub("", record.patient_id) if record.searched_id else ""
            if compact_id.isdigit() and len(compact_id) >= MIN_ID_CHARS:
                numeric_ids[compact_id].add(index)
        self._trie = builder.trie  # patients: sets, read only from here on
        self._phones = {k: frozenset(v) for k, v in phones.items()}
        self._nirs = {k: (frozenset(p), frozenset(keys)) for k, (p, keys) in nirs.items()}
        self._compact_dates = {k: frozenset(v) for k, v in compact_dates.items()}
        self._numeric_ids = {k: frozenset(v) for k, v in numeric_ids.items()}
        self._births = {k: frozenset(v) for k, v in births.items()}
        self._emails = {k: frozenset(v) for k, v in emails.items()}
        # Lengths (characters without separators) a digit run must have to be looked up.
        lengths = {len(k) for k in (*self._compact_dates, *self._numeric_ids)}
        for key in self._phones:
            digits = len(key) - 1  # "+41…" is written with 41, "0…" also as "33…" or "330…"
            lengths.update((digits,) if key.startswith("+") else (digits + 1, digits + 2, digits + 3))
        if self._nirs:
            lengths.update((13, 15))
        self._run_lengths = frozenset(lengths)
        self.patient_count = len(set(self._ids))
        self.variant_count = builder.variants + sum(map(len, (
            self._phones, self._nirs, self._compact_dates, self._numeric_ids, self._births,
            self._emails)))

    def __repr__(self) -> str:
        return f"KnownIdentities(patients={self.patient_count}, variants={self.variant_count})"

    # -- scopes -----------------------------------------------------------------------------
    def _in_scope(self, document: str | None) -> frozenset[int] | None:
        """Indices of the records that apply to `document`; None when all of them do."""
        if self._all_global:
            return None
        if document is None:
            return self._global
        where = _path_parts(document)
        return self._global | {i for i, scope in self._scopes if _scope_rank(scope, where)}

    def patient_for(self, document: str | None) -> str | None:
        """The patient_id whose `file` or `folder` scope holds `document` (the most specific
        one: a file before a folder, a deeper folder first), or None."""
        if document is None or not self._scopes:
            return None
        where = _path_parts(document)
        best, best_rank = None, 0
        for index, scope in self._scopes:
            rank = _scope_rank(scope, where)
            if rank > best_rank:
                best, best_rank = self._ids[index], rank
        return best

    def values(self, document: str | None = None) -> list[tuple[str, str]]:
        """(type, value) of every known value in scope for `document` (names as their folded
        words), for the verifier (deident.verify): each list is built once per scope."""
        allowed = self._in_scope(document)
        cache = self.__dict__.setdefault("_values", {})
        if allowed not in cache:
            found: list[tuple[str, str]] = []

            def walk(node: dict, path: tuple[str, ...]) -> None:
                for token, child in node.items():
                    if token:
                        walk(child, (*path, token))
                        continue
                    if any(_allowed(patients, allowed) for patients in child.values()):
                        found.extend((type_, " ".join(path)) for _, type_, _ in child)

            walk(self._trie, ())
            for type_, table in ((PHONE, self._phones), (EMAIL, self._emails)):
                found += [(type_, v) for v, patients in table.items() if _allowed(patients, allowed)]
            found += [(FR_NIR, v) for v, (patients, _) in self._nirs.items()
                      if _allowed(patients, allowed)]
            cache[allowed] = list(dict.fromkeys(found))
        return cache[allowed]

    # -- search -----------------------------------------------------------------------------
    def find(self, text: str, document: str | None = None) -> list[Entity]:
        """Every occurrence in `text` of the known values of the patients in scope for
        `document`: sorted, non-overlapping (the longest wins), score 1.0, hint "known"."""
        allowed = self._in_scope(document)
        if allowed is not None and not allowed:
            return []
        candidates: list[tuple[int, int, str]] = []
        candidates += self._find_words(text, allowed)
        candidates += self._find_runs(text, allowed)
        if self._births:
            candidates += self._find_dates(text, allowed)
        if "@" in text:
            candidates += self._find_emails(text, allowed, candidates)
        return [Entity(s, e, t, 1.0, HINT) for s, e, t in _resolve(candidates)]

    def _find_emails(self, text: str, allowed: frozenset[int] | None,
                     found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Known addresses, and any address that holds a known name ("jp.vasseur@…"):
        the whole address then goes, not its name alone."""
        emails = []
        names = sorted((s, e) for s, e, t in found if t == PERSON)
        for match in _EMAIL.finditer(text):
            start, end = match.span()
            k = bisect_left(names, (start, start))
            holds_name = k < len(names) and names[k][1] <= end
            if holds_name or _allowed(self._emails.get(match.group().casefold()), allowed):
                emails.append((start, end, EMAIL))
        return emails

    def _find_words(self, text: str, allowed: frozenset[int] | None) -> list[tuple[int, int, str]]:
        folded = fold_same_length(text)
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(folded)]
        keys = [folded[s:e] if folded[s:e].isascii() else fold(folded[s:e]) for s, e in tokens]
        n = len(tokens)

        def joinable(k: int) -> bool:  # may token k follow token k - 1 in one name?
            return 0 < k < n and _GAP.fullmatch(text, tokens[k - 1][1], tokens[k][0]) is not None

        starts: dict[tuple[str, int], list[tuple[int, frozenset[int]]]] = defaultdict(list)
        ends: dict[tuple[str, int], list[tuple[int, frozenset[int]]]] = defaultdict(list)
        # First names written without their capitals ("claire"): only beside a last name
        # itself written all in lowercase ("claire fournier-lambert").
        loose: dict[tuple[str, int], list[tuple[int, frozenset[int]]]] = defaultdict(list)
        found: list[tuple[int, int, str]] = []
        trie = self._trie
        for i in range(n):
            node = trie.get(keys[i])
            j = i
            while node is not None:
                j += 1
                for (kind, type_, mask), patients in node.get("", {}).items():
                    capitals = all(text[tokens[i + k][0]].isupper() for k in mask)
                    if not capitals and kind != _FIRST:
                        continue
                    patients = patients if allowed is None else patients & allowed
                    if not patients:
                        continue
                    if not capitals:
                        loose[_FIRST, i].append((j, patients))
                        loose[_FIRST + "_end", j].append((i, patients))
                    elif kind == _OTHER:
                        found.append((i, j, type_))
                    else:
                        starts[kind, i].append((j, patients))
                        ends[kind, j].append((i, patients))
                if j >= n or not joinable(j):
                    break
                node = node.get(keys[j])

        for (kind, i), items in list(starts.items()):
            for j, patients in items:
                if kind == _LAST:
                    found.append((i, j, PERSON))
                    found += _combine(i, j, patients, starts, ends, keys, joinable)
                    if loose and not any(c.isupper() for c in text[tokens[i][0]:tokens[j - 1][1]]):
                        found += _combine_loose(i, j, patients, loose, joinable)
                elif kind == _FIRST and joinable(j):  # "Jean M."
                    found += [(i, j2, PERSON) for j2, others in starts.get((_LAST_INITIAL, j), ())
                              if patients & others]
        return [(tokens[i][0], tokens[j - 1][1], type_) for i, j, type_ in found]

    def _find_runs(self, text: str, allowed: frozenset[int] | None) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        lengths = self._run_lengths
        if not lengths:
            return found
        shortest, longest = min(lengths), max(lengths)
        for run in _RUN.finditer(text):
            if run.end() - run.start() < shortest:
                continue
            plus = run.group("plus") is not None
            groups = [(g.start(), g.end(), g.group().upper())
                      for g in _GROUP.finditer(text, run.end("plus") if plus else run.start(),
                                               run.end()) if g.group() != "(0)"]
            count = len(groups)
            for first in range(count):
                chars = ""
                for last in range(first, count):
                    chars += groups[last][2]
                    if len(chars) > longest:
                        break
                    if len(chars) not in lengths:
                        continue
                    start = run.start() if (first == 0 and plus) else groups[first][0]
                    whole = first == 0 and last == count - 1
                    for type_ in self._run_types(chars, plus and first == 0, first == last, whole,
                                                 allowed):
                        found.append((start, groups[last][1], type_))
        return found

    def _run_types(self, chars: str, plus: bool, single: bool, whole: bool,
                   allowed: frozenset[int] | None) -> Iterator[str]:
        if chars.isdigit():
            if _allowed(self._phones.get(_phone_key(plus, chars)), allowed):
                yield PHONE
            if single and _allowed(self._compact_dates.get(chars), allowed):
                yield DATE
            if (single or whole) and _allowed(self._numeric_ids.get(chars), allowed):
                yield HOSPITAL_ID
        if len(chars) in (13, 15) and not plus:
            patients, keys = self._nirs.get(chars[:13], (None, frozenset()))
            if _allowed(patients, allowed) and (len(chars) == 13 or chars[13:] in keys or single):
                yield FR_NIR

    def _find_dates(self, text: str, allowed: frozenset[int] | None) -> list[tuple[int, int, str]]:
        found = []
        for match in _DATE.finditer(text):
            day_text, month_text, year_text = (match.group(g) for g in ("d", "m", "y"))
            if not (day_text and month_text and year_text):
                continue
            day_text, year_text = day_text.replace(" ", ""), year_text.replace(" ", "")
            day = 1 if day_text.lower() == "1er" else int(day_text)
            year_key = (len(year_text) if len(year_text) in (2, 4) else 0, int(year_text))
            if any(_allowed(self._births.get((*year_key, month, day)), allowed)
                   for month in _months(month_text)):
                found.append((match.start(), match.end(), DATE))
        return found


def _combine(i: int, j: int, patients: frozenset[int], starts: dict, ends: dict,
             keys: list[str], joinable) -> list[tuple[int, int, str]]:
    """A last name [i, j) with a first name or initials of the same patient beside it."""
    found = []
    if joinable(i):
        for kind in (_FIRST, _INITIAL):
            for i2, others in ends.get((kind, i), ()):
                if patients & others and not (kind == _INITIAL and keys[i2:i] == ["m", "."]):
                    found.append((i2, j, PERSON))  # "Jean Martin", "J. Martin" (not "M.": Monsieur)
    follow = [j] if joinable(j) else []
    if j < len(keys) and keys[j] == "," and joinable(j + 1):
        follow.append(j + 1)  # "MARTIN, Jean"
    for k in follow:
        for kind in (_FIRST, _INITIAL):
            found += [(i, j2, PERSON) for j2, others in starts.get((kind, k), ()) if patients & others]
    return found


def _combine_loose(i: int, j: int, patients: frozenset[int], loose: dict, joinable
                   ) -> list[tuple[int, int, str]]:
    """A lowercase last name [i, j) with a lowercase first name of the same patient beside it."""
    found = []
    if joinable(i):
        found += [(i2, j, PERSON) for i2, others in loose.get((_FIRST + "_end", i), ())
                  if patients & others]
    if joinable(j):
        found += [(i, j2, PERSON) for j2, others in loose.get((_FIRST, j), ())
                  if patients & others]
    return found


def _months(token: str) -> set[int]:
    key = strip_accents(token.rstrip(".").strip()).lower()
    if key.isdigit():
        return {int(key)}
    if key in _MONTH_NUMBERS:
        return {_MONTH_NUMBERS[key]}
    if len(key) >= 3:
        return {n for n, name in enumerate(_FOLDED_MONTHS, start=1) if name.startswith(key)}
    return set()


def _allowed(patients: frozenset[int] | None, allowed: frozenset[int] | None) -> bool:
    if not patients:
        return False
    return allowed is None or not patients.isdisjoint(allowed)


def _resolve(candidates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, the longest first (then the earliest, then by type)."""
    ordered = sorted(set(candidates), key=lambda c: (c[0] - c[1], c[0], _PRIORITY.get(c[2], 99)))
    starts: list[int] = []
    kept: list[tuple[int, int, str]] = []  # sorted by start
    for start, end, type_ in ordered:
        k = bisect_left(starts, start)
        if k > 0 and kept[k - 1][1] > start:
            continue
        if k < len(kept) and kept[k][0] < end:
            continue
        starts.insert(k, start)
        kept.insert(k, (start, end, type_))
    return kept

