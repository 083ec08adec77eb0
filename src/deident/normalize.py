"""Text normalization shared by recognizers, propagation and keyed surrogates."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})
_SPACES = re.compile(r"[\s\-_]+")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1 << 16)  # called per word on hot paths; words repeat
def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive key: "DUPONT", "Dupont", "dupont" agree."""
    folded = strip_accents(text.translate(_APOSTROPHES)).casefold()
    return _SPACES.sub(" ", folded).strip()


# Separators of numbers and addresses: all non-alphanumeric, deleted in one C pass.
_SEPARATORS = str.maketrans("", "", " .-/()+:,;_@\t\u00a0'\"")


def alnum_only(text: str) -> str:
    """`text`'s letters and digits (str.isalnum), in order."""
    stripped = text.translate(_SEPARATORS)
    if stripped.isalnum() or not stripped:
        return stripped
    return "".join(ch for ch in stripped if ch.isalnum())


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())

