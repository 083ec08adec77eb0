"""Regression cases as data: tests/cases/<type>.jsonl, one case a line.

Each case lists every identifier in its text and the medical words that must
survive. A case passes when no identifier is left in the output (as a whole
word, case-sensitive, an underscore counting as a separator), nor any word of
a name (a three-word first name that loses two words still betrays the third),
each was detected with the expected type, and every `keep` string is still there.
"""

from __future__ import annotations

import re

import pytest

from conftest import CASES_DIR, load_cases

CASE_FILES = sorted(p.name for p in CASES_DIR.glob("*.jsonl"))
CASES = [(name, case) for name in CASE_FILES for case in load_cases(name)]


# Words of a name that betray nobody alone.
_PARTICLES = {"de", "du", "des", "le", "la", "les", "d", "l", "van", "von", "der", "ben", "el",
              "da", "do", "dos", "das"}


def _name_words(case: dict) -> set[str]:
    return {w for e in case["entities"] if e["type"] == "PERSON"
            for w in re.findall(r"\w{2,}", e["text"]) if w.lower() not in _PARTICLES}


def _occurrences(haystack: str, needle: str) -> int:
    # A whole word, an underscore being a separator: "Dupont" left in "CR_Dupont_Jean.pdf".
    pre = r"(?<![^\W_])" if needle[:1].isalnum() else ""
    post = r"(?![^\W_])" if needle[-1:].isalnum() else ""
    return len(re.findall(pre + re.escape(needle) + post, haystack))


@pytest.fixture(scope="module")
def results(deidentifier):
    texts = [case["text"] for _, case in CASES]
    return dict(zip([case["id"] for _, case in CASES],
                    deidentifier.pseudonymize_texts(texts), strict=True))


@pytest.mark.parametrize(("file", "case"), CASES, ids=[c["id"] for _, c in CASES])
def test_case(file: str, case: dict, results) -> None:
    result = results[case["id"]]
    text = case["text"]
    problems = []
    for expected in case["entities"]:
        value = expected["text"]
        if _occurrences(result.text, value):
            problems.append(f"{expected['type']} left in output")
        start = text.find(value)
        found = {e.type for e in result.entities if e.start < start + len(value) and start < e.end}
        if expected["type"] not in found:
            problems.append(f"{expected['type']} at {start} detected as {sorted(found) or 'nothing'}")
    for word in _name_words(case):  # no more of it than the text holds outside the names
        outside = max(0, _occurrences(text, word) - sum(_occurrences(e["text"], word)
                                                        for e in case["entities"]))
        if _occurrences(result.text, word) > outside:
            problems.append(f"a word of a PERSON value left in output ({len(word)} letters)")
    for keep in case["keep"]:
        if _occurrences(result.text, keep) < _occurrences(text, keep):
            problems.append(f"keep item at {text.find(keep)} was altered")
    assert not problems, problems


def test_enough_cases_per_type() -> None:
    counts = {name: len(load_cases(name)) for name in CASE_FILES}
    assert counts.pop("allow_list.jsonl") >= 40
    # The three types added with issue 14 (HOSPITAL, VEHICLE_PLATE, PAYMENT_CARD) start
    # with fewer cases; every older type keeps at least 30.
    newer = {"hospital.jsonl": 30, "vehicle_plate.jsonl": 10, "payment_card.jsonl": 8}
    assert len(counts) >= 16
    assert all(n >= newer.get(name, 30) for name, n in counts.items()), counts


def test_case_files_are_well_formed() -> None:
    for name in CASE_FILES:
        for case in load_cases(name):
            for item in case["entities"]:
                assert item["text"] in case["text"], case["id"]
            for keep in case["keep"]:
                assert keep in case["text"], case["id"]
