"""Names and identifiers written file-name style: "CR_Hervé_MARTIN.docx",
"DURAND_Sophie_photo.png", "DupontJean", "CR_Jean-Luc_DE_LA_TOUR.pdf", "IPP_80012345_bilan.pdf",
in text and in attributes (an image's name) alike.

A file-name token is cut into its atoms (at underscores, dots, hyphens and camelCase joins, the
extension set aside); each atom is classified (first name, particle, surname, other) and a run
"first name [particles] surname" or "[particles] surname first name" is a name. Each name atom is
its own result, so the separators, the particles and the extension stay as written and each word
gets the surrogate it gets elsewhere in the document.
"""

from __future__ import annotations

from collections.abc import Container
from itertools import pairwise

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deident.entities import HOSPITAL_ID, PERSON
from deident.lexicons import MEDICAL_SUFFIX, Lexicons
from deident.normalize import fold
from deident.recognizers.person import _CALENDAR_WORDS, NAME_PARTICLES, _result

_EXTENSIONS = (
    "pdf|docx?|odt|rtf|txt|xlsx?|ods|csv|pptx?|odp|png|jpe?g|gif|bmp|tiff?|heic|webp|svg|"
    "dcm|dicom|zip|7z|rar|msg|eml|mp[34]|mov|avi|wav|xml|html?|json"
)
# Where a file-name token may hold a name: an underscore, a small letter then a capital
# ("DupontJean"), or a known extension ("jean.dupont.pdf", "Dupont-Marie.pdf"). Rare in prose.
# (The capital first, its small letter in a look-behind: capitals are rarer, the search faster.)
_TRIGGER = regex.compile(
    rf"_|\.(?=[A-Za-z])(?i:{_EXTENSIONS})(?![\p{{L}}\p{{N}}])|(?<=\p{{Ll}})\p{{Lu}}")
_EXTENSION = regex.compile(rf"\.(?i:{_EXTENSIONS})\Z")
_TOKEN_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}_\-]")
_INNER_DOT = regex.compile(r"\.(?=[\p{L}\p{N}])")
# Atoms: "Hervé", "MARTIN", "dupont", "2019"; "DUPONTJean" -> "DUPONT" + "Jean".
_ATOM = regex.compile(
    r"\p{Lu}[\p{Ll}\p{M}]+|[\p{Ll}\p{M}]+|\p{Lu}[\p{Lu}\p{M}]*(?![\p{Ll}\p{M}])|\p{N}+")
# Between two atoms of one name: nothing (camelCase), an underscore, a hyphen or a dot.
_NAME_JOINS = frozenset(("", "_", "-", "."))
_LETTERS = regex.compile(r"\p{L}[\p{L}\p{M}]*")  # accents may come decomposed (NFD)
# Words that name a document, an exam or a version in file names: never a surname there,
# even in capitals beside a first name ("Marie_BILAN.pdf", "CR_Jean_FINAL.docx").
_FILE_WORDS = frozenset(fold(w) for w in (
    "photo", "photos", "scan", "scanne", "scanné", "img", "image", "images", "capture", "final",
    "finale", "version", "copie", "brouillon", "draft", "old", "new", "def", "definitif",
    "définitif", "modif", "corrige", "corrigé", "signe", "signé", "annexe", "piece", "pièce",
    "fichier", "document", "doc", "export", "bilan", "compte", "rendu", "courrier", "lettre",
    "consultation", "ordonnance", "certificat", "resultat", "résultat", "resultats", "résultats",
    "examen", "rapport", "dossier", "fiche", "synthese", "synthèse", "biopsie", "radio",
    "scanner", "echo", "écho", "irm", "analyse", "analyses", "releve", "relevé", "suivi",
    "sortie", "entree", "entrée", "transfert", "protocole", "consentement", "formulaire",
    "demande", "note", "notes", "patient", "patiente", "service", "hopital", "hôpital",
    "saint", "sainte", "st", "ste",  # "Hopital_Saint_Louis.pdf": a place
))


class JoinedNameRecognizer(EntityRecognizer):
    """Names in file-name-like tokens, searched from the joins (rare in prose).

    A first name comes from the lexicon; a surname is an atom beside it (or beside the
    particles that follow or precede it) that is no abbreviation, calendar word or document
    word. An UPPERCASE word that is also an ordinary French word ("PETIT", "BLANC") is a
    surname there: joined to a first name, in capitals, it stands as a name.
    """

    SCORE = 0.8

    def __init__(self, lexicons: Lexicons, dictionary: Container[str] | None = None) -> None:
        self.lexicons = lexicons
        self.dictionary = dictionary
        self._eponyms = _compound_eponyms(lexicons)
        super().__init__(supported_entities=[PERSON], supported_language="fr",
                         name="JoinedNameRecognizer")

    def load(self) -> None:  # patterns are compiled at import
        pass

    # -- atoms --------------------------------------------------------------------------------
    def _first(self, atom: str) -> bool:
        return len(atom) >= 3 and atom.lower() not in _CALENDAR_WORDS \
            and fold(atom) in self.lexicons.first_names

    @staticmethod
    def _particle(atom: str) -> bool:
        return fold(atom) in NAME_PARTICLES and (atom.islower() or atom.isupper()
                                                 or atom.istitle())

    def _surname(self, atom: str, first: str, beside: bool, after_particle: bool) -> bool:
        """`atom` a surname next to the first name `first` (`beside`: right next to it, to
        its particles, or hyphenated to its surname; not one more word further on)."""
        lex, key = self.lexicons, fold(atom)
        if len(atom) < 2 or not _LETTERS.fullmatch(atom) or key in NAME_PARTICLES \
                or key in _FILE_WORDS or key in lex.never_names or atom.lower() in _CALENDAR_WORDS \
                or key in lex.non_city_places or lex.is_abbreviation(atom) or key in lex.drugs:
            return False
        if len(atom) == 2 and not atom.isupper():
            return False  # "Li", "Ng" in capitals only
        if key in lex.eponym_names and key not in lex.common_words:
            return beside  # "Josiane_FONTAINE": a first name says it is a person
        if lex.is_not_a_name(atom) and not self._first(atom):
            # "Hervé_PETIT": an ordinary word in capitals, joined to a first name, is a name
            ordinary = key in lex.common_words and not MEDICAL_SUFFIX.search(key)
            return beside and atom.isupper() and len(atom) >= 3 and ordinary
        if atom.islower():
            # "scan_lefebvre_marie", "paul_de_mesnil": an unknown word, another first name,
            # or any word after a particle; not "bilan"; beside a capitalised name
            # ("DURAND_Sophie_photo") a small word is no name
            return first.islower() and (after_particle or self._first(atom)
                                        or self.dictionary is None or atom not in self.dictionary)
        return True

    # -- tokens -------------------------------------------------------------------------------
    def _token(self, text: str, at: int) -> tuple[int, int]:
        """The file-name-like token around `at`: letters, digits, underscores, hyphens and
        dots between two of those ("jean.dupont.pdf", not a sentence's full stop)."""
        start = at
        while start > 0 and (_TOKEN_CHAR.match(text, start - 1) or (
                text[start - 1] == "." and start > 1 and text[start - 2].isalnum())):
            start -= 1
        end = at
        while end < len(text) and (_TOKEN_CHAR.match(text, end)
                                   or (_INNER_DOT.match(text, end) and end > start)):
            end += 1
        return start, end

    def _names(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Spans of the name atoms of the token `text[start:end]` (extension set aside)."""
        extension = _EXTENSION.search(text, start, end)
        stem_end = extension.start() if extension else end
        atoms = list(_ATOM.finditer(text, start, stem_end))
        if len(atoms) < 2:
            return []
        joins = [text[a.end():b.start()] for a, b in pairwise(atoms)]
        words = [a.group() for a in atoms]
        firsts = [self._first(w) for w in words]
        if not any(firsts):
            return []  # every name here holds a first name the lexicon knows
        particles = [self._particle(w) for w in words]
        named: set[int] = set()

        def joined(i: int, j: int) -> bool:  # atoms i..j joined as one name
            return all(joins[k] in _NAME_JOINS for k in range(min(i, j), max(i, j)))

        medical = self._eponym_atoms(words)  # "Charcot_Marie_Tooth", "Gilles_de_la_Tourette"
        for i, word in enumerate(words):
            if not firsts[i] or i in medical:
                continue
            for step in (1, -1):  # "Hervé_de_MARTIN", then "de_MARTIN_Hervé"
                k = i + step
                while 0 <= k < len(words) and particles[k] and not firsts[k]:
                    k += step
                if not (0 <= k < len(words) and k not in medical and joined(i, k)
                        and self._surname(words[k], word, beside=True,
                                          after_particle=particles[k - step])):
                    continue
                named.update((i, k))
                # A surname goes on in the same case: "MARTIN_DUPUIS", "Fournier-Lambert".
                k += step
                while 0 <= k < len(words) and joined(k - step, k) \
                        and k not in medical and _same_case(words[k], words[k - step]) \
                        and self._surname(words[k], word, beside=joins[min(k, k - step)] == "-",
                                          after_particle=False):
                    named.add(k)
                    k += step
        # One result per stretch of first names, or of surnames, joined by hyphens ("Jean-Marc",
        # "MARCHAND-ROY").
        spans: list[tuple[int, int]] = []
        for i in sorted(named):
            if spans and i - 1 in named and joins[i - 1] == "-" and (
                    firsts[i] == firsts[i - 1] or (words[i].isupper() and words[i - 1].isupper())):
                spans[-1] = (spans[-1][0], atoms[i].end())
            else:
                spans.append((atoms[i].start(), atoms[i].end()))
        return spans

    def _eponym_atoms(self, words: list[str]) -> set[int]:
        """Indices of the atoms that spell a compound eponym: medicine, not a person."""
        keys = [fold(w) for w in words]
        covered: set[int] = set()
        for size in range(2, min(_EPONYM_WORDS, len(keys)) + 1):
            for start in range(len(keys) - size + 1):
                if tuple(keys[start:start + size]) in self._eponyms:
                    covered.update(range(start, start + size))
        return covered

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        done = -1
        for trigger in _TRIGGER.finditer(text):
            if trigger.start() < done:
                continue  # same token
            start, end = self._token(text, trigger.start())
            done = max(end, trigger.end())
            results += [_result(self, s, e, self.SCORE) for s, e in self._names(text, start, end)]
        return results


_EPONYM_WORDS = 5  # the longest compound eponym looked for, in words
_SPLIT = regex.compile(r"[^\p{L}\p{N}]+")
_OF = frozenset(("de", "du", "des", "d"))


def _compound_eponyms(lexicons: Lexicons) -> frozenset[tuple[str, ...]]:
    """Folded word tuples of the eponyms of several words: the names ("charcot marie tooth")
    and the name part of the phrases ("syndrome de Gilles de la Tourette" -> "gilles de la
    tourette")."""
    runs = set()
    for name in lexicons.eponym_names:
        runs.add(tuple(w for w in _SPLIT.split(name) if w))
    for phrase in lexicons.eponym_phrases:
        words = [w for w in _SPLIT.split(fold(phrase)) if w]
        heads = [i for i, w in enumerate(words) if w in _OF]
        if heads:
            runs.add(tuple(words[heads[0] + 1:]))
    return frozenset(r for r in runs if 2 <= len(r) <= _EPONYM_WORDS)


def _same_case(a: str, b: str) -> bool:
    return a.isupper() == b.isupper() and a.islower() == b.islower()


# "IPP_80012345_bilan.pdf", "NDA-2403117852", "scan.IEP.123456.pdf": a hospital identifier's
# label joined to its value file-name style (the labelled pattern wants a blank or a colon).
FILE_NAME_ID_REGEX = (
    r"(?<![\p{L}\p{N}])(?i:IPP|NDA|NIP|IEP)[_\-.]?\K"
    r"(?=[A-Z0-9]*\d{3})[A-Z0-9]{4,24}(?![\p{L}\p{N}])"
)


class FileNameIdRecognizer(PatternRecognizer):
    def __init__(self) -> None:
        super().__init__(
            supported_entity=HOSPITAL_ID,
            name="FileNameIdRecognizer",
            patterns=[Pattern("joined_label_id", FILE_NAME_ID_REGEX, 0.85)],
            supported_language="fr",
        )


def filename_recognizers(
    lexicons: Lexicons, dictionary: Container[str] | None = None
) -> list[EntityRecognizer]:
    return [JoinedNameRecognizer(lexicons, dictionary), FileNameIdRecognizer()]
