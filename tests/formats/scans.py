"""Generated scans: text rendered with Pillow at 300 dpi, slightly rotated, with noise,
saved as JPEG or PNG and wrapped in PDFs or Word files. Every value is invented."""

from __future__ import annotations

import io
import random
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 300

# The planted values of the letter, and words that must survive.
NAME = ("Ghislaine", "Brossolette")
NIR = "2 84 05 75 123 456 72"  # key 72: a valid French NIR
BIRTH = "14/03/1984"
STREET = "17 rue des Capucines"
PHONE = "06 47 21 93 58"
MEDICAL = ("Parkinson", "lévodopa")

LETTER = [
    "Centre hospitalier, service de neurologie",
    f"Patiente : Madame {NAME[0]} {NAME[1]}",
    f"Née le {BIRTH}",
    f"NIR : {NIR}",
    f"Adresse : {STREET}, 69003 Lyon",
    f"Téléphone : {PHONE}",
    "",
    "Compte rendu de consultation",
    "La patiente est suivie pour une maladie de Parkinson.",
    "Traitement : lévodopa 250 mg trois fois par jour.",
]


def planted() -> list[str]:
    """What must not be found in any output: name tokens and digit strings."""
    return [*NAME, NIR.replace(" ", ""), "14031984", PHONE.replace(" ", "")]


def render(lines: list[str], *, size: tuple[float, float] = (5.8, 4.1), points: int = 12,
           angle: float = 0.6, noise: float = 0.002, seed: int = 1,
           smudge: str | None = None) -> Image.Image:
    """A greyscale page of `size` inches at 300 dpi. `smudge`: a line whose middle is
    blotted (a value the OCR misreads)."""
    width, height = int(size[0] * DPI), int(size[1] * DPI)
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(points / 72 * DPI))
    step = int(points * 1.6 / 72 * DPI)
    y = int(0.35 * DPI)
    for line in lines:
        draw.text((int(0.4 * DPI), y), line, font=font, fill=25)
        if smudge is not None and line == smudge:
            box = draw.textbbox((int(0.4 * DPI), y), line, font=font)
            middle = (box[0] + box[2]) // 2
            rng = random.Random(seed)
            for _ in range(90):  # ink blots over the right half of the value
                x = rng.randrange(middle - 40, box[2])
                yy = rng.randrange(box[1] - 4, box[3] + 4)
                r = rng.randrange(2, 5)
                draw.ellipse((x - r, yy - r, x + r, yy + r), fill=rng.choice((60, 120, 170)))
        y += step
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=250)
    rng = random.Random(seed)
    pixels = image.load()
    for _ in range(int(width * height * noise)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 255))
    return image.filter(ImageFilter.GaussianBlur(0.5))


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}), dpi=(DPI, DPI))
    return buffer.getvalue()


def scan_pdf(path: Path, pages: list[Image.Image], fmt: str = "JPEG") -> None:
    """Image-only pages, each the size of its image at 300 dpi (what a scanner writes)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    for image in pages:
        w, h = image.width * 72 / DPI, image.height * 72 / DPI
        pdf.add_page(format=(w, h))
        pdf.image(io.BytesIO(encoded(image, fmt)), x=0, y=0, w=w, h=h)
    pdf.output(str(path))


def mixed_pdf(path: Path, text_pages: tuple[list[str], list[str]], scan: Image.Image) -> None:
    """A text page, a scanned page, a text page."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(scan.width * 72 / DPI, scan.height * 72 / DPI))
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_font("dejavu", "", SANS)
    for index, lines in enumerate((text_pages[0], None, text_pages[1])):
        pdf.add_page()
        if lines is None:
            pdf.image(io.BytesIO(encoded(scan, "PNG")), x=0, y=0, w=pdf.w, h=pdf.h)
            continue
        pdf.set_font("dejavu", size=11)
        for number, line in enumerate(lines):
            pdf.text(30, 40 + 16 * number, line)
        assert index in (0, 2)
    pdf.output(str(path))


def label(lines: list[str], seed: int = 3) -> Image.Image:
    """A photographed label: a light card on a darker textured background, text in black."""
    rng = random.Random(seed)
    image = Image.new("RGB", (900, 420), (120, 110, 95))
    pixels = image.load()
    for _ in range(9000):
        x, y = rng.randrange(900), rng.randrange(420)
        pixels[x, y] = tuple(rng.randrange(90, 150) for _ in range(3))
    card = Image.new("RGB", (800, 320), (245, 243, 235))
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(SANS, 40)
    for number, line in enumerate(lines):
        draw.text((30, 30 + 68 * number), line, font=font, fill=(20, 20, 25))
    card = card.rotate(1.2, resample=Image.Resampling.BICUBIC, expand=False,
                       fillcolor=(245, 243, 235))
    image.paste(card, (50, 50))
    return image.filter(ImageFilter.GaussianBlur(0.6))


def ocr_text(image: Image.Image) -> str:
    """A fresh OCR through the tesseract command (independent of deident's engine)."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG")
    return subprocess.run(["tesseract", "stdin", "stdout", "-l", "fra", "--dpi", "300"],
                          input=buffer.getvalue(), capture_output=True, check=True).stdout.decode()


def pdf_pages(path: Path) -> list[Image.Image]:
    """The output's pages rendered at 300 dpi by poppler (not PDFium)."""
    out = path.parent / f"{path.stem}-render"
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(path), str(out)], check=True)
    files = sorted(path.parent.glob(f"{path.stem}-render*.png"))
    return [Image.open(f) for f in files]


def digits_and_words(text: str) -> tuple[str, str]:
    """The text folded: its digits per line joined (separators removed), and its words."""
    lines = text.splitlines()
    return ("\n".join("".join(c for c in line if c.isdigit()) for line in lines),
            text.casefold())
