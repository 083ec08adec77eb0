"""Patterns run only on the lines that can hold a match.

A pattern whose matches never cross a line break and always contain something a cheap
`marker` finds (an "@" for an e-mail address, a label word for a labelled number) finds
the same matches on the lines that hold the marker as on the whole text: the regex engine
then skips the other lines instead of trying the pattern at each of their positions.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex
from presidio_analyzer import Pattern


class OnMarkedLines:
    """`pattern`'s finditer, run only on the lines of a text that hold `marker`: for a
    pattern whose matches never cross a line break and always hold something `marker`
    finds ("@" in an address), the same matches, without scanning the lines that have none.
    Either edge of a line reads as the text's edge would (a line break is no word
    character), so a match at a line's start or end is the same."""

    def __init__(self, pattern: regex.Pattern, marker: regex.Pattern) -> None:
        self.pattern, self.marker = pattern, marker

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[regex.Match]:
        end = -1
        for hit in self.marker.finditer(text):
            if hit.start() < end:
                continue  # that line is done
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.start())
            end = len(text) if end == -1 else end
            yield from self.pattern.finditer(text, start, end, timeout=timeout)


def on_marked_lines(pattern: Pattern, marker: str, flags: int) -> Pattern:
    """A copy of `pattern` that Presidio runs on the lines `marker` finds (see above)."""
    copy = Pattern(pattern.name, pattern.regex, pattern.score)
    copy.compiled_regex = OnMarkedLines(regex.compile(pattern.regex, flags),
                                        regex.compile(marker, flags))
    copy.compiled_with_flags = flags
    return copy
