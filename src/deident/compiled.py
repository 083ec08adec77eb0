"""Regular expressions compiled once, then read from disk by every later process.

The `regex` module parses and optimises a pattern in Python: the few thousand patterns that
deident, its lexicon tries and Presidio compile at start-up cost about a second of CPU in
every process. What that work produces is plain data (the arguments of the C engine's
`_regex.compile`: flags, a list of opcodes, group tables); it is kept in one entry of the
on-disk cache (deident.cache: versioned, checksummed, rebuilt when stale or damaged), and
a pattern found there is built by the C engine directly, with the same arguments, so it
matches exactly as a freshly compiled one.

Only patterns compiled while `recording()` is active are written: deident's module imports
and the Analyzer's construction, whose patterns come from the code and the lexicon files.
Patterns compiled from document content or known identities (verifier look-ups, a user's
own patterns) are never recorded, so no personal data reaches the cache. Patterns with
named lists, locale-dependent patterns, bytes patterns and debug compiles are left to
`regex` alone.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator

import regex
import regex._main as _main
from regex import _regex

from deident import __version__
from deident.cache import load, store

ENTRY = "regex-compiled"
# Entries no run used are dropped once the table holds more than this many.
_MAX_ENTRIES = 20_000
_SKIP_FLAGS = _main.DEBUG | _main.LOCALE
_Key = tuple[str, int, int]  # pattern, flags, regex.DEFAULT_VERSION

_lock = threading.RLock()
_original = _main._compile
_table: dict[_Key, tuple] | None = None  # loaded on first use
_compiled: dict[_Key, regex.Pattern] = {}  # built from the table in this process
_used: set[_Key] = set()
_recording = 0
_new = 0


def version() -> str:
    """What the stored opcodes depend on: the regex engine and the deident that wrote them."""
    return (f"deident {__version__}|regex {regex.__version__} magic {_regex.MAGIC}|"
            f"python {sys.version_info[0]}.{sys.version_info[1]}")


def install() -> None:
    """Route `regex`'s compilation through the table (idempotent)."""
    _main._compile = _compile


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Patterns compiled inside are added to the table, written when the outermost block
    ends. Only for patterns that come from deident's code and data files."""
    global _recording
    install()
    with _lock:
        _recording += 1
    try:
        yield
    finally:
        with _lock:
            _recording -= 1
            if _recording == 0 and _new:
                _save()


def _compile(pattern: object, flags: int, ignore_unused: bool, kwargs: dict, cache_it: bool
             ) -> regex.Pattern:
    """regex._main._compile, answered from the table when it can be."""
    if kwargs or type(pattern) is not str or not cache_it or flags & _SKIP_FLAGS:
        return _original(pattern, flags, ignore_unused, kwargs, cache_it)
    key = (pattern, int(flags), int(regex.DEFAULT_VERSION))
    found = _compiled.get(key)
    if found is not None:
        return found
    entry = _load_table().get(key)
    if entry is not None:
        try:
            found = _regex.compile(pattern, *entry)
        except Exception:  # an entry the engine refuses: compiled afresh below
            found = None
        if found is not None:
            _compiled[key] = found
            _used.add(key)
            return found
    if not _recording:
        return _original(pattern, flags, ignore_unused, kwargs, cache_it)
    with _lock:
        return _compile_and_record(key, pattern, flags, ignore_unused, kwargs, cache_it)


def _compile_and_record(key: _Key, pattern: str, flags: int, ignore_unused: bool,
                        kwargs: dict, cache_it: bool) -> regex.Pattern:
    """Compile with `regex` itself, keeping the arguments it gives the C engine."""
    global _new
    calls: list[tuple] = []
    _main._regex = _Capture(calls)
    try:  # past regex's own cache (it may hold the pattern): it reaches the C engine
        compiled = _original(pattern, flags, ignore_unused, kwargs, False)
    finally:
        _main._regex = _regex
    if len(calls) == 1 and calls[0][0] == pattern and not calls[0][1] & _main.LOCALE \
            and _main._locale_sensitive.get((str, pattern)) is False:
        table = _load_table()
        # flags are RegexFlag values: stored as the plain ints they are
        table[key] = tuple(int(a) if isinstance(a, int) else a for a in calls[0][1:])
        _compiled[key] = compiled
        _used.add(key)
        _new += 1
    return compiled


class _Capture:
    """Stands for the C module while `regex` compiles one pattern: notes its arguments."""

    def __init__(self, calls: list[tuple]) -> None:
        self._calls = calls

    def compile(self, *args: object) -> object:
        self._calls.append(args)
        return _regex.compile(*args)

    def __getattr__(self, name: str) -> object:
        return getattr(_regex, name)


def _load_table() -> dict[_Key, tuple]:
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                stored = load(ENTRY, version())
                _table = stored if isinstance(stored, dict) else {}
    return _table


def _save() -> None:
    global _new
    table = _load_table()
    if len(table) > _MAX_ENTRIES:  # patterns of older lexicons: keep what runs now use
        table = {key: table[key] for key in _used if key in table}
    with contextlib.suppress(ValueError):  # a value marshal cannot write: no cache
        store(ENTRY, version(), table)
    _new = 0


def _reset() -> None:
    """Forget what this process loaded and recorded (tests)."""
    global _table, _new
    with _lock:
        _table, _new = None, 0
        _compiled.clear()
        _used.clear()
