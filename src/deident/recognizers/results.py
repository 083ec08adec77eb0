"""How deident's own recognizers make a Presidio result."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult


def recognizer_result(recognizer: EntityRecognizer, entity_type: str, start: int, end: int,
                      score: float, *, rule: str | None = None, **metadata: object
                      ) -> RecognizerResult:
    """A result that names its recognizer (Presidio's de-duplication and context step read
    the name and id); `rule` adds an explanation naming the rule that found it."""
    explanation = AnalysisExplanation(recognizer.name, score, rule) if rule else None
    return RecognizerResult(
        entity_type, start, end, score, analysis_explanation=explanation,
        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
                              RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
                              **metadata})
