"""Calendar dates in every written French form (patterns shared with the date shifter)."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deident.dates import ANCHOR, ANCHOR_PREFIXES, ANCHORED, DATE_PATTERNS
from deident.entities import DATE
from deident.recognizers.results import recognizer_result

_FLAGS = regex.IGNORECASE | regex.MULTILINE
_ANCHOR = regex.compile(ANCHOR, _FLAGS)
_REACH = 80  # characters a date in words runs on either side of its month or weekday name
_BLANK = regex.compile(r"\s")


class FrenchDateRecognizer(PatternRecognizer):
    """Every pattern scores above the threshold on its own: the forms are specific enough,
    and weaker ones carry their cue in the pattern ("le 09/08", "en mars").

    Forms written around a month or weekday name ("vingt-sept décembre deux mille vingt-deux")
    run only in a window around each such name: scanning the whole text with them for every
    document would cost more than all the other patterns together."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=DATE,
            patterns=[Pattern(name, pattern, score) for name, pattern, score in DATE_PATTERNS
                      if name not in ANCHORED],
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )
        self._anchored = [(name, regex.compile(pattern, _FLAGS), score)
                          for name, pattern, score in DATE_PATTERNS if name in ANCHORED]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        seen: set[tuple[int, int]] = set()
        for start, end in _windows(text):
            for _, pattern, score in self._anchored:
                for match in pattern.finditer(text, start, end):
                    if match.span() in seen or match.start() == match.end():
                        continue
                    seen.add(match.span())
                    results.append(recognizer_result(self, DATE, match.start(), match.end(),
                                                     score))
        return results


def _anchors(text: str) -> list[regex.Match]:
    """Month and weekday names. str.find over the lowercased text finds candidates at C
    speed; the pattern confirms each one."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lowercase is longer: offsets would drift
        return list(_ANCHOR.finditer(text))
    starts = set()
    for prefix in ANCHOR_PREFIXES:
        position = lowered.find(prefix)
        while position >= 0:
            if not lowered[position - 1 : position].isalpha():  # starts a word
                starts.add(position)
            position = lowered.find(prefix, position + 1)
    found = (_ANCHOR.match(text, start) for start in sorted(starts))
    return [match for match in found if match]


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged spans around each month or weekday name, within its line, cut at blanks (a
    search that stops inside a word would take the cut for a word's end)."""
    windows: list[tuple[int, int]] = []
    for match in _anchors(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        start = max(line_start, match.start() - _REACH)
        end = min(line_end, match.end() + _REACH)
        blank = _BLANK.search(text, end)
        end = blank.start() if blank else len(text)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows
