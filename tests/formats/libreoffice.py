"""LibreOffice headless for tests: found or required (CI sets DEIDENT_REQUIRE_LIBREOFFICE), and
one conversion with a private profile."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from deident.formats.converted import soffice


def require_soffice() -> str:
    """The soffice binary; a failure when CI requires it, else a skip."""
    binary = soffice()
    if binary is None:
        if os.environ.get("DEIDENT_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice is required here (CI installs libreoffice-*-nogui)")
        pytest.skip("LibreOffice not installed (CI installs libreoffice-*-nogui)")
    return binary


def convert(path: Path, target: str, out_dir: Path) -> Path:
    """`path` converted by LibreOffice to `target` ("pdf", "csv", "txt:Text"...) in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([require_soffice(), f"-env:UserInstallation=file://{out_dir}/profile",
                    "--headless", "--convert-to", target, "--outdir", str(out_dir), str(path)],
                   check=True, capture_output=True, timeout=180)
    return out_dir / f"{path.stem}.{target.split(':')[0]}"
