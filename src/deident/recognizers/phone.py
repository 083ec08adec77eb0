"""Phone numbers of the French numbering plan, found by `phonenumbers`."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from deident.entities import PHONE

# Ten digits in pairs, where a form wraps the number over two lines: phonenumbers reads
# one line at a time and misses those.
WRAPPED_PHONE_REGEX = (
    r"(?<![\d])0[1-9](?:[ .\-]?\d\d)*[ \t]*\n[ \t]*\d\d(?:[ .\-]?\d\d)*(?![\d])"
)


class FrenchPhoneRecognizer(PhoneRecognizer):
    # A number valid in the French plan is strong evidence on its own.
    SCORE = 0.7
    CONTEXT = [
        "tél", "tel", "téléphone", "telephone", "portable", "mobile", "fixe", "joignable",
        "fax", "appeler", "contacter", "numéro", "secrétariat", "standard", "bip",
    ]

    def __init__(self) -> None:
        super().__init__(
            context=self.CONTEXT,
            supported_language="fr",
            supported_entity=PHONE,
            supported_regions=("FR",),
        )


class WrappedPhoneRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=PHONE,
            patterns=[Pattern("phone_over_two_lines", WRAPPED_PHONE_REGEX, 0.6)],
            context=FrenchPhoneRecognizer.CONTEXT,
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = sum(ch.isdigit() for ch in pattern_text)
        return None if digits == 10 else False
