"""Named hospitals, clinics and care homes.

Mostly by pattern: a head word ("hôpital", "clinique", "CHU", "EHPAD"…) then a name
("CHU de Rouen", "hôpital Henri Mondor", "clinique des Cèdres", "EHPAD Les Glycines").
The span is the establishment's own name, without the head word and its linking "de":
"hôpital [Henri Mondor]", "CHU de [Rouen]", "clinique des [Cèdres]", "EHPAD [Les
Glycines]", so a surrogate or a redaction label fits after the head word left in place.

A small public list of well-known sites (models/lexicons/hospital_sites.tsv) adds the
names written alone after "à" ("suivi à Mondor", "transféré à la Pitié").
"""

from __future__ import annotations

import regex
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from deident.entities import HOSPITAL
from deident.lexicons import fold_same_length, models_dir, trie_regex
from deident.recognizers.results import recognizer_result

UP = r"\p{Lu}"
# One word of a name: capitalised or all capitals, hyphenated compounds ("Robert-Debré",
# "Saint-Jean-de-Dieu"), "St." / "Ste".
NAME_WORD = (
    rf"(?!(?i:de|du|des|et|sur|sous|en|aux|la|le|les)(?![\p{{L}}\-]))(?![DdLl]['’])"
    rf"[{UP}][\p{{L}}'’]*(?:-[\p{{L}}][\p{{L}}'’]*)*(?:(?<=\b(?i:st|ste|mt))\.(?=[ \t]))?(?![\w])"
)
_LINK = r"(?i:de[ \t]+la|de[ \t]+l['’]|de|du|des|d['’])"
_INNER = r"(?i:de[ \t]+la|de[ \t]+l['’]|de|du|des|d['’]|l['’]|la|le|les|et|sur|sous|en|lès|aux)"
_ARTICLE = r"(?i:la|le|les|l['’])"
# Words after a head that make a unit or a department, not a named establishment.
_NOT_A_NAME = (
    r"(?!(?i:jour|semaine|nuit|instruction|Dr|Pr|M|Mme|Mlle|Docteur|Professeur|Service|Unité|Pôle|"
    r"Département|cardio|neuro|pneumo|gastro|h[ée]pato|n[ée]phro|uro|gyn[ée]co|obst[ée]tri|"
    r"p[ée]dia|psych|derm|ophtalm|oncolo|h[ée]mato|rhumato|endocrino|diab[ée]to|g[ée]riat|"
    r"chirurg|m[ée]dec|maladies|soins|r[ée]anim|radio|r[ée][ée]duc|orthop|traumato|infect|"
    r"immuno|allergo|anesth|urgence|patholog|biolog|g[ée]n[ée]ti|nutrition|addicto|"
    r"m[ée]dicale|chirurgicale|ORL|sant[ée])(?![\p{Ll}]))"
)
NAME = (
    rf"{_NOT_A_NAME}(?:{_ARTICLE}[ \t]*)?{NAME_WORD}"
    rf"(?:(?:[ \t]+|[ \t]*-[ \t]*)(?:{_INNER}[ \t]*)?{NAME_WORD}){{0,4}}"
)
_ADJECTIVES = (
    r"(?i:privée?|locale?|intercommunale?|départementale?|universitaires?|régionale?|générale?|"
    r"spécialisée?|psychiatrique|pédiatrique|gériatrique|militaire|mutualiste|"
    r"d['’]instruction[ \t]+des[ \t]+armées|de[ \t]+proximité)"
)
_HOSPITAL_WORDS = (
    r"(?i:hôpital|hopital|hôpitaux|hopitaux|hospices?(?:[ \t]+civils)?|"
    r"centre[ \t\-]+hospitalier|groupe[ \t]+hospitalier|groupement[ \t]+hospitalier|"
    r"maison[ \t]+de[ \t]+retraite|centre[ \t]+de[ \t]+(?:rééducation|réadaptation|"
    r"soins[ \t]+de[ \t]+suite)|centre[ \t]+de[ \t]+lutte[ \t]+contre[ \t]+le[ \t]+cancer|"
    r"ehpad)"
)
# "clinique" is also an adjective ("examen clinique", "ESSAI CLINIQUE X", "Hématologie
# Clinique"): a head only at the start of a line or a phrase, or after an article or a
# preposition. "polyclinique" is always a noun.
_CLINIC = (
    r"(?:(?<=(?:^|[\n(\[,;:.!?–—|/\"«]|(?<![\w])(?i:la|à|a|en|sa|une|cette|leur|votre|notre|"
    r"chez|l['’]))[ \t]*)(?i:clinique)|(?<![\w])(?i:polyclinique))"
)
# Acronyms in capitals only; "CH", "SSR" only before "de"/"du" ("CH de Niort").
_ACRONYMS = r"(?-i:CHU|CHRU|CHR|CHIC|CHI|CHS|CHG|CHD|GHU|HIA|EHPAD)"
_SHORT_ACRONYMS = r"(?-i:CH|GH|SSR|CLCC)"

HEAD_NAME_REGEX = (
    # Every head starts with one of these letters, and at a word's start unless it is
    # "clinique" ("laclinique"): a look at one or two characters rules out most positions
    # before the look-behinds and alternations are tried (6 times faster).
    rf"(?:(?=[cC])|(?<![\w])(?=[eEgGhHmMpP]))"
    rf"(?:(?<![\w]){_HOSPITAL_WORDS}|{_CLINIC}|(?<![\w\-]){_ACRONYMS})(?![\w])"
    rf"(?:[ \t\-]+{_ADJECTIVES})*(?:[ \t]+{_LINK})?[ \t]*(?<=[ \t'’])\K{NAME}"
)
SHORT_HEAD_REGEX = (
    rf"(?<![\w\-]){_SHORT_ACRONYMS}[ \t]+(?i:de[ \t]+la|de[ \t]+l['’]|de|du|des|d['’])[ \t]*\K{NAME}"
)
CONTEXT = [
    "hôpital", "hopital", "hospitalisé", "hospitalisée", "hospitalisation", "chu", "aphp",
    "ap-hp", "urgences", "transféré", "transférée", "admis", "admise",
]


class HospitalNameRecognizer(PatternRecognizer):
    """A head word then a name: "CHU de Rouen", "hôpital Bichat", "EHPAD Les Glycines"."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity=HOSPITAL,
            name="FrenchHospitalNameRecognizer",
            patterns=[
                Pattern("head_then_name", HEAD_NAME_REGEX, 0.8),
                Pattern("short_acronym_then_name", SHORT_HEAD_REGEX, 0.7),
            ],
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )


def _site_names() -> list[str]:
    path = models_dir() / "lexicons" / "hospital_sites.tsv"
    names: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            name, _, aliases = line.rstrip("\n").partition("\t")
            names.append(name.strip())
            names.extend(a.strip() for a in aliases.split("|") if a.strip())
    return names


def _site_regex(names: list[str]) -> str:
    """One alternation of folded names, with any run of spaces or hyphens between words
    and either apostrophe ("_" and "~" stand for them while the trie is built)."""
    folded = (regex.sub(r"[ \-]+", "_", fold_same_length(n)).replace("’", "~").replace("'", "~")
              for n in names)
    body = trie_regex(folded)
    return body.replace("_", r"[ \t\-]+").replace("~", r"['’][ \t]*")


# Matched on folded text: "vit à", "née à", "domicilié à" before a site's name make it a town.
_RESIDENCE_BEFORE = regex.compile(
    r"(?<![\w])(?:vit|vivant|habite|habitant|nee?s?|domicilie|domiciliee|originaire|reside|"
    r"residant|residante|demeurant)[ \t]+(?:a|au)[ \t]+$"
)


# Matched on folded text: a label that asks for an establishment, then its value, perhaps
# after an article ("Établissement d'origine : la Pitié-Salpêtrière", "Hôpital : Bichat").
_ESTABLISHMENT_LABEL_BEFORE = regex.compile(
    r"(?<![\w])(?:etablissements?|hopital|hopitaux|clinique|site|structure|centre|provenance|"
    r"hospitalisation|hospitalisee?|transferee?|lieu[ \t]+d['’]hospitalisation|"
    r"lieu[ \t]+de[ \t]+(?:prise[ \t]+en[ \t]+charge|soins))"
    r"(?:[ \t]+(?:d['’]|de[ \t]+|du[ \t]+)[\w\-]{2,20})?[ \t]*:[ \t]*(?:(?:la|le|les)[ \t]+|l['’][ \t]*)?$"
)


class HospitalSiteRecognizer(EntityRecognizer):
    """Well-known sites named alone: after "à", "au", "vers", "depuis" ("suivi à Mondor",
    "transféré à la Pitié"), in brackets ("(St Louis)") or after an establishment's label
    ("Établissement d'origine : la Pitié-Salpêtrière"); elsewhere only with a context word
    (hôpital, hospitalisé, urgences…)."""

    CUED, BARE = 0.7, 0.3

    def __init__(self) -> None:
        site = _site_regex(_site_names())
        # Matched on the folded text (lowercase, no accents, same offsets).
        self._pattern = regex.compile(rf"(?<![\w\-]){site}(?![\w\-])")
        super().__init__(supported_entities=[HOSPITAL], name="FrenchHospitalSiteRecognizer",
                         supported_language="fr", context=CONTEXT)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        results = []
        folded = fold_same_length(text)
        for match in self._pattern.finditer(folded):
            start, end = match.span()
            if not any(ch.isupper() for ch in text[start:end]):
                continue  # "tenon", "percy" in lowercase are words, not sites
            before = folded[max(0, start - 30):start]
            if regex.search(r"(?<![\w])(?:de|du|d['’])[ \t]*$", before):
                continue  # "aphasie de Broca", "signe de Trousseau": an eponym
            if _RESIDENCE_BEFORE.search(before):
                continue  # "vit à Saint-Louis", "née à Percy": a town, for the town recognizers
            cued = regex.search(r"(?:(?<![\w])(?:a|au|vers|depuis)[ \t]+(?:la[ \t]+|l['’])?|\([ \t]*)$",
                                 before) \
                or _ESTABLISHMENT_LABEL_BEFORE.search(folded, max(0, start - 60), start)
            score = self.CUED if cued else self.BARE
            results.append(recognizer_result(self, HOSPITAL, start, end, score,
                                             rule="site_name"))
        return results


def hospital_recognizers() -> list[EntityRecognizer]:
    return [HospitalNameRecognizer(), HospitalSiteRecognizer()]
