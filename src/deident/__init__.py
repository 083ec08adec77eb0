"""deident: pseudonymize French documents with consistent, keyed surrogates.

    import deident
    result = deident.pseudonymize_text("M. Jean DUPONT, né le 12/03/1961")
    result.text       # the pseudonymized text
    result.entities   # types and positions, never values

For many texts or files, build one `deident.Deidentifier(key_file=...)` and reuse it.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from deident.entities import ENTITY_TYPES, Entity
from deident.errors import DeidentError, KeyFileError, RefusedError

if TYPE_CHECKING:
    from deident.core import Deidentifier, FileReport, FolderReport, Result

# The pipeline's modules (spaCy, Presidio) load on first use, not on `import deident`:
# `deident --help`, `keygen` and `config show` start in a fraction of a second.
_LAZY = {name: "deident.core" for name in ("Deidentifier", "FileReport", "FolderReport", "Result")}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deident' has no attribute {name!r}")


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
    from deident.core import Deidentifier

    return Deidentifier()


def pseudonymize_text(text: str) -> Result:
    """Pseudonymize one text with the default key ($DEIDENT_KEY_FILE or the user's key)."""
    return _default_deidentifier().pseudonymize_text(text)
