"""French social security number (NIR): 13 digits and a 2-digit key, any spacing."""

from __future__ import annotations

import regex
from presidio_analyzer import Pattern, PatternRecognizer
from stdnum.fr import nir as stdnum_nir

from deident.entities import FR_NIR

# One optional separator (blank, dot, dash: "1-84-12-75-123-456-78"), or a line break where
# a form wraps.
_S = r"(?:[ .\-]|[ \t]*\n[ \t]*)?"
_D = r"\d"
# Forms with one box per digit run the NIR and the birth date together:
# "1 4 2 3 8 5 6 8 3 7 8 3 5 3 0 9 0 1 1 9 8 7" is a NIR, then 09/01/1987.
_SPACED_DATE_AFTER = r"(?=[ \t]+[0-3] \d [01] \d [12] \d \d \d(?!\d)(?! \d(?!\d)))"
NIR_REGEX = (
    rf"(?<![\w.\-]|\d[ \-])[12]{_S}{_D}{_S}{_D}{_S}(?:[0-9]{_S}{_D}){_S}"  # sex, year, month
    rf"(?:{_D}{_S}{_D}|2{_S}[AaBb])"  # department, Corsica 2A/2B
    rf"(?:{_S}{_D}){{6}}"  # commune, order
    rf"(?:{_S}{_D}){{0,2}}"  # key (a digit may be missing: still a NIR)
    rf"(?:(?![\w]|[ .\-]?\d)|{_SPACED_DATE_AFTER})"
)


def nir_key_is_valid(text: str) -> bool:
    compact = regex.sub(r"[\s.\-]", "", text).upper()
    return len(compact) == 15 and stdnum_nir.is_valid(compact)


class FrNirRecognizer(PatternRecognizer):
    """A NIR-shaped number is reported even with a wrong key; a valid key raises the score."""

    CONTEXT = [
        "sécurité sociale", "sécu", "nir", "insee", "immatriculation", "assuré", "vitale",
        "ss", "numéro social", "amo",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=FR_NIR,
            patterns=[Pattern("nir", NIR_REGEX, 0.6)],
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # True lifts the score to the maximum; None keeps the pattern's score.
        # Never False: a mistyped NIR is still personal data.
        return True if nir_key_is_valid(pattern_text) else None
