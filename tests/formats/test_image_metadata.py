"""Image metadata goes, pixels stay: built by hand, byte by byte."""

from __future__ import annotations

import struct
import zlib

import pytest

from deident.errors import RefusedError
from deident.formats.image_metadata import strip_metadata

NAME = b"Josiane VERDELET"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(*extra: bytes) -> bytes:
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = _png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(extra) + pixels + _png_chunk(b"IEND", b"")


def _jpeg_segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def test_png_text_chunks_removed_pixels_kept() -> None:
    clean = _png()
    dirty = _png(_png_chunk(b"tEXt", b"Author\x00" + NAME), _png_chunk(b"iTXt", b"Title\x00" + NAME))
    assert NAME not in strip_metadata(dirty, "a.png")
    assert strip_metadata(dirty, "a.png") == clean


def test_jpeg_exif_xmp_and_comment_removed() -> None:
    jfif = _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    scan = _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\x34\xff\xd9"
    dirty = (b"\xff\xd8" + jfif + _jpeg_segment(0xE1, b"Exif\x00\x00" + NAME)
             + _jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + NAME)
             + _jpeg_segment(0xFE, NAME) + scan)
    assert strip_metadata(dirty, "a.jpg") == b"\xff\xd8" + jfif + scan


def test_gif_comment_removed() -> None:
    header = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    comment = b"\x21\xfe" + bytes([len(NAME)]) + NAME + b"\x00"
    assert strip_metadata(header + comment + image + b"\x3b", "a.gif") == header + image + b"\x3b"


def test_unknown_or_damaged_image_refused() -> None:
    with pytest.raises(RefusedError):
        strip_metadata(b"\x00\x01 not an image", "a.bin")
    with pytest.raises(RefusedError):
        strip_metadata(_png()[:30], "a.png")
