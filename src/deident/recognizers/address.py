"""Postal addresses: street lines, postcode + city, and a city of residence or birth."""

from __future__ import annotations

from collections.abc import Container

import regex
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from deident.entities import ADDRESS, CITY, ZIP_CITY
from deident.lexicons import Lexicons, trie_regex
from deident.places import load_places, place_key
from deident.recognizers.results import recognizer_result

UP = r"\p{Lu}"
_NUMBER = r"\d{1,4}(?:[ \t]*-[ \t]*\d{1,4})?(?:[ \t]*(?i:bis|ter|quater|[abc])(?![\w]))?"
_STOP = (
    r"(?:à|a|au|et|pour|chez|dans|puis|tel|tél|téléphone|depuis|jusqu|avant|après|le|où|"
    r"qui|que|avec|sans|en|né|née|vu|vue)"
)
_NAME_WORD = rf"(?!{_STOP}(?![\w'’])|\d{{5}}(?!\w)|\d{{2}} \d{{3}}(?!\w))(?:[dl]['’])?[\w][\w'’.\-]*"
# The same without dots, where a sentence may end right after the name.
_PLAIN_WORD = rf"(?!{_STOP}(?![\w'’])|\d{{5}}(?!\w))(?:[dl]['’])?[\w][\w'’\-]*"
_COMPLEMENT = (
    r"(?:,?[ \t]*(?i:appt|appartement|apt|app|bât|bat|bâtiment|batiment|esc|escalier|étage|"
    r"etage|porte|studio|chambre|logement|lot)\.?[ \t]*[\w\-]{1,6})*"
)
# A hospital's head word after a town is no longer the town ("31020 TOULOUSE CHU AVICENNE").
_NOT_TOWN_WORD = (
    r"(?!(?:CHU|CHRU|CHR|CH|CHI|CHS|GHU|HIA|EHPAD|Hôpital|HÔPITAL|Hopital|HOPITAL|Clinique|"
    r"CLINIQUE|Polyclinique|POLYCLINIQUE)(?![\w]))"
)
CITY_NAME = (
    rf"[{UP}][\w'’]*(?:(?<=\bSte?)\.)?"
    rf"(?:[ \t\-]+(?:(?:sur|sous|lès|les|lez|en|de|du|des|la|le|aux|à|d['’]|l['’]|s/)"
    rf"[ \t\-]*)?"
    rf"{_NOT_TOWN_WORD}[{UP}][\w'’]*){{0,3}}"
)
_POSTCODE = r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97|98)[ ]?\d{3}"
# Not a town: units and words that follow a count ("12000 UI/L", "20000 patients").
_NOT_A_TOWN = r"(?!(?i:UI|U|UA|mg|g|kg|ml|l|mmol|µmol|mm|cm|ans|mois|jours|fois|patients|cas)\b)"
# Towns with arrondissements: "Paris 12eme", "12e arrondissement de Lyon", "PARIS 11".
_ARRONDISSEMENT_TOWN = r"(?:Paris|PARIS|Lyon|LYON|Marseille|MARSEILLE)"
# An ordinal, or a bare number followed by "arrondissement" ("Paris 12" alone may be a date).
_ORDINAL = r"(?:[1-9]|1\d|20)(?:e|è|ème|eme|er|ᵉ)"
_ARR = r"(?i:arrondissement|arr\.?)"
# Look-aheads on a first character (a digit, a capital) in front of a pattern let the regex
# engine pass over most positions at once: several times faster, same matches.
ARRONDISSEMENT_REGEX = (
    rf"(?=[PLM\d])"
    rf"\b(?:{_ARRONDISSEMENT_TOWN}[ \t]+(?:{_ORDINAL}(?:[ \t]+{_ARR})?|(?:[1-9]|1\d|20)[ \t]+{_ARR})|"
    rf"{_ORDINAL}(?:[ \t]+{_ARR}(?:[ \t]+(?i:de))?)?[ \t]+{_ARRONDISSEMENT_TOWN})(?![\w])"
)
ZIP_CITY_REGEX = (
    rf"(?=\d)\b(?:{_POSTCODE})[ \t]*,?[ \t]*{_NOT_A_TOWN}{CITY_NAME}(?!/)"
    rf"(?:[ \t]+(?i:cedex)(?:[ \t]+\d{{1,2}})?)?(?:[ \t]+\d{{1,2}}(?:e|er|ème)?)?(?![\w])"
)
_RESIDENCE_CUES = (
    r"né|née|nés|domicilié|domiciliée|domicile|habite|habitant|habitante|résidant|résidante|"
    r"résident|demeurant|originaire|vit|vivant|réside|installé|installée|déménagé|déménagée|"
    r"vient|venant|transféré|transférée|adressé|adressée|fait"
)
# "retour chez lui à EVRY", "dans la périphérie de Tarbes", "près de Dax".
_NEARBY_CUES = (
    r"chez[ \t]+(?:lui|elle|eux|soi|ses[ \t]+parents)[ \t]+(?:à|a)|"
    r"(?:périphérie|banlieue|région|environs|alentours|agglomération|proximité|près|"
    r"ville|commune)[ \t]+(?:de|d['’])"
)
# Residence cues after which a lowercase word unknown to the dictionary is a town
# ("vit a grigny"; not "vit à domicile", "né à terme").
_LOWER_CITY_CUES = (
    r"vit|habite|domicilié|domiciliée|demeurant|demeurante|réside|résidant|résidante|"
    r"né|née|originaire"
)


def _street_type_alternation(forms: tuple[str, ...]) -> str:
    return trie_regex(f.rstrip(".") for f in forms)


# The everyday street words, after which a lowercase name is still an address
# ("2 rue de la paix"); after any other type the name must be capitalised.
_CORE_STREET = (
    r"(?i:rue|avenue|av|boulevard|bd|place|pl|allée|impasse|imp|chemin|route|rte|quai|"
    r"cours|square)\.?"
)
# Street words safe without a number, after a cue: not "cours", "port", "parc", "voie",
# "centre" ("domicile : port de bas de contention", "AU COURS DE L'HOSPITALISATION").
_EVERYDAY_STREET = (
    r"(?i:rue|avenue|av\.?|boulevard|bd\.?|bld\.?|allée|impasse|chemin|quai|square|ruelle|"
    r"sentier|passage|lotissement|hameau|lieu[- ]dit|lieudit|cité|faubourg|place)"
)
_ADDRESS_LABEL = r"(?i:adresse|domicile|résidence|coordonnées)[^:\n]{0,25}:[ \t]*"


# Labels of a town field, strong enough that a lowercase commune after them is the town
# even when it is also a word ("Ville : tours", "Lieu de naissance : orange"); not "Lieu :"
# or "Domicile :" alone ("Lieu : domicile", "Domicile : ehpad").
_CITY_LABELS = (
    r"ville|commune|localité|(?:ville|commune|lieu|localité)[ \t]+(?:de|d['’])"
    r"[ \t]*(?:résidence|naissance|domicile|vie)"
)
# A lowercase candidate: up to six words of a compound name ("saint-étienne", "la rochelle",
# "l'isle-adam"); the longest run of them that names a commune is the town.
_LOWER_WORDS = r"\p{Ll}[\p{Ll}'’]*(?:[ \t\-]+\p{Ll}[\p{Ll}'’]*){0,5}"
_LOWER_PART = regex.compile(r"[^ \t\-'’]+(?:['’]|(?=[ \t\-]|$))")
_LOWER_WORD = regex.compile(r"\p{Ll}{3,}(?:-\p{Ll}+)*(?![\w\-'’])")
_ARTICLES = frozenset(("le", "la", "les", "l'", "l’"))
# Small words of a commune's name, not what makes it one ("la" of "La Garde").
_NAME_LINKS = frozenset(("le", "la", "les", "l'", "l’", "de", "du", "des", "d'", "d’", "sur",
                         "sous", "en", "lès", "lez", "aux", "à", "saint", "sainte", "st", "ste"))
# A commune that is also a French word ("Paris", "Tours", "Orange"; "Avion", "Mer", "Rue")
# is taken after a residence cue only if it is a large town not named with an article:
# who writes "habite à tours" means the town, "vit à la garde de…", "né à avion" do not.
_BIG_TOWN = 20_000


class _LowercaseCityRecognizer(EntityRecognizer):
    """A lowercase town after a residence cue ("habite à grigny", "domicilié à paris") or a
    town label ("Ville : saint-étienne"). The town is a commune of the gazetteer
    (models/places/communes.tsv) or a word unknown to the dictionary ("vit a grigny");
    not "vit à domicile", "né à terme", "habite à proximité"."""

    CUED, LABELLED = 0.5, 0.7

    def __init__(self, dictionary: Container[str]) -> None:
        self.dictionary = dictionary
        self._searches = (
            (regex.compile(rf"\b(?i:{_LOWER_CITY_CUES})(?:\(e\))?[ \t]+(?:à|a|au)[ \t]+\K"
                           rf"{_LOWER_WORDS}", regex.MULTILINE), False),
            (regex.compile(rf"(?<![\w])(?i:{_CITY_LABELS})[ \t]*:[ \t]*\K{_LOWER_WORDS}",
                           regex.MULTILINE), True),
        )
        super().__init__(supported_entities=[CITY], supported_language="fr",
                         name="FrenchLowercaseCityRecognizer")

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def _word(self, word: str) -> bool:
        # "rez-de-chaussée", "domicile", "terme": French words, not towns
        return word in self.dictionary or word.split("-")[0] in self.dictionary

    def _commune_end(self, text: str, start: int, end: int, labelled: bool) -> int | None:
        """The end of the longest run of words from `start` that names a commune."""
        places = load_places()
        parts = list(_LOWER_PART.finditer(text, start, end))
        for count in range(len(parts), 0, -1):
            stop = parts[count - 1].end()
            communes = places.by_name.get(place_key(text[start:stop]))
            if not communes or text[stop - 1] in "'’":
                continue
            content = [p.group() for p in parts[:count] if p.group() not in _NAME_LINKS]
            if labelled or not all(self._word(w) for w in content):
                return stop
            if parts[0].group() not in _ARTICLES \
                    and max(c.population for c in communes) >= _BIG_TOWN:
                return stop
            return None  # a word that names a small commune too: the word
        return None

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        results = []
        for search, labelled in self._searches:
            for match in search.finditer(text):
                start = match.start()
                end = self._commune_end(text, start, match.end(), labelled)
                if end is None:
                    word = _LOWER_WORD.match(text, start, match.end())
                    if word is None or self._word(word.group()):
                        continue
                    end = word.end()
                score = self.LABELLED if labelled else self.CUED
                results.append(recognizer_result(self, CITY, start, end, score,
                                                 rule="lowercase_city"))
        return results


def address_recognizers(
    lexicons: Lexicons, dictionary: Container[str] | None = None
) -> list[EntityRecognizer]:
    street = rf"(?i:{_street_type_alternation(lexicons.street_types)})\.?"
    # Without a number, only a full street word ("route", not "r." or "pas") and a cue.
    full_street = rf"(?i:{_street_type_alternation(lexicons.street_type_words)})"
    name = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,5}}"
    particles = r"(?i:de|du|des|la|le|les|aux|au|l['’]|d['’])"
    # A capitalised word, or an all-capitals one of 4+ letters ("FLEURY", not "IDE").
    # (a dot only inside a word: "place du Marché. Il" ends at "Marché")
    cap_word = rf"[{UP}](?:\p{{Ll}}(?:[\w'’\-]|\.(?=\w))*|[{UP}]{{3,}}(?:[\w'’\-]|\.(?=\w))*)"
    capitalised_name = (
        rf"(?:{particles}[ \t]*)*{cap_word}"
        rf"(?:[ \t]+(?:{particles}[ \t]*)*(?:{cap_word}|\d{{1,4}}(?![\w]))){{0,4}}"
    )
    numbered_name = (
        rf"(?:{particles}[ \t]*)*(?:[{UP}][\w'’.\-]*|\d{{1,4}}(?![\w]))"
        rf"(?:[ \t]+(?:{particles}[ \t]*)*(?:[{UP}][\w'’.\-]*|\d{{1,4}}(?![\w]))){{0,5}}"
    )
    number = rf"(?=\d)(?<![\w,.])(?:{_NUMBER})[ \t]*,?[ \t]*"
    numbered_core = rf"{number}{_CORE_STREET}(?![\w])[ \t]+{name}"
    # After a street line: not a complement, a title or a phone label.
    not_after_street = (
        r"(?!(?i:appt|appartement|apt|app|bât|bat|bâtiment|batiment|esc|escalier|étage|etage|"
        r"porte|studio|chambre|résidence|lieu-dit|BP|CS|TSA|cedex|tél|tel|portable|fax|"
        r"M|Mme|Mlle|Dr|Pr|Monsieur|Madame|France)(?![\w]))"
    )
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
                "street_after_residence_cue",  # "demeurant chemin des vignes", "Domicile : BD FLEURY"
                rf"\b(?i:domicile|domicilié|domiciliée|adresse|demeurant|demeurante|habite|"
                rf"réside|résidant|résidante)[ \t]*:?[ \t]*(?i:au|à|a|:)?[ \t]*\K"
                rf"{_EVERYDAY_STREET}(?![\w])[ \t]+{_PLAIN_WORD}"
                rf"(?:[ \t]+{_PLAIN_WORD}){{0,5}}{_COMPLEMENT}",
                0.7,
            ),
            Pattern(
                "street_after_a",  # "Il ira à BD FLEURY", "au Chemin Vert"; not "AU COURS DE…"
                rf"(?<=(?<![\w])(?i:à|au)[ \t]+){_EVERYDAY_STREET}(?![\w])[ \t]+{capitalised_name}",
                0.5,
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
        patterns=[
            Pattern("postcode_city", ZIP_CITY_REGEX, 0.7),
            Pattern("arrondissement", ARRONDISSEMENT_REGEX, 0.6),
            Pattern(  # "7 rue Blaise Pascal 65000 dans la périphérie…"
                "postcode_after_street",
                rf"{numbered_core}[ \t]*,?[ \t]*\K{_POSTCODE}(?![\w])",
                0.7,
            ),
            Pattern(  # "Créteil (94000)"
                "bracketed_postcode_after_town",
                rf"(?=\d)(?<=[{UP}][\p{{Ll}}'’\-]+[ \t]*\(){_POSTCODE}(?=\))",
                0.7,
            ),
            Pattern(  # "CP : 65000", "code postal 75012", "dans le 75001"
                "labelled_postcode",
                rf"(?=[CcDd])\b(?:CP|C\.P\.|(?i:code[ \t]+postal|dans[ \t]+le))[ \t]*:?[ \t]*\K{_POSTCODE}"
                rf"(?![\w])(?![ \t]*(?i:UI|U|UA|mg|g|kg|ml|l|mmol|µmol|mm|cm|ans|mois|jours|fois|"
                rf"patients|cas)(?![\w]))",
                0.7,
            ),
        ],
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
                rf"[ \t]+(?i:à|a|au|en|de|d['’]|sur)[ \t]*(?:\n[ \t]*)?\K"
                rf"{CITY_NAME}(?![\w])",
                0.65,
            ),
            Pattern(
                "city_nearby",
                rf"\b(?i:{_NEARBY_CUES})[ \t]*(?:\n[ \t]*)?\K{CITY_NAME}(?![\w])",
                0.65,
            ),
            Pattern(  # "2 rue de Jouvence, Paris", "85 rue de Rivoli, à Paris dans le 75001"
                "city_after_street",
                rf"{numbered_core}[ \t]*,[ \t]*(?:(?i:à)[ \t]+\K{CITY_NAME}|\K{not_after_street}"
                rf"{CITY_NAME}(?=[ \t]*(?:[,.;)\n]|$)))(?![\w])",
                0.6,
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
    recognizers: list[EntityRecognizer] = [street_line, zip_city, city]
    if dictionary is not None:
        recognizers.append(_LowercaseCityRecognizer(dictionary))
    return recognizers
