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
_WEEKDAY_LOOKUP = {strip_accents(w): i for i, w in enumerate(WEEKDAYS)}
_WEEKDAY_LOOKUP.update({strip_accents(w[:3]): i for i, w in enumerate(WEEKDAYS)})


def _alternation(words: list[str]) -> str:
    forms: set[str] = set()
    for word in words:
        forms.update({word, strip_accents(word)})
    return "|".join(sorted(forms, key=len, reverse=True))


_MONTH = rf"(?:{_alternation(list(MONTHS) + list(MONTH_ABBREVIATIONS) + list(_MONTH_LOOKUP))})\.?"
_WEEKDAY = rf"(?:{_alternation(list(WEEKDAYS) + [w[:3] for w in WEEKDAYS])})\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_NUM_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR4 = r"(?:1[89]\d\d|20\d\d)"
_YEAR = rf"(?:{_YEAR4}|\d\d)"
# Not glued to a preceding digit, letter or separator. The look-ahead comes first: the
# regex engine then skips non-digits at once instead of testing the look-behind everywhere.
_B = r"(?=\d)(?<![\w/.\-|])"
_B_WEEKDAY = r"(?=[\dDJLMSVdjlmsv])(?<![\w/.\-|])"  # a weekday may come first
_E = r"(?![\w/|]|[.\-]\d)"

_S = r"[ \t]+"  # blanks inside a date never cross a line…
_NL = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # …except before a four-digit year ("11 janvier\n2017")

# (name, pattern, score). Named groups: wd weekday, d day, d2 range end day, m month, y year.
DATE_PATTERNS: list[tuple[str, str, float]] = [
    (
        "range_text",
        rf"\b(?P<d>1er|{_DAY}){_S}(?:au|-){_S}(?P<d2>{_DAY}){_S}(?P<m>{_MONTH})"
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
        rf"{_B}(?P<d>{_DAY}) (?P<m>{_NUM_MONTH}) (?P<y>{_YEAR4}|\d\d)(?! ?\d)(?![\w])",
        0.5,
    ),
    (
        "digits_spaced",  # "0 7 0 8 1 9 8 3": forms with one box per digit
        r"(?<![\d ]|\d )(?P<d>[0-3] \d) (?P<m>[01] \d) (?P<y>[12] \d \d \d)(?! ?\d)",
        0.6,
    ),
    ("numeric_ymd", rf"{_B}(?P<y>{_YEAR4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){_E}", 0.85),
    ("numeric_my", rf"{_B}(?P<m>{_NUM_MONTH})[/.](?P<y>{_YEAR4}){_E}", 0.7),
    (
        "numeric_dm",
        rf"\b(?:le|du|au|depuis le|et le){_S}\K(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})"
        rf"(?![\w/]|[.]\d)",
        0.6,
    ),
    (
        "numeric_dm_note",  # "07/07 16h30 : Cible…", "• 11/09 : bilan", "(29/01)"
        rf"(?:^[ \t]*(?:[-•*–][ \t]*)?\K(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})(?=[ \t]*(?::|\d{{1,2}}[h:]\d\d|$))"
        rf"|(?<=\()(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})(?=\)))",
        0.6,
    ),
    (
        "range_two_months",  # "24 avril au 14 mai 2021": one span, two months
        rf"\b(?P<d>1er|{_DAY}){_S}(?P<m>{_MONTH}){_S}(?:au|-){_S}(?P<d2>1er|{_DAY}){_S}"
        rf"(?P<m2>{_MONTH})(?:{_S}(?P<y>{_YEAR4}))?(?!\w)",
        0.85,
    ),
    ("month_year", rf"\b(?P<m>{_MONTH}){_S}(?P<y>{_YEAR4})(?![\w])", 0.8),
    (
        "month_alone",
        rf"\b(?:en|depuis|début|debut|fin|courant|mi-|d'|dès|jusqu'en)[ \t]*\K(?P<m>{_MONTH})"
        rf"(?![\w])",
        0.55,
    ),
]

_COMPILED = [
    (name, regex.compile(pattern, regex.IGNORECASE))
    for name, pattern, _ in DATE_PATTERNS
]
REFERENCE_YEAR = 2000  # leap year: stands in for a missing year


def _month_number(token: str) -> int:
    token = token.replace(" ", "")
    if token.isdigit():
        return int(token)
    return _MONTH_LOOKUP[strip_accents(token.rstrip(".")).lower()]


def _year_number(token: str) -> int:
    token = token.replace(" ", "")
    if len(token) == 4:
        return int(token)
    value = int(token)
    pivot = (dt.date.today().year % 100) + 5
    return 2000 + value if value <= pivot else 1900 + value


def _safe_date(year: int, month: int, day: int) -> dt.date:
    """Impossible calendar dates (31/06, 30/02) are still personal data: clamp, then shift."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _same_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _render_month_name(original: str, month: int) -> str:
    bare = original.rstrip(".")
    standard = MONTHS[_month_number(bare) - 1]
    full_form = strip_accents(bare).lower() == strip_accents(standard)
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


# Patterns whose context lies outside the span they return.
_BARE = {
    "numeric_dm": regex.compile(rf"(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})", regex.IGNORECASE),
    "numeric_dm_note": regex.compile(rf"(?P<d>{_DAY})/(?P<m>{_NUM_MONTH})", regex.IGNORECASE),
    "month_alone": regex.compile(rf"(?P<m>{_MONTH})", regex.IGNORECASE),
}


def _parse(text: str) -> tuple[str, regex.Match] | None:
    for name, pattern in _COMPILED:
        match = _BARE.get(name, pattern).fullmatch(text)
        if match:
            return name, match
    return None


def shift_date_text(text: str, days: int) -> str | None:
    """`text` (one date as found by DATE_PATTERNS) moved by `days`, in its own format.

    Returns None when the text is not a date these patterns know.
    """
    parsed = _parse(text)
    if parsed is None:
        return None
    name, match = parsed
    groups = match.groupdict()
    month = _month_number(groups["m"])
    year_token = groups.get("y")
    year = _year_number(year_token) if year_token else REFERENCE_YEAR
    day_token = groups.get("d")
    # Month precision moves the middle of the month.
    day = 15 if day_token is None else 1 if day_token.lower() == "1er" else int(
        day_token.replace(" ", ""))
    start = _safe_date(year, month, day) + dt.timedelta(days=days)
    textual = name in ("text", "range_text", "range_two_months", "month_year", "month_alone")

    def render(group: str, value: dt.date) -> str:
        token = groups[group]
        if " " in token:  # one box per digit: "0 7"
            return " ".join(render_compact(group, token.replace(" ", ""), value))
        return render_compact(group, token, value)

    def render_compact(group: str, token: str, value: dt.date) -> str:
        if group in ("d", "d2"):
            if token.lower() == "1er" or (textual and value.day == 1):
                return "1er" if value.day == 1 else str(value.day)
            return _render_number(token, value.day, pad_default=not textual)
        if group in ("m", "m2"):
            if token.isdigit():
                return _render_number(token, value.month, pad_default=True)
            return _render_month_name(token, value.month)
        if group == "y":
            return str(value.year) if len(token) == 4 else f"{value.year % 100:02d}"
        if group == "wd":
            return _render_weekday(token, value.weekday())
        raise KeyError(group)

    if name == "range_two_months":
        end_month = _month_number(groups["m2"])
        end_day = 1 if groups["d2"].lower() == "1er" else int(groups["d2"])
        # "28 décembre au 3 janvier 2021": the start is in the year before.
        start_year = year - 1 if month > end_month else year
        start = _safe_date(start_year, month, day) + dt.timedelta(days=days)
        end = _safe_date(year, end_month, end_day) + dt.timedelta(days=days)
        replacements = {"d": render("d", start), "m": render("m", start),
                        "d2": render("d2", end), "m2": render("m2", end)}
        if year_token:
            replacements["y"] = render("y", end)
    elif name == "range_text":
        end_day = int(groups["d2"])
        end = _safe_date(year, month, end_day) + dt.timedelta(days=days)
        if (start.year, start.month) != (end.year, end.month):
            return _render_split_range(match, start, end, render)
        replacements = {"d": render("d", start), "d2": render("d2", end), "m": render("m", end)}
        if year_token:
            replacements["y"] = render("y", end)
    else:
        replacements = {g: render(g, start) for g, tok in groups.items() if tok and g != "sep"}
    return _substitute(match, replacements)


def _render_split_range(
    match: regex.Match, start: dt.date, end: dt.date, render: Callable[[str, dt.date], str]
) -> str:
    """"3 au 15 mars" whose shifted ends fall in two months: "28 février au 12 mars"."""
    start_part = f"{render('d', start)} {render('m', start)}"
    if match.group("y") and start.year != end.year:
        start_part += f" {render('y', start)}"
    rest = _substitute(
        match, {"d2": render("d2", end), "m": render("m", end)}
        | ({"y": render("y", end)} if match.group("y") else {}),
        from_group="d2",
    )
    connector = match.string[match.end("d") : match.start("d2")]
    return start_part + connector + rest


def _substitute(match: regex.Match, replacements: dict[str, str], from_group: str | None = None) -> str:
    base = match.start() if from_group is None else match.start(from_group)
    text = match.string[base : match.end()]
    spans = sorted(
        ((match.start(g) - base, match.end(g) - base, v) for g, v in replacements.items()),
        reverse=True,
    )
    for start, end, value in spans:
        text = text[:start] + value + text[end:]
    return text
