"""The command line, run as a user would: a real subprocess with the real model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DEIDENT = [sys.executable, "-m", "deident.cli"]
LETTER = "Mme Claire LEROY, née le 04/05/1962, tél. 06 12 34 56 78.\nTraitement : Kardégic 75 mg.\n"


def run(args: list[str], key_file: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([*DEIDENT, *args, "--key-file", str(key_file)], input=stdin,
                          capture_output=True, check=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("export")
    (src / "cardio").mkdir()
    (src / "cardio" / "lettre.txt").write_text(LETTER, encoding="utf-8")
    (src / "note.txt").write_text("Vu M. Paul MARTIN ce jour.\n", encoding="utf-8")
    (src / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a text")
    return src


def test_stdin_to_stdout(key_file) -> None:
    done = run(["pseudonymize", "-", "-"], key_file, LETTER.encode())
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert "LEROY" not in out and "06 12 34 56 78" not in out and "04/05/1962" not in out
    assert "Kardégic 75 mg" in out


def test_folder_is_mirrored_and_unknown_types_refused(tree, key_file, tmp_path) -> None:
    dst = tmp_path / "out"
    report = tmp_path / "report.json"
    done = run(["pseudonymize", str(tree), str(dst), "--report", str(report)], key_file)
    assert done.returncode == 1, "a refused file makes the run exit 1"
    assert sorted(p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_file()) == [
        "cardio/lettre.txt", "note.txt"]
    assert not (dst / "scan.jpg").exists()
    data = json.loads(report.read_text())
    statuses = {f["source"]: f["status"] for f in data["files"]}
    assert statuses == {"cardio/lettre.txt": "done", "note.txt": "done", "scan.jpg": "refused"}
    assert data["totals"]["entities"]["PERSON"] >= 2
    for secret in ("LEROY", "MARTIN", "06 12 34 56 78"):
        assert secret not in report.read_text()
        assert secret not in done.stderr.decode()
        assert secret not in (dst / "cardio" / "lettre.txt").read_text() + (dst / "note.txt").read_text()


def test_single_file(tree, key_file, tmp_path) -> None:
    dst = tmp_path / "one.txt"
    done = run(["pseudonymize", str(tree / "note.txt"), str(dst)], key_file)
    assert done.returncode == 0, done.stderr.decode()
    assert "MARTIN" not in dst.read_text()


@pytest.mark.parametrize("where", ["inside", "same", "nonempty"])
def test_usage_errors_exit_2(tree, key_file, tmp_path, where) -> None:
    dst = {"inside": tree / "out", "same": tree, "nonempty": tree / "cardio"}[where]
    done = run(["pseudonymize", str(tree), str(dst)], key_file)
    assert done.returncode == 2
    assert not (tree / "out").exists()


def test_keygen(tmp_path) -> None:
    path = tmp_path / "k"
    done = subprocess.run([*DEIDENT, "keygen", str(path)], capture_output=True, check=False)
    assert done.returncode == 0 and path.stat().st_mode & 0o077 == 0
    again = subprocess.run([*DEIDENT, "keygen", str(path)], capture_output=True, check=False)
    assert again.returncode == 2


def test_the_key_never_leaves_its_file(tree, key_file, tmp_path) -> None:
    dst = tmp_path / "out-key"
    report = tmp_path / "r.json"
    done = run(["pseudonymize", str(tree), str(dst), "--report", str(report)], key_file)
    key = key_file.read_bytes().strip()
    for blob in [done.stdout, done.stderr, report.read_bytes(),
                 *(p.read_bytes() for p in dst.rglob("*") if p.is_file())]:
        assert key not in blob
