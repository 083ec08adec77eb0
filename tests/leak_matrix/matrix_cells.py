"""The leak matrix's cells, generated from spec.toml: type x written variant x place x format.

A variant goes to every place of every format whose rule its tags satisfy (spec.toml, [places]);
no cell is listed by hand. Each cell knows how its planted value is rendered in its place; the
file builders (matrix_files.py) and the checker (matrix_check.py) take it from there.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SPEC_PATH = Path(__file__).with_name("spec.toml")
FORMATS = ("txt", "docx", "pdf")


@dataclass(frozen=True)
class Variant:
    type: str
    id: str
    value: str  # as written in the document
    values: tuple[str, ...]  # what betrays the identity (planted.jsonl "values")
    check: str  # name | compact | date | initials
    tags: frozenset[str]
    label: str
    column: str
    sentence: str
    item: str
    file: str  # file-name form; "{v}" when the value already is a file name
    date: str  # ISO "YYYY-MM-DD" or "YYYY-MM" for check == "date"

    @property
    def file_name(self) -> str:
        return self.file.format(v=self.value, u=self.value.replace(" ", "_"))


@dataclass(frozen=True)
class Cell:
    variant: Variant
    place: str
    format: str
    text: str  # which rendering of the variant the place holds (spec.toml, [places])

    @property
    def id(self) -> str:
        return f"{self.format}/{self.variant.type}/{self.variant.id}/{self.place}"

    @property
    def relpath(self) -> str:
        return f"{self.format}/{self.variant.type}/{self.variant.id}__{self.place}.{self.format}"

    def rendered(self, value: str | None = None) -> list[str]:
        """The strings the place holds, with `value` instead of the planted value if given."""
        v = self.variant
        value = v.value if value is None else value
        if self.text == "sentence":
            return [v.sentence.format(v=value)]
        if self.text == "form":
            return [f"{v.label} : {value}"]
        if self.text == "item":
            return [v.item.format(v=value)]
        if self.text == "table":
            return [v.column, "Motif", value, "suivi neurologique"]  # header row, then the row
        if self.text == "value":
            return [value]
        if self.text == "file":
            return [v.file.format(v=value, u=value.replace(" ", "_"))]
        if self.text == "target":
            if v.type == "EMAIL":
                return [value if value.startswith("mailto:") else f"mailto:{value}"]
            return [v.file.format(v=value, u=value.replace(" ", "_"))]
        raise ValueError(f"unknown rendering {self.text!r} in spec.toml")

    def planted(self) -> dict:
        """This cell's line of planted.jsonl."""
        v = self.variant
        return {"file": self.relpath, "type": v.type, "variant": v.id, "place": self.place,
                "format": self.format, "values": list(v.values)}


@cache
def load_spec(path: Path = SPEC_PATH) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def variants(spec: dict) -> list[Variant]:
    result = []
    for type_name, declared in spec["types"].items():
        for raw in declared["variants"]:
            merged = {k: val for k, val in declared.items() if k != "variants"} | raw

            def field(name: str, merged: dict = merged) -> str:
                return str(merged.get(name, ""))

            result.append(Variant(
                type=type_name, id=raw["id"], value=raw["value"],
                values=tuple(raw.get("values", [raw["value"]])),
                check=merged["check"], tags=frozenset(merged.get("tags", [])),
                label=field("label"), column=field("column"), sentence=field("sentence"),
                item=field("item"), file=merged.get("file", "{u}"), date=field("date"),
            ))
    return result


def accepts(rule: dict, variant: Variant) -> bool:
    wanted = rule.get("any")
    return not wanted or bool(variant.tags & set(wanted))


def cells(spec: dict | None = None) -> list[Cell]:
    """Every cell of the matrix, in spec order (format, place, type, variant)."""
    spec = spec or load_spec()
    every = variants(spec)
    return [Cell(variant, place, fmt, rule["text"])
            for fmt in FORMATS for place, rule in spec["places"][fmt].items()
            for variant in every if accepts(rule, variant)]


def filler(spec: dict | None = None) -> tuple[list[str], list[str]]:
    spec = spec or load_spec()
    return list(spec["filler"]["before"]), list(spec["filler"]["after"])
