"""The project's choices applied to what the analyzer found: types on or kept, allow-list
and deny-list terms and regexes, and the known identities of the project's patients."""

from __future__ import annotations

import regex

from deident.analyzer import Spans, resolve_overlaps
from deident.config import Config
from deident.entities import Entity
from deident.lexicons import PhraseMatcher


class Policy:
    def __init__(self, config: Config) -> None:
        self.replaced = config.replaced_types()
        self.deny_type = config.deny_type
        self._allow_terms = PhraseMatcher(config.allow_terms)
        self._allow_regexes = [regex.compile(p) for p in config.allow_regexes]
        self._deny_terms = PhraseMatcher(config.deny_terms)
        self._deny_regexes = [regex.compile(p) for p in config.deny_regexes]

    def apply(self, text: str, entities: list[Entity], forced: list[Entity] = ()) -> list[Entity]:
        """`entities` without the allowed and the kept; `forced` ones (known identities, the
        deny-list) win wherever they overlap."""
        allowed = Spans(sorted(self._allow_terms.finditer(text)))
        denied = [Entity(start, end, self.deny_type, 1.0, "deny")
                  for start, end in self._deny_terms.finditer(text)]
        denied += [Entity(m.start(), m.end(), self.deny_type, 1.0, "deny")
                   for pattern in self._deny_regexes for m in pattern.finditer(text) if m.end() > m.start()]
        merged = _merge(sorted(entities), resolve_overlaps([*forced, *denied]))
        return [e for e in merged
                if e.type in self.replaced and not allowed.contains(e.start, e.end)
                and not any(p.fullmatch(text, e.start, e.end) for p in self._allow_regexes)]


def _merge(found: list[Entity], forced: list[Entity]) -> list[Entity]:
    """Each forced entity joins the found ones it overlaps into one span: a known surname
    inside a detected "Jean-Pierre FOURNIER-LAMBERT" or a detected URL must not shorten
    them. The span keeps the type of its longest part."""
    result = list(found)
    for entity in forced:
        overlapping = [e for e in result if e.start < entity.end and entity.start < e.end]
        if not overlapping:
            result.append(entity)
            continue
        parts = [*overlapping, entity]
        longest = max(parts, key=lambda e: (e.length, e is not entity))
        result = [e for e in result if e not in overlapping]
        result.append(Entity(min(e.start for e in parts), max(e.end for e in parts),
                             longest.type, max(e.score for e in parts), longest.hint))
    return sorted(result)
