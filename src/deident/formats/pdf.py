"""PDF: the original glyphs are removed from the content streams and the surrogate is
drawn in their place; annotations, form values, bookmarks and links are rewritten;
metadata, JavaScript, thumbnails and old revisions are dropped (a full rewrite).

Text is read operator by operator with the text state (BT/ET, Tf, Tm, Td, TD, T*, Tc, Tw,
Tz, TL, Ts, Tr, q/Q, cm), each glyph decoded through its font (encoding, ToUnicode) and
placed in user space; glyphs on one baseline form a line, the block the analyzer sees, so
a name drawn by several operators or fonts is one string. A removed glyph leaves its
advance behind (a TJ kerning number), so nothing else on the line moves; the surrogate is
drawn at the original position with a standard-14 font close to the original (serif or
sans, bold, italic), squeezed with Tz to the original width.

Refused: encrypted, signed, XFA, damaged files, pages with no text layer (scans), fonts
that cannot be decoded; attachments unless `embedded="drop"`.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
from pypdf.generic._font import Font

from deident.anonymizer import Replacement, splice
from deident.document import Block, Document
from deident.errors import RefusedError

KIND = "PDF"
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_LINE_TOLERANCE = 1.0  # points: glyphs within this of a baseline are on it
# Strings of dictionaries that hold free text: annotations, fields, bookmarks, links.
_TEXT_KEYS = ("/Contents", "/T", "/RC", "/Subj", "/TU", "/TM", "/V", "/DV", "/Title", "/URI",
              "/P", "/ActualText", "/Alt", "/E")
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
    matrix: tuple[float, ...]  # text rendering origin: Tm x CTM at the glyph
    font: Font
    size: float
    scale: float  # Tz / 100
    invisible: bool


@dataclass
class _Stream:
    """One content stream (a page's or a form XObject's) and its glyphs."""

    owner: DictionaryObject  # the page or the XObject stream
    content: ContentStream
    glyphs: list[_Glyph]
    removed: set[int] = field(default_factory=set)  # glyph indexes
    drawn: list[tuple[_Glyph, str, float]] = field(default_factory=list)  # first glyph, text, width


@dataclass
class _Line:
    stream: _Stream
    chars: list[int | None]  # glyph index per character; None for an inserted space


@dataclass
class _DictText:
    holder: DictionaryObject
    key: str


@dataclass
class PdfState:
    writer: PdfWriter
    streams: list[_Stream]
    targets: list[_Line | _DictText]


# -- read ---------------------------------------------------------------------------------
def read(path: Path, scope_id: str, *, embedded: str = "refuse", **_options: str) -> Document:
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise RefusedError("encrypted PDF: it cannot be read")
        writer = PdfWriter(clone_from=reader)  # a full rewrite: no incremental revision stays
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise RefusedError("not a valid PDF (damaged or unreadable)") from None
    root = writer.root_object
    _refuse_unsafe(root, embedded)
    _remove_hidden_places(writer)
    blocks: list[Block] = []
    targets: list[_Line | _DictText] = []
    streams: list[_Stream] = []
    for number, page in enumerate(writer.pages, start=1):
        page_streams = _read_streams(page, page, writer)
        if not any(s.glyphs for s in page_streams) and _has_images(page):
            raise RefusedError(f"page {number} has no text layer, only images (a scan?): "
                               "it needs OCR first")
        for stream in page_streams:
            streams.append(stream)
            for line in _lines(stream):
                text = "".join(" " if i is None else stream.glyphs[i].char for i in line.chars)
                if text.strip():
                    blocks.append(Block(text, f"page {number} line"))
                    targets.append(line)
    for holder, key in _dictionary_texts(writer):
        blocks.append(Block(str(holder[key]), f"dictionary {key}"))
        targets.append(_DictText(holder, key))
    return Document(blocks=blocks, scope_id=scope_id, state=PdfState(writer, streams, targets))


def _refuse_unsafe(root: DictionaryObject, embedded: str) -> None:
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if form is not None and "/XFA" in form:
        raise RefusedError("PDF with an XFA form: cannot be checked")
    if "/Perms" in root or (form is not None and int(form.get("/SigFlags", 0)) & 1):
        raise RefusedError("digitally signed PDF: rewriting would break the signature")
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if names is not None and "/EmbeddedFiles" in names:
        if embedded != "drop":
            raise RefusedError("PDF with attachments: cannot be made safe "
                               "(use --embedded drop to remove them)")
        del names[NameObject("/EmbeddedFiles")]


def _remove_hidden_places(writer: PdfWriter) -> None:
    """Metadata, JavaScript, thumbnails and open actions go; attachments annotations too."""
    root = writer.root_object
    for key in ("/Metadata", "/OpenAction", "/AA"):
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names.get_object().pop(NameObject("/JavaScript"), None)
    writer._info = None  # the Info dictionary: author, title, producer, dates
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
            for key in ("/AP", "/AA", "/A") if annotation.get("/Subtype") != "/Link" else ("/AA",):
                annotation.pop(NameObject(key), None)  # appearances are rebuilt by viewers
            kept.append(reference)
        page[NameObject("/Annots")] = kept
    form = root.get("/AcroForm")
    if form is not None:
        form.get_object()[NameObject("/NeedAppearances")] = BooleanObject(True)


def _has_images(page: DictionaryObject) -> bool:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    return bool(xobjects) and any(
        x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())


def _fonts(owner: DictionaryObject) -> dict[str, Font]:
    resources = owner.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    decoded = {}
    for name, reference in (fonts.get_object().items() if fonts is not None else []):
        font = Font.from_font_resource(reference.get_object())
        if not font.interpretable:
            raise RefusedError("PDF with a font that cannot be decoded (Type3 without ToUnicode)")
        decoded[name] = font
    return decoded


def _read_streams(owner: DictionaryObject, page: DictionaryObject, writer: PdfWriter
                  ) -> list[_Stream]:
    contents = owner.get_contents() if hasattr(owner, "get_contents") else ContentStream(owner, writer)
    if contents is None:
        return []
    content = contents if isinstance(contents, ContentStream) else ContentStream(contents, writer)
    stream = _Stream(owner, content, [])
    streams = [stream]
    fonts = _fonts(owner)
    ctm, stack = _IDENTITY, []
    tm = tlm = _IDENTITY
    font, size, tc, tw, tz, leading, mode = None, 0.0, 0.0, 0.0, 1.0, 0.0, 0
    resources = owner.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for index, (operands, operator) in enumerate(content.operations):
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op == "q":
            stack.append((ctm, font, size, tc, tw, tz, leading, mode))
        elif op == "Q" and stack:
            ctm, font, size, tc, tw, tz, leading, mode = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(x) for x in operands), ctm)
        elif op == "BT":
            tm = tlm = _IDENTITY
        elif op == "Tf":
            font, size = fonts.get(operands[0]), float(operands[1])
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
                                                _multiply(tm, ctm), font, size, tz, mode == 3))
                    tm = _multiply((1, 0, 0, 1, advance, 0), tm)
        elif op == "Do" and xobjects is not None:
            xobject = xobjects.get_object().get(operands[0])
            xobject = xobject.get_object() if xobject is not None else None
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                streams += _read_streams(xobject, page, writer)
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


def _lines(stream: _Stream) -> list[_Line]:
    """Glyphs grouped by baseline, left to right; a gap wider than a third of the font size
    becomes a space."""
    rows: dict[int, list[int]] = {}
    for index, glyph in enumerate(stream.glyphs):
        rows.setdefault(round(glyph.matrix[5] / _LINE_TOLERANCE), []).append(index)
    lines = []
    for key in sorted(rows, reverse=True):
        indexes = sorted(rows[key], key=lambda i: stream.glyphs[i].matrix[4])
        chars: list[int | None] = []
        previous_end = None
        for index in indexes:
            glyph = stream.glyphs[index]
            x = glyph.matrix[4]
            if previous_end is not None and x - previous_end > glyph.size / 3 and chars \
                    and stream.glyphs[chars[-1]].char != " " and glyph.char != " ":
                chars.append(None)
            chars.append(index)
            previous_end = x + glyph.advance * glyph.matrix[0]
        lines.append(_Line(stream, chars))
    return lines


def _dictionary_texts(writer: PdfWriter) -> list[tuple[DictionaryObject, str]]:
    """Annotations (and their popups), form fields, bookmarks, link targets."""
    found: list[tuple[DictionaryObject, str]] = []
    seen: set[int] = set()
    root = writer.root_object
    # An explicit stack, not recursion: outlines chain thousands of siblings with /Next.
    pending: list[PdfObject] = [root.raw_get(k) for k in (
        "/Outlines", "/AcroForm", "/PageLabels", "/Names", "/StructTreeRoot") if k in root]
    pending += [page.raw_get("/Annots") for page in writer.pages if "/Annots" in page]
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject) and not isinstance(obj, StreamObject):
            for key, value in obj.items():
                if key in ("/Parent", "/Prev") or (key == "/P" and obj.get("/Type") == "/Annot"):
                    continue
                if key in _TEXT_KEYS and isinstance(value, (TextStringObject, str)) and str(value).strip():
                    found.append((obj, key))
                elif key != "/Contents" or not isinstance(value, (StreamObject, ArrayObject)):
                    pending.append(value)
        elif isinstance(obj, ArrayObject):
            pending.extend(obj)
    return found


# -- write --------------------------------------------------------------------------------
def write(document: Document, edits: list[list[Replacement]], dst: Path) -> None:
    state: PdfState = document.state
    for target, block_edits in zip(state.targets, edits, strict=True):
        if not block_edits:
            continue
        if isinstance(target, _DictText):
            value = splice(str(target.holder[target.key]), block_edits)
            target.holder[NameObject(target.key)] = TextStringObject(value)
        else:
            _replace_in_line(target, block_edits)
    for stream in state.streams:
        if stream.removed or stream.drawn:
            _rewrite(stream, state.writer)
    # Cloning from the written bytes keeps only what the catalog reaches: orphans (the old
    # Info dictionary, removed metadata, replaced streams) are gone, whatever held them.
    buffer = io.BytesIO()
    state.writer.write(buffer)
    clean = PdfWriter(clone_from=PdfReader(buffer))
    clean._info = None
    clean._ID = None
    clean.generate_file_identifiers()  # a new /ID: nothing links back to the input file
    with dst.open("wb") as handle:
        clean.write(handle)


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
    """Remove the glyphs (their advance stays, as TJ numbers) and draw the surrogates."""
    by_operation: dict[int, list[_Glyph]] = {}
    for index in stream.removed:
        glyph = stream.glyphs[index]
        by_operation.setdefault(glyph.operation, []).append(glyph)
    operations = stream.content.operations
    # From the last operation backwards: splitting ' and " does not shift earlier indexes.
    for index in sorted(by_operation, reverse=True):
        removed = by_operation[index]
        operands, operator = operations[index]
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        items = list(operands[0]) if op == "TJ" else [operands[-1]]
        rebuilt = ArrayObject()
        for element, item in enumerate(items):
            gone = sorted((g for g in removed if g.element == element), key=lambda g: g.start)
            if not gone or isinstance(item, (int, float, NumberObject, FloatObject)):
                rebuilt.append(item)
                continue
            data = _string_bytes(item)
            position = 0
            for glyph in gone:
                if glyph.start > position:
                    rebuilt.append(ByteStringObject(data[position:glyph.start]))
                rebuilt.append(FloatObject(-glyph.advance * 1000 / (glyph.size * glyph.scale)))
                position = glyph.end
            if position < len(data):
                rebuilt.append(ByteStringObject(data[position:]))
        replacement = [([rebuilt], b"TJ")]
        if op == "'":
            replacement.insert(0, ([], b"T*"))
        elif op == '"':
            replacement[:0] = [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
        operations[index:index + 1] = replacement
    font_names = _add_fonts(stream, writer)
    drawing: list = [([], b"Q")]
    for glyph, text, width in stream.drawn:
        base = _standard_font(glyph.font)
        encoded = _encodable(text)
        natural = Font.from_core_font_name(f"/{base}").get_text_width(encoded) / 1000 * glyph.size
        squeeze = min(1.0, width / natural) if natural > 0 else 1.0
        drawing += [
            ([], b"q"), ([], b"BT"),
            ([NameObject(font_names[base]), FloatObject(glyph.size)], b"Tf"),
            ([NumberObject(3 if glyph.invisible else 0)], b"Tr"),
            ([FloatObject(x) for x in glyph.matrix], b"Tm"),
            ([FloatObject(max(squeeze, 0.5) * 100)], b"Tz"),
            ([TextStringObject(encoded)], b"Tj"),
            ([], b"ET"), ([], b"Q"),
        ]
    operations[:0] = [([], b"q")]
    operations += drawing
    content = stream.content
    if isinstance(stream.owner, StreamObject):
        stream.owner.set_data(content.get_data())
    else:
        stream.owner.replace_contents(content)


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


def _add_fonts(stream: _Stream, writer: PdfWriter) -> dict[str, str]:
    owner = stream.owner
    resources = owner.get("/Resources")
    if resources is None:
        resources = DictionaryObject()
        owner[NameObject("/Resources")] = resources
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    names = {}
    for base in {_standard_font(g.font) for g, _, _ in stream.drawn}:
        name = f"/Deident{base.replace('-', '')}"
        fonts[NameObject(name)] = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(f"/{base}"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
        names[base] = name
    return names


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
def read_back(path: Path) -> list[str]:
    """Independent of the rewrite: pypdf's text extraction, plus every string and decoded
    stream of every object in the file."""
    reader = PdfReader(path, strict=False)
    texts = [page.extract_text() or "" for page in reader.pages]
    for number in range(1, int(reader.trailer.get("/Size", 0))):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free or missing object number
            continue
        _strings(obj, texts, 0)
    return [t for t in texts if t.strip()]


def _strings(obj: PdfObject | None, out: list[str], depth: int) -> None:
    if obj is None or depth > 20:
        return
    if isinstance(obj, StreamObject):
        with contextlib.suppress(Exception):  # an image filter pypdf cannot decode: not text
            out.append(obj.get_data().decode("latin-1"))
    if isinstance(obj, DictionaryObject):
        for value in obj.values():
            if not isinstance(value, IndirectObject):
                _strings(value, out, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if not isinstance(value, IndirectObject):
                _strings(value, out, depth + 1)
    elif isinstance(obj, str):
        out.append(str(obj))
