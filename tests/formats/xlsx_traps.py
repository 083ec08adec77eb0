"""Small, real .xlsx files for the XLSX adapter tests.

`build_trap_xlsx` hides fictitious personal data in every place a workbook can hold text
and returns nothing; `PLANTED` maps each trap to its values, so a failing test can tell
which trap leaked. openpyxl builds what it can (cells, rich text, comments, hidden sheet,
defined names, headers, hyperlinks, validation, table, chart, properties); what it cannot
write (inline strings, cached formula results, threaded comments and persons, a pivot
table and its cache, a chart's string cache, a drawing text box) is patched into the zip
afterwards as raw XML. All names are invented.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

# The data sheet: typed columns (Nom, Prénom, DDN), a comment column, a kept number format.
ROWS = [
    ("Brunet", "Amandine", dt.date(1961, 4, 2), "RAS", 0.25),
    ("Renaud", "Gaspard", dt.date(1975, 11, 23), "revu par le Dr Chevalier", 0.5),
    ("Lefebvre", "Rosalie", dt.date(1988, 6, 14), "contrôle à 3 mois", 0.75),
]
HEADER = ("Nom", "Prénom", "DDN", "Commentaire", "Taux")
HIDDEN_SHEET = "Suivi Mme Lemaire"
PLANTED: dict[str, list[str]] = {
    "shared strings (Nom column)": ["Brunet", "Lefebvre"],
    "first names (Prénom column)": ["Amandine", "Gaspard", "Rosalie"],
    "rich text runs": ["Marchand"],
    "inline string": ["Collet"],
    "formula literal": ["Aubert"],
    "formula cached value": ["Barbier"],
    "legacy comment text": ["Bertin"],
    "legacy comment author": ["Perrin"],
    "threaded comment": ["Carpentier"],
    "persons part": ["Leclerc", "leclerc.h"],
    "hidden sheet name": ["Lemaire"],
    "defined name": ["Rousseau"],
    "defined name literal": ["Garnier"],
    "header/footer": ["Vasseur"],
    "hyperlink": ["fabrice.nicolas", "Nicolas"],
    "data validation list": ["Fontaine", "Lambert"],
    "table name": ["Moreau"],
    "table column name": ["Chevalier"],
    "pivot cache": ["Renaud"],
    "chart cache": ["Brunet", "Renaud"],
    "drawing text box": ["Mercier"],
    "custom property": ["Gauthier"],
    "core properties": ["Roux"],
}
SERIALS = [(d - dt.date(1899, 12, 30)).days for _, _, d, _, _ in ROWS]

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_CT_PIVOT_DEF = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                 "pivotCacheDefinition+xml")
_CT_PIVOT_REC = ("application/vnd.openxmlformats-officedocument.spreadsheetml."
                 "pivotCacheRecords+xml")
_CT_PIVOT_TABLE = "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml"
_CT_THREADED = "application/vnd.ms-excel.threadedcomments+xml"
_CT_PERSON = "application/vnd.ms-excel.person+xml"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def build_trap_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Patients"
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
    for index in range(2, 5):
        ws.cell(index, 3).number_format = "dd/mm/yyyy"
        ws.cell(index, 5).number_format = "0.00%"
    ws["A1"].font = Font(bold=True)
    ws["F1"] = "Total"
    ws["F2"] = "=SUM(E2:E4)"
    ws["F2"].number_format = "0.0%"
    ws["D5"] = CellRichText(["appel de ", TextBlock(InlineFont(b=True), "Mme Marchand"),
                             " ce jour"])
    ws["D6"] = "PLACEHOLDER_INLINE"  # becomes an inline string below
    ws["D7"] = '=CONCATENATE("Mme ","Aubert")'
    ws["D8"] = "=D1"  # gets a cached string value below
    ws["D2"].comment = Comment("Appeler Mme Bertin demain", "Perrin Hélène")
    ws.oddHeader.center.text = "Dossier de Mme Vasseur"
    ws.oddFooter.right.text = "Page &P"
    ws["D9"] = "Écrire"
    ws["D9"].hyperlink = "mailto:fabrice.nicolas@exemple.fr"
    ws["D9"].hyperlink.tooltip = "Écrire à M. Nicolas"
    validation = DataValidation(type="list", formula1='"Dr Fontaine,Dr Lambert"')
    ws.add_data_validation(validation)
    validation.add("G2:G4")
    ws["G1"] = "Dr Chevalier"  # a header: the table column takes its name
    ws.add_table(Table(displayName="Liste_Mme_Moreau", ref="A1:G4"))
    hidden = wb.create_sheet(HIDDEN_SHEET)
    hidden["A1"] = "Notes"
    hidden["A2"] = "Antécédents : HTA"
    hidden.sheet_state = "hidden"
    wb.defined_names["Dossier_Mme_Rousseau"] = DefinedName(
        "Dossier_Mme_Rousseau", attr_text=f"'{HIDDEN_SHEET}'!$A$1")
    wb.defined_names["Referent"] = DefinedName("Referent", attr_text='"Dr Garnier"')
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=1, max_row=4), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=4))
    ws.add_chart(chart, "I2")
    wb.custom_doc_props.append(StringProperty(name="Patient", value="Mme Gauthier"))
    wb.properties.creator = "Dr Roux"
    wb.properties.title = "Cohorte Dr Roux"
    wb.save(path)
    _patch(path)


def _patch(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="D6" t="inlineStr"><is><t>PLACEHOLDER_INLINE</t></is></c>',
                          '<c r="D6" t="inlineStr"><is><t>vu avec Mme Collet</t></is></c>')
    # openpyxl wrote every string inline: Excel shares them, rich runs included
    items: list[str] = []

    def share(match: re.Match) -> str:
        if "Collet" in match.group(3):
            return match.group()
        items.append(match.group(3))
        return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{len(items) - 1}</v></c>'

    sheet = re.sub(r'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"><is>(.*?)</is></c>', share, sheet)
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{_MAIN}" '
        f'count="{len(items)}" uniqueCount="{len(items)}">'
        + "".join(f"<si>{item}</si>" for item in items) + "</sst>").encode()
    sheet = re.sub(r'<c r="D8"><f>D1</f><v\s*/?>(?:</v>)?</c>',
                   '<c r="D8" t="str"><f>D1</f><v>prévenir Mme Barbier</v></c>', sheet)
    sheet = re.sub(r'<c r="D8"><f>D1</f></c>',
                   '<c r="D8" t="str"><f>D1</f><v>prévenir Mme Barbier</v></c>', sheet)
    assert "Collet" in sheet and "Barbier" in sheet
    # a pivot table on the data sheet, its cache holding the Nom column
    sheet_rels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    sheet_rels = sheet_rels.replace("</Relationships>", (
        f'<Relationship Id="rIdPivot" Type="{_R}pivotTable" Target="../pivotTables/pivotTable1.xml"/>'
        f'<Relationship Id="rIdThreaded" Type="http://schemas.microsoft.com/office/2017/10/'
        f'relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/>'
        "</Relationships>"))
    names = [row[0] for row in ROWS]
    shared = "".join(f'<s v="{n}"/>' for n in names)
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<pivotCacheDefinition xmlns="{_MAIN}" xmlns:r="{_R[:-1]}" r:id="rId1" '
        f'refreshOnLoad="1" recordCount="{len(names)}">'
        f'<cacheSource type="worksheet"><worksheetSource ref="A1:B4" sheet="Patients"/></cacheSource>'
        f'<cacheFields count="2"><cacheField name="Nom" numFmtId="0"><sharedItems count="3">{shared}'
        f'</sharedItems></cacheField><cacheField name="Prénom" numFmtId="0"><sharedItems/>'
        f'</cacheField></cacheFields></pivotCacheDefinition>').encode()
    records = "".join(f'<r><x v="{i}"/><s v="{row[1]}"/></r>' for i, row in enumerate(ROWS))
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<pivotCacheRecords xmlns="{_MAIN}" count="{len(ROWS)}">{records}</pivotCacheRecords>'
    ).encode()
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_R}pivotCacheRecords" Target="pivotCacheRecords1.xml"/>'
        '</Relationships>').encode()
    items_xml = "".join(f'<item x="{i}"/>' for i in range(len(names)))
    parts["xl/pivotTables/pivotTable1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<pivotTableDefinition xmlns="{_MAIN}" name="Pivot_Nom" cacheId="1" '
        f'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" '
        f'applyPatternFormats="0" applyAlignmentFormats="0" applyWidthHeightFormats="1" '
        f'dataCaption="Valeurs" updatedVersion="6" minRefreshableVersion="3" '
        f'createdVersion="6" outline="1" outlineData="1">'
        f'<location ref="K20:K24" firstHeaderRow="1" firstDataRow="1" firstDataCol="0"/>'
        f'<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="4">'
        f'{items_xml}<item t="default"/></items></pivotField><pivotField showAll="0"/>'
        f'</pivotFields><rowFields count="1"><field x="0"/></rowFields>'
        f'<rowItems count="1"><i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems>'
        f'</pivotTableDefinition>').encode()
    parts["xl/pivotTables/_rels/pivotTable1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_R}pivotCacheDefinition" '
        'Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>').encode()
    # a threaded comment and its person
    parts["xl/threadedComments/threadedComment1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        'threadedcomments"><threadedComment ref="D3" dT="2024-03-01T10:00:00.00" '
        'personId="{6C1E9A34-0000-4000-8000-000000000001}" '
        'id="{6C1E9A34-0000-4000-8000-0000000000AA}"><text>Mme Carpentier a rappelé</text>'
        '</threadedComment></ThreadedComments>').encode()
    parts["xl/persons/person.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        b'threadedcomments"><person displayName="Hugo Leclerc" '
        b'id="{6C1E9A34-0000-4000-8000-000000000001}" userId="leclerc.h@hopital.example" '
        b'providerId="AD"/></personList>')
    workbook_rels = parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", (
        f'<Relationship Id="rIdCache" Type="{_R}pivotCacheDefinition" '
        'Target="pivotCache/pivotCacheDefinition1.xml"/>'
        '<Relationship Id="rIdPersons" Type="http://schemas.microsoft.com/office/2017/10/'
        'relationships/person" Target="persons/person.xml"/>'
        f'<Relationship Id="rIdStrings" Type="{_R}sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'))
    workbook = parts["xl/workbook.xml"].decode()
    workbook = re.sub(r"(<calcPr[^>]*/>)",
                      r'\1<pivotCaches><pivotCache xmlns:r="' + _R[:-1] + r'" cacheId="1" '
                      r'r:id="rIdCache"/></pivotCaches>',
                      workbook)
    assert "pivotCaches" in workbook
    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        f'<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" ContentType="{_CT_PIVOT_DEF}"/>'
        f'<Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" ContentType="{_CT_PIVOT_REC}"/>'
        f'<Override PartName="/xl/pivotTables/pivotTable1.xml" ContentType="{_CT_PIVOT_TABLE}"/>'
        f'<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="{_CT_THREADED}"/>'
        f'<Override PartName="/xl/persons/person.xml" ContentType="{_CT_PERSON}"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    # the chart's categories with their string cache; a text box beside it
    chart_name = next(n for n in parts if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
    chart = parts[chart_name].decode()
    cache = "".join(f'<pt idx="{i}"><v>{n}</v></pt>' for i, n in enumerate(names))
    chart, count = re.subn(  # openpyxl writes the chart namespace as the default one
        r"<cat><numRef><f>([^<]*)</f></numRef></cat>",
        lambda m: (f"<cat><strRef><f>{m.group(1)}</f><strCache><ptCount "
                   f'val="{len(names)}"/>{cache}</strCache></strRef></cat>'), chart)
    assert count == 1, "openpyxl's chart layout changed"
    drawing_name = next(n for n in parts if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n))
    drawing = parts[drawing_name].decode()
    text_box = (  # the default namespace is spreadsheetDrawing here too
        '<twoCellAnchor><from><col>8</col><colOff>0</colOff><row>18</row><rowOff>0</rowOff>'
        '</from><to><col>11</col><colOff>0</colOff><row>21</row><rowOff>0</rowOff></to>'
        '<sp macro="" textlink=""><nvSpPr><cNvPr id="99" name="Zone de texte 1"/><cNvSpPr '
        'txBox="1"/></nvSpPr><spPr><a:xfrm xmlns:a="http://schemas.openxmlformats.org/drawingml/'
        '2006/main"><a:off x="0" y="0"/><a:ext cx="1" cy="1"/></a:xfrm><a:prstGeom '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" prst="rect"><a:avLst/>'
        '</a:prstGeom></spPr><txBody><a:bodyPr xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main"/><a:p xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
        'main"><a:r><a:t>Patient vu par Mme </a:t></a:r><a:r><a:rPr b="1"/><a:t>Mercier</a:t>'
        '</a:r></a:p></txBody></sp><clientData/></twoCellAnchor>')
    drawing = drawing.replace("</wsDr>", text_box + "</wsDr>")
    assert "Mercier" in drawing
    parts.update({
        "xl/worksheets/sheet1.xml": sheet.encode(),
        "xl/worksheets/_rels/sheet1.xml.rels": sheet_rels.encode(),
        "xl/_rels/workbook.xml.rels": workbook_rels.encode(),
        "xl/workbook.xml": workbook.encode(),
        "[Content_Types].xml": types.encode(),
        chart_name: chart.encode(),
        drawing_name: drawing.encode(),
    })
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def build_external_link_xlsx(path: Path) -> None:
    """A workbook whose formula reads another workbook on a user's disk."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Valeur"
    wb.active["A2"] = "=[1]Feuil1!A1"
    wb.save(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="{_MAIN}" '
        f'xmlns:r="{_R[:-1]}"><externalBook r:id="rId1"><sheetNames><sheetName val="Feuil1"/>'
        '</sheetNames></externalBook></externalLink>').encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_R}externalLinkPath" '
        'Target="file:///C:/Users/jdupontx/Patients.xlsx" TargetMode="External"/>'
        '</Relationships>').encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode().replace("</Relationships>", (
        f'<Relationship Id="rIdExt" Type="{_R}externalLink" '
        'Target="externalLinks/externalLink1.xml"/></Relationships>'))
    workbook = parts["xl/workbook.xml"].decode()
    workbook = re.sub(r"(</sheets>)", r'\1<externalReferences><externalReference xmlns:r="' + _R[:-1] + r'" '
                      r'r:id="rIdExt"/></externalReferences>', workbook)
    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'))
    parts.update({"xl/_rels/workbook.xml.rels": rels.encode(), "xl/workbook.xml": workbook.encode(),
                  "[Content_Types].xml": types.encode()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def all_xml_text(path: Path) -> str:
    """Every part of the package, decoded, one after the other (the raw XML)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
