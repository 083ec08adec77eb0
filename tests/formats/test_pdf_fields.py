"""PDF form fields typed by what labels them: the text left of or above the widget on the
page, the tooltip (/TU), the field name (/T). A value with no cue of its own ("LANDERNEAU"
in a field beside "Ville :") is replaced; a treatment beside "Traitement :" stays, and a
field left alone keeps its appearance as it was drawn."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from deident import Deidentifier
from deident.formats import pdf_fields
from deident.formats.pdf_fields import Run

# name, label drawn on the page (None: none), where ("left" | "above"), tooltip, value
FIELDS = [
    ("champ1", "Ville :", "left", None, "LANDERNEAU"),
    ("champ2", "Nom du patient :", "left", None, "VERDELET"),
    ("champ3", "Médecin traitant", "above", None, "Castelneau"),
    ("champ4", None, "", "Lieu de naissance", "CONCARNEAU"),
    ("nom_patient", None, "", None, "ROUQUAYROL"),
    ("immatriculation", None, "", None, "GH-482-KT"),
    ("champ7", "Traitement :", "left", None, "Lévodopa 100 mg"),
]
GONE = ["LANDERNEAU", "VERDELET", "Castelneau", "CONCARNEAU", "ROUQUAYROL", "GH-482-KT"]


def _form(path: Path) -> None:
    canvas = Canvas(str(path), invariant=1, pageCompression=0)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(40, 800, "Fiche de liaison, suivi d'une maladie de Parkinson.")
    y = 760
    for name, label, where, tooltip, value in FIELDS:
        if label and where == "left":
            canvas.drawString(40, y, label)
            x = 200
        elif label:
            canvas.drawString(40, y + 16, label)
            x = 40
        else:
            x = 200
        canvas.acroForm.textfield(name=name, tooltip=tooltip, value=value, x=x, y=y - 6,
                                  width=250, height=18, fontSize=10)
        y -= 50
    canvas.save()


def _appearances(path: Path) -> dict[str, bytes]:
    return {str(a["/T"]): a["/AP"]["/N"].get_object().get_data()
            for a in (r.get_object() for r in PdfReader(path).pages[0]["/Annots"])}


def test_fields_labelled_on_the_page_by_tooltip_or_by_name_are_replaced(
        deidentifier: Deidentifier, tmp_path: Path) -> None:
    src, dst = tmp_path / "form.pdf", tmp_path / "out" / "form.pdf"
    _form(src)
    assert all("/TU" not in a.get_object() or a.get_object()["/T"] == "champ4"
               for a in PdfReader(src).pages[0]["/Annots"])  # no tooltip but the one set
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    assert subprocess.run(["qpdf", "--check", str(dst)], capture_output=True).returncode == 0
    text = subprocess.run(["pdftotext", str(dst), "-"], capture_output=True, text=True,
                          check=True).stdout
    raw = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(dst), "-"],
                         capture_output=True, check=True).stdout.decode("latin-1")
    for value in GONE:
        assert value not in text and value not in raw, value
    assert report.entities.get("VEHICLE_PLATE", 0) >= 1 and report.entities.get("CITY", 0) >= 2
    # the labels and the treatment stay; the page's own words too
    for kept in ("Ville :", "Nom du patient :", "Médecin traitant", "Traitement :",
                 "Lévodopa 100 mg", "maladie de Parkinson"):
        assert kept in text, kept
    values = {str(a.get_object()["/T"]): str(a.get_object()["/V"])
              for a in PdfReader(dst).pages[0]["/Annots"]}
    assert values["champ7"] == "Lévodopa 100 mg"
    before, after = _appearances(src), _appearances(dst)
    assert after["champ7"] == before["champ7"]  # untouched: drawn as it was
    for name in ("champ1", "champ2", "nom_patient", "immatriculation"):  # drawn anew
        assert after[name] != before[name] and values[name] in text, name
    assert "/NeedAppearances" not in PdfReader(dst).trailer["/Root"]["/AcroForm"]


def test_a_label_is_the_nearest_text_left_of_the_field_else_just_above_it() -> None:
    field, other = (300.0, 694.0, 450.0, 712.0), (120.0, 694.0, 250.0, 712.0)
    runs = [Run("Nom :", 40, 70, 700), Run("Prénom :", 250, 290, 700),
            Run("Commentaire", 300, 360, 716), Run("Ville", 40, 65, 650)]
    assert pdf_fields.page_label(field, runs) == "Prénom"
    assert pdf_fields.page_label(other, runs, [field, other]) == "Nom"
    # with a field between a label and this one, the label is the other field's
    assert pdf_fields.page_label(field, runs[:1], [field, other]) == ""
    assert pdf_fields.page_label((300.0, 600.0, 450.0, 618.0), runs) == ""  # nothing beside
    assert pdf_fields.page_label((300.0, 690.0, 450.0, 708.0), runs[2:3]) == "Commentaire"


def test_a_label_types_the_value_or_gives_it_context() -> None:
    assert pdf_fields.labelling(["Ville :", "", "champ1"]).entity_type == "CITY"
    assert pdf_fields.labelling(["", "", "nom_patient"]).hint == "last_name"
    assert pdf_fields.labelling(["", "Prénom", "x"]).hint == "first_name"
    assert pdf_fields.labelling(["Immatriculation", "", "champ1"]).context == "Immatriculation"
    # a date or a phone number goes to its recognizer, read after its label
    assert pdf_fields.labelling(["Date de naissance :", "", "champ"]) == \
        pdf_fields.Labelling(context="Date de naissance")
    assert pdf_fields.labelling(["", "", ""]) == pdf_fields.Labelling()


def test_a_label_put_before_a_value_is_read_never_replaced(deidentifier: Deidentifier) -> None:
    from deident.document import Block, Document

    label = "Véhicule de M. Lucien ROUQUAYROL, immatriculation : "
    block = Block(label + "GH-482-KT", "dictionary /V", label=len(label))
    page_line = Block("Note : revoir Mme Ghislaine PERRONCEL.", "page 1 line")
    joined, offsets, entities = deidentifier.detect(Document([page_line, block], "t"))
    found = {(e.type, joined[e.start:e.end]) for e in entities}
    assert ("VEHICLE_PLATE", "GH-482-KT") in found and ("PERSON", "Ghislaine PERRONCEL") in found
    assert all(e.start >= offsets[1] + len(label) for e in entities if e.start >= offsets[1])


def test_two_fields_a_line_labels_stay_and_values_go(deidentifier: Deidentifier,
                                                     tmp_path: Path) -> None:
    """Two labelled fields a line: the page reads "Nom :<gap>Prénom :", a line of labels
    and no table header, so the next line's labels are not taken for names."""
    src, dst = tmp_path / "fiche.pdf", tmp_path / "out" / "fiche.pdf"
    canvas = Canvas(str(src), invariant=1)
    canvas.setFont("Helvetica", 10)
    rows = [(("Nom :", "Text1", "LE GOFF"), ("Prénom :", "Text2", "Maëlle")),
            (("Date de naissance :", "Text3", "12/04/1957"), ("Sexe :", "Text4", "F")),
            (("Médecin :", "Text5", "Dr Alain KERBRAT"), ("Service :", "Text6", "Neurologie"))]
    for row, y in zip(rows, (760, 730, 700), strict=True):
        for (label, name, value), x in zip(row, (40, 300), strict=True):
            canvas.drawString(x, y, label)
            canvas.acroForm.textfield(name=name, value=value, x=x + 100, y=y - 6, width=140,
                                      height=16, fontSize=9)
    canvas.save()
    report = deidentifier.pseudonymize_file(src, dst)
    assert report.status == "done", report.reason
    text = subprocess.run(["pdftotext", str(dst), "-"], capture_output=True, text=True,
                          check=True).stdout
    for label in ("Nom :", "Prénom :", "Date de naissance :", "Sexe :", "Médecin :",
                  "Service :", "Neurologie", "Dr "):
        assert label in text, label
    for value in ("GOFF", "Maëlle", "12/04/1957", "KERBRAT"):
        assert value not in text, value
