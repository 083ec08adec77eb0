"""PDF: the original glyphs are removed from the content streams and the surrogate is
drawn in their place; annotations, form values, bookmarks and links are rewritten;
metadata, JavaScript, thumbnails and old revisions are dropped (a full rewrite). A form
value is read with what labels it (deident.formats.pdf_fields): the text beside its widget,
its tooltip, its name.

Text is read operator by operator with the text state (BT/ET, Tf, Tm, Td, TD, T*, Tc, Tw,
Tz, TL, Ts, Tr, q/Q, cm), each glyph decoded through its font (encoding, ToUnicode) and
placed in user space; glyphs on one baseline form a line, the block the analyzer sees, so
a name drawn by several operators or fonts is one string. A removed glyph leaves its
advance behind (a TJ kerning number), so nothing else on the line moves; the surrogate is
drawn at the original position with a standard-14 font close to the original (serif or
sans, bold, italic), squeezed with Tz to the original width (and drawn smaller past
half width).

The file is opened through qpdf (pikepdf): damaged files are repaired, owner-password-only
files (and, with `password`, user-password files) decrypted, and written unencrypted;
signatures and an XFA form with an AcroForm fallback are removed; each noted in
`Document.meta["note"]`. The output is written through qpdf again (reachable objects only,
object streams, deterministic /ID).

Refused: user-password files without the password, pure XFA, files no reader opens, pages
with no text layer (scans), fonts that cannot be decoded; attachments unless
`embedded="drop"`.

Scanned pages (no text layer, only images; every page with `ocr.mode = "force"`) are
rendered with PDFium, read by OCR (deident.formats.ocr), and written back as the painted
image at the same page size with an invisible text layer of the pseudonymized OCR text:
the original image and content are gone from the file. Images on text pages are read too;
one whose text holds personal data is replaced by its painted copy (same size, place).

Refused (besides the above): scans when OCR is off or Tesseract absent,
fonts that cannot be decoded; attachments unless `embedded="drop"`.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import math
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy
import pikepdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import LimitReachedError, PdfReadError, PdfStreamError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from pypdf.generic._font import Font

from deident.document import Block, Document, Piece, Replacement, splice
from deident.errors import RefusedError
from deident.formats import ocr, pdf_fields
from deident.formats.pdf_fields import Labelling

KIND = "PDF"


# pypdf's warnings quote bytes of the file ("Invalid Elementary Object starting with
# b'...'"): personal data. Its loggers ("pypdf._reader"...) inherit this level: silent.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
# Everything pypdf raises on a damaged file (and what a damaged file makes Python raise).
_DAMAGED = (PdfReadError, PdfStreamError, LimitReachedError, ValueError, KeyError, TypeError,
            AttributeError, IndexError, NotImplementedError, RecursionError, OverflowError,
            ZeroDivisionError, UnicodeError, struct.error, zlib.error)
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MIN_SQUEEZE = 0.5  # horizontal scaling (Tz) of a surrogate wider than the original
MAX_FORM_DEPTH = 32  # forms drawn inside forms: real files stay far below
_LINE_TOLERANCE = 1.0  # points: glyphs within this of a baseline are on it
# Strings of dictionaries that hold free text: annotations, fields, bookmarks, links.
_TEXT_KEYS = ("/Contents", "/T", "/RC", "/Subj", "/TU", "/TM", "/V", "/DV", "/Title", "/URI",
              "/P", "/ActualText", "/Alt", "/E")
_INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer",
              "/CreationDate", "/ModDate", "/Trapped")
_VOCABULARY_KEYS = ("/Type", "/Subtype", "/S", "/FT", "/Filter", "/BM", "/IT", "/H",
                    "/HT", "/BaseState", "/Event", "/Intent")
_REMOVED_KEYS = ("/Metadata", "/Thumb", "/JS", "/JavaScript", "/AA", "/PieceInfo")
_STANDARD_FONTS = {  # (serif, fixed, bold, italic) -> standard-14 font
    (False, False, False, False): "Helvetica", (False, False, True, False): "Helvetica-Bold",
    (False, False, False, True): "Helvetica-Oblique",
    (False, False, True, True): "Helvetica-BoldOblique",
    (True, False, False, False): "Times-Roman", (True, False, True, False): "Times-Bold",
    (True, False, False, True): "Times-Italic", (True, False, True, True): "Times-BoldItalic",
}


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


@dataclass
class _Glyph:
    char: str
    operation: int  # index in the stream's operations
    element: int  # index of the string in a TJ array (0 for Tj)
    start: int  # byte range in that string
    end: int
    advance: float  # in text space, after Tc/Tw/Tz
    matrix: tuple[float, ...]  # where the glyph starts in user space: Tm x CTM
    text_matrix: tuple[float, ...]  # Tm alone, for drawing under the same CTM
    line_matrix: tuple[float, ...]  # Tlm: where the text object resumes after a drawing
    font: Font
    font_name: str  # its name in the stream's resources
    size: float
    scale: float  # Tz / 100
    invisible: bool


@dataclass
class _Stream:
    """One content stream (a page's or a form XObject's) and its glyphs."""

    owner: DictionaryObject  # the page, the form XObject or the appearance stream
    content: ContentStream
    glyphs: list[_Glyph]
    inherited_fonts: DictionaryObject | None = None  # when the owner has no resources of its own
    removed: set[int] = field(default_factory=set)  # glyph indexes
    marked: list[DictionaryObject] = field(default_factory=list)  # BDC property lists
    dirty: bool = False  # a property list changed
    drawn: list[tuple[_Glyph, str, float]] = field(default_factory=list)  # first glyph, text, width


@dataclass
class _Line:
    stream: _Stream
    chars: list[int | None]  # glyph index per character; None for an inserted space
    # Positions in `chars` of the spaces that stand for a column gap (a table's cells, a
    # form's label and value): the line's text holds a tab there, as a text table would.
    columns: frozenset[int] = frozenset()

    def text(self) -> str:
        return "".join(("\t" if n in self.columns else " ") if i is None
                       else self.stream.glyphs[i].char for n, i in enumerate(self.chars))


@dataclass
class _DictText:
    holder: DictionaryObject
    key: str
    stream: _Stream | None = None  # set for a marked-content property list inside a stream


@dataclass
class _Labelled:
    """A form field's value (or a line of its appearance) read after its label: the block
    is "label : value", and only what follows the label's `prefix` characters is written."""

    target: _Line | _DictText
    prefix: int


@dataclass
class _DestinationName:
    """A key of the named-destination tree; links and bookmarks refer to it by name."""

    array: ArrayObject
    index: int


@dataclass
class _Picture:
    """An image read by OCR: a scanned page (rendered) or an image XObject of a text page."""

    image: Image.Image
    reading: ocr.Reading
    where: str
    page: DictionaryObject | None = None  # a scanned page, rewritten whole
    xobject: StreamObject | None = None  # an image XObject, its data replaced
    edits: dict[int, list[Replacement]] = field(default_factory=dict)  # line -> edits
    turn: int = 0  # degrees clockwise the rendered page was turned to read upright


@dataclass
class _PictureLine:
    picture: _Picture
    line: int


@dataclass
class PdfState:
    writer: PdfWriter
    streams: list[_Stream]
    targets: list[_Line | _DictText | _Labelled | _DestinationName | _PictureLine]
    pictures: list[_Picture] = field(default_factory=list)
    ocr: ocr.OcrOptions = field(default_factory=ocr.OcrOptions)


# -- read ---------------------------------------------------------------------------------
def read(path: Path, scope_id: str, *, embedded: str = "refuse", max_pages: int = 5000,
         ocr: ocr.OcrOptions | None = None, password: str | None = None,
         **options: object) -> Document:
    try:
        return _read(path, scope_id, embedded=embedded, max_pages=max_pages,
                     options=ocr or _DEFAULT_OCR, password=password)
    except _DAMAGED as exc:
        raise RefusedError(f"PDF with damaged or unsupported content ({type(exc).__name__})") \
            from None


_DEFAULT_OCR = ocr.OcrOptions()


def _open(path: Path, password: str | None) -> tuple[PdfReader, list[str]]:
    """The file as qpdf reads it, rewritten once and unencrypted, for pypdf, and notes for
    the report. qpdf (through pikepdf) is the reference repairer: it rebuilds a broken xref,
    skips junk before %PDF, fixes wrong stream lengths and object offsets, reads a missing
    object as null, parses delimiters pypdf's parser takes into names (a NUL between
    tokens), and decrypts every standard security handler (R2-R6), with the empty user
    password or the one given."""
    with warnings.catch_warnings():  # pikepdf's advice on forms: not ours to print
        warnings.simplefilter("ignore")
        return _open_with_qpdf(path, password)


def _open_with_qpdf(path: Path, password: str | None) -> tuple[PdfReader, list[str]]:
    notes: list[str] = []
    try:
        try:  # the empty user password first: most encrypted PDFs only restrict printing
            source, given = pikepdf.open(path, password="", attempt_recovery=True), False
        except pikepdf.PasswordError:
            if not password:
                raise
            source, given = pikepdf.open(path, password=password, attempt_recovery=True), True
    except pikepdf.PasswordError:
        if password:
            raise RefusedError("encrypted PDF: the password given does not open it") from None
        raise RefusedError("encrypted PDF that needs a user password "
                           "(give it with --password-file)") from None
    except (pikepdf.PdfError, OSError, RuntimeError, ValueError) as exc:
        # qpdf's message names the file (a name can be personal data): only its kind here.
        what = "its page tree cannot be rebuilt" if "pages tree" in str(exc) else \
            "no cross-reference or object can be read"
        raise RefusedError(f"not a valid PDF, damaged beyond repair ({what})") from None
    with source:
        with path.open("rb") as handle:
            if not handle.read(1024).startswith(b"%PDF-"):
                notes.append("damaged file repaired (bytes before %PDF)")
        _normalize_content_streams(source)
        if source.is_encrypted:
            notes.append("decrypted with the password given, written unencrypted" if given
                         else "encryption removed (owner password only)")
        buffer = io.BytesIO()
        try:
            source.save(buffer, encryption=False, fix_metadata_version=False,
                        preserve_pdfa=False)
        except (pikepdf.PdfError, RuntimeError, ValueError):
            raise RefusedError("not a valid PDF (damaged beyond repair)") from None
        # Warnings are qpdf's repairs; the PDF was damaged (their text quotes no content).
        if source.get_warnings():
            notes.append("damaged file repaired")
    buffer.seek(0)
    return PdfReader(buffer, strict=False), notes


def _normalize_content_streams(source: pikepdf.Pdf) -> None:
    """Content streams with NUL bytes are tokenized by qpdf and written back with plain
    delimiters: pypdf's parser takes a NUL between tokens into the name before it (a colour
    space, a font) and the page no longer draws what it drew. qpdf's tokenizer keeps strings,
    #xx name escapes and inline images as they were. Other streams are left byte for byte."""
    for page in source.pages:
        contents = page.obj.get("/Contents")
        parts = contents if isinstance(contents, pikepdf.Array) else [contents]
        if contents is not None and any(isinstance(part, pikepdf.Stream)
                                        and b"\0" in part.read_bytes() for part in parts):
            page.obj.Contents = source.make_stream(
                pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)))
    for obj in source.objects:
        if isinstance(obj, pikepdf.Stream) and "/BBox" in obj and obj.get("/Subtype") != "/Image":
            try:
                data = obj.read_bytes()
            except pikepdf.PdfError:
                continue
            if b"\0" in data:
                obj.write(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(obj)))


def _read(path: Path, scope_id: str, *, embedded: str, max_pages: int,
          options: ocr.OcrOptions, password: str | None = None) -> Document:
    reader, notes = _open(path, password)
    try:
        writer = PdfWriter(clone_from=reader)  # a full rewrite: no incremental revision stays
    except (*_DAMAGED, OSError):
        raise RefusedError("not a valid PDF (damaged or unreadable)") from None
    root = writer.root_object
    if len(writer.pages) > max_pages:
        raise RefusedError(f"PDF of more than {max_pages} pages (limits.max_pages)")
    notes += _refuse_unsafe(root, embedded)
    _remove_hidden_places(writer)
    blocks: list[Block] = []
    targets: list[_Line | _DictText | _Labelled | _DestinationName | _PictureLine] = []
    streams: list[_Stream] = []
    pictures: list[_Picture] = []
    seen_images: set[int] = set()
    forms: set[int] = set()  # form XObjects already read (a letterhead drawn on every page)
    page_labels: dict[int, str] = {}  # id(widget) -> the text labelling it on its page

    def add(text: str, locator: str, target: _Line | _DictText, labelled: Labelling | None) -> None:
        if labelled is not None and labelled.entity_type and text.strip():
            blocks.append(Block(text, locator, labelled.entity_type, labelled.hint))
        elif labelled is not None and labelled.context and text.strip():
            prefix = f"{labelled.context} : "
            blocks.append(Block(prefix + text, locator, label=len(prefix)))
            target = _Labelled(target, len(prefix))
        else:
            blocks.append(Block(text, locator))
        targets.append(target)

    for number, page in enumerate(writer.pages, start=1):
        scanned = options.mode == "force"
        page_streams = [] if scanned else _read_streams(page, writer, forms=forms)
        if not scanned and not any(s.glyphs for s in page_streams) and _has_images(page):
            if options.mode == "off":
                raise RefusedError(f"page {number} has no text layer, only images (a scan?): "
                                   "it needs OCR (ocr.mode is off)")
            scanned = True
        if scanned:
            page_streams = []
            pictures.append(_scanned_page(path, number, page, options))
        else:
            pictures += _page_images(page, number, options, seen_images)
            if any(op == b"INLINE IMAGE" for s in page_streams for _, op in s.content.operations):
                _refuse_inline_text(page, number, options)
        if page_streams and page_streams[0].owner is page:
            page_labels.update(_page_labels(page, page_streams[0]))
        drawn_by: dict[int, Labelling] = {}  # id(_Stream) -> its field's labelling
        for annotation, appearance in _appearance_streams(page):  # what annotations and fields draw
            appearance_streams = _read_streams(appearance, writer, _form_fonts(root))
            field_dict = _field_of(annotation)
            if field_dict is not None:
                labelled = _labelling(field_dict, page_labels.get(id(annotation), ""))
                drawn_by.update((id(s), labelled) for s in appearance_streams)
            page_streams += appearance_streams
        for stream in page_streams:
            streams.append(stream)
            for properties in stream.marked:  # /ActualText, /Alt, /E of marked content
                for key in ("/ActualText", "/Alt", "/E"):
                    if str(properties.get(key, "")).strip():
                        blocks.append(Block(str(properties[key]), f"page {number} {key}"))
                        targets.append(_DictText(properties, key, stream))
            for line in _lines(stream):
                text = line.text()
                if text.strip():
                    add(text, f"page {number} line", line, drawn_by.get(id(stream)))
    for holder, key in _dictionary_texts(writer):
        labelled = None
        if key in ("/V", "/DV") and "/T" in holder:  # a field's value
            labelled = _labelling(holder, next(
                (page_labels[id(w)] for w in _widgets(holder) if page_labels.get(id(w))), ""))
        add(str(holder[key]), f"dictionary {key}", _DictText(holder, key), labelled)
    for array, index in _destination_names(root):
        blocks.append(Block(str(array[index]), "named destination"))
        targets.append(_DestinationName(array, index))
    for picture in pictures:
        for index, (text, _) in enumerate(picture.reading.lines):
            blocks.append(Block(text, f"{picture.where} ocr"))
            targets.append(_PictureLine(picture, index))
    document = Document(blocks=blocks, scope_id=scope_id, meta={"pages": str(len(writer.pages))},
                        state=PdfState(writer, streams, targets, pictures, options),
                        fits=functools.partial(_fits, targets))
    if notes:
        document.meta["note"] = "; ".join(notes)
    return document


# -- scans and images ---------------------------------------------------------------------
def _scanned_page(path: Path, number: int, page: DictionaryObject,
                  options: ocr.OcrOptions) -> _Picture:
    """The page rendered at `options.dpi` (its own content only: annotations stay
    annotations), unrotated, and read by OCR."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        raise RefusedError(f"page {number}: a scanned page that cannot be rendered") from None
    try:  # as displayed (the page's /Rotate applied): text upright for the OCR
        image = document[number - 1].render(scale=options.dpi / 72, draw_annots=False,
                                            may_draw_forms=False).to_pil()
    finally:
        document.close()
    image, reading, turn = ocr.read_upright(_grey_if_grey(image), options)
    where = f"page {number}"
    ocr.check_readable(reading, options, where)
    if not reading.text_words() and len(reading.words) >= 3:
        raise RefusedError(f"{where} holds marks the OCR reads only as noise (handwriting?)")
    return _Picture(image, reading, where, page=page, turn=turn)


def _grey_if_grey(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    rgb = image.convert("RGB")
    sample = numpy.asarray(rgb.reduce(4) if min(rgb.size) > 64 else rgb, dtype=numpy.int16)
    spread = numpy.abs(sample[..., 0] - sample[..., 1]) + numpy.abs(sample[..., 1] - sample[..., 2])
    return rgb.convert("L") if int(spread.max()) <= 24 else rgb


def _page_images(page: DictionaryObject, number: int, options: ocr.OcrOptions,
                 seen: set[int]) -> list[_Picture]:
    """Image XObjects a text page draws (directly or in its forms) that hold text, read
    by OCR; each once per file. Soft masks are not pictures of their own."""
    if options.mode == "off" or "/Resources" not in page:
        return []
    found = []
    for obj in _walk([page.raw_get("/Resources")], skip=("/Parent", "/SMask", "/Mask")):
        if not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/Image" \
                or id(obj) in seen:
            continue
        seen.add(id(obj))
        try:
            image = obj.decode_as_image()
        except Exception:  # an encoding Pillow cannot decode (JBIG2, JPX...)
            image = None
        if image is None:
            if min(int(obj.get("/Width", 0)), int(obj.get("/Height", 0))) >= 16:
                raise RefusedError(f"page {number}: an image that cannot be decoded for OCR")
            continue
        if not ocr.may_hold_text(image):
            continue
        reading = ocr.read(image, options, dpi=_image_dpi(image))
        where = f"page {number} image"
        if not ocr.picture_has_text(reading, options, where):
            ocr.remember(_raw(obj), reading.text())
            continue
        found.append(_Picture(image, reading, where, xobject=obj))
    return found


def _refuse_inline_text(page: DictionaryObject, number: int, options: ocr.OcrOptions) -> None:
    """Inline images (BI ... EI) live inside the content stream: they are not painted in
    place. One that holds text refuses the file; the others stay."""
    if options.mode == "off":
        return
    for image_file in page.images:
        if not image_file.name.startswith("~"):
            continue  # an XObject, read above
        image = image_file.image
        if image is None or not ocr.may_hold_text(image):
            continue
        reading = ocr.read(image, options, dpi=_image_dpi(image))
        if ocr.picture_has_text(reading, options, f"page {number} inline image"):
            raise RefusedError(f"page {number}: an inline image holds text "
                               "(use ocr = \"force\" to read the page as an image)")


def _image_dpi(image: Image.Image) -> int:
    return 300 if max(image.size) > 1500 else 150


def _raw(stream: StreamObject) -> bytes:
    return bytes(stream._data)


def _refuse_unsafe(root: DictionaryObject, embedded: str) -> list[str]:
    """Refuse what cannot be made safe; remove what a rewrite cannot keep (signatures, an
    XFA form that has an AcroForm fallback) and say so (the notes returned)."""
    notes = []
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if form is not None and "/XFA" in form:
        if not form.get("/Fields"):
            raise RefusedError("PDF with a pure XFA form (no AcroForm fields): cannot be checked")
        del form[NameObject("/XFA")]  # viewers fall back on the AcroForm fields
        root.pop(NameObject("/NeedsRendering"), None)
        notes.append("XFA form removed (its AcroForm fallback kept)")
    if _remove_signatures(root, form):
        notes.append("digital signature removed (a rewrite breaks it)")
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if names is not None and "/EmbeddedFiles" in names:
        if embedded != "drop":
            raise RefusedError("PDF with attachments: cannot be made safe "
                               "(use --embedded drop to remove them)")
        del names[NameObject("/EmbeddedFiles")]
        notes.append("attachments removed")
    return notes


def _remove_signatures(root: DictionaryObject, form: DictionaryObject | None) -> bool:
    """Signature fields become unsigned fields (their value, the signature dictionary with
    the signer's name, reason, location and certificates, goes); /Perms and SigFlags go."""
    found = root.pop(NameObject("/Perms"), None) is not None
    if form is None:
        return found
    if form.pop(NameObject("/SigFlags"), None) is not None:
        found = True
    for field_dict in _walk(list(form.get("/Fields") or []), skip=("/Parent", "/P")):
        if field_dict.get("/FT") == "/Sig" or (isinstance(field_dict.get("/V"), DictionaryObject)
                                              and field_dict["/V"].get("/Type") == "/Sig"):
            for key in ("/V", "/Lock", "/SV"):
                if field_dict.pop(NameObject(key), None) is not None:
                    found = True
    return found


def _remove_hidden_places(writer: PdfWriter) -> None:
    """Metadata, JavaScript, thumbnails and open actions go; attachments annotations too."""
    root = writer.root_object
    for key in ("/Metadata", "/OpenAction", "/AA"):
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names.get_object().pop(NameObject("/JavaScript"), None)
    # The Info dictionary (author, title, producer, dates) leaves the trailer; its entries
    # are emptied, not the object itself, which some producers share with the catalog's
    # AcroForm. An orphan, it is gone at write time.
    info = writer._info
    if info is not None:
        for key in _INFO_KEYS:
            info.pop(NameObject(key), None)
    writer._info_obj = None
    _sweep([root, *_field_ancestors(writer)], _REMOVED_KEYS)  # XMP, thumbnails, editor data
    for page in writer.pages:
        for key in _REMOVED_KEYS:
            page.pop(NameObject(key), None)
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        kept = ArrayObject()
        for reference in annotations.get_object():
            annotation = reference.get_object()
            if annotation.get("/Subtype") == "/FileAttachment":
                continue
            action = annotation.get("/A")
            link_action = annotation.get("/Subtype") == "/Link" and action is not None \
                and action.get_object().get("/S") in ("/URI", "/GoTo")
            for key in ("/AA",) if link_action else ("/AA", "/A"):
                annotation.pop(NameObject(key), None)  # actions: JavaScript, launches
            kept.append(reference)
        page[NameObject("/Annots")] = kept
    _remove_offpage_widgets(writer)


def _remove_offpage_widgets(writer: PdfWriter) -> None:
    """Widgets on no page of the page tree (left by an editor that deleted their page)
    are dropped from their fields, and an annotation's /P naming such a page goes: that
    page, unseen and unread, would otherwise be written out whole."""
    pages = {page.indirect_reference.idnum for page in writer.pages}
    placed = {ref.idnum for page in writer.pages for ref in (page.get("/Annots") or [])
              if isinstance(ref, IndirectObject)}
    root = writer.root_object

    def on_page(ref: PdfObject) -> bool:
        obj = ref.get_object()
        is_widget_only = obj.get("/Subtype") == "/Widget" and "/T" not in obj and "/Kids" not in obj
        return not is_widget_only or not isinstance(ref, IndirectObject) or ref.idnum in placed

    start = [root.raw_get("/AcroForm")] if "/AcroForm" in root else []
    start += [page.raw_get("/Annots") for page in writer.pages if "/Annots" in page]
    for obj in _walk(start, skip=("/P",)):
        for key in ("/Kids", "/Fields"):
            if key in obj and obj.get("/Type") != "/Pages":
                kids = obj[key].get_object() if isinstance(obj.raw_get(key), IndirectObject) \
                    else obj[key]
                if isinstance(kids, ArrayObject) and not all(on_page(k) for k in kids):
                    obj[NameObject(key)] = ArrayObject(k for k in kids if on_page(k))
        page = obj.raw_get("/P") if "/P" in obj else None
        if isinstance(page, IndirectObject) and page.idnum not in pages:
            del obj[NameObject("/P")]


def _sweep(start: list[PdfObject], keys: tuple[str, ...]) -> None:
    """Remove `keys` from every dictionary and stream `start` reaches."""
    for obj in _walk(start):
        for key in keys:
            obj.pop(NameObject(key), None)


def _field_ancestors(writer: PdfWriter) -> list[PdfObject]:
    """The fields above the pages' widgets (and the annotations above popups), reached
    only through /Parent, which walks do not follow. A page taken out of a larger file
    keeps its widgets but loses the /AcroForm listing their parent fields, whose names
    and values (/T "Nom du patient", /V) would otherwise be read by no one but the
    verifier."""
    found: list[PdfObject] = []
    seen: set[int] = set()
    for page in writer.pages:
        for reference in page.get("/Annots") or []:
            obj = reference.get_object()
            for _ in range(MAX_FORM_DEPTH):
                parent = obj.raw_get("/Parent") if isinstance(obj, DictionaryObject) \
                    and "/Parent" in obj else None
                if not isinstance(parent, IndirectObject) or parent.idnum in seen:
                    break
                seen.add(parent.idnum)
                found.append(parent)
                obj = parent.get_object()
    return found


def _walk(start: list[PdfObject], skip: tuple[str, ...] = ("/Parent",)) -> Iterator[DictionaryObject]:
    """Every dictionary (streams included) reachable from `start`, once each, without
    following the `skip` keys; children are read after the caller has seen the parent."""
    seen: set[int] = set()
    pending = list(start)
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            pending += [value for key, value in obj.items() if key not in skip]
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)


def _has_images(page: DictionaryObject) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    return bool(xobjects) and any(
        x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())


def _appearance_streams(page: DictionaryObject) -> list[tuple[DictionaryObject, StreamObject]]:
    """(annotation, appearance stream) of every annotation of the page."""
    found = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        appearances = annotation.get("/AP")
        for state in (appearances.get_object().values() if appearances is not None else []):
            state = state.get_object()
            if isinstance(state, StreamObject):
                found.append((annotation, state))
            elif isinstance(state, DictionaryObject):  # on/off states of a check box
                found += [(annotation, v.get_object()) for v in state.values()
                          if isinstance(v.get_object(), StreamObject)]
    return found


def _form_fonts(root: DictionaryObject) -> DictionaryObject | None:
    """The form's default resources: field appearances without their own use these."""
    form = root.get("/AcroForm")
    resources = form.get_object().get("/DR") if form is not None else None
    fonts = resources.get_object().get("/Font") if resources is not None else None
    return fonts.get_object() if fonts is not None else None


def _font_dictionary(owner: DictionaryObject, inherited: DictionaryObject | None
                     ) -> DictionaryObject | None:
    resources = owner.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    return fonts.get_object() if fonts is not None else inherited


def _fonts(fonts: DictionaryObject | None) -> dict[str, Font]:
    decoded = {}
    for name, reference in (fonts.items() if fonts is not None else []):
        font = Font.from_font_resource(reference.get_object())
        if not font.interpretable:
            raise RefusedError("PDF with a font that cannot be decoded (Type3 without ToUnicode)")
        decoded[name] = font
    return decoded


def _read_streams(owner: DictionaryObject, writer: PdfWriter,
                  inherited_fonts: DictionaryObject | None = None,
                  path: tuple[int, ...] = (), forms: set[int] | None = None) -> list[_Stream]:
    """The owner's content stream and, depth first, those of the forms it draws; a form
    that draws itself, directly or not, or forms nested too deep, are refused. A form with
    resources of its own is read once per document (`forms`), however many pages draw it:
    its text is the same everywhere, and one rewrite serves them all."""
    if len(path) > MAX_FORM_DEPTH:
        raise RefusedError(f"PDF with form XObjects nested more than {MAX_FORM_DEPTH} deep")
    contents = owner.get_contents() if hasattr(owner, "get_contents") else ContentStream(owner, writer)
    if contents is None:
        return []
    content = contents if isinstance(contents, ContentStream) else ContentStream(contents, writer)
    font_dictionary = _font_dictionary(owner, inherited_fonts)
    stream = _Stream(owner, content, [], inherited_fonts=font_dictionary)
    streams = [stream]
    fonts = _fonts(font_dictionary)
    ctm, stack = _IDENTITY, []
    tm = tlm = _IDENTITY
    font, font_name, size, tc, tw, tz, leading, mode = None, "", 0.0, 0.0, 0.0, 1.0, 0.0, 0
    resources = owner.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for index, (operands, operator) in enumerate(content.operations):
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append((ctm, font, font_name, size, tc, tw, tz, leading, mode))
        elif op == "Q" and stack:
            ctm, font, font_name, size, tc, tw, tz, leading, mode = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(x) for x in operands), ctm)
        elif op == "BT":
            tm = tlm = _IDENTITY
        elif op == "Tf":
            font, font_name, size = fonts.get(operands[0]), str(operands[0]), float(operands[1])
        elif op == "Tc":
            tc = float(operands[0])
        elif op == "Tw":
            tw = float(operands[0])
        elif op == "Tz":
            tz = float(operands[0]) / 100
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tr":
            mode = int(operands[0])
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -float(operands[1])
            tm = tlm = _multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), tlm)
        elif op == "Tm":
            tm = tlm = tuple(float(x) for x in operands)
        elif op == "T*":
            tm = tlm = _multiply((1, 0, 0, 1, 0, -leading), tlm)
        elif op in ("Tj", "'", '"', "TJ"):
            if op in ("'", '"'):
                if op == '"':
                    tw, tc = float(operands[0]), float(operands[1])
                tm = tlm = _multiply((1, 0, 0, 1, 0, -leading), tlm)
            items = operands[0] if op == "TJ" else [operands[-1]]
            if font is None:
                raise RefusedError("PDF text drawn with a font its page does not define")
            for element, item in enumerate(items):
                if isinstance(item, (int, float, NumberObject, FloatObject)):
                    tm = _multiply((1, 0, 0, 1, -float(item) / 1000 * size * tz, 0), tm)
                    continue
                for glyph in _decode(_string_bytes(item), font):
                    char, start, end, width = glyph
                    advance = (width / 1000 * size + tc + (tw if char == " " and end - start == 1
                                                            else 0)) * tz
                    stream.glyphs.append(_Glyph(char, index, element, start, end, advance,
                                                _multiply(tm, ctm), tm, tlm, font, font_name,
                                                size, tz, mode == 3))
                    tm = _multiply((1, 0, 0, 1, advance, 0), tm)
        elif op in ("BDC", "DP") and len(operands) > 1 and isinstance(operands[1], DictionaryObject):
            stream.marked.append(operands[1])
        elif op == "Do" and xobjects is not None:
            reference = xobjects.get_object().raw_get(operands[0]) \
                if operands[0] in xobjects.get_object() else None
            xobject = reference.get_object() if reference is not None else None
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                number = reference.idnum if isinstance(reference, IndirectObject) else id(xobject)
                if number in path:
                    raise RefusedError("PDF with a form XObject that draws itself (a cycle)")
                if forms is not None and "/Resources" in xobject:
                    if number in forms:
                        continue
                    forms.add(number)
                streams += _read_streams(xobject, writer, font_dictionary, (*path, number), forms)
    return streams


def _decode(data: bytes, font: Font) -> list[tuple[str, int, int, float]]:
    """(character, byte start, byte end, width in glyph units) per code of the string."""
    step = 2 if font.sub_type == "Type0" else 1
    glyphs = []
    for start in range(0, len(data) - step + 1, step):
        code = data[start:start + step]
        if isinstance(font.encoding, str):
            raw = code.decode(font.encoding, "surrogatepass") if step == 2 else \
                code.decode(font.encoding, "replace")
        else:
            raw = font.encoding.get(code[0], chr(code[0]))
        char = font.character_map.get(raw, raw)
        width = font.character_widths.get(raw, font.character_widths.get("default", 500))
        glyphs.append((char, start, start + step, float(width)))
    return glyphs


_COLUMN_GAP_EM = 3.0  # wider than any word space: the next table cell or form value


def _lines(stream: _Stream) -> list[_Line]:
    """Glyphs grouped by baseline, left to right; a gap wider than 0.15 em becomes a space
    (a tab past 3 em: a column gap)."""
    rows: dict[int, list[int]] = {}
    for index, glyph in enumerate(stream.glyphs):
        rows.setdefault(round(glyph.matrix[5] / _LINE_TOLERANCE), []).append(index)
    lines = []
    for key in sorted(rows, reverse=True):
        indexes = sorted(rows[key], key=lambda i: stream.glyphs[i].matrix[4])
        chars: list[int | None] = []
        columns: set[int] = set()
        previous_end = None
        for index in indexes:
            glyph = stream.glyphs[index]
            x = glyph.matrix[4]
            # A word space is at least ~0.2 em even in tight justified text (TeX sets
            # them as TJ numbers near -330); kerning stays under ~0.1 em.
            em = glyph.size * math.hypot(glyph.matrix[0], glyph.matrix[1])
            gap = x - previous_end if previous_end is not None else 0.0
            if gap > 0.15 * em and chars \
                    and stream.glyphs[chars[-1]].char != " " and glyph.char != " ":
                if gap > _COLUMN_GAP_EM * em:
                    columns.add(len(chars))
                chars.append(None)
            chars.append(index)
            previous_end = x + glyph.advance * glyph.matrix[0]
        lines.append(_Line(stream, chars, frozenset(columns)))
    return lines


# -- form fields --------------------------------------------------------------------------
def _page_labels(page: DictionaryObject, stream: _Stream) -> dict[int, str]:
    """The text labelling each widget of the page (deident.formats.pdf_fields), from the
    page's own content: id(widget) -> label."""
    widgets = [a for a in (r.get_object() for r in page.get("/Annots") or [])
               if isinstance(a, DictionaryObject) and a.get("/Subtype") == "/Widget"
               and isinstance(a.get("/Rect"), ArrayObject) and len(a["/Rect"]) == 4]
    if not widgets:
        return {}
    runs = _runs(stream)
    rects = {id(w): pdf_fields.normalized(w["/Rect"]) for w in widgets}
    others = list(rects.values())
    return {key: label for key, rect in rects.items()
            if (label := pdf_fields.page_label(rect, runs, others))}


def _runs(stream: _Stream) -> list[pdf_fields.Run]:
    """The stream's lines cut at their column gaps, each with its extent."""
    runs = []
    for line in _lines(stream):
        pieces: list[list[int | None]] = [[]]
        for position, index in enumerate(line.chars):
            if position in line.columns:
                pieces.append([])
            else:
                pieces[-1].append(index)
        for piece in pieces:
            glyphs = [stream.glyphs[i] for i in piece if i is not None]
            if not glyphs:
                continue
            text = "".join(" " if i is None else stream.glyphs[i].char for i in piece)
            last = glyphs[-1]
            runs.append(pdf_fields.Run(text.strip(), glyphs[0].matrix[4],
                                       last.matrix[4] + last.advance * last.matrix[0],
                                       glyphs[0].matrix[5]))
    return runs


def _field_of(annotation: DictionaryObject) -> DictionaryObject | None:
    """The text or choice field a widget draws (itself, or its parent), or None."""
    if annotation.get("/Subtype") != "/Widget":
        return None
    parent = annotation.get("/Parent")
    field_dict = annotation if "/T" in annotation or parent is None else parent.get_object()
    kind = field_dict.get("/FT", (field_dict.get("/Parent") or {}).get("/FT"))
    return field_dict if kind in ("/Tx", "/Ch") and "/T" in field_dict else None


def _widgets(field_dict: DictionaryObject) -> list[DictionaryObject]:
    """The widgets of a field: itself when merged with its only widget, or its kids that
    are widgets (kids with a name of their own are fields)."""
    kids = [k.get_object() for k in field_dict.get("/Kids") or []]
    return ([field_dict] if "/Rect" in field_dict else []) + \
        [k for k in kids if "/T" not in k and "/Rect" in k]


def _labelling(field_dict: DictionaryObject, on_page: str) -> Labelling:
    """What labels a field, from the most visible: its label on the page, its tooltip,
    its name. A name, a town or an establishment is replaced whole, as a table's typed
    column; anything else is read after its label."""
    tooltip = field_dict.get("/TU")
    return pdf_fields.labelling([
        on_page, str(tooltip) if isinstance(tooltip, str) else "",
        pdf_fields.readable_name(str(field_dict["/T"]))])


def _dictionary_texts(writer: PdfWriter) -> list[tuple[DictionaryObject, str]]:
    """Annotations (and their popups), form fields, bookmarks, link targets."""
    root = writer.root_object
    start: list[PdfObject] = [root.raw_get(k) for k in (
        "/Outlines", "/AcroForm", "/PageLabels", "/Names", "/StructTreeRoot") if k in root]
    start += [page.raw_get("/Annots") for page in writer.pages if "/Annots" in page]
    start += _field_ancestors(writer)
    for page in writer.pages:  # named marked-content property lists (/ActualText, /Alt)
        resources = page.get("/Resources")
        if resources is not None and "/Properties" in resources.get_object():
            start.append(resources.get_object().raw_get("/Properties"))
    found: list[tuple[DictionaryObject, str]] = []
    # An annotation's /P is its page, a structure element's its parent: not followed.
    for obj in _walk(start, skip=("/Parent", "/Prev", "/P")):
        if not isinstance(obj, StreamObject):
            # strings, not names (/V /Off); a string may be an indirect object of its own
            found += [(obj, key) for key in _TEXT_KEYS if key in obj
                      and isinstance(obj[key], str) and not isinstance(obj[key], NameObject)
                      and str(obj[key]).strip()]
    return found


def _destination_names(root: DictionaryObject) -> list[tuple[ArrayObject, int]]:
    """Keys of the /Dests name tree ([key, destination, key, destination...] leaves)."""
    names = root.get("/Names")
    tree = names.get_object().get("/Dests") if names is not None else None
    found, pending = [], [tree] if tree is not None else []
    while pending:
        node = pending.pop().get_object()
        pending += list(node.get("/Kids", []))
        leaf = node.get("/Names")
        if leaf is not None:
            leaf = leaf.get_object()
            found += [(leaf, i) for i in range(0, len(leaf) - 1, 2) if str(leaf[i]).strip()]
    return found


def _rename_destinations(writer: PdfWriter, renamed: dict[str, str]) -> None:
    """New keys in the tree, rebuilt as one sorted leaf (keys must stay in order), and in
    every /Dest or GoTo /D that named them."""
    root = writer.root_object
    pairs = []
    for leaf, index in _destination_names(root):
        key = str(leaf[index])
        pairs.append((renamed.get(key, key), leaf[index + 1]))
    tree = root["/Names"].get_object()["/Dests"].get_object()
    for stale in ("/Kids", "/Limits"):
        tree.pop(NameObject(stale), None)
    pairs.sort(key=lambda pair: pair[0])
    tree[NameObject("/Names")] = ArrayObject(
        item for key, destination in pairs for item in (TextStringObject(key), destination))
    for obj in _walk([root]):
        for key in ("/Dest", "/D"):
            value = obj.get(key)
            if not isinstance(obj, StreamObject) and isinstance(value, str) and str(value) in renamed:
                obj[NameObject(key)] = TextStringObject(renamed[str(value)])


# -- write --------------------------------------------------------------------------------
def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    try:
        _write(document, edits, dst)
    except _DAMAGED as exc:
        raise RefusedError(f"PDF that cannot be rewritten safely ({type(exc).__name__})") \
            from None


def _write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    state: PdfState = document.state
    renamed: dict[str, str] = {}
    changed_fields = []
    for target, block_edits in zip(state.targets, edits, strict=True):
        if isinstance(target, _Labelled):  # the label is the page's, not the value's
            target, block_edits = target.target, _after_label(block_edits, target.prefix)
        if not block_edits:
            continue
        if isinstance(target, _DictText) and target.key == "/V":
            changed_fields.append(target.holder)
        if isinstance(target, _DictText):
            value = splice(str(target.holder[target.key]), block_edits)
            target.holder[NameObject(target.key)] = TextStringObject(value)
            if target.stream is not None:
                target.stream.dirty = True
        elif isinstance(target, _DestinationName):
            renamed[str(target.array[target.index])] = splice(str(target.array[target.index]),
                                                             block_edits)
        elif isinstance(target, _PictureLine):
            target.picture.edits[target.line] = block_edits
        else:
            _replace_in_line(target, block_edits)
    if renamed:
        _rename_destinations(state.writer, renamed)
    _draw_missing_appearances(state.writer, changed_fields)
    for stream in state.streams:
        if stream.removed or stream.drawn or stream.dirty:
            _rewrite(stream, state.writer)
    for picture in state.pictures:
        _write_picture(picture, state.writer, state.ocr)
    # qpdf writes out only what the trailer reaches: orphans (the old Info dictionary,
    # removed metadata, replaced streams) are gone, whatever held them. Object streams
    # are generated (thousands of annotation dictionaries take a fraction of their plain
    # size), streams left raw are compressed, and the /ID is computed from the output's own
    # content: nothing links back to the input file, and the same input gives the same
    # bytes (a resumed run equals an uninterrupted one).
    buffer = io.BytesIO()
    state.writer.write(buffer)
    buffer.seek(0)
    with warnings.catch_warnings(), pikepdf.open(buffer) as clean:
        warnings.simplefilter("ignore")
        # No /ID in: qpdf would keep its first half, the input's own id (or the random
        # one pypdf gives a file without), and derives the whole /ID from the output.
        for key in ("/Info", "/ID"):
            if key in clean.trailer:
                del clean.trailer[key]
        clean.save(dst, compress_streams=True, deterministic_id=True, fix_metadata_version=False,
                   object_stream_mode=pikepdf.ObjectStreamMode.generate, preserve_pdfa=False)


def _after_label(edits: list[Replacement], prefix: int) -> list[Replacement]:
    """Edits of a "label : value" block in the value's coordinates; what the label alone
    holds is left to the page's own line."""
    return [(max(start, prefix) - prefix, end - prefix, new) for start, end, new in edits
            if end > prefix]


def _draw_missing_appearances(writer: PdfWriter, fields: list[DictionaryObject]) -> None:
    """A text field whose value changed and whose widgets have no appearance gets one (pypdf
    draws it from /DA); fields that have one had its text replaced like any content, and
    untouched fields keep theirs: /NeedAppearances is never set, so no viewer redraws
    the whole form its own way."""
    pages = {page.indirect_reference.idnum: page for page in writer.pages}
    for field_dict in fields:
        if field_dict.get("/FT", (field_dict.get("/Parent") or {}).get("/FT")) != "/Tx":
            continue
        widgets = [k.get_object() for k in field_dict.get("/Kids", [])] or [field_dict]
        for widget in widgets:
            page = widget.raw_get("/P") if "/P" in widget else None
            if "/AP" in widget or not isinstance(page, IndirectObject) or page.idnum not in pages:
                continue
            with contextlib.suppress(*_DAMAGED):  # no /DA, no font: viewers draw it from /V
                writer.update_page_form_field_values(
                    pages[page.idnum], {str(field_dict["/T"]): str(field_dict["/V"])},
                    auto_regenerate=None)


def _write_picture(picture: _Picture, writer: PdfWriter, options: ocr.OcrOptions) -> None:
    """A scanned page becomes its painted image plus an invisible text layer; an image
    XObject with replacements gets the painted pixels (same size, same place)."""
    edits = [picture.edits.get(i, []) for i in range(len(picture.reading.lines))]
    if picture.page is not None:
        def as_jpeg(image: Image.Image) -> bytes:
            return ocr.encode(image, "JPEG", quality=80, optimize=True)

        result = ocr.redact(picture.image, picture.reading, edits, options, as_jpeg,
                            picture.where)
        if result is None:
            data = as_jpeg(picture.image)
            ocr.remember(data, picture.reading.text())
            lines = [text for text, _ in picture.reading.lines]
        else:
            data, lines = result
        _replace_page(picture, data, lines, writer, options.dpi)
        return
    xobject = picture.xobject
    jpeg = "/DCTDecode" in str(xobject.get("/Filter", ""))

    def as_image_data(image: Image.Image) -> bytes:
        if jpeg:
            return ocr.encode(image, "JPEG", quality=85)
        return ocr.encode(image.convert("L" if image.mode in ("L", "1") else "RGB"), "PNG")

    result = ocr.redact(picture.image, picture.reading, edits, options, as_image_data,
                        picture.where)
    if result is not None:
        _replace_image_data(xobject, result[0], jpeg)


def _replace_image_data(xobject: StreamObject, data: bytes, jpeg: bool) -> None:
    image = Image.open(io.BytesIO(data))
    for key in ("/DecodeParms", "/Decode", "/Filter", "/Intent", "/ImageMask"):
        xobject.pop(NameObject(key), None)
    if not isinstance(xobject.get("/Mask"), StreamObject):
        xobject.pop(NameObject("/Mask"), None)  # colour-key masks name the old colours
    grey = image.mode == "L"
    xobject[NameObject("/ColorSpace")] = NameObject("/DeviceGray" if grey else "/DeviceRGB")
    xobject[NameObject("/BitsPerComponent")] = NumberObject(8)
    if jpeg:
        xobject._data = data
        xobject[NameObject("/Filter")] = NameObject("/DCTDecode")
    else:
        xobject._data = zlib.compress(image.tobytes(), 6)
        xobject[NameObject("/Filter")] = NameObject("/FlateDecode")
    ocr.remember(_raw(xobject), ocr.text_in(data, lambda: image, ocr.OcrOptions()))


def _replace_page(picture: _Picture, data: bytes, lines: list[str], writer: PdfWriter,
                  dpi: int) -> None:
    """The page's content and resources replaced: the image over its crop box, then the
    text of each OCR line in render mode 3 (invisible, searchable) over the line."""
    page = picture.page
    left, bottom, right, top = (float(v) for v in page.cropbox)
    width, height = right - left, top - bottom
    rotation = int(page.get("/Rotate", 0)) % 360
    # Everything is drawn in the displayed page's space (the page rendered as a viewer
    # shows it), mapped to the page's own space by the inverse of its /Rotate; a page
    # scanned sideways was turned upright for the OCR, and is turned back the same way.
    to_page = _turned(rotation, width, height, left, bottom)
    if rotation in (90, 270):
        width, height = height, width
    to_display = _turned(picture.turn, width, height, 0.0, 0.0)
    if picture.turn in (90, 270):
        width, height = height, width
    left = bottom = 0.0
    top = height
    image = picture.image
    image_stream = StreamObject()
    image_stream._data = data
    image_stream.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(image.width),
        NameObject("/Height"): NumberObject(image.height),
        NameObject("/ColorSpace"): NameObject("/DeviceGray" if image.mode == "L" else "/DeviceRGB"),
        NameObject("/BitsPerComponent"): NumberObject(8),
        NameObject("/Filter"): NameObject("/DCTDecode")})
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    scale = width / image.width  # points per pixel
    commands = ["q " + " ".join(f"{v:.4f}" for v in to_page) + " cm",
                " ".join(f"{v:.4f}" for v in to_display) + " cm",
                f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /DeidentScan Do Q"]
    helvetica = Font.from_core_font_name("/Helvetica")
    commands.append("BT 3 Tr")
    for (_, owners), text in zip(picture.reading.lines, lines, strict=True):
        words = [picture.reading.words[i] for i in {o for o in owners if o is not None}]
        if not words or not text.strip():
            continue
        x0 = min(w.box[0] for w in words)
        x1 = max(w.box[2] for w in words)
        y1 = max(w.box[3] for w in words)
        y0 = min(w.box[1] for w in words)
        size = max(1.0, (y1 - y0) * scale)
        shown = _encodable(text)
        natural = helvetica.get_text_width(shown) / 1000 * size
        stretch = 100 * (x1 - x0) * scale / natural if natural > 0 else 100
        literal = shown.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(") \
            .replace(b")", b"\\)").decode("latin-1")
        commands.append(f"/DeidentOcr {size:.2f} Tf {stretch:.2f} Tz 1 0 0 1 "
                        f"{left + x0 * scale:.3f} {top - y1 * scale:.3f} Tm ({literal}) Tj")
    commands += ["ET", "Q"]
    content = StreamObject()
    content._data = "\n".join(commands).encode("latin-1")
    content_ref = writer._add_object(content)
    page[NameObject("/Contents")] = content_ref
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject(
            {NameObject("/DeidentScan"): writer._add_object(image_stream)}),
        NameObject("/Font"): DictionaryObject({NameObject("/DeidentOcr"): writer._add_object(font)}),
    })
    for key in ("/Group", "/PieceInfo", "/Thumb", "/SeparationInfo"):
        page.pop(NameObject(key), None)


def _turned(degrees: int, width: float, height: float, left: float, bottom: float
            ) -> tuple[float, ...]:
    """The matrix drawing a space turned `degrees` clockwise into a width x height box at
    (left, bottom): the inverse of a viewer's /Rotate."""
    return {0: (1, 0, 0, 1, left, bottom), 90: (0, 1, -1, 0, left + width, bottom),
            180: (-1, 0, 0, -1, left + width, bottom + height),
            270: (0, -1, 1, 0, left, bottom + height)}[degrees]


def _replace_in_line(line: _Line, edits: list[Replacement]) -> None:
    stream = line.stream
    for start, end, new in edits:
        indexes = [i for i in line.chars[start:end] if i is not None]
        if not indexes:
            continue
        first = stream.glyphs[indexes[0]]
        width = sum(stream.glyphs[i].advance for i in indexes)
        stream.removed.update(indexes)
        stream.drawn.append((first, new, width))


def _rewrite(stream: _Stream, writer: PdfWriter) -> None:
    """Remove the glyphs (their advance stays, as TJ numbers) and draw each surrogate right
    where its first glyph was, in the operator's own sequence, so text extraction reads it
    in place."""
    by_operation: dict[int, list[_Glyph]] = {}
    for index in stream.removed:
        glyph = stream.glyphs[index]
        by_operation.setdefault(glyph.operation, []).append(glyph)
    fallback = [g for g, t, _ in stream.drawn if _in_font(t, g.font) is None]
    font_names = _add_fonts(fallback, stream, writer)
    drawings = {id(glyph): _draw(glyph, text, width, font_names)
                for glyph, text, width in stream.drawn}
    operations = stream.content.operations
    # From the last operation backwards: what is inserted does not shift earlier indexes.
    for index in sorted(by_operation, reverse=True):
        operations[index:index + 1] = _without_glyphs(operations[index], by_operation[index],
                                                      drawings)
    content = stream.content
    if isinstance(stream.owner, StreamObject):  # a form XObject or an appearance
        owner = stream.owner
        if isinstance(owner, EncodedStreamObject):  # any filter chain becomes Flate alone
            owner.get_data()  # decoded once with the original filters (pypdf keeps it)
            owner[NameObject("/Filter")] = NameObject("/FlateDecode")
            owner.pop(NameObject("/DecodeParms"), None)
        owner.set_data(content.get_data())
    else:
        stream.owner.replace_contents(content)
        stream.owner.compress_content_streams()  # as small as the original, not raw


def _without_glyphs(operation: tuple, removed: list[_Glyph], drawings: dict[int, list]) -> list:
    """The operation as TJ arrays whose removed glyphs are kerning numbers of the same width
    (' and " keep their line move and spacing as separate operators). After the first glyph
    of a replaced span, the text object is closed, the surrogate drawn, and the text object
    resumed at the position the glyph left."""
    operands, operator = operation
    op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
    items = list(operands[0]) if op == "TJ" else [operands[-1]]
    result: list = []
    if op == "'":
        result.append(([], b"T*"))
    elif op == '"':
        result += [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
    current = ArrayObject()
    for element, item in enumerate(items):
        gone = sorted((g for g in removed if g.element == element), key=lambda g: g.start)
        if not gone or isinstance(item, (int, float, NumberObject, FloatObject)):
            current.append(item)
            continue
        data = _string_bytes(item)
        position = 0
        for glyph in gone:
            if glyph.start > position:
                current.append(ByteStringObject(data[position:glyph.start]))
            current.append(FloatObject(-glyph.advance * 1000 / (glyph.size * glyph.scale)))
            position = glyph.end
            if id(glyph) in drawings:
                result += [([current], b"TJ"), ([], b"ET"), *drawings[id(glyph)], ([], b"BT"),
                           *_resume_after(glyph)]
                current = ArrayObject()
        if position < len(data):
            current.append(ByteStringObject(data[position:]))
    if current:
        result.append(([current], b"TJ"))
    return result


def _resume_after(glyph: _Glyph) -> list:
    """Tm and Tlm as they were after `glyph`: Tlm set, then Tm moved by the advance."""
    after = _multiply((1, 0, 0, 1, glyph.advance, 0), glyph.text_matrix)
    resume = [([FloatObject(x) for x in glyph.line_matrix], b"Tm")]
    advance = _advance_between(glyph.line_matrix, after)
    if advance:
        resume.append(([ArrayObject([FloatObject(-advance * 1000 / (glyph.size * glyph.scale))])],
                       b"TJ"))
    return resume


def _fits(targets: list, block: int, start: int, end: int, text: str) -> bool:
    """Whether `text` drawn in place of a line's span fits its width at MIN_SQUEEZE and the
    original size (what does not is first redrawn shorter, then drawn smaller)."""
    line = targets[block]
    if not isinstance(line, _Line):
        return True  # a dictionary's string, an OCR line: no width to keep
    indexes = [i for i in line.chars[start:end] if i is not None]
    if not indexes:
        return True
    glyphs = line.stream.glyphs
    first = glyphs[indexes[0]]
    width = sum(glyphs[i].advance for i in indexes)
    return _shown(first, text)[2] * first.scale * MIN_SQUEEZE <= width + 1e-6


def _shown(glyph: _Glyph, text: str) -> tuple[ArrayObject, str | None, float]:
    """`text` as the operand that shows it, in the glyph's font when it has every glyph
    (None: a standard-14 font of the same style, in WinAnsi, is named instead), and its
    natural width at the glyph's size."""
    shown = _in_font(text, glyph.font)
    if shown is not None:
        return shown, glyph.font_name, _shown_width(shown, glyph.font, glyph.size)
    encoded = _encodable(text)
    core = Font.from_core_font_name(f"/{_standard_font(glyph.font)}")
    return (ArrayObject([ByteStringObject(encoded.encode("cp1252"))]), None,
            core.get_text_width(encoded) / 1000 * glyph.size)


def _draw(glyph: _Glyph, text: str, width: float, font_names: dict[str, str]) -> list:
    """A text object of its own, between q and Q, that draws `text` where `glyph` was."""
    shown, name, natural = _shown(glyph, text)
    if name is None:
        name = font_names[_standard_font(glyph.font)]
    squeeze = min(1.0, width / (natural * glyph.scale)) if natural > 0 else 1.0
    # Narrower than MIN_SQUEEZE reads badly: below it the size shrinks instead (same
    # baseline), so the surrogate never runs over its neighbours.
    size = glyph.size * min(1.0, squeeze / MIN_SQUEEZE)
    return [
        ([], b"q"), ([], b"BT"),
        ([NameObject(name), FloatObject(size)], b"Tf"),
        ([NumberObject(3 if glyph.invisible else 0)], b"Tr"),
        ([FloatObject(0)], b"Tc"), ([FloatObject(0)], b"Tw"),
        ([FloatObject(x) for x in glyph.text_matrix], b"Tm"),
        ([FloatObject(max(squeeze, MIN_SQUEEZE) * glyph.scale * 100)], b"Tz"),
        ([shown], b"TJ"),
        ([], b"ET"), ([], b"Q"),
    ]


def _advance_between(start: tuple[float, ...], end: tuple[float, ...]) -> float:
    """tx such that `end` = translate(tx, 0) x `start` (text advances are horizontal)."""
    a, b = start[0], start[1]
    if abs(a) >= abs(b) and a:
        return (end[4] - start[4]) / a
    return (end[5] - start[5]) / b if b else 0.0


def _string_bytes(item: PdfObject) -> bytes:
    """A content-stream string as the bytes the font decodes."""
    if hasattr(item, "original_bytes"):
        return bytes(item.original_bytes)
    return bytes(item)


def _standard_font(font: Font) -> str:
    flags = font.font_descriptor.flags if font.font_descriptor else 32
    name = font.name.lower()
    serif = bool(flags & 2) or "times" in name or ("serif" in name and "sans" not in name)
    bold = "bold" in name or (font.font_descriptor and "bold" in str(font.font_descriptor.weight).lower())
    italic = bool(flags & 64) or "italic" in name or "oblique" in name
    return _STANDARD_FONTS[(serif, False, bool(bold), italic)]


def _add_fonts(glyphs: list[_Glyph], stream: _Stream, writer: PdfWriter) -> dict[str, str]:
    """Standard-14 font resources for surrogates the original fonts cannot draw. A stream
    that used inherited fonts gets its own copy of them, plus the new ones."""
    if not glyphs:
        return {}
    owner = stream.owner
    resources = owner.get("/Resources")
    if resources is None:
        resources = DictionaryObject()
        owner[NameObject("/Resources")] = resources
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject(stream.inherited_fonts or {})
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    names = {}
    shared = writer.__dict__.setdefault("_deident_fonts", {})  # one object per font and file
    for base in {_standard_font(g.font) for g in glyphs}:
        name = f"/Deident{base.replace('-', '')}"
        if base not in shared:
            shared[base] = writer._add_object(DictionaryObject({
                NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(f"/{base}"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
        fonts[NameObject(name)] = shared[base]
        names[base] = name
    return names


def _encoder(font: Font) -> dict[str, tuple[bytes, float]]:
    """The characters a font can draw, with their code and width (glyph units), read back
    through the font's own decoding. An embedded font has a glyph only if its ToUnicode
    map names it (subsets hold only the glyphs they use)."""
    cached = getattr(font, "_deident_encoder", None)
    if cached is None:
        composite = font.sub_type == "Type0"
        embedded = font.font_descriptor is not None and font.font_descriptor.font_file is not None
        codes = ([raw.encode("utf-16-be", "surrogatepass") for raw in font.character_map]
                 if composite else [bytes([c]) for c in range(32, 256)])
        table: dict[str, tuple[bytes, float]] = {}
        for code in codes:
            decoded = _decode(code, font)
            if len(decoded) != 1:
                continue
            char, _, _, width = decoded[0]
            raw = code.decode("utf-16-be", "surrogatepass") if composite else \
                (font.encoding.get(code[0], chr(code[0])) if isinstance(font.encoding, dict)
                 else chr(code[0]))
            known = raw in font.character_map if (embedded or composite) else raw in font.character_widths
            # CID 32 is not a space in a subset: spaces of composite fonts become advances.
            if len(char) == 1 and char.isprintable() and known and width > 0 \
                    and char not in table and not (composite and char == " "):
                table[char] = (code, width)
        font._deident_encoder = cached = table  # one table per decoded font
    return cached


def _in_font(text: str, font: Font) -> ArrayObject | None:
    """`text` as a TJ array in `font`, or None if a glyph is missing. A missing space is
    drawn as its advance (a TJ number), which subsets without a space glyph need."""
    table = _encoder(font)
    shown = ArrayObject()
    pending = b""
    for char in text:
        if char in table:
            pending += table[char][0]
        elif char == " ":
            if pending:
                shown.append(ByteStringObject(pending))
                pending = b""
            shown.append(FloatObject(-float(font.space_width or 250)))
        else:
            return None
    if pending:
        shown.append(ByteStringObject(pending))
    return shown


def _shown_width(shown: ArrayObject, font: Font, size: float) -> float:
    """Width in text space of a TJ array built by _in_font (before Tz)."""
    total = 0.0
    for item in shown:
        if isinstance(item, FloatObject):
            total -= float(item)
        else:
            total += sum(width for _, _, _, width in _decode(bytes(item), font))
    return total / 1000 * size


def _encodable(text: str) -> str:
    """The surrogate in characters the standard fonts have (WinAnsi); others lose accents."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


# -- verification -------------------------------------------------------------------------
def read_back(path: Path) -> list[Piece]:
    """Independent of the rewrite: pypdf's text extraction of each page, plus every string
    and decoded stream (raw: content operators, not text) of every object in the file."""
    reader = PdfReader(path, strict=False)
    pieces = [Piece(f"page {n} text", page.extract_text() or "")
              for n, page in enumerate(reader.pages, start=1)]
    for number in range(1, int(reader.trailer.get("/Size", 0))):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free or missing object number
            continue
        _strings(obj, f"object {number}", pieces, 0)
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image":
            pieces.append(Piece(f"object {number} (picture text)", _text_in_image(obj)))
    return [p for p in pieces if p.text.strip()]


def _text_in_image(obj: StreamObject) -> str:
    """What the delivered pixels show (the OCR made while writing, or a fresh one)."""
    def load() -> Image.Image:
        return obj.decode_as_image()

    try:
        return ocr.text_in(_raw(obj), load, _DEFAULT_OCR)
    except ocr.OcrUnavailableError:
        return ""
    except Exception:  # not decodable: it was not decodable on the way in either
        return ""


def _strings(obj: PdfObject | None, where: str, out: list[Piece], depth: int) -> None:
    if obj is None or depth > 20:
        return
    # An object stream's objects are read one by one (as objects, with their names known).
    if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image" \
            and obj.get("/Type") not in ("/ObjStm", "/XRef"):  # pixels: not text
        with contextlib.suppress(Exception):  # a filter pypdf cannot decode: not text
            out.append(Piece(f"{where} stream", obj.get_data().decode("latin-1"), raw=True))
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            # PDF's own vocabulary (/Subtype /Highlight, /S /URI) is no one's data.
            if not isinstance(value, IndirectObject) and not (
                    key in _VOCABULARY_KEYS and isinstance(value, NameObject)):
                _strings(value, f"{where} {key}" if depth == 0 else where, out, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if not isinstance(value, IndirectObject):
                _strings(value, where, out, depth + 1)
    elif isinstance(obj, str):
        out.append(Piece(f"{where} string", str(obj)))
