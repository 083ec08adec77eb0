"""E-mail addresses and URLs, with no network access (tldextract's bundled suffix list)."""

from __future__ import annotations

import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from deident.entities import EMAIL, URL
from deident.recognizers.lines import on_marked_lines

# Presidio's default extractor fetches the public suffix list on first use;
# this one reads only the snapshot shipped inside tldextract.
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


# Addresses written to dodge harvesters: "tlabelle @ medimail . com", "x [at] y.fr",
# "x(at)y.fr", "x arobase y point fr".
_AT = (
    r"(?:[ \t]*@[ \t]*|[ \t]*[\[({<][ \t]*(?:at|arobase|@)[ \t]*[\])}>][ \t]*|"
    r"[ \t]+(?:at|arobase)[ \t]+)"
)
# A dot is spaced on both sides or on neither: "medimail . com", not "com. Le".
_DOT = (
    r"(?:\.|[ \t]+\.[ \t]+|[ \t]*[\[({<][ \t]*(?:dot|point|\.)[ \t]*[\])}>][ \t]*|"
    r"[ \t]+(?:dot|point)[ \t]+)"
)
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
# The local part is a whole run of [\w.+\-] (what follows it, _AT, starts with none of
# them), ending on a letter or digit: taken at once, never given back character by character.
OBFUSCATED_EMAIL_REGEX = (
    rf"(?<![\w.+\-])(?>[\w.+\-]*)(?<=\w){_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[a-z]{{2,12}}"
    r"(?![\w@])"
)
_UNDO_AT = regex.compile(r"\s*(?:[\[({<]\s*(?:at|arobase|@)\s*[\])}>]|(?<=\s)(?:at|arobase)(?=\s)|@)\s*",
                         regex.IGNORECASE)
_UNDO_DOT = regex.compile(r"\s*(?:[\[({<]\s*(?:dot|point|\.)\s*[\])}>]|(?<=\s)(?:dot|point)(?=\s)|\.)\s*",
                          regex.IGNORECASE)


def plain_email(text: str) -> str:
    """"tlabelle @ medimail . com" -> "tlabelle@medimail.com"."""
    local, _, domain = _UNDO_AT.sub("@", text, count=1).partition("@")
    return f"{local.strip()}@{_UNDO_DOT.sub('.', domain).strip()}"


# Every address holds an "@" or a written-out "at" / "arobase" (_AT); none crosses a line.
_EMAIL_MARKER = r"@|[\[({<][ \t]*(?:at|arobase)|[ \t](?:at|arobase)[ \t]"


class FrenchEmailRecognizer(EmailRecognizer):
    CONTEXT = ["mail", "e-mail", "courriel", "messagerie", "adresse électronique", "@"]
    PATTERNS = [
        *EmailRecognizer.PATTERNS,
        Pattern("email_obfuscated", OBFUSCATED_EMAIL_REGEX, 0.6),
    ]

    def __init__(self) -> None:
        super().__init__(patterns=self.PATTERNS, context=self.CONTEXT, supported_language="fr",
                         supported_entity=EMAIL)
        # Most lines hold no address: they are not scanned for one.
        self.patterns = [on_marked_lines(p, _EMAIL_MARKER, self.global_regex_flags)
                         for p in self.patterns]

    def validate_result(self, pattern_text: str) -> bool | None:
        plain = plain_email(pattern_text)
        if _OFFLINE_TLD(plain.rsplit("@", 1)[-1]).suffix:
            return True
        # A written-out "at" needs a real domain to be an address; a plain one stays.
        return None if "@" in pattern_text and pattern_text == plain else False


_HOST = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_PATH = r"(?:[/?#][^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?])?"


_BARE_TLD = r"\.(?:fr|com|org|net|eu|info|io|be|ch|re)(?![\w@\-]|\.\w)"


class FrenchUrlRecognizer(PatternRecognizer):
    """Web addresses: with a scheme, with www., or a bare host on a common TLD."""

    PATTERNS = [
        Pattern("url_scheme", rf"\bhttps?://{_HOST}(?:\.{_HOST})+(?::\d+)?{_PATH}", 0.7),
        Pattern("url_www", rf"\bwww\.{_HOST}(?:\.{_HOST})+{_PATH}", 0.7),
        Pattern(
            "url_bare",
            rf"\b(?<![@.\-]){_HOST}(?:\.{_HOST})*{_BARE_TLD}{_PATH}",
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
        # A bare host ends on one of its top-level domains, within a line.
        self.patterns = [
            on_marked_lines(p, _BARE_TLD, self.global_regex_flags) if p.name == "url_bare" else p
            for p in self.patterns]
