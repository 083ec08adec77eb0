"""Text in pixels: OCR an image to words, give its lines to the document as blocks, paint
over the replaced words and draw the surrogates, then read the painted image again.

Tesseract (the Debian packages tesseract-ocr and tesseract-ocr-fra: the French model) is
driven in process through tesserocr: no subprocess and no image file per call, about a
third faster than pytesseract on a 300 dpi page and far faster on small images. One engine
per process and language set; batch workers are processes, so each has its own.

Adapters call this module; it knows words, boxes and replacements, never entity types.
What it refuses: an image whose text it cannot read (mean confidence too low), and a
painted image in which a replaced value is still readable.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy
from PIL import Image, ImageDraw, ImageFont

from deident.document import Block, Replacement, splice
from deident.errors import RefusedError
from deident.formats.ocr_options import OcrOptions

# One OCR thread per worker process: batch parallelism is by process, and OpenMP threads
# competing with the other workers slow everyone down. Set before Tesseract loads.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MODES = ("auto", "off", "force")
DRAWS = ("surrogate", "box")
INSTALL_HINT = ("install Tesseract and its French model: apt-get install tesseract-ocr "
                "tesseract-ocr-fra (and pip install tesserocr)")
_TESSDATA_PLACES = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                    "/usr/share/tessdata", "/usr/local/share/tessdata",
                    "/opt/homebrew/share/tessdata")
_FONT_PLACES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/dejavu/DejaVuSans.ttf")

# Below this, a word is "read with low confidence" (Tesseract's 0-100 scale).
LOW_CONFIDENCE = 60.0
_CLEAN_CONFIDENCE = 90.0  # a word read at least this well is read cleanly
# A word counts as text when it has this many letters or digits and at least this
# confidence; an image with none has no text.
_TEXT_WORD_CHARS = 2
_TEXT_WORD_CONFIDENCE = 40.0
# Images smaller than this are icons, bullets, rules: no readable personal data.
_MIN_SIDE = 16
_MIN_PIXELS = 4000
# Words after which a capitalised word is a name or an identifier (folded, no punctuation).
_CUES = {"nom", "prenom", "prenoms", "mme", "mlle", "madame", "mademoiselle", "m", "mr",
         "monsieur", "dr", "docteur", "pr", "professeur", "ne", "nee", "le", "patient",
         "patiente", "ipp", "nir", "nip", "secu", "assure", "assuree", "epouse", "epoux",
         "naissance", "tel", "telephone", "portable", "adresse", "domicile"}
# Characters a smudge turns digits into.
_DIGIT_LIKE = set("0123456789OoIlSBZ#|")
# Tokens of a value that surrogates and addresses share: not evidence of a leak.
_COMMON_TOKENS = {"rue", "avenue", "bd", "boulevard", "place", "chemin", "allee", "route",
                  "impasse", "quai", "cours", "des", "les", "du", "de", "la", "le", "et",
                  "mme", "madame", "monsieur", "dr", "docteur"}


@dataclass(frozen=True)
class Word:
    text: str
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    confidence: float
    line: int


@dataclass
class Reading:
    """An image's words and its lines of text, each line with the word of each character
    (None for the spaces between words)."""

    words: list[Word]
    lines: list[tuple[str, list[int | None]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.lines:
            return
        current, text, owners = -1, "", []
        for index, word in enumerate(self.words):
            if word.line != current:
                if text:
                    self.lines.append((text, owners))
                current, text, owners = word.line, "", []
            if text:
                text += " "
                owners.append(None)
            text += word.text
            owners += [index] * len(word.text)
        if text:
            self.lines.append((text, owners))

    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)

    def text_words(self) -> list[Word]:
        """Words that are text, not noise read as characters."""
        return [w for w in self.words if w.confidence >= _TEXT_WORD_CONFIDENCE
                and sum(c.isalnum() for c in w.text) >= _TEXT_WORD_CHARS]

    def mean_confidence(self) -> float:
        words = [w for w in self.words if any(c.isalnum() for c in w.text)]
        if not words:
            return 100.0
        weights = [len(w.text) for w in words]
        return sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / sum(weights)

    def blocks(self, locator: str) -> list[Block]:
        return [Block(text, locator) for text, _ in self.lines]


# -- the engine ---------------------------------------------------------------------------
class OcrUnavailableError(RefusedError):
    pass


def tessdata_folder() -> str | None:
    """Where the Tesseract models are, or None."""
    places = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for place in (*places, *_TESSDATA_PLACES):
        if Path(place, "fra.traineddata").is_file() or Path(place, "eng.traineddata").is_file():
            return place
    return None


def available(languages: str = "fra") -> bool:
    try:
        _engine(languages)
    except OcrUnavailableError:
        return False
    return True


class _Engine:
    def __init__(self, languages: str) -> None:
        try:
            import tesserocr
        except ImportError:
            raise OcrUnavailableError(f"Tesseract is not installed: {INSTALL_HINT}") from None
        folder = tessdata_folder()
        missing = [lang for lang in languages.split("+")
                   if folder is None or not Path(folder, f"{lang}.traineddata").is_file()]
        if missing:
            raise OcrUnavailableError(f"the Tesseract model(s) {', '.join(missing)} are not "
                                      f"installed: {INSTALL_HINT}")
        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=languages,
                                            psm=tesserocr.PSM.AUTO, oem=tesserocr.OEM.LSTM_ONLY)
        self._lock = threading.Lock()

    def read(self, image: Image.Image, dpi: int) -> Reading:
        tesserocr = self._tesserocr
        level = tesserocr.RIL.WORD
        words: list[Word] = []
        with self._lock:
            self._api.SetImage(image)
            self._api.SetSourceResolution(dpi)
            self._api.Recognize()
            iterator = self._api.GetIterator()
            line = -1
            for result in tesserocr.iterate_level(iterator, level) if iterator else ():
                if result.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                    line += 1
                try:
                    text = (result.GetUTF8Text(level) or "").strip()
                except RuntimeError:  # "No text returned": an empty page or region
                    continue
                if not text:
                    continue
                box = result.BoundingBox(level)
                words.append(Word(text, tuple(box), float(result.Confidence(level)), max(line, 0)))
            self._api.Clear()
        return Reading(words)


@lru_cache(maxsize=4)
def _engine(languages: str) -> _Engine:
    return _Engine(languages)


def read(image: Image.Image, options: OcrOptions, dpi: int | None = None) -> Reading:
    """The words of `image` (refused with the reason to install Tesseract when it is absent)."""
    return _engine(options.languages).read(_for_ocr(image), dpi or options.dpi)


_TURNS = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
          270: Image.Transpose.ROTATE_90}  # clockwise degrees -> Pillow's transposition


def read_upright(image: Image.Image, options: OcrOptions
                 ) -> tuple[Image.Image, Reading, int]:
    """A page scanned sideways or upside down, turned until it reads well: the image as
    read, its words, and the degrees it was turned clockwise. Only pages read badly as
    they are are tried the other ways."""
    reading = read(image, options)
    if not _reads_badly(reading, options):
        return image, reading, 0
    best = (image, reading, 0)
    for degrees, transposition in _TURNS.items():
        turned = image.transpose(transposition)
        candidate = read(turned, options)
        if _score(candidate) > _score(best[1]):
            best = (turned, candidate, degrees)
    return best


def _reads_badly(reading: Reading, options: OcrOptions) -> bool:
    words = reading.text_words()
    if not words:
        return len(reading.words) >= 3
    return reading.mean_confidence() < options.min_confidence


def _score(reading: Reading) -> float:
    return sum(w.confidence * len(w.text) for w in reading.text_words())


def _for_ocr(image: Image.Image) -> Image.Image:
    if image.mode in ("L", "RGB"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        background = Image.new("RGB", image.size, "white")  # transparent: as shown on paper
        background.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return background
    return image.convert("RGB") if image.mode in ("P", "CMYK", "YCbCr") else image.convert("L")


# -- the cheap test ----------------------------------------------------------------------
def may_hold_text(image: Image.Image) -> bool:
    """False for images that cannot hold readable text: tiny ones, and flat graphics
    (few sharp edges, or edges too sparse along the rows to be letters). A few
    milliseconds on a downscaled grey copy; anything in doubt is read. A JPEG not yet
    decoded is decoded at a quarter of its size (the image object is changed)."""
    width, height = image.size
    if min(width, height) < _MIN_SIDE or width * height < _MIN_PIXELS:
        return False
    if getattr(image, "format", None) == "JPEG":
        image.draft("L", (width // 4, height // 4))  # decode at a quarter: much faster
    if image.width > 1000 and image.mode in ("L", "RGB"):
        image = image.reduce(-(-image.width // 1000))  # letters keep their edges at half size
    grey = _for_ocr(image).convert("L")
    pixels = numpy.asarray(grey, dtype=numpy.int16)
    edges = numpy.abs(numpy.diff(pixels, axis=1)) > 60
    if edges.mean() <= 0.002:
        return False
    # Where an edge starts along a row; letters put several within a short window, the
    # bars of a chart or the outline of a logo two at most.
    starts = edges[:, 1:] & ~edges[:, :-1]
    window = 40
    if starts.shape[1] <= window:
        return bool(starts.sum(axis=1).max() >= 4)
    running = numpy.cumsum(starts, axis=1, dtype=numpy.int32)
    crowded = (running[:, window:] - running[:, :-window]).max(axis=1) >= 4
    return bool(numpy.count_nonzero(crowded) >= 3)


# -- painting -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Paint:
    box: tuple[int, int, int, int]
    text: str  # what to draw in it ("" to leave it blank)


def plan(reading: Reading, edits_per_line: Sequence[list[Replacement]]
         ) -> tuple[list[Paint], list[str], list[str]]:
    """What to paint for the analyzer's replacements (one list per line of `reading`),
    plus low-confidence words that look like identifiers; the lines as the text layer
    gets them; and the values painted over (for the check after painting)."""
    paints: list[Paint] = []
    values: list[str] = []
    new_lines: list[str] = []
    painted: set[int] = set()
    for (text, owners), edits in zip(reading.lines, edits_per_line, strict=True):
        groups = _edit_groups(owners, edits)
        for word_indexes, group_edits in groups:
            first, last = min(word_indexes), max(word_indexes)
            start = owners.index(first)
            end = len(owners) - owners[::-1].index(last)
            shifted = [(s - start, e - start, new) for s, e, new in group_edits]
            drawn = splice(text[start:end], shifted)
            boxes = [reading.words[i].box for i in word_indexes]
            paints += _per_row(boxes, drawn)
            painted.update(word_indexes)
            values += [text[s:e] for s, e, _ in group_edits]
        line = splice(text, edits)
        forced = _suspicious(reading, owners, painted)
        for index in forced:  # painted blank and left out of the text layer
            paints.append(Paint(reading.words[index].box, ""))
            values.append(reading.words[index].text)
            line = _without_word(line, reading.words[index].text)
        new_lines.append(line)
    return paints, new_lines, values


def _edit_groups(owners: list[int | None], edits: list[Replacement]
                 ) -> list[tuple[set[int], list[Replacement]]]:
    """Edits that touch the same words belong together (a word is repainted once)."""
    groups: list[tuple[set[int], list[Replacement]]] = []
    for start, end, new in edits:
        touched = {i for i in owners[start:end] if i is not None}
        if not touched:
            continue
        merged = [g for g in groups if g[0] & touched]
        for group in merged:
            touched |= group[0]
            groups.remove(group)
        group_edits = [e for g in merged for e in g[1]] + [(start, end, new)]
        groups.append((touched, sorted(group_edits)))
    return groups


def _per_row(boxes: list[tuple[int, int, int, int]], text: str) -> list[Paint]:
    """One paint over the union of the words' boxes, the new text drawn in it."""
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    return [Paint((left, top, right, bottom), text)]


def _suspicious(reading: Reading, owners: list[int | None], painted: set[int]) -> list[int]:
    """Words of a line the analyzer did not replace but that may be identifiers read
    badly. A stretch of words each read with low confidence or made of digits is painted
    when one of them is low and the stretch holds two digits or more (a smudged NIR or
    phone number: the digits read well and the blot next to them) or follows a cue
    ("NIR :", "Nom :", "Mme"); and a stretch of eight digits or more with a word not read
    cleanly (a misread NIR no longer passes its checksum: only its shape is left).
    A shape rule for pixels only: text layers keep what the analyzer keeps."""
    indexes = sorted({i for i in owners if i is not None})
    words = reading.words
    flagged: set[int] = set()
    stretch: list[int] = []
    cue_before = False

    def close() -> None:
        low = any(words[i].confidence < LOW_CONFIDENCE for i in stretch)
        digits = sum(c.isdigit() for i in stretch for c in words[i].text)
        unsure = any(words[i].confidence < _CLEAN_CONFIDENCE for i in stretch)
        if stretch and ((low and (digits >= 2 or cue_before)) or (digits >= 8 and unsure)):
            flagged.update(stretch)
        stretch.clear()

    previous: Word | None = None
    for index in indexes:
        word = words[index]
        core = word.text.strip(".,:;()[]")
        digit_like = bool(core) and any(c.isdigit() for c in core) and sum(
            c in _DIGIT_LIKE or c in "-./" for c in core) >= len(core) / 2
        if word.confidence < LOW_CONFIDENCE or digit_like:
            if not stretch:
                cue_before = previous is not None and (
                    fold(previous.text).strip(".,:;") in _CUES or previous.text.endswith(":"))
            stretch.append(index)
        else:
            close()
        previous = word
    close()
    return sorted(flagged - painted)


def _without_word(line: str, word: str) -> str:
    position = line.find(word)
    if position < 0:
        return line
    return (line[:position] + line[position + len(word):]).replace("  ", " ")


def paint(image: Image.Image, paints: list[Paint], draw: str) -> Image.Image:
    """A copy of `image` with each box filled (opaque, a small margin) and, when `draw` is
    "surrogate", its new text drawn in the ink colour, squeezed into the box."""
    mode = image.mode
    work = image.convert("RGB" if mode not in ("L", "1") else "L")
    canvas = ImageDraw.Draw(work)
    for item in paints:
        left, top, right, bottom = item.box
        margin = max(2, (bottom - top) // 8)
        outer = (max(0, left - margin), max(0, top - margin),
                 min(work.width, right + margin), min(work.height, bottom + margin))
        background, ink = _colours(work, outer)
        if draw == "box":
            canvas.rectangle(outer, fill=ink if work.mode == "L" else (0, 0, 0))
            continue
        canvas.rectangle(outer, fill=background)
        if item.text.strip():
            _draw_text(work, item.text, (left, top, right, bottom), ink)
    return work if mode in ("L", "RGB") else _back_to(work, mode)


def _colours(image: Image.Image, box: tuple[int, int, int, int]):
    """The paper colour (the light end) and the ink colour (the dark end) around a box."""
    region = numpy.asarray(image.crop(box))
    flat = region.reshape(-1, region.shape[-1]) if region.ndim == 3 else region.reshape(-1, 1)
    brightness = flat.mean(axis=1)
    order = numpy.argsort(brightness)
    light = flat[order[int(len(order) * 0.9):]].mean(axis=0)
    dark = flat[order[:max(1, len(order) // 20)]].mean(axis=0)
    as_colour = (lambda v: int(v[0])) if image.mode == "L" else (lambda v: tuple(int(x) for x in v))
    return as_colour(light), as_colour(dark)


@lru_cache(maxsize=64)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for place in _FONT_PLACES:
        if Path(place).is_file():
            return ImageFont.truetype(place, size)
    return ImageFont.load_default(size)


def _draw_text(image: Image.Image, text: str, box: tuple[int, int, int, int], ink) -> None:
    left, top, right, bottom = box
    height, width = max(1, bottom - top), max(1, right - left)
    font = _font(max(6, height))
    glyphs = font.getbbox(text)
    mask = Image.new("L", (max(1, glyphs[2] - glyphs[0]), max(1, glyphs[3] - glyphs[1])), 0)
    ImageDraw.Draw(mask).text((-glyphs[0], -glyphs[1]), text, font=font, fill=255)
    # The text's own height fills the box's; wider than the box: squeezed into it.
    scale = height / mask.height
    new_width = min(width, max(1, round(mask.width * scale)))
    mask = mask.resize((new_width, height), Image.Resampling.LANCZOS)
    image.paste(ink, (left, top, left + new_width, top + height), mask)


def _back_to(image: Image.Image, mode: str) -> Image.Image:
    if mode == "1":
        return image.convert("1")
    if mode in ("P", "PA"):
        return image.convert("P", palette=Image.Palette.ADAPTIVE)
    return image.convert(mode)


# -- the check after painting ----------------------------------------------------------------
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def leaked(values: list[str], replacements: list[str], text: str) -> int:
    """How many painted values are still readable in `text` (a fresh OCR): any word of
    three letters or more of a value (folded), or a value's digits (four or more) in a
    line's digits, separators removed. Words the surrogates use too do not count."""
    lines = [fold(line) for line in text.splitlines()]
    words = {w for line in lines for w in _words(line)}
    line_digits = ["".join(c for c in line if c.isdigit()) for line in lines]
    shared = {w for r in replacements for w in _words(fold(r))} | _COMMON_TOKENS
    count = 0
    for value in values:
        digits = "".join(c for c in value if c.isdigit())
        tokens = {w for w in _words(fold(value)) if len(w) >= 3 and not w.isdigit()} - shared
        if (len(digits) >= 4 and any(digits in d for d in line_digits)) or tokens & words:
            count += 1
    return count


def _words(text: str) -> list[str]:
    word, out = [], []
    for char in text:
        if char.isalnum():
            word.append(char)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


# -- what the verifier reads -------------------------------------------------------------------
_READ_TEXTS: dict[str, str] = {}
_MAX_CACHED = 512


def remember(data: bytes, text: str) -> None:
    """The OCR text of delivered image bytes, so reading the output back does not read
    the same pixels twice."""
    if len(_READ_TEXTS) >= _MAX_CACHED:
        _READ_TEXTS.pop(next(iter(_READ_TEXTS)))
    _READ_TEXTS[hashlib.sha256(data).hexdigest()] = text


def text_in(data: bytes, load: Callable[[], Image.Image], options: OcrOptions) -> str:
    """The text an image's pixels show, for the verifier: read earlier in this process,
    or read now (empty for images that cannot hold text)."""
    cached = _READ_TEXTS.get(hashlib.sha256(data).hexdigest())
    if cached is not None:
        return cached
    image = load()
    if not may_hold_text(image):
        return ""
    text = read(image, options).text()
    remember(data, text)
    return text


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG" and image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")
    if fmt == "GIF" and image.mode not in ("P", "L", "1"):
        image = image.convert("P", palette=Image.Palette.ADAPTIVE)
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def redact(image: Image.Image, reading: Reading, edits_per_line: Sequence[list[Replacement]],
           options: OcrOptions, encode_as: Callable[[Image.Image], bytes], where: str
           ) -> tuple[bytes, list[str]] | None:
    """The painted image's bytes and the lines of its text layer; None when nothing is to
    be painted. The delivered bytes are decoded and read again: a painted value still
    readable refuses the file."""
    paints, lines, values = plan(reading, edits_per_line)
    if not paints:
        return None
    painted = paint(image, paints, options.draw)
    data = encode_as(painted)
    again = read(Image.open(io.BytesIO(data)), options).text()
    # Words the surrogates draw, and words left unpainted on purpose (the analyzer kept
    # them elsewhere on the image: the text verifier judges those, as on text pages).
    kept = [w.text for w in reading.words if not _inside(w.box, paints)]
    if leaked(values, [p.text for p in paints] + kept, again):
        raise RefusedError(f"verification failed: a painted value is still readable in {where}")
    remember(data, again)
    return data, lines


def _inside(box: tuple[int, int, int, int], paints: list[Paint]) -> bool:
    middle_x, middle_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(p.box[0] <= middle_x <= p.box[2] and p.box[1] <= middle_y <= p.box[3]
               for p in paints)


def check_readable(reading: Reading, options: OcrOptions, where: str) -> None:
    """A page whose words the OCR reads too poorly is refused: its pixels could hold
    anything."""
    if reading.text_words() and reading.mean_confidence() < options.min_confidence:
        raise RefusedError(f"{where} cannot be read reliably by OCR "
                           f"(mean confidence {reading.mean_confidence():.0f} < "
                           f"{options.min_confidence:.0f})")


# A picture with fewer words than this, all read badly, is a photo or a drawing whose
# shapes the OCR took for letters: left as it is.
_PICTURE_MIN_WORDS = 4


def picture_has_text(reading: Reading, options: OcrOptions, where: str) -> bool:
    """Whether a picture holds text to analyse and paint; refused when it holds text the
    OCR reads too poorly to check."""
    words = reading.text_words()
    if not words:
        return False
    if reading.mean_confidence() >= options.min_confidence:
        return True
    if len(words) < _PICTURE_MIN_WORDS and all(w.confidence < LOW_CONFIDENCE for w in words):
        return False
    check_readable(reading, options, where)
    return True
