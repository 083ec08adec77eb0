"""Generated matrices for the person forms of issue 14: every way of joining a name into a
file name, every way of writing initials after every cue. Built from the specification
(separators, orders, cases, cues), with names of our own; the whole pipeline runs."""

from __future__ import annotations

import itertools

import pytest

from deident.entities import PERSON

_SURNAME, _FIRST = "Kergoat", "Solène"
# (separator, order, case style) -> the joined name
_JOINS = {
    f"{sep or 'camel'}-{order}-{style}": (
        sep.join(parts) if sep else "".join(parts), parts)
    for sep, order, style in itertools.product(("_", ""), ("last_first", "first_last"),
                                               ("upper_last", "capitalised", "lower"))
    if not (sep == "" and style in ("upper_last", "lower"))  # camel case needs capitals
    for parts in [[
        {"upper_last": _SURNAME.upper(), "capitalised": _SURNAME, "lower": _SURNAME.lower()}[style],
        {"lower": _FIRST.lower()}.get(style, _FIRST),
    ][:: 1 if order == "last_first" else -1]]
}
_FILE_CONTEXTS = ("Pièce jointe : CR_{name}_consultation.pdf (suivi de l'ulcère veineux).",
                  "Fichier {name}.docx transmis ; suivi de l'ulcère veineux.")


@pytest.fixture(scope="module")
def joined_results(deidentifier):
    cases = [(key, ctx, ctx.format(name=joined), parts)
             for key, (joined, parts) in _JOINS.items() for ctx in _FILE_CONTEXTS]
    results = deidentifier.pseudonymize_texts([text for _, _, text, _ in cases])
    return list(zip(cases, results, strict=True))


def test_joined_names_matrix(joined_results) -> None:
    assert len(joined_results) == 16
    failures = []
    for (key, _, text, parts), result in joined_results:
        for part in parts:
            if part in result.text:
                failures.append((key, text.index(part)))
        if "ulcère veineux" not in result.text:
            failures.append((key, "medicine altered"))
    assert failures == []


_INITIAL_FORMS = ("K.B.", "KB", "K-B", "K.-B.", "K.B.R.")
_STRONG_CUES = ("Initiales : {i}", "Initiales du patient : {i}", "Sujet 014 (initiales {i})")
_WEAK_CUES = ("Patient {i}, 63 ans", "Patiente : {i}", "Sujet 014 - {i}")


@pytest.fixture(scope="module")
def initials_results(deidentifier):
    cases = [(cue, form, cue.format(i=form) + " ; tolérance du traitement correcte.")
             for cue in (*_STRONG_CUES, *_WEAK_CUES) for form in _INITIAL_FORMS]
    results = deidentifier.pseudonymize_texts([text for _, _, text in cases])
    return list(zip(cases, results, strict=True))


def test_initials_matrix(initials_results) -> None:
    assert len(initials_results) == 30
    failures = []
    for (cue, form, text), result in initials_results:
        start = text.index(form)
        letters = [start + i for i, ch in enumerate(form) if ch.isupper()]
        covered = [any(e.type == PERSON and e.start <= p < e.end for e in result.entities)
                   for p in letters]
        if not all(covered):
            failures.append((cue, form))
        if "tolérance du traitement correcte" not in result.text:
            failures.append((cue, form, "medicine altered"))
    assert failures == []
