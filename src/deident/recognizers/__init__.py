"""French recognizers in Presidio's shape, selected by the registry for language "fr"."""

from __future__ import annotations

from collections.abc import Container

from presidio_analyzer import EntityRecognizer

from deident.lexicons import Lexicons
from deident.recognizers.address import address_recognizers
from deident.recognizers.dates import FrenchDateRecognizer
from deident.recognizers.filenames import filename_recognizers
from deident.recognizers.hospital import hospital_recognizers
from deident.recognizers.identifiers import identifier_recognizers
from deident.recognizers.nir import FrNirRecognizer
from deident.recognizers.person import person_recognizers
from deident.recognizers.phone import FrenchPhoneRecognizer
from deident.recognizers.table import TableColumnRecognizer
from deident.recognizers.web import FrenchEmailRecognizer, FrenchUrlRecognizer


def french_recognizers(
    lexicons: Lexicons, dictionary: Container[str] | None = None
) -> list[EntityRecognizer]:
    return [
        *person_recognizers(lexicons, dictionary),
        *filename_recognizers(lexicons, dictionary),
        FrNirRecognizer(),
        FrenchPhoneRecognizer(),
        FrenchEmailRecognizer(),
        FrenchUrlRecognizer(),
        FrenchDateRecognizer(),
        *address_recognizers(lexicons, dictionary),
        *identifier_recognizers(),
        *hospital_recognizers(),
        TableColumnRecognizer(),
    ]
