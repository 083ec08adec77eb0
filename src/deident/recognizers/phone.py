"""Phone numbers of the French numbering plan, found by `phonenumbers`."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from deident.entities import PHONE

# Ten digits in pairs with one separator style, a +33 form, or a number wrapped over two
# lines: phonenumbers rejects numbers of unassigned ranges or overseas regions and reads
# one line at a time, yet all of these are someone's phone number in a document.
_SEP = r"(?:[ .\-]|[ \t]*\n[ \t]*)"
PAIRED_PHONE_REGEX = rf"(?<![\d\w])0[1-9](?:{_SEP}?\d\d){{4}}(?![\d\w])"
PLUS33_PHONE_REGEX = rf"(?<![\d\w])(?:\+|00)33[ .]?(?:\(0\)[ .]?)?[1-9](?:{_SEP}?\d\d){{4}}(?![\d\w])"


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


class PhonePatternRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=PHONE,
            patterns=[
                Pattern("paired_digits", PAIRED_PHONE_REGEX, 0.6),
                Pattern("plus_33", PLUS33_PHONE_REGEX, 0.6),
            ],
            context=FrenchPhoneRecognizer.CONTEXT,
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )
