from __future__ import annotations

import stat

import pytest

from deident.errors import KeyFileError
from deident.keys import default_key_path, generate_key, resolve_key


def test_default_key_is_created_once_with_mode_0600(capsys) -> None:
    first = resolve_key()
    path = default_key_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "created a new key" in capsys.readouterr().err
    assert resolve_key() == first
    assert capsys.readouterr().err == ""


def test_env_variable_and_explicit_file(tmp_path, monkeypatch) -> None:
    a, b = generate_key(tmp_path / "a.key"), generate_key(tmp_path / "b.key")
    monkeypatch.setenv("DEIDENT_KEY_FILE", str(a))
    assert resolve_key() == a.read_bytes().strip()
    assert resolve_key(b) == b.read_bytes().strip()


def test_keygen_never_overwrites(tmp_path) -> None:
    path = generate_key(tmp_path / "k")
    with pytest.raises(KeyFileError):
        generate_key(path)


def test_missing_or_short_key_is_an_error(tmp_path) -> None:
    with pytest.raises(KeyFileError):
        resolve_key(tmp_path / "missing")
    short = tmp_path / "short"
    short.write_text("abc")
    with pytest.raises(KeyFileError):
        resolve_key(short)


def test_world_readable_key_warns(tmp_path, capsys) -> None:
    path = generate_key(tmp_path / "k")
    path.chmod(0o644)
    resolve_key(path)
    assert "readable by other users" in capsys.readouterr().err
