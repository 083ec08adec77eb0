"""Folder runs: mirror SRC into DST, pseudonymizing every supported file and every file or
folder name that holds personal data.

- The listing is streamed (os.walk), never held whole; files go to a process pool, each
  worker loading the pipeline once (`workers=1` runs in this process).
- Outputs are written atomically (temporary file, then rename), so an interrupted run
  leaves no partial file; `resume=True` skips what a run already finished (same input,
  by sha256, recorded beside DST) and does the rest.
- A file that cannot be made safe, or of a type deident does not know, is reported and
  never copied. Reports hold relative paths with personal data masked ("CR_[NOM].docx"),
  hashes, counts and types: never a value.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deident.core import FileReport, FolderReport
from deident.errors import UsageError
from deident.formats import ADAPTERS, output_name

if TYPE_CHECKING:
    from deident.config import Config
    from deident.core import Deidentifier

TEMPORARY_PREFIX = ".deident-"  # see core._write_verified
_IN_FLIGHT_PER_WORKER = 4  # tasks queued per worker: enough to keep them busy, bounded
# Below these, extra workers cost more than they save (see workers_for).
FILES_PER_WORKER = 4
SMALL_FOLDER_BYTES = 64 * 1024
# The parent's Deidentifier, inherited by forked workers (set only while a pool runs).
_FORKED: Deidentifier | None = None


@dataclass(frozen=True)
class _Pool:
    """A running process pool, the function its workers run on (src, dst, task), and
    whether this process works beside them (a forked pool has one worker fewer)."""

    executor: ProcessPoolExecutor
    work: Callable[..., FileReport]
    workers: int
    parent_works: bool


@dataclass(frozen=True)
class Task:
    """One file to do: where it is, where it goes, and how reports name it."""

    source: str  # relative to SRC (may hold personal data: never reported)
    output: str  # relative to DST, names pseudonymized
    masked: str  # the source path with personal data masked, for reports
    scope_id: str  # date-shift scope
    supported: bool


def check_folders(src: Path, dst: Path, resume: bool = False) -> None:
    if not src.is_dir():
        raise UsageError(f"source folder not found: {src}")
    src_real, dst_real = src.resolve(), dst.resolve()
    if dst_real == src_real or src_real in dst_real.parents:
        raise UsageError("the output folder must not be the source folder or inside it")
    if not resume and dst.exists() and any(dst.iterdir()):
        raise UsageError(f"the output folder is not empty: {dst} (use --resume to finish "
                         "an interrupted run)")


def iter_files(src: Path) -> Iterator[Path]:
    """Regular files under `src`, sorted, without following links that leave `src`."""
    root = src.resolve()
    for folder, subfolders, files in os.walk(src):
        subfolders[:] = sorted(d for d in subfolders
                               if root in (Path(folder) / d).resolve().parents)
        for name in sorted(files):
            path = Path(folder) / name
            resolved = path.resolve()
            if resolved.is_file() and root in resolved.parents:
                yield path


def state_path(dst: Path) -> Path:
    """Beside DST, not inside it: which inputs a run has finished (hashes only)."""
    return dst.parent / f".{dst.name}.deident-state.jsonl"


def run_folder(deidentifier: Deidentifier, src: Path, dst: Path, *, workers: int = 1,
               resume: bool = False, shard: tuple[int, int] | None = None,
               progress: bool = False) -> FolderReport:
    check_folders(src, dst, resume)
    if shard is not None and not 0 <= shard[0] < shard[1]:
        raise UsageError("--shard I/N needs 0 <= I < N")
    report = FolderReport()
    with _Lock(dst):
        state = _State(state_path(dst), resume)
        if resume:
            _remove_temporaries(dst)
        files, total_bytes, suffixes = _measure(src, shard)
        workers = workers_for(workers, files, total_bytes)
        if workers > 1:  # loaded once here, shared by the forked workers
            deidentifier.prepare(suffixes)
        tasks = plan(deidentifier, src, shard)
        # The pool first: its workers fork before the progress bar starts a thread.
        with _pool(deidentifier, workers) as pool, _Progress(progress, files) as bar:
            for file_report in _execute(deidentifier, src, dst, tasks, workers, state, pool):
                report.files.append(file_report)
                state.record(file_report)
                bar.advance(file_report)
    report.files.sort(key=lambda f: f.source)
    return report


def plan(deidentifier: Deidentifier, src: Path, shard: tuple[int, int] | None
          ) -> Iterator[Task]:
    """Tasks in listing order; names pseudonymized here, in one process, so two files of a
    folder never get the same output path. Memory stays bounded: names are cached for the
    folders of the current path only, and outputs are checked against their siblings."""
    folders: dict[tuple[str, ...], tuple[str, str]] = {}  # folder parts -> output, masked
    siblings: set[str] = set()
    current: tuple[str, ...] | None = None
    for index, path in enumerate(iter_files(src)):
        if shard is not None and index % shard[1] != shard[0]:
            continue
        relative = path.relative_to(src)
        scope_id = folder_scope_id(deidentifier, relative)
        parent = relative.parts[:-1]
        if parent != current:  # os.walk gives a folder's files together
            current, siblings = parent, set()
            folders = {k: v for k, v in folders.items() if parent[:len(k)] == k}
        output_parts, masked_parts = [], []
        for depth in range(1, len(parent) + 1):
            if parent[:depth] not in folders:
                folders[parent[:depth]] = deidentifier.pseudonymize_name(parent[depth - 1])
            output, masked = folders[parent[:depth]]
            output_parts.append(output)
            masked_parts.append(masked)
        name, masked_name = deidentifier.pseudonymize_name(relative.name, scope_id)
        name = output_name(name)  # .xls, .ods -> .xlsx
        stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
        counter = 2
        while name in siblings:  # two names pseudonymized alike
            name = f"{stem}-{counter}{dot}{extension}"
            counter += 1
        siblings.add(name)
        yield Task(relative.as_posix(), "/".join([*output_parts, name]),
                   "/".join([*masked_parts, masked_name]), scope_id,
                   path.suffix.lower() in ADAPTERS)


def _execute(deidentifier: Deidentifier, src: Path, dst: Path, tasks: Iterable[Task],
             workers: int, state: _State, pool: _Pool | None = None) -> Iterator[FileReport]:
    """Reports as files finish; at most a few tasks per worker are queued at a time."""
    if workers <= 1:
        for task in tasks:
            resumed = state.resumed(task, src, dst)
            yield resumed if resumed is not None else process(deidentifier, src, dst, task)
        return
    with contextlib.ExitStack() as stack:
        if pool is None:
            pool = stack.enter_context(_pool(deidentifier, workers))
        # Enough queued to keep the pool's workers busy; past that, this process does
        # the next task itself when it works beside them.
        queued = pool.workers * _IN_FLIGHT_PER_WORKER
        in_flight: dict[Future, Task] = {}
        for task in tasks:
            resumed = state.resumed(task, src, dst)
            if resumed is not None:
                yield resumed
                continue
            if pool.parent_works and len(in_flight) >= queued:
                yield process(deidentifier, src, dst, task)
            else:
                in_flight[pool.executor.submit(pool.work, src, dst, task)] = task
            if pool.parent_works or len(in_flight) >= queued:
                yield from _finished(in_flight, block=not pool.parent_works)
        if pool.parent_works:  # what no worker has started yet is done here: no idle tail
            for future in [f for f in in_flight if f.cancel()]:
                yield process(deidentifier, src, dst, in_flight.pop(future))
        while in_flight:
            yield from _finished(in_flight, block=True)


def _finished(in_flight: dict[Future, Task], block: bool) -> Iterator[FileReport]:
    """The reports of the tasks done (at least one if `block`), taken out of `in_flight`."""
    if block:
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
    else:
        done = [future for future in in_flight if future.done()]
    for future in done:
        del in_flight[future]
        yield future.result()


def workers_for(workers: int, files: int, total_bytes: int) -> int:
    """No more workers than there is work: each needs a few files, and a small folder runs
    in this process (a worker costs more than it saves there)."""
    if total_bytes < SMALL_FOLDER_BYTES:
        return 1
    return max(1, min(workers, files // FILES_PER_WORKER))


@contextlib.contextmanager
def _pool(deidentifier: Deidentifier, workers: int) -> Iterator[_Pool | None]:
    """None for one worker (this process does the work); else a process pool whose
    workers already hold the loaded pipeline.

    Where the platform forks (Linux), `workers - 1` workers are forked from this process
    after the pipeline is loaded, and this process works beside them. They share its
    memory copy-on-write and start in milliseconds; a page that every process writes to
    (reference counts, caches) is copied once per process, so one process fewer keeps
    the whole run's memory close to a single worker's. `gc.freeze()` keeps the collector
    from touching (and so copying) the loaded objects. Elsewhere each spawned worker loads
    the pipeline once, and this process only hands out the tasks."""
    global _FORKED
    if workers <= 1:
        yield None
        return
    if "fork" in multiprocessing.get_all_start_methods():
        _FORKED = deidentifier
        gc.freeze()
        try:
            with ProcessPoolExecutor(workers - 1,
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                # With "fork", 3.11+ starts every worker at the first submit: do it now,
                # before any thread of ours (a progress bar) exists to be forked.
                pool.submit(os.getpid).result()
                yield _Pool(pool, _work_forked, workers - 1, parent_works=True)
        finally:
            _FORKED = None
            gc.unfreeze()
        return
    worker_args = (deidentifier._key, deidentifier.config, deidentifier.analyzer.model_name)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=worker_args) as pool:
        yield _Pool(pool, functools.partial(_work_spawned, *worker_args), workers,
                    parent_works=False)


def process(deidentifier: Deidentifier, src: Path, dst: Path, task: Task) -> FileReport:
    """One file: a report with masked paths and hashes; the output written or absent."""
    input_sha256 = file_sha256(src / task.source)
    if not task.supported:
        suffix = Path(task.source).suffix
        report = FileReport(source=task.masked, output=None, status="refused",
                            reason=f"unsupported file type '{suffix or '(none)'}'")
    else:
        report = deidentifier.pseudonymize_file(src / task.source, dst / task.output,
                                                scope_id=task.scope_id, name=task.source)
        report.source = task.masked
        if report.output is not None:
            report.output = task.output
            report.output_sha256 = file_sha256(dst / task.output)
    report.input_sha256 = input_sha256
    return report


def _work_forked(src: Path, dst: Path, task: Task) -> FileReport:
    assert _FORKED is not None, "a forked worker inherits the parent's Deidentifier"
    return process(_FORKED, src, dst, task)


def _start_worker(key: bytes, config: Config, model_name: str) -> None:
    """Once per spawned worker process: the pipeline is loaded here, then reused."""
    from deident.core import shared_deidentifier

    shared_deidentifier(key, config=config, model_name=model_name)


def _work_spawned(key: bytes, config: Config, model_name: str, src: Path, dst: Path, task: Task
                  ) -> FileReport:
    from deident.core import shared_deidentifier

    return process(shared_deidentifier(key, config=config, model_name=model_name), src, dst, task)


def folder_scope_id(deidentifier: Deidentifier, relative: Path) -> str:
    """A folder run's date-shift scope for the file at `relative` (inside SRC)."""
    if deidentifier.pseudonymizer.date_scope == "folder":
        return relative.parent.as_posix()
    return relative.as_posix()


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (outputs can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _measure(src: Path, shard: tuple[int, int] | None) -> tuple[int, int, set[str]]:
    """How many files the run will see (of this shard), their total size in bytes, and
    their suffixes (".pdf")."""
    files = total = 0
    suffixes: set[str] = set()
    for index, path in enumerate(iter_files(src)):
        if shard is None or index % shard[1] == shard[0]:
            files += 1
            total += path.stat().st_size
            suffixes.add(path.suffix.lower())
    return files, total, suffixes


def _remove_temporaries(dst: Path) -> None:
    """Temporary folders a killed run could not remove (never complete outputs)."""
    if dst.is_dir():
        for path in sorted(dst.rglob(f"{TEMPORARY_PREFIX}*"), reverse=True):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


class _Lock:
    """One run per DST: a lock file beside it holds the running process's id; a lock left
    by a dead process is taken over."""

    def __init__(self, dst: Path) -> None:
        self.path = dst.parent / f".{dst.name}.deident-lock"

    def __enter__(self) -> _Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                if _alive(self.path):
                    raise UsageError(f"another deident run is writing to this output folder "
                                     f"(lock: {self.path})") from None
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(fd, "w") as handle:
                handle.write(str(os.getpid()))
            return self
        raise UsageError(f"cannot take the lock {self.path}")

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text().strip())
        os.kill(pid, 0)
    except (ValueError, OSError):
        return False
    return True


# -- resume -------------------------------------------------------------------------------
class _State:
    """Finished files of earlier runs, keyed by a hash of the output path (pseudonymized,
    deterministic) and of the input's content: the state file names nobody."""

    def __init__(self, path: Path, resume: bool) -> None:
        self.path = path
        self.done: dict[str, dict] = {}
        if resume and path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by the interruption
                self.done[entry["key"]] = entry["report"]
        elif path.exists():
            path.unlink()

    @staticmethod
    def key(output: str, input_sha256: str) -> str:
        return hashlib.sha256(f"{output}\0{input_sha256}".encode()).hexdigest()

    def resumed(self, task: Task, src: Path, dst: Path) -> FileReport | None:
        """The report of an earlier run that did this file, if its output is still whole."""
        if not self.done or not task.supported:
            return None
        entry = self.done.get(self.key(task.output, file_sha256(src / task.source)))
        output = dst / task.output
        if entry is None or not output.is_file() or file_sha256(output) != entry["output_sha256"]:
            return None
        return FileReport(**entry)

    def record(self, report: FileReport) -> None:
        if report.status != "done" or report.output is None:
            return
        with self.path.open("a", encoding="utf-8") as handle:  # one line, flushed: a kill
            entry = {"key": self.key(report.output, report.input_sha256),  # loses one at most
                     "report": asdict(report)}
            handle.write(json.dumps(entry) + "\n")
            handle.flush()


# -- progress -----------------------------------------------------------------------------
class _Progress:
    """Files, pages and throughput on stderr; silent when asked or not on a terminal."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self.pages = 0
        self._bar = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(stderr=True)
            if console.is_terminal:
                self._bar = Progress(TextColumn("files"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[pages]} pages"),
                                     TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                                     TimeRemainingColumn(), console=console)
                self._bar.start()
                self._task = self._bar.add_task("files", total=self.total, pages=0, rate="")
        return self

    def advance(self, report: FileReport) -> None:
        self.pages += report.pages or 0
        if self._bar is not None:
            elapsed = self._bar.tasks[0].elapsed or 1e-9
            self._bar.update(self._task, advance=1, pages=self.pages,
                             rate=f"{self.pages / elapsed:.1f} pages/s")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

