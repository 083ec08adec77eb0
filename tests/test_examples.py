"""The examples run as written (the Python and shell ones; Spark and Slurm need a cluster)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _env(key_file: Path) -> dict[str, str]:
    return {**os.environ, "DEIDENT_KEY_FILE": str(key_file),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def test_research_script(key_file: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "research_script.py"),
                           str(tmp_path / "out")], capture_output=True, text=True,
                          env=_env(key_file))
    assert done.returncode == 0, done.stderr
    assert "KERBRAT" not in done.stdout and (tmp_path / "out" / "all" / "consultation.docx").exists()


def test_batch_script(key_file: Path, tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(ROOT / "examples" / "batch.sh"), str(tmp_path / "out")],
                          capture_output=True, text=True, env=_env(key_file))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out-report.json").exists() and (tmp_path / "out" / "courrier.pdf").exists()


def test_the_example_pre_commit_config_is_valid() -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    subprocess.run([str(pre_commit), "validate-config", str(ROOT / "examples" / ".pre-commit-config.yaml")],
                   check=True, capture_output=True)


def test_spark_job(key_file: Path, tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "spark_job.py"),
                           str(ROOT / "examples" / "documents"), str(tmp_path / "out")],
                          capture_output=True, text=True, env=_env(key_file))
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "courrier.pdf").exists() and (tmp_path / "out-report.parquet").exists()


def test_slurm_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(ROOT / "examples" / "slurm_array.sh")], check=True)
