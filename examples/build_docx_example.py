"""Builds examples/documents/consultation.docx: a fictitious Word letter with personal data
in a header, a table, a comment, a tracked change and the document properties.

    .venv/bin/python examples/build_docx_example.py
"""

from __future__ import annotations

from pathlib import Path

import docx

OUT = Path(__file__).parent / "documents" / "consultation.docx"


def main() -> None:
    document = docx.Document()
    document.core_properties.author = "Dr Hélène QUÉMÉNER"
    document.core_properties.title = "Consultation de M. Loïc TANGUY"
    document.sections[0].header.paragraphs[0].text = (
        "Document fictif – Consultation de neurologie – Dr Hélène QUÉMÉNER")
    document.add_heading("Compte rendu de consultation", level=1)
    paragraph = document.add_paragraph("Patient : M. Loïc ")
    paragraph.add_run("TANGUY").bold = True
    paragraph.add_run(", né le 03/09/1957, domicilié 4 impasse des Ajoncs, 29000 Quimper.")
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ("Téléphone", "E-mail", "NIR"), strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ("06 45 12 78 90", "loic.tanguy@exemple-mail.fr",
                                                 "1 57 09 29 232 011 23"), strict=True):
        cell.text = value
    remark = document.add_paragraph(
        "Tremblement de repos évocateur d'une maladie de Parkinson ; signe de Babinski absent. "
        "Lévodopa 100 mg 3/j.")
    document.add_comment(remark.runs, text="À revoir avec le Dr Erwan CADIOU.",
                         author="Hélène QUÉMÉNER", initials="HQ")
    document.add_paragraph("Dr Hélène QUÉMÉNER, neurologue")
    document.save(OUT)


if __name__ == "__main__":
    main()
