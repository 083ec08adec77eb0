"""Keyed, consistent, realistic surrogates.

Every surrogate is drawn from HMAC-SHA256(key, entity type | normalized value):
the same value gets the same surrogate in every file, run and worker, with no
shared state, and nothing links it back without the key. Name, street and city
pools come from Faker's French-speaking locales, indexed by the digest.

Within one document (a `DocumentSession`) a surrogate never equals an original
value of that document and two originals never share a surrogate; a clash is
resolved by re-deriving with a counter, which is deterministic as well.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import regex
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

from deident.dates import shift_date_text
from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FINESS,
    FR_NIR,
    IBAN,
    PERSON,
    PHONE,
    RPPS,
    URL,
    ZIP_CITY,
)
from deident.lexicons import Lexicons, load_lexicons, trie_regex
from deident.normalize import fold, strip_accents

FAKER_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC")
MAX_ATTEMPTS = 50
# Shorter values are not looked for in outputs (too many innocent matches: "Ba", "Le").
MIN_LEAK_CHARS = 4
DATE_SCOPES = ("document", "folder", "project")
_WORD = regex.compile(r"[\w][\w'’\-]*")
# Compiled once: the regex module's pattern cache costs ~0.4 ms a look-up, and these run
# for every value of a 100,000-row table.
_NAME_WORD = regex.compile(r"[\w][\w'’\-]*\.?")
_NOT_SLUG = regex.compile(r"[^a-z0-9]+")
_DIGITS = regex.compile(r"\d+")
_PARTICLES = frozenset({"de", "du", "des", "le", "la", "d'", "da", "di", "do", "dos", "das",
                        "del", "della", "van", "von", "der", "den", "ben", "el", "al", "saint",
                        "sainte", "st", "ste", "sur", "sous", "les", "lès", "en", "aux"})


@dataclass(frozen=True)
class SurrogatePools:
    surnames: tuple[str, ...]
    male_first_names: tuple[str, ...]
    female_first_names: tuple[str, ...]
    email_domains: tuple[str, ...]


@cache
def load_pools() -> SurrogatePools:
    surnames: set[str] = set()
    male: set[str] = set()
    female: set[str] = set()
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        surnames.update(_names(provider.last_names))
        male.update(_names(getattr(provider, "first_names_male", ())))
        female.update(_names(getattr(provider, "first_names_female", ())))
    domains = importlib.import_module("faker.providers.internet.fr_FR").Provider.free_email_domains
    # Surnames of one word (a space would change the text's shape); first names may be
    # hyphenated like the originals ("Marie-Claire").
    return SurrogatePools(
        surnames=tuple(sorted(n for n in surnames if n.isalpha())),
        male_first_names=tuple(sorted(n for n in male if n.replace("-", "").isalpha())),
        female_first_names=tuple(sorted(n for n in female if n.replace("-", "").isalpha())),
        email_domains=tuple(sorted(domains)),
    )


def _names(values: object) -> list[str]:
    return [str(v) for v in (values.keys() if isinstance(values, dict) else values)]


class _Draw:
    """A deterministic stream of choices from one digest."""

    def __init__(self, digest: bytes) -> None:
        self._value = int.from_bytes(digest, "big")

    def below(self, n: int) -> int:
        self._value, r = divmod(self._value, n)
        return r

    def choice(self, options: tuple[str, ...] | str) -> str:
        return options[self.below(len(options))]

    def digits(self, count: int) -> str:
        return "".join(str(self.below(10)) for _ in range(count))


def same_case(model: str, word: str) -> str:
    letters = [c for c in model if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return word.upper()
    if letters and all(c.islower() for c in letters):
        return word.lower()
    return word


def _fill_shape(original: str, replacement_chars: str) -> str:
    """Write `replacement_chars` into the alphanumeric positions of `original`."""
    out, chars = [], iter(replacement_chars)
    for ch in original:
        out.append(next(chars, ch) if ch.isalnum() else ch)
    return "".join(out)


def _same_shape_chars(original: str, draw: _Draw) -> str:
    chars = []
    for ch in original:
        if ch.isdigit():
            chars.append(str(draw.below(10)))
        elif ch.isalpha():
            letter = draw.choice(string.ascii_uppercase)
            chars.append(letter if ch.isupper() else letter.lower())
    return "".join(chars)


class Pseudonymizer:
    """Derives surrogates from the project key. Build once; share across documents."""

    def __init__(
        self,
        key: bytes,
        *,
        date_scope: str = "document",
        max_date_shift_days: int = 365,
        lexicons: Lexicons | None = None,
    ) -> None:
        if date_scope not in DATE_SCOPES:
            raise ValueError(f"date_scope must be one of {', '.join(DATE_SCOPES)}")
        self._key = key
        self.date_scope = date_scope
        self.max_date_shift_days = max_date_shift_days
        self.lexicons = lexicons or load_lexicons()
        self.pools = load_pools()
        # Compiled once: street_address runs for every address of every document.
        street_types = trie_regex(t.rstrip(".") for t in self.lexicons.street_types)
        self._street_type = regex.compile(rf"(?i)(?<![\w])(?:{street_types})\.?(?![\w])")

    def __repr__(self) -> str:  # the key stays out of every repr
        return f"Pseudonymizer(date_scope={self.date_scope!r})"

    def digest(self, *parts: str) -> bytes:
        return hmac.new(self._key, "|".join(parts).encode("utf-8"), hashlib.sha256).digest()

    def date_offset(self, scope_id: str) -> int:
        """Days every date of the scope moves by: keyed, never 0, within ±max_date_shift_days."""
        draw = _Draw(self.digest("DATE_SHIFT", self.date_scope, scope_id))
        days = 1 + draw.below(self.max_date_shift_days)
        return days if draw.below(2) else -days

    def session(self, text: str, scope_id: str) -> DocumentSession:
        return DocumentSession(self, text, self.date_offset(scope_id))

    # -- one function per entity type: (original, draw) -> surrogate --------------------
    def first_name(self, original: str, draw: _Draw) -> str:
        gender = self.lexicons.first_names.get(fold(original), "X")
        if gender == "X":
            gender = "MF"[draw.below(2)]
        pool = self.pools.male_first_names if gender == "M" else self.pools.female_first_names
        return draw.choice(pool)

    def surname(self, original: str, draw: _Draw) -> str:
        return draw.choice(self.pools.surnames)

    def nir(self, original: str, draw: _Draw) -> str:
        compact = "".join(ch for ch in original if ch.isalnum())
        body = (
            (compact[:1] or "1")
            + draw.digits(2)
            + f"{1 + draw.below(12):02d}"
            + f"{1 + draw.below(95):02d}".replace("20", "21")
            + f"{1 + draw.below(989):03d}"
            + f"{1 + draw.below(999):03d}"
        )
        full = body + stdnum_nir.calc_check_digits(body)
        return _fill_shape(original, full[: len(compact)] if len(compact) < 15 else full)

    def phone(self, original: str, draw: _Draw) -> str:
        digits = [ch for ch in original if ch.isdigit()]
        # Keep the country code and the kind of line (01-05 geographic, 06/07 mobile…).
        keep = 3 if original.lstrip().startswith("+") else 2
        if original.lstrip().startswith("+") and "(0)" in original:
            keep += 1
        new = "".join(digits[:keep]) + draw.digits(max(0, len(digits) - keep))
        return _fill_digits(original, new)

    def email(self, original: str, draw: _Draw) -> str:
        first = _ascii_slug(self.first_name("", draw))
        last = _ascii_slug(self.surname("", draw))
        separator = draw.choice(".-_") if draw.below(4) else "."
        return f"{first}{separator}{last}@{draw.choice(self.pools.email_domains)}"

    def url(self, original: str, draw: _Draw) -> str:
        host = f"{_ascii_slug(self.surname('', draw))}-{_ascii_slug(self.first_name('', draw))}"
        prefix = "https://" if original.lower().startswith("https") else (
            "http://" if original.lower().startswith("http") else "")
        www = "www." if "www." in original.lower() else ""
        path = f"/{_ascii_slug(self.surname('', draw))}" if regex.search(r"\w/\S", original) else ""
        return f"{prefix}{www}{host}.fr{path}"

    def street_address(self, original: str, draw: _Draw) -> str:
        head = regex.match(r"(?i)(?:BP|B\.P\.|CS|TSA)(?![\w])", original)
        if head:  # "BP 45": same shape, fresh digits
            rest = original[head.end():]
            return head.group() + _fill_shape(rest, _same_shape_chars(rest, draw))
        match = self._street_type.search(original)
        if match is None:
            if _BUILDING.match(original):  # "Bâtiment C, escalier 2": new letters and numbers
                return _SHORT_CODE.sub(lambda m: _same_shape_chars(m.group(), draw), original)
            return same_case(original, self.surname("", draw))  # "lieu-dit Kerbiquet"
        if not original[match.end():].strip():  # "Le Bourg": the place itself is the address
            return self.city(original, draw)
        number = _DIGITS.sub(lambda m: str(1 + draw.below(120)), original[: match.start()])
        kind = draw.below(3)
        if kind == 0:
            name = self.surname("", draw)
        elif kind == 1:
            name = f"{self.first_name('', draw)} {self.surname('', draw)}"
        else:
            name = f"de {self.surname('', draw)}"
        tail = regex.search(r",?\s*(?i:appt|appartement|apt|app|bât|bat|bâtiment|batiment|esc|"
                            r"escalier|étage|etage|porte|studio|chambre|logement|lot)\b.*$",
                            original[match.end():])
        complement = ""
        if tail:
            complement = _fill_shape(tail.group(), _same_shape_chars(tail.group(), draw))
        name_part = original[match.end():len(original) - len(tail.group()) if tail else None]
        return number + match.group() + " " + same_case(name_part, name) + complement

    def city(self, original: str, draw: _Draw) -> str:
        shape = draw.below(6)
        surname = self.surname("", draw)
        if shape == 0:
            name = f"Saint-{self.first_name('', draw)}"
        elif shape == 1:
            name = f"{surname}-sur-{self.surname('', draw)}"
        else:
            name = surname
        return same_case(original, name)

    def zip_city(self, original: str, draw: _Draw) -> str:
        match = regex.match(r"(\d{2}|2[AB])( ?)(\d{3})([ \t]*,?[ \t]*)(.*?)"
                            r"((?:[ \t]+(?i:cedex)(?:[ \t]+\d{1,2})?)?(?:[ \t]+\d{1,2}"
                            r"(?:e|er|ème)?)?)$", original)
        if match is None:
            return _fill_shape(original, _same_shape_chars(original, draw))
        # The département stays (coarse geography researchers need); the rest is new.
        code = match.group(1) + match.group(2) + f"{draw.below(1000):03d}"
        suffix = _DIGITS.sub(lambda m: str(1 + draw.below(20)), match.group(6))
        city = self.city(match.group(5), draw) if match.group(5) else ""  # a bare "CP" cell
        return code + match.group(4) + city + suffix

    def same_shape(self, original: str, draw: _Draw) -> str:
        return _fill_shape(original, _same_shape_chars(original, draw))

    def luhn_number(self, original: str, draw: _Draw) -> str:
        digits = [ch for ch in original if ch.isdigit()]
        body = (digits[0] if digits else "1") + draw.digits(max(0, len(digits) - 2))
        return _fill_digits(original, body + luhn.calc_check_digit(body))

    def iban(self, original: str, draw: _Draw) -> str:
        compact = "".join(ch for ch in original if ch.isalnum()).upper()
        country = compact[:2]
        bban = "".join(str(draw.below(10)) if ch.isdigit() else draw.choice(string.ascii_uppercase)
                       for ch in compact[4:])
        check = stdnum_iban.calc_check_digits(country + "00" + bban)
        return _fill_shape(original, country + check + bban)


_BUILDING = regex.compile(r"(?i)bâtiment|batiment|bât|bat|escalier|esc|appartement|appt|tour")
_SHORT_CODE = regex.compile(r"(?<![\w])[A-Z0-9]{1,4}(?![\w])")


def _fill_digits(original: str, digits: str) -> str:
    out, it = [], iter(digits)
    for ch in original:
        out.append(next(it, ch) if ch.isdigit() else ch)
    return "".join(out)


def _ascii_slug(text: str) -> str:
    return _NOT_SLUG.sub("", strip_accents(text).lower()) or "contact"


@dataclass
class DocumentSession:
    """Surrogates for one document: consistent inside it, never an original value of it."""

    pseudonymizer: Pseudonymizer
    text: str
    date_offset: int
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)
    _originals: set[str] = field(default_factory=set)
    _owner: dict[str, str] = field(default_factory=dict)  # folded surrogate -> folded original
    _roles: dict[str, str] = field(default_factory=dict)  # folded name word -> first|last
    _inside: frozenset[str] | None = None  # the originals a surrogate must not contain

    def register(self, entities: list) -> None:
        """Learn the document's original values and each name word's role before replacing."""
        lex = self.pseudonymizer.lexicons
        self._inside = None
        for entity in entities:
            value = self.text[entity.start:entity.end]
            self._originals.add(fold(value))
            if entity.type != PERSON:
                continue
            words = [w for w in _WORD.findall(value) if fold(w) not in _PARTICLES]
            for word in words:
                self._originals.add(fold(word))
            label = self.text[max(0, entity.start - 20):entity.start].lower()
            for index, word in enumerate(words):
                key = fold(word)
                if entity.hint in _ROLE_HINTS:  # a "Prénom" / "Nom" column says which
                    self._roles[key] = _ROLE_HINTS[entity.hint]
                    continue
                if key in self._roles or entity.hint == "propagated":
                    continue
                self._roles[key] = _role(word, index, words, label, lex)

    def surrogate(self, entity_type: str, original: str) -> str:
        cache_key = (entity_type, original)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._make(entity_type, original)
        return self._cache[cache_key]

    def _make(self, entity_type: str, original: str) -> str:
        p = self.pseudonymizer
        if entity_type == PERSON:
            return self._person(original)
        if entity_type == DATE:
            shifted = shift_date_text(original, self.date_offset)
            if shifted is not None:
                return shifted
            return self._unique(DATE, original, p.same_shape)
        generators: dict[str, Callable[[str, _Draw], str]] = {
            FR_NIR: p.nir, PHONE: p.phone, EMAIL: p.email, URL: p.url,
            ADDRESS: p.street_address, ZIP_CITY: p.zip_city, CITY: p.city,
            RPPS: p.luhn_number, FINESS: p.luhn_number, IBAN: p.iban,
        }
        return self._unique(entity_type, original, generators.get(entity_type, p.same_shape))

    def _person(self, original: str) -> str:
        """Word by word, so "DUPONT" alone and "Jean DUPONT" share the surname surrogate."""
        p = self.pseudonymizer

        def replace_word(match: regex.Match) -> str:
            word = match.group()
            key = fold(word)
            if key in _PARTICLES:
                return word
            if len(word.rstrip(".")) == 1:  # an initial: J. -> M.
                initial = self._unique("INITIAL", word.rstrip("."),
                                       lambda o, d: p.first_name("", d)[0])
                return initial + word[1:]
            role = self._roles.get(key, "last")
            generator = p.first_name if role == "first" else p.surname
            parts = word.split("-")  # Fournier-Lambert -> two surnames, each consistent
            new_parts = [self._unique(f"PERSON_{role}", part, generator) for part in parts]
            return "-".join(same_case(part, new) for part, new in
                            zip(parts, new_parts, strict=True))

        return _NAME_WORD.sub(replace_word, original)

    def _contains_original(self, folded: str) -> bool:
        """A surrogate must not carry an original value as one of its words: a city drawn as
        "Maillet-sur-Vasseur" in a document about a Mme Vasseur.

        Every stretch of the candidate between word boundaries is looked up in a set: a
        regex alternation of all originals costs minutes on a 100,000-row table."""
        if self._inside is None:
            self._inside = frozenset(v.strip() for v in self._originals
                                     if len(v.strip()) >= MIN_LEAK_CHARS)
        if not self._inside:
            return False
        starts = [i for i in range(len(folded)) if not folded[i].isspace()
                  and (i == 0 or not _is_word_char(folded[i - 1]))]
        ends = [j for j in range(1, len(folded) + 1) if not folded[j - 1].isspace()
                and (j == len(folded) or not _is_word_char(folded[j]))]
        return any(folded[i:j] in self._inside for i in starts for j in ends
                   if j - i >= MIN_LEAK_CHARS)

    def _unique(self, entity_type: str, original: str, generator: Callable[[str, _Draw], str]) -> str:
        key = fold(original)
        cache_key = (entity_type, key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        for attempt in range(MAX_ATTEMPTS):
            parts = (entity_type, key) if attempt == 0 else (entity_type, key, str(attempt))
            candidate = generator(original, _Draw(self.pseudonymizer.digest(*parts)))
            folded = fold(candidate)
            if folded in self._originals or self._owner.get(folded, key) != key \
                    or self._contains_original(folded):
                continue
            break
        self._owner[folded] = key
        self._cache[cache_key] = candidate
        return candidate


_ROLE_HINTS = {"first_name": "first", "last_name": "last"}


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def _role(word: str, index: int, words: list[str], label: str, lex: Lexicons) -> str:
    if regex.search(r"pr[ée]noms?\s*:?\s*$", label):
        return "first"
    if regex.search(r"\bnoms?\b[^:]*:\s*$", label) or len(word.rstrip(".")) == 1:
        return "last"
    if fold(word) not in lex.first_names and not all(
        fold(part) in lex.first_names for part in word.split("-")
    ):
        return "last"
    has_upper = any(w.isupper() and len(w) > 1 for w in words)
    if has_upper:
        return "last" if word.isupper() and not all(w.isupper() for w in words) else (
            "first" if not word.isupper() or index == 0 else "last")
    if len(words) == 1:
        return "first" if not regex.search(r"(?i)\b(m|mr|mme|mlle|dr|pr|madame|monsieur|"
                                           r"docteur|professeur)\.?\s*$", label) else "last"
    return "first" if index < len(words) - 1 else "last"
