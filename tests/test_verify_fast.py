"""The verifier's fast paths for large tables give what the plain definitions give: the
surrogate index (Written.holds), the line-joined batches of first_remnant, the lines fix
skips, the one-pass literal search of propagation. Each is compared with the slow form
it replaced, on generated inputs; and a remnant in a typed column's neighbour is still
found and refused in a large CSV."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex

import deident.core as core
import deident.verify as verify
from deident import Deidentifier
from deident.analyzer import Spans, _occurrences
from deident.document import Piece
from deident.entities import FR_NIR, PERSON, PHONE, Entity
from deident.lexicons import load_lexicons
from deident.normalize import alnum_only
from deident.verify import Remnants, Written, common_words, first_remnant, fix, tells_of

NIR = "2580775112048" + f"{97 - 2580775112048 % 97:02d}"


def _naive_holds(surrogates: list[str], value: str) -> bool:
    def compact(text: str) -> str:
        return "".join(c for c in text if c.isalnum()).upper()

    words = [compact(s) for s in surrogates if compact(s)]
    target = compact(value)
    return any(target in w or (len(w) >= 6 and w in target) for w in words)


def test_alnum_only_is_isalnum() -> None:
    draw = random.Random(1)
    alphabet = "aZ9 .-/()+é\u00a0ß_@٣Ⅻ²!?'\"\t"
    for _ in range(20_000):
        text = "".join(draw.choice(alphabet) for _ in range(draw.randint(0, 12)))
        assert alnum_only(text) == "".join(c for c in text if c.isalnum())


def test_written_holds_as_a_scan_of_every_surrogate() -> None:
    draw = random.Random(2)
    digits = "0123456789"
    surrogates = ["".join(draw.choice(digits + " .") for _ in range(draw.randint(1, 16)))
                  for _ in range(300)] + ["jean.martin@exemple.fr", "06 12 34 56 78", ""]
    written = Written()
    for surrogate in surrogates:
        written.add(surrogate)
    values = [s[i:j] for s in surrogates[:100] for i, j in [(0, len(s)), (1, len(s) - 1)]]
    values += ["".join(draw.choice(digits + " ") for _ in range(draw.randint(0, 30)))
               for _ in range(2000)]
    values += ["x 0612345678 y", "martin@exemple", "", "MARTIN"]
    for value in values:
        assert written.holds(value) == _naive_holds(surrogates, value), value
    assert not Written().holds("0612345678")


def test_literals_are_found_as_finditer_finds_them() -> None:
    draw = random.Random(3)
    for few in (3, 30):  # str.find for a few, one trie pass for many
        for _ in range(1500):
            literals = list(dict.fromkeys(
                "".join(draw.choice("ab@.") for _ in range(draw.randint(1, 4)))
                for _ in range(draw.randint(1, few))))
            text = "".join(draw.choice("ab@.\n") for _ in range(draw.randint(0, 40)))
            found = _occurrences(literals, text)
            for literal in literals:
                expected = [m.start() for m in regex.finditer(regex.escape(literal), text)]
                apart, after = [], 0
                for start in found.get(literal, ()):
                    if start >= after:
                        apart.append(start)
                        after = start + len(literal)
                assert apart == expected, (literal, text)


@pytest.fixture(scope="module")
def remnants() -> Remnants:
    lexicons = load_lexicons()
    values = [(PERSON, "Vasseur"), (PERSON, "Petit"), (FR_NIR, NIR), (PHONE, "06 12 34 56 78")]
    return Remnants([tells_of(values, lexicons)], common_words(lexicons))


def _texts() -> list[str]:
    return ["vu par Mme Vasseur ce jour", "Petit déjeuner pris", "le Dr PETIT", "",
            f"NIR {NIR}", "tél. 06 12 34 56 78 ou 0612345678", "VasseurJean",
            "rien à signaler", "Mme  Petit", "  ", "\u00a0Vasseur", "petit_vasseur.png"]


def test_first_remnant_in_batches_as_piece_by_piece(remnants: Remnants) -> None:
    draw = random.Random(4)
    texts = _texts()
    for _ in range(300):
        pieces = [Piece(f"piece {i}", draw.choice(texts)) for i in range(draw.randint(1, 8))]
        expected = None
        for piece in pieces:  # the definition: each piece alone, in order
            if piece.text.strip() and (hits := remnants.find(piece.text)):
                expected = f"verification failed: {hits[0].type} remnant in {piece.location}"
                break
        assert first_remnant(pieces, remnants, Written(), lambda _: Spans()) == expected


def test_fix_skips_only_lines_that_one_entity_covers(
        remnants: Remnants, monkeypatch: pytest.MonkeyPatch) -> None:
    draw = random.Random(5)
    texts = _texts()
    for _ in range(300):
        lines = [draw.choice(texts) for _ in range(draw.randint(1, 6))]
        text = "\n".join(lines)
        entities, position = [], 0
        for line in lines:  # lines whole entities (typed cells), or a word of them
            chance = draw.random()
            if line and chance < 0.4:
                entities.append(Entity(position, position + len(line), PERSON, 1.0))
            elif " " in line.strip() and chance < 0.7:
                first = position + len(line) - len(line.lstrip())
                entities.append(Entity(first, position + line.index(" ", first - position),
                                       PERSON, 1.0))
            position += len(line) + 1
        fixed = fix(text, entities, remnants, lambda _: Spans())
        with monkeypatch.context() as patch:  # the definition: the whole text searched
            patch.setattr(verify, "_uncovered_lines", lambda text, entities: [(0, len(text))])
            assert fixed == fix(text, entities, remnants, lambda _: Spans()), text


def test_a_missed_name_beside_typed_columns_is_refused(
        deidentifier: Deidentifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many rows of typed cells, one comment naming the patient: with the fix switched
    off, the check after writing still finds it (the fast paths skip nothing it reads)."""
    rows = ["Nom;Prénom;NIR;Commentaire"]
    rows += [f"Martin;Jean;{NIR};RAS" for _ in range(300)]
    rows.append(f"Vasseur;Anne;{NIR};revu par Mme Vasseur")
    src = tmp_path / "export.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    analyze_many = deidentifier.analyzer.analyze_many

    def missing(texts):  # detection misses the comment's name
        texts = list(texts)
        return ([e for e in found if text[e.start:e.end].find("Vasseur") == -1]
                for text, found in zip(texts, analyze_many(texts), strict=True))

    monkeypatch.setattr(deidentifier.analyzer, "analyze_many", missing)
    monkeypatch.setattr(deidentifier.analyzer, "propagate", lambda text, entities: entities)
    monkeypatch.setattr(core, "fix", lambda text, entities, remnants, protected: entities)
    report = deidentifier.pseudonymize_file(src, tmp_path / "out.csv")
    assert report.status == "refused"
    assert report.reason == "verification failed: PERSON remnant in row 302"
    assert not (tmp_path / "out.csv").exists()
