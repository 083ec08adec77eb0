"""French numbers in words: every day and year written back is read back, and found."""

from __future__ import annotations

import pytest
import regex

from deident.french_numbers import (
    DAY_WORDS,
    YEAR_WORDS,
    YEAR_WORDS_SHORT,
    day_in_words,
    parse_number,
    year_in_words,
)


@pytest.mark.parametrize(("text", "value"), [
    ("trente et un", 31), ("vingt-sept", 27), ("premier", 1), ("dix neuf", 19),
    ("soixante dix huit", 78), ("quatre-vingt-onze", 91), ("quatrevingtsonzes", 91),
    ("mil neuf cent soixante", 1960), ("mille neuf cents quatrevingtdix-huit", 1998),
    ("deux mille quatorze", 2014), ("DEUX MILLE VINGT-DEUX", 2022), ("soixantedix-huit", 78),
])
def test_parse(text: str, value: int) -> None:
    assert parse_number(text) == value


def test_not_a_number() -> None:
    assert parse_number("mars") is None
    assert parse_number("") is None


DAY_MODELS = ("douze", "vingt-sept", "trente et un", "VINGT ET UN", "quatrevingtonze")
YEAR_MODELS = ("mil neuf cent soixante", "deux mille vingt-deux", "mille neuf cent soixante dix huit",
               "DEUX MILLE DIX NEUF")
SHORT_MODELS = ("soixantedix-huit", "vingt trois")


@pytest.mark.parametrize("model", DAY_MODELS)
def test_every_day_is_written_and_read_back(model: str) -> None:
    for day in range(1, 32):
        words = day_in_words(day, model)
        assert parse_number(words) == day, words
        assert regex.fullmatch(DAY_WORDS, words, regex.IGNORECASE), words


@pytest.mark.parametrize("model", YEAR_MODELS)
def test_every_year_is_written_and_read_back(model: str) -> None:
    for year in range(1900, 2100):
        words = year_in_words(year, model)
        assert parse_number(words) == year, words
        assert regex.fullmatch(YEAR_WORDS, words, regex.IGNORECASE), words


@pytest.mark.parametrize("model", SHORT_MODELS)
def test_two_digit_years(model: str) -> None:
    for year in (*range(1921, 1930), *range(1961, 2000)):
        words = year_in_words(year, model)
        assert parse_number(words) == year % 100, words
        assert regex.fullmatch(YEAR_WORDS_SHORT, words, regex.IGNORECASE), words


def test_style_is_kept() -> None:
    assert year_in_words(2023, "deux mille vingt-deux") == "deux mille vingt-trois"
    assert year_in_words(1961, "mil neuf cent soixante") == "mil neuf cent soixante et un"
    assert year_in_words(1980, "MILLE NEUF CENT SOIXANTE") == "MILLE NEUF CENT QUATRE VINGTS"
    assert day_in_words(17, "Douze") == "Dix-sept"
    assert day_in_words(1, "douze") == "premier"
