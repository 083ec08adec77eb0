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
        strong = resolve_overlaps([*forced, *denied])
        taken = Spans([(e.start, e.end) for e in strong])
        kept = [e for e in entities if not taken.overlaps(e.start, e.end)]
        return sorted(
            e for e in [*kept, *strong]
            if e.type in self.replaced and not allowed.contains(e.start, e.end)
            and not any(p.fullmatch(text, e.start, e.end) for p in self._allow_regexes)
        )
