"""The public entry point: a Deidentifier loads the models once and pseudonymizes
texts, files and folders (read -> analyze -> pseudonymize -> write -> verify)."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from deident.analyzer import Analyzer, Spans
from deident.anonymizer import SurrogateAnonymizer
from deident.config import REDACT_LABELS, Config, load_config
from deident.document import Document, Replacement
from deident.entities import DATE, Entity
from deident.errors import DeidentError, RefusedError
from deident.formats import adapter_for
from deident.keys import resolve_key
from deident.nlp import DEFAULT_MODEL
from deident.policy import Policy
from deident.pseudonyms import MIN_LEAK_CHARS, Pseudonymizer


@dataclass(frozen=True)
class Result:
    """A pseudonymized text and what was replaced (types and input positions, no values)."""

    text: str
    entities: tuple[Entity, ...]

    def counts(self) -> dict[str, int]:
        return dict(Counter(e.type for e in self.entities))

    def __repr__(self) -> str:
        return f"Result(chars={len(self.text)}, entities={self.counts()})"


@dataclass
class FileReport:
    source: str
    output: str | None
    status: str  # "done" | "refused" | "failed"
    reason: str = ""
    entities: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    input_sha256: str = ""
    output_sha256: str = ""
    pages: int = 0  # pages of 3,000 characters of text


@dataclass
class FolderReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.status == "done" for f in self.files)

    def totals(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for report in self.files:
            counts.update(report.entities)
        return dict(sorted(counts.items()))

    def statuses(self) -> dict[str, int]:
        return dict(Counter(f.status for f in self.files))


class Deidentifier:
    """Load once, reuse: the spaCy pipeline and the recognizers are built in __init__."""

    def __init__(
        self,
        key_file: str | Path | None = None,
        *,
        key: bytes | None = None,
        config: Config | None = None,
        date_scope: str | None = None,
        max_date_shift_days: int | None = None,
        model_name: str = DEFAULT_MODEL,
        threshold: float | None = None,
        embedded: str | None = None,
        images: str | None = None,
        known: str | Path | None = None,
        password_file: str | Path | None = None,
        entities: dict[str, bool] | None = None,
        operators: dict[str, str] | None = None,
        fast: bool = False,
    ) -> None:
        """`fast`: rules and lexicons only, no statistical NER (for hooks on large
        repositories). `config` defaults to the nearest deident.toml / pyproject.toml [tool.deident]
        (see deident.config); the other arguments override it."""
        base = config if config is not None else load_config()
        self.config = base.with_overrides(
            "API argument", date_scope=date_scope, max_date_shift_days=max_date_shift_days,
            threshold=threshold, embedded=embedded, images=images, known=known,
            password_file=password_file, entities=entities, operators=operators)
        self._key = key if key is not None else resolve_key(key_file)
        self.analyzer = Analyzer(model_name=model_name, threshold=self.config.threshold,
                                 ner=not fast)
        self._configure(self.config)

    def with_config(self, config: Config) -> Deidentifier:
        """Another Deidentifier with `config`, on the same loaded models and key."""
        other = copy.copy(self)
        other._configure(config)
        return other

    def _configure(self, config: Config) -> None:
        self.config = config
        # Embedded objects and macros, and images that cannot be checked: refuse or drop.
        self.embedded, self.images = config.embedded, config.images
        if self.analyzer.threshold != config.threshold:  # same models, its own threshold
            self.analyzer = copy.copy(self.analyzer)
            self.analyzer.threshold = config.threshold
        self.pseudonymizer = Pseudonymizer(self._key, date_scope=config.date_scope,
                                           max_date_shift_days=config.max_date_shift_days)
        self.anonymizer = SurrogateAnonymizer(
            {t: REDACT_LABELS[t] for t, op in config.operators.items() if op == "redact"})
        self.policy = Policy(config)
        self.known = None
        if config.known is not None:
            from deident.known import load_known

            self.known = load_known(config.known)

    def __repr__(self) -> str:  # the key stays out
        return f"Deidentifier(date_scope={self.pseudonymizer.date_scope!r})"

    # -- texts ---------------------------------------------------------------------------
    def pseudonymize_text(self, text: str, *, scope_id: str | None = None) -> Result:
        return next(self.pseudonymize_texts([text], scope_ids=[scope_id]))

    def pseudonymize_texts(
        self, texts: Iterable[str], *, scope_ids: Iterable[str | None] | None = None
    ) -> Iterator[Result]:
        """Many texts in one batched NLP pass (one document each for date shifting)."""
        texts = list(texts)
        ids = list(scope_ids) if scope_ids is not None else [None] * len(texts)
        for text, scope, found in zip(texts, ids, self.analyzer.analyze_many(texts), strict=True):
            entities = self._decide(text, found, None)
            session = self.pseudonymizer.session(text, self._scope(scope, text))
            session.register(entities)
            yield Result(self.anonymizer.apply(text, entities, session), tuple(entities))

    def _decide(self, text: str, found: list[Entity], document: str | None) -> list[Entity]:
        """The analyzer's entities under the project's policy, with its known identities."""
        known = self.known.find(text, document) if self.known is not None else []
        return self.policy.apply(text, found, known)

    def _scope(self, scope_id: str | None, text: str) -> str:
        if self.pseudonymizer.date_scope == "project":
            return ""
        if scope_id is not None:
            return scope_id
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    # -- documents -----------------------------------------------------------------------
    def pseudonymize_document(self, document: Document, name: str | None = None
                              ) -> tuple[list[list[Replacement]], list[Entity], set[str]]:
        """Replacements per block, the entities (joined-text coordinates) and the original
        values the output must not contain. `name`: the document's path, for the known
        identities scoped to it."""
        joined, offsets, entities = self.detect(document, name)
        session = self.pseudonymizer.session(joined, self._scope(document.scope_id, joined))
        session.register(entities)
        edits = []
        for block, offset in zip(document.blocks, offsets, strict=True):
            end = offset + len(block.text)
            local = [
                Entity(max(e.start, offset) - offset, min(e.end, end) - offset, e.type, e.score,
                       e.hint)
                for e in entities if e.start < end and offset < e.end
            ]
            edits.append(self.anonymizer.replacements(block.text, local, session))
        originals = {joined[e.start:e.end] for e in entities if e.type != DATE}
        return edits, entities, originals

    def detect(self, document: Document, name: str | None = None
               ) -> tuple[str, list[int], list[Entity]]:
        """The document's blocks as one text, each block's offset in it, and the entities to
        replace there (analysis, whole-block entities, then the project's policy)."""
        joined, offsets = document.joined()
        found = _with_whole_blocks(self.analyzer.analyze(joined), document, offsets)
        return joined, offsets, self._decide(joined, found, name)

    # -- files and folders ---------------------------------------------------------------
    def pseudonymize_file(self, src: str | Path, dst: str | Path, *,
                          scope_id: str | None = None, name: str | None = None) -> FileReport:
        """Write a pseudonymized copy of `src` to `dst`, or nothing at all if it is refused.

        `scope_id` keys the date shift (default: by file or folder, as configured; a known
        patient's documents share theirs); `name` is the document's path as the known
        identities' `file`/`folder` columns give it (default: `src`)."""
        src, dst = Path(src), Path(dst)
        started = time.perf_counter()
        report = FileReport(source=str(src), output=None, status="done")
        try:
            adapter = adapter_for(src)
            if src.stat().st_size > self.config.max_file_mb * 2**20:
                raise RefusedError(f"file larger than {self.config.max_file_mb} MB (limits.max_file_mb)")
            name = name if name is not None else src.as_posix()  # for scoped known identities
            patient = self.known.patient_for(name) if self.known is not None else None
            scope = f"patient:{patient}" if patient is not None else (
                scope_id if scope_id is not None else self._file_scope(src))
            with _time_limit(self.config.max_seconds):
                document = adapter.read(
                    src, scope, embedded=self.embedded, images=self.images,
                    max_pages=self.config.max_pages, max_parts=self.config.max_parts,
                    max_unpacked_mb=self.config.max_unpacked_mb, password=self._password())
                edits, entities, originals = self.pseudonymize_document(document, name)
                _write_verified(adapter, document, edits, originals, dst,
                                self.analyzer.protected_spans)
            report.output = str(dst)
            report.reason = document.meta.get("note", "")
            report.pages = max(1, round(sum(len(b.text) for b in document.blocks) / 3000))
            report.entities = dict(sorted(Counter(e.type for e in entities).items()))
        except RefusedError as exc:
            report.status, report.reason = "refused", exc.reason
        except Exception as exc:  # fail closed: nothing written, the run goes on
            report.status, report.reason = "failed", _safe_reason(exc)
        report.seconds = round(time.perf_counter() - started, 4)
        return report

    def _password(self) -> str | None:
        """The user password of encrypted PDFs, read from `password_file` (first line)."""
        path = self.config.password_file
        if path is None:
            return None
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise RefusedError(f"password file cannot be read ({exc.strerror})") from None
        return lines[0] if lines else ""

    def _file_scope(self, src: Path) -> str:
        scope = self.pseudonymizer.date_scope
        if scope == "folder":
            return str(src.parent.as_posix())
        return src.as_posix()

    def pseudonymize_folder(self, src: str | Path, dst: str | Path, *, workers: int = 1,
                            resume: bool = False, shard: tuple[int, int] | None = None,
                            progress: bool = False) -> FolderReport:
        """Mirror `src` into `dst` (see deident.batch): `workers` processes, each loading the
        pipeline once; `resume` finishes an interrupted run; `shard` (i, n) takes one n-th."""
        from deident.batch import run_folder

        return run_folder(self, Path(src), Path(dst), workers=workers, resume=resume,
                          shard=shard, progress=progress)

    # -- names ---------------------------------------------------------------------------
    def pseudonymize_name(self, name: str, scope_id: str = "") -> tuple[str, str]:
        """A file or folder name with its personal data replaced, and the same name with
        it masked by type labels (for reports): "CR_DUPONT_Jean.docx" ->
        ("CR_MARTIN_Paul.docx", "CR_[NOM].docx"). The extension is kept."""
        stem, dot, extension = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
        # Underscores read as spaces (same length: spans stay valid); surrogates take them
        # back. Hyphens and dots stay: they belong to dates and compound names.
        separator = "_" if "_" in stem else " "
        readable = stem.replace("_", " ")
        entities = self._decide(readable, self.analyzer.analyze(readable), None)
        if not entities:
            return name, name
        session = self.pseudonymizer.session(readable, scope_id)
        session.register(entities)
        edits = self.anonymizer.replacements(readable, entities, session)
        new = stem
        masked = stem
        for start, end, surrogate in reversed(edits):
            new = new[:start] + surrogate.replace(" ", separator) + new[end:]
        for entity in reversed(entities):
            masked = masked[:entity.start] + REDACT_LABELS.get(entity.type, "[?]") + masked[entity.end:]
        return new + dot + extension, masked + dot + extension


_PER_PROCESS: dict[tuple, Deidentifier] = {}


def shared_deidentifier(key: bytes | None = None, key_file: str | Path | None = None, *,
                        config: Config | None = None, model_name: str = DEFAULT_MODEL,
                        fast: bool = False) -> Deidentifier:
    """One Deidentifier per process and set of arguments: pool workers, Spark Python
    workers and repeated scans load the pipeline once."""
    cache_key = (key, str(key_file), repr(config), model_name, fast)
    if cache_key not in _PER_PROCESS:
        _PER_PROCESS[cache_key] = Deidentifier(key_file, key=key, config=config,
                                               model_name=model_name, fast=fast)
    return _PER_PROCESS[cache_key]


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """A file that takes longer than `seconds` is refused (a crafted file must not hang a
    batch). Only the main thread of a process can be interrupted: elsewhere, no limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise RefusedError(f"took longer than {seconds} s (limits.max_seconds)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _with_whole_blocks(entities: list[Entity], document: Document, offsets: list[int]
                       ) -> list[Entity]:
    """Blocks the adapter knows to be one entity (an author field) replace whatever the
    analyzer found inside them."""
    whole = [Entity(offset, offset + len(block.text), block.entity_type, 1.0)
             for block, offset in zip(document.blocks, offsets, strict=True)
             if block.entity_type and block.text.strip()]
    if not whole:
        return entities
    kept = [e for e in entities if not any(w.start < e.end and e.start < w.end for w in whole)]
    return sorted(kept + whole)


def _write_verified(adapter, document: Document, edits: list[list[Replacement]],
                    originals: set[str], dst: Path, protected: Callable[[str], Spans]) -> None:
    """Write into a private temporary folder (0700, file 0600) beside `dst`, re-read the
    file, and only then move it into place (same filesystem: an atomic rename). The folder
    goes on every exit path; a killed process leaves only it, which --resume removes."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=".deident-", dir=dst.parent))
    try:
        fd, tmp_name = tempfile.mkstemp(suffix=dst.suffix, dir=private)
        os.close(fd)
        tmp = Path(tmp_name)
        adapter.write(document, edits, tmp)
        leaked = count_leaks(originals, adapter.read_back(tmp), protected)
        if leaked:
            raise RefusedError(f"verification failed: {leaked} detected value(s) still present")
        os.replace(tmp, dst)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def count_leaks(originals: set[str], texts: list[str],
                protected: Callable[[str], Spans] | None = None) -> int:
    """How many original values still stand, as whole words, in the output texts (outside
    the medical phrases the allow-lists protect)."""
    values = [v for v in originals if len(v.strip()) >= MIN_LEAK_CHARS]
    if not values:
        return 0
    finder = regex.compile(
        r"(?<![\w])(?:" + "|".join(regex.escape(v) for v in sorted(values, key=len, reverse=True))
        + r")(?![\w])"
    )
    leaks = set()
    for text in texts:
        allowed = protected(text) if protected else Spans()
        leaks.update(m.group() for m in finder.finditer(text)
                     if not allowed.contains(m.start(), m.end()))
    return len(leaks)


def _safe_reason(exc: Exception) -> str:
    """An error's class and errno text only: messages of third-party errors may quote content."""
    if isinstance(exc, DeidentError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__
