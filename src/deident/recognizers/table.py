"""Cells of a text table under a header that names what they hold.

    Ville\tMotif
    PARIS\tsuivi neurologique

Cells are split on "|" or tabs; the header row is one whose cells are all column titles,
one of them typed (deident.columns.header_types); the table ends at the first line without
the separator. A row of labels ("Nom :\tPrénom :", a PDF form's line between its fields) is
no header. Only the columns whose cells are that entity whole (a name, a town, an
establishment) are given here: dates, numbers and addresses have their own recognizers.
Names also have TableNameRecognizer (initials letter by letter); both agree on a span.
"""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from deident.columns import WHOLE_CELL_TYPES, header_types
from deident.recognizers.person import TableNameRecognizer
from deident.recognizers.results import recognizer_result

_LINE = regex.compile(r"[^\n]+")
_cells = TableNameRecognizer._cells  # the same cells, split the same way
SCORE = 0.85


class TableColumnRecognizer(EntityRecognizer):
    def __init__(self) -> None:
        super().__init__(supported_entities=sorted(WHOLE_CELL_TYPES), supported_language="fr",
                         name="TableColumnRecognizer")

    def load(self) -> None:  # nothing to load
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        columns: dict[int, str] = {}
        separator = ""
        for match in _LINE.finditer(text):
            line = match.group()
            if columns and separator in line:
                cells = _cells(line, match.start(), separator)
                for index, entity_type in columns.items():
                    if index < len(cells) and entity_type in entities:
                        start, end = cells[index]
                        if any(ch.isalpha() for ch in text[start:end]):
                            results.append(self._result(entity_type, start, end))
                continue
            columns = {}
            for candidate in ("|", "\t"):
                if candidate in line:
                    cells = _cells(line, match.start(), candidate)
                    titles = [text[s:e] for s, e in cells]
                    if any(t.endswith(":") for t in titles):
                        break  # "Nom :\tPrénom :": a form's labels (its values beside them)
                    header = header_types(titles)
                    if header is not None:
                        columns = {i: t.entity_type for i, t in header.items()
                                   if t.entity_type in WHOLE_CELL_TYPES}
                        separator = candidate
                        break
        return results

    def _result(self, entity_type: str, start: int, end: int) -> RecognizerResult:
        return recognizer_result(self, entity_type, start, end, SCORE)

