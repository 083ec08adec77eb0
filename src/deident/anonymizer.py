"""Presidio's AnonymizerEngine with one extra operator: keyed surrogates from a session."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import InvalidParamError, OperatorConfig, RecognizerResult
from presidio_anonymizer.operators import Operator, OperatorType

from deident.document import Replacement, splice
from deident.entities import Entity
from deident.pseudonyms import DocumentSession


class SurrogateOperator(Operator):
    """Replaces a span with its document session's surrogate (params: session, entity_type)."""

    def operate(self, text: str, params: dict | None = None) -> str:
        assert params is not None
        return params["session"].surrogate(params["entity_type"], text)

    def validate(self, params: dict | None = None) -> None:
        if not params or not isinstance(params.get("session"), DocumentSession):
            raise InvalidParamError("surrogate operator needs a DocumentSession in 'session'")

    def operator_name(self) -> str:
        return "surrogate"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize


class SurrogateAnonymizer:
    """Keyed surrogates, except for the types given a redaction label ("PERSON": "[NOM]"),
    which Presidio's own "replace" operator writes."""

    def __init__(self, redact: dict[str, str] | None = None) -> None:
        self.engine = AnonymizerEngine()
        self.engine.add_anonymizer(SurrogateOperator)
        self.redact = dict(redact or {})

    def apply(self, text: str, entities: list[Entity], session: DocumentSession) -> str:
        """`text` with every entity replaced; entities are in `text`'s coordinates."""
        return splice(text, self.replacements(text, entities, session))

    def replacements(self, text: str, entities: list[Entity], session: DocumentSession
                     ) -> list[Replacement]:
        """(start, end, surrogate) per replaced span, in order: adapters that keep formatting
        (a DOCX run, a PDF line) rewrite spans, not whole texts.

        Presidio rebuilds the whole string at each replacement, so a long text goes through
        in segments cut at line breaks that no entity spans.
        """
        if len(entities) == 1 and entities[0].start == 0 and entities[0].end == len(text):
            # one entity is the whole text (a typed spreadsheet cell): no engine needed, and
            # a 100,000-row column goes through at dictionary speed
            entity_type = entities[0].type
            new = self.redact.get(entity_type) or session.surrogate(entity_type, text)
            return [(0, len(text), new)]
        operators = {"DEFAULT": OperatorConfig("surrogate", {"session": session})}
        operators |= {t: OperatorConfig("replace", {"new_value": label})
                      for t, label in self.redact.items()}
        edits: list[Replacement] = []
        for start, end, local in _segments(text, sorted(entities), SEGMENT_CHARS):
            if not local:
                continue
            segment = text[start:end]
            results = _merge_spaced(segment, [
                RecognizerResult(e.type, e.start - start, e.end - start, e.score) for e in local])
            engine_result = self.engine.anonymize(segment, results, operators,
                                                  merge_entities_with_spaces=False)
            items = sorted(engine_result.items, key=lambda item: item.start)
            edits.extend((r.start + start, r.end + start, item.text)
                         for r, item in zip(results, items, strict=True))
        return edits


def _merge_spaced(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Neighbours of one type with only spaces between become one span, as Presidio's
    default does ("Jean" + "DUPONT" -> one person), done here so spans stay known."""
    merged: list[RecognizerResult] = []
    for result in results:
        previous = merged[-1] if merged else None
        gap = text[previous.end:result.start] if previous else ""
        if previous and previous.entity_type == result.entity_type and gap and not gap.strip(" "):
            previous.end = result.end
        else:
            merged.append(result)
    return merged


SEGMENT_CHARS = 4000


def _segments(text: str, entities: list[Entity], size: int
              ) -> Iterator[tuple[int, int, list[Entity]]]:
    """(start, end, entities inside) for consecutive pieces of about `size` characters.

    `entities` are sorted and do not overlap, so only the last one starting before a cut can
    span it; the cut then moves to the next line break.
    """
    starts = [e.start for e in entities]

    def spanned(position: int) -> bool:
        j = bisect.bisect_left(starts, position) - 1
        return j >= 0 and entities[j].end > position

    start, index = 0, 0
    while start < len(text):
        end = len(text)
        if start + size < len(text):
            cut = text.find("\n", start + size)
            while cut != -1 and spanned(cut + 1):
                cut = text.find("\n", cut + 1)
            end = len(text) if cut == -1 else cut + 1
        local = []
        while index < len(entities) and entities[index].start < end:
            local.append(entities[index])
            index += 1
        yield start, end, local
        start = end
