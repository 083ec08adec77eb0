"""Date shifting keeps the written format of every French date form."""

from __future__ import annotations

import pytest

from deident.dates import shift_date_text

CASES = [
    ("12/03/2013", 20, "01/04/2013"),
    ("12-03-13", 20, "01-04-13"),
    ("12.03.2013", -40, "31.01.2013"),
    ("12 mars 2013", 20, "1er avril 2013"),
    ("1er avril", 20, "21 avril"),
    ("mars 2013", 20, "avril 2013"),
    ("03/2013", -40, "02/2013"),
    ("3 au 15 mars 2013", 20, "23 mars au 4 avril 2013"),
    ("25 au 30 mars 2013", 20, "14 au 19 avril 2013"),
    ("lundi 4 février 2019", 20, "dimanche 24 février 2019"),
    ("4 aout", -40, "25 juin"),
    ("Décembre 2004", 20, "Janvier 2005"),
    ("DÉC. 2019", 20, "JANV. 2020"),
    ("2021-08-09", 20, "2021-08-29"),
    ("31/06/17", 20, "20/07/17"),  # impossible date: clamped, still replaced
    ("09/08", 20, "29/08"),
    ("0 7 0 8 1 9 8 3", 30, "0 6 0 9 1 9 8 3"),  # one box per digit, on forms
    ("24 avril au 14 mai 2021", 20, "14 mai au 3 juin 2021"),
    ("28 décembre au 3 janvier 2021", 10, "7 janvier au 13 janvier 2021"),
    # Dates known to the month move by whole months, never 0: a small offset still changes them.
    ("mars 2013", 10, "avril 2013"),
    ("mars 2013", -10, "février 2013"),
    ("03-2013", 20, "04-2013"),
    ("2013-03", -40, "2013-02"),
    ("2013/03", 20, "2013/04"),
    ("07 2002", 20, "08 2002"),
    ("aout 18", 20, "septembre 18"),
    ("mars", 365, "avril"),  # twelve months would write the same text
    ("12 mars", 365, "13 mars"),  # so would a whole year without its year
    # In words, in the writer's style.
    ("douze avril mil neuf cent soixante", 20, "deux mai mil neuf cent soixante"),
    ("Mardi vingt-sept Décembre deux mille vingt-deux", 20,
     "Lundi seize Janvier deux mille vingt-trois"),
    ("MARDI VINGT-SEPT DÉCEMBRE DEUX MILLE VINGT-DEUX", 20,
     "LUNDI SEIZE JANVIER DEUX MILLE VINGT-TROIS"),
    ("deux mille quatorze, janvier, 6", 20, "deux mille quatorze, janvier, 26"),
    ("trente août deux mille dix neuf", 20, "dix-neuf septembre deux mille dix neuf"),
    ("mardi douze mars", 20, "samedi premier avril"),
    ("mai soixantedix-huit", 20, "juin soixante-dix-huit"),
    ("10 jan quatrevingtsonzes", 20, "30 janv quatrevingtonze"),
    # Compact, year first, scanned (O for 0, l for 1: written back in digits).
    ("8dec11", 20, "28dec11"),
    ("89/1O/29", 20, "89/11/18"),
    ("12/O3/1961", -40, "31/01/1961"),
    ("1O février 2O13", 20, "2 mars 2013"),
    ("jeudi 18", 20, "mercredi 7"),  # a weekday and a day: both move
    # One digit per box keeps one digit per box; a time after the date stays.
    ("0 6 1 2 2 0 2 2", 20, "2 6 1 2 2 0 2 2"),
    ("0 1 0 2 0 3 0 9 4 5", 20, "2 1 0 2 0 3 0 9 4 5"),
    # Day ranges with one month.
    ("08-09/08/07", 20, "28-29/08/07"),
    ("30-31/08/07", 1, "31/08-01/09/07"),
    ("10 - 12/08", 20, "30/08 - 01/09"),
    # Lists: the days (or months) before the last share its month (or year).
    ("10, 11 et 12 jan 78", 20, "30 janv, 31 janv et 1er févr 78"),
    ("mars, avril et mai 1978", -40, "février, mars et avril 1978"),
    # Exports and other separators.
    ("12-MAR-2013", 20, "01-APR-2013"),
    ("12-mars-2013", -40, "31-janvier-2013"),
    ("2013.03.12", 20, "2013.04.01"),
]


@pytest.mark.parametrize(("original", "days", "expected"), CASES)
def test_shift_keeps_format(original: str, days: int, expected: str) -> None:
    assert shift_date_text(original, days) == expected


def test_not_a_date() -> None:
    assert shift_date_text("Parkinson", 10) is None


def test_a_date_the_calendar_cannot_hold_is_not_shifted() -> None:
    assert shift_date_text("1er fevreri 20030", 20) is None  # the caller falls back to same shape
