"""Excel workbooks: every trap of tests/formats/xlsx_traps.py pseudonymized and checked in
the raw XML of every part; the output opens in openpyxl and LibreOffice with its formulas,
formats, structure and shifted dates; external links refused or dropped."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import libreoffice
import openpyxl
import pytest
import xlsx_traps as traps
from lxml import etree

from deident import Deidentifier
from deident.formats.xlsx import rewrite_formula
from deident.hook import scan_file
from deident.normalize import fold


@pytest.fixture(scope="module")
def trap_output(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("xlsx")
    src, dst = folder / "traps.xlsx", folder / "out" / "traps.xlsx"
    traps.build_trap_xlsx(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    return src, dst


def _found(value: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(fold(value))}(?![\w])", fold(text)) is not None


def test_no_planted_value_left_in_any_part(trap_output: tuple[Path, Path]) -> None:
    src, dst = trap_output
    before, after = traps.all_xml_text(src), traps.all_xml_text(dst)
    assert {t: [v for v in vs if not _found(v, before)] for t, vs in traps.PLANTED.items()} \
        == {t: [] for t in traps.PLANTED}  # every trap is really planted
    leaked = {t: [v for v in vs if _found(v, after)] for t, vs in traps.PLANTED.items()}
    assert {t: vs for t, vs in leaked.items() if vs} == {}
    names = zipfile.ZipFile(dst).namelist()
    assert "docProps/custom.xml" not in names


def test_workbook_keeps_formulas_formats_and_structure(trap_output: tuple[Path, Path]) -> None:
    src, dst = trap_output
    before, after = openpyxl.load_workbook(src), openpyxl.load_workbook(dst)
    assert [s.sheet_state for s in after] == [s.sheet_state for s in before]  # hidden stays
    hidden = after.worksheets[1].title
    assert hidden != traps.HIDDEN_SHEET and hidden.startswith("Suivi Mme ")
    old, new = before["Patients"], after["Patients"]
    assert new["F2"].value == "=SUM(E2:E4)" and new["F2"].number_format == "0.0%"
    assert [new.cell(r, 5).value for r in range(2, 5)] == [0.25, 0.5, 0.75]
    assert [new.cell(r, 3).number_format for r in range(2, 5)] == ["dd/mm/yyyy"] * 3
    assert new["A1"].font.b and new["A1"].value == "Nom"
    assert new["D7"].value.startswith('=CONCATENATE("Mme ","') and "Aubert" not in new["D7"].value
    assert new.max_row == old.max_row and new.max_column == old.max_column
    # the renamed hidden sheet is renamed in the defined name that points at it
    (renamed,) = [n for n in after.defined_names if n != "Referent"]
    assert renamed.startswith("Dossier_Mme_") and "Rousseau" not in renamed
    assert after.defined_names[renamed].attr_text == f"'{hidden}'!$A$1"
    (table,) = new.tables.values()
    assert table.ref == "A1:G4" and "Moreau" not in table.displayName
    assert [c.name for c in table.tableColumns][:6] == [*traps.HEADER, "Total"]
    assert table.tableColumns[6].name == new["G1"].value  # the column name follows its header
    assert len(new.data_validations.dataValidation) == 1
    assert new["D9"].hyperlink.target.startswith("mailto:")


def test_dates_shift_by_one_offset_and_stay_dates(trap_output: tuple[Path, Path]) -> None:
    src, dst = trap_output
    before = [c.value for c in openpyxl.load_workbook(src)["Patients"]["C"][1:4]]
    after = [c.value for c in openpyxl.load_workbook(dst)["Patients"]["C"][1:4]]
    shifts = {(a - b).days for a, b in zip(after, before, strict=True)}
    assert len(shifts) == 1 and shifts != {0}  # intervals kept, dates moved


def test_first_name_column_gets_first_names(deidentifier: Deidentifier,
                                            trap_output: tuple[Path, Path]) -> None:
    _, dst = trap_output
    sheet = openpyxl.load_workbook(dst)["Patients"]
    first_names = deidentifier.pseudonymizer.lexicons.first_names
    values = [sheet.cell(r, 2).value for r in range(2, 5)]
    assert all(fold(v) in first_names for v in values), values


def test_caches_hold_the_same_pseudonyms_as_the_cells(trap_output: tuple[Path, Path]) -> None:
    _, dst = trap_output
    sheet = openpyxl.load_workbook(dst)["Patients"]
    surnames = [sheet.cell(r, 1).value for r in range(2, 5)]
    with zipfile.ZipFile(dst) as archive:
        pivot = etree.fromstring(archive.read("xl/pivotCache/pivotCacheDefinition1.xml"))
        chart = etree.fromstring(archive.read("xl/charts/chart1.xml"))
    assert [s.get("v") for s in pivot.iter("{*}s")] == surnames
    assert [v.text for v in chart.iter("{*}strCache") for v in v.iter("{*}v")] == surnames


def test_libreoffice_converts_the_output(trap_output: tuple[Path, Path], tmp_path: Path) -> None:
    _, dst = trap_output
    converted = libreoffice.convert(dst, "csv", tmp_path).read_text(encoding="utf-8",
                                                                    errors="replace")
    surname = openpyxl.load_workbook(dst)["Patients"]["A2"].value
    assert converted.splitlines()[1].startswith(surname)
    assert "150" in converted.splitlines()[1]  # the SUM formula computed by LibreOffice


def test_scan_names_sheet_and_cell(deidentifier: Deidentifier,
                                   trap_output: tuple[Path, Path]) -> None:
    src, _ = trap_output
    findings = scan_file(deidentifier, src, show_values=False)
    locations = {f.location for f in findings}
    assert {"Patients!A2", "Patients!B2", "Patients!C2"} <= locations
    assert not any("Brunet" in f.line() for f in findings)


def test_external_links_are_refused_or_dropped(deidentifier: Deidentifier,
                                               tmp_path: Path) -> None:
    src = tmp_path / "ext.xlsx"
    traps.build_external_link_xlsx(src)
    report = deidentifier.pseudonymize_file(src, tmp_path / "out" / "ext.xlsx")
    assert report.status == "refused" and "external links" in report.reason
    assert not (tmp_path / "out" / "ext.xlsx").exists()
    dropping = deidentifier.with_config(deidentifier.config.with_overrides("test", embedded="drop"))
    report = dropping.pseudonymize_file(src, tmp_path / "out" / "ext.xlsx")
    assert report.status == "done", report.reason
    raw = traps.all_xml_text(tmp_path / "out" / "ext.xlsx")
    assert "jdupontx" not in raw and "externalLink" not in raw and "[1]" not in raw
    assert openpyxl.load_workbook(tmp_path / "out" / "ext.xlsx").active["A1"].value == "Valeur"


def test_formula_rewrite_keeps_literals_apart_from_references() -> None:
    formula = "'Suivi Dupont'!A1&\"Suivi Dupont\"&Liste_Dupont[Nom]&Feuil1!B2"
    new = rewrite_formula(formula, {0: 'Dr "X"'}, {"Suivi Dupont": "Suivi Martin",
                                                   "Feuil1": "Autre feuille"},
                          {"Liste_Dupont": "Liste_Martin"})
    assert new == "'Suivi Martin'!A1&\"Dr \"\"X\"\"\"&Liste_Martin[Nom]&'Autre feuille'!B2"
