"""French numbers written in words, for dates: "vingt-sept", "mil neuf cent soixante dix huit".

Patterns that find day numbers and years in words (hyphens, spaces or no separator at all,
as typed or dictated: "quatrevingtdix-huit"), a parser, and a writer that keeps the
writer's style (hyphens or spaces, "mil" or "mille", case).
"""

from __future__ import annotations

import regex

from deident.normalize import strip_accents

# Between two atoms of one number: a hyphen, blanks, or nothing ("soixantedix").
_J = r"(?:[ \t]*-[ \t]*|[ \t]+)?"
_UNIT = r"(?:deux|trois|quatre|cinq|six|sept|huit|neuf|un)"
_TEEN = rf"(?:dix{_J}(?:sept|huit|neuf)|dix|onze|douze|treize|quatorze|quinze|seize)"
_TENS = r"(?:vingt|trente|quarante|cinquante|septante|huitante|octante|nonante)"
# 20..99, the forms a two-digit year takes ("soixante dix huit", "quatre-vingt-onze").
_TENS_NUMBER = (
    rf"(?:quatre{_J}vingts?(?:{_J}(?:{_TEEN}|{_UNIT}))?"
    rf"|soixante(?:{_J}et{_J}(?:un|onze)|{_J}(?:{_TEEN}|{_UNIT}))?"
    rf"|{_TENS}(?:{_J}et{_J}un|{_J}{_UNIT})?)s?"
)
_NUMBER_99 = rf"(?:{_TENS_NUMBER}|(?:{_TEEN}|{_UNIT})s?)"

DAY_WORDS = (
    rf"(?:premier|trente(?:{_J}et{_J}un)?|vingt(?:{_J}et{_J}un|{_J}{_UNIT})?|{_TEEN}|{_UNIT})"
)
# "mil neuf cent soixante", "deux mille quatorze", "mille neuf cents quatrevingtdix-huit".
YEAR_WORDS = (
    rf"(?:deux{_J})?mil(?:le)?(?:{_J}(?:{_UNIT}{_J})?cents?)?(?:{_J}{_NUMBER_99})?"
)
# A year given by its last two digits, after a month: "mai soixantedix-huit". A compound
# number: "vingt" alone after a month is a count more often than 2020.
YEAR_WORDS_SHORT = (
    rf"(?:quatre{_J}vingts?(?:{_J}(?:{_TEEN}|{_UNIT}))?"
    rf"|soixante{_J}(?:et{_J}(?:un|onze)|{_TEEN}|{_UNIT})"
    rf"|{_TENS}{_J}(?:et{_J}un|{_UNIT}))s?"
)

_ATOMS = {
    "zero": 0, "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80,
    "octante": 80, "nonante": 90, "cent": 100, "mil": 1000, "mille": 1000, "et": 0,
}
_ATOM = regex.compile(
    "|".join(sorted(_ATOMS, key=len, reverse=True)) + r"|[ \t\-]+|s"  # plural "s": "vingts"
)


def parse_number(text: str) -> int | None:
    """The value of a French number in words, or None when `text` is not one."""
    key = strip_accents(text).lower().strip()
    total = current = last = 0
    position = 0
    seen = False
    while position < len(key):
        match = _ATOM.match(key, position)
        if match is None:
            return None
        position = match.end()
        atom = match.group()
        if atom not in _ATOMS:  # separator or plural "s"
            continue
        value = _ATOMS[atom]
        seen = True
        if value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif value == 100:
            current = (current or 1) * 100
        elif value == 20 and last == 4:  # quatre-vingt
            current += 76
        else:
            current += value
        last = value
    return total + current if seen else None


_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
          "onze", "douze", "treize", "quatorze", "quinze", "seize")
_TENS_WORDS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, sep: str) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return f"dix{sep}{_UNITS[n - 10]}"
    if n >= 80:
        rest = n - 80
        return f"quatre{sep}vingts" if rest == 0 else f"quatre{sep}vingt{sep}{_below_100(rest, sep)}"
    tens, unit = divmod(n, 10)
    if tens == 7:
        tens, unit = 6, n - 60
    word = _TENS_WORDS[tens]
    if unit == 0:
        return word
    if unit in (1, 11):
        link = "" if sep == "" else " "
        return f"{word}{link}et{link}{_UNITS[unit]}"
    return f"{word}{sep}{_below_100(unit, sep)}"


def _style(model: str) -> tuple[str, str]:
    """(separator inside a number, separator between its parts) as the model writes them."""
    stripped = model.strip()
    if "-" in stripped:
        return "-", " " if " " in stripped else "-"
    if " " in stripped or "\t" in stripped:
        return " ", " "
    if len([a for a in _ATOM.findall(strip_accents(stripped).lower()) if a in _ATOMS]) > 1:
        return "", ""  # typed in one piece: "quatrevingtonze"
    return "-", " "  # one word ("trente"): the usual spelling, "dix-neuf", "deux mille"


def _same_case(model: str, words: str) -> str:
    letters = [ch for ch in model if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return words.upper()
    if model[:1].isupper():
        return words[:1].upper() + words[1:]
    return words


def day_in_words(day: int, model: str) -> str:
    sep, _ = _style(model)
    word = "premier" if day == 1 else _below_100(day, sep)
    return _same_case(model, word)


def year_in_words(year: int, model: str) -> str:
    """`year` written like `model`: in full ("deux mille vingt-deux") or by its last two digits."""
    sep, part = _style(model)
    folded = strip_accents(model).lower()
    if "mil" not in folded:
        return _same_case(model, _below_100(year % 100, sep))
    thousands, rest = divmod(year, 1000)
    hundreds, tail = divmod(rest, 100)
    thousand_word = "mil" if regex.search(r"mil(?!le)", folded) and thousands == 1 else "mille"
    parts = [thousand_word if thousands == 1 else f"{_below_100(thousands, sep)}{part}{thousand_word}"]
    if hundreds:
        plural = "s" if hundreds > 1 and tail == 0 else ""
        parts.append(("" if hundreds == 1 else _below_100(hundreds, sep) + part) + "cent" + plural)
    if tail:
        parts.append(_below_100(tail, sep))
    return _same_case(model, part.join(parts) if part else "".join(parts))
