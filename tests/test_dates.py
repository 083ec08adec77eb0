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
]


@pytest.mark.parametrize(("original", "days", "expected"), CASES)
def test_shift_keeps_format(original: str, days: int, expected: str) -> None:
    assert shift_date_text(original, days) == expected


def test_not_a_date() -> None:
    assert shift_date_text("Parkinson", 10) is None
