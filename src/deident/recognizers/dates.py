"""Calendar dates in every written French form (patterns shared with the date shifter)."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer

from deident.dates import DATE_PATTERNS
from deident.entities import DATE


class FrenchDateRecognizer(PatternRecognizer):
    """Every pattern scores above the threshold on its own: the forms are specific enough,
    and weaker ones carry their cue in the pattern ("le 09/08", "en mars")."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=DATE,
            patterns=[Pattern(name, pattern, score) for name, pattern, score in DATE_PATTERNS],
            supported_language="fr",
            global_regex_flags=regex.IGNORECASE | regex.MULTILINE,
        )
