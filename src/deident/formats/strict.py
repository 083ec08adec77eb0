"""Strict Office Open XML (ISO/IEC 29500 Strict): the same documents as Transitional ones
under other namespace and relationship URIs. A Strict package is read as Transitional
(its URIs swapped in every XML part and relationship) so the adapters see the elements
they know, and written back Strict, so the delivered file is the kind it came as.

Only the URIs are swapped; values keep their Strict spelling, which the adapters never
interpret (they read and write text).
"""

from __future__ import annotations

from deident.formats.package import CONTENT_TYPES, Package, serialize_xml

_PURL = "http://purl.oclc.org/ooxml/"
_OPENXML = "http://schemas.openxmlformats.org/"
# Strict URI -> Transitional URI; longer first, as some are prefixes of others.
_URIS = sorted({
    _PURL + "officeDocument/relationships/extendedProperties":
        _OPENXML + "officeDocument/2006/relationships/extended-properties",
    _PURL + "officeDocument/relationships/customProperties":
        _OPENXML + "officeDocument/2006/relationships/custom-properties",
    _PURL + "officeDocument/extendedProperties":
        _OPENXML + "officeDocument/2006/extended-properties",
    _PURL + "officeDocument/customProperties": _OPENXML + "officeDocument/2006/custom-properties",
    _PURL + "officeDocument/docPropsVTypes": _OPENXML + "officeDocument/2006/docPropsVTypes",
    _PURL + "officeDocument/relationships": _OPENXML + "officeDocument/2006/relationships",
    _PURL + "officeDocument/math": _OPENXML + "officeDocument/2006/math",
    _PURL + "officeDocument/sharedTypes": _OPENXML + "officeDocument/2006/sharedTypes",
    _PURL + "officeDocument/customXml": _OPENXML + "officeDocument/2006/customXml",
    _PURL + "officeDocument/bibliography": _OPENXML + "officeDocument/2006/bibliography",
    _PURL + "wordprocessingml/main": _OPENXML + "wordprocessingml/2006/main",
    _PURL + "spreadsheetml/main": _OPENXML + "spreadsheetml/2006/main",
    _PURL + "presentationml/main": _OPENXML + "presentationml/2006/main",
    _PURL + "drawingml/main": _OPENXML + "drawingml/2006/main",
    _PURL + "drawingml/wordprocessingDrawing": _OPENXML + "drawingml/2006/wordprocessingDrawing",
    _PURL + "drawingml/spreadsheetDrawing": _OPENXML + "drawingml/2006/spreadsheetDrawing",
    _PURL + "drawingml/picture": _OPENXML + "drawingml/2006/picture",
    _PURL + "drawingml/chart": _OPENXML + "drawingml/2006/chart",
    _PURL + "drawingml/chartDrawing": _OPENXML + "drawingml/2006/chartDrawing",
    _PURL + "drawingml/diagram": _OPENXML + "drawingml/2006/diagram",
    _PURL + "drawingml/lockedCanvas": _OPENXML + "drawingml/2006/lockedCanvas",
    _PURL + "drawingml/compatibility": _OPENXML + "drawingml/2006/compatibility",
}.items(), key=lambda pair: -len(pair[0]))


def _swap(data: bytes, pairs: list[tuple[str, str]]) -> bytes:
    for old, new in pairs:
        data = data.replace(old.encode(), new.encode())
    return data


def _xml_parts(package: Package) -> list[str]:
    return [n for n in package.names()
            if n == CONTENT_TYPES or n.endswith((".xml", ".rels", ".vml"))
            or package.raw(n).lstrip()[:5] == b"<?xml"]


def to_transitional(package: Package) -> bool:
    """Swap Strict URIs for Transitional ones in every XML part; True if the package was
    Strict (then `to_strict` must run before it is saved)."""
    strict = False
    for name in _xml_parts(package):
        raw = package.raw(name)
        if _PURL.encode() in raw:
            strict = True
            package.set_raw(name, _swap(raw, _URIS))
    return strict


def to_strict(package: Package) -> None:
    """The inverse of `to_transitional`, on the parts as edited."""
    back = sorted(((new, old) for old, new in _URIS), key=lambda pair: -len(pair[0]))
    for name in _xml_parts(package):
        data = serialize_xml(package.xml(name)) if name in package.parsed() else package.raw(name)
        package.set_raw(name, _swap(data, back))
