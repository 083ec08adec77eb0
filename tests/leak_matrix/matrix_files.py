"""Writers of one leak-matrix cell as a real .txt, .docx or .pdf file.

Each document holds the spec's filler (ordinary medical text that must survive) and the cell's
planted value in the cell's place. DOCX: python-docx, plus raw parts and lxml where it has no API
(footnotes, text boxes, hyperlinks), as in tests/formats/docx_traps.py; the python-docx template's
800 kB of unused styles are trimmed so that a cell costs milliseconds. PDF: reportlab.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

# tests/ is on the path (see build.py); the DOCX pieces Word writes come from the traps
from formats.docx_traps import _decls, _el, text_box

from .matrix_cells import Cell, cells, filler

KEPT_STYLES = {"Normal", "ListBullet", "TableGrid", "Header", "Footer", "DefaultParagraphFont",
               "TableNormal", "NoList", "ListParagraph", "CommentText"}
LINK_TEXT = {"EMAIL": "écrire au secrétariat"}  # the link's visible text: the value hides in the target


def build(cell: Cell, path: Path, value: str | None = None) -> None:
    """Write `cell` as a file at `path` (the planted value, or `value` instead when given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    BUILDERS[cell.format](cell, path, cell.rendered(value))


# -- txt -----------------------------------------------------------------------------------------


def _txt(cell: Cell, path: Path, texts: list[str]) -> None:
    before, after = filler()
    if cell.place == "body":
        lines = [" ".join([*before, texts[0]]), *after]
    elif cell.place == "form":
        lines = [*before, texts[0], *after]
    elif cell.place == "list":
        lines = [*before, "Notes :", f"- {texts[0]}", "- contrôle dans six mois", *after]
    elif cell.place == "table":
        lines = [*before, "\t".join(texts[:2]), "\t".join(texts[2:]), *after]
    elif cell.place == "filename":
        lines = [*before, f"Pièce jointe : {texts[0]}", *after]
    else:
        raise ValueError(cell.place)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- docx ----------------------------------------------------------------------------------------


def _run(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<w:r><w:t xml:space="preserve">{escaped}</w:t></w:r>'


@cache
def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (180, 60, 60)).save(buf, "PNG")
    return buf.getvalue()


@cache
def _template() -> bytes:
    """python-docx's default template without stylesWithEffects, thumbnail and unused styles."""
    doc = docx.Document()
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    styles = doc.styles.element
    for element in list(styles):
        if element.tag == qn("w:latentStyles") or (
                element.tag == qn("w:style") and element.get(qn("w:styleId")) not in KEPT_STYLES):
            styles.remove(element)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _new_document() -> Document:
    return docx.Document(io.BytesIO(_template()))


def _footnote(doc: Document, text: str) -> None:
    separators = "".join(
        f'<w:footnote w:type="{sep}" w:id="{i}"><w:p><w:r><w:{sep}/></w:r></w:p></w:footnote>'
        for i, sep in ((-1, "separator"), (0, "continuationSeparator")))
    note = (f'<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f"<w:footnoteRef/></w:r>{_run(' ' + text)}</w:p></w:footnote>")
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {_decls("w", "r")}>'
           f"{separators}{note}</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    doc.add_paragraph("Voir la note")._p.append(_el(
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))


def _hyperlink(doc: Document, cell: Cell, target: str) -> None:
    rid = doc.part.relate_to(target, RT.HYPERLINK, is_external=True)
    shown = LINK_TEXT.get(cell.variant.type, "pièce jointe")
    doc.add_paragraph("Contact : ")._p.append(_el(
        f'<w:hyperlink r:id="{rid}" w:history="1">{_run(shown)}</w:hyperlink>'))


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.replace("-", " ").split() if word[0].isalpha()).upper()


def _docx(cell: Cell, path: Path, texts: list[str]) -> None:
    before, after = filler()
    doc = _new_document()
    first = doc.add_paragraph(before[0])
    place, text = cell.place, texts[0]
    if place in ("body", "form"):
        doc.add_paragraph(text)
    elif place == "list":
        doc.add_paragraph("Notes :")
        doc.add_paragraph(text, style="List Bullet")
        doc.add_paragraph("contrôle dans six mois", style="List Bullet")
    elif place == "table":
        table = doc.add_table(rows=2, cols=2)
        table.style = "Table Grid"
        for i, content in enumerate(texts):
            table.cell(i // 2, i % 2).text = content
    elif place in ("header", "footer"):
        part = doc.sections[0].header if place == "header" else doc.sections[0].footer
        part.is_linked_to_previous = False
        part.paragraphs[0].text = text
    elif place == "comment":
        doc.add_comment(first.runs, text=text, author="Secrétariat de neurologie", initials="SN")
    elif place == "comment_author":
        doc.add_comment(first.runs, text="À revoir avec le patient.", author=text, initials=_initials(text))
    elif place == "textbox":
        text_box(doc, text)
    elif place in ("alt_descr", "alt_title", "alt_name"):
        doc.add_paragraph("Photographie de la lésion :")
        shape = doc.add_picture(io.BytesIO(_png()), width=Cm(1))
        shape._inline.docPr.set(place.removeprefix("alt_"), text)
    elif place == "footnote":
        _footnote(doc, text)
    elif place == "hyperlink":
        _hyperlink(doc, cell, text)
    else:
        raise ValueError(place)
    for line in after:
        doc.add_paragraph(line)
    doc.save(str(path))


# -- pdf -----------------------------------------------------------------------------------------

X0, TOP, LEADING = 56.0, 760.0, 16.0


def _pdf(cell: Cell, path: Path, texts: list[str]) -> None:
    before, after = filler()
    c = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=0)  # raw strings visible
    c.setFont("Helvetica", 11)
    y = TOP
    for line in before:
        c.drawString(X0, y, line)
        y -= LEADING
    place, text = cell.place, texts[0]
    if place in ("body", "filename"):
        c.drawString(X0, y, text if place == "body" else f"Pièce jointe : {text}")
    elif place == "table":
        top, height, widths = y + 12, 20.0, (260.0, 200.0)
        xs = [X0, X0 + widths[0], X0 + sum(widths)]
        c.grid(xs, [top, top - height, top - 2 * height])
        for i, content in enumerate(texts):
            c.setFont("Helvetica-Bold" if i < 2 else "Helvetica", 10)
            c.drawString(xs[i % 2] + 4, top - height * (i // 2) - 14, content)
        c.setFont("Helvetica", 11)
        y -= height
    elif place == "header":
        c.drawString(X0, 810, text)
    elif place == "footer":
        c.drawString(X0, 30, text)
    elif place == "annotation":
        c.textAnnotation(text, Rect=(400, 700, 420, 720), relative=0)
    elif place == "form_field":
        c.drawString(X0, y, f"{cell.variant.label or cell.variant.type} :")
        c.acroForm.textfield(name="champ1", value=text, x=X0 + 150, y=y - 6, width=300, height=18,
                             fontSize=10)
        y -= 8
    elif place == "bookmark":
        c.bookmarkPage("page1")
        c.addOutlineEntry(text, "page1", level=0)
        c.showOutline()
    elif place == "link":
        c.drawString(X0, y, f"Contact : {LINK_TEXT['EMAIL']}")
        c.linkURL(text, (X0, y - 3, X0 + 200, y + 12), relative=0)
    else:
        raise ValueError(place)
    y -= LEADING
    for line in after:
        c.drawString(X0, y - LEADING, line)
        y -= LEADING
    c.showPage()
    c.save()


BUILDERS: dict[str, Callable[[Cell, Path, list[str]], None]] = {"txt": _txt, "docx": _docx, "pdf": _pdf}


def materialize(out_dir: Path, selected: list[Cell] | None = None) -> int:
    """Write every cell (or `selected`) under `out_dir`, with `out_dir/planted.jsonl` listing them."""
    chosen = cells() if selected is None else selected
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "planted.jsonl").open("w", encoding="utf-8") as planted:
        for cell in chosen:
            build(cell, out_dir / cell.relpath)
            planted.write(json.dumps(cell.planted(), ensure_ascii=False) + "\n")
    return len(chosen)
