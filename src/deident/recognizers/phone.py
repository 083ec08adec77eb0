"""Phone numbers: candidates by pattern, checked against the French numbering plan with
`phonenumbers` (region FR).

A candidate the plan rejects is still reported: numbers of unassigned ranges, overseas
regions or typed with a slip are someone's phone number all the same. A valid one gets the
maximum score. Scanning with patterns and validating with `phonenumbers` costs a fraction
of running its matcher over every text.
"""

from __future__ import annotations

import phonenumbers
import regex
from presidio_analyzer import Pattern, PatternRecognizer

from deident.entities import PHONE

# Ten digits in pairs (any separators, even a line break where a form wraps), a +33 or
# 0033 form, or any other international number.
_SEP = r"(?:[ .\-]|[ \t]*\n[ \t]*)"
# A number never starts on the line before ("Cedex 03" then a phone on the next line).
# "(01) 45.67-89 10", "(+33) 6 12 34 56 78": a bracketed first part.
PAIRED_PHONE_REGEX = (
    rf"(?<![\d\w])(?:\(0[1-9]\)|0[1-9])(?![ \t]*\n)(?:{_SEP}?\d\d){{4}}(?![\d\w])"
)
PLUS33_PHONE_REGEX = (
    rf"(?<![\d\w])(?:\((?:\+|00)33\)|(?:\+|00)33)[ .]?(?:\(0\)[ .]?)?[1-9]"
    rf"(?:{_SEP}?\d\d){{4}}(?![\d\w])"
)
INTERNATIONAL_PHONE_REGEX = (
    r"(?<![\d\w+])(?:\+|00)(?!33)[1-9]\d{0,2}[ .\-]?(?:\(0\)[ .\-]?)?\d(?:[ .\-]?\d){6,12}(?![\d\w])"
)


class FrenchPhoneRecognizer(PatternRecognizer):
    CONTEXT = [
        "tél", "tel", "téléphone", "telephone", "portable", "mobile", "fixe", "joignable",
        "fax", "appeler", "contacter", "numéro", "secrétariat", "standard", "bip",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=PHONE,
            patterns=[
                Pattern("paired_digits", PAIRED_PHONE_REGEX, 0.6),
                Pattern("plus_33", PLUS33_PHONE_REGEX, 0.6),
                Pattern("international", INTERNATIONAL_PHONE_REGEX, 0.5),
            ],
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # True lifts the score to the maximum; None keeps the pattern's (never False).
        try:
            number = phonenumbers.parse(" ".join(pattern_text.split()), "FR")
        except phonenumbers.NumberParseException:
            return None
        return True if phonenumbers.is_valid_number(number) else None
