"""A project's configuration: what to replace and how.

Read from `deident.toml` (top level) or the `[tool.deident]` table of `pyproject.toml`,
whichever is nearest going up from the working directory; CLI flags and API arguments
override it. Every key, with its default:

    date_scope = "document"        # one date offset per "document", "folder" or "project"
    max_date_shift_days = 365      # dates move by a keyed offset in [-N, +N] days, never 0
    embedded = "refuse"            # macros, OLE objects, altChunk, PDF attachments: or "drop"
    images = "refuse"              # DOCX images whose metadata cannot be checked (EMF, WMF,
                                   # TIFF): or "drop"
    known = "patients.csv"         # known identities (CSV or JSONL), relative to this file;
                                   # none by default
    threshold = 0.4                # minimum detection score
    ocr = "auto"                   # scans and text in images: "auto" (pages without a text
                                   # layer, images with text), "off" (scans refused, images
                                   # left as they are), "force" (every PDF page read by OCR)

    [ocr]                          # or as a table (then `mode` is the value above)
    mode = "auto"
    dpi = 300                      # PDF pages are rendered at this resolution
    draw = "surrogate"             # over a replaced word: its surrogate, or "box" (plain)
    languages = "fra"              # Tesseract models, e.g. "fra+eng"
    min_confidence = 50            # images read with a lower mean confidence are refused

    [entities]                     # entity types on (true, the default) or off
    URL = false
    HOSPITAL = false               # hospital, clinic and care-home names stay
    [operators]                    # per type: "pseudonym" (default), "redact" ([NOM]…), "keep"
    DATE = "redact"
    [allow]                        # never replaced: terms (whole words, any case/accents)
    terms = ["Hôpital Bretonneau"] # and regexes (a detected value that fully matches one)
    regexes = ['Unité \\d+']
    [deny]                         # always replaced, as `type` (a pseudonym of the same shape
    terms = ["Projet TITAN"]       # for HOSPITAL_ID): terms and regexes
    regexes = ['DOS-\\d{6}']
    type = "HOSPITAL_ID"
    [columns]                      # spreadsheet/CSV headers -> what their cells hold: an
    "Patient" = "PERSON"           # entity type, FIRST_NAME / LAST_NAME, "text" (analyzed
    "Commentaire" = "text"         # like prose) or "keep" (left as is); overrides the
    "Code" = "keep"                # built-in header table (deident.columns)
    [limits]
    max_file_mb = 200              # larger input files are refused
    max_pages = 5000               # PDFs with more pages are refused
    max_parts = 5000               # DOCX packages with more parts are refused
    max_unpacked_mb = 500          # DOCX packages inflating beyond this are refused
    max_seconds = 600              # a file taking longer is refused

(In pyproject.toml the same keys go under `[tool.deident]`, `[tool.deident.entities]`...)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import regex

from deident.entities import ENTITY_TYPES
from deident.errors import DeidentError

OPERATORS = ("pseudonym", "redact", "keep")
DATE_SCOPES = ("document", "folder", "project")
POLICIES = ("refuse", "drop")
# What "redact" writes instead of a value.
REDACT_LABELS = {
    "PERSON": "[NOM]", "FR_NIR": "[NIR]", "PHONE": "[TÉLÉPHONE]", "EMAIL": "[COURRIEL]",
    "URL": "[URL]", "DATE": "[DATE]", "ADDRESS": "[ADRESSE]", "ZIP_CITY": "[CODE POSTAL VILLE]",
    "CITY": "[VILLE]", "HOSPITAL_ID": "[IDENTIFIANT]", "RPPS": "[RPPS]", "FINESS": "[FINESS]",
    "IBAN": "[IBAN]", "HOSPITAL": "[ÉTABLISSEMENT]", "VEHICLE_PLATE": "[IMMATRICULATION]",
    "PAYMENT_CARD": "[CARTE]",
}
DEFAULT = "default"
# What a [columns] entry may say besides an entity type.
COLUMN_KINDS = ("text", "keep", "FIRST_NAME", "LAST_NAME")


class ConfigError(DeidentError):
    """A configuration that cannot be used; the message names the key and the file."""


@dataclass(frozen=True)
class Config:
    date_scope: str = "document"
    max_date_shift_days: int = 365
    embedded: str = "refuse"
    images: str = "refuse"
    known: Path | None = None
    # A file holding the user password of encrypted PDFs (the password never goes on a
    # command line, into a log or a report).
    password_file: Path | None = None
    threshold: float = 0.4
    entities: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(ENTITY_TYPES, True))
    operators: dict[str, str] = field(default_factory=lambda: dict.fromkeys(ENTITY_TYPES, "pseudonym"))
    allow_terms: tuple[str, ...] = ()
    allow_regexes: tuple[str, ...] = ()
    deny_terms: tuple[str, ...] = ()
    deny_regexes: tuple[str, ...] = ()
    deny_type: str = "HOSPITAL_ID"
    columns: dict[str, str] = field(default_factory=dict)  # header -> type, "text" or "keep"
    max_file_mb: int = 200
    max_pages: int = 5000
    max_parts: int = 5000
    max_unpacked_mb: int = 500
    max_seconds: int = 600
    ocr: str = "auto"
    ocr_dpi: int = 300
    ocr_draw: str = "surrogate"
    ocr_languages: str = "fra"
    ocr_min_confidence: float = 50.0
    # Where each value came from ("default", a file, "CLI --flag", "API argument").
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def source(self, key: str) -> str:
        return self.sources.get(key, DEFAULT)

    def with_overrides(self, origin: str, **values: Any) -> Config:
        """This configuration with the given (non-None) values, checked, from `origin`."""
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return self
        flat = _flatten_overrides(self, values)
        checked = _check(flat, origin)
        sources = dict(self.sources) | dict.fromkeys(_source_keys(flat), origin)
        return replace(self, **checked, sources=sources)

    def ocr_options(self):
        """The OCR settings as the format adapters take them."""
        from deident.formats.ocr_options import OcrOptions

        return OcrOptions(mode=self.ocr, dpi=self.ocr_dpi, draw=self.ocr_draw,
                          languages=self.ocr_languages, min_confidence=self.ocr_min_confidence)

    def replaced_types(self) -> set[str]:
        """Entity types that are looked for and rewritten (on, and not kept)."""
        return {t for t in ENTITY_TYPES if self.entities[t] and self.operators[t] != "keep"}


def load_config(start: Path | None = None, path: Path | None = None) -> Config:
    """The nearest configuration file's values over the defaults (or `path`'s, if given)."""
    found = Path(path) if path is not None else find_config_file(start or Path.cwd())
    if found is None:
        return Config()
    table = _read_table(found)
    origin = str(found)
    flat = _flatten_table(table, origin, found.name == "pyproject.toml")
    if "known" in flat and flat["known"] is not None:
        flat["known"] = (found.parent / str(flat["known"])).resolve()
    checked = _check(flat, origin)
    return replace(Config(), **checked, sources=dict.fromkeys(_source_keys(flat), origin))


def find_config_file(start: Path) -> Path | None:
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / "deident.toml").is_file():
            return candidate / "deident.toml"
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "deident" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None


def _read_table(path: Path) -> dict:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("deident", {})
    return data


_SCALARS = {"date_scope", "max_date_shift_days", "embedded", "images", "known", "threshold",
            "password_file"}
_TABLES = {"entities", "operators", "allow", "deny", "limits", "columns", "ocr"}
OCR_MODES = ("auto", "off", "force")
OCR_DRAWS = ("surrogate", "box")


def _flatten_table(table: dict, origin: str, in_pyproject: bool) -> dict[str, Any]:
    prefix = "tool.deident." if in_pyproject else ""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if key in _SCALARS or (key == "ocr" and not isinstance(value, dict)):
            flat[key] = value
        elif key in _TABLES:
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: '{name}' must be a table")
            for sub, sub_value in value.items():
                flat[_table_key(key, sub, f"{name}.{sub}", origin)] = sub_value
        else:
            raise ConfigError(f"{origin}: unknown key '{name}'")
    return flat


def _table_key(table: str, sub: str, name: str, origin: str) -> str:
    if table in ("entities", "operators"):
        if sub not in ENTITY_TYPES:
            raise ConfigError(f"{origin}: unknown entity type in '{name}' "
                              f"(one of {', '.join(ENTITY_TYPES)})")
        return f"{table}.{sub}"
    if table == "columns":
        return f"columns.{sub}"
    allowed = {"allow": ("terms", "regexes"), "deny": ("terms", "regexes", "type"),
               "limits": ("max_file_mb", "max_pages", "max_parts", "max_unpacked_mb",
                          "max_seconds"),
               "ocr": ("mode", "dpi", "draw", "languages", "min_confidence")}[table]
    if sub not in allowed:
        raise ConfigError(f"{origin}: unknown key '{name}' (one of {', '.join(allowed)})")
    if table == "ocr":
        return "ocr" if sub == "mode" else f"ocr_{sub}"
    return sub if table == "limits" else f"{table}_{sub}"


def _flatten_overrides(config: Config, values: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("entities", "operators"):
            for entity_type, sub_value in value.items():
                flat[_table_key(key, entity_type, f"{key}.{entity_type}", "argument")] = sub_value
        elif key in {f.name for f in fields(Config)} - {"sources", "entities", "operators"}:
            flat[key] = value
        else:
            raise ConfigError(f"unknown configuration key '{key}'")
    # Tables merge with what is already set: one override does not reset the others.
    flat.setdefault("__entities", dict(config.entities))
    flat.setdefault("__operators", dict(config.operators))
    return flat


def _source_keys(flat: dict[str, Any]) -> list[str]:
    return [k for k in flat if not k.startswith("__")]


def _check(flat: dict[str, Any], origin: str) -> dict[str, Any]:
    """Typed values for Config's fields; every error names the key and where it came from."""
    entities = dict(flat.pop("__entities", dict.fromkeys(ENTITY_TYPES, True)))
    operators = dict(flat.pop("__operators", dict.fromkeys(ENTITY_TYPES, "pseudonym")))
    checked: dict[str, Any] = {}
    columns: dict[str, str] | None = None

    def fail(key: str, expected: str) -> ConfigError:
        return ConfigError(f"{origin}: key '{key}' must be {expected}")

    for key, value in flat.items():
        if key == "columns" or key.startswith("columns."):
            table = value if key == "columns" else {key.split(".", 1)[1]: value}
            if not isinstance(table, dict):
                raise fail(key, "a table of header = type")
            for header, kind in table.items():
                if not isinstance(header, str) or kind not in (*ENTITY_TYPES, *COLUMN_KINDS):
                    raise fail(f"columns.{header}", "an entity type or one of "
                               f"{', '.join(COLUMN_KINDS)}")
            columns = (columns or {}) | dict(table)
            continue
        if key.startswith("entities."):
            if not isinstance(value, bool):
                raise fail(key, "true or false")
            entities[key.split(".", 1)[1]] = value
        elif key.startswith("operators."):
            if value not in OPERATORS:
                raise fail(key, f"one of {', '.join(OPERATORS)}")
            operators[key.split(".", 1)[1]] = value
        elif key == "date_scope" and value not in DATE_SCOPES:
            raise fail(key, f"one of {', '.join(DATE_SCOPES)}")
        elif key in ("embedded", "images") and value not in POLICIES:
            raise fail(key, f"one of {', '.join(POLICIES)}")
        elif key in ("max_date_shift_days", "max_file_mb", "max_pages", "max_parts",
                     "max_unpacked_mb", "max_seconds") and (
                not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise fail(key, "a positive integer")
        elif key == "threshold" and (not isinstance(value, (int, float)) or not 0 <= value <= 1):
            raise fail(key, "a number between 0 and 1")
        elif key in ("allow_terms", "allow_regexes", "deny_terms", "deny_regexes"):
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise fail(key.replace("_", ".", 1), "a list of strings")
            if key.endswith("regexes"):
                for pattern in value:
                    try:
                        regex.compile(pattern)
                    except regex.error:
                        raise fail(key.replace("_", ".", 1), "valid regular expressions") from None
            value = tuple(value)
        elif key == "deny_type" and value not in ENTITY_TYPES:
            raise fail("deny.type", f"one of {', '.join(ENTITY_TYPES)}")
        elif key in ("known", "password_file"):
            value = Path(os.fspath(value))
        elif key == "ocr" and value not in OCR_MODES:
            raise fail("ocr.mode", f"one of {', '.join(OCR_MODES)}")
        elif key == "ocr_draw" and value not in OCR_DRAWS:
            raise fail("ocr.draw", f"one of {', '.join(OCR_DRAWS)}")
        elif key == "ocr_dpi" and (not isinstance(value, int) or isinstance(value, bool)
                                   or not 72 <= value <= 1200):
            raise fail("ocr.dpi", "an integer between 72 and 1200")
        elif key == "ocr_languages" and (not isinstance(value, str) or not regex.fullmatch(
                r"[A-Za-z_]+(\+[A-Za-z_]+)*", value)):
            raise fail("ocr.languages", 'Tesseract model names joined by "+", e.g. "fra+eng"')
        elif key == "ocr_min_confidence" and (
                not isinstance(value, (int, float)) or isinstance(value, bool)
                or not 0 <= value <= 100):
            raise fail("ocr.min_confidence", "a number between 0 and 100")
        if not key.startswith(("entities.", "operators.")):
            checked[key] = value
    checked["entities"], checked["operators"] = entities, operators
    if columns is not None:
        checked["columns"] = columns
    return checked
