"""Keyed, consistent, realistic surrogates.

Every surrogate is drawn from HMAC-SHA256(key, entity type | normalized value):
the same value gets the same surrogate in every file, run and worker, with no
shared state, and nothing links it back without the key. Name pools come from Faker's
French-speaking locales; cities are real French communes with their own postcode, streets
and establishments follow real naming patterns (`deident.places`), all indexed by the digest.

Within one document (a `DocumentSession`) a surrogate never equals an original
value of that document and two originals never share a surrogate; a clash is
resolved by re-deriving with a counter, which is deterministic as well.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib
import importlib.metadata
import string
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, field
from functools import cache

import regex
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

from deident import __version__
from deident.cache import cached, stamp
from deident.dates import shift_date_text
from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    FINESS,
    FR_NIR,
    HOSPITAL,
    HOSPITAL_ID,
    IBAN,
    PAYMENT_CARD,
    PERSON,
    PHONE,
    RPPS,
    URL,
    VEHICLE_PLATE,
    ZIP_CITY,
)
from deident.lexicons import Lexicons, load_lexicons, trie_regex
from deident.normalize import alnum_only, fold, strip_accents
from deident.places import Commune, Places, load_places, place_key, postcode_area

FAKER_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC")
MAX_ATTEMPTS = 50
SHORTER_DRAWS = 20  # keyed candidates among which a surrogate too wide for its place is redrawn
# Shorter values are not looked for in outputs (too many innocent matches: "Ba", "Le").
MIN_LEAK_CHARS = 4
DATE_SCOPES = ("document", "folder", "project")
_WORD = regex.compile(r"[\w][\w'’\-]*")
_LETTERS = regex.compile(r"[^\W\d_]+")
_PLACE_TYPES = frozenset({ADDRESS, CITY, ZIP_CITY, HOSPITAL})
# Words of places that name no place alone.
_PLACE_GENERIC = frozenset({"saint", "sainte", "sous", "cedex", "hopital", "hopitaux", "clinique",
                            "centre", "hospitalier", "hospitaliere", "universitaire", "regional",
                            "groupe", "residence", "ehpad", "maison", "polyclinique", "institut",
                            "fondation"})
# Compiled once: the regex module's pattern cache costs ~0.4 ms a look-up, and these run
# for every value of a 100,000-row table.
_NAME_WORD = regex.compile(r"[\w][\w'’\-]*\.?")
_NOT_SLUG = regex.compile(r"[^a-z0-9]+")
_DIGITS = regex.compile(r"\d+")
# "des Cèdres" -> "Cèdres": establishment names as they stand after "clinique des".
_ARTICLE = regex.compile(r"(?i)(?:les?|la)\s+|l['’]")
_BARE_PREFIX = regex.compile(r"(?i)^(?:des|du|de\s+la|de\s+l['’]|de|d['’])\s*")
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
    """Read from Faker once, then from the on-disk cache (deident.cache) while Faker's
    version and this module stay the same."""
    version = "|".join((__version__, "faker " + importlib.metadata.version("faker"),
                        stamp(__file__)))
    return SurrogatePools(*cached("surrogate-pools", version, lambda: astuple(_read_pools())))


def _read_pools() -> SurrogatePools:
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
        # The pools, the places and the street-type pattern load on first use: a scan
        # never draws a surrogate. `prepare()` loads them all now.

    def prepare(self) -> None:
        """Load what surrogates are drawn from (before forking workers that share it)."""
        for name in ("pools", "places", "_street_type", "_bare_establishments"):
            getattr(self, name)

    @functools.cached_property
    def pools(self) -> SurrogatePools:
        return load_pools()

    @functools.cached_property
    def places(self) -> Places:
        return load_places()

    @functools.cached_property
    def _street_type(self) -> regex.Pattern:
        """Compiled once: street_address runs for every address of every document."""
        street_types = trie_regex(t.rstrip(".") for t in self.lexicons.street_types)
        return regex.compile(rf"(?i)(?<![\w])(?:{street_types})\.?(?![\w])")

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
        name = draw.choice(self.places.street_names)  # "des Tilleuls", "Jean Moulin"
        tail = regex.search(r",?\s*(?i:appt|appartement|apt|app|bât|bat|bâtiment|batiment|esc|"
                            r"escalier|étage|etage|porte|studio|chambre|logement|lot)\b.*$",
                            original[match.end():])
        complement = ""
        if tail:  # ", appt 12" -> ", appt 47": the words stay, their numbers and letters change
            complement = _SHORT_CODE.sub(lambda m: _same_shape_chars(m.group(), draw),
                                         tail.group())
        name_part = original[match.end():len(original) - len(tail.group()) if tail else None]
        return number + match.group() + " " + same_case(name_part, name) + complement

    def commune(self, city: str, area: str | None, draw: _Draw, min_population: int = 0
                ) -> Commune:
        """A real commune other than `city`: of the postcode area `area` when given, else of
        `city`'s own when it is a known commune (coarse geography survives), else any."""
        if area is None:
            area = self.places.area_of(city)
        return self.places.choose(draw.below, area, city, min_population)

    def city(self, original: str, draw: _Draw) -> str:
        return same_case(original, self.commune(original, None, draw).name)

    def city_name(self, original: str, draw: _Draw) -> str:
        """The commune's name as written in the list; the session writes it in the
        original's case."""
        return self.commune(original, None, draw).name

    def zip_city(self, original: str, draw: _Draw,
                 city_surrogate: Callable[[str], str] | None = None) -> str:
        """"69003 Lyon" -> "69100 Villeurbanne": a real commune of the same département with
        its own postcode, in the original's layout ("Lyon 69003", "75013 PARIS CEDEX 13").
        `city_surrogate` gives the document's CITY surrogate of a city, to use when it is a
        commune of the same postcode area (then "Lyon" and "69003 Lyon" agree)."""
        match = _CODE_FIRST.match(original)
        if match is not None:
            head, code1, space, code2, gap, city, suffix = (
                "", match["d"], match["s"], match["n"], match["gap"], match["city"], match["x"])
        elif (match := _CITY_FIRST.match(original)) is not None:
            head, code1, space, code2, gap, city, suffix = (
                match["city"], match["d"], match["s"], match["n"], match["gap"], "",
                match["x"] + match["close"])
        else:
            return _fill_shape(original, _same_shape_chars(original, draw))
        city_text = city or head
        area = postcode_area(code1 + code2)
        commune = None
        if city_surrogate is not None and city_text.strip() \
                and self.places.area_of(city_text) == area:
            found = self.places.by_name.get(place_key(city_surrogate(city_text)), ())
            commune = next((c for c in found if postcode_area(c.postcode) == area), None)
        if commune is None:
            commune = self.commune(city_text, area, draw)
        new_code = commune.postcode[:2] + space + commune.postcode[2:]
        new_city = same_case(city_text, commune.name) if city_text.strip() else ""
        arrondissement = match["arr"] or ""
        suffix = suffix[:len(suffix) - len(arrondissement)] if arrondissement else suffix
        suffix = regex.sub(r"\d+", lambda m: f"{1 + draw.below(20):0{len(m.group())}d}", suffix)
        if arrondissement and commune.name in _ARRONDISSEMENTS:  # "Lyon 3e": only where they are
            number = 1 + draw.below(_ARRONDISSEMENTS[commune.name])
            written = regex.match(r"(\s+)\d+(\D*)", arrondissement)
            ending = written.group(2) and ("er" if number == 1 else (
                "ème" if written.group(2) == "ème" else "e"))
            suffix += written.group(1) + str(number) + ending
            postcode = f"{commune.postcode[:3]}{number:02d}"  # 69003 for Lyon 3e
            new_code = postcode[:2] + space + postcode[2:]
        if head:
            return new_city + gap + new_code + suffix
        return new_code + gap + new_city + suffix

    def hospital(self, original: str, draw: _Draw) -> str:
        """An establishment of the same kind: "CHU de Rouen" -> "CHU de Niort", "clinique des
        Cèdres" -> "clinique Saint-Roch", "hôpital Bichat" -> "hôpital Charlier"."""
        match = _HOSPITAL_KIND.match(original)
        if match is None:  # the name alone, as the recognizer gives it: "CHU de [Rouen]"
            return self._hospital_name(original, draw)
        kind, gap, rest = match["kind"], match["gap"], match["rest"]
        big = regex.match(r"(?i)chr?u|chr|ghu|centre\s+hospitalier\s+(?:universitaire|r)|"
                          r"hospices", kind) is not None
        centre = regex.match(r"(?i)ch|gh|centre|groupe|hospices", kind) is not None
        # "de Rouen", "d'Arles", "DE SAINT-NAZAIRE"; for a hospital centre "du Mans" too
        place = (_OF_PLACE_ARTICLE if centre else _OF_PLACE).match(rest)
        named = place is None and _NAMED.match(rest) is not None
        if not rest or place is not None or (centre and not named
                                             and self.places.area_of(rest) is None):
            city = self.commune(rest[place.end():] if place else "", "", draw,
                                min_population=50_000 if big else 10_000).name
            name = _of(city, capital=bool(place) and place.group()[:1].isupper())
            gap = gap or " "
        elif named or _CARE_HOME.match(kind):
            name = draw.choice(self.places.establishment_names)  # "des Cèdres", "Saint-Roch"
        elif self.places.area_of(rest) is not None:  # "CHU Rouen"
            name = self.commune(rest, "", draw, min_population=50_000 if big else 10_000).name
        elif draw.below(3) == 0:
            name = f"{self.first_name('', draw)} {self.surname('', draw)}"
        else:
            name = self.surname("", draw)
        return kind + gap + same_case(rest, name)

    def _hospital_name(self, original: str, draw: _Draw) -> str:
        """An establishment's name without its kind ("hôpital", "clinique des" stand before
        it): a town for a town ("Rouen"), a name of the establishment list for such a name
        ("Cèdres", "Les Glycines"), else a person's name ("Henri Mondor", "Bichat")."""
        if self.places.area_of(original) is not None:
            for _ in range(8):  # "CHU de Troyes", not "CHU de Les Pavillons-sous-Bois"
                town = self.commune(original, "", draw, 10_000).name
                if not _ARTICLE.match(town):
                    break
            return same_case(original, town)
        article = _ARTICLE.match(original)
        rest = original[article.end():] if article else original
        if fold(rest) in self._bare_establishments:
            names = [n for n in self.places.establishment_names if n.startswith("des ")] \
                if article else self.places.establishment_names  # "Les Glycines"
            name = _BARE_PREFIX.sub("", draw.choice(names))
            return (article.group() if article else "") + same_case(rest, name)
        if " " in rest.strip() and draw.below(2) == 0:
            return same_case(original, f"{self.first_name('', draw)} {self.surname('', draw)}")
        return same_case(original, self.surname("", draw))

    @functools.cached_property
    def _bare_establishments(self) -> frozenset[str]:
        return frozenset(fold(_BARE_PREFIX.sub("", n)) for n in self.places.establishment_names)

    def vehicle_plate(self, original: str, draw: _Draw) -> str:
        """SIV "AB-123-CD" or FNI "1234 AB 56": same format, keyed letters and digits."""
        compact = "".join(ch for ch in original if ch.isalnum()).upper()
        letters = "ABCDEFGHJKLMNPQRSTVWXYZ"  # never I, O, U on a plate
        if regex.fullmatch(r"[A-Z]{2}\d{3}[A-Z]{2}", compact):
            first = draw.choice(letters) + draw.choice(letters)
            if first in ("SS", "WW"):
                first = "A" + first[1]
            new = (first + f"{1 + draw.below(999):03d}" + draw.choice(letters)
                   + draw.choice(letters))
        elif match := regex.fullmatch(r"(\d{1,4})([A-Z]{1,3})(\d{2}|2[AB])", compact):
            number, series, _ = match.groups()
            new = (str(10 ** (len(number) - 1) + draw.below(9 * 10 ** (len(number) - 1)))
                   + "".join(draw.choice(letters) for _ in series) + f"{1 + draw.below(95):02d}"
                   .replace("20", "21"))
        else:
            return self.same_shape(original, draw)
        out, chars = [], iter(new)
        for ch in original:
            if ch.isalnum():
                c = next(chars, ch)
                out.append(c if ch.isupper() or ch.isdigit() else c.lower())
            else:
                out.append(ch)
        return "".join(out)

    def payment_card(self, original: str, draw: _Draw) -> str:
        """Same grouping and network digit, Luhn-valid; a masked number ("4970 **** 1234")
        keeps its mask and gets fresh digits."""
        if regex.search(r"[*xX•]", original):
            return _fill_digits(original, draw.digits(sum(ch.isdigit() for ch in original)))
        return self.luhn_number(original, draw)

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


_ZIP_SUFFIX = (r"(?P<x>(?:[ \t]+(?i:cedex)(?:[ \t]+\d{1,2})?)?"
               r"(?P<arr>[ \t]+\d{1,2}(?:e|er|ème)?)?)")
_ARRONDISSEMENTS = {"Paris": 20, "Lyon": 9, "Marseille": 16}
_CODE_FIRST = regex.compile(r"(?P<d>\d{2}|2[AB])(?P<s> ?)(?P<n>\d{3})(?P<gap>[ \t]*,?[ \t]*)"
                            r"(?P<city>.*?)" + _ZIP_SUFFIX + "$")
_CITY_FIRST = regex.compile(r"(?P<city>\D*?\p{L}{2}\D*?)(?P<gap>[ \t]*,[ \t]*\(?|[ \t]+\(?|\()"
                            r"(?P<d>\d{2}|2[AB])(?P<s> ?)(?P<n>\d{3})" + _ZIP_SUFFIX + r"(?P<close>\)?)$")
_HOSPITAL_KIND = regex.compile(
    r"(?i)(?P<kind>(?:centre|groupe)\s+hospitalier(?:\s+(?:universitaire|régional|regional|"
    r"intercommunal|spécialisé|specialise|général|general|départemental|privé|prive))*"
    r"|hospices\s+civils|hôpitaux|hopitaux|hôpital|hopital|polyclinique|clinique|"
    r"maison\s+de\s+(?:santé|sante|retraite|convalescence)|"
    r"centre\s+(?:médical|medical|de\s+rééducation|de\s+reeducation|de\s+soins|de\s+santé|"
    r"de\s+sante)|institut|résidence|residence|ehpad|chru|chu|chr|chs|chi|ch|ghu|gh)"
    r"(?![\w])(?P<gap>\s*)(?P<rest>.*)$", regex.DOTALL)
_CARE_HOME = regex.compile(r"(?i)(?:poly)?clinique|r[ée]sidence|ehpad|maison")
_OF_PLACE = regex.compile(r"(?:[Dd][Ee]\s+|[Dd]['’]\s*)(?=\p{Lu})")
_OF_PLACE_ARTICLE = regex.compile(r"(?:[Dd][Ee]\s+|[Dd][Uu]\s+|[Dd][Ee][Ss]\s+|[Dd]['’]\s*)"
                                  r"(?=\p{Lu})")
_NAMED = regex.compile(r"(?i)(?:saint|sainte|st|ste|notre)(?![\w'’])|(?:du|des|les?|la|aux|"
                       r"de\s+la|de\s+l['’]|l['’])(?:\s|(?<=['’]))")


def _of(city: str, capital: bool = False) -> str:
    """"de Niort", "d'Arles", "du Mans", "des Sables-d'Olonne"."""
    if city.startswith("Le "):
        text = "du " + city[3:]
    elif city.startswith("Les "):
        text = "des " + city[4:]
    elif regex.match(r"[aeiouyh]", strip_accents(city[:1]).lower()):
        text = "d'" + city
    else:
        text = "de " + city
    return text[:1].upper() + text[1:] if capital else text


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
    _cache: dict[tuple[str, ...], str] = field(default_factory=dict)
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
            if entity.type in _PLACE_TYPES:  # "promenade Molière": no "Bd Molière" surrogate
                self._originals.update(self._place_words(value))
            if entity.type != PERSON:
                continue
            words = [w for w in _WORD.findall(value) if fold(w) not in _PARTICLES]
            for word in words:  # "Martin-Garnier": a surrogate may hold neither part
                self._originals.update(fold(part) for part in (word, *word.split("-")) if part)
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
        if entity_type == CITY:
            return same_case(original, self._unique(CITY, original, p.city_name))
        if entity_type == ZIP_CITY:
            return self._unique(ZIP_CITY, original, self._zip_city_generator(),
                                shape=_case_class(original))
        shape = (_case_class(original) if entity_type in (HOSPITAL, ADDRESS) else
                 _layout(original) if entity_type in (VEHICLE_PLATE, PAYMENT_CARD) else "")
        generators: dict[str, Callable[[str, _Draw], str]] = {
            FR_NIR: p.nir, PHONE: p.phone, EMAIL: p.email, URL: p.url,
            ADDRESS: p.street_address,
            RPPS: p.luhn_number, FINESS: p.luhn_number, IBAN: p.iban,
            HOSPITAL: p.hospital, VEHICLE_PLATE: p.vehicle_plate, PAYMENT_CARD: p.payment_card,
        }
        return self._unique(entity_type, original, generators.get(entity_type, p.same_shape),
                            shape=shape)

    def _zip_city_generator(self) -> Callable[[str, _Draw], str]:
        """"69003 Lyon" takes the city the document's "Lyon" got (first attempt only: a
        clash must be able to draw another)."""
        attempts = iter(range(MAX_ATTEMPTS + 1))
        p = self.pseudonymizer

        def generate(original: str, draw: _Draw) -> str:
            first = next(attempts) == 0
            hook = (lambda city: self.surrogate(CITY, city)) if first else None
            return p.zip_city(original, draw, hook)

        return generate

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

    def shorten(self, entity_type: str, original: str) -> bool:
        """Redraw the surrogate of `original` shorter, when the adapter has no room for it
        (a PDF line): the shortest of SHORTER_DRAWS more keyed candidates of the same kind,
        if shorter. Every occurrence follows, so the document stays consistent; a person
        is redrawn word by word (each word's surrogate is shared with the document's other
        names). False when nothing shorter was found or the type keeps its shape."""
        p = self.pseudonymizer
        changed = False
        if entity_type == PERSON:
            for match in _NAME_WORD.finditer(original):
                word = match.group()
                key = fold(word)
                if key in _PARTICLES or len(word.rstrip(".")) == 1:
                    continue
                role = self._roles.get(key, "last")
                generator = p.first_name if role == "first" else p.surname
                for part in word.split("-"):
                    changed |= self._redraw_shorter((f"PERSON_{role}", fold(part), ""), part,
                                                    generator)
        elif entity_type == CITY:
            changed = self._redraw_shorter((CITY, fold(original), ""), original, p.city_name)
        if changed:  # whole values were composed from the old draws
            self._cache = {k: v for k, v in self._cache.items()
                           if not (len(k) == 2 and k[0] == entity_type)}
        return changed

    def _redraw_shorter(self, cache_key: tuple[str, str, str], original: str,
                        generator: Callable[[str, _Draw], str]) -> bool:
        current = self._cache.get(cache_key)
        if current is None:
            return False
        entity_type, key, _ = cache_key
        best = current
        for attempt in range(SHORTER_DRAWS):
            candidate = generator(original, _Draw(self.pseudonymizer.digest(
                entity_type, key, "shorter", str(attempt))))
            folded = fold(candidate)
            if len(candidate) >= len(best) or folded in self._originals \
                    or self._owner.get(folded, key) != key or self._contains_original(folded):
                continue
            best = candidate
        if best == current:
            return False
        self._owner.pop(fold(current), None)
        self._owner[fold(best)] = key
        self._cache[cache_key] = best
        return True

    def _place_words(self, value: str) -> Iterator[str]:
        """The words of a place that name it: not its street type or "saint", "cedex"..."""
        for word in _LETTERS.findall(value):
            folded = fold(word)
            if len(folded) >= MIN_LEAK_CHARS and folded not in _PLACE_GENERIC \
                    and not self.pseudonymizer._street_type.fullmatch(word):
                yield folded

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
        if folded.isalnum():  # one word (a number, a surname): itself only
            return len(folded) >= MIN_LEAK_CHARS and folded in self._inside
        word = [_is_word_char(c) for c in folded]
        starts = [i for i in range(len(folded)) if not folded[i].isspace()
                  and (i == 0 or not word[i - 1])]
        ends = [j for j in range(1, len(folded) + 1) if not folded[j - 1].isspace()
                and (j == len(folded) or not word[j])]
        return any(folded[i:j] in self._inside for i in starts for j in ends
                   if j - i >= MIN_LEAK_CHARS)

    def _unique(self, entity_type: str, original: str, generator: Callable[[str, _Draw], str],
                shape: str = "") -> str:
        """`shape` (a case or layout class) keeps "PARIS" and "Paris" apart in the cache while
        they draw the same surrogate: the digest does not see it. A number is keyed by its
        letters and digits alone: "1 84 12 75 123 456 78" and "184127512345678" draw the
        same digits, each laid out as written."""
        if entity_type in _IDENTIFIER_TYPES:
            key, shape = alnum_only(original).casefold(), _layout(original)
        else:
            key = fold(original)
        # Apart from `surrogate`'s cache (exact originals): a 3-tuple never meets its keys.
        cache_key = (entity_type, key, shape)
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


# Numbers and codes: keyed without their separators (see DocumentSession._unique).
_IDENTIFIER_TYPES = frozenset({FR_NIR, PHONE, IBAN, RPPS, FINESS, HOSPITAL_ID, PAYMENT_CARD,
                               VEHICLE_PLATE})


def _case_class(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    return "lower" if letters and all(c.islower() for c in letters) else "mixed"


def _layout(text: str) -> str:
    """"AB-123-CD" -> "AA-99-AA" style: where letters, digits and separators stand."""
    return _DIGIT.sub("9", _UPPER.sub("A", _LOWER.sub("a", text)))


_DIGIT, _UPPER, _LOWER = regex.compile(r"\d"), regex.compile(r"\p{Lu}"), regex.compile(r"\p{Ll}")


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
