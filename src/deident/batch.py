"""Folder runs: mirror SRC into DST, pseudonymizing every supported file.

A file that cannot be made safe, or of a type deident does not know, is
reported and never copied.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from deident.core import FileReport, FolderReport
from deident.errors import DeidentError
from deident.formats import ADAPTERS

if TYPE_CHECKING:
    from deident.core import Deidentifier


class UsageError(DeidentError):
    """The command was asked something it must not do (e.g. DST inside SRC)."""


def check_folders(src: Path, dst: Path) -> None:
    if not src.is_dir():
        raise UsageError(f"source folder not found: {src}")
    src_real, dst_real = src.resolve(), dst.resolve()
    if dst_real == src_real or src_real in dst_real.parents:
        raise UsageError("the output folder must not be the source folder or inside it")
    if dst.exists() and any(dst.iterdir()):
        raise UsageError(f"the output folder is not empty: {dst}")


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


def run_folder(deidentifier: Deidentifier, src: Path, dst: Path) -> FolderReport:
    check_folders(src, dst)
    report = FolderReport()
    for path in iter_files(src):
        relative = path.relative_to(src)
        if path.suffix.lower() not in ADAPTERS:
            report.files.append(FileReport(
                source=relative.as_posix(), output=None, status="refused",
                reason=f"unsupported file type '{path.suffix or '(none)'}'",
            ))
            continue
        file_report = deidentifier.pseudonymize_file(
            path, dst / relative, scope_id=_scope_id(deidentifier, relative),
            name=relative.as_posix(),
        )
        file_report.source = relative.as_posix()
        if file_report.output is not None:
            file_report.output = relative.as_posix()
        report.files.append(file_report)
    return report


def _scope_id(deidentifier: Deidentifier, relative: Path) -> str:
    if deidentifier.pseudonymizer.date_scope == "folder":
        return relative.parent.as_posix()
    return relative.as_posix()
