"""The leak matrix's own verifier, independent of deident's detector and verifier.

`extract(path)` pulls every string a file holds: txt as is; docx every member name, XML text node
(alone, joined per paragraph and joined per part) and attribute value, other members as Latin-1;
pdf the `pdftotext` output plus every literal and hex string of the `qpdf --qdf` rewrite (Latin-1
or UTF-16) and the raw bytes of both. `leaks(cell, strings, template)` then says which of the cell's
planted values are still there, by the spec's `check` rule (see spec.toml).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

from .matrix_cells import Cell, load_spec

W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ])")
COMBINING = re.compile(r"[\u0300-\u036f]")
MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5,
    "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}
NUMBER_WORDS = {
    "zero": 0, "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100, "cents": 100, "mil": 1000, "mille": 1000,
}


# -- normalization -------------------------------------------------------------------------------


def fold(text: str) -> str:
    """camelCase joins split, then case and accents folded ("DupontJean" -> "dupont jean")."""
    text = CAMEL.sub(" ", text)
    # NFKD then ASCII: accents (combining marks) go; other non-ASCII characters become separators
    bare = COMBINING.sub("", unicodedata.normalize("NFKD", text))
    ascii_text = bare.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("?", " ").casefold()


def words(text: str) -> list[str]:
    """Folded tokens, split on every non-alphanumeric character and camelCase join."""
    return [w for w in re.split(r"[^0-9a-z]+", fold(text)) if w]


def compact(text: str) -> str:
    """Folded, every non-alphanumeric character removed."""
    return re.sub(r"[^0-9a-z]+", "", fold(text))


def _numbers(tokens: list[str]) -> list[int | None]:
    """Each token as an integer where it writes one (digits, O-for-0 noise, "1er", month names,
    runs of number words), else None; a run of number words becomes one integer."""
    out: list[int | None] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            total = current = 0
            for value in run:
                if value == 100:
                    current = max(current, 1) * 100
                elif value == 1000:
                    total, current = total + max(current, 1) * 1000, 0
                elif value == 20 and current % 100 == 4:  # quatre-vingt
                    current += 76
                else:
                    current += value
            out.append(total + current)
            run.clear()

    for token in tokens:
        if token in NUMBER_WORDS:
            run.append(NUMBER_WORDS[token])
            continue
        if token == "et" and run:
            continue
        flush()
        if re.fullmatch(r"[0-9o]*[0-9][0-9o]*", token):
            out.append(int(token.replace("o", "0")))
        elif re.fullmatch(r"[0-9]+(er|e)", token):
            out.append(int(token.rstrip("er")))
        elif token in MONTHS:
            out.append(MONTHS[token])
        else:
            out.append(None)
    flush()
    return out


# -- extraction ----------------------------------------------------------------------------------


def extract(path: Path, tools: bool = True) -> list[str]:
    """Every string the file holds, as far as this checker can see. `tools=False` skips pdftotext
    and qpdf (enough for an uncompressed PDF such as the matrix's sources: its raw strings)."""
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return [path.read_text(encoding="utf-8", errors="replace")]
    if suffix == ".docx":
        return _extract_docx(path)
    if suffix == ".pdf":
        return _extract_pdf(path, tools)
    raise ValueError(f"no extractor for {suffix}")


def _extract_docx(path: Path) -> list[str]:
    strings: list[str] = []
    parser = etree.XMLParser(recover=True, resolve_entities=False, huge_tree=True)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            strings.append(name)
            data = archive.read(name)
            is_xml = name.endswith((".xml", ".rels")) and data.strip()
            root = etree.fromstring(data, parser) if is_xml else None
            if root is None:
                strings.append(data.decode("latin-1"))
                continue
            nodes: list[str] = []
            for element in root.iter():
                strings.extend(str(value) for value in element.attrib.values())
                nodes.extend(t for t in (element.text, element.tail) if t and t.strip())
                if element.tag == W_P:
                    strings.append("".join(element.itertext()))  # a name split across runs
            strings.extend(nodes)
            strings.append(" ".join(nodes))
    return strings


def _pdf_strings(data: bytes) -> list[str]:
    """Every literal `( )` and hex `< >` string in PDF bytes, decoded (UTF-16 with BOM, else Latin-1)."""
    found: list[bytes] = []
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte == 0x28:  # "(": a literal string, nested parentheses and escapes
            depth, j, out = 1, i + 1, bytearray()
            while j < n and depth:
                ch = data[j]
                if ch == 0x5C and j + 1 < n:  # backslash
                    nxt = data[j + 1]
                    octal = re.match(rb"[0-7]{1,3}", data[j + 1:j + 4])
                    if octal:
                        out.append(int(octal.group(), 8) & 0xFF)
                        j += 1 + len(octal.group())
                        continue
                    out += {0x6E: b"\n", 0x72: b"\r", 0x74: b"\t", 0x62: b"\b", 0x66: b"\f"}.get(
                        nxt, b"" if nxt in (0x0A, 0x0D) else bytes([nxt]))
                    j += 2
                    continue
                depth += (ch == 0x28) - (ch == 0x29)
                if depth:
                    out.append(ch)
                j += 1
            found.append(bytes(out))
            i = j
        elif byte == 0x3C and i + 1 < n and data[i + 1] == 0x3C:  # "<<" opens a dictionary
            i += 2
        elif byte == 0x3C:  # "<" opens a hex string
            end = data.find(b">", i)
            hexes = re.sub(rb"\s", b"", data[i + 1:end if end > 0 else n])
            if re.fullmatch(rb"[0-9A-Fa-f]*", hexes):
                found.append(bytes.fromhex((hexes + b"0" * (len(hexes) % 2)).decode()))
            i = end + 1 if end > 0 else n
        else:
            i += 1
    strings = []
    for raw in found:
        if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
            strings.append(raw.decode("utf-16", errors="replace"))
        else:
            strings.append(raw.decode("latin-1"))
            if len(raw) % 2 == 0 and raw[:1] == b"\x00":  # UTF-16BE without BOM (CID text)
                strings.append(raw.decode("utf-16-be", errors="replace"))
    return strings


def _extract_pdf(path: Path, tools: bool) -> list[str]:
    raw = path.read_bytes()
    if not tools:
        return [*_pdf_strings(raw), raw.decode("latin-1")]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        qdf_path = Path(tmp) / "qdf.pdf"
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--preserve-unreferenced",
                        str(path), str(qdf_path)], capture_output=True)
        qdf = qdf_path.read_bytes() if qdf_path.exists() else b""
    # The written file's streams are compressed: read as Latin-1 they are noise where two
    # letters of initials turn up by chance ("R)v"). qpdf's uncompressed copy holds the same
    # text; the raw bytes are read whole only when qpdf cannot open the file.
    return [text, *_pdf_strings(qdf), *_pdf_strings(raw), qdf.decode("latin-1"),
            *([] if qdf else [raw.decode("latin-1")])]


# -- the checks ----------------------------------------------------------------------------------


@cache
def generic_words() -> frozenset[str]:
    return frozenset(load_spec()["generic"]["words"])


def betraying_words(cell: Cell, template: set[str]) -> list[set[str]]:
    """Per planted value, its tokens that betray (2+ letters, not generic, not in the template)."""
    def betrays(word: str) -> bool:
        if word.isdigit():
            return len(word) >= 5 and word not in template  # a postal code, not a house number
        return len(word) >= 2 and word not in generic_words() and word not in template

    return [{w for w in words(value) if betrays(w)} for value in cell.variant.values]


def leaks(cell: Cell, strings: list[str], template: set[str]) -> list[str]:
    """Which planted values of `cell` the strings still hold: ["values[1]:name", ...] (no value is
    printed); empty when none. `template` holds the folded words of the cell's template."""
    v = cell.variant
    joined = "\n".join(strings)
    found: list[str] = []
    if v.check == "name":
        tokens = set(words(joined))
        for index, betraying in enumerate(betraying_words(cell, template)):
            if betraying & tokens:
                found.append(f"values[{index}]:name")
    elif v.check == "compact":
        stream = compact(joined)
        for index, value in enumerate(v.values):
            if compact(value) in stream:
                found.append(f"values[{index}]:compact")
    elif v.check == "initials":
        letters = list(compact(v.value))  # "R.V." -> ["r", "v"]
        tokens = words(joined)
        together = "".join(letters)
        if together in tokens or any(tokens[i:i + len(letters)] == letters for i in range(len(tokens))):
            found.append("values:initials")
    elif v.check == "date":
        if date_written(v.date, joined):
            found.append("values:date")
    else:
        raise ValueError(f"unknown check {v.check!r}")
    return found


def date_written(iso: str, text: str) -> bool:
    """Whether `text` writes the date `iso` (YYYY-MM-DD, or YYYY-MM for a month) in any form."""
    parts = [int(p) for p in iso.split("-")]
    year, month = parts[0], parts[1]
    numbers = _numbers(words(text))
    years = {year, year % 100} if len(parts) == 3 else {year}
    if len(parts) == 3:
        day = parts[2]
        for i in range(len(numbers) - 2):
            if numbers[i] == day and numbers[i + 1] == month and numbers[i + 2] in years:
                return True
        # one digit per space, or any separators inside: the digits joined
        stream = re.sub(r"(?<=[0-9])o|o(?=[0-9])", "0", compact(text))
        return any(f"{day:02d}{month:02d}{year}" in run for run in re.findall(r"[0-9]+", stream))
    for i in range(len(numbers) - 1):
        pair = (numbers[i], numbers[i + 1])
        if pair in ((month, year), (year, month)):
            return True
    return False


def keep_lost(strings: list[str]) -> list[int]:
    """Indices of the spec's keep items (maladie de Parkinson, Lévodopa 100 mg) missing from `strings`."""
    text = " ".join(words("\n".join(strings)))
    return [i for i, item in enumerate(load_spec()["filler"]["keep"]) if " ".join(words(item)) not in text]
