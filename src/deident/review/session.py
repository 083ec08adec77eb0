"""What a reviewer works on: the documents of a folder run (SRC pseudonymized into DST),
each with its replacements and its suspects, the decisions taken, and the sign-off.

Everything the review keeps goes to one file beside DST, `DST-review.json`, which holds
types, fingerprints (keyed, see deident.fingerprints), positions, output hashes and
approvals: never a value. Decisions that change detection go where detection reads them,
the project's configuration ([deny] and [allow] terms of deident.toml).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import regex
import tomlkit

from deident import __version__
from deident.batch import Task, file_sha256, plan
from deident.config import find_config_file, load_config
from deident.core import Deidentifier
from deident.correspondence import replaced_spans
from deident.entities import Entity
from deident.errors import DeidentError
from deident.fingerprints import fingerprint
from deident.formats import adapter_for
from deident.normalize import digits_only, fold

# Permissive second pass: what may be personal data and was left as is.
_CAPITALISED = regex.compile(r"\b\p{Lu}[\p{Ll}\p{Lu}'’\-]{2,}\b")
_DIGIT_RUN = regex.compile(r"(?<![\w])\d(?:[ .\-/]?\d){4,}(?![\w])")
_AFTER_CUE = regex.compile(
    r"(?i:\b(?:m|mr|mme|mlle|dr|pr|monsieur|madame|docteur|professeur)\.?|né(?:e)?\s+le|"
    r"tél(?:\.|éphone)?\s*:?|nom\s*:|prénom\s*:)\s+(\S+(?:\s+\S+)?)")
RISK = {"after-cue": 3, "digits": 2, "capitalised": 1}
_TITLES = frozenset({"m", "mr", "mme", "mlle", "dr", "pr", "monsieur", "madame", "docteur",
                     "professeur"})


@dataclass(frozen=True)
class Replacement:
    start: int  # in the document's joined text
    end: int
    type: str
    score: float
    source: str  # the entity's hint: "", "known", "propagated", "remnant"...
    pseudonym: str


@dataclass(frozen=True)
class Suspect:
    start: int
    end: int
    kind: str  # "after-cue", "digits", "capitalised"

    @property
    def risk(self) -> int:
        return RISK[self.kind]


@dataclass
class View:
    """One document as the review page shows it."""

    original: str
    pseudonymized: str
    replacements: list[Replacement]
    suspects: list[Suspect]
    error: str = ""


@dataclass
class ReviewDocument:
    index: int
    task: Task
    status: str  # done | refused | missing
    reason: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    suspects: int = 0
    approved: bool = False


class ReviewSession:
    def __init__(self, deidentifier: Deidentifier, src: Path, dst: Path,
                 config_file: Path | None = None) -> None:
        """`config_file`: where decisions go (default: the nearest deident.toml or
        pyproject.toml [tool.deident] up from the working directory, else ./deident.toml)."""
        self.deidentifier, self.src, self.dst = deidentifier, src, dst
        self._config_file = config_file
        self.path = review_path(dst)
        self.state = _load_state(self.path)
        reports = _folder_report(dst)
        self.documents = []
        for index, task in enumerate(plan(deidentifier, src, None)):
            report = reports.get(task.masked, {})
            status = report.get("status") or ("done" if (dst / task.output).exists() else "missing")
            self.documents.append(ReviewDocument(
                index, task, status, report.get("reason", ""), report.get("entities", {}),
                approved=self.state["approved"].get(task.output, False)))
        self._views: dict[int, View] = {}

    # -- views ---------------------------------------------------------------------------
    def view(self, index: int) -> View:
        if index not in self._views:
            view = self._compute(self.documents[index])
            self._views[index] = view
            document = self.documents[index]
            document.suspects = len(view.suspects)
            if not view.error:  # what this run replaces now (decisions may have changed it)
                document.counts = dict(sorted(Counter(r.type for r in view.replacements).items()))
        return self._views[index]

    def _compute(self, document: ReviewDocument) -> View:
        task, d = document.task, self.deidentifier
        path = self.src / task.source
        try:
            source = adapter_for(path).read(
                path, d.document_scope(path, task.source, task.scope_id), embedded=d.embedded,
                images=d.images)
        except DeidentError as exc:
            return View("", "", [], [], error=str(exc))
        edits, entities, _ = d.pseudonymize_document(source, task.source)
        joined = source.joined()[0]
        replacements = [  # in joined-text coordinates, with the entity each replaced
            Replacement(offset + start, offset + end, e.type if e else "?",
                        e.score if e else 0.0, e.hint if e else "", pseudonym)
            for _, offset, start, end, pseudonym, e in replaced_spans(source, edits, entities)]
        output = self.dst / task.output
        try:
            delivered = adapter_for(output).read(output, "review").joined()[0] \
                if output.exists() else ""
        except DeidentError:
            delivered = ""
        return View(joined, delivered, replacements, suspects(joined, entities, d))

    def count_suspects(self) -> None:
        for document in self.documents:
            if document.status == "done":
                self.view(document.index)

    # -- decisions -------------------------------------------------------------------------
    def decide(self, index: int, kind: str, start: int, end: int) -> None:
        """`kind` "replace" (a suspect: its text goes to [deny] terms) or "keep" (a
        replacement: its text goes to [allow] terms); then the document is done again."""
        view = self.view(index)
        value = view.original[start:end].strip()
        if not value or kind not in ("replace", "keep"):
            raise ValueError("nothing to decide")
        entity_type = next((r.type for r in view.replacements
                            if r.start == start and r.end == end), "SUSPECT")
        add_term(self.config_file(), "deny" if kind == "replace" else "allow", value)
        task = self.documents[index].task
        self.state["decisions"].append({
            "document": task.output, "kind": kind, "type": entity_type,
            "fingerprint": fingerprint(self.deidentifier._key, entity_type, value),
            "start": start, "end": end})
        self.state["approved"][task.output] = False
        self.rerun(index)

    def config_file(self) -> Path:
        return self._config_file or find_config_file(Path.cwd()) or Path.cwd() / "deident.toml"

    def rerun(self, index: int) -> None:
        """The document done again with the configuration as it now stands."""
        config = load_config(path=self.config_file())
        self.deidentifier = self.deidentifier.with_config(config)
        document = self.documents[index]
        task = document.task
        report = self.deidentifier.pseudonymize_file(
            self.src / task.source, self.dst / task.output, scope_id=task.scope_id,
            name=task.source)
        document.status, document.reason = report.status, report.reason
        document.counts, document.approved = report.entities, False
        self._views.pop(index, None)
        self.save()

    def approve(self, index: int | None = None) -> None:
        for document in self.documents if index is None else [self.documents[index]]:
            if document.status == "done":
                document.approved = True
                self.state["approved"][document.task.output] = True
        self.save()

    # -- sign-off ------------------------------------------------------------------------
    def sign_off(self, reviewer: str) -> dict:
        self.state["signoff"] = {
            "reviewer": reviewer.strip(),
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "deident_version": __version__,
            "configuration_sha256": _config_digest(self.deidentifier),
            "outputs": {d.task.output: file_sha256(self.dst / d.task.output)
                        for d in self.documents if (self.dst / d.task.output).exists()},
            "approved": sorted(d.task.output for d in self.documents if d.approved),
            "unapproved": sorted(d.task.output for d in self.documents
                                 if d.status == "done" and not d.approved),
            "refused": len([d for d in self.documents if d.status != "done"]),
        }
        self.save()
        return self.state["signoff"]

    def save(self) -> None:
        _write_private(self.path, json.dumps(self.state, indent=2, ensure_ascii=False) + "\n")


# -- pieces ---------------------------------------------------------------------------------
def review_path(dst: Path) -> Path:
    return dst.parent / f"{dst.name}-review.json"


def check(dst: Path) -> list[str]:
    """Why the folder is not signed off as it stands (empty: it is)."""
    state = _load_state(review_path(dst))
    signoff = state.get("signoff")
    if not signoff:
        return ["no sign-off"]
    problems = []
    recorded = signoff.get("outputs", {})
    present = {p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_file()} \
        if dst.is_dir() else set()
    for name in sorted(present - set(recorded)):
        problems.append(f"not reviewed: {name}")
    for name, digest in sorted(recorded.items()):
        if name not in present:
            problems.append(f"missing since sign-off: {name}")
        elif file_sha256(dst / name) != digest:
            problems.append(f"changed since sign-off: {name}")
    for name in signoff.get("unapproved", []):
        problems.append(f"not approved: {name}")
    return problems


def suspects(text: str, entities: list[Entity], deidentifier: Deidentifier) -> list[Suspect]:
    """What a permissive pass finds outside the replaced spans, riskiest first."""
    covered = sorted((e.start, e.end) for e in entities)
    protected = deidentifier.analyzer.protected_spans(text)
    dictionary = deidentifier.analyzer.nlp_engine.dictionary

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in covered) and \
            not protected.contains(start, end)

    found: dict[tuple[int, int], Suspect] = {}
    for match in _AFTER_CUE.finditer(text):
        start, end = match.span(1)
        if free(start, end):
            found.setdefault((start, end), Suspect(start, end, "after-cue"))
    for match in _DIGIT_RUN.finditer(text):
        if len(digits_only(match.group())) >= 5 and free(*match.span()):
            found.setdefault(match.span(), Suspect(*match.span(), "digits"))
    lexicons = deidentifier.analyzer.lexicons
    for match in _CAPITALISED.finditer(text):
        word, start = match.group(), match.start()
        before = text[max(0, start - 3):start].rstrip(" \t")
        sentence_start = not before or before[-1] in ".!?:\n-–(•"
        if sentence_start or word in dictionary or lexicons.is_not_a_name(word) \
                or fold(word).rstrip(".") in _TITLES:
            continue
        if free(*match.span()):
            found.setdefault(match.span(), Suspect(*match.span(), "capitalised"))
    return sorted(found.values(), key=lambda s: (-s.risk, s.start))


def add_term(config_file: Path, section: str, value: str) -> None:
    """`value` into `[section] terms` of the configuration file, kept as written."""
    document = tomlkit.parse(config_file.read_text(encoding="utf-8")) \
        if config_file.exists() else tomlkit.document()
    root = document
    if config_file.name == "pyproject.toml":  # [tool.deident]
        root = document.setdefault("tool", tomlkit.table()).setdefault("deident", tomlkit.table())
    table = root.get(section)
    if table is None:
        table = tomlkit.table()
        root[section] = table
    terms = table.get("terms")
    if terms is None:
        terms = tomlkit.array()
        table["terms"] = terms
    if value not in terms:
        terms.append(value)
    config_file.write_text(tomlkit.dumps(document), encoding="utf-8")


def _folder_report(dst: Path) -> dict[str, dict]:
    path = dst.parent / f"{dst.name}-report.json"
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return {}
    return {f["source"]: f for f in files}


def _load_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    state.setdefault("approved", {})
    state.setdefault("decisions", [])
    return state


def _write_private(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _config_digest(deidentifier: Deidentifier) -> str:
    from deident.cli import config_rows  # the rows `deident config show` prints

    rows = "\n".join(f"{key}={value}" for key, value, _ in config_rows(deidentifier.config))
    return hashlib.sha256(rows.encode("utf-8")).hexdigest()


