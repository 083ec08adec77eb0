"""Presidio's AnonymizerEngine with one extra operator: keyed surrogates from a session."""

from __future__ import annotations

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import InvalidParamError, OperatorConfig, RecognizerResult
from presidio_anonymizer.operators import Operator, OperatorType

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
    def __init__(self) -> None:
        self.engine = AnonymizerEngine()
        self.engine.add_anonymizer(SurrogateOperator)

    def apply(self, text: str, entities: list[Entity], session: DocumentSession) -> str:
        """`text` with every entity replaced; entities are in `text`'s coordinates."""
        if not entities:
            return text
        results = [RecognizerResult(e.type, e.start, e.end, e.score) for e in entities]
        operators = {"DEFAULT": OperatorConfig("surrogate", {"session": session})}
        return self.engine.anonymize(text, results, operators).text
