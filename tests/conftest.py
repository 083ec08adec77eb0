"""Shared fixtures: one Deidentifier (spaCy pipeline loaded once) for the whole session."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from deident import Deidentifier

CASES_DIR = Path(__file__).parent / "cases"
# The file builders (docx_traps, pdf_traps) serve tests outside tests/formats too.
sys.path.insert(0, str(Path(__file__).parent / "formats"))
TEST_KEY = b"deident-test-key-not-secret-0123456789abcdef"


def load_cases(name: str) -> list[dict]:
    with (CASES_DIR / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def deidentifier() -> Deidentifier:
    return Deidentifier(key=TEST_KEY)


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "project.key"
    path.write_bytes(TEST_KEY)
    path.chmod(0o600)
    return path


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or create the developer's real key."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DEIDENT_KEY_FILE", raising=False)
