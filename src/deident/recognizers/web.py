"""E-mail addresses and URLs, with no network access (tldextract's bundled suffix list)."""

from __future__ import annotations

from collections.abc import Iterator

import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from deident.entities import EMAIL, URL

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


class _OnMarkedLines:
    """`pattern`'s finditer, run only on the lines of a text that hold `marker`: for a
    pattern whose matches never cross a line break and always hold something `marker`
    finds ("@" in an address), the same matches, without scanning the lines that have none.
    Either edge of a line reads as the text's edge would (a line break is no word
    character), so a match at a line's start or end is the same."""

    def __init__(self, pattern: regex.Pattern, marker: regex.Pattern) -> None:
        self.pattern, self.marker = pattern, marker

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[regex.Match]:
        end = -1
        for hit in self.marker.finditer(text):
            if hit.start() < end:
                continue  # that line is done
            start = text.rfind("\n", 0, hit.start()) + 1
            end = text.find("\n", hit.start())
            end = len(text) if end == -1 else end
            yield from self.pattern.finditer(text, start, end, timeout=timeout)


def _on_marked_lines(pattern: Pattern, marker: str, flags: int) -> Pattern:
    """A copy of `pattern` that Presidio runs on the lines `marker` finds (see above)."""
    copy = Pattern(pattern.name, pattern.regex, pattern.score)
    copy.compiled_regex = _OnMarkedLines(regex.compile(pattern.regex, flags),
                                         regex.compile(marker, flags))
    copy.compiled_with_flags = flags
    return copy


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
        self.patterns = [_on_marked_lines(p, _EMAIL_MARKER, self.global_regex_flags)
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
            _on_marked_lines(p, _BARE_TLD, self.global_regex_flags) if p.name == "url_bare" else p
            for p in self.patterns]
