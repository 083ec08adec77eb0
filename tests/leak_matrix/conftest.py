"""Prints the leak matrix's size and result after the run and writes build/leak-matrix.json."""

from __future__ import annotations

from pathlib import Path

import pytest

from .matrix_run import RESULTS, summary_lines, write_summary


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if not RESULTS:
        return
    summary = write_summary(RESULTS, Path(config.rootpath) / "build" / "leak-matrix.json")
    terminalreporter.section("leak matrix (issue 14)")
    for line in summary_lines(summary):
        terminalreporter.write_line(line)
    terminalreporter.write_line("details: build/leak-matrix.json")
