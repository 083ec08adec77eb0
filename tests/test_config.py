"""The configuration: one file per key and what it changes; errors name the key; CLI flags
win over files. One spaCy pipeline for all (Deidentifier.with_config)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image

from deident import Deidentifier
from deident.cli import _config
from deident.config import ConfigError, load_config

LETTER = ("Patient : M. Lucien FAUCHEUX, né le 12/03/1956, vu le 3 mars 2024. "
          "Site : www.clinique-exemple.fr. Projet TITAN, dossier DOS-123456.")


def configured(deidentifier: Deidentifier, tmp_path: Path, toml: str) -> Deidentifier:
    (tmp_path / "deident.toml").write_text(toml, encoding="utf-8")
    return deidentifier.with_config(load_config(tmp_path))


@pytest.mark.parametrize(("toml", "kept", "gone"), [
    ("[entities]\nURL = false\n", ["www.clinique-exemple.fr"], ["FAUCHEUX"]),
    ('[operators]\nDATE = "redact"\nPERSON = "redact"\n', ["[DATE]", "M. [NOM]"], ["12/03/1956"]),
    ('[operators]\nPERSON = "keep"\n', ["Lucien FAUCHEUX"], ["12/03/1956"]),
    ('[allow]\nterms = ["Lucien Faucheux"]\n', ["Lucien FAUCHEUX"], ["12/03/1956"]),
    ("[allow]\nregexes = ['\\d\\d/\\d\\d/19\\d\\d']\n", ["12/03/1956"], ["FAUCHEUX"]),
    ('[deny]\nterms = ["projet titan"]\nregexes = [\'DOS-\\d{6}\']\ntype = "HOSPITAL_ID"\n',
     [], ["TITAN", "DOS-123456"]),
    ("threshold = 1.0\n", ["FAUCHEUX"], []),  # only checksum-sure values pass 1.0
])
def test_each_key_changes_the_output(deidentifier: Deidentifier, tmp_path: Path, toml: str,
                                     kept: list[str], gone: list[str]) -> None:
    text = configured(deidentifier, tmp_path, toml).pseudonymize_text(LETTER).text
    assert all(k in text for k in kept) and not any(g in text for g in gone)


def test_date_keys(deidentifier: Deidentifier, tmp_path: Path) -> None:
    project = configured(deidentifier, tmp_path, 'date_scope = "project"\nmax_date_shift_days = 1\n')
    first = project.pseudonymize_text("Vu le 10/05/2021.").text
    assert first == project.pseudonymize_text("Revu le 10/05/2021.").text.replace("Revu", "Vu")
    assert re.search(r"(09|10|11)/05/2021", first)  # at most one day away


def test_policies_and_limits(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src = tmp_path / "note.docx"
    document = docx.Document()
    document.add_paragraph("Patiente : Mme Josiane VERDELET.")
    png = tmp_path / "logo.png"
    Image.new("RGB", (4, 4), "white").save(png)
    document.add_picture(str(png))
    document.save(str(src))
    with zipfile.ZipFile(src) as archive:  # the picture declared as EMF: uncheckable
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b'"image/png"', b'"image/x-emf"')
    with zipfile.ZipFile(src, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    refused = configured(deidentifier, tmp_path, "").pseudonymize_file(src, tmp_path / "a.docx")
    assert refused.status == "refused" and "--images drop" in refused.reason
    dropping = configured(deidentifier, tmp_path, 'images = "drop"\nembedded = "drop"\n')
    assert dropping.pseudonymize_file(src, tmp_path / "b.docx").status == "done"
    big = tmp_path / "big.txt"
    big.write_text("x" * (2 * 2**20), encoding="utf-8")
    limited = configured(deidentifier, tmp_path, "[limits]\nmax_file_mb = 1\n")
    report = limited.pseudonymize_file(big, tmp_path / "big-out.txt")
    assert report.status == "refused" and "max_file_mb" in report.reason


@pytest.mark.parametrize(("file", "content", "key"), [
    ("deident.toml", "colour = 1\n", "'colour'"),
    ("deident.toml", 'date_scope = "year"\n', "'date_scope'"),
    ("deident.toml", "[operators]\nPERSON = \"hide\"\n", "'operators.PERSON'"),
    ("deident.toml", "[entities]\nNAME = false\n", "'entities.NAME'"),
    ("deident.toml", "[allow]\nregexes = ['(']\n", "'allow.regexes'"),
    ("deident.toml", "[limits]\nmax_file_mb = 0\n", "'max_file_mb'"),
    ("deident.toml", "max_date_shift_days = \"365\"\n", "'max_date_shift_days'"),
    ("deident.toml", "[columns]\nPatient = \"NAME\"\n", "'columns.Patient'"),
    ("pyproject.toml", "[tool.deident]\nsurprise = true\n", "'tool.deident.surprise'"),
])
def test_an_invalid_configuration_names_its_key(tmp_path: Path, file: str, content: str,
                                                key: str) -> None:
    (tmp_path / file).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(key)) as error:
        load_config(tmp_path)
    assert file in str(error.value)


def test_columns_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "deident.toml").write_text(
        '[columns]\n"Patient" = "PERSON"\n"Code" = "keep"\n"Prénom usuel" = "FIRST_NAME"\n',
        encoding="utf-8")
    config = load_config(tmp_path)
    assert config.columns == {"Patient": "PERSON", "Code": "keep", "Prénom usuel": "FIRST_NAME"}
    assert config.source("columns.Code") == str(tmp_path / "deident.toml")


def test_the_nearest_file_up_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.deident]\ndate_scope = "folder"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert load_config(nested).date_scope == "folder"
    (tmp_path / "a" / "deident.toml").write_text('date_scope = "project"\n')
    assert load_config(nested).date_scope == "project"


def test_cli_flags_win_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deident.toml"
    path.write_text('date_scope = "folder"\n[operators]\nDATE = "redact"\n')
    config = _config(path, date_scope="project", operators={"PERSON": "keep"})
    assert (config.date_scope, config.source("date_scope")) == ("project", "CLI --date-scope")
    assert config.operators == {**config.operators, "DATE": "redact", "PERSON": "keep"}
    assert config.source("operators.DATE") == str(path)


def test_config_show_prints_values_and_their_origin(tmp_path: Path) -> None:
    (tmp_path / "deident.toml").write_text('embedded = "drop"\n[entities]\nURL = false\n')
    shown = subprocess.run([sys.executable, "-m", "deident.cli", "config", "show"], cwd=tmp_path,
                           capture_output=True, text=True, check=True,
                           env={"COLUMNS": "200", "PATH": ""}).stdout
    cells = [[c.strip() for c in line.split("│")] for line in shown.splitlines() if "│" in line]
    rows = {row[0]: row for row in cells}
    assert rows["embedded"][1:] == ["drop", str(tmp_path / "deident.toml")]
    assert rows["entities.URL"][1] == "false" and rows["date_scope"][1:] == ["document", "default"]


def test_known_key_is_relative_to_its_file(deidentifier: Deidentifier, tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "patients.csv").write_text(
        "patient_id;last_names;first_names\nIPP-77;Quintard;Odile\n", encoding="utf-8")
    known = configured(deidentifier, tmp_path, 'known = "records/patients.csv"\n')
    assert known.config.known == (tmp_path / "records" / "patients.csv").resolve()
    no_clue = "Bilan fait, quintard revue ce jour."  # lowercase, no title, no label
    assert "quintard" in deidentifier.pseudonymize_text(no_clue).text
    assert "quintard" not in known.pseudonymize_text(no_clue).text.lower()


def test_resource_limits_refuse_with_their_reason(deidentifier: Deidentifier, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import docx_traps
    import pdf_traps

    pdf_traps.build_header_footer(tmp_path / "three_pages.pdf")
    docx_traps.build_trap_docx(tmp_path / "many_parts.docx")
    cases = [("[limits]\nmax_pages = 2\n", "three_pages.pdf", "limits.max_pages"),
             ("[limits]\nmax_parts = 5\n", "many_parts.docx", "limits.max_parts"),
             ("[limits]\nmax_unpacked_mb = 1\n", "many_parts.docx", None)]
    for toml, name, reason in cases:
        report = configured(deidentifier, tmp_path, toml).pseudonymize_file(
            tmp_path / name, tmp_path / "out" / name)
        if reason is not None:
            assert report.status == "refused" and reason in report.reason, (toml, report.reason)
    from deident.formats import text as text_format

    original = text_format.read
    monkeypatch.setattr(text_format, "read", lambda *a, **k: (time.sleep(3), original(*a, **k))[1])
    (tmp_path / "slow.txt").write_text("Vu M. Lucien FAUCHEUX.", encoding="utf-8")
    report = configured(deidentifier, tmp_path, "[limits]\nmax_seconds = 1\n").pseudonymize_file(
        tmp_path / "slow.txt", tmp_path / "out" / "slow.txt")
    assert report.status == "refused" and "limits.max_seconds" in report.reason
    assert not (tmp_path / "out" / "slow.txt").exists()


def test_cli_limit_flags(tmp_path: Path) -> None:
    from deident.cli import _limits

    assert _limits(["max_pages=10000", "max_seconds=30"]) == {"max_pages": 10000, "max_seconds": 30}
    with pytest.raises(Exception, match="--limit"):
        _limits(["pages=3"])


def test_hospital_names_on_by_default_off_by_key(deidentifier: Deidentifier, tmp_path: Path) -> None:
    text = "Rendez-vous à l'hôpital Henri Mondor avec Mme Lucie FAUCHEUX le 3 mars 2024."
    default = configured(deidentifier, tmp_path, "").pseudonymize_text(text)
    assert "Henri Mondor" not in default.text and "FAUCHEUX" not in default.text
    kept = configured(deidentifier, tmp_path, "[entities]\nHOSPITAL = false\n").pseudonymize_text(text)
    # The hospital's name stays whole: its "Henri Mondor" is not taken for a person either.
    assert "l'hôpital Henri Mondor" in kept.text and "FAUCHEUX" not in kept.text
