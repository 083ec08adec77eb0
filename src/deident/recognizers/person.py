"""Person names: titles and roles, form fields, UPPERCASE surnames, a first-name lexicon,
and spaCy's PER entities.

Spans cover the name only ("M. Jean DUPONT" -> "Jean DUPONT"): titles sit in
look-behinds, so the title survives and reads naturally before the surrogate.
"""

from __future__ import annotations

from collections.abc import Container
from itertools import chain, pairwise

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from deident.entities import NER_LOCATION, NER_PERSON, PERSON
from deident.lexicons import MEDICAL_SUFFIX, Lexicons
from deident.normalize import fold
from deident.recognizers.lines import on_marked_lines
from deident.recognizers.results import recognizer_result

# Metadata key set on names a cue vouches for (a role, "validé par", a form label): the
# analyzer then keeps a surname the eponym allow-list knows ("validé par Babinski").
PERSON_CUE = "person_cue"

# Any script's capitals and small letters: "Büşra", "Łukasz", "Ngọc".
UP = r"\p{Lu}"
LO = r"\p{Ll}"
_PREFIX = r"(?:\p{Lu}['’]|d['’])?"  # N'Diaye, D'Almeida, O'Neill, M'Bappé, d'Estaing
UPPER_WORD = rf"{_PREFIX}[{UP}][{UP}]+(?:[-'’][{UP}]+)*"
CAP_WORD = rf"{_PREFIX}[{UP}][{LO}]+(?:[-'’][{UP}]?[{LO}]+)*"
INITIAL = rf"[{UP}]\.(?:-?[{UP}]\.)?"
PARTICLE = (
    r"(?:de|du|des|le|la|d['’]|De|Du|Des|Le|La|Da|Di|Do|Dos|Das|Del|Della|Van|van|Von|von|"
    r"der|Der|den|Ben|Ben|El|Al|Mac|Mc|Saint|Sainte|St|Ste|DE|DU|DES|LE|LA|DA|DOS|VAN|VON|EL|BEN)"
)
NAME_PARTICLES = frozenset(
    fold(w) for w in ("de", "du", "des", "le", "la", "d'", "da", "di", "do", "dos", "das",
                      "del", "della", "van", "von", "der", "den", "ben", "el", "al")
)
NAME_TOKEN = rf"(?:{INITIAL}|{UPPER_WORD}|{CAP_WORD})"
_GAP = r"[ ]{1,2}"  # words of one name: spaces, never a tab (table cells) or a line break
# A title inside a sequence starts another person ("Dr X et Dr Y"); "SALAÜN M." ends one.
_NOT_A_TITLE = r"(?!(?:M|Mme|Mlle|Dr|Pr|Me|Docteur|Madame|Monsieur)\.?[ ]+\p{Lu})"
NAME_SEQUENCE = (
    # Starts at a word's beginning, with a capital or a particle: fails fast elsewhere.
    rf"(?<![\w'’\-])(?=[{UP}dDlLvVbBeEaA])"
    rf"(?:{PARTICLE}{_GAP})?{NAME_TOKEN}"
    rf"(?:{_GAP}(?:{PARTICLE}{_GAP})?{_NOT_A_TITLE}{NAME_TOKEN}){{0,3}}"
    rf"(?![{UP}{LO}\d])"
)
# Civil and medical titles: written abbreviated (with or without a dot) or in full.
ABBREVIATED_TITLES = r"M|MM|Mr|MR|Mme|MME|Mmes|Mlle|MLLE|Melle|Dr|DR|Drs|Dre|Pr|PR|Me|Ép|ép|Vve|vve"
FULL_TITLES = (
    r"Monsieur|MONSIEUR|monsieur|Madame|MADAME|madame|Mademoiselle|MADEMOISELLE|"
    r"mademoiselle|Docteur|DOCTEUR|docteur|Professeur|PROFESSEUR|professeur|Maître"
)
# Roles are ordinary words too ("patient", "interne"): weaker evidence, never with a dot.
ROLES = (
    r"IDE|IDEL|Interne|interne|Externe|externe|Infirmière|infirmière|Infirmier|infirmier|"
    r"Sage-femme|sage-femme|Kiné|kiné|Kinésithérapeute|kinésithérapeute|Confrère|confrère|"
    r"Consœur|consœur|Assuré|Assurée|Patient|Patiente|patient|patiente"
)
TITLES = f"{ABBREVIATED_TITLES}|{FULL_TITLES}|{ROLES}"
# Context before a name is matched, then dropped from the span by \K (much faster than a
# look-behind, which the regex engine would try at every position of the text).
_AFTER_TITLE = (
    rf"\b(?:(?:{ABBREVIATED_TITLES})(?:\.[ \t]*|[ \t]+)|(?:{FULL_TITLES})[ \t]+)\K"
)
_AFTER_ROLE = rf"\b(?:{ROLES})[ \t]+\K"
_MARKERS = (
    r"née|Née|NÉE|NEE|né|Né|épouse|Épouse|EPOUSE|ÉPOUSE|veuve|Veuve|VEUVE|dite|dit|"
    r"s['’]appelle|se nomme|nommée?|prénommée?|fils de|fille de|mère|père|frère|sœur|"
    r"conjoint|conjointe|époux|mari|compagnon|compagne|aidée? de|aidée? par"
)
# Headings that open a line like a name would ("TRANSMISSIONS DE JOUR – 09/04/2014").
_HEADINGS = (
    r"(?:TRANSMISSIONS?|COMPTE|RENDU|SUIVI|FICHE|BILAN|CONSULTATION|ORDONNANCE|CERTIFICAT|"
    r"LETTRE|PROTOCOLE|ESSAI|SYNTHÈSE|RÉSULTATS|RESULTATS|CLINIQUE|CENTRE|HÔPITAL|HOPITAL|"
    r"SERVICE|ÉQUIPE|EQUIPE|VISITE|RENDEZ-VOUS|SORTIE|ENTRÉE|ENTREE)"
)
_FIELD_LABELS = (
    r"nom|noms|prénom|prénoms|prenom|prenoms|nom de naissance|nom d['’]usage|nom marital|"
    r"nom de jeune fille|nom du patient|nom de la patiente|nom patient|identité|"
    r"médecin traitant|médecin|praticien|signataire|rédigé par|dicté par|validé par|"
    r"saisi par|interne|externe|correspondant|destinataire|opérateur|anesthésiste|"
    r"chirurgien|aide opératoire|infirmière|infirmier|IDE|prescripteur|demandeur|"
    r"personne de confiance|personne à prévenir|contact|assuré|assurée|patient|patiente|"
    r"fils|fille|frère|sœur|soeur|mère|père|époux|épouse|conjoint|conjointe|mari|femme|"
    r"compagnon|compagne|tuteur|tutrice|curateur|curatrice|aidant|aidante|enfants?|parents?|"
    r"aide|IDE|AS|ASH|IADE|IBODE|ARC|TEC|cadre|rédacteur|rédactrice|secrétaire|coordination|"
    r"coordinateur|coordinatrice|investigateur|investigatrice|kinésithérapeute|kiné|"
    r"diététicienne?|psychologue|assistante? sociale?|responsable|biologiste|radiologue|"
    r"attachée? de recherche clinique|technicienne? d['’]études cliniques|"
    r"interprétation|préleveur|préleveuse|identité|nom et prénom|nom\s*/\s*prénom|patient\(e\)"
)
# A value word is not the next field's label ("Nom : MARTINEZ Prénom : Rosa").
_FIELD_VALUE_WORD = (
    rf"(?![\w'’\-]+[ \t]*:)(?:{INITIAL}|{_PREFIX}[{UP}][{UP}{LO}'’\-]*|{PARTICLE}(?=[ ]+[{UP}]))"
)
FIELD_REGEX = (
    # The label starts at a word boundary after a line start, a separator, two blanks, or
    # one blank if capitalised (\b first: fast).
    rf"\b(?:(?<=(?:^|[\n|;,•–/])[ \t]*)|(?<=[ \t]{{2}})|(?<=[ \t])(?=\p{{Lu}}))(?i:{_FIELD_LABELS})"
    rf"(?:[ \t]+\p{{Ll}}{{3,12}})?"  # "IDE nuit :", "Aidant principal :"
    rf"(?:[ \t]+(?i:de la|de|du|des|d['’])[ \t]*(?i:l['’])?[\w\-]{{2,20}})?"  # "Nom de l'assuré"
    rf"[ \t]*(?:\([^)\n]{{0,20}}\))?(?:[ \t]*:|\t)[ \t]*"  # "Nom : X", "Nom<TAB>X"
    rf"(?:(?:{TITLES})\.?[ \t]+)?\K"
    rf"{_FIELD_VALUE_WORD}(?:[ ]{{1,2}}{_FIELD_VALUE_WORD}){{0,3}}(?![\w])"
)


def _result(recognizer: EntityRecognizer, start: int, end: int, score: float,
            cue: bool = False) -> RecognizerResult:
    return recognizer_result(recognizer, PERSON, start, end, score,
                             **({PERSON_CUE: True} if cue else {}))


# Initials: "D.C.", "DC", "D-C", "D.-C.", "J.-M. L."; two or three letters.
INITIALS = r"\p{Lu}(?:\.-?|-)?\p{Lu}(?:(?:\.-?|-)?\p{Lu})?\.?(?![\p{L}\p{N}])"
_LETTER = regex.compile(r"\p{Lu}\.?")


def initial_letters(recognizer: EntityRecognizer, text: str, start: int, end: int,
                    score: float) -> list[RecognizerResult]:
    """One result per letter (and its dot), so each becomes a surrogate initial: "D.-C." ->
    "M.-A.", "DC" -> "MA", never a surname."""
    return [_result(recognizer, m.start(), m.end(), score, cue=True)
            for m in _LETTER.finditer(text, start, end)]


class TitledPersonRecognizer(PatternRecognizer):
    """A name after a title or role, a kinship marker, or a form label."""

    # Patterns whose context says "a person" more surely than an eponym lexicon says "not".
    _CUE_PATTERNS = frozenset({"after_role", "after_marker", "form_field", "done_by", "relative",
                               "role_then_parenthesis"})

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            explanation = result.analysis_explanation
            if explanation is not None and explanation.pattern_name in self._CUE_PATTERNS:
                result.recognition_metadata[PERSON_CUE] = True
        return results

    def __init__(self) -> None:
        super().__init__(
            supported_entity=PERSON,
            patterns=[
                Pattern("after_title", _AFTER_TITLE + NAME_SEQUENCE, 0.85),
                Pattern("after_role", _AFTER_ROLE + NAME_SEQUENCE, 0.7),
                Pattern(
                    "after_marker",
                    rf"\b(?:{_MARKERS})[ \t]+\K(?!le |la |les |en |à )"
                    + NAME_SEQUENCE,
                    0.7,
                ),
                Pattern("form_field", FIELD_REGEX, 0.8),
                Pattern(
                    "done_by",  # "Fiche complétée par X", "frappé le 20/08/2014 par X"
                    r"\b(?i:complétée?|rédigée?|validée?|vérifiée?|signée?|prélevée?|"
                    r"frappée?|dictée?|saisie?|réalisée?|effectuée?|relue?|transmise?)"
                    rf"(?:[ \t]+le[ \t]+[^\n]{{1,30}}?)?[ \t]+par[ \t]+\K{NAME_SEQUENCE}",
                    0.75,
                ),
                Pattern(
                    "relative",  # "sa fille, Ömer Le Roux", "son fils Toanui Poupard"
                    r"\b(?i:sa|son|leur)[ \t]+(?i:fille|fils|mère|père|sœur|soeur|frère|"
                    r"épouse|époux|conjointe?|mari|femme|compagne|compagnon|amie?|voisine?|"
                    r"petite?-fille|petit-fils|nièce|neveu|belle-fille|gendre|tante|oncle|"
                    rf"cousine?)[ \t]*,?[ \t]+\K{NAME_SEQUENCE}",
                    0.75,
                ),
                Pattern(
                    "identity_line",
                    rf"^[ \t]*\K(?!{_HEADINGS}(?![\w]))"
                    rf"{UPPER_WORD}(?:{_GAP}(?:{PARTICLE}{_GAP})?{UPPER_WORD}){{1,3}}"
                    r"(?=[ \t]*(?:[–\-|,][ \t]*(?i:né|née|ddn|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
                    r"|\([ \t]*\d{1,3}[ \t]*(?:ans|mois)[ \t]*\)))",
                    0.75,
                ),
                Pattern(
                    "role_then_parenthesis",  # "Kinésithérapeute (Deolindo Técher)"
                    rf"\b(?i:{ROLES}|kinésithérapeute|diététicienne?|psychologue|"
                    rf"assistante? sociale|service social|ergothérapeute|orthophoniste)"
                    rf"[ \t]*\(\K{NAME_SEQUENCE}(?=\))",
                    0.75,
                ),
                Pattern(
                    "greeting",
                    rf"\b(?i:bonjour|bonsoir|merci|cordialement|amicalement|"
                    rf"bien à (?:vous|toi)|bises)[ \t]*,?[ \t\n]+\K{NAME_SEQUENCE}",
                    0.6,
                ),
                Pattern(
                    "after_lowercase_title",  # "vu avec mme durand": vetoed if a French word
                    rf"\b(?:{ABBREVIATED_TITLES}|mme|mlle|mr|dr|pr)\.?[ \t]+\K"
                    r"(?:(?:de|du|le|la|des|d['’])[ \t]+)?(?:\p{Ll}['’])?\p{Ll}[\p{Ll}'’\-]{2,}(?![\w])",
                    0.6,
                ),
            ],
            supported_language="fr",
            global_regex_flags=regex.MULTILINE,
        )
        # Patterns with a rare part, on its line, run only where it is
        # (deident.recognizers.lines): "Kiné (Paul Roux)" holds a "(", "validé par X" a " par ".
        markers = {"role_then_parenthesis": r"\(", "done_by": r"[ \t]par[ \t]"}
        self.patterns = [on_marked_lines(p, markers[p.name], regex.MULTILINE)
                         if p.name in markers else p for p in self.patterns]


# What follows a name and says it is one.
AGE_CUE = r",[ \t]*\d{1,3}[ \t]*(?:ans|mois)(?![\w])"  # "LE MEN, 72 ans"
ROLE_CUE = (  # "Guilan (AS)", "Jinhua L. (IDE)", "Mme X (fille)", "Coumba Renard, IDE"
    rf"[ \t]*(?:\(|,[ \t]*)(?i:{ROLES}|AS|ASH|AES|ARC|IADE|IBODE|"
    r"PH|CCA|biologiste|pharmacienne?|chirurgienne?|radiologue|anesthésiste|"
    r"praticien|praticienne|médecin|psychologue|secrétaire|secrétariat|"
    r"cadre|aide-soignante?|fils|fille|mère|père|sœur|soeur|frère|époux|épouse|"
    r"conjointe?|ami|amie|voisine?|tuteur|tutrice)(?:\)|[ \t]*(?:[,;.]|$))"
)
_NOT_AFTER_PLACE_WORD = r"(?<!(?i:à|a|au|en|de|d['’]|née?|vers)[ \t])"  # "née à Quimper, 54 ans"


class NameBeforeCueRecognizer(EntityRecognizer):
    """A name right before a cue that says it is one: an age or a role.

    Searched from the cue backwards: the cue is rare, while a name-first pattern would be
    tried at every capital letter of the text.
    """

    _WINDOW = 200  # longer than any NAME_SEQUENCE
    SCORE = 0.75

    def __init__(self) -> None:
        self._searches = [
            (regex.compile(AGE_CUE, regex.MULTILINE),
             regex.compile(rf"{_NOT_AFTER_PLACE_WORD}{NAME_SEQUENCE}\Z")),
            (regex.compile(ROLE_CUE, regex.MULTILINE), regex.compile(rf"{NAME_SEQUENCE}\Z")),
        ]
        super().__init__(supported_entities=[PERSON], supported_language="fr",
                         name="NameBeforeCueRecognizer")

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for index, (cue, name) in enumerate(self._searches):
            for match in cue.finditer(text):
                # The leftmost start whose name runs up to the cue: the longest name.
                found = name.search(text, max(0, match.start() - self._WINDOW), match.start())
                if found:  # a role vouches for a person ("Babinski (interne)"), an age less
                    results.append(_result(self, found.start(), found.end(), self.SCORE,
                                           cue=index == 1))
        return EntityRecognizer.remove_duplicates(results)


_INSIDE_SENTENCE = regex.compile(r"(?<![\w'’])\p{Ll}[\p{Ll}'’]*[ \t]+\Z")


class NameShapeRecognizer(EntityRecognizer):
    """Names recognised by their shape plus the first-name lexicon.

    "DUPONT Jeanne", "Jeanne DUPONT", "MENARD, Julien", "J. DUPONT", "Jeanne Dupont",
    "PAUL BERNARD": a capitalised word is taken as a first name only when the lexicon
    knows it, and no word may be a known abbreviation or common heading word.
    """

    _UPPER_SEQ = rf"{UPPER_WORD}(?:{_GAP}{UPPER_WORD}){{0,2}}"
    _CAP_SEQ = rf"{CAP_WORD}(?:{_GAP}{CAP_WORD})?"
    _SHAPES = (
        # (name, regex, score) - groups: "first" = first names, "last" = surnames
        ("upper_then_first", rf"(?P<last>{_UPPER_SEQ})[ ]?,?{_GAP}(?P<first>{_CAP_SEQ}|{UPPER_WORD})", 0.8),
        ("first_then_upper", rf"(?P<first>{_CAP_SEQ}){_GAP}(?P<last>{_UPPER_SEQ})", 0.8),
        ("initial_then_upper", rf"(?P<first>{INITIAL})[ ]?(?P<last>{UPPER_WORD})", 0.7),
        # "DUPONT J." - but not "BCLC A." closing a sentence: a name goes on.
        ("upper_then_initial",
         rf"(?P<last>{_UPPER_SEQ}){_GAP}(?P<first>{INITIAL})(?![{UP}])(?![ \t]*(?:\n|$))", 0.7),
        ("first_then_cap", rf"(?P<first>{_CAP_SEQ}){_GAP}(?P<last>{CAP_WORD})", 0.6),
        # "Dupont Albert" (surname first, as in lists): the surname must not be a first name.
        ("cap_then_first", rf"(?P<last>{CAP_WORD}){_GAP}(?P<first>{CAP_WORD})", 0.55),
        ("initial_then_cap", rf"(?P<first>{INITIAL})[ ]?(?P<last>{CAP_WORD})", 0.55),
        ("cap_then_initial",
         rf"(?P<last>{CAP_WORD}){_GAP}(?P<first>{INITIAL})(?![{UP}])(?![ \t]*(?:\n|$))", 0.5),
        ("upper_first_then_upper", rf"(?P<first>{UPPER_WORD}){_GAP}(?P<last>{_UPPER_SEQ})", 0.65),
        # An unknown first name beside an UPPERCASE surname ("PAPADOPOULOS Sopheap"): both
        # words must be unknown to the French dictionary and the lexicons.
        ("upper_then_unknown", rf"(?P<last>{_UPPER_SEQ})[ ]?,?{_GAP}(?P<unknown>{CAP_WORD})", 0.5),
        ("unknown_then_upper", rf"(?P<unknown>{CAP_WORD}){_GAP}(?P<last>{_UPPER_SEQ})", 0.5),
        # A known first name inside a sentence ("Enfants : Yanis et Inès", "Merci, Marc").
        ("lone_first_name", rf"(?<=[\w,;:][ \t]+|[\w][ \t]*,[ \t]*)(?P<first>{CAP_WORD})(?P<last>)", 0.6),
    )

    def __init__(self, lexicons: Lexicons, dictionary: Container[str] | None = None) -> None:
        self.lexicons = lexicons
        self.dictionary = dictionary  # common French words: "Isolement" is not a surname
        self._eponym_pairs = {
            pair for name in lexicons.eponym_names
            for parts in [regex.split(r"[\s\-]+", name)] for pair in pairwise(parts)}
        self._compiled = [
            (name, regex.compile(rf"(?<![\w'’\-./°]){pattern}(?![\w'’])"), score)
            for name, pattern, score in self._SHAPES
        ]
        super().__init__(supported_entities=[PERSON], supported_language="fr", name="NameShape")

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def _eponym_compound(self, words: str) -> bool:
        """Two words of one eponym ("Charcot Marie" of Charcot-Marie-Tooth)."""
        folded = [fold(w) for w in regex.split(r"[\s,\-]+", words) if w]
        return any(pair in self._eponym_pairs for pair in pairwise(folded))

    def _is_first_name(self, words: str) -> bool:
        return all(
            fold(w) in self.lexicons.first_names
            for w in words.split()
        )

    def _plausible_surname(self, words: str, common_words_allowed: bool = False,
                           eponym_allowed: bool = False) -> bool:
        """Not an abbreviation, drug, place or medical word; beside a known first name a
        surname may be a common word ("Héloïse Petit", "Fontaine Norbert") or an eponym
        ("Jean Charcot": the allow-list's phrases still protect "maladie de Charcot")."""
        lex = self.lexicons
        content = [w for w in words.split() if fold(w) not in NAME_PARTICLES]

        def implausible(word: str) -> bool:
            if fold(word) in lex.non_city_places or lex.is_abbreviation(word) \
                    or fold(word) in lex.drugs:
                return True
            if fold(word) in lex.eponym_names:
                return not eponym_allowed
            if common_words_allowed:
                return MEDICAL_SUFFIX.search(fold(word)) is not None and len(word) >= 7
            return lex.is_not_a_name(word) or (
                self.dictionary is not None and word in self.dictionary and not word.isupper())

        return bool(content) and not any(implausible(w) for w in content)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for name, pattern, score in self._compiled:
            for match in pattern.finditer(text, overlapped=True):
                if "unknown" in match.groupdict():
                    first = match.group("unknown")
                    if self._is_first_name(first) or not self._plausible_surname(first) \
                            or len(match.group("last")) < 4:
                        continue  # known first names have their own shapes above
                    last = match.group("last")
                else:
                    first, last = match.group("first"), match.group("last")
                if not first.endswith(".") and "unknown" not in match.groupdict() \
                        and not self._is_first_name(first):
                    continue
                # Surname after a known first name may be a common word ("Héloïse Petit");
                # before it, it is too often a sentence's first word ("Appeler Gwenaëlle").
                known_first = name not in ("cap_then_first", "lone_first_name") \
                    and "unknown" not in match.groupdict() and not first.endswith(".")
                beside = known_first and bool(last)
                if not self._plausible_surname(last or first, common_words_allowed=beside,
                                               eponym_allowed=beside) and not (
                        # "pour Dupont Albert", "Dossier de Pasteur Jean": inside a sentence,
                        # a word before a known first name is a surname even if the
                        # dictionary knows it.
                        name == "cap_then_first" and _INSIDE_SENTENCE.search(
                            text, max(0, match.start() - 40), match.start()) is not None
                        and self._plausible_surname(last, common_words_allowed=True,
                                                    eponym_allowed=True)):
                    continue
                if name == "cap_then_first" and self._is_first_name(last):
                    continue  # "Jean Pierre": the other order already decides
                if self._eponym_compound(match.group()):
                    continue  # "Charcot Marie Tooth"
                # "Marie Élise": two first names, less sure.
                two_first_names = name == "first_then_cap" and self._is_first_name(last)
                score_here = 0.5 if two_first_names else score
                results.append(_result(self, match.start(), match.end(), score_here))
        return EntityRecognizer.remove_duplicates(results)


class TableNameRecognizer(EntityRecognizer):
    """Names in the columns of a table whose header says so.

        Nom | Prénom | Date de naissance
        LESAGE | Piotr | 30/05/1974

    Cells are split on "|" or tabs; the table ends at the first line without that separator.
    """

    _NAME_HEADER = regex.compile(
        r"(?i)(?:nom|noms|prénoms?|prenoms?|nom de naissance|nom d['’]usage|nom et prénom|"
        r"nom\s*/\s*prénom|patient|patiente|identité|médecin|praticien|"
        r"initiales(?:[ ](?:du[ ])?(?:patient|patiente|sujet))?)"
    )
    _INITIALS_HEADER = regex.compile(r"(?i)initiales.*")
    _INITIALS_CELL = regex.compile(INITIALS)
    # Other column titles: a header row has at least two known titles ("Nom\tBERTRAND" is a
    # key-value line, not a header).
    _OTHER_HEADER = regex.compile(
        r"(?i)(?:date de naissance|ddn|né\(e\) le|sexe|âge|age|ipp|nda|service|date|adresse|"
        r"téléphone|tél\.?|n°.*|chambre|lit|diagnostic|motif|statut|rôle|fonction|"
        r"date d['’](?:inclusion|entrée)|bras|groupe|visite|inclusion|randomisation|centre)"
    )
    _LINE = regex.compile(r"[^\n]+")

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON], supported_language="fr",
                         name="TableNameRecognizer")

    def load(self) -> None:  # nothing to load
        pass

    @staticmethod
    def _cells(line: str, offset: int, separator: str) -> list[tuple[int, int]]:
        cells, start = [], 0
        for part in line.split(separator):
            stripped = part.strip()
            lead = len(part) - len(part.lstrip())
            cells.append((offset + start + lead, offset + start + lead + len(stripped)))
            start += len(part) + 1
        return cells

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        columns: list[int] = []
        initials: set[int] = set()  # columns of initials: "D.C." -> one result per letter
        separator = ""
        for match in self._LINE.finditer(text):
            line = match.group()
            if columns and separator in line:
                cells = self._cells(line, match.start(), separator)
                for index in columns:
                    if index < len(cells):
                        start, end = cells[index]
                        if index in initials and self._INITIALS_CELL.fullmatch(text, start, end):
                            results += initial_letters(self, text, start, end, 0.85)
                        elif end > start and any(ch.isalpha() for ch in text[start:end]):
                            results.append(self._result(start, end))
                continue
            columns = []
            for candidate in ("|", "\t"):
                if line.count(candidate) >= 1:
                    cells = self._cells(line, match.start(), candidate)
                    names = [i for i, (s, e) in enumerate(cells)
                             if self._NAME_HEADER.fullmatch(text[s:e])]
                    others = sum(1 for s, e in cells if self._OTHER_HEADER.fullmatch(text[s:e]))
                    if names and len(names) + others >= 2:
                        columns, separator = names, candidate
                        initials = {i for i in names
                                    if self._INITIALS_HEADER.fullmatch(text, *cells[i])}
                        break
        return results

    def _result(self, start: int, end: int) -> RecognizerResult:
        return _result(self, start, end, 0.85)  # a "Nom"/"Prénom" column: as sure as a title


class PatientInitialsRecognizer(EntityRecognizer):
    """Patient initials in research forms: "Initiales : D.C.", "patiente D-C", "sujet 012
    (initiales D.-C.)". After "initiales" any form; after "patient(e)"/"sujet" a bare
    "DC" must not be a known abbreviation ("patient VIH", "patiente HTA")."""

    SCORE = 0.85
    _CUE = regex.compile(
        r"\b(?:(?P<strong>(?i:initiales?)(?:[ \t]+(?i:du|de la|de l['’]|des))?"
        r"(?:[ \t]+(?i:patient(?:e|\(e\))?|sujet|participant(?:e)?|nom[ \t]*/?[ \t]*prénom))?)"
        r"|(?:[Pp]atient(?:e|\(e\))?|PATIENTE?|[Ss]ujet|SUJET|[Pp]articipante?|[Pp]t)"
        r"(?:[ \t]+(?:n°|N°|no|#)?[ \t]*\d{1,6})?)"
        r"[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*[:=–\-]?[ \t]*\K" + INITIALS
    )

    _NAME_GOES_ON = regex.compile(r"[ \t]+\p{Lu}\p{L}")

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons
        super().__init__(supported_entities=[PERSON], supported_language="fr",
                         name="PatientInitialsRecognizer")

    def load(self) -> None:  # patterns are compiled at import
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for match in self._CUE.finditer(text):
            initials = match.group()
            bare = initials.isalpha()
            if not match.group("strong") and (
                    (bare and self.lexicons.is_abbreviation(initials))
                    or self._NAME_GOES_ON.match(text, match.end())):
                continue  # "patient VIH": an abbreviation; "Patient : J.-P. ROUX": a name
            results += initial_letters(self, text, match.start(), match.end(), self.SCORE)
        return results


_CALENDAR_WORDS = frozenset((
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
    "septembre", "octobre", "novembre", "décembre", "decembre", "lundi", "mardi", "mercredi",
    "jeudi", "vendredi", "samedi", "dimanche",
))
# Lowercase names: after a form label, or a known first name then a surname after a word
# that introduces a person ("vu avec jean dupont", "appel de marie lefebvre").
_FUNCTION_WORDS = frozenset((
    "de", "du", "des", "le", "la", "les", "un", "une", "et", "ou", "à", "au", "aux", "en",
    "pour", "par", "avec", "sur", "sous", "dans", "chez", "ce", "cet", "cette", "ces", "son",
    "sa", "ses", "qui", "que", "est", "ne", "pas", "plus", "très", "non", "oui", "ni", "car",
    "mais", "donc", "puis", "se", "si", "il", "elle", "on", "nous", "vous", "ils", "elles",
))
_NO_VALUE = frozenset(("inconnu", "inconnue", "néant", "neant", "nc", "nr", "non", "voir",
                       "idem", "anonyme", "anonymisé", "anonymise", "cf", "xxx", "x"))


class LowercaseNameRecognizer(EntityRecognizer):
    """Names typed in lowercase: "Prénom : jean", "vu avec jean dupont", "Patient : jean dupont".

    After a name label any value is a name (unless it says there is none). In prose or
    after another person's label, a known first name that is not an adjective, then a word
    that is only a noun or unknown to the dictionary, after "avec", "par", "de"...: the
    surname.
    """

    _FIELD = regex.compile(
        r"(?<![\w])(?i:prénoms?|prenoms?|nom|noms|nom de naissance|nom d['’]usage|"
        r"nom de famille|nom marital)[ \t]*:[ \t]*\K"
        r"\p{Ll}[\p{Ll}'’\-]+(?:[ ]\p{Ll}[\p{Ll}'’\-]+)?(?![\w])")
    _PROSE_CUE = regex.compile(
        r"(?<![\w])(?:avec|par|chez|pour|de|à|et|appel(?:é|ée)?|contacté|contactée|vu|vue|"
        r"appeler|rappeler|prévenir|informer|joindre)[ ]+(?=\p{Ll}{3})")
    # A person's label ("Patient : thierry lemoine", "Contact : marie lefebvre"): the words
    # must still read first name then surname ("Patient : pas de plainte"). Searched from
    # the colon back (the labels' alternation tried at every position would be slow).
    _COLON = regex.compile(r"[ \t]*:[ \t]*(?=\p{Ll}{3})")
    _LABEL_BEFORE = regex.compile(rf"(?<=(?<![\w])(?i:{_FIELD_LABELS}))")
    _PROSE_NAME = regex.compile(
        r"(?P<first>\p{Ll}[\p{Ll}\-]{2,})[ ]+"
        r"(?P<last>(?:(?:de|du|le|la)[ ])?\p{Ll}[\p{Ll}'’\-]{2,})(?![\w])")
    FIELD_SCORE = 0.8
    PROSE_SCORE = 0.6

    def __init__(self, lexicons: Lexicons, dictionary: Container[str] | None = None) -> None:
        self.lexicons = lexicons
        self.dictionary = dictionary
        super().__init__(supported_entities=[PERSON], supported_language="fr",
                         name="LowercaseNameRecognizer")

    def load(self) -> None:  # patterns are compiled at import
        pass

    def _kinds(self, word: str) -> frozenset[str]:
        kinds = getattr(self.dictionary, "kinds", None)
        return kinds(word) if kinds is not None else frozenset()

    def _first(self, word: str, surname: str) -> bool:
        """A known first name; one that is an adjective too ("claire", "rose") only before
        a word the dictionary does not know ("marie lefebvre", not "claire indication")."""
        return fold(word) in self.lexicons.first_names and word not in _CALENDAR_WORDS and not (
            self._kinds(word) & {"adj", "adv"} and (self.dictionary is None
                                                    or surname.split()[-1] in self.dictionary))

    def _surname(self, words: str) -> bool:
        word = words.split()[-1]
        lex = self.lexicons
        if word in _FUNCTION_WORDS or lex.is_not_a_name(word) or fold(word) in lex.non_city_places \
                or fold(word) in lex.never_names or MEDICAL_SUFFIX.search(fold(word)):
            return False
        return fold(word) in lex.first_names or not (self._kinds(word) - {"noun"})

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for match in self._FIELD.finditer(text):
            words = match.group().split()  # "le gall": a particle, then the name
            if words[0] not in _NO_VALUE and (words[0] not in _FUNCTION_WORDS or (
                    len(words) > 1 and fold(words[0]) in NAME_PARTICLES)):
                results.append(_result(self, match.start(), match.end(), self.FIELD_SCORE, cue=True))
        colons = (c for c in self._COLON.finditer(text)
                  if self._LABEL_BEFORE.match(text, c.start()))
        for cue in chain(self._PROSE_CUE.finditer(text), colons):
            match = self._PROSE_NAME.match(text, cue.end())
            if match and self._first(match.group("first"), match.group("last")) \
                    and self._surname(match.group("last")):
                results.append(_result(self, match.start(), match.end(), self.PROSE_SCORE))
        return results


def person_recognizers(
    lexicons: Lexicons, dictionary: Container[str] | None = None
) -> list[EntityRecognizer]:
    return [
        TitledPersonRecognizer(),
        NameBeforeCueRecognizer(),
        NameShapeRecognizer(lexicons, dictionary),
        TableNameRecognizer(),
        PatientInitialsRecognizer(lexicons),
        LowercaseNameRecognizer(lexicons, dictionary),
        SpacyRecognizer(supported_language="fr", supported_entities=[NER_PERSON, NER_LOCATION]),
    ]
