"""The anonymizer step: Presidio's engine with the surrogate operator, in segments."""

from __future__ import annotations

from deident.anonymizer import _segments
from deident.entities import Entity


def test_segments_never_cut_an_entity() -> None:
    text = "".join(f"ligne {i} avec un nom\n" for i in range(400))
    entities = [Entity(i, i + 30, "PERSON", 0.9) for i in range(5, len(text) - 40, 97)]
    pieces = list(_segments(text, entities, 500))
    assert "".join(text[s:e] for s, e, _ in pieces) == text
    assert sum(len(local) for _, _, local in pieces) == len(entities)
    for start, end, local in pieces:
        assert all(start <= e.start and e.end <= end for e in local)


def test_long_text_is_pseudonymized_like_short_ones(deidentifier) -> None:
    block = "Mme Gwenaëlle KERBRAT, tél. 06 12 34 56 78, vue le 12/03/2013.\n"
    long_text = block * 300
    out = deidentifier.pseudonymize_text(long_text).text
    assert out.count("\n") == 300
    assert "KERBRAT" not in out and "06 12 34 56 78" not in out
    assert len(set(out.splitlines())) == 1, "the same values get the same surrogates"
