"""One Presidio AnalyzerEngine on spaCy's French pipeline, plus document-level clean-up.

analyze(text) runs in named steps:
  1. nlp.pipe over line-aligned chunks, then every French recognizer on each chunk;
  2. trim titles and heading words off names, drop what the allow-lists protect;
  3. keep one entity per stretch of text (longest, then most confident);
  4. propagate: every value found once is caught at all its occurrences.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections.abc import Iterable, Iterator

import regex

from deident import compiled
from deident.entities import (
    ADDRESS,
    CITY,
    DATE,
    EMAIL,
    HOSPITAL,
    NER_LOCATION,
    NER_PERSON,
    PERSON,
    URL,
    ZIP_CITY,
    Entity,
)
from deident.normalize import digits_only, fold


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading creates a million long-lived objects and almost no garbage: the cyclic
    collector would walk them all, several times, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Presidio's and the recognizers' modules compile their patterns as they are imported: kept
# on disk (deident.compiled), every later process builds them without parsing them again.
with compiled.recording(), _collector_paused():
    from presidio_analyzer import (
        PatternRecognizer,
        RecognizerRegistry,
        RecognizerResult,
    )

    from deident.lexicons import (
        Lexicons,
        PhraseMatcher,
        load_lexicons,
        overlapping_trie,
        trie_regex,
    )
    from deident.nlp import (
        CHUNK_CHARS,
        DEFAULT_MODEL,
        LANGUAGE,
        FastAnalyzerEngine,
        FastContextEnhancer,
        FrenchNlpEngine,
    )
    from deident.recognizers import french_recognizers
    from deident.recognizers.person import NAME_PARTICLES, PERSON_CUE

DEFAULT_THRESHOLD = 0.4
# spaCy label -> (our type before cleaning, score)
NER_TYPES = {NER_PERSON: (PERSON, 0.85), NER_LOCATION: (NER_LOCATION, 0.6)}

# Words that may stick to a name span but are not part of the name.
_NOT_NAME_WORDS = frozenset(
    fold(w)
    for w in (
        "M", "M.", "MM", "Mr", "Mme", "Mlle", "Melle", "Monsieur", "Madame", "Mademoiselle",
        "Dr", "Dre", "Drs", "Docteur", "Pr", "Professeur", "Me", "Maître", "IDE", "Interne",
        "Externe", "né", "née", "nee", "épouse", "ep", "veuve", "vve", "dit", "dite",
        "patient", "patiente", "assuré", "assurée",
        "et", "ou", "à", "chez", "pour", "par", "avec", "cher", "chère",
        "père", "mère", "fils", "fille", "frère", "sœur", "soeur", "époux", "conjoint",
        "conjointe", "ami", "amie", "aide", "identité", "nom", "prénom",
    )
)
_WORD = regex.compile(r"[\w][\w'’.\-]*")
_SOFT_TYPES = (PERSON, CITY, NER_LOCATION)  # statistical or lexicon guesses the allow-list can veto
_NUMERIC_MIN_DIGITS = 6
_DIGIT_RUN = regex.compile(r"\b\d(?:[ .\-]?\d)*(?![\w])")
_NOT_IN_NAMES = frozenset("@/\\:|#<>=+_%&*()[]{}")
_INSTITUTIONS = (
    r"(?i:(?<!chef de )clinique|hôpital|hopital|hospitalier|centre|chu|chr|polyclinique|ehpad|institut|"
    r"fondation|maison de santé|résidence|groupe hospitalier|protocole|étude|essai|biopôle)"
)
_INSTITUTION_BEFORE = regex.compile(
    rf"{_INSTITUTIONS}[ \t]+(?:(?i:du|de la|de l['’]|de|des|d['’])[ \t]*)?\Z"
)
_INSTITUTION_FIRST = regex.compile(rf"{_INSTITUTIONS}(?![\w])")
_TITLE_WORDS = frozenset({
    "professeur", "docteur", "directeur", "directrice", "président", "présidente", "maire",
    "ministre", "juge", "procureur", "préfet", "chef", "cadre", "interne", "externe",
})
_PARTICIPLE = regex.compile(r"(?:é|ée|és|ées)$")
_PLACE_CUE = regex.compile(
    r"(?i)(?:\b(?:à|a|au|aux|en|vers|sur|près\s+de|depuis|de|d['’])|"
    r"(?:domicile|naissance|provenance|origine|résidence|adresse|ville)\s*[:(])\s*$"
)
# "score de Cushman", "signe de Murphy": a capitalised word after these heads is an eponym.
_EPONYM_HEADS = (
    "score", "signe", "maladie", "syndrome", "test", "manœuvre", "manoeuvre", "classification",
    "échelle", "critères", "triade", "stade", "index", "indice", "méthode", "technique",
    "procédure", "opération", "incision", "réflexe", "loi", "tétralogie", "lymphome",
    "sarcome", "anse", "canal", "fracture", "phénomène", "kyste", "nodule", "tumeur",
    "bacille", "cellule", "cellules", "corps", "voie", "point", "ligne", "angle", "espace",
    "abord", "approche", "triangle", "ligament", "muscle", "artère", "nerf", "membrane",
    "trompe", "valvule", "bourse", "glande", "position", "prothèse", "clou", "plaque",
    "ostéotomie", "lambeau", "cicatrice", "sonde", "pince", "écarteur",
)
_EPONYM_HEAD = regex.compile(
    rf"(?i:{trie_regex(_EPONYM_HEADS)})"  # inside words too: "hémisyndrome de Brown-Séquard"
    r"(?:[ \t]+[\p{Ll}\-]{3,})?"  # "voie antérieure de Henry", "abord postéro-latéral de Moore"
    r"[ \t]+(?:de[ \t]+|d['’]|du[ \t]+)\p{Lu}[\p{L}'’\-]+(?:[ \t\-]+\p{Lu}[\p{L}'’\-]+)*"
)
_DOSE_AFTER = regex.compile(
    r"(?:[ \t]+\p{Lu}\d?)?"  # "Uvesterol D 1500 UI/mL"
    r"[ \t]+\d+(?:[.,]\d+)?[ \t]*(?i:mg|g|mL|ml|µg|mcg|UI|U|mmol|cp|comprimés?|gélules?|"
    r"sachets?|gouttes?|%)(?![\w])"
)
_LABEL_AFTER = regex.compile(r"[ \t]*:")
_LINE_START = regex.compile(r"(?:^|\n)[ \t]*$")
_LETTER_DATE = regex.compile(r",?\s+le\b")


class Analyzer:
    """Finds identifiers in French text. Build once per process; reuse for every text."""

    def __init__(
        self,
        lexicons: Lexicons | None = None,
        model_name: str = DEFAULT_MODEL,
        threshold: float = DEFAULT_THRESHOLD,
        batch_size: int = 64,
        ner: bool = True,
    ) -> None:
        with compiled.recording(), _collector_paused():  # see above
            self._build(lexicons, model_name, threshold, batch_size, ner)
        compiled.release()

    def _build(self, lexicons: Lexicons | None, model_name: str, threshold: float,
               batch_size: int, ner: bool) -> None:
        self.lexicons = lexicons or load_lexicons()
        self.threshold = threshold
        self.batch_size = batch_size
        self.model_name = model_name
        self.nlp_engine = FrenchNlpEngine(model_name, ner=ner)
        self.nlp_engine.load()
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in french_recognizers(self.lexicons, self.nlp_engine.dictionary):
            registry.add_recognizer(recognizer)
        self.engine = FastAnalyzerEngine(
            registry=registry,
            nlp_engine=self.nlp_engine,
            supported_languages=[LANGUAGE],
            context_aware_enhancer=FastContextEnhancer(
                context_prefix_count=6, context_suffix_count=2
            ),
        )
        self._allow_phrases = PhraseMatcher([*self.lexicons.eponym_phrases,
                                             *_compound_eponyms(self.lexicons)])
        _prepare(registry)

    # -- step 1 ---------------------------------------------------------------------------
    def analyze(self, text: str) -> list[Entity]:
        return next(iter(self.analyze_many([text])))

    def analyze_many(self, texts: Iterable[str]) -> Iterator[list[Entity]]:
        """Entities per text, sorted, non-overlapping. spaCy runs batched over all chunks."""
        texts = list(texts)
        chunks = [(t_index, offset, chunk) for t_index, text in enumerate(texts)
                  for offset, chunk in _chunks(text)]
        raw: list[list[Entity]] = [[] for _ in texts]
        artifacts = self.nlp_engine.process_batch(
            [c for _, _, c in chunks], LANGUAGE, batch_size=self.batch_size
        )
        for (t_index, offset, chunk), (_, nlp_artifacts) in zip(chunks, artifacts, strict=True):
            results = self.engine.analyze(text=chunk, language=LANGUAGE, nlp_artifacts=nlp_artifacts)
            raw[t_index].extend(_to_entity(r, offset) for r in results)
        for text, entities in zip(texts, raw, strict=True):
            yield self.refine(text, entities)

    def refine(self, text: str, entities: list[Entity]) -> list[Entity]:
        protected = self.protected_spans(text)
        entities = self._clean(text, entities, protected)
        entities = [e for e in entities if e.score >= self.threshold]
        entities = resolve_overlaps(join_names(entities))
        return self._propagate(text, entities, protected)

    def protected_spans(self, text: str) -> Spans:
        """Medicine the allow-lists protect: "maladie de Berger" stays, even in a text about
        a Mme Berger."""
        return Spans(sorted([*self._allow_phrases.finditer(text),
                             *(m.span() for m in _EPONYM_HEAD.finditer(text))]))

    # -- step 2 ---------------------------------------------------------------------------
    def _clean(self, text: str, entities: list[Entity], protected: Spans) -> list[Entity]:
        cleaned = []
        for entity in _split_ner_lines(text, entities):
            if entity.type in _SOFT_TYPES:
                entity = self._trim_name(text, entity)
                if entity is None or self._vetoed(text, entity, protected):
                    continue
            if entity.type == NER_LOCATION:
                entity = Entity(entity.start, entity.end, CITY, entity.score, entity.hint)
            if entity.type in (CITY, ZIP_CITY, ADDRESS) and self._is_country(text, entity):
                continue
            cleaned.append(entity)
        return cleaned

    def _strong(self, entity: Entity) -> bool:
        """Found by a title or a form label rather than guessed: trust it against lexicons."""
        return entity.score >= 0.85 and entity.hint != "ner"

    def _ordinary_word(self, word: str) -> bool:
        """A word that is not a name: heading word, abbreviation, drug, eponym, medical term."""
        key = fold(word)
        if key in _NOT_NAME_WORDS or key in self.lexicons.never_names:
            return True
        if key in self.lexicons.first_names:
            return False
        return self.lexicons.is_not_a_name(word)

    def _eponym_only(self, word: str) -> bool:
        """A surname the allow-list knows as an eponym and as nothing else ("Babinski",
        "Charcot"): a person when a title, a role or a form label says so."""
        key, lex = fold(word), self.lexicons
        return key in lex.eponym_names and key not in lex.common_words \
            and key not in lex.drugs and not lex.is_abbreviation(word)

    def _trim_name(self, text: str, entity: Entity) -> Entity | None:
        words = list(_WORD.finditer(text, entity.start, entity.end))
        # Found by pattern, all lowercase ("vu avec mr le roux"): only titles are trimmed.
        strong = self._strong(entity) or (
            entity.hint != "ner" and all(w.group().islower() for w in words))
        # A role or a known first name beside it says an eponym is a surname here
        # ("validé par Babinski", "Laennec Yvonne"); the protected phrases still win.
        cue = entity.hint == PERSON_CUE or (
            entity.hint != "ner" and entity.type == PERSON
            and any(fold(w.group()) in self.lexicons.first_names for w in words))

        def droppable(word: str) -> bool:
            if fold(word) in _NOT_NAME_WORDS or fold(word) in self.lexicons.never_names:
                return True
            if strong or (word.isupper() and len(word) > 2
                          and not self.lexicons.is_abbreviation(word)):
                return False  # "Biologiste : G. BLANC"
            if cue and self._eponym_only(word):
                return False  # "validé par Babinski": the role says it is a person
            if entity.hint == "ner" and entity.type == PERSON and word in self.nlp_engine.dictionary \
                    and fold(word) not in self.lexicons.first_names:
                return True  # spaCy's span edges: "Appeler Gwenaëlle"
            return self._ordinary_word(word)

        def droppable_first(word: str) -> bool:
            if fold(word) in NAME_PARTICLES:
                return False  # "DE LA FONTAINE", "de Bonneval": the particle is the name's
            if strong:  # the title is already outside the span: "Dr M. ROUX" keeps "M."
                return fold(word) in _NOT_NAME_WORDS and len(word.rstrip(".")) > 1
            return droppable(word)

        while words and droppable_first(words[0].group()):
            words.pop(0)
        # A lowercase particle belongs to the name after it ("de La Fontaine"); a capitalised
        # one can be the name itself ("Isidore Le", "M. LE").
        def droppable_last(word: str) -> bool:
            if fold(word) in NAME_PARTICLES:
                return word in NAME_PARTICLES
            if len(words) > 1 and fold(words[-2].group()) in NAME_PARTICLES:
                return False  # "Marie-Flore Le Roux": the word after a particle is the name
            previous = words[-2].group() if len(words) > 1 else ""
            if entity.hint != "ner" and previous[:1].isupper() \
                    and not self._ordinary_word(previous) and word[:1].isupper():
                return False  # "Tigist Doux", "Thanina Roux": a surname that is also a word
            if len(word) == 2 and word[1] == "." and word[0].isupper():
                return False  # an initial after a name ("AMSELLEM M."), not the title M.
            if cue and len(word) == 1 and word.isupper():
                return False  # a patient's initial ("Initiales : M-D")
            return droppable(word)

        while words and droppable_last(words[-1].group()):
            words.pop()
        if not words or all(w.group() in NAME_PARTICLES for w in words):
            return None
        end = words[-1].end()
        if text[end - 1] == "." and len(words[-1].group()) > 2:
            end -= 1  # sentence full stop, not an initial
        return Entity(words[0].start(), end, entity.type, entity.score, entity.hint)

    def _vetoed(self, text: str, entity: Entity, protected: Spans) -> bool:
        if protected.contains(entity.start, entity.end):
            return True
        words = [w.group() for w in _WORD.finditer(text, entity.start, entity.end)]
        content = [w for w in words if w not in NAME_PARTICLES]  # "LE", "Le" may be a name
        if not content:
            return True
        lex = self.lexicons
        if self._strong(entity):
            return False  # "Mme Petit", "Dr Blanc", "Dr SENE": after a title, a name
        if all(lex.is_abbreviation(w) or fold(w) in lex.drugs for w in content):
            return True
        window = max(0, entity.start - 40)
        if entity.type == PERSON and (_INSTITUTION_BEFORE.search(text, window, entity.start)
                                      or _INSTITUTION_FIRST.match(content[0])):
            return True  # "Clinique Sainte-Marguerite", "CENTRE HOSPITALIER DU HAUT-VAL"
        shouted = entity.type == PERSON and any(_shouted_name(w, lex) for w in content)
        cue = entity.hint == PERSON_CUE  # "validé par Babinski", "Nom : Pasteur"
        if not shouted and all(self._ordinary_word(w) and not (cue and self._eponym_only(w))
                               for w in content):
            return True  # "un Parkinson", "Traitement", "Holter ECG"
        if entity.hint != "ner" and all(w.islower() for w in content):
            # a lowercase name after a title ("vu avec Mme tisserand"), unless a function
            # word or a title follows the title ("M. le Professeur")
            return any(w in self.nlp_engine.stop_words or w in _TITLE_WORDS for w in content)
        if entity.hint == "ner":
            return self._ner_noise(text, entity, content)
        return False

    def _ner_noise(self, text: str, entity: Entity, words: list[str]) -> bool:
        """spaCy alone, on clinical text, tags headings, drugs, codes and medical terms as
        PER/LOC; a guess of its own must look like a name."""
        first_names = self.lexicons.first_names
        if any(ch.isdigit() or ch in _NOT_IN_NAMES for w in words for ch in w):
            return True
        if any(w[0].islower() for w in words):
            return True  # names are capitalised: "Escarre sacrée", "P. vivax"
        if _DOSE_AFTER.match(text, entity.end):
            return True  # "Dotarem 17 mL", "Calcidia 1,54 g": a drug, whatever its name
        if len(words) == 1 and _LINE_START.search(text, max(0, entity.start - 5), entity.start) \
                and _LABEL_AFTER.match(text, entity.end):
            return True  # "Adiaril : à volonté": a list item's label
        if entity.type == NER_LOCATION:
            before = text[max(0, entity.start - 25):entity.start]
            after = text[entity.end:entity.end + 6]
            # "à Paris" is a place even though "paris" is also a French word.
            letter_place = _LINE_START.search(before) and _LETTER_DATE.match(after) \
                and not _PARTICIPLE.search(words[-1])  # "Prélevé le…", "Opérée le :"
            return not (_PLACE_CUE.search(before) or letter_place)
        if all(w in self.nlp_engine.dictionary and fold(w) not in first_names for w in words):
            return True
        if len(words) == 1 and words[0].isupper() and len(words[0]) <= 5:
            return True  # a short all-capitals word alone is an abbreviation
        return len(words) == 1 and _PARTICIPLE.search(words[0]) is not None \
            and fold(words[0]) not in first_names  # "Adressée par…"

    def _is_country(self, text: str, entity: Entity) -> bool:
        return fold(text[entity.start:entity.end]) in self.lexicons.non_city_places

    # -- step 4 ---------------------------------------------------------------------------
    def propagate(self, text: str, entities: list[Entity]) -> list[Entity]:
        """`entities` and every other occurrence of their values in `text` (step 4 alone)."""
        return self._propagate(text, sorted(entities), self.protected_spans(text))

    def _propagate(self, text: str, entities: list[Entity], protected: Spans) -> list[Entity]:
        words: list[tuple[str, str]] = []  # (value, type), matched word by word
        numbers: dict[str, str] = {}  # digits -> type, matched whatever the separators
        literals: dict[str, str] = {}  # e-mails and URLs, matched as written
        for entity in entities:
            value = text[entity.start:entity.end]
            if entity.type == PERSON:
                if " " in value.strip():
                    words.append((value, PERSON))  # "DE LESTRANGE": the particle too
                # A surname that is also an eponym ("Mme Blondeau") is propagated too: the
                # eponym's own phrases ("fracture de Blondeau") are protected spans.
                words.extend((w.rstrip("."), PERSON) for w in _WORD.findall(value)
                             if len(w.rstrip(".")) > 1 and fold(w) not in NAME_PARTICLES
                             and (not self.lexicons.is_not_a_name(w)
                                  or fold(w) in self.lexicons.eponym_names))
            elif entity.type in (DATE, ADDRESS):
                continue  # every date and street line is already found by its pattern
            elif entity.type == ZIP_CITY and (town := _town_of(value)):
                words.append((value, ZIP_CITY))
                words.append((town, CITY))  # "75015 Paris, Paris": the town alone too
            elif sum(ch.isdigit() for ch in value) >= _NUMERIC_MIN_DIGITS:
                numbers[digits_only(value)] = entity.type
            elif entity.type in (EMAIL, URL):
                literals[value] = entity.type
            else:
                words.append((value, entity.type))
        found = list(entities)
        taken = Spans((e.start, e.end) for e in entities)

        def add(start: int, end: int, entity_type: str) -> None:
            if not taken.overlaps(start, end) and not protected.contains(start, end):
                taken.add(start, end)
                found.append(Entity(start, end, entity_type, 0.6, "propagated"))

        if words:
            for start, end, entity_type in PhraseMatcher(words).find_labelled(text):
                # "Petit" the surname does not make "petit" a name
                if entity_type not in (PERSON, CITY, HOSPITAL) \
                        or any(c.isupper() for c in text[start:end]):
                    add(start, end, entity_type)
        if numbers:
            for match in _DIGIT_RUN.finditer(text):
                entity_type = numbers.get(digits_only(match.group()))
                if entity_type:
                    add(match.start(), match.end(), entity_type)
        occurrences = _occurrences(literals, text)
        for literal, entity_type in literals.items():
            after = 0  # each literal's occurrences left to right, apart (as finditer)
            starts = occurrences.get(literal, ()) if literal else range(len(text) + 1)
            for start in starts:
                if start >= after:
                    add(start, start + len(literal), entity_type)
                    after = start + len(literal)
        return sorted(found)


_FEW_LITERALS = 8


def _occurrences(literals: Iterable[str], text: str) -> dict[str, list[int]]:
    """Where each literal starts in `text`, overlaps included, in one pass: a search per
    literal made a table's column of 100,000 e-mail addresses quadratic. At each position
    the trie gives the longest literal there; the shorter ones are its prefixes."""
    literals = frozenset(literal for literal in literals if literal)
    found: dict[str, list[int]] = {}
    if len(literals) <= _FEW_LITERALS:  # a row's one or two: a search each, no trie to build
        for literal in literals:
            start = text.find(literal)
            while start != -1:
                found.setdefault(literal, []).append(start)
                start = text.find(literal, start + 1)
        return found
    for match in overlapping_trie(literals).finditer(text):
        longest, start = match.group(1), match.start()
        for length in range(1, len(longest) + 1):
            if longest[:length] in literals:
                found.setdefault(longest[:length], []).append(start)
    return found


class Spans:
    """Non-overlapping [start, end) intervals, sorted, with O(log n) overlap queries."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # intervals starting before `end`
        return i > 0 and self._ends[i - 1] > start

    def contains(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        return i > 0 and self._ends[i - 1] >= end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def _prepare(registry: RecognizerRegistry) -> None:
    """What Presidio does on a recognizer's first analysis, done now: its patterns compiled
    with the flags it matches with (the first document does not pay for it, and processes
    forked after loading share the compiled patterns)."""
    for recognizer in registry.recognizers:
        if not recognizer.is_loaded:
            recognizer.load()
            recognizer.is_loaded = True
        if isinstance(recognizer, PatternRecognizer):
            flags = recognizer.global_regex_flags
            for pattern in recognizer.patterns:
                if pattern.compiled_regex is None or pattern.compiled_with_flags != flags:
                    pattern.compiled_with_flags = flags
                    pattern.compiled_regex = regex.compile(pattern.regex, flags=flags)


def _compound_eponyms(lexicons: Lexicons) -> list[str]:
    """Eponyms of several names ("Charcot-Marie-Tooth", "Guillain Barré") are medicine on
    their own, even without "maladie de"; not those that start like a person's name
    ("Kenneth Jones", "Claude Bernard-Horner"), which a title may introduce."""
    compounds = []
    for name in lexicons.eponym_names:
        parts = regex.split(r"[\s\-]+", name)
        if len(parts) > 1 and parts[0] not in lexicons.first_names:
            compounds.append(name)
    return compounds


def _shouted_name(word: str, lexicons: Lexicons) -> bool:
    """An UPPERCASE word of 3+ letters that is no abbreviation: "Nom : FONTAINE"."""
    return word.isupper() and len(word) > 2 and not lexicons.is_abbreviation(word)


_POSTCODE_HEAD = regex.compile(r"^[\d ]{5,6}(?:[ \t]*,)?[ \t]*")
_TOWN_TAIL = regex.compile(r"(?:[ \t]+(?i:cedex)\b.*|[ \t]+\d{1,2}(?:e|er|ème|eme)?)$")


def _town_of(zip_city: str) -> str:
    """The town of a "postcode town" span, if it is one ("75015 Paris" -> "Paris")."""
    head = _POSTCODE_HEAD.match(zip_city)
    if head is None:
        return ""
    town = _TOWN_TAIL.sub("", zip_city[head.end():]).strip()
    return town if len(town) > 2 and any(ch.isupper() for ch in town) else ""


def join_names(entities: list[Entity]) -> list[Entity]:
    """Where PERSON spans of the rules (not the statistical NER, whose edges are guesses)
    overlap without one holding the other, their union is added, with the score and hint of
    the member resolve_overlaps would prefer.

    A table's cell "Thi Thu Ha" and a name shape "BARTHELEMY<tab>Thi Thu" are one person
    written over two cells: keeping only the longer would leave "Ha" behind. (Places are
    left alone: a town's union with a statistical location swallows names.)"""
    unions: list[Entity] = []
    cluster: list[Entity] = []
    rules = (e for e in entities if e.type == PERSON and e.hint != "ner")
    for entity in sorted(rules, key=lambda e: (e.start, -e.end)):
        if cluster and entity.start < max(e.end for e in cluster):
            cluster.append(entity)
            continue
        unions += _union(cluster)
        cluster = [entity]
    return [*entities, *unions, *_union(cluster)]


def _union(cluster: list[Entity]) -> list[Entity]:
    start, end = cluster[0].start if cluster else 0, max((e.end for e in cluster), default=0)
    if not cluster or any(e.start == start and e.end == end for e in cluster):
        return []  # one member already covers the others
    best = min(cluster, key=_preference)
    return [Entity(start, end, PERSON, best.score, best.hint)]


def _preference(entity: Entity) -> tuple:
    return (entity.type in _SOFT_TYPES, -entity.length, entity.hint == "ner", -entity.score,
            entity.start)


def resolve_overlaps(entities: list[Entity]) -> list[Entity]:
    """Wherever several overlap keep one: structured identifiers (numbers, e-mails, addresses)
    before names and places, then the longest, then the most confident."""
    kept: list[Entity] = []
    taken = Spans()
    for entity in sorted(entities, key=_preference):
        if not taken.overlaps(entity.start, entity.end):
            taken.add(entity.start, entity.end)
            kept.append(entity)
    return sorted(kept)


# Where a statistical span must end: a line break, a table cell, a dash between two
# names, a title that starts another person.
_NER_BREAK = regex.compile(r"\n|\t|\||[ ][–—-][ ]|(?<![\w])(?:Dr|Pr|Mme|Mlle|M)\.?[ ]+(?=\p{Lu})")


def _split_ner_lines(text: str, entities: list[Entity]) -> Iterator[Entity]:
    """Cut each statistical entity where a name cannot go on."""
    for entity in entities:
        if entity.hint != "ner":
            yield entity
            continue
        start = entity.start
        for match in _NER_BREAK.finditer(text, entity.start, entity.end):
            if match.start() > start:
                yield Entity(start, match.start(), entity.type, entity.score, entity.hint)
            start = match.end()
        if entity.end > start:
            yield Entity(start, entity.end, entity.type, entity.score, entity.hint)


def _to_entity(result: RecognizerResult, offset: int) -> Entity:
    start, end = result.start + offset, result.end + offset
    if result.entity_type in NER_TYPES:
        entity_type, score = NER_TYPES[result.entity_type]
        return Entity(start, end, entity_type, min(result.score, score), "ner")
    hint = PERSON_CUE if (result.recognition_metadata or {}).get(PERSON_CUE) else ""
    return Entity(start, end, result.entity_type, result.score, hint)


def _chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Line-aligned pieces of at most `limit` characters (a longer line is cut at a space)."""
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield start, text[start:end]
        start = end
