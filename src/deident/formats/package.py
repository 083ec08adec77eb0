"""Open Packaging Conventions (the zip behind .docx): read safely, edit parts, write back.

Reading is defensive because the file comes from outside: a zip that is not one, an
encrypted file (an OLE2 container), members that inflate beyond reason, and XML with a
DTD (entity expansion) are refused before anything is parsed.
"""

from __future__ import annotations

import functools
import posixpath
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from deident.errors import RefusedError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and legacy .doc
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100  # inflated / deflated, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CONTENT_TYPES = "[Content_Types].xml"

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # no creation time in the output's zip entries

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_blank_text=False)


# A package has a few hundred tag and attribute names, asked for again at every element.
@functools.lru_cache(maxsize=4096)
def local_name(name: str) -> str:
    """`{namespace}docPr` -> `docPr`."""
    return etree.QName(name).localname


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse a part; any DTD is refused (OOXML never needs one; entities can explode)."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<\x00!\x00D\x00O\x00C\x00" in head or b"<!ENTITY" in data:
        raise RefusedError(f"XML part with a DTD or entity declarations ({name})")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise RefusedError(f"malformed XML part ({name})") from None
    if root.getroottree().docinfo.doctype:
        raise RefusedError(f"XML part with a DTD or entity declarations ({name})")
    return root


def serialize_xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class Package:
    """The parts of an OPC zip by name, in their original order; XML parsed on demand."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self._raw = parts
        self._xml: dict[str, etree._Element] = {}

    @classmethod
    def open(cls, path: Path, kind: str, max_parts: int = 5000,
             max_unpacked_bytes: int = MAX_TOTAL_BYTES) -> Package:
        with path.open("rb") as handle:
            if handle.read(len(OLE2_MAGIC)) == OLE2_MAGIC:
                raise RefusedError(f"encrypted or password-protected {kind} (or a legacy "
                                   "binary Office file): it cannot be read")
        try:
            with zipfile.ZipFile(path) as archive:
                if len(archive.infolist()) > max_parts:
                    raise RefusedError(f"{kind} with more than {max_parts} parts (limits.max_parts)")
                return cls(_read_members(archive, kind, max_unpacked_bytes))
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, zlib.error, ValueError,
                NotImplementedError, struct.error, OSError):
            raise RefusedError(f"not a valid {kind} (damaged or truncated zip)") from None

    # -- parts ----------------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._raw)

    def __contains__(self, name: str) -> bool:
        return name in self._raw

    def raw(self, name: str) -> bytes:
        return self._raw[name]

    def set_raw(self, name: str, data: bytes) -> None:
        self._raw[name] = data
        self._xml.pop(name, None)

    def parsed(self) -> list[str]:
        return list(self._xml)

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            self._xml[name] = parse_xml(self._raw[name], name)
        return self._xml[name]

    def content_type(self, name: str) -> str:
        types = self.xml(CONTENT_TYPES)
        for override in types.iter(f"{{{CT_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") == name:
                return override.get("ContentType", "")
        extension = posixpath.splitext(name)[1].lstrip(".").lower()
        for default in types.iter(f"{{{CT_NS}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType", "")
        return ""

    def set_content_type(self, name: str, content_type: str) -> None:
        for override in self.xml(CONTENT_TYPES).iter(f"{{{CT_NS}}}Override"):
            if override.get("PartName", "").lstrip("/") == name:
                override.set("ContentType", content_type)

    # -- relationships --------------------------------------------------------------------
    @staticmethod
    def rels_name(source: str) -> str:
        """`word/document.xml` -> `word/_rels/document.xml.rels`; "" is the package."""
        folder, base = posixpath.split(source)
        return posixpath.join(folder, "_rels", f"{base}.rels")

    def relationships(self, source: str) -> list[etree._Element]:
        name = self.rels_name(source)
        if name not in self._raw:
            return []
        return list(self.xml(name).iter(f"{{{PR_NS}}}Relationship"))

    def target(self, source: str, relationship: etree._Element) -> str | None:
        """The part a relationship points to, or None for an external target."""
        if relationship.get("TargetMode") == "External":
            return None
        target = relationship.get("Target", "")
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    def reachable(self) -> list[str]:
        """Parts reachable from the package relationships: what a reader can show."""
        seen: list[str] = []
        pending = [""]
        while pending:
            source = pending.pop()
            for relationship in self.relationships(source):
                target = self.target(source, relationship)
                if target and target in self._raw and target not in seen:
                    seen.append(target)
                    pending.append(target)
        return seen

    def rename(self, name: str, new: str, content_type: str) -> None:
        """Move a part to `new` (of `content_type`): relationships to it follow."""
        for source in ["", *self._raw]:
            if source.endswith(".rels") or source == CONTENT_TYPES:
                continue
            for relationship in self.relationships(source):
                if self.target(source, relationship) == name:
                    relationship.set("Target", "/" + new if relationship.get(
                        "Target", "").startswith("/") else posixpath.relpath(
                        new, posixpath.dirname(source) or "."))
        self._raw[new] = self._raw.pop(name)
        self._xml.pop(name, None)
        types = self.xml(CONTENT_TYPES)
        for override in list(types.iter(f"{{{CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") == name:
                types.remove(override)
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + new,
                         ContentType=content_type)

    # -- removal --------------------------------------------------------------------------
    def drop(self, name: str, containers: tuple[str, ...] = ()) -> None:
        """Remove a part, its relationships, the relationships to it and the elements that
        use them (each element's closest ancestor among `containers`, else itself)."""
        for source in ["", *self._raw]:
            if source.endswith(".rels") or source == CONTENT_TYPES:
                continue
            for relationship in self.relationships(source):
                if self.target(source, relationship) == name:
                    self.drop_relationship(source, relationship, containers)
        self._raw.pop(name, None)
        self._xml.pop(name, None)
        for rels in (self.rels_name(name),):
            self._raw.pop(rels, None)
            self._xml.pop(rels, None)
        for override in list(self.xml(CONTENT_TYPES).iter(f"{{{CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") == name:
                override.getparent().remove(override)

    def drop_relationship(self, source: str, relationship: etree._Element,
                          containers: tuple[str, ...] = ()) -> None:
        rel_id = relationship.get("Id")
        relationship.getparent().remove(relationship)
        if not source or source not in self._raw or not _is_xml(source):
            return
        for element in list(self.xml(source).iter()):
            if any(k.startswith(f"{{{R_NS}}}") and v == rel_id for k, v in element.attrib.items()):
                remove_element(_closest(element, containers))

    # -- writing --------------------------------------------------------------------------
    def save(self, dst: Path) -> None:
        with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in self._raw.items():
                if name in self._xml:
                    data = serialize_xml(self._xml[name])
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)


def _read_members(archive: zipfile.ZipFile, kind: str, max_total: int) -> dict[str, bytes]:
    parts: dict[str, bytes] = {}
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise RefusedError(f"encrypted zip member in {kind}")
        if info.filename in parts:
            raise RefusedError(f"{kind} with duplicate parts")
        if info.file_size > MAX_PART_BYTES or (
                info.file_size > RATIO_FLOOR
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise RefusedError(f"{kind} with a part that inflates beyond safe limits "
                               "(zip bomb?)")
        total += info.file_size
        if total > max_total:
            raise RefusedError(f"{kind} larger than {max_total // 2**20} MB uncompressed "
                               "(limits.max_unpacked_mb)")
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)  # the header may lie: read no further
        if len(data) != info.file_size:
            raise RefusedError(f"not a valid {kind} (a part's size does not match its header)")
        parts[info.filename] = data
    if CONTENT_TYPES not in parts:
        raise RefusedError(f"not a valid {kind} (no [Content_Types].xml)")
    return parts


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels", ".vml"))


def _closest(element: etree._Element, containers: tuple[str, ...]) -> etree._Element:
    node = element
    while node is not None:
        if node.tag in containers:
            return node
        node = node.getparent()
    return element


def remove_element(element: etree._Element) -> None:
    """Remove an element but keep its tail text in the tree."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
