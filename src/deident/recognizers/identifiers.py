"""Hospital identifiers by label (IPP, NDA, dossier, séjour), RPPS, FINESS, IBAN, payment
cards and vehicle registration plates."""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from stdnum import iban as stdnum_iban
from stdnum import luhn

from deident.entities import FINESS, HOSPITAL_ID, IBAN, PAYMENT_CARD, RPPS, VEHICLE_PLATE
from deident.recognizers.lines import on_marked_lines

_FLAGS = regex.MULTILINE
_LABEL = (
    r"(?i:IPP|NDA|NIP|IEP|IP|N°\s*(?:de\s+|d['’]\s*)?"
    r"(?:dossier|séjour|sejour|venue|examen|patient|admission|demande|prélèvement|"
    r"prelevement|identification|archive|épisode|episode)|"
    r"num[ée]ro\s+(?:de\s+|d['’]\s*)?(?:dossier|séjour|sejour|venue|examen|identification|"
    r"patient|admission|demande|prélèvement|prelevement|épisode|episode)|"
    r"identifiant(?:\s+(?:patient|unique|permanent))?|dossier|réf\.?|référence|demande|"
    r"code\s+patient|n°\s*patient)"
)
_LABEL_TAIL = r"(?:[ \t]*\([^)\n]{0,40}\))?[ \t]*(?:n°|no|nº|#)?[ \t]*:?[ \t]*\n?[ \t]*"
# Any "n°", "numéro", "ID", "référence", "code" label, then up to 40 characters of the
# same line: the first token mixing at least 3 digits into 5+ characters is an identifier.
_GENERIC_LABEL = (
    # Not batch, accreditation, registry or coding numbers: those name no patient.
    r"\b(?<!(?i:lot|cofrac|accréditation|eudract|amm|série|ccam|cim-10|cim|version|décret|loi|"
    r"article|norme|iso|agrément)[ \t]{0,3})"
    r"(?i:n°|nº|no\.|num[ée]ro|num\.|id|identifiant|r[ée]f[ée]rence|réf\.?|"
    r"code(?:-barres)?|accession number|matricule)(?![\w])(?![ \t]*(?i:ccam|cim|eudract))"
    r"[^\n]{0,40}?[\s:#°]\s*\K"
)
_ID_TOKEN = r"(?=[A-Za-z0-9\-/._]*\d(?:[A-Za-z\-/._]*\d){2})[A-Z0-9][A-Za-z0-9\-/._]{3,30}(?<![\-/._])"
HOSPITAL_ID_REGEX = (
    rf"\b{_LABEL}{_LABEL_TAIL}\K"
    r"(?=[A-Z0-9\-/]*\d{3})[A-Z0-9][A-Z0-9\-/]{3,24}(?<![\-/])(?![\w])"
)
# A long bare number nobody else claimed: an identifier until proven otherwise.
LONG_NUMBER_REGEX = r"(?<![\w.,/\-])\d{8,20}(?![\w]|[.,]\d)"


class HospitalIdRecognizer(PatternRecognizer):
    CONTEXT = ["ipp", "nda", "dossier", "séjour", "patient", "identifiant", "examen"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=HOSPITAL_ID,
            patterns=[
                Pattern("labelled_id", HOSPITAL_ID_REGEX, 0.85),
                Pattern("numbered_label", _GENERIC_LABEL + _ID_TOKEN + r"(?![\w])", 0.6),
                # "M. TOYBOU Vartan (5817815)": a number in brackets right after a name.
                Pattern(
                    "bracketed_number",  # "(739087)", "(D-2013-03136)" right after a name
                    r"(?<=\p{L}[ \t]?\()(?!NCT\d)(?=[A-Z0-9/\-]*(?:\d[/\-]?){5})[A-Z0-9][A-Z0-9/\-]{4,20}"
                    r"(?<![/\-])(?=\))",
                    0.5,
                ),
                Pattern("long_number", LONG_NUMBER_REGEX, 0.45),
            ],
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )


class RppsRecognizer(PatternRecognizer):
    """RPPS: 11 digits with a Luhn check digit; labelled, or bare when the check holds."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=RPPS,
            patterns=[
                Pattern(
                    "labelled_rpps",
                    r"(?i:rpps|adeli)[^\d\n]{0,20}\K(?<!\d)\d{11}(?!\d)",
                    0.85,
                ),
                Pattern("bare_rpps", r"(?<![\w.,/\-])10\d{9}(?![\w]|[.,]\d)", 0.3),
            ],
            context=["rpps", "adeli", "médecin", "praticien"],
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if luhn.is_valid(pattern_text) else None


class FinessRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=FINESS,
            patterns=[
                Pattern(
                    "labelled_finess",
                    r"(?i:finess)[^\d\n]{0,60}\n?[^\d\n]{0,5}\K"
                    r"\b(?:\d{2}|2[AB])\s?\d{7}(?![\w])",
                    0.85,
                ),
                Pattern(
                    "finess_after",
                    r"\b(?:\d{2}|2[AB])\s?\d{7}(?=[ \t]*\(?(?i:finess))",
                    0.85,
                ),
            ],
            context=["finess", "établissement"],
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )


class FrenchIbanRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=IBAN,
            patterns=[
                Pattern(
                    "iban",
                    r"\b[A-Z]{2}\d{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,3})?(?![\w])",
                    0.5,
                ),
                Pattern(  # any grouping, wrapped over lines: only a valid checksum counts
                    "iban_loose",
                    r"\b[A-Z]{2}\d{2}(?:(?:[ ]|[ \t]*\n[ \t]*)?[0-9A-Z]){11,30}(?![\w])",
                    0.3,
                ),
            ],
            context=["iban", "rib", "bancaire", "virement", "bic"],
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if stdnum_iban.is_valid(pattern_text) else None


# Letters of the SIV plates (since 2009): no I, O nor U.
_SIV_LETTER = r"[A-HJ-NP-TV-Z]"
_PLATE_LABEL = (
    r"(?i:immatricul[ée]e?s?|immatriculation(?:[ \t]+du[ \t]+v[ée]hicule)?|plaque(?:[ \t]+"
    r"d['’]immatriculation)?|n°[ \t]+d['’]immatriculation[ \t]+du[ \t]+v[ée]hicule)"
)
_DEPARTMENT = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])"
SIV_PLATE_REGEX = rf"(?<![\w\-]){_SIV_LETTER}{{2}}([ \-]?)\d{{3}}\1{_SIV_LETTER}{{2}}(?![\w\-])"
FNI_PLATE_REGEX = rf"(?<![\w\-])\d{{1,4}}[ \-][A-Z]{{1,3}}[ \-]{_DEPARTMENT}(?![\w\-])"


class VehiclePlateRecognizer(PatternRecognizer):
    """French registration plates: SIV "AB-123-CD" and the older FNI "1234 AB 75".

    Sample, batch and kit codes share these shapes ("LB-204-XT", "12 AB 34"): a plate
    needs a label before it or a vehicle word nearby (context), never its shape alone."""

    CONTEXT = [
        "immatriculation", "immatriculé", "immatriculée", "plaque", "véhicule", "voiture",
        "moto", "scooter", "camion", "conducteur", "conductrice", "avp", "automobile",
        "fourgon", "camionnette", "permis",
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=VEHICLE_PLATE,
            name="FrenchVehiclePlateRecognizer",
            patterns=[
                Pattern("labelled_siv",
                        rf"{_PLATE_LABEL}[ \t]*(?:n°|no)?[ \t]*:?[ \t]*\K"
                        rf"{_SIV_LETTER}{{2}}([ \-]?)\d{{3}}\1{_SIV_LETTER}{{2}}(?![\w\-])", 0.85),
                Pattern("labelled_fni",
                        rf"{_PLATE_LABEL}[ \t]*(?:n°|no)?[ \t]*:?[ \t]*\K"
                        rf"\d{{1,4}}[ \-]?[A-Z]{{1,3}}[ \-]?{_DEPARTMENT}(?![\w\-])", 0.85),
                Pattern("siv", SIV_PLATE_REGEX, 0.2),
                Pattern("fni", FNI_PLATE_REGEX, 0.1),
            ],
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )
        # A labelled plate holds its label, on its line (deident.recognizers.lines).
        self.patterns = [on_marked_lines(p, r"(?i:immatricul|plaque)", _FLAGS)
                         if p.name.startswith("labelled_") else p for p in self.patterns]


class PaymentCardRecognizer(PatternRecognizer):
    """Payment card numbers: 13 to 19 digits, grouped by 4 (or 4-6-5) or not, Luhn-valid.

    Long numbers are everywhere in hospital papers (IPP, NDA, NIR): a card needs its
    checksum AND a label ("carte bancaire", "CB", "Visa"…) before it or nearby."""

    CONTEXT = [
        "carte", "cb", "visa", "mastercard", "amex", "bancaire", "crédit", "paiement",
        "payé", "payée", "réglé", "débit", "débité", "american",
    ]
    _LABEL = (
        r"(?i:carte[ \t]+(?:bancaire|bleue|de[ \t]+crédit|de[ \t]+paiement|visa|mastercard)|"
        r"\bCB|\bvisa|mastercard|american[ \t]+express|\bamex)"
    )
    _NUMBER = (
        r"(?<![\w.,/\-])(?:[2-6]\d{3}(?:([ \-]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|"
        r"[ \-]?\d{6}[ \-]?\d{4,5})|[2-6]\d{12,18})(?![\w]|[.,]\d)"
    )

    def __init__(self) -> None:
        super().__init__(
            supported_entity=PAYMENT_CARD,
            name="FrenchPaymentCardRecognizer",
            patterns=[
                Pattern("labelled_card",
                        rf"{self._LABEL}[^\d\n]{{0,25}}\K{self._NUMBER}", 0.85),
                Pattern("card_number", self._NUMBER, 0.3),
            ],
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=_FLAGS,
        )
        # A labelled number holds its label, on its line (deident.recognizers.lines).
        self.patterns = [on_marked_lines(p, r"(?i:carte|cb|visa|mastercard|american|amex)", _FLAGS)
                         if p.name == "labelled_card" else p for p in self.patterns]

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = "".join(ch for ch in pattern_text if ch.isdigit())
        # Not a card without its checksum: the number stays for the other recognizers.
        return None if 13 <= len(digits) <= 19 and luhn.is_valid(digits) else False


def identifier_recognizers() -> list[EntityRecognizer]:
    return [HospitalIdRecognizer(), RppsRecognizer(), FinessRecognizer(), FrenchIbanRecognizer(),
            VehiclePlateRecognizer(), PaymentCardRecognizer()]
