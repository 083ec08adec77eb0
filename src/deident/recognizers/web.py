"""E-mail addresses and URLs, with no network access (tldextract's bundled suffix list)."""

from __future__ import annotations

import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from deident.entities import EMAIL, URL

# Presidio's default extractor fetches the public suffix list on first use;
# this one reads only the snapshot shipped inside tldextract.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class FrenchEmailRecognizer(EmailRecognizer):
    CONTEXT = ["mail", "e-mail", "courriel", "messagerie", "adresse électronique", "@"]

    def __init__(self) -> None:
        super().__init__(context=self.CONTEXT, supported_language="fr", supported_entity=EMAIL)

    def validate_result(self, pattern_text: str) -> bool | None:
        return True if _OFFLINE_TLD(pattern_text.rsplit("@", 1)[-1]).suffix else None


_HOST = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_PATH = r"(?:[/?#][^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?])?"


class FrenchUrlRecognizer(PatternRecognizer):
    """Web addresses: with a scheme, with www., or a bare host on a common TLD."""

    PATTERNS = [
        Pattern("url_scheme", rf"\bhttps?://{_HOST}(?:\.{_HOST})+(?::\d+)?{_PATH}", 0.7),
        Pattern("url_www", rf"\bwww\.{_HOST}(?:\.{_HOST})+{_PATH}", 0.7),
        Pattern(
            "url_bare",
            rf"\b(?<![@.\-]){_HOST}(?:\.{_HOST})*\.(?:fr|com|org|net|eu|info|io|be|ch|re)"
            rf"(?![\w@\-]|\.\w){_PATH}",
            0.4,
        ),
    ]
    CONTEXT = ["site", "url", "lien", "web", "page", "internet", "blog"]

    def __init__(self) -> None:
        super().__init__(
            supported_entity=URL,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            supported_language="fr",
            global_regex_flags=regex.IGNORECASE | regex.MULTILINE,
        )
