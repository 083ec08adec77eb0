"""Postal addresses: street lines, postcode + city, and a city of residence or birth."""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from deident.entities import ADDRESS, CITY, ZIP_CITY
from deident.lexicons import Lexicons

UP = r"A-ZÀ-ÖØ-Þ"
_NUMBER = r"\d{1,4}(?:[ \t]*-[ \t]*\d{1,4})?(?:[ \t]*(?i:bis|ter|quater|[abc])(?![\w]))?"
_STOP = (
    r"(?:à|a|au|et|pour|chez|dans|puis|tel|tél|téléphone|depuis|jusqu|avant|après|le|où|"
    r"qui|que|avec|sans|en|né|née|vu|vue)"
)
_NAME_WORD = rf"(?!{_STOP}(?![\w'’])|\d{{5}}(?!\w)|\d{{2}} \d{{3}}(?!\w))(?:[dl]['’])?[\w][\w'’.\-]*"
_COMPLEMENT = (
    r"(?:,?[ \t]*(?i:appt|appartement|apt|app|bât|bat|bâtiment|batiment|esc|escalier|étage|"
    r"etage|porte|studio|chambre|logement|lot)\.?[ \t]*[\w\-]{1,6})*"
)
CITY_NAME = (
    rf"[{UP}][\w'’]*(?:[ \t\-]+(?:(?:sur|sous|lès|les|lez|en|de|du|des|la|le|aux|d['’]|s/)[ \t\-]*)?"
    rf"[{UP}][\w'’]*){{0,3}}"
)
_POSTCODE = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97|98)[ ]?\d{3}"
ZIP_CITY_REGEX = (
    rf"(?<![\w])(?:{_POSTCODE})[ \t]*,?[ \t]*{CITY_NAME}"
    rf"(?:[ \t]+(?i:cedex)(?:[ \t]+\d{{1,2}})?)?(?:[ \t]+\d{{1,2}}(?:e|er|ème)?)?(?![\w])"
)
_RESIDENCE_CUES = (
    r"né|née|nés|domicilié|domiciliée|domicile|habite|habitant|habitante|résidant|résidante|"
    r"résident|demeurant|originaire|vit|vivant|réside|installé|installée|déménagé|déménagée|"
    r"vient|venant|transféré|transférée|adressé|adressée"
)


def _street_type_alternation(lexicons: Lexicons) -> str:
    forms = sorted(lexicons.street_types, key=len, reverse=True)
    return "|".join(regex.escape(f.rstrip(".")) for f in forms)


def address_recognizers(lexicons: Lexicons) -> list[EntityRecognizer]:
    street = rf"(?i:{_street_type_alternation(lexicons)})\.?"
    name = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}"
    particles = r"(?:de|du|des|la|le|les|aux|au|l['’]|d['’])"
    capitalised_name = (
        rf"(?:{particles}[ \t]*)*[{UP}][\w'’.\-]*"
        rf"(?:[ \t]+(?:{particles}[ \t]*)*[{UP}][\w'’.\-]*){{0,4}}"
    )
    street_line = PatternRecognizer(
        supported_entity=ADDRESS,
        name="FrenchStreetRecognizer",
        patterns=[
            Pattern(
                "numbered_street",
                rf"(?<![\w,.])(?:{_NUMBER})[ \t]*,?[ \t]*{street}(?![\w])[ \t]+{name}{_COMPLEMENT}"
                rf"(?<![ \t,])",
                0.8,
            ),
            Pattern(
                "unnumbered_street",
                rf"(?<![\w]){street}(?![\w])[ \t]+{capitalised_name}{_COMPLEMENT}",
                0.4,
            ),
            Pattern("po_box", r"(?<![\w])(?:BP|B\.P\.|CS|TSA)[ \t]*\d{2,6}(?![\w])", 0.5),
            Pattern(
                "building",
                r"(?<![\w])(?i:bâtiment|batiment|bât|bat|escalier|esc|appartement|appt|tour)\.?"
                r"[ \t]+[A-Z0-9]{1,4}(?![\w])(?:,[ \t]*(?i:escalier|esc|étage|etage|porte|appt|"
                r"appartement)\.?[ \t]*[A-Z0-9]{1,4}(?![\w]))*",
                0.5,
            ),
            Pattern(
                "lieu_dit",
                rf"(?<=(?<![\w])(?i:lieu[- ]dit|lieudit|ld|hameau|résidence)[ \t]*:?[ \t]+)"
                rf"{capitalised_name}",
                0.7,
            ),
        ],
        context=["adresse", "domicile", "domicilié", "demeurant", "habite", "résidant", "vit"],
        supported_language="fr",
        global_regex_flags=regex.MULTILINE,
    )
    zip_city = PatternRecognizer(
        supported_entity=ZIP_CITY,
        name="FrenchZipCityRecognizer",
        patterns=[Pattern("postcode_city", ZIP_CITY_REGEX, 0.7)],
        context=["adresse", "domicile", "cedex", "ville", "code postal"],
        supported_language="fr",
        global_regex_flags=regex.MULTILINE,
    )
    city = PatternRecognizer(
        supported_entity=CITY,
        name="FrenchCityRecognizer",
        patterns=[
            Pattern(
                "city_after_cue",
                rf"(?<=(?<![\w])(?i:{_RESIDENCE_CUES})[ \t]+(?i:à|a|au|en|de|d['’]|sur)[ \t]*)"
                rf"{CITY_NAME}(?![\w])",
                0.65,
            ),
            Pattern(
                "city_field",
                rf"(?<=(?<![\w])(?i:ville|commune|lieu de naissance|localité)[ \t]*:[ \t]*)"
                rf"{CITY_NAME}(?![\w])",
                0.7,
            ),
            Pattern(
                "letter_place",
                rf"(?<=^[ \t]*){CITY_NAME}(?=,?[ \t]+le[ \t]+\d)",
                0.7,
            ),
        ],
        supported_language="fr",
        global_regex_flags=regex.MULTILINE,
    )
    return [street_line, zip_city, city]
