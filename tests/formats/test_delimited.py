"""CSV/TSV: every encoding, delimiter and line ending comes back as it was, byte for byte,
outside the replaced cells; typed columns are replaced with no context."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from deident import Deidentifier
from deident.config import Config
from deident.formats import delimited
from deident.formats.text import decode
from deident.normalize import fold

HEADER = ["Nom", "Prénom", "DDN", "Commentaire", "Code"]
ROWS = [
    ["Petit", "Amandine", "02/04/1961", 'vu le 03/05/2020 par le Dr Vautrin, "stable"', "Z-1"],
    ["Rouxel", "Gaspard", "23/11/1975", "RAS\nà revoir", "Z-2"],
    ["Blanc", "Rosalie", "14/06/1988", "prévenir Mme Rouxel", "Z-3"],
]
TYPED = {0, 1, 2}  # Nom, Prénom, DDN


def _field(value: str, delimiter: str, always_quote: bool) -> str:
    if always_quote or any(c in value for c in (delimiter, '"', "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv(delimiter: str, newline: str, quote_all: bool, extra: str = "") -> str:
    rows = [HEADER, *ROWS]
    if extra:
        rows[1] = [*rows[1][:3], rows[1][3] + extra, rows[1][4]]
    return "".join(delimiter.join(_field(v, delimiter, quote_all and i == 3)
                                  for i, v in enumerate(row)) + newline for row in rows)


ENCODINGS = {"utf-8": "", "utf-8-sig": "", "cp1252": " (5 €)", "latin-1": " \x8d"}


@pytest.mark.parametrize(("encoding", "delimiter", "newline"), list(itertools.product(
    ENCODINGS, [",", ";", "\t", "|"], ["\r\n", "\n"])))
def test_round_trip_is_byte_identical_outside_replaced_cells(
        deidentifier: Deidentifier, tmp_path: Path, encoding: str, delimiter: str,
        newline: str) -> None:
    text = _csv(delimiter, newline, quote_all=delimiter == ";", extra=ENCODINGS[encoding])
    src, dst = tmp_path / "export.csv", tmp_path / "out" / "export.csv"
    src.write_bytes(text.encode(encoding))
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    data = dst.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    out, detected = decode(data)
    assert detected == decode(src.read_bytes())[1]
    before = list(delimited.parse(text, delimiter))
    after = list(delimited.parse(out, delimiter))
    assert [len(r) for r in after] == [len(r) for r in before] == [5] * 4
    # what lies between fields (delimiters, line endings) is the same, character for character
    assert _between(out, after) == _between(text, before)
    assert [f.value for f in after[0]] == HEADER  # the header is kept
    for row_before, row_after in zip(before[1:], after[1:], strict=True):
        for index, (old, new) in enumerate(zip(row_before, row_after, strict=True)):
            raw_old, raw_new = text[old.start:old.end], out[new.start:new.end]
            if index in TYPED:
                assert new.value != old.value and new.value.strip()
            elif index == 4:
                assert raw_new == raw_old  # no personal data: untouched
            assert raw_new.startswith('"') == raw_old.startswith('"')  # quoting kept
    for name in ("Petit", "Rouxel", "Blanc", "Amandine", "Gaspard", "Rosalie", "Vautrin"):
        assert name not in out


def _between(text: str, rows: list[list[delimited.Field]]) -> list[str]:
    fields = [f for row in rows for f in row]
    return [text[a.end:b.start] for a, b in itertools.pairwise(fields)] + [text[fields[-1].end:]]


def test_typed_columns_need_no_context_and_first_names_stay_first_names(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, dst = tmp_path / "liste.csv", tmp_path / "out.csv"
    src.write_text("nom,prénom,ddn\nPetit,Blanche,01/02/1990\nMarchand,Rose,03/02/1990\n",
                   encoding="utf-8")
    assert deidentifier.pseudonymize_file(src, dst).status == "done"
    rows = [r.split(",") for r in dst.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == ["nom", "prénom", "ddn"]
    assert rows[1][0] != "Petit" and rows[2][0] != "Marchand"  # common words, still surnames
    first_names = deidentifier.pseudonymizer.lexicons.first_names
    assert all(fold(r[1]) in first_names for r in rows[1:])
    assert rows[1][1] not in ("Blanche", "Rose") and rows[2][1] not in ("Blanche", "Rose")
    # one document, one date offset: the interval between the two dates is kept
    assert rows[1][2] != "01/02/1990"
    from datetime import datetime
    days = [datetime.strptime(r[2], "%d/%m/%Y") for r in rows[1:]]
    assert (days[1] - days[0]).days == 2


def test_typed_cells_never_reach_the_analyzer(deidentifier: Deidentifier, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    analyzed: list[str] = []
    original = deidentifier.analyzer.analyze_many

    def spy(texts):
        texts = list(texts)
        analyzed.extend(texts)
        return original(texts)

    monkeypatch.setattr(deidentifier.analyzer, "analyze_many", spy)
    src, dst = tmp_path / "t.csv", tmp_path / "o.csv"
    src.write_text("Nom;Commentaire\nQuesnel;RAS\nTardieu;appeler M. Quesnel\n", encoding="utf-8")
    assert deidentifier.pseudonymize_file(src, dst).status == "done"
    assert analyzed and not any("Tardieu" in text for text in analyzed)
    out = dst.read_text(encoding="utf-8")
    assert "Quesnel" not in out and "Tardieu" not in out
    surname = out.splitlines()[1].split(";")[0]
    assert out.splitlines()[2].endswith(f"M. {surname}")  # the comment follows the Nom cell


def test_columns_configuration_overrides_the_table(deidentifier: Deidentifier,
                                                  tmp_path: Path) -> None:
    config = Config().with_overrides("test", columns={
        "Patient": "PERSON", "Code": "keep", "Commentaire": "text", "Référent": "LAST_NAME"})
    configured = deidentifier.with_config(config)
    src, dst = tmp_path / "c.csv", tmp_path / "o.csv"
    src.write_text("Patient,Code,Commentaire,Référent,Code patient\n"
                   "Josselin Garnier,C-4471,RAS,Morvan,PX-12\n", encoding="utf-8")
    report = configured.pseudonymize_file(src, dst)
    assert report.status == "done"
    assert report.reason == "1 identifier-like column(s) not typed (see [columns])"
    row = dst.read_text(encoding="utf-8").splitlines()[1].split(",")
    assert "Garnier" not in row[0] and "Josselin" not in row[0]
    # kept, as configured (a kept cell repeating a detected name would be a remnant: the
    # verifier has the last word and refuses the file)
    assert row[1] == "C-4471"
    assert row[3] != "Morvan"
    assert "PX-12" not in report.reason


def test_malformed_csv_is_refused(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text('Nom,Commentaire\nDurand,"jamais fermé\n', encoding="utf-8")
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "bad.csv")
    assert report.status == "refused" and "never closed" in report.reason
    assert not (tmp_path / "out" / "bad.csv").exists()


def test_table_and_letter_of_one_folder_share_pseudonyms(deidentifier: Deidentifier,
                                                         tmp_path: Path) -> None:
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "patients.csv").write_text("Nom;Prénom\nVasseur;Hélène\n", encoding="utf-8")
    (src / "courrier.txt").write_text("Je vois ce jour Mme Hélène Vasseur pour un suivi.\n",
                                      encoding="utf-8")
    report = deidentifier.pseudonymize_folder(src, dst)
    assert report.ok, [(f.source, f.reason) for f in report.files]
    surname, first = (dst / "patients.csv").read_text(encoding="utf-8").splitlines()[1].split(";")
    letter = (dst / "courrier.txt").read_text(encoding="utf-8")
    assert f"{first} {surname}" in letter and "Vasseur" not in letter


def test_date_columns_shift_dates_keep_times_and_leave_text(deidentifier: Deidentifier,
                                                            tmp_path: Path) -> None:
    src, dst = tmp_path / "d.csv", tmp_path / "o.csv"
    src.write_text("Nom;DDN;Date d'entrée\nDurand;NC;1985-03-12 14:30\n", encoding="utf-8")
    assert deidentifier.pseudonymize_file(src, dst).status == "done"
    _, ddn, entry = dst.read_text(encoding="utf-8").splitlines()[1].split(";")
    assert ddn == "NC"  # not a date: left for the analyzer, which finds nothing
    assert entry.endswith(" 14:30") and entry != "1985-03-12 14:30"
