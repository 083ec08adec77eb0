"""Keyed fingerprints of values: what scan findings, review decisions and re-identification
requests carry instead of a value. Without the key they reveal nothing; with it, the same
value (case, accents and spacing aside) always gives the same fingerprint."""

from __future__ import annotations

import hashlib
import hmac

from deident.normalize import fold

FINGERPRINT_CHARS = 12


def fingerprint(key: bytes, entity_type: str, value: str) -> str:
    normalized = " ".join(fold(value).split())
    digest = hmac.new(key, f"deident-scan\0{entity_type}\0{normalized}".encode(), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_CHARS]
