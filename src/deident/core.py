"""The public entry point: a Deidentifier loads the models once and pseudonymizes
texts, files and folders (read -> analyze -> pseudonymize -> write -> verify)."""

from __future__ import annotations

import bisect
import contextlib
import copy
import gc
import hashlib
import itertools
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
from deident.document import BLOCK_SEPARATOR, Block, Document, Piece, Replacement
from deident.entities import DATE, PERSON, Entity
from deident.errors import DeidentError, RefusedError
from deident.formats import adapter_for, output_name
from deident.keys import resolve_key
from deident.nlp import DEFAULT_MODEL
from deident.places import load_places
from deident.policy import Policy
from deident.pseudonyms import DocumentSession, Pseudonymizer, load_pools
from deident.recognizers.person import ABBREVIATED_TITLES, FULL_TITLES
from deident.verify import Remnants, Tells, Written, common_words, first_remnant, fix, tells_of

# A made-up letter that takes every step of the pipeline once (names, address, dates, phone).
_PREPARE_TEXT = ("Lyon, le 12 mars 2021. Mme Jeanne Martin, née le 04/05/1961, 3 rue des Lilas "
                 "69003 Lyon, tél. 06 12 34 56 78, suivie par le Dr Paul Durand.")


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
    pages: int | None = None  # a PDF's pages, Word's own count; None for plain text


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
        ocr: str | None = None,
        ocr_dpi: int | None = None,
        ocr_draw: str | None = None,
        ocr_languages: str | None = None,
    ) -> None:
        """`fast`: rules and lexicons only, no statistical NER (for hooks on large
        repositories). `ocr`: "auto" (scans and images with text are read by OCR, painted
        and verified), "off" or "force"; `ocr_dpi`, `ocr_draw` ("surrogate" or "box"),
        `ocr_languages` (Tesseract models, "fra"). `config` defaults to the nearest
        deident.toml / pyproject.toml [tool.deident] (see deident.config); the other
        arguments override it."""
        base = config if config is not None else load_config()
        self.config = base.with_overrides(
            "API argument", date_scope=date_scope, max_date_shift_days=max_date_shift_days,
            threshold=threshold, embedded=embedded, images=images, known=known,
            entities=entities, operators=operators, ocr=ocr, ocr_dpi=ocr_dpi, ocr_draw=ocr_draw,
            ocr_languages=ocr_languages, password_file=password_file)
        self._key = key if key is not None else resolve_key(key_file)
        self.analyzer = shared_analyzer(model_name, ner=not fast)
        self._configure(self.config)  # its own threshold, if the configuration sets one

    def with_config(self, config: Config) -> Deidentifier:
        """Another Deidentifier with `config`, on the same loaded models and key."""
        other = copy.copy(self)
        other._configure(config)
        return other

    def _configure(self, config: Config) -> None:
        self.config = config
        # Embedded objects and macros, and images that cannot be checked: refuse or drop.
        self.embedded, self.images = config.embedded, config.images
        self.ocr = config.ocr_options()
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
        self._known_tells: dict[int, tuple[list, Tells]] = {}
        # While a document is processed: its values' tells, read again by each remnants()
        self._tells_memo: dict | None = None

    def __repr__(self) -> str:  # the key stays out
        return f"Deidentifier(date_scope={self.pseudonymizer.date_scope!r})"

    def prepare(self, suffixes: Iterable[str] = ()) -> None:
        """Load now what the first document would load: the surrogates' pools and places,
        the verifier's word tables, the adapters of `suffixes` (".pdf"), and whatever the
        pipeline builds on its first text. Called before forking workers, so that they
        share all of it instead of each building its own. Changes no output."""
        preload(self.analyzer, suffixes)
        self.pseudonymizer.prepare()
        self.pseudonymize_text(_PREPARE_TEXT, scope_id="")

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
        """The analyzer's entities under the project's policy, with its known identities,
        and the remnants the verifier would find: other occurrences and forms of their
        values, and the sentinel's numbers (see deident.verify)."""
        known = self.known.find(text, document) if self.known is not None else []
        entities = self.policy.apply(text, found, known)
        fixed = fix(text, entities, self.remnants(text, entities, document),
                    self.analyzer.protected_spans)
        if any(e.hint == "sentinel" for e in fixed):  # the sentinel's finds betray too
            fixed = fix(text, fixed, self.remnants(text, fixed, document),
                        self.analyzer.protected_spans)
        return fixed

    def remnants(self, text: str, entities: list[Entity], document: str | None = None
                 ) -> Remnants:
        """The verifier's finder for these entities' values and the known identities in
        scope for `document`."""
        lexicons = self.analyzer.lexicons
        tells = [tells_of(((e.type, text[e.start:e.end]) for e in entities), lexicons,
                          self._tells_memo)]
        if self.known is not None:
            values = self.known.values(document)
            if id(values) not in self._known_tells:  # one finder per scope, kept
                self._known_tells[id(values)] = (values, tells_of(values, lexicons))
            tells.append(self._known_tells[id(values)][1])
        return Remnants(tells, common_words(lexicons), self.policy.replaced)

    def _scope(self, scope_id: str | None, text: str) -> str:
        if self.pseudonymizer.date_scope == "project":
            return ""
        if scope_id is not None:
            return scope_id
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()

    # -- documents -----------------------------------------------------------------------
    def pseudonymize_document(self, document: Document, name: str | None = None
                              ) -> tuple[list[list[Replacement]], list[Entity], Remnants]:
        """Replacements per block, the entities (joined-text coordinates) and the verifier's
        finder of what the output must not contain. `name`: the document's path, for the
        known identities scoped to it."""
        self._tells_memo = {}
        try:
            return self._pseudonymize_document(document, name)
        finally:
            self._tells_memo = None

    def _pseudonymize_document(self, document: Document, name: str | None
                               ) -> tuple[list[list[Replacement]], list[Entity], Remnants]:
        joined, offsets, entities = self.detect(document, name)
        session = self.pseudonymizer.session(joined, self._scope(document.scope_id, joined))
        session.register(entities)
        edits, local = self._replacements(document, offsets, entities, session)
        if document.fits is not None and _shortened(document, edits, local, session):
            edits, local = self._replacements(document, offsets, entities, session)
        return edits, entities, self.remnants(joined, entities, name)

    def _replacements(self, document: Document, offsets: list[int], entities: list[Entity],
                      session: DocumentSession
                      ) -> tuple[list[list[Replacement]], list[list[Entity]]]:
        """Each block's replacements, and its entities (block coordinates)."""
        edits, by_block = [], []
        # entities before index i all end by ends[i - 1]: a block's first one is a bisect away
        ends = list(itertools.accumulate((e.end for e in entities), max))
        for block, offset in zip(document.blocks, offsets, strict=True):
            end = offset + len(block.text)
            local = []
            for index in range(bisect.bisect_right(ends, offset), len(entities)):
                e = entities[index]
                if e.start >= end:
                    break
                local.append(Entity(max(e.start, offset) - offset, min(e.end, end) - offset,
                                    e.type, e.score, e.hint))
            edits.append(self.anonymizer.replacements(block.text, local, session))
            by_block.append(local)
        return edits, by_block

    def detect(self, document: Document, name: str | None = None
               ) -> tuple[str, list[int], list[Entity]]:
        """The document's blocks as one text, each block's offset in it, and the entities to
        replace there (analysis, whole-block entities, then the project's policy)."""
        joined, offsets = document.joined()
        if any(block.entity_type for block in document.blocks):
            found = self._analyze_untyped(document, offsets)
        else:
            found = self.analyzer.analyze(joined)
        found = _with_whole_blocks(found, document, offsets)
        return joined, offsets, _outside_labels(self._decide(joined, found, name), document,
                                                offsets)

    def _analyze_untyped(self, document: Document, offsets: list[int]) -> list[Entity]:
        """Only the blocks without a type go through the analyzer (a 100,000-row column of
        surnames needs no NER), by context (a table row: identical rows are analyzed once,
        all in one batched pass); values found anywhere, and those of the typed blocks, are
        then found everywhere ("vu par M. Dupont" in a comment column beside a "Nom"
        column). Joined-text coordinates."""
        free = [(block, offset) for block, offset in zip(document.blocks, offsets, strict=True)
                if not (block.entity_type and block.text.strip())]
        starts, position = [], 0
        for block, _ in free:
            starts.append(position)
            position += len(block.text) + len(BLOCK_SEPARATOR)
        text = BLOCK_SEPARATOR.join(block.text for block, _ in free)
        groups: list[list[int]] = []  # consecutive free blocks of one context
        for index, (block, _) in enumerate(free):
            if groups and (not block.context or block.context == free[groups[-1][0]][0].context):
                groups[-1].append(index)
            else:
                groups.append([index])
        contexts = [BLOCK_SEPARATOR.join(free[i][0].text for i in group) for group in groups]
        distinct = list(dict.fromkeys(c for c in contexts if c.strip()))
        analyzed = dict(zip(distinct, self.analyzer.analyze_many(distinct), strict=True))
        found = [Entity(e.start + starts[group[0]], e.end + starts[group[0]], e.type, e.score,
                        e.hint)
                 for group, context in zip(groups, contexts, strict=True)
                 for e in analyzed.get(context, ())]
        seeds = dict.fromkeys((b.text[_after_title(b):].strip(), b.entity_type)
                              for b in document.blocks
                              if b.entity_type and b.entity_type != DATE and b.text.strip())
        if text.strip() and (seeds or len(groups) > 1):
            tail_start = len(text) + len(BLOCK_SEPARATOR)
            tail, seed_entities, position = [], [], tail_start
            for value, entity_type in seeds:
                tail.append(value)
                seed_entities.append(Entity(position, position + len(value), entity_type, 1.0))
                position += len(value) + 1
            propagated = self.analyzer.propagate(
                text + BLOCK_SEPARATOR + "\n".join(tail), [*found, *seed_entities])
            found = [e for e in propagated if e.end <= len(text)]
        mapped = []
        for entity in found:  # an entity over a block separator is cut at it
            first = bisect.bisect_right(starts, entity.start) - 1
            for index in range(first, len(free)):
                start = starts[index]
                if start >= entity.end:
                    break
                piece_start = max(entity.start, start)
                piece_end = min(entity.end, start + len(free[index][0].text))
                if piece_end > piece_start:
                    shift = free[index][1] - start
                    mapped.append(Entity(piece_start + shift, piece_end + shift, entity.type,
                                         entity.score, entity.hint))
        return mapped

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
            dst = Path(output_name(str(dst)))  # a converted .xls or .ods is written as .xlsx
            if src.stat().st_size > self.config.max_file_mb * 2**20:
                raise RefusedError(f"file larger than {self.config.max_file_mb} MB (limits.max_file_mb)")
            name = name if name is not None else src.as_posix()  # for scoped known identities
            scope = self.document_scope(src, name, scope_id)
            with _time_limit(self.config.max_seconds):
                document = adapter.read(
                    src, scope, embedded=self.embedded, images=self.images,
                    max_pages=self.config.max_pages, max_parts=self.config.max_parts,
                    max_unpacked_mb=self.config.max_unpacked_mb, columns=self.config.columns,
                    ocr=self.ocr, password=self._password())
                edits, entities, remnants = self.pseudonymize_document(document, name)
                _write_verified(adapter, document, edits, remnants, dst,
                                self.analyzer.protected_spans)
            report.output = str(dst)
            report.reason = document.meta.get("note", "")  # a conversion, a signature removed...
            report.pages = int(document.meta["pages"]) if "pages" in document.meta else None
            report.entities = dict(sorted(Counter(e.type for e in entities).items()))
        except RefusedError as exc:
            report.status, report.reason = "refused", exc.reason
        except Exception as exc:  # fail closed: nothing written, the run goes on
            report.status, report.reason = "failed", _safe_reason(exc)
        report.seconds = round(time.perf_counter() - started, 4)
        return report

    def document_scope(self, src: Path, name: str, scope_id: str | None = None) -> str:
        """The date-shift scope of a document: its known patient's, else `scope_id` (a
        folder run's relative path), else the file's (or folder's) path."""
        patient = self.known.patient_for(name) if self.known is not None else None
        if patient is not None:
            return f"patient:{patient}"
        return scope_id if scope_id is not None else self._file_scope(src)

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


_ANALYZERS: dict[tuple[str, bool], Analyzer] = {}
_PER_PROCESS: dict[tuple, Deidentifier] = {}


def shared_analyzer(model_name: str = DEFAULT_MODEL, ner: bool = True) -> Analyzer:
    """The models of this process, loaded once: every Deidentifier built here (another key,
    another configuration) and every process forked after it (folder workers, Spark's
    Python workers under deident.spark_daemon) use them."""
    if (model_name, ner) not in _ANALYZERS:
        _ANALYZERS[(model_name, ner)] = Analyzer(model_name=model_name, ner=ner)
        # The models' millions of objects live as long as the process: out of the garbage
        # collector's sight, its full passes over a 100,000-row table's objects no longer
        # walk them each time (and forked workers do not copy their pages by touching them).
        # No collection first: loading leaves no cyclic garbage, and a pass costs 0.1 s.
        gc.freeze()
    return _ANALYZERS[(model_name, ner)]


def preload(analyzer: Analyzer, suffixes: Iterable[str] = ()) -> None:
    """What every Deidentifier on `analyzer` loads on first use, whatever its key: the
    surrogate pools and places, the verifier's word tables, the adapters of `suffixes`."""
    load_pools()
    load_places()
    common_words(analyzer.lexicons)
    for suffix in sorted(set(suffixes)):
        with contextlib.suppress(DeidentError, ImportError):
            adapter_for(Path(f"file{suffix}"))


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


def _shortened(document: Document, edits: list[list[Replacement]],
               local: list[list[Entity]], session: DocumentSession) -> bool:
    """Surrogates the adapter has no room for are redrawn shorter, for every occurrence of
    their value (the adapter then shrinks the type of what still does not fit)."""
    misfits = set()
    for index, (block, block_edits) in enumerate(zip(document.blocks, edits, strict=True)):
        for start, end, new in block_edits:
            if document.fits(index, start, end, new):
                continue
            misfits.update((e.type, block.text[e.start:e.end]) for e in local[index]
                           if e.start < end and start < e.end)
    changed = False
    for entity_type, original in sorted(misfits):
        changed |= session.shorten(entity_type, original)
    return changed


# A title before a name in a typed cell or field ("Mme Apolline GASTELLIER" beside
# "Patiente :") stays, as it does in running text: the name alone is the person. Not
# before an initial: "M. D." under "Initiales" is two initials.
_LEADING_TITLE = regex.compile(
    rf"\s*(?:(?:{ABBREVIATED_TITLES})\.?|{FULL_TITLES})[ \t]+(?=\p{{L}}[\p{{L}}'’])")


def _outside_labels(entities: list[Entity], document: Document, offsets: list[int]
                    ) -> list[Entity]:
    """Entities cut to the values of blocks that start with a label (Block.label)."""
    labels = [(offset, offset + block.label)
              for block, offset in zip(document.blocks, offsets, strict=True) if block.label]
    if not labels:
        return entities
    starts = [start for start, _ in labels]
    kept = []
    for entity in entities:
        index = bisect.bisect_right(starts, entity.start) - 1
        label_end = labels[index][1] if index >= 0 else -1
        if entity.start < label_end:
            if entity.end <= label_end:
                continue
            entity = Entity(label_end, entity.end, entity.type, entity.score, entity.hint)
        kept.append(entity)
    return kept


def _after_title(block: Block) -> int:
    """Where the entity of a typed block starts: after a person's title."""
    title = _LEADING_TITLE.match(block.text) if block.entity_type == PERSON else None
    return title.end() if title else 0


def _with_whole_blocks(entities: list[Entity], document: Document, offsets: list[int]
                       ) -> list[Entity]:
    """Blocks the adapter knows to be one entity (an author field) replace whatever the
    analyzer found inside them."""
    whole = []
    for block, offset in zip(document.blocks, offsets, strict=True):
        if block.entity_type and block.text.strip():
            whole.append(Entity(offset + _after_title(block), offset + len(block.text),
                                block.entity_type, 1.0, block.hint))
    if not whole:
        return entities
    taken = Spans((w.start, w.end) for w in whole)
    kept = [e for e in entities if not taken.overlaps(e.start, e.end)]
    return sorted(kept + whole)


def _write_verified(adapter, document: Document, edits: list[list[Replacement]],
                    remnants: Remnants, dst: Path, protected: Callable[[str], Spans]) -> None:
    """Write into a private temporary folder (0700, file 0600) beside `dst`, search
    everything the adapter reads back (and the output's name) for remnants, and only then
    move it into place (same filesystem: an atomic rename). The folder goes on every exit
    path; a killed process leaves only it, which --resume removes."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=".deident-", dir=dst.parent))
    try:
        fd, tmp_name = tempfile.mkstemp(suffix=dst.suffix, dir=private)
        os.close(fd)
        tmp = Path(tmp_name)
        adapter.write(document, edits, tmp)
        written = Written()
        for block_edits in edits:
            for _, _, surrogate in block_edits:
                written.add(surrogate)
        pieces = [*adapter.read_back(tmp), Piece("output file name", dst.name)]
        reason = first_remnant(pieces, remnants, written, protected)
        if reason:
            raise RefusedError(reason)
        os.replace(tmp, dst)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _safe_reason(exc: Exception) -> str:
    """An error's class and errno text only: messages of third-party errors may quote content."""
    if isinstance(exc, DeidentError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{type(exc).__name__}: {exc.strerror}"
    return type(exc).__name__
