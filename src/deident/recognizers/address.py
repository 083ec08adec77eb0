"""Postal addresses: street lines, postcode + city, and a city of residence or birth."""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from deident.entities import ADDRESS, CITY, ZIP_CITY
from deident.lexicons import Lexicons, trie_regex

UP = r"\p{Lu}"
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
    rf"[{UP}][\w'’]*(?:[ \t\-]+(?:(?:sur|sous|lès|les|lez|en|de|du|des|la|le|aux|à|d['’]|l['’]|s/)"
    rf"[ \t\-]*)?"
    rf"[{UP}][\w'’]*){{0,3}}"
)
_POSTCODE = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97|98)[ ]?\d{3}"
# Not a town: units and words that follow a count ("12000 UI/L", "20000 patients").
_NOT_A_TOWN = r"(?!(?i:UI|U|UA|mg|g|kg|ml|l|mmol|µmol|mm|cm|ans|mois|jours|fois|patients|cas)\b)"
ZIP_CITY_REGEX = (
    rf"\b(?:{_POSTCODE})[ \t]*,?[ \t]*{_NOT_A_TOWN}{CITY_NAME}(?!/)"
    rf"(?:[ \t]+(?i:cedex)(?:[ \t]+\d{{1,2}})?)?(?:[ \t]+\d{{1,2}}(?:e|er|ème)?)?(?![\w])"
)
_RESIDENCE_CUES = (
    r"né|née|nés|domicilié|domiciliée|domicile|habite|habitant|habitante|résidant|résidante|"
    r"résident|demeurant|originaire|vit|vivant|réside|installé|installée|déménagé|déménagée|"
    r"vient|venant|transféré|transférée|adressé|adressée|fait"
)


def _street_type_alternation(forms: tuple[str, ...]) -> str:
    return trie_regex(f.rstrip(".") for f in forms)


# The everyday street words, after which a lowercase name is still an address
# ("2 rue de la paix"); after any other type the name must be capitalised.
_CORE_STREET = (
    r"(?i:rue|avenue|av|boulevard|bd|place|pl|allée|impasse|imp|chemin|route|rte|quai|"
    r"cours|square)\.?"
)
_ADDRESS_LABEL = r"(?i:adresse|domicile|résidence|coordonnées)[^:\n]{0,25}:[ \t]*"


def address_recognizers(lexicons: Lexicons) -> list[EntityRecognizer]:
    street = rf"(?i:{_street_type_alternation(lexicons.street_types)})\.?"
    # Without a number, only a full street word ("route", not "r." or "pas") and a cue.
    full_street = rf"(?i:{_street_type_alternation(lexicons.street_type_words)})"
    name = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}"
    particles = r"(?i:de|du|des|la|le|les|aux|au|l['’]|d['’])"
    # A capitalised word, or an all-capitals one of 4+ letters ("FLEURY", not "IDE").
    cap_word = rf"[{UP}](?:\p{{Ll}}[\w'’.\-]*|[{UP}]{{3,}}[\w'’.\-]*)"
    capitalised_name = (
        rf"(?:{particles}[ \t]*)*{cap_word}"
        rf"(?:[ \t]+(?:{particles}[ \t]*)*(?:{cap_word}|\d{{1,4}}(?![\w]))){{0,4}}"
    )
    numbered_name = (
        rf"(?:{particles}[ \t]*)*(?:[{UP}][\w'’.\-]*|\d{{1,4}}(?![\w]))"
        rf"(?:[ \t]+(?:{particles}[ \t]*)*(?:[{UP}][\w'’.\-]*|\d{{1,4}}(?![\w]))){{0,5}}"
    )
    number = rf"(?=\d)(?<![\w,.])(?:{_NUMBER})[ \t]*,?[ \t]*"
    street_line = PatternRecognizer(
        supported_entity=ADDRESS,
        name="FrenchStreetRecognizer",
        patterns=[
            Pattern(
                "numbered_street",
                rf"{number}{_CORE_STREET}(?![\w])[ \t]+{name}{_COMPLEMENT}(?<![ \t,])",
                0.8,
            ),
            Pattern(
                "numbered_other_street",  # "954 mail du 8 Mai 1945", "132 montée Louis XIV"
                rf"{number}{street}(?![\w])[ \t]+{numbered_name}{_COMPLEMENT}",
                0.75,
            ),
            Pattern(
                "unnumbered_street",
                rf"\b{full_street}(?![\w])[ \t]+{capitalised_name}{_COMPLEMENT}",
                0.3,  # needs a context word (adresse, domicile…) to pass the threshold
            ),
            Pattern(
                "labelled_before_postcode",  # "Adresse : Le Bourg, 23200 Aubusson"
                rf"{_ADDRESS_LABEL}\K[^\s,\d][^,\n]{{1,40}}?(?=,?[ \t]*{_POSTCODE}(?!\d))",
                0.7,
            ),
            Pattern("po_box", r"\b(?:BP|B\.P\.|CS|TSA)[ \t]*\d{1,6}(?![\w])", 0.5),
            Pattern(
                "building",
                r"\b(?i:bâtiment|batiment|bât|bat|escalier|esc|appartement|appt|tour)\.?"
                r"[ \t]+[A-Z0-9]{1,4}(?![\w])(?:,[ \t]*(?i:escalier|esc|étage|etage|porte|appt|"
                r"appartement)\.?[ \t]*[A-Z0-9]{1,4}(?![\w]))*",
                0.5,
            ),
            Pattern(
                "named_place",
                rf"\b(?i:lieu[- ]dit|lieudit|ld|hameau|(?<!de )résidence|lotissement|lot\.|"
                rf"cité|domaine|ferme|mas)[ \t]*:?[ \t]+{capitalised_name}"
                rf"(?:,?[ \t]*(?i:n°|no)[ \t]*\d{{1,4}})?",
                0.7,
            ),
        ],
        context=["adresse", "domicile", "domicilié", "demeurant", "habite", "résidant", "vit",
                 "réside", "accident", "lieu", "coordonnées", "correspondance"],
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
                rf"\b(?i:{_RESIDENCE_CUES})(?:\(e\))?(?:[ \t]+le[ \t]*:?[ \t]+[^\n]{{1,25}}?)?"
                rf"(?:[ \t]+(?i:désormais|actuellement|maintenant|aujourd'hui|toujours))?"
                rf"[ \t]+(?i:à|a|au|en|de|d['’]|sur)[ \t]*\K"
                rf"{CITY_NAME}(?![\w])",
                0.65,
            ),
            Pattern(
                "city_field",
                rf"\b(?i:ville|commune|localité|lieu|domicile|naissance|provenance|"
                rf"origine)(?:[ \t]+(?i:de|d['’])[ \t]*(?i:résidence|naissance|domicile|vie))?"
                rf"[ \t]*:[ \t]*(?i:domicile[ \t]*\()?\K"
                rf"{CITY_NAME}(?![\w])",
                0.7,
            ),
            Pattern(
                "letter_place",
                # "Dicté le 28/02", "Prélevé le…" are not places.
                rf"^[ \t]*\K(?!\w+(?:é|ée|és|ées)[ \t]+le\b){CITY_NAME}(?=,?[ \t]+le[ \t]+\d)",
                0.7,
            ),
        ],
        supported_language="fr",
        global_regex_flags=regex.MULTILINE,
    )
    return [street_line, zip_city, city]
