"""Excel workbooks (.xlsx): every part of the package, edited with lxml, not rewritten.

Cells are read column-aware (formats.tabular): the first non-empty row of each sheet is
its header; a cell under a typed column is one entity of that type, the others are text
analyzed with their row. Cells formatted as dates (or under a date column) hold serial
numbers: they are shown to the pipeline as ISO dates, shifted like any date and written
back as serials, the cell's number format untouched.

Besides cells: shared strings (rich runs kept), formula string literals and cached values,
comments (legacy and threaded) and their authors and persons, sheet names (hidden sheets
too), defined names, tables and their columns, pivot caches, chart caches, drawing text
boxes, headers/footers, hyperlinks, data validations, external link targets. Renamed
sheets, defined names and tables are renamed in every formula that refers to them.
Document properties are cleared, custom properties, printer settings, thumbnails and the
revision history of shared workbooks removed. Macros, external links and data
connections, embedded objects are refused, or dropped with `embedded="drop"`; a part of
unknown type is always refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from deident.document import Block, Document, Piece, Replacement, splice
from deident.entities import DATE, PERSON
from deident.errors import RefusedError
from deident.formats import docx
from deident.formats.image_metadata import strip_metadata
from deident.formats.package import CONTENT_TYPES, R_NS, Package, local_name, remove_element
from deident.formats.segments import Segment, SegmentedText
from deident.formats.tabular import TEXT, Column, column_index, column_letters, note, plan_columns

KIND = "Excel workbook"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def s(tag: str) -> str:
    return f"{{{S_NS}}}{tag}"


_MAIN = _SML + "sheet.main+xml"
_MACRO_MAINS = {"application/vnd.ms-excel.sheet.macroEnabled.main+xml": _MAIN,
                "application/vnd.ms-excel.template.macroEnabled.main+xml": _SML + "template.main+xml"}
MAIN_TYPES = {_MAIN, _SML + "template.main+xml", *_MACRO_MAINS}
WORKSHEET_TYPES = {_SML + "worksheet+xml", "application/vnd.ms-excel.worksheet"}
SST_TYPE = _SML + "sharedStrings+xml"
STYLES_TYPE = _SML + "styles+xml"
# XML parts whose text nodes and text attributes are all analysed.
XML_TYPES = docx.XML_TYPES | {
    *(_SML + t for t in ("chartsheet+xml", "dialogsheet+xml", "comments+xml", "table+xml",
                         "pivotTable+xml", "pivotCacheDefinition+xml", "pivotCacheRecords+xml",
                         "calcChain+xml", "volatileDependencies+xml", "sheetMetadata+xml",
                         "tableSingleCells+xml")),
    "application/vnd.ms-excel.threadedcomments+xml", "application/vnd.ms-excel.person+xml",
    "application/vnd.ms-excel.controlproperties+xml",
    "application/vnd.openxmlformats-officedocument.drawing+xml",
    "application/vnd.openxmlformats-officedocument.vmlDrawing",
}
# Formatting only: names there are fonts and styles ("Calibri", "Normal"), left alone.
QUIET_TYPES = {STYLES_TYPE, "application/vnd.openxmlformats-officedocument.theme+xml"}
DROP_TYPES = docx.DROP_TYPES | {
    _SML + t for t in ("printerSettings", "revisionHeaders+xml", "revisionLog+xml",
                       "userNames+xml")} | {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"}
_DROP_RELATIONS = {*docx._DROP_RELATIONS, _REL + "revisionHeaders", _REL + "revisionLog",
                   _REL + "usernames"}
_EMBEDDED_RELATIONS = {
    **docx._EMBEDDED_RELATIONS,
    _REL + "externalLink": "external links to other workbooks",
    _REL + "externalLinkPath": "external links to other workbooks",
    _REL + "connections": "external data connections",
    _REL + "queryTable": "external data connections",
}
_EMBEDDED_TYPES = {_SML + "externalLink+xml": "external links to other workbooks",
                   _SML + "connections+xml": "external data connections",
                   _SML + "queryTable+xml": "external data connections"}
_CONTAINERS = (s("externalReference"), s("oleObject"), s("control"),
               f"{{{docx.C_NS}}}externalData", "{http://schemas.openxmlformats.org/"
               "markup-compatibility/2006}AlternateContent")

# Attributes holding free text, wherever they are (outside the formatting parts).
_TEXT_ATTRIBUTES = {"name", "caption", "tooltip", "display", "prompt", "promptTitle", "error",
                    "errorTitle", "comment", "description", "help", "statusBar", "customMenu",
                    "dataCaption", "grandTotalCaption", "errorCaption", "missingCaption",
                    "rowHeaderCaption", "colHeaderCaption", "descr", "title", "uniqueName",
                    "displayFolder"}
_PERSON_ATTRIBUTES = {"userName", "user", "displayName"}  # displayName: on x18tc:person
# Pivot cache strings and dates, pivot item names.
_ELEMENT_ATTRIBUTES = {("s", "v"), ("d", "v"), ("item", "n"), ("sharedItems", "minDate"),
                       ("sharedItems", "maxDate")}
# Names Excel requires to be identifiers: shown with spaces for the analyzer, written back
# with underscores; every formula that refers to them follows.
_IDENTIFIERS = {("definedName", "name"), ("table", "name"), ("table", "displayName")}
_FORMULA_TAGS = {"f", "formula", "formula1", "formula2", "formula3", "definedName"}
_HEADER_FOOTER = {s(t) for t in ("oddHeader", "oddFooter", "evenHeader", "evenFooter",
                                 "firstHeader", "firstFooter")}
_HF_CODE = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z&+\-])')
_STRING_LITERAL = re.compile(r'"((?:[^"]|"")*)"')
_QUOTED_SHEET = re.compile(r"'((?:[^']|'')+)'!")
_BARE_NAME = re.compile(r"(?<![\w.'\"\[\]])([^\W\d][\w.]*)(?=!|\[|\b)")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_NOT_IDENTIFIER = re.compile(r"[^\w.\\]")
_PLAIN_SHEET = re.compile(r"[^\W\d]\w*\Z")
_EXTERNAL_REF = re.compile(r"\[\d+\]")
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_SECTIONS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_MAX_SERIAL = 2958465  # 9999-12-31
_NUMBER_DIGITS = 9  # untyped numeric cells this long may be identifiers (NIR, phone)


# -- targets ---------------------------------------------------------------------------------
@dataclass
class _Workbook:
    """What the targets share while writing: the shared strings, renames, formulas."""

    package: Package
    sst: etree._Element | None
    sst_items: list[etree._Element]
    date1904: bool
    appended: dict[tuple[int, str], int] = field(default_factory=dict)
    sheet_renames: dict[str, str] = field(default_factory=dict)
    name_renames: dict[str, str] = field(default_factory=dict)
    formulas: list = field(default_factory=list)  # _Formula, _SheetAttribute
    sheet_name_attributes: list[etree._Element] = field(default_factory=list)


@dataclass
class _Formula:
    """A formula's text (element text or attribute): literals rewritten, renames followed."""

    get: Callable[[], str]
    set: Callable[[str], None]
    literals: dict[int, str] = field(default_factory=dict)  # literal index -> new value

    def finish(self, book: _Workbook) -> None:
        text = self.get()
        if not text:
            return
        new = rewrite_formula(text, self.literals, book.sheet_renames, book.name_renames)
        if new != text:
            self.set(new)


@dataclass
class _Literal:
    formula: _Formula
    index: int

    def apply(self, edits: list[Replacement], text: str) -> None:
        self.formula.literals[self.index] = splice(text, edits)


@dataclass
class _Segmented:
    segmented: SegmentedText

    def apply(self, edits: list[Replacement], text: str) -> None:
        self.segmented.apply(edits)


@dataclass
class _Text:
    """An element's text: a comment's author, a cached string formula result (t="str"), a
    header/footer (its block has the &-codes blanked to the same length: edits apply as is)."""

    element: etree._Element

    def apply(self, edits: list[Replacement], text: str) -> None:
        self.element.text = splice(self.element.text, edits)


@dataclass
class _Attribute:
    element: etree._Element
    name: str

    def apply(self, edits: list[Replacement], text: str) -> None:
        self.element.set(self.name, splice(self.element.get(self.name), edits))


@dataclass
class _Identifier:
    """A sheet, defined-name or table name; its new value is recorded for the formulas."""

    element: etree._Element
    name: str
    book: _Workbook
    sheet: bool

    def apply(self, edits: list[Replacement], text: str) -> None:
        old = self.element.get(self.name)
        new = splice(text, edits)
        if self.sheet:
            new = _SHEET_FORBIDDEN.sub("", new).strip("'")[:31] or "Feuille"
            taken = {e.get(self.name) for e in self.element.getparent()} - {old}
            base, counter = new, 2
            while new in taken:
                new = f"{base[:27]} ({counter})"
                counter += 1
            self.book.sheet_renames[old] = new
        else:
            new = _NOT_IDENTIFIER.sub("_", new.replace(" ", "_"))
            self.book.name_renames[old] = new
        self.element.set(self.name, new)


@dataclass
class _SharedCell:
    """A cell pointing into the shared strings: an edited value gets a new item (the old
    one may serve other cells; unused items are emptied at the end)."""

    cell: etree._Element
    index: int
    book: _Workbook

    def apply(self, edits: list[Replacement], text: str) -> None:
        new_text = splice(text, edits)
        key = (self.index, new_text)
        if key not in self.book.appended:
            item = deepcopy(self.book.sst_items[self.index])
            SegmentedText(_rich_segments(item)).apply(edits)
            self.book.sst.append(item)
            self.book.sst_items.append(item)
            self.book.appended[key] = len(self.book.sst_items) - 1
        self.cell.find(s("v")).text = str(self.book.appended[key])


@dataclass
class _NumberCell:
    """A numeric cell shown as text: a date serial as an ISO date, an identifier as its
    digits. Written back as a number when it still is one, else as an inline string."""

    cell: etree._Element
    book: _Workbook
    fraction: float = 0.0  # the time of day of a date serial
    is_date: bool = False

    def apply(self, edits: list[Replacement], text: str) -> None:
        new = splice(text, edits)
        value = self.cell.find(s("v"))
        if self.is_date:
            try:
                day = dt.date.fromisoformat(new)
            except ValueError:
                day = None
            if day is not None:
                serial = (day - _epoch(self.book.date1904)).days + self.fraction
                value.text = str(int(serial)) if self.fraction == 0 else repr(serial)
                return
        elif new.isdigit():
            value.text = new
            return
        _to_inline_string(self.cell, new)


@dataclass
class _IsoDateCell:
    """A cell of type "d": an ISO date (and time) as text; the date part is the block."""

    value: etree._Element

    def apply(self, edits: list[Replacement], text: str) -> None:
        self.value.text = splice(text, edits) + self.value.text[len(text):]


@dataclass
class XlsxState:
    book: _Workbook
    targets: list
    notes: list[str]


# -- read ----------------------------------------------------------------------------------
def read(path: Path, scope_id: str, *, embedded: str = "refuse", images: str = "refuse",
         max_parts: int = 5000, max_unpacked_mb: int = 500,
         columns: Mapping[str, str] | None = None, **_options: object) -> Document:
    try:
        return _read(path, scope_id, embedded, images, max_parts, max_unpacked_mb * 2**20,
                     columns or {})
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError,
            UnicodeError, OverflowError) as exc:
        raise RefusedError(f"{KIND} with damaged or unsupported content "
                           f"({type(exc).__name__})") from None


def _read(path: Path, scope_id: str, embedded: str, images: str, max_parts: int,
          max_unpacked: int, columns: Mapping[str, str]) -> Document:
    package = Package.open(path, KIND, max_parts, max_unpacked)
    categories = _classify(package, embedded, images)
    main = next(n for n, c in categories.items() if c == "main")
    workbook = package.xml(main)
    dropped_externals = embedded == "drop"
    _scrub(package, categories, workbook, dropped_externals)
    sst_name = next((n for n, c in categories.items() if c == "sst"), None)
    sst = package.xml(sst_name) if sst_name else None
    if sst is not None:
        for element in list(sst.iter(s("rPh"), s("phoneticPr"))):  # reading aids, copies
            remove_element(element)
    properties = workbook.find(s("workbookPr"))
    book = _Workbook(package, sst, list(sst.iterchildren(s("si"))) if sst is not None else [],
                     properties is not None and properties.get("date1904") in ("1", "true"))
    dates = _date_styles(package, categories)
    blocks: list[Block] = []
    targets: list = []
    unrecognized = 0

    def add(block: Block | None, target: object) -> None:
        if block is not None:
            blocks.append(block)
            targets.append(target)

    # sheet names first: they name the rest
    for sheet in workbook.iter(s("sheet")):
        if sheet.get("name", "").strip():
            add(Block(sheet.get("name"), f"{main}:sheet"), _Identifier(sheet, "name", book, True))
    for name, category in categories.items():
        if category == "worksheet":
            unrecognized += _collect_cells(package, name, book, dates, columns, add)
    for name, category in categories.items():
        if category in ("main", "worksheet", "xml"):
            _collect_xml(package.xml(name), name, book, add,
                         skip=s("sheetData") if category == "worksheet" else None)
        elif category == "quiet":
            _collect_formulas(package.xml(name), name, book, add)
    for source in ["", *categories]:
        for relationship in package.relationships(source):
            if relationship.get("TargetMode") == "External" and relationship.get("Target"):
                add(Block(relationship.get("Target"), f"{source}:rel"),
                    _Attribute(relationship, "Target"))
    notes = [note(unrecognized)] if unrecognized else []
    document = Document(blocks=blocks, scope_id=scope_id, state=XlsxState(book, targets, notes))
    document.meta["note"] = "; ".join(notes)
    return document


def _classify(package: Package, embedded: str, images: str) -> dict[str, str]:
    reachable = package.reachable()
    for name in package.names():
        if name not in reachable and name != CONTENT_TYPES and not name.endswith(".rels"):
            package.drop(name)
    if not any(package.content_type(n) in MAIN_TYPES for n in reachable):
        raise RefusedError(f"not a valid {KIND} (no workbook part)")
    reasons: dict[str, str] = {}
    for name in reachable:
        for relation in docx._relation_types_to(package, name):
            if relation in _EMBEDDED_RELATIONS:
                reasons[name] = _EMBEDDED_RELATIONS[relation]
        content_type = package.content_type(name)
        if content_type in _EMBEDDED_TYPES:
            reasons[name] = _EMBEDDED_TYPES[content_type]
        elif content_type in docx._UNCHECKABLE_IMAGES:
            reasons[name] = docx._IMAGE_REASON
        elif content_type in _MACRO_MAINS:
            reasons[""] = "macros"
    for is_image, policy, flag in ((False, embedded, "--embedded"), (True, images, "--images")):
        listed = sorted({r for r in reasons.values() if (r == docx._IMAGE_REASON) == is_image})
        if listed and policy != "drop":
            raise RefusedError(f"{KIND} with {', '.join(listed)}: cannot be made safe "
                               f"(use {flag} drop to remove them)")
    for name in reasons:
        if name and name in package:
            package.drop(name, _CONTAINERS)
    for name in package.reachable():
        if docx._relation_types_to(package, name) & _DROP_RELATIONS or \
                package.content_type(name) in DROP_TYPES:
            package.drop(name, _CONTAINERS)
    categories: dict[str, str] = {}
    for name in package.reachable():
        content_type = package.content_type(name)
        if content_type in _MACRO_MAINS:
            package.set_content_type(name, _MACRO_MAINS[content_type])
            content_type = _MACRO_MAINS[content_type]
        if content_type in MAIN_TYPES:
            categories[name] = "main"
        elif content_type in WORKSHEET_TYPES:
            categories[name] = "worksheet"
        elif content_type == SST_TYPE:
            categories[name] = "sst"
        elif content_type in QUIET_TYPES:
            categories[name] = "quiet"
        elif content_type in XML_TYPES:
            categories[name] = "xml"
        elif content_type in docx.IMAGE_TYPES:
            categories[name] = "image"
            package.set_raw(name, strip_metadata(package.raw(name), name))
        elif content_type in docx.FONT_TYPES:
            categories[name] = "font"
        else:
            raise RefusedError(f"{KIND} with a part of unsupported type "
                               f"'{content_type or 'unknown'}': cannot be checked")
    return categories


def _scrub(package: Package, categories: dict[str, str], workbook: etree._Element,
           dropped_externals: bool) -> None:
    """Properties, saved paths and sharing user names; formulas into dropped links."""
    docx._scrub_properties(package, {n: ("xml" if c in ("xml", "main", "worksheet") else c)
                                     for n, c in categories.items()})
    for element in list(workbook.iter("{*}absPath")):  # "C:\\Users\\jdupont\\..."
        remove_element(docx._closest(element, _CONTAINERS[-1:]))
    for element in workbook.iter(s("fileSharing")):
        element.attrib.pop("userName", None)
    references = workbook.find(s("externalReferences"))
    if references is not None and len(references) == 0:
        remove_element(references)
    if dropped_externals and workbook.find(s("externalReferences")) is None:
        for defined in list(workbook.iter(s("definedName"))):
            if _EXTERNAL_REF.search(defined.text or ""):
                remove_element(defined)
        for name, category in categories.items():
            if category == "worksheet":
                for formula in list(package.xml(name).iter(s("f"))):
                    if _EXTERNAL_REF.search(formula.text or ""):
                        remove_element(formula)  # the cached value stays
    for name, category in categories.items():
        root = package.xml(name) if category in ("xml", "main", "worksheet") else None
        if root is not None and local_name(root.tag) == "personList":
            for person in root.iter("{*}person"):  # logins and e-mail addresses
                if person.get("userId") is not None:
                    person.set("userId", person.get("id", ""))
                if person.get("providerId") is not None:
                    person.set("providerId", "None")


def _epoch(date1904: bool) -> dt.date:
    return dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)


def _date_styles(package: Package, categories: dict[str, str]) -> set[int]:
    """Indexes of the cell formats that show a number as a date."""
    name = next((n for n, c in categories.items()
                 if c == "quiet" and package.content_type(n) == STYLES_TYPE), None)
    if name is None:
        return set()
    styles = package.xml(name)
    custom = {int(f.get("numFmtId", "-1")): f.get("formatCode", "")
              for f in styles.iter(s("numFmt"))}
    formats = styles.find(s("cellXfs"))
    dates = set()
    for index, xf in enumerate(formats.iterchildren(s("xf")) if formats is not None else []):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format)
        if (code is None and number_format in _BUILTIN_DATE_FORMATS) or (
                code is not None and _is_date_format(code)):
            dates.add(index)
    return dates


def _is_date_format(code: str) -> bool:
    bare = _FORMAT_SECTIONS.sub("", code.split(";")[0]).lower()
    return bool(re.search(r"[dy]|m{3,}", bare)) or ("m" in bare and ("d" in bare or "y" in bare))


# -- cells ---------------------------------------------------------------------------------
def _cell_text(cell: etree._Element, book: _Workbook) -> str:
    kind = cell.get("t", "n")
    value = cell.find(s("v"))
    if kind == "s" and value is not None and value.text is not None:
        return _rich_text(book.sst_items[int(value.text)])
    if kind == "inlineStr":
        inline = cell.find(s("is"))
        return _rich_text(inline) if inline is not None else ""
    if kind == "str" and value is not None:
        return value.text or ""
    return ""


def _collect_cells(package: Package, name: str, book: _Workbook, dates: set[int],
                   overrides: Mapping[str, str], add: Callable) -> int:
    """The sheet's cells, row by row (a row is one context); returns how many columns look
    identifying but are not typed."""
    sheet_name = _sheet_name(package, name)
    data = package.xml(name).find(s("sheetData"))
    if data is None:
        return 0
    plan: list[Column] | None = None
    unrecognized = 0
    for row_position, row in enumerate(data.iterchildren(s("row")), start=1):
        row_number = int(row.get("r", row_position))
        cells = []
        for position, cell in enumerate(row.iterchildren(s("c"))):
            reference = cell.get("r", "")
            letters = re.match(r"[A-Z]+", reference)
            column = column_index(letters.group()) if letters else position
            cells.append((column, cell))
        if plan is None:
            texts = {c: _cell_text(cell, book) for c, cell in cells}
            if not any(t.strip() for t in texts.values()):
                header_plan = None
            else:
                width = max(texts) + 1
                plan, unrecognized = plan_columns([texts.get(i, "") for i in range(width)],
                                                  overrides)
                header_plan = [TEXT] * width
        else:
            header_plan = None
        kinds = header_plan if header_plan is not None else (plan or [])
        for column, cell in cells:
            kind = kinds[column] if column < len(kinds) else TEXT
            locator = f"{sheet_name}!{column_letters(column)}{row_number}"
            _collect_cell(cell, kind, locator, f"{sheet_name}!{row_number}", book, dates, add)
    return unrecognized


def _collect_cell(cell: etree._Element, kind: Column, locator: str, row: str, book: _Workbook,
                  dates: set[int], add: Callable) -> None:
    if kind.mode == "keep":
        formula = cell.find(s("f"))
        if formula is not None and formula.text:  # follows renamed sheets all the same
            book.formulas.append(_Formula(lambda e=formula: e.text or "",
                                          lambda text, e=formula: setattr(e, "text", text)))
        return
    cell_type = cell.get("t", "n")
    value = cell.find(s("v"))
    formula = cell.find(s("f"))
    if formula is not None and formula.text:  # literals typed like the column's cells
        _collect_formula_literals(formula, kind, locator, book, add,
                                  lambda e=formula: e.text or "",
                                  lambda text, e=formula: setattr(e, "text", text), row)
    if cell_type == "s" and value is not None and value.text:
        index = int(value.text)
        add(kind.block(_rich_text(book.sst_items[index]), locator, row),
            _SharedCell(cell, index, book))
    elif cell_type == "inlineStr" and cell.find(s("is")) is not None:
        segmented = SegmentedText(_rich_segments(cell.find(s("is"))))
        add(kind.block(segmented.text, locator, row), _Segmented(segmented))
    elif cell_type == "str" and value is not None and value.text:
        add(kind.block(value.text, locator, row), _Text(value))
    elif cell_type == "d" and value is not None and value.text:
        add(Column("typed", DATE).block(value.text[:10], locator), _IsoDateCell(value))
    elif cell_type == "n" and value is not None and value.text:
        number = float(value.text)
        style = int(cell.get("s", "0"))
        is_date = (style in dates or kind.entity_type == DATE) and 61 <= number <= _MAX_SERIAL
        if is_date:
            whole = int(number)
            iso = (_epoch(book.date1904) + dt.timedelta(days=whole)).isoformat()
            add(Column("typed", DATE).block(iso, locator), _NumberCell(cell, book, number - whole, True))
        elif number.is_integer() and (kind.mode == "typed" or
                                      len(str(int(abs(number)))) >= _NUMBER_DIGITS):
            add(kind.block(str(int(number)), locator, row), _NumberCell(cell, book))


def _sheet_name(package: Package, part: str) -> str:
    for source in package.names():
        if source.endswith(".rels") or package.content_type(source) not in MAIN_TYPES:
            continue
        ids = {r.get("Id") for r in package.relationships(source)
               if package.target(source, r) == part}
        for sheet in package.xml(source).iter(s("sheet")):
            if sheet.get(f"{{{R_NS}}}id") in ids:
                return sheet.get("name", part)
    return part


def _rich_segments(container: etree._Element) -> list[Segment]:
    """The text of a string item, inline string or comment: its <t>, run by run."""
    segments = []
    for element in container.iter(s("t")):
        parent = element.getparent()
        if parent is not None and parent.tag == s("rPh"):
            continue
        segments.append(Segment(element.text or "", _writer(element)))
    return segments


def _rich_text(container: etree._Element) -> str:
    return "".join(segment.text for segment in _rich_segments(container))


def _writer(element: etree._Element) -> Callable[[str], None]:
    def write(text: str) -> None:
        element.text = text
        if text != text.strip():
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    return write


def _to_inline_string(cell: etree._Element, text: str) -> None:
    for child in list(cell):
        if child.tag in (s("v"), s("is")):
            cell.remove(child)
    cell.set("t", "inlineStr")
    inline = etree.SubElement(cell, s("is"))
    etree.SubElement(inline, s("t")).text = text


# -- formulas ------------------------------------------------------------------------------
def _collect_formula_literals(element: etree._Element, kind: Column, locator: str,
                              book: _Workbook, add: Callable, get: Callable[[], str],
                              set_: Callable[[str], None], row: str = "") -> None:
    formula = _Formula(get, set_)
    book.formulas.append(formula)
    for index, match in enumerate(_STRING_LITERAL.finditer(get())):
        literal = match.group(1).replace('""', '"')
        add(kind.block(literal, f"{locator}:formula", row), _Literal(formula, index))


def rewrite_formula(text: str, literals: Mapping[int, str], sheets: Mapping[str, str],
                    names: Mapping[str, str]) -> str:
    """`text` with new string literals, renamed sheets and renamed names (never inside a
    literal)."""
    pieces, position = [], 0
    for index, match in enumerate(_STRING_LITERAL.finditer(text)):
        pieces.append(_rename(text[position:match.start()], sheets, names))
        literal = literals.get(index)
        pieces.append(match.group() if literal is None else '"' + literal.replace('"', '""') + '"')
        position = match.end()
    pieces.append(_rename(text[position:], sheets, names))
    return "".join(pieces)


def _rename(text: str, sheets: Mapping[str, str], names: Mapping[str, str]) -> str:
    if not sheets and not names:
        return text

    def quoted(match: re.Match) -> str:
        old = match.group(1).replace("''", "'")
        return _sheet_reference(sheets[old]) if old in sheets else match.group()

    def bare(match: re.Match) -> str:
        word = match.group(1)
        if text.startswith("!", match.end()) and word in sheets:
            return _sheet_reference(sheets[word])[:-1]
        return names.get(word, word)

    return _BARE_NAME.sub(bare, _QUOTED_SHEET.sub(quoted, text))


def _sheet_reference(name: str) -> str:
    return f"{name}!" if _PLAIN_SHEET.match(name) else "'" + name.replace("'", "''") + "'!"


# -- other parts ---------------------------------------------------------------------------
def _collect_formulas(root: etree._Element, part: str, book: _Workbook, add: Callable) -> None:
    for element in root.iter():
        if isinstance(element.tag, str) and local_name(element.tag) in _FORMULA_TAGS and element.text:
            _collect_formula_literals(element, TEXT, part, book, add,
                                      lambda e=element: e.text or "",
                                      lambda text, e=element: setattr(e, "text", text))


def _collect_xml(root: etree._Element, part: str, book: _Workbook, add: Callable,
                 skip: str | None = None) -> None:
    consumed: set[etree._Element] = set()
    skipped = root.find(skip) if skip else None
    if skipped is not None:
        consumed.update(skipped.iter())
    # paragraphs of drawings and charts, rich comment texts: one block each
    for container in root.iter(f"{{{A_NS}}}p", s("text"), s("si"), s("is")):
        if container in consumed:
            continue
        tag = f"{{{A_NS}}}t" if container.tag == f"{{{A_NS}}}p" else s("t")
        segments = [Segment(t.text or "", _writer(t)) for t in container.iter(tag)]
        consumed.update(container.iter())
        segmented = SegmentedText(segments)
        if segmented.text.strip():
            add(Block(segmented.text, f"{part}:p"), _Segmented(segmented))
    for element in root.iter():
        if not isinstance(element.tag, str) or element in consumed:
            continue
        local = local_name(element.tag)
        text = element.text or ""
        if local in _FORMULA_TAGS and text:
            _collect_formula_literals(element, TEXT, part, book, add,
                                      lambda e=element: e.text or "",
                                      lambda value, e=element: setattr(e, "text", value))
        elif element.tag in _HEADER_FOOTER and text.strip():
            add(Block(_HF_CODE.sub(lambda m: " " * len(m.group()), text), f"{part}:{local}"),
                _Text(element))
        elif local == "author" and text.strip():
            add(Block(text, f"{part}:author", PERSON), _Text(element))
        elif text.strip():
            add(Block(text, f"{part}:text"), _Text(element))
        for name, value in element.attrib.items():
            attribute = local_name(name)
            if not value.strip():
                continue
            if (local, attribute) in _IDENTIFIERS and value.startswith("_xlnm."):
                continue  # a built-in name (print area, filter range): Excel's own
            if (local, attribute) in _IDENTIFIERS:
                add(Block(value.replace("_", " "), f"{part}:@{attribute}"),
                    _Identifier(element, name, book, sheet=False))
            elif local == "sheet" and attribute == "name" and element.getparent() is not None \
                    and element.getparent().tag == s("sheets"):
                continue  # collected first, as identifiers
            elif attribute == "location" or (attribute == "sheet" and local == "worksheetSource"):
                book.formulas.append(_attribute_formula(element, name))
            elif attribute in _PERSON_ATTRIBUTES:
                add(Block(value, f"{part}:@{attribute}", PERSON), _Attribute(element, name))
            elif attribute in _TEXT_ATTRIBUTES or (local, attribute) in _ELEMENT_ATTRIBUTES:
                add(Block(value, f"{part}:@{attribute}"), _Attribute(element, name))
            elif attribute == "formula":  # a calculated pivot field
                _collect_formula_literals(element, TEXT, part, book, add,
                                          lambda e=element, n=name: e.get(n, ""),
                                          lambda v, e=element, n=name: e.set(n, v))


@dataclass
class _SheetAttribute:
    """A pivot cache's source sheet: a bare sheet name."""

    element: etree._Element
    name: str

    def finish(self, book: _Workbook) -> None:
        old = self.element.get(self.name, "")
        self.element.set(self.name, book.sheet_renames.get(old, old))


def _attribute_formula(element: etree._Element, name: str) -> _Formula | _SheetAttribute:
    """A reference held in an attribute: a hyperlink's location ("'Dupont'!A1") or a pivot
    cache's source sheet."""
    if local_name(name) == "sheet":
        return _SheetAttribute(element, name)
    return _Formula(lambda e=element: e.get(name, ""), lambda v, e=element: e.set(name, v))


# -- write ---------------------------------------------------------------------------------
def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    state: XlsxState = document.state
    book = state.book
    for block, target, block_edits in zip(document.blocks, state.targets, edits, strict=True):
        if block_edits:
            target.apply(block_edits, block.text)
    for formula in book.formulas:
        formula.finish(book)
    _empty_unused_strings(book)
    book.package.save(dst)


def _empty_unused_strings(book: _Workbook) -> None:
    """Shared strings no cell uses any more (the originals of edited cells, and strings no
    cell ever used) are emptied; indexes stay valid."""
    if book.sst is None:
        return
    used: set[int] = set()
    total = 0
    for name in book.package.names():
        if not name.endswith(".xml") or name == CONTENT_TYPES:
            continue
        root = book.package.xml(name)
        if root.tag != s("worksheet"):
            continue
        for cell in root.iter(s("c")):
            value = cell.find(s("v"))
            if cell.get("t") == "s" and value is not None and value.text:
                used.add(int(value.text))
                total += 1
    for index, item in enumerate(book.sst_items):
        if index not in used and _rich_text(item):
            for child in list(item):
                item.remove(child)
            etree.SubElement(item, s("t"))
    book.sst.set("count", str(total))
    book.sst.set("uniqueCount", str(len(book.sst_items)))


# -- verification --------------------------------------------------------------------------
def read_back(path: Path) -> list[Piece]:
    """Every text node and attribute value of every XML part, rich texts joined, header
    codes blanked and identifiers' underscores read as spaces. Numbers that are geometry
    or formatting (theme percentages, drawing offsets: `lumMod val="75000"`) are left out:
    a CP column's "75000" would otherwise be found there."""
    package = Package.open(path, KIND)
    styles = {n: "quiet" for n in package.names() if package.content_type(n) == STYLES_TYPE}
    dates = _date_styles(package, styles)
    texts = [Piece("part names", n) for n in package.names()]
    for name in package.names():
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        root = package.xml(name)
        # a date cell holds a serial ("29000"), which a CP column's "29000" is not
        serials = {cell.find(s("v")) for cell in root.iter(s("c"))
                   if cell.get("t", "n") == "n" and int(cell.get("s", "0")) in dates}
        for container in root.iter(f"{{{A_NS}}}p", s("text"), s("si"), s("is")):
            tag = f"{{{A_NS}}}t" if container.tag == f"{{{A_NS}}}p" else s("t")
            texts.append(Piece(name, "".join(t.text or "" for t in container.iter(tag))))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            local = local_name(element.tag)
            text = element.text or ""
            # blank texts are dropped at the end: not made into pieces at all (a workbook
            # has hundreds of thousands of empty tails)
            if text.strip() and not (local in _GEOMETRY and text.strip().isdigit()) \
                    and element not in serials:
                texts.append(Piece(name, text))
            if element.tail and element.tail.strip():
                texts.append(Piece(name, element.tail))
            texts += [Piece(name, v) for n, v in element.attrib.items()
                      if not _NUMBER.fullmatch(v) or (local, local_name(n)) in _ELEMENT_ATTRIBUTES
                      or (local, local_name(n)) == ("n", "v")]
            if element.tag in _HEADER_FOOTER:
                texts.append(Piece(name, _HF_CODE.sub(lambda m: " " * len(m.group()), text)))
            texts += [Piece(name, v.replace("_", " ")) for v in element.attrib.values() if "_" in v]
            if "_" in text:
                texts.append(Piece(name, text.replace("_", " ")))
    return [t for t in texts if t.text.strip()]


# Drawing anchors: cell positions and offsets in EMU, as text nodes.
_GEOMETRY = {"col", "colOff", "row", "rowOff", "x", "y"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
