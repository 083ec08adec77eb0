"""Nothing deident logs, raises or reports carries an original value."""

from __future__ import annotations

import logging

import pytest

from deident.core import FileReport

PLANTED = {
    "PERSON": ["Gwenaëlle", "KERBRAT", "Fournier-Lambert"],
    "FR_NIR": ["2 53 07 2B 073 001 23"],
    "PHONE": ["06 12 34 56 78"],
    "EMAIL": ["gwen.kerbrat@exemple-mail.fr"],
    "DATE": ["14/02/1948"],
    "ADDRESS": ["12 rue des Lilas"],
    "ZIP_CITY": ["29200 Brest"],
    "HOSPITAL_ID": ["8012345678"],
}
TEXT = (
    "Patiente : Mme Gwenaëlle KERBRAT, née le 14/02/1948, épouse Fournier-Lambert.\n"
    "NIR : 2 53 07 2B 073 001 23. IPP : 8012345678.\n"
    "Adresse : 12 rue des Lilas, 29200 Brest. Tél. 06 12 34 56 78, "
    "gwen.kerbrat@exemple-mail.fr\n"
)
VALUES = [v for values in PLANTED.values() for v in values]


def test_debug_logs_hold_no_original_value(deidentifier, caplog: pytest.LogCaptureFixture,
                                            capsys: pytest.CaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("presidio-analyzer", "presidio-anonymizer", "deident"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    result = deidentifier.pseudonymize_text(TEXT)
    captured = capsys.readouterr()
    everything = caplog.text + captured.out + captured.err + repr(result)
    everything += "".join(repr(e) for e in result.entities)
    for value in VALUES:
        assert value not in everything
        assert value not in result.text


def test_refusal_reason_holds_no_value(deidentifier, tmp_path) -> None:
    src = tmp_path / "broken.txt"
    src.write_bytes(TEXT.encode() + b"\x00binary")
    report: FileReport = deidentifier.pseudonymize_file(src, tmp_path / "out" / "broken.txt")
    assert report.status == "refused"
    assert not (tmp_path / "out" / "broken.txt").exists()
    for value in VALUES:
        assert value not in report.reason


def test_an_unexpected_error_fails_the_file_closed(deidentifier, tmp_path, monkeypatch) -> None:
    def broken(text: str):
        raise RuntimeError(f"bug while reading {text[:40]}")

    monkeypatch.setattr(deidentifier.analyzer, "analyze", broken)
    src = tmp_path / "lettre.txt"
    src.write_text(TEXT, encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "lettre.txt")
    assert report.status == "failed" and report.reason == "RuntimeError"
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir()), "no output, not even a temporary file"
