"""Small, real PDF files for the PDF pseudonymizer tests.

Each `build_*(path)` writes one PDF and returns the planted values (surnames, NIRs, e-mails,
phones) that must be absent from a correctly pseudonymized output; every text page also carries
`MEDICAL` and `DRUG`, which must survive. Persons follow a title or a label so that a rule-based
French detector recognises them. Builders use distinct values. All personal data are invented.
The helpers need poppler-utils (`pdftotext`) and `qpdf` on PATH.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Link, Text
from pypdf.generic import DictionaryObject, IndirectObject, NameObject, NumberObject, PdfObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MEDICAL = "maladie de Parkinson"
DRUG = "Lévodopa 100 mg"
HOSPITAL = "CHU de Démonstration"
PASSWORD = "secret"  # user password of build_encrypted
SPLIT_Y = 700.0  # baseline of the name drawn in three pieces by build_split_name
TJ_Y = 680.0  # baseline of the TJ-kerned name of build_split_name
NAME_LINE = "Opérateur : Dr Honoré VASSEUR"  # on page 1 of build_incremental_update's first revision only
LEFT_X, RIGHT_X = 56.0, 320.0  # column origins of build_two_columns
X0, TOP, LEADING = 56.0, 780.0, 16.0


def nir(first13: str) -> str:
    """A NIR with its valid key (97 - number mod 97), grouped as printed on a Vitale card."""
    return f"{first13} {97 - int(first13.replace(' ', '')) % 97:02d}"


def _clinical(who: str = "le patient") -> list[str]:
    """Medical sentences that must survive pseudonymization."""
    return [
        f"Je revois ce jour {who}, suivi{'e' * who.endswith('e')} pour une {MEDICAL} évoluant depuis 2019.",
        f"Le traitement par {DRUG} trois fois par jour est poursuivi sans modification.",
        "Pas de fluctuations motrices ; tremblement de repos discret au membre supérieur droit.",
    ]


def _canvas(path: Path, compress: bool = True) -> Canvas:
    """A reportlab A4 canvas with reproducible output (fixed dates and /ID)."""
    return Canvas(str(path), pagesize=A4, invariant=1, pageCompression=int(compress))


def _draw_lines(
    c: Canvas, lines: Iterable[str], x: float = X0, y: float = TOP, font: str = "Helvetica", size: float = 11
) -> float:
    """Draw `lines` downwards from (x, y); return the y of the next free line."""
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= LEADING
    return y


def _serialize(obj: PdfObject) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


# -- builders ------------------------------------------------------------------------------------


def build_helvetica(path: Path) -> list[str]:
    """A clinical letter in the standard Helvetica / Helvetica-Bold fonts (WinAnsiEncoding)."""
    number, phone, email = nir("2 58 07 75 112 048"), "06 12 47 83 95", "josiane.verdelet@example.fr"
    c = _canvas(path)
    y = _draw_lines(c, [f"{HOSPITAL} – Service de neurologie", "Le 12 mars 2024"])
    y = _draw_lines(c, ["Patiente : Mme Josiane VERDELET"], y=y - LEADING, font="Helvetica-Bold")
    y = _draw_lines(c, [f"NIR : {number}", f"Tél. : {phone} – Courriel : {email}", "", "Cher confrère,"], y=y)
    _draw_lines(c, [*_clinical("votre patiente"), "", "Bien confraternellement,", "Dr Bérénice LOUVIGNY"],
                y=y)
    c.showPage()
    c.save()
    return ["VERDELET", "LOUVIGNY", number, phone, email]


def build_truetype_subset(path: Path) -> list[str]:
    """The same kind of letter in DejaVuSans, embedded by reportlab as a TrueType subset."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    number, phone, email = nir("2 71 11 29 019 233"), "07 58 21 64 30", "gwenaelle.lebraz@example.fr"
    c = _canvas(path)
    lines = [
        f"{HOSPITAL} – Consultation mémoire et mouvements anormaux",
        "Patiente : Mme Gwenaëlle LE BRAZ, née le 4 novembre 1971",
        f"N° de sécurité sociale : {number}",
        f"Téléphone : {phone} – Courriel : {email}",
        "Adressée par le Dr Hélène QUÉMÉNEUR, neurologue.",
        *_clinical("la patiente"),
    ]
    _draw_lines(c, lines, font="DejaVuSans")
    c.showPage()
    c.save()
    return ["LE BRAZ", "QUÉMÉNEUR", number, phone, email]


def build_type0_identity_h(path: Path) -> list[str]:
    """fpdf2 with DejaVuSans: a Type0 composite font, CIDFontType2, /Encoding /Identity-H."""
    number, phone, email = nir("1 63 02 44 109 571"), "06 84 39 17 52", "theophile.grandjouan@example.fr"
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    lines = [
        f"{HOSPITAL} – Compte rendu d'hospitalisation",
        "Patient : M. Théophile GRANDJOUAN",
        f"NIR : {number}",
        f"Joignable au {phone} ou par courriel : {email}",
        "Médecin référent : Dr Séverine MAUDUIT",
        *_clinical(),
    ]
    for i, line in enumerate(lines):
        pdf.text(X0, 60 + i * LEADING, line)
    pdf.output(str(path))
    return ["GRANDJOUAN", "MAUDUIT", number, phone, email]


def build_split_name(path: Path) -> list[str]:
    """Names drawn in pieces: three absolutely positioned `Tj` with a font change, and a kerned `TJ`."""
    c = _canvas(path, compress=False)
    size = 11.0
    regular, bold = (c._doc.getInternalFontName(f) for f in ("Helvetica", "Helvetica-Bold"))  # registers
    x, ops = X0, ["BT"]
    for piece, font, name in (("Mme ", regular, "Helvetica"), ("Clémence ", regular, "Helvetica"),
                              ("ABRIAL", bold, "Helvetica-Bold")):
        raw = "".join(ch if ord(ch) < 128 else f"\\{ch.encode('cp1252')[0]:03o}" for ch in piece)
        ops.append(f"{font} {size:g} Tf 1 0 0 1 {x:.2f} {SPLIT_Y:.2f} Tm ({raw}) Tj")
        x += pdfmetrics.stringWidth(piece, name, size)
    tj = "[(Dr Anatole ) (CHAMBO) -20 (REDON)] TJ"  # kerning inside the surname
    ops.append(f"{regular} {size:g} Tf 1 0 0 1 {X0:.2f} {TJ_Y:.2f} Tm {tj}")
    ops.append("ET")
    c._code.extend(ops)  # drawn first, before the header line: content order is not reading order
    _draw_lines(c, [f"{HOSPITAL} – Lettre de liaison"], y=TOP)
    _draw_lines(c, _clinical("la patiente"), y=TJ_Y - 2 * LEADING)
    c.showPage()
    c.save()
    return ["ABRIAL", "CHAMBOREDON"]


def build_two_columns(path: Path) -> list[str]:
    """Two text columns side by side, a different patient in each, on shared baselines."""
    left_nir, right_phone = nir("1 49 06 12 202 017"), "06 27 90 58 13"
    right_email = "odile.vernhes@example.fr"
    c = _canvas(path)
    _draw_lines(c, [f"{HOSPITAL} – Staff de neurologie du 5 avril 2024"], y=TOP, font="Helvetica-Bold")
    left = [
        "Patient : M. Firmin LACOMBAZ",
        f"NIR : {left_nir}",
        f"Suivi pour une {MEDICAL}.",
        f"Traitement : {DRUG}.",
    ]
    right = [
        "Patiente : Mme Odile VERNHES",
        f"Tél. : {right_phone}",
        f"Courriel : {right_email}",
        "Bilan de chute, IRM normale.",
    ]
    _draw_lines(c, left, x=LEFT_X, y=TOP - 3 * LEADING)
    _draw_lines(c, right, x=RIGHT_X, y=TOP - 3 * LEADING)
    c.showPage()
    c.save()
    return ["LACOMBAZ", "VERNHES", left_nir, right_phone, right_email]


def build_header_footer(path: Path) -> list[str]:
    """Three pages repeating a header naming the physician and a footer naming the patient."""
    c = _canvas(path)
    for page in range(1, 4):
        _draw_lines(c, [f"{HOSPITAL} – Dr Anatole PRUNIER"], y=810, font="Helvetica-Bold", size=9)
        _draw_lines(c, [f"Page {page} : observation médicale", "", *_clinical()], y=TOP - 2 * LEADING)
        _draw_lines(c, [f"Patient : M. Lucien FAUCHEUX – page {page}/3"], y=30, size=9)
        c.showPage()
    c.save()
    return ["PRUNIER", "FAUCHEUX"]


def build_form_field(path: Path) -> list[str]:
    """An AcroForm with a text field `nir` holding a NIR and a field `patient` holding a name."""
    number = nir("2 84 03 33 063 118")
    c = _canvas(path)
    y = _draw_lines(c, [f"{HOSPITAL} – Demande d'examen", *_clinical("la patiente")])
    c.drawString(X0, y - 20, "NIR :")
    c.acroForm.textfield(name="nir", value=number, x=X0 + 90, y=y - 26, width=220, height=18, fontSize=10)
    c.drawString(X0, y - 50, "Patiente :")
    c.acroForm.textfield(name="patient", value="Mme Apolline GASTELLIER", x=X0 + 90, y=y - 56,
                         width=220, height=18, fontSize=10)
    c.showPage()
    c.save()
    return ["GASTELLIER", number]


def build_annotations(path: Path) -> list[str]:
    """A sticky note (/Contents and /T author), a bookmark title and a mailto: Link /URI."""
    email = "lucien.rouquayrol@example.fr"
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _draw_lines(c, [f"{HOSPITAL} – Note de suivi", *_clinical(), "Contact : écrire au secrétariat."])
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(buf))
    note = Text(rect=(400, 700, 420, 720), text="Revoir Mme Ghislaine PERRONCEL dans 3 mois",
                title_bar="Dr Armand CASTELNEAU")
    writer.add_annotation(0, note)
    contact_y = TOP - 4 * LEADING  # baseline of the "Contact" line
    writer.add_annotation(0, Link(rect=(X0, contact_y - 3, 260, contact_y + 13), url=f"mailto:{email}"))
    writer.add_outline_item(title="Dossier de M. Lucien ROUQUAYROL", page_number=0)
    writer.write(path)
    return ["PERRONCEL", "CASTELNEAU", "ROUQUAYROL", email]


def build_incremental_update(path: Path) -> list[str]:
    """The line `NAME_LINE` "removed" by a hand-written append-only update (classic xref section with /Prev).

    Revision 2 gives the page a new content object without the name; the old content object
    (Flate-compressed, now unreferenced) and revision 1 stay byte for byte at the start of the file.
    """
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _draw_lines(c, [f"{HOSPITAL} – Compte rendu opératoire", *_clinical(), "", NAME_LINE])
    c.showPage()
    c.save()
    original = buf.getvalue().rstrip(b"\n") + b"\n"
    reader = PdfReader(io.BytesIO(original))
    page = reader.pages[0]
    kept = [line for line in page.get_contents().get_data().split(b"\n") if b"VASSEUR" not in line]
    data = zlib.compress(b"\n".join(kept))
    size = int(reader.trailer["/Size"])
    page_num = page.indirect_reference.idnum
    new_page = DictionaryObject(page)
    new_page[NameObject("/Contents")] = IndirectObject(size, 0, reader)
    trailer = DictionaryObject({NameObject(k): reader.trailer.raw_get(k) for k in ("/Root", "/Info", "/ID")})
    trailer[NameObject("/Size")] = NumberObject(size + 1)
    trailer[NameObject("/Prev")] = NumberObject(int(re.findall(rb"startxref\s+(\d+)", original)[-1]))
    out, offsets = bytearray(original), {}
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    for num, body in ((page_num, _serialize(new_page)), (size, content)):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in sorted(offsets))
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (_serialize(trailer), xref)
    path.write_bytes(bytes(out))
    return ["VASSEUR"]


def build_image_only(path: Path) -> list[str]:
    """A scanned page: one greyscale image (fake lines of ink), no text and no font at all."""
    img = Image.new("L", (620, 877), 245)
    draw = ImageDraw.Draw(img)
    for i, y in enumerate(range(80, 800, 22)):
        draw.rectangle((60, y, 60 + 380 + (i * 37) % 140, y + 8), fill=40)
    pdf = FPDF(format="A4", unit="pt")  # fpdf2 adds no font resource when no text is drawn
    pdf.set_creation_date(datetime(2024, 3, 12, tzinfo=UTC))
    pdf.add_page()
    pdf.image(img.filter(ImageFilter.GaussianBlur(1)), x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.output(str(path))
    return []


def build_encrypted(path: Path) -> list[str]:
    """A letter encrypted with the user password `PASSWORD` (AES-256)."""
    number = nir("1 55 09 69 381 204")
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1)
    _draw_lines(c, [f"{HOSPITAL} – Courrier confidentiel", "Patiente : Mme Rosalie MONTAGNAC",
                    f"NIR : {number}", *_clinical("la patiente"), "Dr Gaspard TOURNADRE"])
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(buf))
    writer.encrypt(PASSWORD, algorithm="AES-256")
    writer.write(path)
    return ["MONTAGNAC", "TOURNADRE", number]


SURNAMES = (
    "AUBRESPIN", "BELLAGUET", "CORNILLAC", "DAMBRUN", "ESCANDE", "FOURNERET", "GALLISSOT", "HERMELIN",
    "JOUBERTIE", "LACHAUME", "MARSOLLIER", "NAUZERAT", "PASTUREL", "QUINSAC", "RIBOULET", "SERRUCHE",
    "TAUZIEDE", "VIALLANEIX", "BROUSSAUD", "COMBESCURE",
)  # fmt: skip
WOMEN = ("Adèle", "Céleste", "Eulalie", "Gisèle", "Irène", "Léontine", "Marthe", "Noémie", "Rosine",
         "Sidonie")
MEN = ("Basile", "Damien", "Fernand", "Hippolyte", "Jules", "Lazare", "Maurice", "Octave", "Prosper",
       "Urbain")
FINDINGS = (
    "IRM cérébrale sans anomalie notable.",
    "DaTscan : hypofixation striatale prédominant à gauche.",
    "Bilan orthophonique : dysarthrie hypokinétique modérée.",
    "Kinésithérapie prescrite, deux séances par semaine.",
    "Ajout de rasagiline 1 mg le matin ; surveillance tensionnelle.",
)


def build_twenty_pages(path: Path) -> list[str]:
    """Twenty pages of varied clinical text, each with its own patient, physician, dates, NIR and phone."""
    c = _canvas(path)
    planted: list[str] = []
    for i in range(20):
        woman = i % 2 == 0
        patient, doctor = SURNAMES[i], SURNAMES[(i + 7) % 20]
        first = WOMEN[i // 2] if woman else MEN[i // 2]
        born_day, born_month, born_year = 1 + 7 * i % 28, 1 + 5 * i % 12, 40 + i
        phone = f"06 {11 + i:02d} {40 + i:02d} {73 - i:02d} {20 + 3 * i:02d}"
        sex, commune = 2 if woman else 1, f"{100 + 7 * i:03d}"
        number = nir(f"{sex} {born_year} {born_month:02d} {31 + i} {commune} {200 + i:03d}")
        lines = [
            f"{HOSPITAL} – Consultation du {1 + i:02d}/{1 + i % 9:02d}/2024 – page {i + 1}/20",
            f"{'Patiente : Mme' if woman else 'Patient : M.'} {first} {patient}, "
            f"né{'e' if woman else ''} le {born_day:02d}/{born_month:02d}/19{born_year}",
            f"NIR : {number} – Tél. : {phone}",
            f"Médecin : Dr {(MEN + WOMEN)[(3 * i + 1) % 20]} {doctor}",
            "",
            *_clinical("la patiente" if woman else "le patient"),
            FINDINGS[i % 5],
            f"Score UPDRS III : {18 + i} ; Hoehn et Yahr stade {1 + i % 4}.",
            f"Prochain rendez-vous dans {3 + i % 4} mois ; appeler le secrétariat au besoin.",
        ]
        _draw_lines(c, lines)
        c.showPage()
        planted += [patient, number, phone]
    c.save()
    return planted


BUILDERS = (
    build_helvetica, build_truetype_subset, build_type0_identity_h, build_split_name, build_two_columns,
    build_header_footer, build_form_field, build_annotations, build_incremental_update, build_image_only,
    build_encrypted, build_twenty_pages,
)  # fmt: skip


# -- helpers -------------------------------------------------------------------------------------


def pdftotext(path: Path, password: str | None = None) -> str:
    """The text poppler extracts, in physical layout."""
    pw = ["-upw", password] if password else []
    return subprocess.run(["pdftotext", "-layout", *pw, str(path), "-"], capture_output=True, text=True,
                           check=True).stdout


def qdf_bytes(path: Path, password: str | None = None) -> bytes:
    """The file rewritten by qpdf in QDF form: streams decompressed, no object streams.

    Unreferenced objects still in the cross-reference table are kept, so orphans leak too; object
    versions superseded by an incremental update are not (scan `path.read_bytes()` for those).
    """
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "qdf.pdf"
        pw = [f"--password={password}", "--decrypt"] if password else []
        qdf = ["--qdf", "--object-streams=disable", "--preserve-unreferenced"]
        result = subprocess.run(["qpdf", *pw, *qdf, str(path), str(out)], capture_output=True, text=True)
        if result.returncode not in (0, 3):  # 3: succeeded with warnings
            raise RuntimeError(f"qpdf failed on {path}: {result.stderr}")
        return out.read_bytes()


def _pieces(page: PageObject) -> list[tuple[float, float, float, str, float]]:
    """(y, x, estimated end x, text, em size) of each text chunk pypdf reports on `page`."""
    pieces: list[tuple[float, float, float, str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        text = text.replace("\n", "")
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            em = size * (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            pieces.append((round(y, 1), x, x + 0.5 * em * len(text), text, em))

    page.extract_text(visitor_text=visit)
    return sorted(pieces, key=lambda p: (-p[0], p[1]))


def line_positions(path: Path) -> list[tuple[int, float, float, str]]:
    """(page index, x, y, text) of each text line of the page contents, from pypdf's text visitor.

    Chunks on one baseline are merged when they touch (a name in pieces; widths are estimated at
    half an em a character) and kept apart when far (columns). Coordinates are in default user
    space (origin bottom left), rounded to 0.1. Form-field values and annotations are not included.
    """
    rows: list[tuple[int, float, float, str]] = []
    for index, page in enumerate(PdfReader(path).pages):
        merged: list[list] = []
        for y, x, end, text, em in _pieces(page):
            last = merged[-1] if merged else None
            if last and last[0] == y and x - last[2] < em:  # starts within an em of the previous end
                last[2], last[3] = max(end, last[2]), last[3] + text
            else:
                merged.append([y, x, end, text])
        rows += [(index, round(x, 1), y, re.sub(r"\s+", " ", text).strip()) for y, x, _, text in merged]
    return rows
