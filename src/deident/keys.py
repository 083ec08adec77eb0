"""The project's secret key: where it lives, how it is created, how it is read.

Every surrogate is derived from this key (HMAC-SHA256), so whoever holds it can
re-derive the mapping; it therefore never goes into outputs, reports or logs.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path

from deident.errors import KeyFileError

KEY_ENV = "DEIDENT_KEY_FILE"
KEY_BYTES = 32


def default_key_path() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "deident" / "key"


def generate_key(path: Path) -> Path:
    """Write a new random key to `path` (mode 0600); never overwrite an existing key."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"key file already exists, not overwritten: {path}") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    return path


def read_key(path: Path) -> bytes:
    path = Path(path)
    try:
        mode = path.stat().st_mode
        raw = path.read_bytes().strip()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        print(
            f"deident: warning: key file {path} is readable by other users; "
            "run: chmod 600 on it",
            file=sys.stderr,
        )
    if len(raw) < 16:
        raise KeyFileError(f"key file {path} is too short (at least 16 bytes expected)")
    return raw


def resolve_key(key_file: str | Path | None = None) -> bytes:
    """The key from `key_file`, else $DEIDENT_KEY_FILE, else the user's default key.

    The default key is created on first use, with a one-line notice on stderr.
    """
    if key_file is not None:
        return read_key(Path(key_file))
    env_path = os.environ.get(KEY_ENV)
    if env_path:
        return read_key(Path(env_path))
    path = default_key_path()
    if not path.exists():
        generate_key(path)
        print(f"deident: created a new key at {path} (keep it apart from shared files)",
              file=sys.stderr)
    return read_key(path)
