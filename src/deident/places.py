"""Real French places for surrogates that read true: communes with their own postcode and
département, street names, names of care establishments (files in models/places/, each
naming its source in its header).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import regex

from deident import __version__, normalize
from deident.cache import cached, stamp
from deident.lexicons import models_dir
from deident.normalize import fold

# A postcode area whose communes are too few to draw a surrogate from borrows its
# neighbours': Paris is one commune, its surrogates come from the inner suburbs.
_NEIGHBOURS = {"75": ("92", "93", "94")}


@dataclass(frozen=True)
class Commune:
    name: str
    postcode: str
    department: str
    population: int
    key: str  # place_key of the name


@dataclass(frozen=True, eq=False)
class Places:
    communes: tuple[Commune, ...]
    by_area: dict[str, tuple[Commune, ...]]  # postcode area ("69", "971", Corsica "20")
    by_name: dict[str, tuple[Commune, ...]]  # folded name
    street_names: tuple[str, ...]
    establishment_names: tuple[str, ...]

    def area_of(self, city: str) -> str | None:
        """The postcode area of a known commune's name (the most populous of its homonyms)."""
        found = self.by_name.get(place_key(city))
        if not found:
            return None
        return postcode_area(max(found, key=lambda c: c.population).postcode)

    def choose(self, below: Callable[[int], int], area: str | None, excluded: str = "",
               min_population: int = 0) -> Commune:
        """A commune of `area` (any for None) other than `excluded` (a name), drawn with
        `below(n)`; from the neighbours' areas or the whole country when `area` has fewer
        than two others."""
        key = place_key(excluded)
        tiers: list[tuple[str, ...] | None] = []
        if area is not None:
            tiers.append((area,))
            if area in _NEIGHBOURS:
                tiers.append(_NEIGHBOURS[area])
        tiers.append(None)
        for areas in tiers:
            members, keys = _members(self, areas, min_population)
            others = len(members) - keys.get(key, 0)
            if others >= 2 or areas is None:
                index = below(others)
                for commune in members:  # the index-th commune that is not `excluded`
                    if commune.key != key:
                        if index == 0:
                            return commune
                        index -= 1
        raise ValueError("no commune to draw")


@cache
def _members(places: Places, areas: tuple[str, ...] | None, min_population: int
             ) -> tuple[tuple[Commune, ...], dict[str, int]]:
    members = places.communes if areas is None else tuple(
        c for a in areas for c in places.by_area.get(a, ()))
    members = tuple(c for c in members if c.population >= min_population)
    keys: dict[str, int] = {}
    for commune in members:
        keys[commune.key] = keys.get(commune.key, 0) + 1
    return members, keys


_SAINT = regex.compile(r"^(st|ste)(?= )")
_SEPARATORS = regex.compile(r"[\s\-'.]+")


def place_key(name: str) -> str:
    """"Saint-Étienne", "ST ETIENNE" and "St-Etienne" agree."""
    key = _SEPARATORS.sub(" ", fold(name)).strip()
    return _SAINT.sub(lambda m: "saint" if m.group() == "st" else "sainte", key)


def postcode_area(postcode: str) -> str:
    """"69003" -> "69", "97400" -> "974", "2A004" and "20000" -> "20"."""
    postcode = postcode.replace(" ", "").upper()
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode[:2] in ("2A", "2B"):
        return "20"
    return postcode[:2]


_FILES = ("communes.tsv", "street_names.txt", "establishment_names.txt")


def _lines(name: str) -> list[str]:
    path = models_dir() / "places" / name
    with path.open(encoding="utf-8") as handle:
        return [s for line in handle if (s := line.strip()) and not s.startswith("#")]


def _read() -> tuple[list[tuple[str, str, str, int, str]], list[str], list[str]]:
    rows = []
    for line in _lines("communes.tsv"):
        name, postcode, department, population = line.split("\t")
        rows.append((name, postcode, department, int(population), place_key(name)))
    return rows, _lines("street_names.txt"), _lines("establishment_names.txt")


@cache
def load_places() -> Places:
    """The tables, read once and cached on disk (deident.cache) with their place keys: the
    files and the code that keys them make the entry's version."""
    folder = models_dir() / "places"
    version = "|".join((__version__, stamp(*(folder / name for name in _FILES), __file__,
                                           normalize.__file__)))
    rows, streets, establishments = cached("places", version, _read)
    communes = [Commune(*row) for row in rows]
    by_area: dict[str, list[Commune]] = {}
    by_name: dict[str, list[Commune]] = {}
    for commune in communes:
        by_area.setdefault(postcode_area(commune.postcode), []).append(commune)
        by_name.setdefault(commune.key, []).append(commune)
    return Places(
        communes=tuple(communes),
        by_area={k: tuple(v) for k, v in by_area.items()},
        by_name={k: tuple(v) for k, v in by_name.items()},
        street_names=tuple(streets),
        establishment_names=tuple(establishments),
    )
