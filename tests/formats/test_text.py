"""Plain-text adapter: encodings and line endings survive the round trip."""

from __future__ import annotations

import pytest

from deident.formats import text

SAMPLE = "Compte rendu\r\nM. Jean DUPONT, né le 12/03/1961 à Quimper.\r\nÉvolution favorable.\r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8-sig", b""), ("cp1252", b""), ("latin-1", b"")],
)
def test_detect_and_round_trip(encoding: str, prefix: bytes) -> None:
    data = SAMPLE.encode(encoding)
    decoded, detected = text.decode(data)
    assert decoded == SAMPLE
    assert text.encode(decoded, detected) == data


def test_cp1252_specific_characters() -> None:
    data = "Œdème – « patient »".encode("cp1252")
    assert text.detect_encoding(data) == "cp1252"


def test_file_keeps_encoding_and_crlf(deidentifier, tmp_path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(SAMPLE.encode("cp1252"))
    dst = tmp_path / "out" / "in.txt"
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    data = dst.read_bytes()
    out = data.decode("cp1252")
    assert data.count(b"\r\n") == 3 and b"\n" not in data.replace(b"\r\n", b"")
    assert "DUPONT" not in out and "Quimper" not in out and "12/03/1961" not in out
    assert "Évolution favorable." in out


def test_utf8_bom_is_kept(deidentifier, tmp_path) -> None:
    src = tmp_path / "bom.txt"
    src.write_bytes(b"\xef\xbb\xbf" + b"Mme Claire LEROY est sortie.\n")
    dst = tmp_path / "bom-out.txt"
    deidentifier.pseudonymize_file(src, dst)
    assert dst.read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"LEROY" not in dst.read_bytes()


def test_binary_is_refused() -> None:
    with pytest.raises(text.RefusedError):
        text.decode(b"abc\x00def")
