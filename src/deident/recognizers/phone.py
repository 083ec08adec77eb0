"""Phone numbers of the French numbering plan, found by `phonenumbers`."""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from deident.entities import PHONE


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
