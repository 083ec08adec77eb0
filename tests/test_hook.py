"""`deident scan`: exit codes through main(argv), values never printed, baselines, and the
real pre-commit client refusing then accepting commits."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pdf_traps
import pytest

from deident.hook import EXIT_BASELINE, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, main

NIR = "2 58 07 75 112 048 79"
NAME = "VERDELET"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan")
    (folder / "clean.txt").write_text("Maladie de Parkinson, Lévodopa 100 mg.\n", encoding="utf-8")
    (folder / "patients.csv").write_text(f"nom;nir\nMme Josiane {NAME};{NIR}\n", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph(f"Patiente : Mme Josiane {NAME}, NIR {NIR}.")
    document.save(str(folder / "cr.docx"))
    pdf_traps.build_encrypted(folder / "locked.pdf")
    return folder


def scan(*args: str, key_file: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = run_scan_args([*args, "--key-file", str(key_file)], out)
    return code, out.getvalue()


def run_scan_args(argv: list[str], out: io.StringIO) -> int:
    import contextlib

    with contextlib.redirect_stdout(out):
        return main(argv)


def test_clean_findings_unreadable_and_usage(files: Path, key_file: Path) -> None:
    assert scan(str(files / "clean.txt"), key_file=key_file) == (EXIT_CLEAN, "")
    code, output = scan(str(files / "cr.docx"), str(files / "patients.csv"), key_file=key_file)
    assert code == EXIT_FINDINGS
    assert "cr.docx:word/document.xml:p0: PERSON" in output and "FR_NIR" in output
    assert "patients.csv:A2: PERSON" in output and "patients.csv:B2: FR_NIR" in output  # cells
    assert NAME not in output and NIR not in output and "Josiane" not in output
    code, output = scan(str(files / "locked.pdf"), key_file=key_file)
    assert code == EXIT_FINDINGS and "cannot be checked: encrypted PDF" in output
    assert scan(str(files / "missing.txt"), key_file=key_file)[0] == EXIT_USAGE
    assert scan(str(files / "clean.txt"), "--format", "xml", key_file=key_file)[0] == EXIT_USAGE
    assert main(["--no-such-flag"]) == EXIT_USAGE


def test_fingerprints_are_keyed_and_values_shown_only_on_request(files: Path, key_file: Path,
                                                                tmp_path: Path) -> None:
    code, shown = scan(str(files / "cr.docx"), "--show-values", key_file=key_file)
    assert code == EXIT_FINDINGS and NAME in shown
    other_key = tmp_path / "other.key"
    other_key.write_bytes(b"another-project-key-0123456789abcdef")
    other_key.chmod(0o600)
    first = scan(str(files / "cr.docx"), key_file=key_file)[1].split()
    second = scan(str(files / "cr.docx"), key_file=other_key)[1].split()
    assert first != second and len(first) == len(second)  # same findings, other fingerprints


def test_baseline_accepts_known_findings(files: Path, key_file: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    target = str(files / "cr.docx")
    assert scan(target, "--update-baseline", "--baseline", str(baseline),
                key_file=key_file)[0] == EXIT_BASELINE
    assert NAME not in baseline.read_text() and NIR not in baseline.read_text()
    assert scan(target, "--baseline", str(baseline), key_file=key_file) == (EXIT_CLEAN, "")


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_machine_formats(files: Path, key_file: Path, output_format: str) -> None:
    code, output = scan(str(files / "cr.docx"), "--format", output_format, key_file=key_file)
    data = json.loads(output)
    assert code == EXIT_FINDINGS and NAME not in output
    if output_format == "sarif":
        assert data["version"] == "2.1.0" and data["runs"][0]["results"]
    else:
        assert {f["type"] for f in data["findings"]} >= {"PERSON", "FR_NIR"}


def test_the_manifest_is_valid() -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    subprocess.run([pre_commit, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
                   check=True, capture_output=True)


def test_the_pre_commit_client_blocks_then_accepts(files: Path, key_file: Path,
                                                   tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    repo = tmp_path / "data-repo"
    repo.mkdir()

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)

    git("init", "-q")
    git("config", "user.email", "dev@example.invalid")
    git("config", "user.name", "dev")
    entry = f"{sys.executable} -m deident.cli scan --key-file {key_file}"
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n- repo: local\n  hooks:\n  - id: deident-scan\n    name: deident scan\n"
        f"    entry: {entry}\n    language: system\n"
        "    files: \\.(pdf|docx|txt|csv|tsv|json|md)$\n"
        "    exclude: ^\\.deident-baseline\\.json$\n    require_serial: true\n")
    subprocess.run([pre_commit, "install"], cwd=repo, check=True, capture_output=True)
    git("add", ".pre-commit-config.yaml")
    assert git("commit", "-q", "-m", "config").returncode == 0
    shutil.copy(files / "cr.docx", repo / "cr.docx")
    git("add", "cr.docx")
    refused = git("commit", "-m", "add a letter")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "cr.docx" in output and "PERSON" in output
    assert NAME not in output and NIR not in output
    git("reset", "-q", "cr.docx")
    shutil.copy(files / "clean.txt", repo / "clean.txt")
    git("add", "clean.txt")
    assert git("commit", "-q", "-m", "a clean note").returncode == 0
    subprocess.run([sys.executable, "-m", "deident.cli", "scan", "cr.docx", "--update-baseline",
                    "--key-file", str(key_file)], cwd=repo, capture_output=True)
    git("add", "cr.docx", ".deident-baseline.json")
    accepted = git("commit", "-q", "-m", "the letter, its findings accepted")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
