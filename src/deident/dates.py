"""French calendar dates: the patterns that find them and the shift that rewrites them.

A date is rewritten field by field inside the original string, so separators,
zero padding, "1er", month-name spelling (full or abbreviated, accents, case)
and two- or four-digit years all survive the shift; a weekday is recomputed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable

import regex

from deident.french_numbers import (
    DAY_WORDS,
    YEAR_WORDS,
    YEAR_WORDS_SHORT,
    day_in_words,
    parse_number,
    year_in_words,
)
from deident.normalize import strip_accents

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
MONTH_ABBREVIATIONS = (
    "janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Spelling (accents folded, lowercase, no dot) -> month number.
_MONTH_LOOKUP: dict[str, int] = {}
for _n, (_full, _abbr) in enumerate(zip(MONTHS, MONTH_ABBREVIATIONS, strict=True), start=1):
    for _form in (_full, _abbr):
        _MONTH_LOOKUP[strip_accents(_form)] = _n
_MONTH_LOOKUP.update({"jan": 1, "fev": 2, "fevr": 2, "avri": 4, "jui": 7, "sep": 9, "dec": 12})
MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_LOOKUP = {strip_accents(w): i for i, w in enumerate(WEEKDAYS)}
_WEEKDAY_LOOKUP.update({strip_accents(w[:3]): i for i, w in enumerate(WEEKDAYS)})


def _alternation(words: list[str]) -> str:
    forms: set[str] = set()
    for word in words:
        forms.update({word, strip_accents(word)})
    return "|".join(sorted(forms, key=lambda form: (-len(form), form)))  # same in every process


# A full name never takes the dot ("le 27 février." ends a sentence); an abbreviation may.
_MONTH = (rf"(?:(?:{_alternation(list(MONTHS))})"
          rf"|(?:{_alternation(list(MONTH_ABBREVIATIONS) + list(_MONTH_LOOKUP))})\.?)")
_MONTH_FULL = rf"(?:{_alternation(list(MONTHS))})"
# English abbreviations, only between separators ("12-MAR-2013"): "mar" alone is "mardi".
_MONTH_EN = rf"(?:{'|'.join(MONTHS_EN)})"
_WEEKDAY = rf"(?:{_alternation(list(WEEKDAYS) + [w[:3] for w in WEEKDAYS])})\.?"
_WEEKDAY_FULL = rf"(?:{_alternation(list(WEEKDAYS))})"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_NUM_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_YEAR = rf"(?:{_YEAR4}|\d\d)"
# Scanned forms: O for 0, I or l for 1 ("12/O3/1961", "le 1O février 2O13"). Each field keeps
# at least one real digit, so words ("Il", "lO") never pass for numbers.
_OCR_DIGIT = r"[\dOoIl]"
_OCR_LETTER = r"(?-i:[OoIl])"
_DAY_OCR = rf"(?=[OoIl]?\d)(?:[0Oo]?[1-9Il]|[12Il]{_OCR_DIGIT}|3[01OoIl])"
_NUM_MONTH_OCR = r"(?=[OoIl]?\d)(?:[0Oo]?[1-9Il]|[1Il][012OoIl])"
_YEAR4_OCR = rf"(?:[1Il][89]{_OCR_DIGIT}{{2}}|2[0Oo]{_OCR_DIGIT}{{2}})"
_YEAR_OCR = rf"(?:{_YEAR4_OCR}|(?=[OoIl]?\d){_OCR_DIGIT}{{2}})"
# A misspelt month before a year ("1er fevreri 2003"): its first four letters.
_MONTH_STEMS = ("janv", "fevr", "févr", "avri", "juil", "sept", "octo", "nove", "dece", "déce")
_MONTH_MISSPELT = rf"(?:{'|'.join(_MONTH_STEMS)})\p{{L}}{{1,6}}"
# Not glued to a preceding digit, letter or separator. The look-ahead comes first: the
# regex engine then skips non-digits at once instead of testing the look-behind everywhere.
_B = r"(?=\d)(?<![\w/.\-|])"
# A scanned numeric date: starts with a digit or an O, holds an O, I or l before its end.
_B_OCR = r"(?=\d|(?-i:O)\d)(?=[\d/.\-]*[OoIl])(?<![\w/.\-|])"
_B_WEEKDAY = r"(?=[\dDJLMSVdjlmsv])(?<![\w/.\-|])"  # a weekday may come first
_E = r"(?![\w/|]|[.\-]\d)"
# A number after a month is a year unless a unit or a time follows ("mai 18 h", "mars 12 mg").
_NOT_UNIT = (r"(?![ \t]*(?:h|:|mg|ml|g\b|kg|%|ui\b|u\b|mmol|ans?\b|jours?\b|mois\b|sem|patients?\b"
             r"|fois\b|cp\b))")

# "mai soixante-dix-huit": a year by its last two digits in words reads like a count ("en mai
# vingt-trois patients"), so it must close the phrase.
_YEAR_SHORT_WORDS = rf"{YEAR_WORDS_SHORT}(?=[ \t]*(?:[,.;:)\]]|$))"

_S = r"[ \t]+"  # blanks inside a date never cross a line…
_NL = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # …except before a four-digit year ("11 janvier\n2017")
# One digit per box or per space: "0 7 0 8 1 9 8 3". It starts a run of digits, or follows
# a NIR written the same way ("1 4 2 … 5 3 0 9 0 1 1 9 8 7": a NIR, then a birth date).
_SPACED_START = r"(?<!\w)(?:(?<!(?<!\d)\d[ \t])|(?<=(?<!\d[ \t]?)[12](?: \d){12,14} ))"
_SPACED_END = r"(?!\d)(?! \d(?!\d))"  # no further box; a number may follow ("… 1 9 8 3 42 rue")
# Cues before a weak form, looked for behind its first digit: the engine skips to digits.
_DAY_CUE = r"(?=\d)(?<=\b(?:le|du|au|dès le|des le|depuis le|et le)[ \t]+)"
_RANGE_CUE = r"(?=\d)(?<=\b(?:du|les|entre)[ \t]+)"
_MONTH_CUE = r"(?=\d)(?<=\b(?:en|depuis|dès|des|début|debut|fin|courant|mi-|jusqu'en|de|du|au|le)[ \t]+)"
_RANGE_LINK = r"[ \t]*(?:-|au|à|et)[ \t]*"

# (name, pattern, score). Named groups: wd weekday, d day, d2 range end day, m month, y year,
# t a time of day left as it is. Patterns named in known._DATE_FORMS keep plain digits.
DATE_PATTERNS: list[tuple[str, str, float]] = [
    (
        "range_text",
        rf"(?=\d)\b(?P<d>1er|{_DAY}){_S}(?:au|-){_S}(?P<d2>{_DAY}){_S}(?P<m>{_MONTH})"
        rf"(?:{_S}(?P<y>{_YEAR4}))?(?!\w)",
        0.85,
    ),
    (
        "text",
        rf"(?=[\dDJLMSVdjlmsv])\b(?:(?P<wd>{_WEEKDAY}){_S})?(?P<d>1er|{_DAY}){_S}(?P<m>{_MONTH})"
        rf"(?:{_NL}(?P<y>{_YEAR4})(?![\w])|[ \t]+(?P<y>\d\d(?![ \t]*(?:h|:|mg|ml|g\b|%)))(?![\w]))?"
        rf"(?![\w])",
        0.85,
    ),
    (
        "numeric_dmy",
        rf"{_B_WEEKDAY}(?:(?P<wd>{_WEEKDAY}){_S})?(?P<d>{_DAY})(?P<sep>[/.\-|])(?P<m>{_NUM_MONTH})"
        rf"(?P=sep)(?P<y>{_YEAR}){_E}",
        0.85,
    ),
    (
        "numeric_dmy_spaced",
        rf"{_B}(?<!\d )(?P<d>{_DAY}) (?P<m>{_NUM_MONTH}) (?P<y>{_YEAR4}|\d\d)(?! ?\d)(?![\w])",
        0.5,
    ),
    (
        "digits_spaced",  # "0 7 0 8 1 9 8 3": forms with one box per digit
        rf"(?=[0-3] \d [01] ){_SPACED_START}(?P<d>[0-3] \d) (?P<m>[01] \d) (?P<y>[12] \d \d \d)"
        rf"{_SPACED_END}",
        0.6,
    ),
    (
        "digits_spaced_short",  # "le 0 1 0 2 0 3 0 9 4 5": a two-digit year, maybe a time
        rf"{_DAY_CUE}(?P<d>[0-3] \d) (?P<m>[01] \d) (?P<y>\d \d)(?: (?P<t>[0-2] \d [0-5] \d))?"
        rf"{_SPACED_END}",
        0.6,
    ),
    ("numeric_ymd", rf"{_B}(?P<y>{_YEAR4})(?P<sep>[\-/.])(?P<m>0[1-9]|1[0-2])(?P=sep)"
                    rf"(?P<d>0[1-9]|[12]\d|3[01]){_E}", 0.85),
    (
        "numeric_ymd_short",  # "89/10/29": a first field above 31 is a year
        rf"{_B}(?P<y>3[2-9]|[4-9]{_OCR_DIGIT})(?P<sep>[/.\-])(?=\w\w\W)(?P<m>{_NUM_MONTH_OCR})(?P=sep)"
        rf"(?=\w\w(?!\w))(?P<d>{_DAY_OCR}){_E}{_NOT_UNIT}",
        0.7,
    ),
    (
        "numeric_dmy_ocr",
        rf"{_B_OCR}(?P<d>{_DAY_OCR})(?P<sep>[/.\-])(?P<m>{_NUM_MONTH_OCR})(?P=sep)(?P<y>{_YEAR_OCR})"
        rf"{_E}",
        0.7,
    ),
    (
        "numeric_range_dmy",  # "08-09/08/07", "du 10 au 12/03/2013"
        rf"(?=\d\d?(?:-|[ \t]+(?:-|au|à|et)))"
        rf"(?:{_B}(?P<d>{_DAY})-|{_RANGE_CUE}(?P<d>{_DAY}){_RANGE_LINK})(?P<d2>{_DAY})"
        rf"(?P<sep>[/.])(?P<m>{_NUM_MONTH})(?P=sep)(?P<y>{_YEAR}){_E}",
        0.8,
    ),
    (
        "numeric_range_dm",  # "du 10 - 12/08"
        rf"{_RANGE_CUE}(?P<d>{_DAY}){_RANGE_LINK}(?P<d2>{_DAY})/(?P<m>{_NUM_MONTH})"
        rf"(?![\w/]|[.]\d)",
        0.6,
    ),
    ("numeric_my", rf"{_B}(?P<m>{_NUM_MONTH})(?P<sep>[/.\-])(?P<y>{_YEAR4}){_E}", 0.7),
    ("numeric_ym", rf"{_B}(?P<y>{_YEAR4})(?P<sep>[/\-])(?P<m>0[1-9]|1[0-2]){_E}", 0.6),
    (
        "numeric_my_spaced",  # "résecté en 07 2002"
        rf"(?=(?:0[1-9]|1[0-2])[ \t](?:1[89]|20)\d\d){_MONTH_CUE}"
        rf"(?P<m>0[1-9]|1[0-2])[ \t](?P<y>{_YEAR4})(?![ \t]?\d)(?![\w]){_NOT_UNIT}",
        0.5,
    ),
    (
        "text_separated",  # "12-mars-2013", "03/JAN/2019", "12-MAR-2013" (software exports)
        rf"(?=\d\d?[\-/.]\p{{L}})(?<![\w/.\-])(?P<d>{_DAY})(?P<sep>[\-/.])(?P<m>{_MONTH}|{_MONTH_EN})"
        rf"(?P=sep)(?P<y>{_YEAR4}|\d\d)(?![\w]|[.\-/]\d)",
        0.8,
    ),
    (
        "compact_text",  # "8dec11", "12mars2013"
        rf"(?=\d\d?\p{{L}})(?<![\w])(?P<d>{_DAY})(?P<m>{_MONTH})(?P<y>{_YEAR4}|\d\d)(?![\w])",
        0.8,
    ),
    (
        "text_ocr",  # "le 1O février 2O13"
        rf"(?=[\dIl])(?=\d?{_OCR_LETTER}|\S+{_S}{_MONTH}{_NL}\d*{_OCR_LETTER})(?<![\w])"
        rf"(?P<d>1er|{_DAY_OCR}){_S}"
        rf"(?P<m>{_MONTH})(?:{_NL}(?P<y>{_YEAR4_OCR}))?(?![\w])",
        0.7,
    ),
    (
        "text_misspelt",  # "1er fevreri 2003": a mistyped month, then a year
        rf"(?=(?:1er|\d\d?)[ \t]+\p{{L}}{{5}})(?<![\w])(?P<d>1er|{_DAY}){_S}"
        rf"(?!{_MONTH}(?!\p{{L}}))(?P<m>{_MONTH_MISSPELT}){_S}"
        rf"(?P<y>[12]\d{{3,4}})(?![\w])",
        0.6,
    ),
    (
        "numeric_dm",
        rf"{_DAY_CUE}(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})(?![\w/]|[.]\d)(?![ \t]+(?:des?|du)\b)",
        0.6,
    ),
    (
        "numeric_dm_note",  # "07/07 16h30 : Cible…", "• 11/09 : bilan", "(29/01)"
        rf"(?:^[ \t]*(?:[-•*–][ \t]*)?\K(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})(?=[ \t]*(?::|\d{{1,2}}[h:]\d\d|$))"
        rf"|(?=\d)(?<=\()(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})(?=\)))",
        0.6,
    ),
    (
        "day_list",  # "10, 11 et 12 jan 78": every day of the list belongs to the month
        rf"(?=\d)(?<![\w/.\-,])(?P<dl>1er|{_DAY})(?:,[ \t]*(?P<dl>1er|{_DAY}))*,?[ \t]+(?:et|ou)[ \t]+"
        rf"(?P<d>1er|{_DAY}){_S}(?P<m>{_MONTH})"
        rf"(?:{_S}(?P<y>{_YEAR4}|\d\d(?![ \t]*(?:h|:|mg|ml|g\b|%))))?(?![\w])",
        0.7,
    ),
    (
        "month_list",  # "mars, avril et mai 1978": months of the year that closes the list
        rf"\b(?P<ml>{_MONTH_FULL})(?:,[ \t]*(?P<ml>{_MONTH_FULL}))*,?[ \t]+(?:et|ou)[ \t]+"
        rf"(?P<m>{_MONTH}){_S}(?P<y>{_YEAR4}|{YEAR_WORDS}|{_YEAR_SHORT_WORDS})(?![\w])",
        0.7,
    ),
    (
        "range_two_months",  # "24 avril au 14 mai 2021": one span, two months
        rf"(?=\d)\b(?P<d>1er|{_DAY}){_S}(?P<m>{_MONTH}){_S}(?:au|-){_S}(?P<d2>1er|{_DAY}){_S}"
        rf"(?P<m2>{_MONTH})(?:{_S}(?P<y>{_YEAR4}))?(?!\w)",
        0.85,
    ),
    (
        "text_words_year",  # "deux janvier mille neuf cent soixante dix huit", "10 jan quatrevingtonze"
        rf"\b(?:(?P<wd>{_WEEKDAY}){_S})?"
        rf"(?:(?P<d>{DAY_WORDS}){_S}(?P<m>{_MONTH}){_S}(?P<y>{YEAR_WORDS}|{_YEAR_SHORT_WORDS}|[1-9]\d{{3}})"
        rf"|(?P<d>1er|{_DAY}){_S}(?P<m>{_MONTH}){_S}(?P<y>{YEAR_WORDS}|{_YEAR_SHORT_WORDS}))(?![\w])",
        0.7,
    ),
    (
        "text_words",  # "le sept septembre", "Mardi douze mars": a full month name
        rf"\b(?:(?P<wd>{_WEEKDAY}){_S})?(?P<d>{DAY_WORDS}){_S}(?P<m>{_MONTH_FULL})(?![\w])",
        0.6,
    ),
    (
        "ymd_words",  # "deux mille quatorze, janvier, 6"
        rf"\b(?P<y>{YEAR_WORDS})[ \t]*,?{_S}(?P<m>{_MONTH})[ \t]*,?{_S}(?P<d>{_DAY}|{DAY_WORDS})"
        rf"(?![\w])",
        0.7,
    ),
    (
        "weekday_day",  # "jeudi 18"
        rf"\b(?P<wd>{_WEEKDAY_FULL}){_S}(?P<d>1er|{_DAY})(?![\w])"
        rf"(?![ \t]*(?:h|:|heures?\b|fois\b|jours?\b|mois\b|ans?\b|sem|mg|patients?\b|%|x\b|×"
        rf"|séances?\b|seances?\b|cp\b|comprimés?\b|prises?\b|gouttes?\b))",
        0.5,
    ),
    (
        "month_year",
        rf"\b(?P<m>{_MONTH}){_S}(?:(?P<y>{_YEAR4})|(?P<y>\d\d){_NOT_UNIT})(?![\w])",
        0.8,
    ),
    (
        "month_year_words",  # "mai soixantedix-huit", "mars deux mille treize"
        rf"\b(?P<m>{_MONTH}){_S}(?P<y>{YEAR_WORDS}|{_YEAR_SHORT_WORDS})(?![\w])",
        0.6,
    ),
    (
        "month_alone",
        rf"\b(?:en|depuis|début|debut|fin|courant|mi-|d'|dès|jusqu'en|entre|mois de)[ \t]*\K"
        rf"(?P<m>{_MONTH})(?![\w])",
        0.55,
    ),
]

# Forms built around a month or weekday name in words: the recognizer runs them only near
# such a name (see ANCHOR), not over the whole text.
ANCHORED = frozenset({"text_ocr", "text_words_year", "text_words", "ymd_words", "weekday_day",
                      "month_year_words", "month_list"})
ANCHOR = rf"(?<!\p{{L}})(?:{_MONTH}|{_WEEKDAY_FULL})(?!\p{{L}})"
# Lowercase beginnings of every anchor, for a quick search before the pattern confirms it.
ANCHOR_PREFIXES = ("jan", "fév", "fev", "mar", "avr", "mai", "jui", "aoû", "aou", "sep", "oct",
                   "nov", "déc", "dec", "lundi", "mercredi", "jeudi", "vendredi", "samedi",
                   "dimanche")

_COMPILED = [
    (name, regex.compile(pattern, regex.IGNORECASE))
    for name, pattern, _ in DATE_PATTERNS
]
REFERENCE_YEAR = 2000  # leap year: stands in for a missing year
_OCR_TABLE = str.maketrans("OoIl", "0011")
_DIGITS_OCR = regex.compile(r"[\dOoIl ]*\d[\dOoIl ]*")
# Dates known to the month only: the month moves, the day is not written.
_MONTH_PRECISION = {"numeric_my", "numeric_ym", "numeric_my_spaced", "month_year",
                    "month_year_words", "month_alone", "month_list"}


def _digits(token: str) -> str:
    """"1O", "0 7": the digits a scanned or boxed number stands for."""
    return token.translate(_OCR_TABLE).replace(" ", "") if _DIGITS_OCR.fullmatch(token) else token


def _is_words(token: str) -> bool:
    return token.lower() != "1er" and not any(ch.isdigit() for ch in token)


def _month_number(token: str) -> int:
    token = _digits(token)
    if token.isdigit():
        return int(token)
    key = strip_accents(token.rstrip(".")).lower()
    if key in _MONTH_LOOKUP:
        return _MONTH_LOOKUP[key]
    if key in MONTHS_EN:
        return MONTHS_EN.index(key) + 1
    for number, name in enumerate(MONTHS, start=1):  # misspelt: "fevreri"
        if strip_accents(name)[:4] == key[:4]:
            return number
    raise KeyError(token)


def _day_number(token: str) -> int:
    if token.lower() in ("1er", "premier"):
        return 1
    if _is_words(token):
        value = parse_number(token)
        if value is None:
            raise ValueError(token)
        return value
    return int(_digits(token))


def _year_number(token: str) -> int:
    if _is_words(token):
        value = parse_number(token)
        if value is None:
            raise ValueError(token)
        if "mil" in strip_accents(token).lower():
            return value
        token = f"{value % 100:02d}"
    token = _digits(token)
    if len(token) == 4:
        return int(token)
    if len(token) != 2:
        raise ValueError(token)
    value = int(token)
    pivot = (dt.date.today().year % 100) + 5
    return 2000 + value if value <= pivot else 1900 + value


def _safe_date(year: int, month: int, day: int) -> dt.date:
    """Impossible calendar dates (31/06, 30/02) are still personal data: clamp, then shift."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _months_for(days: int) -> int:
    """The keyed offset in whole months, never 0, for dates written to the month."""
    months = round(days / 30.44)
    return months if months else (1 if days >= 0 else -1)


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _render_month_name(original: str, month: int) -> str:
    bare = original.rstrip(".")
    folded = strip_accents(bare).lower()
    standard = MONTHS[_month_number(bare) - 1]
    # The full name, or a misspelt one ("fevreri"): written in full.
    full_form = folded == strip_accents(standard) or folded not in _MONTH_LOOKUP
    word = MONTHS[month - 1] if full_form else MONTH_ABBREVIATIONS[month - 1]
    # "fevrier", "aout": the writer drops accents, so the surrogate does too.
    if strip_accents(bare) == bare and strip_accents(standard) != standard:
        word = strip_accents(word)
    dotted = original.endswith(".") and word != MONTHS[month - 1]
    return _same_case(bare, word) + ("." if dotted else "")


def _render_weekday(original: str, weekday: int) -> str:
    bare = original.rstrip(".")
    word = WEEKDAYS[weekday]
    if len(bare) <= 3:
        word = word[:3]
    return _same_case(bare, word) + ("." if original.endswith(".") else "")


def _render_number(original: str, value: int, pad_default: bool) -> str:
    width = len(original) if (original.startswith("0") or pad_default) else 1
    return str(value).zfill(width)


_RANGE_BARE = rf"(?P<d>{_DAY})(?:-|{_RANGE_LINK})(?P<d2>{_DAY})"
# Patterns whose context lies outside the span they return.
_BARE = {
    name: regex.compile(pattern, regex.IGNORECASE) for name, pattern in {
        "numeric_dm": rf"(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})",
        "numeric_dm_note": rf"(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})",
        "month_alone": rf"(?P<m>{_MONTH})",
        "numeric_my_spaced": rf"(?P<m>0[1-9]|1[0-2])[ \t](?P<y>{_YEAR4})",
        "digits_spaced_short": r"(?P<d>[0-3] \d) (?P<m>[01] \d) (?P<y>\d \d)"
                               r"(?: (?P<t>[0-2] \d [0-5] \d))?",
        "numeric_range_dmy": rf"{_RANGE_BARE}(?P<sep>[/.])(?P<m>{_NUM_MONTH})(?P=sep)(?P<y>{_YEAR})",
        "numeric_range_dm": rf"{_RANGE_BARE}/(?P<m>{_NUM_MONTH})",
    }.items()
}


def _parse(text: str) -> tuple[str, regex.Match] | None:
    for name, pattern in _COMPILED:
        match = _BARE.get(name, pattern).fullmatch(text)
        if match:
            return name, match
    return None


def shift_date_text(text: str, days: int) -> str | None:
    """`text` (one date as found by DATE_PATTERNS) moved by `days`, in its own format.

    Returns None when the text is not a date these patterns know, or not one the calendar
    can hold ("1er fevreri 20030").
    """
    parsed = _parse(text)
    if parsed is None:
        return None
    step = 1 if days >= 0 else -1
    # A shift that writes the same text (a day-and-month date moved by a whole year, a month
    # moved by twelve) would leave the original: move a little further.
    for extra in (0, step, 31 * step):
        try:
            shifted = _shift(*parsed, days + extra)
        except (KeyError, ValueError, OverflowError):
            return None
        if shifted != text:
            return shifted
    return None


def _shift(name: str, match: regex.Match, days: int) -> str:
    groups = {g: v for g, v in match.groupdict().items() if v}
    # Day numbers beside a month name are written "1er", "5"; between separators, "01", "05".
    textual = name != "text_separated" and not _digits(groups.get("m", "x")).isdigit()

    def render(group: str, value: dt.date) -> str:
        token = groups[group]
        if " " in token and _DIGITS_OCR.fullmatch(token):  # one box per digit: "0 7"
            return " ".join(render_compact(group, _digits(token), value))
        return render_compact(group, token, value)

    def render_compact(group: str, token: str, value: dt.date) -> str:
        if group in ("d", "d2"):
            if _is_words(token):
                return day_in_words(value.day, token)
            token = _digits(token)
            if token.lower() == "1er" or (textual and value.day == 1):
                return "1er" if value.day == 1 else str(value.day)
            return _render_number(token, value.day, pad_default=not textual)
        if group in ("m", "m2"):
            if _digits(token).isdigit():
                return _render_number(_digits(token), value.month, pad_default=True)
            if name == "text_separated" and token.lower() in MONTHS_EN:  # "12-MAR-2013"
                return _same_case(token, MONTHS_EN[value.month - 1])
            return _render_month_name(token, value.month)
        if group == "y":
            if _is_words(token):
                return year_in_words(value.year, token)
            return str(value.year) if len(_digits(token)) == 4 else f"{value.year % 100:02d}"
        if group == "wd":
            return _render_weekday(token, value.weekday())
        raise KeyError(group)

    if name == "weekday_day":  # "jeudi 18": neither month nor year is known
        day = _day_number(groups["d"])
        moved = _safe_date(REFERENCE_YEAR, 1, day) + dt.timedelta(days=days)
        weekday = (_WEEKDAY_LOOKUP[strip_accents(groups["wd"].rstrip(".")).lower()] + days) % 7
        return _substitute(match, {"d": render("d", moved),
                                   "wd": _render_weekday(groups["wd"], weekday)})
    month = _month_number(groups["m"])
    year = _year_number(groups["y"]) if "y" in groups else REFERENCE_YEAR
    listed = {g: list(zip(match.starts(g), match.ends(g), match.captures(g), strict=True))
              for g in ("dl", "ml") if g in groups}
    if name in _MONTH_PRECISION:
        months = _months_for(days)
        index = year * 12 + month - 1 + months
        moved = dt.date(index // 12, index % 12 + 1, 1)
        extra = []
        for start_at, end_at, token in listed.get("ml", []):  # "mars, avril et mai 1978"
            number = _month_number(token)
            listed_index = (year if number <= month else year - 1) * 12 + number - 1 + months
            extra.append((start_at, end_at, _render_month_name(token, listed_index % 12 + 1)))
        return _substitute(match, {g: render(g, moved) for g in ("m", "y") if g in groups}, extra=extra)
    day = _day_number(groups["d"])
    delta = dt.timedelta(days=days)
    start = _safe_date(year, month, day) + delta
    if "dl" in listed:  # "10, 11 et 12 jan 78": a day whose month changes gets its month written
        extra = []
        for start_at, end_at, token in listed["dl"]:
            moved = _safe_date(year, month, _day_number(token)) + delta
            written = render_compact("d", token, moved)
            if (moved.year, moved.month) != (start.year, start.month):
                written += " " + render_compact("m", groups["m"], moved)
                if "y" in groups and moved.year != start.year:
                    written += " " + render_compact("y", groups["y"], moved)
            extra.append((start_at, end_at, written))
        return _substitute(match, {g: render(g, start) for g in ("d", "m", "y", "wd") if g in groups},
                           extra=extra)
    if "m2" in groups:  # "24 avril au 14 mai 2021"
        end_month = _month_number(groups["m2"])
        # "28 décembre au 3 janvier 2021": the start is in the year before.
        start_year = year - 1 if month > end_month else year
        start = _safe_date(start_year, month, day) + delta
        end = _safe_date(year, end_month, _day_number(groups["d2"])) + delta
        replacements = {"d": render("d", start), "m": render("m", start),
                        "d2": render("d2", end), "m2": render("m2", end)}
        if "y" in groups:
            replacements["y"] = render("y", end)
        return _substitute(match, replacements)
    if "d2" in groups:  # "3 au 15 mars 2013", "08-09/08/07"
        end = _safe_date(year, month, _day_number(groups["d2"])) + delta
        if (start.year, start.month) != (end.year, end.month):
            return _render_split_range(match, start, end, render)
        replacements = {"d": render("d", start), "d2": render("d2", end), "m": render("m", end)}
        if "y" in groups:
            replacements["y"] = render("y", end)
        return _substitute(match, replacements)
    return _substitute(match, {g: render(g, start) for g in groups if g not in ("sep", "t")})


def _render_split_range(
    match: regex.Match, start: dt.date, end: dt.date, render: Callable[[str, dt.date], str]
) -> str:
    """"3 au 15 mars" whose shifted ends fall in two months: "28 février au 12 mars";
    "08-09/08/07" becomes "31/07-01/08/07"."""
    text = match.string
    start_part = render("d", start) + text[match.end("d2") : match.start("m")] + render("m", start)
    has_year = bool(match.groupdict().get("y"))
    if has_year and start.year != end.year:
        start_part += text[match.end("m") : match.start("y")] + render("y", start)
    rest = _substitute(
        match, {"d2": render("d2", end), "m": render("m", end)}
        | ({"y": render("y", end)} if has_year else {}),
        from_group="d2",
    )
    connector = text[match.end("d") : match.start("d2")]
    return start_part + connector + rest


def _substitute(match: regex.Match, replacements: dict[str, str], from_group: str | None = None,
                extra: list[tuple[int, int, str]] | None = None) -> str:
    """The matched text with the named groups replaced, and `extra` (start, end, text) spans."""
    base = match.start() if from_group is None else match.start(from_group)
    text = match.string[base : match.end()]
    spans = sorted(
        [*((match.start(g) - base, match.end(g) - base, v) for g, v in replacements.items()),
         *((start - base, end - base, v) for start, end, v in extra or ())],
        reverse=True,
    )
    for start, end, value in spans:
        text = text[:start] + value + text[end:]
    return text
