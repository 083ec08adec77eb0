"""PDF tables and form fields: a cell under a typed column header, a field whose name says
what it holds, are replaced whole with no other context (a town alone is no name)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from deident import Deidentifier


def _table_and_field(path: Path) -> None:
    canvas = Canvas(str(path), invariant=1)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(40, 800, "Suivi neurologique : maladie de Parkinson, Lévodopa 100 mg.")
    for x, header, value in ((40, "Lieu de naissance", "QUIMPER"), (300, "Motif", "suivi")):
        canvas.drawString(x, 760, header)
        canvas.drawString(x, 740, value)
    canvas.acroForm.textfield(name="Ville", value="BREST", x=40, y=680, width=200, height=18,
                              fontSize=10)
    canvas.save()


def test_typed_cells_and_fields_are_replaced(deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, dst = tmp_path / "table.pdf", tmp_path / "out" / "table.pdf"
    _table_and_field(src)
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert report.entities.get("CITY", 0) >= 2
    text = subprocess.run(["pdftotext", str(dst), "-"], capture_output=True, text=True,
                          check=True).stdout
    raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(dst), "-"],
                         capture_output=True, check=True).stdout.decode("latin-1")
    assert "QUIMPER" not in text and "QUIMPER" not in raw and "BREST" not in raw
    assert "maladie de Parkinson" in text and "suivi" in text and "Motif" in text
