"""Evaluation against gold annotations in BRAT standoff (.txt + .ann).

Measures, per entity type and overall:
- token level: precision, recall, F1, F2 (a token is a run of word characters);
- span level: exact-match precision, recall, F1;
- redaction recall, label-agnostic: the share of gold identifier tokens whose characters
  were rewritten (covered by any detected entity, whatever its type);
- fully redacted documents: no gold identifier token left;
- allow-list survival: gold KEEP spans that no entity touches.
Predictions of a type the gold never uses (a corpus written before that type existed, e.g.
HOSPITAL) are not scored as false positives: they are counted apart, in `unannotated`
(tokens and spans per type), to be judged by eye.
Reports carry counts and scores only; values appear only in `errors` when asked for.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deident.entities import Entity

KEEP = "KEEP"
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class GoldSpan:
    label: str
    fragments: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class GoldDocument:
    name: str
    text: str
    spans: list[GoldSpan]


def read_brat(folder: Path) -> list[GoldDocument]:
    """Every `<name>.txt` with its `<name>.ann` (text-bound annotations `T…` only)."""
    documents = []
    for txt in sorted(Path(folder).rglob("*.txt")):
        ann = txt.with_suffix(".ann")
        text = txt.read_text(encoding="utf-8")
        spans = []
        if ann.exists():
            for line in ann.read_text(encoding="utf-8").splitlines():
                if not line.startswith("T"):
                    continue
                _, info, *_ = line.split("\t")
                label, _, offsets = info.partition(" ")
                fragments = tuple(
                    (int(a), int(b)) for a, b in (part.split() for part in offsets.split(";"))
                )
                spans.append(GoldSpan(label, fragments))
        documents.append(GoldDocument(str(txt.relative_to(folder)), text, spans))
    return documents


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f_beta(self, beta: float) -> float:
        p, r = self.precision, self.recall
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0


@dataclass
class Report:
    documents: int = 0
    fully_redacted: int = 0
    token: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    span: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    redaction: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    keep_total: int = 0
    keep_kept: int = 0
    errors: list[dict] = field(default_factory=list)
    unannotated: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def as_dict(self) -> dict:
        types = sorted(set(self.token) | set(self.redaction) - {"ALL"})
        per_type = {}
        for name in [*types, "ALL"]:
            t, s, red = self.token[name], self.span[name], self.redaction[name]
            per_type[name] = {
                "gold_tokens": red.tp + red.fn,
                "redaction_recall": round(red.recall, 4),
                "token_precision": round(t.precision, 4),
                "token_recall": round(t.recall, 4),
                "token_f1": round(t.f_beta(1), 4),
                "token_f2": round(t.f_beta(2), 4),
                "span_precision": round(s.precision, 4),
                "span_recall": round(s.recall, 4),
                "span_f1": round(s.f_beta(1), 4),
            }
        return {
            "documents": self.documents,
            "fully_redacted_documents": round(self.fully_redacted / self.documents, 4)
            if self.documents else 1.0,
            "redaction_recall": round(self.redaction["ALL"].recall, 4),
            "redaction_precision": round(self.redaction["ALL"].precision, 4),
            "allow_list_survival": round(self.keep_kept / self.keep_total, 4)
            if self.keep_total else 1.0,
            "per_type": per_type,
            "unannotated": {t: dict(c) for t, c in sorted(self.unannotated.items())},
        }


def _tokens(text: str, fragments: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    return {m.span() for start, end in fragments for m in _TOKEN.finditer(text, start, end)}


def score(documents: list[GoldDocument], predictions: list[list[Entity]], *,
          keep_errors: bool = False) -> Report:
    report = Report()
    annotated = {s.label for d in documents for s in d.spans if s.label != KEEP}
    for document, entities in zip(documents, predictions, strict=True):
        report.documents += 1
        text = document.text
        predicted_tokens: dict[tuple[int, int], str] = {}
        for entity in entities:
            for token in _tokens(text, [(entity.start, entity.end)]):
                predicted_tokens[token] = entity.type
        gold_tokens: dict[tuple[int, int], str] = {}
        keeps = [s for s in document.spans if s.label == KEEP]
        golds = [s for s in document.spans if s.label != KEEP]
        for span in golds:
            for token in _tokens(text, span.fragments):
                gold_tokens[token] = span.label
        # token level, typed, and label-agnostic redaction
        for token, label in gold_tokens.items():
            predicted = predicted_tokens.get(token)
            for name in (label, "ALL"):
                report.redaction[name].tp += predicted is not None
                report.redaction[name].fn += predicted is None
            if predicted == label:
                report.token[label].tp += 1
            else:
                report.token[label].fn += 1
                if predicted is not None:
                    report.token[predicted].fp += 1
            report.token["ALL"].tp += predicted is not None
            report.token["ALL"].fn += predicted is None
        for token, predicted in predicted_tokens.items():
            if token not in gold_tokens and predicted not in annotated:
                report.unannotated[predicted]["tokens"] += 1
            elif token not in gold_tokens:
                report.token[predicted].fp += 1
                report.token["ALL"].fp += 1
                report.redaction["ALL"].fp += 1
        if all(t in predicted_tokens for t in gold_tokens):
            report.fully_redacted += 1
        # span level, exact boundaries and type
        gold_set = Counter((s.label, s.start, s.end) for s in golds)
        predicted_set = Counter((e.type, e.start, e.end) for e in entities)
        for key, n in gold_set.items():
            hit = min(n, predicted_set.get(key, 0))
            for name in (key[0], "ALL"):
                report.span[name].tp += hit
                report.span[name].fn += n - hit
        for key, n in predicted_set.items():
            if key[0] not in annotated:
                report.unannotated[key[0]]["spans"] += n
                continue
            extra = n - min(n, gold_set.get(key, 0))
            for name in (key[0], "ALL"):
                report.span[name].fp += extra
        # allow-list
        for span in keeps:
            report.keep_total += 1
            touched = any(e.start < span.end and span.start < e.end for e in entities)
            report.keep_kept += not touched
            if touched and keep_errors:
                report.errors.append({"document": document.name, "kind": "keep_altered",
                                      "label": KEEP, "text": text[span.start:span.end]})
        if keep_errors:
            report.errors.extend(_errors(document, golds, entities, gold_tokens, predicted_tokens))
    return report


def _errors(document: GoldDocument, golds: list[GoldSpan], entities: list[Entity],
            gold_tokens: dict, predicted_tokens: dict) -> list[dict]:
    text = document.text
    out = []
    for span in golds:
        missed = [t for t in _tokens(text, span.fragments) if t not in predicted_tokens]
        if missed:
            out.append({"document": document.name, "kind": "missed", "label": span.label,
                        "text": " ".join(text[a:b] for a, b in span.fragments),
                        "context": _context(text, span.start, span.end)})
    for entity in entities:
        tokens = _tokens(text, [(entity.start, entity.end)])
        if tokens and not any(t in gold_tokens for t in tokens):
            out.append({"document": document.name, "kind": "false_positive", "label": entity.type,
                        "text": text[entity.start:entity.end],
                        "context": _context(text, entity.start, entity.end)})
    return out


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return text[max(0, start - width):end + width].replace("\n", " ⏎ ")
