"""A small on-disk cache for what deident builds at start-up from its data files (the
French dictionary read from the model's lemma tables): built once, then loaded in a few
milliseconds by every later process.

An entry is trusted only if it was written for the same inputs (`version`: deident's,
spaCy's and the model's versions, the source file's size and time) and its bytes are
whole (a SHA-256 of the payload is stored with it). A missing, stale or damaged entry is
rebuilt and rewritten atomically; a cache folder that cannot be written is simply not
used. Entries hold word lists from public data, never document content. `marshal`
rather than pickle: loading it runs no code.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_MAGIC = b"deident-cache-1\n"


def cache_dir() -> Path:
    """$DEIDENT_CACHE_DIR, else $XDG_CACHE_HOME/deident, else ~/.cache/deident."""
    if os.environ.get("DEIDENT_CACHE_DIR"):
        return Path(os.environ["DEIDENT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "deident"


def cached(name: str, version: str, build: Callable[[], T]) -> T:
    """`build()`'s value (marshal-able: sets, dicts, strings, numbers), from the cache when
    an entry for `name` was written for the same `version`."""
    path = cache_dir() / f"{name}.marshal"
    value = _load(path, version)
    if value is not None:
        return value
    value = build()
    with contextlib.suppress(OSError):
        _store(path, version, value)
    return value


def stamp(*paths: str | Path) -> str:
    """A version made of each file's name, size and modification time: it changes when a
    source file (data or the code that builds from it) does."""
    parts = []
    for path in map(Path, paths):
        status = path.stat()
        parts.append(f"{path.name}:{status.st_size}:{status.st_mtime_ns}")
    return "|".join(parts)


def load(name: str, version: str) -> object | None:
    """The value of the entry `name` if it was written for `version` and is whole, else None
    (for entries that grow during a run: see `store`)."""
    return _load(cache_dir() / f"{name}.marshal", version)


def store(name: str, version: str, value: object) -> None:
    """Write the entry `name` for `version` (atomically; an unwritable folder is no error)."""
    with contextlib.suppress(OSError):
        _store(cache_dir() / f"{name}.marshal", version, value)


def _load(path: Path, version: str) -> object | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header_end = len(_MAGIC) + 32
    if not data.startswith(_MAGIC) or len(data) < header_end:
        return None
    digest, payload = data[len(_MAGIC):header_end], data[header_end:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        stored_version, value = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return value if stored_version == version else None


def _store(path: Path, version: str, value: object) -> None:
    payload = marshal.dumps((version, value))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
