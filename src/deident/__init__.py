"""deident: pseudonymize French documents with consistent, keyed surrogates.

    import deident
    result = deident.pseudonymize_text("M. Jean DUPONT, né le 12/03/1961")
    result.text       # the pseudonymized text
    result.entities   # types and positions, never values

For many texts or files, build one `deident.Deidentifier(key_file=...)` and reuse it.
"""

from __future__ import annotations

from functools import cache

from deident.core import Deidentifier, FileReport, FolderReport, Result
from deident.entities import ENTITY_TYPES, Entity
from deident.errors import DeidentError, KeyFileError, RefusedError

__all__ = [
    "ENTITY_TYPES",
    "DeidentError",
    "Deidentifier",
    "Entity",
    "FileReport",
    "FolderReport",
    "KeyFileError",
    "RefusedError",
    "Result",
    "pseudonymize_text",
]
__version__ = "0.1.0"


@cache
def _default_deidentifier() -> Deidentifier:
    return Deidentifier()


def pseudonymize_text(text: str) -> Result:
    """Pseudonymize one text with the default key ($DEIDENT_KEY_FILE or the user's key)."""
    return _default_deidentifier().pseudonymize_text(text)
