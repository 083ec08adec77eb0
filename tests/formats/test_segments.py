"""A replacement over text stored in pieces is cut where the original was cut."""

from __future__ import annotations

import pytest

from deident.formats.segments import Segment, SegmentedText, split_replacement


@pytest.mark.parametrize(("original", "new", "cuts", "pieces"), [
    ("Jean DUPONT", "Paul MARTIN", [5], ["Paul ", "MARTIN"]),  # between words
    ("Jean DUPONT", "Marie-Claire LE GOFF", [5], ["Marie-Claire ", "LE GOFF"]),  # more words
    ("Jean-Pierre DUPONT", "Luc MARTIN", [12], ["Luc ", "MARTIN"]),
    ("DUPONT", "MARTINEZ", [2], ["MAR", "TINEZ"]),  # inside a word: same proportion
    ("Jean DUPONT", "Paul", [5], ["Paul", ""]),  # fewer words: the rest is empty
    ("Jean DUPONT", "Paul MARTIN", [4], ["Paul", " MARTIN"]),  # the blank stays after
    ("12/03/1956", "04/03/1957", [3, 6], ["04/", "03/", "1957"]),
])
def test_split_replacement(original: str, new: str, cuts: list[int], pieces: list[str]) -> None:
    assert split_replacement(original, new, cuts) == pieces
    assert "".join(split_replacement(original, new, cuts)) == new


def test_edits_keep_each_piece_in_its_segment() -> None:
    written: dict[int, str] = {}

    def segment(index: int, text: str) -> Segment:
        return Segment(text, lambda value: written.__setitem__(index, value))

    pieces = SegmentedText([segment(0, "Mme "), segment(1, "Jean "), segment(2, "DUPONT"),
                            Segment("\t", None), segment(3, "vue le 12/03")])
    assert pieces.text == "Mme Jean DUPONT\tvue le 12/03"
    pieces.apply([(4, 15, "Paul MARTIN"), (23, 28, "04/05")])
    assert written == {1: "Paul ", 2: "MARTIN", 3: "vue le 04/05"}  # "Mme " untouched


def test_text_mapped_onto_a_fixed_character_moves_to_the_next_piece() -> None:
    written: dict[int, str] = {}
    pieces = SegmentedText([
        Segment("11 janvier", lambda v: written.__setitem__(0, v)),
        Segment("\n", None),
        Segment("2017", lambda v: written.__setitem__(1, v)),
    ])
    pieces.apply([(0, 15, "12 février 2018")])
    assert written == {0: "12 février", 1: "2018"}
