"""What labels a PDF form field, as a person filling it in reads it: the text just left of
its widget on the page (or just above it), its tooltip (/TU), its name (/T).

A label that names a column of `deident.columns` types the value as a table's header
types its cells: a name, a town or an establishment is then that entity whole ("PARIS"
beside "Ville :"). Any other label is handed to the analyzer as the value's context
("Immatriculation : GH-482-KT"), so the value's own recognizers fire. No NLP here: page
geometry and the one table of column names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from deident.columns import WHOLE_CELL_TYPES, ColumnType, column_type

Rect = tuple[float, float, float, float]  # left, bottom, right, top in user space

# How far a label may stand from its field. Forms align their fields in a column right of
# labels of unequal length ("Ville :" ... [field], "Lieu de naissance :" [field]): a
# third of a page's width. A label above a field sits within a line's height of its top.
MAX_LEFT_GAP = 200.0
MAX_ABOVE = 20.0
_SLACK = 3.0  # points: a label may touch its field's border
MAX_LABEL = 80  # characters of context: a label, not the paragraph before the field

_ROLE_HINTS = {"first": "first_name", "last": "last_name"}
_TRIM = regex.compile(r"^[\s•·*\-–]+|[\s:*.\-–]+$")


@dataclass(frozen=True)
class Run:
    """Text on one baseline of a page between column gaps, with its extent in user space."""

    text: str
    left: float
    right: float
    baseline: float


@dataclass(frozen=True)
class Labelling:
    """How a field's value becomes a block: `entity_type` (and surrogate `hint`) when the
    value is that entity whole; otherwise `context`, the label the analyzer reads before
    it ("" when nothing labels the field)."""

    entity_type: str | None = None
    hint: str = ""
    context: str = ""


def normalized(rect: Sequence[float]) -> Rect:
    x0, y0, x1, y1 = (float(v) for v in rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def page_label(rect: Rect, runs: Sequence[Run], others: Iterable[Rect] = ()) -> str:
    """The text immediately left of the field on its band (nearest first, and not when
    another field stands between them), else the nearest text just above its left part."""
    x0, y0, x1, y1 = rect
    between = [o for o in others if o != rect and o[1] < y1 and o[3] > y0 and o[2] <= x0 + _SLACK]
    left = []
    for run in runs:
        if not run.text.strip() or run.right > x0 + _SLACK or x0 - run.right > MAX_LEFT_GAP:
            continue
        if not y0 - _SLACK <= run.baseline <= y1 + _SLACK:
            continue
        if any(o[0] >= run.right - _SLACK for o in between):
            continue  # "Nom : [field] [this field]": the label is the other field's
        outside = max(y0 - run.baseline, run.baseline - y1, 0.0)
        left.append((outside, x0 - run.right, run.text))
    if left:
        return _clean(min(left)[2])
    above = [(run.baseline, abs(run.left - x0), run.text) for run in runs
             if run.text.strip() and y1 - _SLACK < run.baseline <= y1 + MAX_ABOVE
             and run.left < x1 and run.right > x0 - _SLACK]
    if above:
        lowest = min(above)[0]
        return _clean(min((a for a in above if a[0] == lowest), key=lambda a: a[1])[2])
    return ""


def readable_name(name: str) -> str:
    """A field name as words: "nom_patient" -> "nom patient", "dateNaissance" -> "date
    Naissance"."""
    spaced = regex.sub(r"(?<=\p{Ll})(?=\p{Lu})", " ", name)
    return " ".join(regex.sub(r"[_.\-]+", " ", spaced).split())


def labelling(labels: Sequence[str]) -> Labelling:
    """`labels` from the most to the least visible (page, tooltip, name): the first that
    names a column types the value; otherwise the first one is its context."""
    labels = [text for label in labels if (text := _clean(label))]
    for label in labels:
        typed = column_type(label)
        if typed is not None:
            return _typed(typed, label)
    return Labelling(context=labels[0][-MAX_LABEL:] if labels else "")


def _typed(typed: ColumnType, label: str) -> Labelling:
    if typed.entity_type in WHOLE_CELL_TYPES:
        return Labelling(typed.entity_type, _ROLE_HINTS.get(typed.role, ""))
    return Labelling(context=label[-MAX_LABEL:])  # a date, a phone: its recognizer, in context


def _clean(label: str) -> str:
    return _TRIM.sub("", " ".join(label.split()))
