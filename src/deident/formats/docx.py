"""Word (.docx): every part of the package, not only the paragraphs python-docx shows.

Reading normalises the package before any text is collected: tracked changes are accepted
(deleted text is gone), rsids, document properties, template and mail-merge links,
thumbnails and unreachable parts are removed, image metadata is stripped. What cannot be
made safe (macros, embedded objects, altChunk, images whose metadata cannot be checked) is
refused, or dropped with `embedded="drop"`; an unknown part is always refused.

Pictures (PNG, JPEG, GIF, BMP) that may hold text are read by OCR (deident.formats.ocr):
their lines are blocks too, and a picture with replacements is painted and written back in
its own format and size.

Text is collected as blocks: each paragraph (its runs edited in place, so formatting stays
with the words), each field code, every other text node, the attributes that hold text
(alt text, tooltips, authors...) and external link targets.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex
from lxml import etree
from PIL import Image

from deident.columns import WHOLE_CELL_TYPES, column_type, header_types, is_header
from deident.document import Block, Document, Piece, Replacement, splice
from deident.entities import PERSON
from deident.errors import RefusedError
from deident.formats import embedded as embedded_documents
from deident.formats import ocr
from deident.formats.image_metadata import strip_metadata
from deident.formats.package import CONTENT_TYPES, R_NS, Package, local_name, remove_element
from deident.formats.segments import Segment, SegmentedText
from deident.formats.strict import to_strict, to_transitional

KIND = "Word document"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships/"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_MAIN_DOCX = _WML + "document.main+xml"
_MACRO_MAINS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": _MAIN_DOCX,
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": _WML + "template.main+xml",
}
# Parts made of paragraphs.
WML_TYPES = {_MAIN_DOCX, _WML + "template.main+xml", *_MACRO_MAINS} | {
    _WML + t for t in ("header+xml", "footer+xml", "footnotes+xml", "endnotes+xml", "comments+xml",
                       "document.glossary+xml")}
# Other XML: every text node and text attribute is analysed.
XML_TYPES = {
    *(_WML + t for t in ("settings+xml", "webSettings+xml", "fontTable+xml", "styles+xml",
                         "numbering+xml", "commentsExtended+xml", "commentsIds+xml",
                         "commentsExtensible+xml", "people+xml")),
    "application/vnd.ms-word.stylesWithEffects+xml",
    "application/vnd.openxmlformats-officedocument.theme+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    "application/xml", "text/xml", "image/svg+xml",
    *("application/vnd.openxmlformats-officedocument.drawingml." + t for t in (
        "chart+xml", "chartshapes+xml", "diagramData+xml", "diagramLayout+xml",
        "diagramStyle+xml", "diagramColors+xml")),
    "application/vnd.ms-office.chartstyle+xml", "application/vnd.ms-office.chartcolorstyle+xml",
    "application/vnd.ms-office.drawingml.diagramDrawing+xml",
}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp", "image/x-png"}
FONT_TYPES = {"application/vnd.openxmlformats-officedocument.obfuscatedFont",
              "application/x-fontdata", "application/x-font-ttf", "application/x-font"}
# Removed whatever they hold: custom properties, printer settings, thumbnails (by relation).
DROP_TYPES = {"application/vnd.openxmlformats-officedocument.custom-properties+xml",
              _WML + "printerSettings"}
_DROP_RELATIONS = {_PKG_REL + "metadata/thumbnail", _REL + "custom-properties",
                   _REL + "printerSettings"}
# A digital signature cannot survive a rewrite: its parts go, and the report says so.
_SIGNATURE_RELATIONS = {_PKG_REL + "digital-signature/" + t
                        for t in ("origin", "signature", "certificate")}
_SIGNATURE_TYPES = {"application/vnd.openxmlformats-package.digital-signature-" + t
                    for t in ("origin", "xmlsignature+xml", "certificate")}
SIGNATURE_NOTE = "digital signature removed (a rewritten document cannot keep it valid)"
# What cannot be made safe: the reason given when refusing, by relation or content type.
_EMBEDDED_RELATIONS = {
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject": "macros",
    "http://schemas.microsoft.com/office/2006/relationships/wordVbaData": "macros",
    "http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations": "macros",
    _REL + "oleObject": "an embedded OLE object",
    _REL + "package": "an embedded package",
    _REL + "aFChunk": "an alternative format chunk (altChunk)",
    _REL + "control": "an ActiveX control",
    "http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary":
        "an ActiveX control",
}
# Relations by which an embedded document (.docx, .xlsx, .pdf) is read recursively.
_DOCUMENT_REASONS = {_EMBEDDED_RELATIONS[_REL + "oleObject"], _EMBEDDED_RELATIONS[_REL + "package"]}
EMBEDDED_NOTE = "embedded document {} pseudonymized with the host"
PREVIEW_NOTE = "preview image of embedded document {} replaced by a blank one"
_IMAGE_REASON = "images whose metadata cannot be checked (EMF, WMF, TIFF)"
_UNCHECKABLE_IMAGES = {"image/x-emf", "image/x-wmf", "image/emf", "image/wmf", "image/tiff",
                       "image/vnd.ms-photo", "image/x-pict"}
# Elements removed with what they embed.
_CONTAINERS = (w("object"), w("drawing"), w("pict"), w("altChunk"), f"{{{C_NS}}}externalData")

# Tracked changes: elements dropped with their content, or unwrapped (content kept).
_REJECTED = {w(t) for t in (
    "del", "moveFrom", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange",
    "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "delText", "delInstrText",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlDelRangeStart", "customXmlDelRangeEnd", "customXmlInsRangeStart",
    "customXmlInsRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "cellIns", "cellDel", "cellMerge")}
_ACCEPTED = {w("ins"), w("moveTo")}
_PROPERTY_MARKERS = {w("rPr"), w("pPr"), w("trPr"), w("tcPr"), w("tblPr")}

# Visible characters that are elements, not text, inside a run.
_FIXED = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_NOT_TEXT = {w("binData"), w("fldData")}  # base64 payloads
# Attributes that hold free text (any namespace), and w:val of elements that do.
_TEXT_ATTRIBUTES = {"descr", "title", "tooltip", "instr", "alt", "author", "displayText"}
_NAMED_ELEMENTS = {"docPr", "cNvPr", "bookmarkStart"}  # their "name" attribute too
_TEXT_VALUE_ELEMENTS = {"alias", "tag", "statusText", "helpText", "default", "listEntry"}
_PERSON_ATTRIBUTES = {"author"}

_SETTINGS_REMOVED = {w(t) for t in ("attachedTemplate", "docVars", "mailMerge", "rsids")}
_APP_REMOVED = {"Company", "Manager", "Template", "HyperlinkBase", "TotalTime", "TitlesOfParts",
                "HeadingPairs"}


# -- targets: where a block's text lives, and how to write it back ---------------------------
@dataclass
class _Paragraph:
    segmented: SegmentedText

    def apply(self, edits: list[Replacement]) -> None:
        self.segmented.apply(edits)


@dataclass
class _TextNode:
    element: etree._Element
    tail: bool

    def apply(self, edits: list[Replacement]) -> None:
        if self.tail:
            self.element.tail = splice(self.element.tail, edits)
        else:
            self.element.text = splice(self.element.text, edits)


@dataclass
class _Attribute:
    element: etree._Element
    name: str

    def apply(self, edits: list[Replacement]) -> None:
        self.element.set(self.name, splice(self.element.get(self.name), edits))


@dataclass
class _TextPart:
    """A part of plain text (an add-in's data, say): rewritten whole, in UTF-8."""

    package: Package
    name: str

    def apply(self, edits: list[Replacement]) -> None:
        text = self.package.raw(self.name).decode("utf-8")
        self.package.set_raw(self.name, splice(text, edits).encode("utf-8"))


@dataclass
class _Picture:
    name: str
    image: Image.Image
    reading: ocr.Reading
    edits: dict[int, list[Replacement]] = field(default_factory=dict)


@dataclass
class _PictureLine:
    picture: _Picture
    line: int

    def apply(self, edits: list[Replacement]) -> None:
        self.picture.edits[self.line] = edits


@dataclass
class DocxState:
    package: Package
    targets: list[_Paragraph | _TextNode | _Attribute | _TextPart | _PictureLine
                  | embedded_documents.EmbeddedBlock]
    strict: bool = False  # a Strict OOXML package, read as Transitional, written back Strict
    pictures: list[_Picture] = field(default_factory=list)
    ocr: ocr.OcrOptions = field(default_factory=ocr.OcrOptions)
    embedded: list[embedded_documents.Embedded] = field(default_factory=list)
    previews: list[str] = field(default_factory=list)  # replaced by a blank picture


# -- read ---------------------------------------------------------------------------------
def read(path: Path, scope_id: str, *, embedded: str = "refuse", images: str = "refuse",
         max_parts: int = 5000, max_unpacked_mb: int = 500, ocr: ocr.OcrOptions | None = None,
         **_options: object) -> Document:
    try:
        return _read(path, scope_id, embedded, images, max_parts, max_unpacked_mb * 2**20,
                     ocr or _DEFAULT_OCR, _options)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError,
            UnicodeError) as exc:
        raise RefusedError(f"{KIND} with damaged or unsupported content "
                           f"({type(exc).__name__})") from None


_DEFAULT_OCR = ocr.OcrOptions()
_PIL_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "GIF": "GIF", "BMP": "BMP"}


def _read(path: Path, scope_id: str, embedded: str, images: str, max_parts: int,
          max_unpacked: int, options: ocr.OcrOptions, extra: dict[str, object]) -> Document:
    package = Package.open(path, KIND, max_parts, max_unpacked)
    strict = to_transitional(package)
    notes: list[str] = []
    previews: dict[str, str] = {}  # preview picture -> the embedded document it shows
    categories = _classify(package, embedded, images, notes, previews)
    documents = _read_embedded(package, categories, previews, scope_id, notes, int(
        extra.get("depth", 0)), embedded=embedded, images=images, max_parts=max_parts,
        max_unpacked_mb=max(1, max_unpacked // 2**20), ocr=options,
        columns=extra.get("columns"), max_pages=extra.get("max_pages", 5000))
    for name, category in categories.items():
        if category == "wml":
            _accept_tracked_changes(package.xml(name))
        if category in ("wml", "xml", "generic"):
            _remove_revision_metadata(package.xml(name))
        elif category == "image":
            package.set_raw(name, strip_metadata(package.raw(name), name))
    pages = _page_count(package, categories)
    _scrub_properties(package, categories)
    blocks: list[Block] = []
    targets: list[_Paragraph | _TextNode | _Attribute | _TextPart] = []
    for name, category in categories.items():
        if category in ("wml", "xml", "generic"):
            _collect(package.xml(name), name, category == "wml", blocks, targets,
                     every_attribute=category == "generic")
        elif category == "text" and package.raw(name).strip():
            blocks.append(Block(package.raw(name).decode("utf-8"), f"{name}:text"))
            targets.append(_TextPart(package, name))
    for source in ["", *categories]:
        for relationship in package.relationships(source):
            if relationship.get("TargetMode") == "External" and relationship.get("Target"):
                blocks.append(Block(relationship.get("Target"), f"{source}:rel"))
                targets.append(_Attribute(relationship, "Target"))
    pictures = [p for name, category in categories.items() if category == "image"
                for p in [_read_picture(package, name, options)] if p is not None]
    for picture in pictures:
        for index, (text, _) in enumerate(picture.reading.lines):
            blocks.append(Block(text, f"{picture.name}:ocr"))
            targets.append(_PictureLine(picture, index))
    for document in documents:  # one session with the host: the same surrogates
        for block, target in document.blocks():
            blocks.append(block)
            targets.append(target)
    if strict:
        notes.append("Strict Office Open XML")
    meta = {"note": "; ".join(notes)} if notes else {}
    if pages is not None:
        meta["pages"] = str(pages)
    return Document(blocks=blocks, scope_id=scope_id, meta=meta,
                    state=DocxState(package, targets, strict, pictures, options, documents,
                                    [n for n, c in categories.items() if c == "preview"]))


def _read_embedded(package: Package, categories: dict[str, str], previews: dict[str, str],
                   scope_id: str, notes: list[str], depth: int, **options: object
                   ) -> list[embedded_documents.Embedded]:
    """The embedded documents read by their adapters. One that would be refused refuses
    the host, or is dropped (its object and preview with it) with `embedded="drop"`."""
    documents = []
    for name in [n for n, c in categories.items() if c == "document"]:
        try:
            documents.append(embedded_documents.read(package.raw(name), name, scope_id, depth,
                                                     **options))
        except RefusedError:
            if options["embedded"] != "drop":
                raise
            package.drop(name, _CONTAINERS)
            del categories[name]
            notes.append(f"embedded document {name} removed (it cannot be made safe)")
            for preview in [p for p, shown in previews.items() if shown == name]:
                package.drop(preview, _CONTAINERS)  # it shows what was dropped
                categories.pop(preview, None)
                del previews[preview]
            continue
        notes.append(EMBEDDED_NOTE.format(name))
        note = documents[-1].document.meta.get("note")
        if note:
            notes.append(f"{name}: {note}")
    for preview, shown in previews.items():
        if categories.get(preview) == "preview":
            notes.append(PREVIEW_NOTE.format(shown))
    return documents


def _open_image(data: bytes, name: str, probe: bool = False) -> Image.Image:
    """The decoded picture; a `probe` is left undecoded (the cheap test may decode a
    JPEG at a fraction of its size)."""
    try:
        image = Image.open(io.BytesIO(data))
        if not probe:
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        raise RefusedError(f"{KIND} with an image that cannot be decoded ({name})") from None
    return image


def _read_picture(package: Package, name: str, options: ocr.OcrOptions) -> _Picture | None:
    """A picture's text, read by OCR when it may hold some; None when it holds none."""
    if options.mode == "off":
        return None
    data = package.raw(name)
    if not ocr.may_hold_text(_open_image(data, name, probe=True)):
        return None
    image = _open_image(data, name)
    if getattr(image, "n_frames", 1) > 1:
        raise RefusedError(f"{KIND} with an animated image that may hold text ({name})")
    reading = ocr.read(image, options, dpi=_image_dpi(image))
    if not ocr.picture_has_text(reading, options, f"image {name}"):
        ocr.remember(data, reading.text())
        return None
    return _Picture(name, image, reading)


def _image_dpi(image: Image.Image) -> int:
    declared = image.info.get("dpi")
    if declared and 70 <= float(declared[0]) <= 1200:
        return int(float(declared[0]))
    return 300 if max(image.size) > 1500 else 150


def _page_count(package: Package, categories: dict[str, str]) -> int | None:
    """Word's own count, from the extended properties, when it wrote one."""
    for name, category in categories.items():
        if category != "xml" or not name.startswith("docProps/"):
            continue
        root = package.xml(name)
        if local_name(root.tag) == "Properties":
            for child in root:
                if isinstance(child.tag, str) and local_name(child.tag) == "Pages" and \
                        (child.text or "").strip().isdigit():
                    return int(child.text.strip())
    return None


def _classify(package: Package, embedded: str, images: str, notes: list[str],
              previews: dict[str, str]) -> dict[str, str]:
    """Each reachable part's category; refuses or drops what cannot be made safe. An
    embedded .docx, .xlsx or .pdf is a "document" (read recursively) and the picture that
    shows it in its OLE object a "preview" (it shows the old content: replaced by a blank
    one, whatever its format; `previews` gets which document each shows)."""
    reachable = package.reachable()
    for name in package.names():  # parts no relationship reaches: invisible, yet data
        if name not in reachable and name != CONTENT_TYPES and not name.endswith(".rels"):
            package.drop(name)
    if not any(package.content_type(n) in WML_TYPES for n in reachable):
        raise RefusedError(f"not a valid {KIND} (no main document part)")
    signatures = [n for n in reachable if package.content_type(n) in _SIGNATURE_TYPES
                  or _relation_types_to(package, n) & _SIGNATURE_RELATIONS]
    for name in signatures:
        package.drop(name)
    if signatures:
        notes.append(SIGNATURE_NOTE)
    reasons = _embedded_parts(package, package.reachable())
    documents = {name for name, reason in reasons.items() if name and reason in _DOCUMENT_REASONS
                 and embedded_documents.kind_of(package.raw(name)) is not None}
    previews.update(_previews(package, documents))
    for name in documents | set(previews):
        reasons.pop(name, None)
    for reason_is_image, policy, flag in ((False, embedded, "--embedded"), (True, images, "--images")):
        listed = sorted({r for r in reasons.values() if (r == _IMAGE_REASON) == reason_is_image})
        if listed and policy != "drop":
            raise RefusedError(f"{KIND} with {', '.join(listed)}: cannot be made safe "
                               f"(use {flag} drop to remove them)")
    for name in reasons:
        if name:
            package.drop(name, _CONTAINERS)
    for name in package.reachable():
        if _relation_types_to(package, name) & _DROP_RELATIONS or \
                package.content_type(name) in DROP_TYPES:
            package.drop(name, _CONTAINERS)
    categories: dict[str, str] = {}
    for name in package.reachable():
        content_type = package.content_type(name)
        if content_type in _MACRO_MAINS:  # macros were dropped above: a plain document now
            package.set_content_type(name, _MACRO_MAINS[content_type])
            content_type = _MACRO_MAINS[content_type]
        if name in documents:
            categories[name] = "document"
        elif name in previews:
            categories[name] = "preview"
        elif content_type in WML_TYPES:
            categories[name] = "wml"
        elif content_type in XML_TYPES:
            categories[name] = "xml"
        elif _is_xml(package, name, content_type):
            categories[name] = "generic"  # an add-in's or a newer Office's XML: all of it
        elif content_type in IMAGE_TYPES:
            categories[name] = "image"
        elif content_type in FONT_TYPES:
            categories[name] = "font"
        elif content_type.startswith("text/") and _is_utf8(package.raw(name)):
            categories[name] = "text"
        elif embedded == "drop":
            package.drop(name, _CONTAINERS)
        else:
            raise RefusedError(f"{KIND} with a binary part of unknown type "
                               f"'{content_type or 'unknown'}': cannot be checked "
                               "(use --embedded drop to remove it)")
    return categories


def _is_xml(package: Package, name: str, content_type: str) -> bool:
    """A part of a type no table lists that says or looks like XML; it must then parse
    (a malformed part, a DTD or an entity declaration refuses the file)."""
    if not (content_type.endswith(("+xml", "/xml")) or name.endswith(".xml")
            or package.raw(name).lstrip()[:1] == b"<"):
        return False
    package.xml(name)
    return True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _embedded_parts(package: Package, reachable: list[str]) -> dict[str, str]:
    """Parts that cannot be made safe, with the reason; "" stands for a macro-enabled main
    document (its macros are parts of their own, dropped with them)."""
    reasons: dict[str, str] = {}
    for name in reachable:
        for relation in _relation_types_to(package, name):
            if relation in _EMBEDDED_RELATIONS:
                reasons[name] = _EMBEDDED_RELATIONS[relation]
        content_type = package.content_type(name)
        if content_type in _UNCHECKABLE_IMAGES:
            reasons[name] = _IMAGE_REASON
        elif content_type in _MACRO_MAINS:
            reasons[""] = "macros"
    return reasons


def _previews(package: Package, documents: set[str]) -> dict[str, str]:
    """The pictures that show an embedded document in its OLE object (`v:imagedata` beside
    `o:OLEObject` in one `w:object`): picture -> document."""
    found: dict[str, str] = {}
    for source in package.names():
        if source.endswith(".rels") or source == CONTENT_TYPES or not source.endswith(".xml"):
            continue
        targets = {r.get("Id"): package.target(source, r) for r in package.relationships(source)}
        shown = {rel_id for rel_id, target in targets.items() if target in documents}
        if not shown:
            continue
        for element in package.xml(source).iter():
            ids = {v for k, v in element.attrib.items() if k.startswith(f"{{{R_NS}}}")}
            if not ids & shown:
                continue
            document = targets[next(iter(ids & shown))]
            container = element
            while container is not None and container.tag not in _CONTAINERS:
                container = container.getparent()
            if container is None:
                continue
            for inner in container.iter():
                for value in inner.attrib.values():
                    target = targets.get(value)
                    if target and target in package and target not in documents \
                            and package.content_type(target).startswith("image/"):
                        found[target] = document
    return found


def _relation_types_to(package: Package, name: str) -> set[str]:
    types = set()
    for source in ["", *package.names()]:
        if source.endswith(".rels") or source == CONTENT_TYPES:
            continue
        for relationship in package.relationships(source):
            if package.target(source, relationship) == name:
                types.add(relationship.get("Type", ""))
    return types


def _accept_tracked_changes(root: etree._Element) -> None:
    for element in list(root.iter(*_REJECTED)):
        parent = element.getparent()
        if parent is None:
            continue
        if element.tag == w("del") and parent.tag == w("trPr"):  # a deleted table row
            row = parent.getparent()
            if row is not None and row.getparent() is not None:
                row.getparent().remove(row)
                continue
        remove_element(element)
    for element in list(root.iter(*_ACCEPTED)):
        parent = element.getparent()
        if parent is None:
            continue
        if parent.tag in _PROPERTY_MARKERS or len(element) == 0:
            remove_element(element)  # a mark on a paragraph, row or run: nothing to keep
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        remove_element(element)


# Found by libxml2 itself: a styles part alone holds some 14,000 attributes.
_REVISION_ATTRIBUTES = etree.XPath(
    "//@*[(namespace-uri() = $w and starts-with(local-name(), 'rsid'))"
    " or local-name() = 'date' or local-name() = 'dateUtc']")


def _remove_revision_metadata(root: etree._Element) -> None:
    """Editing-session ids and timestamps say who edited when."""
    for element in list(root.iter(w("rsid"))):  # a style's editing session
        remove_element(element)
    for attribute in _REVISION_ATTRIBUTES(root, w=W_NS):
        del attribute.getparent().attrib[attribute.attrname]


def _scrub_properties(package: Package, categories: dict[str, str]) -> None:
    for name in categories:
        root = package.xml(name) if categories[name] in ("wml", "xml") else None
        if root is None:
            continue
        local = local_name(root.tag)
        if local == "coreProperties":  # author, title, subject, keywords, dates...
            for child in list(root):
                root.remove(child)
        elif local == "Properties" and name.startswith("docProps/"):
            for child in list(root):
                if isinstance(child.tag, str) and local_name(child.tag) in _APP_REMOVED:
                    root.remove(child)
        elif local == "settings":
            for child in list(root):
                if child.tag in _SETTINGS_REMOVED:
                    root.remove(child)
            _drop_unused_relationships(package, name)
        elif local == "people":  # presence ids are logins or e-mail addresses
            for element in list(root.iter("{*}presenceInfo")):
                remove_element(element)


def _drop_unused_relationships(package: Package, name: str) -> None:
    used = {value for element in package.xml(name).iter() for value in element.attrib.values()}
    for relationship in package.relationships(name):
        if relationship.get("Id") not in used:
            relationship.getparent().remove(relationship)


# -- blocks -------------------------------------------------------------------------------
def _collect(root: etree._Element, part: str, paragraphs: bool, blocks: list[Block],
             targets: list, every_attribute: bool = False) -> None:
    """`every_attribute`: for XML of a type no table lists, whose attributes' meaning is
    unknown, every attribute value is analysed, not only those known to hold text."""
    consumed: set[etree._Element] = set()
    if paragraphs:
        typed = _typed_cell_paragraphs(root)
        for index, paragraph in enumerate(root.iter(w("p"))):
            visible, fields = _paragraph_segments(paragraph, consumed)
            for kind, segments in (("p", visible), ("field", fields)):
                segmented = SegmentedText(segments)
                if segmented.text.strip():
                    entity_type = typed.get(paragraph) if kind == "p" else None
                    blocks.append(Block(segmented.text, f"{part}:{kind}{index}", entity_type))
                    targets.append(_Paragraph(segmented))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if element not in consumed and element.tag not in _NOT_TEXT and (element.text or "").strip():
            blocks.append(Block(element.text, f"{part}:text"))
            targets.append(_TextNode(element, tail=False))
        if (element.tail or "").strip():
            blocks.append(Block(element.tail, f"{part}:tail"))
            targets.append(_TextNode(element, tail=True))
        for name, value in element.attrib.items():
            if value.strip() and (every_attribute or _holds_text(element, name)):
                person = local_name(name) in _PERSON_ATTRIBUTES
                blocks.append(Block(value, f"{part}:@{local_name(name)}", PERSON if person else None))
                targets.append(_Attribute(element, name))


def _cell_text(cell: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(w("t"))) for p in cell.findall(w("p")))


def _typed_cell_paragraphs(root: etree._Element) -> dict[etree._Element, str]:
    """Paragraphs of the cells under a header that names personal data ("Nom", "Prénom",
    "Initiales", "Ville", "DDN", "Établissement"), or right of such a label: each is that
    whatever it looks like ("Paul" alone, "DC", "PARIS").

    The header row is the first whose cells are all column titles, one of them typed
    (`deident.columns.header_types`: "Ville | Motif"), so a label/value table ("Nom |
    DUPONT") is read row by row instead; a cell that is itself a title is never marked."""
    typed: dict[etree._Element, str] = {}

    def mark(cell: etree._Element, entity_type: str) -> None:
        if not is_header(_cell_text(cell)):
            for paragraph in cell.findall(w("p")):
                typed[paragraph] = entity_type

    for table in root.iter(w("tbl")):
        columns: dict[int, str] | None = None
        for row in table.findall(w("tr")):
            cells = _row_cells(row)
            texts = [_cell_text(c) for _, c in cells]
            if columns is None and (header := header_types(texts)) is not None:
                columns = {cells[i][0]: t.entity_type for i, t in header.items()
                           if t.entity_type in WHOLE_CELL_TYPES}
                continue
            if columns is not None:
                for i, cell in cells:
                    if i in columns:
                        mark(cell, columns[i])
            else:  # label/value rows: "Nom | GUILLOU", "Ville | PARIS"
                for (_, cell), label in zip(cells[1:], texts, strict=False):
                    found = column_type(label)
                    if found is not None and found.entity_type in WHOLE_CELL_TYPES:
                        mark(cell, found.entity_type)
    return typed


def _row_cells(row: etree._Element) -> list[tuple[int, etree._Element]]:
    """The row's cells with their grid column (merged cells span several)."""
    cells, column = [], 0
    for cell in row.findall(w("tc")):
        cells.append((column, cell))
        span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
        value = span.get(w("val"), "1") if span is not None else "1"
        column += int(value) if value.isdigit() else 1
    return cells


def _holds_text(element: etree._Element, name: str) -> bool:
    local = local_name(name)
    if local in _TEXT_ATTRIBUTES:
        return True
    owner = local_name(element.tag)
    if local == "name":
        return owner in _NAMED_ELEMENTS or local_name(element.getparent().tag) == "ffData" \
            if element.getparent() is not None else owner in _NAMED_ELEMENTS
    return local == "val" and owner in _TEXT_VALUE_ELEMENTS


def _paragraph_segments(paragraph: etree._Element, consumed: set[etree._Element]
                        ) -> tuple[list[Segment], list[Segment]]:
    """The paragraph's own text (nested paragraphs of text boxes are theirs), and its field
    codes, as segments that write back into their elements."""
    visible: list[Segment] = []
    fields: list[Segment] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag == w("p") or not isinstance(child.tag, str):
                continue
            if child.tag == w("t"):
                visible.append(Segment(child.text or "", _writer(child)))
                consumed.add(child)
            elif child.tag == w("instrText"):
                fields.append(Segment(child.text or "", _writer(child)))
                consumed.add(child)
            elif child.tag in _FIXED and element.tag == w("r"):
                visible.append(Segment(_FIXED[child.tag], None))
            else:
                walk(child)

    walk(paragraph)
    return visible, fields


def _writer(element: etree._Element) -> Callable[[str], None]:
    def write(text: str) -> None:
        element.text = text
        element.set(f"{{{XML_NS}}}space", "preserve")

    return write


# -- write --------------------------------------------------------------------------------
def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    state: DocxState = document.state
    for target, block_edits in zip(state.targets, edits, strict=True):
        if block_edits:
            target.apply(block_edits)
    for name in state.package.parsed():
        _initials_from_authors(state.package.xml(name))
    if state.strict:
        to_strict(state.package)
    for picture in state.pictures:
        _write_picture(state.package, picture, state.ocr)
    for document in state.embedded:
        state.package.set_raw(document.name, document.write())
    for name in state.previews:
        _blank_preview(state.package, name)
    state.package.save(dst)


def _blank_preview(package: Package, name: str) -> None:
    """A light grey PNG in place of an embedded document's preview: the OLE object keeps
    its place and size (the shape's), and Word draws a new preview from the pseudonymized
    document when it is next opened. An EMF or WMF preview becomes a .png part."""
    image = Image.new("RGB", (160, 120), (235, 235, 235))
    data = ocr.encode(image, "PNG")
    if package.content_type(name) != "image/png":
        new = posixpath.splitext(name)[0] + ".png"
        while new in package:
            new = posixpath.splitext(new)[0] + "-blank.png"
        package.rename(name, new, "image/png")
        name = new
    package.set_raw(name, data)


def _write_picture(package: Package, picture: _Picture, options: ocr.OcrOptions) -> None:
    """The painted picture in its own format and size, when it has anything to paint."""
    fmt = _PIL_FORMATS.get(picture.image.format or "", "PNG")

    def as_original_format(image: Image.Image) -> bytes:
        return ocr.encode(image, fmt, **({"quality": 90} if fmt == "JPEG" else {}))

    edits = [picture.edits.get(i, []) for i in range(len(picture.reading.lines))]
    result = ocr.redact(picture.image, picture.reading, edits, options, as_original_format,
                        f"image {picture.name}")
    if result is not None:
        package.set_raw(picture.name, result[0])


_WITH_INITIALS = etree.XPath("//*[@*[local-name() = 'initials']]")


def _initials_from_authors(root: etree._Element) -> None:
    """A comment's initials follow its (pseudonymized) author."""
    for element in _WITH_INITIALS(root):
        initials = [n for n in element.attrib if local_name(n) == "initials"]
        authors = [n for n in element.attrib if local_name(n) == "author"]
        for name in initials:
            author = element.get(authors[0]) if authors else ""
            element.set(name, "".join(word[0] for word in author.split()).upper())


# -- verification -------------------------------------------------------------------------
def read_back(path: Path) -> list[Piece]:
    """Everything the package holds as text, each with its place: part names (media
    names too), every text node and attribute value, each paragraph's and field's text,
    each table row's cells joined (a number written one digit per cell), and the text the
    pictures show (OCR)."""
    package = Package.open(path, KIND)
    to_transitional(package)
    pieces = [Piece("part names", name) for name in package.names()
              if not _STANDARD_PART.fullmatch(name)]
    for name in package.names():
        if package.content_type(name).startswith("text/") and _is_utf8(package.raw(name)):
            pieces.append(Piece(name, package.raw(name).decode("utf-8")))
            continue
        if not name.endswith((".xml", ".rels")) and \
                embedded_documents.kind_of(package.raw(name)) is not None:
            pieces += embedded_documents.read_back(package.raw(name), name)
            continue
        if package.content_type(name) in IMAGE_TYPES:
            pieces.append(Piece(f"{name} (picture text)", _text_in_picture(package.raw(name), name)))
        if not name.endswith((".xml", ".rels")):
            continue
        root = package.xml(name)
        for paragraph in root.iter(w("p")):
            visible, fields = _paragraph_segments(paragraph, set())
            pieces += [Piece(f"{name} (paragraph)", "".join(s.text for s in visible)),
                       Piece(f"{name} (field code)", "".join(s.text for s in fields))]
        for row in root.iter(w("tr")):
            cells = ["".join(t.text or "" for t in cell.iter(w("t"))) for cell in row.iter(w("tc"))]
            pieces.append(Piece(f"{name} (table row)", " ".join(cells)))
        pieces += _nodes_and_attributes(name, root)
    return [p for p in pieces if p.text.strip()]


def _nodes_and_attributes(name: str, root: etree._Element) -> Iterator[Piece]:
    """Every text node, tail and attribute value of the part that holds more than spaces
    (a styles part alone has some 14,000 attributes: only those are made pieces)."""
    qualified = _Qualified(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = None
        for suffix, text in (("", element.text), (" tail", element.tail)):
            if text and not text.isspace():
                tag = tag or qualified(element, element.tag)
                yield Piece(f"{name} ({tag}{suffix})", text)
        for attribute, value in element.attrib.items():
            if value and not value.isspace() and not _structural(name, element, attribute, value):
                tag = tag or qualified(element, element.tag)
                yield Piece(f"{name} ({tag}/@{qualified(element, attribute)})", value)


# Part names every Word file has ("word/header1.xml"): a detected "Header" is no reason to
# refuse them. Media, embeddings and any other name are searched.
_STANDARD_PART = regex.compile(
    r"(?:\[Content_Types\]\.xml|(?:.*/)?_rels/.*\.rels|docProps/(?:core|app|custom|thumbnail)\.\w+|"
    r"(?:word|customXml)/(?:_rels/)?(?:document|styles|stylesWithEffects|settings|webSettings|"
    r"fontTable|numbering|footnotes|endnotes|comments|commentsExtended|commentsIds|"
    r"commentsExtensible|people|header\d*|footer\d*|theme/theme\d*|glossary/document|"
    r"item\d*|itemProps\d*|charts/(?:chart|colors|style)\d*|"
    r"diagrams/(?:data|layout|quickStyle|colors|drawing)\d*)\.xml(?:\.rels)?|"
    # the names Word gives pictures and embedded objects
    r"word/(?:media/image\d*\.\w+|embeddings/(?:oleObject\d*|"
    r"Microsoft_(?:Word|Excel|PowerPoint)_(?:Document|Sheet|Worksheet|Presentation)\d*)\.\w+))")


_KEYWORD = regex.compile(r"[a-z][a-zA-Z0-9]*")
_SCHEMA_URI = regex.compile(r"https?://schemas\.(?:openxmlformats\.org|microsoft\.com)/[\w./-]*$|"
                            r"\{[0-9A-Fa-f-]{36}\}$")
_STYLE_REFERENCES = {w(t) for t in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink",
                                    "basedOn", "next", "link", "name", "aliases")}


# Language tags (language, script, region: "fr-FR", "zh-Hans-CN", "ar-SA") of run and theme
# languages.
_LANGUAGE_ELEMENTS = frozenset({w("lang"), w("themeFontLang")})
_LANGUAGE_ATTRIBUTES = frozenset({w("val"), w("eastAsia"), w("bidi")})
_LANGUAGE_TAG = regex.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?")


_W_PREFIX = w("")
_W_STYLE_ID, _W_VAL, _W_NAME, _W_LATENT_STYLE = w("styleId"), w("val"), w("name"), w("lsdException")


def _structural(part: str, element: etree._Element, attribute: str, value: str) -> bool:
    """A package's own wiring, never text: the content types and relationship types, the
    names of the parts every Word file has (external targets are searched), and the
    keywords WordprocessingML attributes take (`w:type="first"`) outside text attributes."""
    if not (part == CONTENT_TYPES or part.endswith(".rels")):
        if attribute == "uri" and _SCHEMA_URI.match(value):
            return True  # a:graphicData/@uri, a:ext/@uri: the kind of a drawing, a schema's
        if element.tag in _LANGUAGE_ELEMENTS and attribute in _LANGUAGE_ATTRIBUTES \
                and _LANGUAGE_TAG.fullmatch(value):
            return True  # "ja-JP": a language, not the initials of a "J.-P."
        if attribute == _W_STYLE_ID or (attribute == _W_VAL and element.tag in _STYLE_REFERENCES) \
                or (attribute == _W_NAME and element.tag == _W_LATENT_STYLE):
            return True  # style names and ids: Word's and the template's ("Header", "Title")
        return attribute.startswith(_W_PREFIX) and _KEYWORD.fullmatch(value) is not None \
            and not _holds_text(element, attribute)
    if attribute in ("Type", "ContentType", "Extension", "Id", "TargetMode"):
        return True
    if attribute in ("PartName", "Target") and element.get("TargetMode") != "External":
        folder = posixpath.dirname(posixpath.dirname(part))  # word/_rels/x.rels -> word
        target = value.lstrip("/") if value.startswith("/") or part == CONTENT_TYPES else \
            posixpath.normpath(posixpath.join(folder, value))
        return _STANDARD_PART.fullmatch(target) is not None
    return False


class _Qualified:
    """`{namespace}docPr` as the file writes it: `wp:docPr`. A part's elements nearly all
    use the prefixes its root declares: those are read once (an element's own namespace
    map is built afresh at each call), the element's own only for the others."""

    def __init__(self, root: etree._Element) -> None:
        self._prefixes: dict[str, str] = {}
        for prefix, uri in root.nsmap.items():
            if prefix:
                self._prefixes.setdefault(uri, prefix)

    def __call__(self, element: etree._Element, name: str) -> str:
        qname = etree.QName(name)
        if qname.namespace is None:
            return qname.localname
        prefix = self._prefixes.get(qname.namespace) or next(
            (p for p, uri in element.nsmap.items() if uri == qname.namespace and p), None)
        return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _text_in_picture(data: bytes, name: str) -> str:
    try:
        return ocr.text_in(data, lambda: _open_image(data, name), _DEFAULT_OCR)
    except ocr.OcrUnavailableError:
        return ""
