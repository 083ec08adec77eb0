"""Builds examples/documents/courrier.pdf: a fictitious PDF letter with a
header, a footer, a bold surname and a bookmark naming the patient.

    .venv/bin/python examples/build_pdf_example.py
"""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

OUT = Path(__file__).parent / "documents" / "courrier.pdf"


def main() -> None:
    canvas = Canvas(str(OUT), invariant=1)
    canvas.setAuthor("Dr Hélène QUÉMÉNER")
    canvas.setTitle("Courrier - M. Loïc TANGUY")
    canvas.bookmarkPage("patient")
    canvas.addOutlineEntry("Courrier de M. Loïc TANGUY", "patient")
    canvas.setFont("Helvetica", 9)
    canvas.drawString(56, 800, "Document fictif - Service de neurologie - Dr Hélène QUÉMÉNER")
    canvas.setFont("Helvetica", 11)
    lines = [
        "Quimper, le 14 mars 2024",
        "",
        "Cher confrère,",
        "",
        "J'ai revu en consultation M. Loïc TANGUY, né le 03/09/1957, pour une maladie de",
        "Parkinson évoluant depuis 2019. Lévodopa 100 mg trois fois par jour, sans fluctuation.",
        "Signe de Babinski absent. Il est joignable au 06 45 12 78 90.",
        "",
        "Bien confraternellement,",
    ]
    y = 740
    for line in lines:
        canvas.drawString(56, y, line)
        y -= 16
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(56, y - 8, "Dr Hélène QUÉMÉNER")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(56, 40, "Patient : M. Loïc TANGUY - NIR 1 57 09 29 232 011 23 - page 1/1")
    canvas.save()


if __name__ == "__main__":
    main()
