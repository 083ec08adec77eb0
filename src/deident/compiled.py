"""Regular expressions compiled once, then read from disk by every later process.

Both engines parse and optimise a pattern in Python: the few thousand `regex` patterns that
deident, its lexicon tries and Presidio compile cost about a second of CPU in every
process, and the one huge `re` pattern of spaCy's French tokenizer exceptions about three
more. What that work produces is plain data (the arguments of the C engine's compile:
flags, a list of opcodes, group tables); it is kept in one entry per engine of the on-disk
cache (deident.cache: versioned, checksummed, rebuilt when stale or damaged), and a pattern
found there is built by the C engine directly, with the same arguments, so it matches
exactly as a freshly compiled one. Both C engines check the opcodes they are given.

Only patterns compiled while `recording()` is active are written: deident's module imports
and the Analyzer's construction (spaCy's model included), whose patterns come from the
code and the lexicon files. Patterns compiled from document content or known identities
(verifier look-ups, a user's own patterns) are never recorded, so no personal data reaches
the cache. Patterns with named lists, locale-dependent patterns, bytes patterns and debug
compiles are left to the engines alone.
"""

from __future__ import annotations

import _sre
import contextlib
import re
import re._compiler as _re_compiler
import sys
import threading
from collections.abc import Callable, Iterator

import regex
import regex._main as _main
from regex import _regex

from deident import __version__
from deident.cache import load, store

# Entries no run used are dropped once a table holds more than this many.
_MAX_ENTRIES = 20_000
_SKIP_FLAGS = _main.DEBUG | _main.LOCALE
_RE_SKIP_FLAGS = re.DEBUG | re.LOCALE

_lock = threading.RLock()
_recording = 0


class _Table:
    """One engine's patterns: the C compile's arguments per pattern, on disk; the patterns
    built from them in this process."""

    def __init__(self, entry: str, version: Callable[[], str], build: Callable) -> None:
        self.entry, self.version, self._build = entry, version, build
        self.stored: dict[tuple, tuple] | None = None  # loaded on first use
        self.released = False  # see release()
        self.compiled: dict[tuple, object] = {}
        self.used: set[tuple] = set()
        self.new = 0

    def find(self, key: tuple, pattern: str) -> object | None:
        """The pattern built from its stored arguments, or None (not stored, or refused)."""
        found = self.compiled.get(key)
        if found is not None or (self.released and not _recording):
            return found
        arguments = self._load().get(key)
        if arguments is None:
            return None
        try:
            found = self._build(pattern, *arguments)
        except Exception:  # arguments the engine refuses: compiled afresh by the caller
            return None
        self.compiled[key] = found
        self.used.add(key)
        return found

    def add(self, key: tuple, arguments: tuple, compiled: object) -> None:
        self._load()[key] = _plain(arguments)
        self.compiled[key] = compiled
        self.used.add(key)
        self.new += 1

    def save(self) -> None:
        table = self._load()
        if len(table) > _MAX_ENTRIES:  # patterns of older lexicons: keep what runs now use
            table = {key: table[key] for key in self.used if key in table}
        with contextlib.suppress(ValueError):  # a value marshal cannot write: no cache
            store(self.entry, self.version(), table)
        self.new = 0

    def release(self) -> None:
        self.stored, self.released = None, True

    def reset(self) -> None:
        self.stored, self.new, self.released = None, 0, False
        self.compiled.clear()
        self.used.clear()

    def _load(self) -> dict[tuple, tuple]:
        if self.stored is None:
            with _lock:
                if self.stored is None:
                    value = load(self.entry, self.version())
                    self.stored = value if isinstance(value, dict) else {}
                    self.released = False
        return self.stored


def _plain(value: object) -> object:
    """`value` with marshal's types only: flags and `re`'s opcodes are int subclasses."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return value


def version() -> str:
    """What the stored `regex` opcodes depend on: the engine and the deident that wrote them."""
    return (f"deident {__version__}|regex {regex.__version__} magic {_regex.MAGIC}|"
            f"python {sys.version_info[0]}.{sys.version_info[1]}")


def re_version() -> str:
    """What the stored `re` opcodes depend on: the interpreter's own engine."""
    return f"deident {__version__}|sre magic {_sre.MAGIC}|python {sys.version}"


ENTRY = "regex-compiled"
RE_ENTRY = "re-compiled"
REGEX = _Table(ENTRY, lambda: version(), _regex.compile)
RE = _Table(RE_ENTRY, lambda: re_version(), _sre.compile)
_original = _main._compile
_re_original = _re_compiler.compile


def install() -> None:
    """Route both engines' compilation through the tables (idempotent)."""
    _main._compile = _compile
    _re_compiler.compile = _re_compile


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Patterns compiled inside are added to the tables, written when the outermost block
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
            if _recording == 0:
                for table in (REGEX, RE):
                    if table.new:
                        table.save()


def release() -> None:
    """Let the tables go (some 15 MB) once the pipeline is built: what is compiled after
    that comes from documents, which they never hold. A later recording reads them again."""
    with _lock:
        if not _recording:
            REGEX.release()
            RE.release()


def _compile(pattern: object, flags: int, ignore_unused: bool, kwargs: dict, cache_it: bool
             ) -> regex.Pattern:
    """regex._main._compile, answered from the table when it can be."""
    if kwargs or type(pattern) is not str or not cache_it or flags & _SKIP_FLAGS:
        return _original(pattern, flags, ignore_unused, kwargs, cache_it)
    key = (pattern, int(flags), int(regex.DEFAULT_VERSION))
    found = REGEX.find(key, pattern)
    if found is not None:
        return found
    if not _recording:
        return _original(pattern, flags, ignore_unused, kwargs, cache_it)
    with _lock:  # past regex's own cache (it may hold the pattern): it reaches the C engine
        compiled, call = _captured(_main, "_regex", _regex, lambda: _original(
            pattern, flags, ignore_unused, kwargs, False))
    if call is not None and call[0] == pattern and not call[1] & _main.LOCALE \
            and _main._locale_sensitive.get((str, pattern)) is False:
        REGEX.add(key, call[1:], compiled)
    return compiled


def _re_compile(pattern: object, flags: int = 0) -> re.Pattern:
    """re._compiler.compile, answered from the table when it can be (`re` keeps its own
    in-memory cache above this)."""
    if type(pattern) is not str or flags & _RE_SKIP_FLAGS:
        return _re_original(pattern, flags)
    key = (pattern, int(flags))
    found = RE.find(key, pattern)
    if found is not None:
        return found
    if not _recording:
        return _re_original(pattern, flags)
    with _lock:
        compiled, call = _captured(_re_compiler, "_sre", _sre,
                                   lambda: _re_original(pattern, flags))
    if call is not None and call[0] == pattern:
        RE.add(key, call[1:], compiled)
    return compiled


def _captured(module: object, name: str, engine: object, compile_: Callable[[], object]
              ) -> tuple[object, tuple | None]:
    """compile_()'s pattern, and the arguments it gave the C `engine` (reached as
    `module.name`) if it made exactly one call."""
    calls: list[tuple] = []
    setattr(module, name, _Capture(engine, calls))
    try:
        compiled = compile_()
    finally:
        setattr(module, name, engine)
    return compiled, calls[0] if len(calls) == 1 else None


class _Capture:
    """Stands for a C engine while one pattern is compiled: notes its arguments."""

    def __init__(self, engine: object, calls: list[tuple]) -> None:
        self._engine, self._calls = engine, calls

    def compile(self, *args: object) -> object:
        self._calls.append(args)
        return self._engine.compile(*args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._engine, name)


def _reset() -> None:
    """Forget what this process loaded and recorded (tests)."""
    with _lock:
        REGEX.reset()
        RE.reset()
