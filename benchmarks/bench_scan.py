"""Wall time of `deident scan` as a pre-commit hook runs it (a new process: model loading
included) on 20 small files, default and --fast. Appends its section to RESULTS.md.

    python benchmarks/bench_scan.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import write_section

ROOT = Path(__file__).resolve().parents[1]
TITLE = "## deident scan (pre-commit hook)"


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="deident-bench-scan-"))
    try:
        for path in sorted((ROOT / "evaluation" / "corpus" / "dev").glob("doc_*.txt"))[:20]:
            shutil.copy(path, folder / path.name)
        key = folder / "bench.key"
        key.write_bytes(b"benchmark-key-not-a-secret-000000")
        key.chmod(0o600)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))
        times = {}
        for mode in ("default", "fast"):
            best = None
            for _ in range(3):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "deident.cli", "scan", str(folder),
                                       "--key-file", str(key), *(["--fast"] if mode == "fast" else [])],
                                      capture_output=True, text=True)
                elapsed = time.perf_counter() - started
                assert done.returncode == 1, done.stderr  # these files hold personal data
                best = elapsed if best is None else min(best, elapsed)
            times[mode] = (best, len(done.stdout.splitlines()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    lines = [TITLE, "",
             f"20 small text files ({chars:,} characters, dev split), one `deident scan` "
             "process each time as a hook runs it (interpreter start and model loading "
             "included), best of 3. Produced by `benchmarks/bench_scan.py` (`make bench`).", "",
             "| mode | wall time (s) | findings |", "|---|---:|---:|"]
    lines += [f"| {mode} | {seconds:.2f} | {count} |" for mode, (seconds, count) in times.items()]
    section = "\n".join(lines) + "\n"
    write_section(TITLE, section)
    print(section)


if __name__ == "__main__":
    main()
