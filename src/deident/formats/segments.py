"""Text that a format stores in pieces (DOCX runs, each with its own formatting), edited as
one string.

A replacement that spans several pieces is cut where the original was cut, word for word:
"Jean " (plain) + "DUPONT" (bold) becomes "Paul " (plain) + "MARTIN" (bold).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from deident.document import Replacement

_WORD = re.compile(r"\S+")


@dataclass
class Segment:
    text: str
    write: Callable[[str], None] | None  # None: a fixed character (a tab, a line break)


class SegmentedText:
    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self.starts, position = [], 0
        for segment in segments:
            self.starts.append(position)
            position += len(segment.text)
        self.text = "".join(s.text for s in segments)

    def apply(self, edits: list[Replacement]) -> None:
        texts = [s.text for s in self.segments]
        # From the end backwards: offsets before an edit stay valid.
        for start, end, new in sorted(edits, reverse=True):
            touched = [i for i, s in enumerate(self.segments)
                       if self.starts[i] < end and start < self.starts[i] + len(s.text)]
            if not touched:
                continue
            cuts = [self.starts[i] - start for i in touched[1:]]
            pieces = split_replacement(self.text[start:end], new, cuts)
            carry = ""
            for index, piece in zip(touched, pieces, strict=True):
                segment = self.segments[index]
                if segment.write is None:
                    carry += piece.strip()  # text mapped onto a tab or break moves on
                    continue
                local_start = max(start, self.starts[index]) - self.starts[index]
                local_end = min(end, self.starts[index] + len(segment.text)) - self.starts[index]
                texts[index] = texts[index][:local_start] + carry + piece + texts[index][local_end:]
                carry = ""
            if carry:  # nothing editable after a fixed character: append to the last text
                last = max(i for i in touched if self.segments[i].write is not None)
                texts[last] += carry
        for segment, text in zip(self.segments, texts, strict=True):
            if segment.write is not None and text != segment.text:
                segment.write(text)


def split_replacement(original: str, new: str, cuts: list[int]) -> list[str]:
    """Cut `new` into len(cuts) + 1 pieces where `original` is cut (offsets into it).

    A cut between words of the original falls before the same word of `new`; a cut inside
    a word falls at the same proportion of the corresponding new word.
    """
    old_words = [m.span() for m in _WORD.finditer(original)]
    new_words = [m.span() for m in _WORD.finditer(new)]
    positions, previous = [], 0
    for cut in cuts:
        position = _map_cut(cut, old_words, new_words, len(new))
        position = max(previous, min(position, len(new)))
        positions.append(position)
        previous = position
    bounds = [0, *positions, len(new)]
    return [new[a:b] for a, b in itertools.pairwise(bounds)]


def _map_cut(cut: int, old_words: list[tuple[int, int]], new_words: list[tuple[int, int]],
             new_length: int) -> int:
    for index, (start, end) in enumerate(old_words):
        if cut <= start:  # between words: the blank goes where the original put it
            if index and cut == old_words[index - 1][1] and index - 1 < len(new_words):
                return new_words[index - 1][1]
            return new_words[index][0] if index < len(new_words) else new_length
        if cut < end:  # inside a word
            if index >= len(new_words):
                return new_length
            new_start, new_end = new_words[index]
            return new_start + round((cut - start) / (end - start) * (new_end - new_start))
    return new_length
