"""Word tables: a cell under a person header ("Prénom", "Initiales") is a name whatever it
looks like; a label/value table is not read as a header row; names joined file-name style
in attributes are found like those in the text."""

from __future__ import annotations

from pathlib import Path

import docx
import docx_traps as traps
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from deident import Deidentifier
from deident.formats import docx as docx_format


def _table(document: docx.Document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def _build(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Liste des inclusions")
    _table(document, [["Nom", "Prénom", "Initiales", "Date d'inclusion", "Traitement"],
                      ["VASSEUR", "Rose", "V.R.", "12/03/2021", "Kardegic 75 mg"],
                      ["TOUSSAINT", "Olive", "TO", "14/03/2021", "Bisoprolol 2,5 mg"]])
    document.add_paragraph("")
    _table(document, [["Nom", "GUILLOU"], ["Antécédents", "Diabète de type 2"]])
    paragraph = document.add_paragraph("Photo de la plaie jointe.")
    bookmark = OxmlElement("w:bookmarkStart")
    bookmark.set(qn("w:id"), "0")
    bookmark.set(qn("w:name"), "PELLETIER_Armelle_plaie")
    paragraph._p.insert(0, bookmark)
    document.save(str(path))


def test_cells_under_person_headers_are_marked(tmp_path: Path) -> None:
    src = tmp_path / "table.docx"
    _build(src)
    document = docx_format.read(src, "scope")
    marked = {b.text for b in document.blocks if b.entity_type}
    # the label/value table has one known header a row: read row by row
    assert marked == {"VASSEUR", "Rose", "V.R.", "TOUSSAINT", "Olive", "TO", "GUILLOU"}


def test_table_names_and_joined_attribute_name_are_replaced(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, dst = tmp_path / "table.docx", tmp_path / "out" / "table.docx"
    _build(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    after = traps.all_xml_text(dst)
    for value in ("VASSEUR", "Rose", "V.R.", "TOUSSAINT", "Olive", "GUILLOU", "PELLETIER",
                  "Armelle"):
        assert value not in after, value
    for kept in ("Kardegic 75 mg", "Bisoprolol 2,5 mg", "Diabète de type 2", "Antécédents",
                 "Traitement", "Initiales"):
        assert kept in after, kept
