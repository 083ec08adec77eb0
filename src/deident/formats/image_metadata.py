"""Metadata out of images, pixels untouched: EXIF, XMP, IPTC and comments can name the
photographer, the patient or the machine. Lossless: segments and chunks are dropped,
nothing is re-encoded.
"""

from __future__ import annotations

import struct

from deident.errors import RefusedError

# JPEG markers kept: JFIF (APP0), ICC profile (APP2), Adobe colour transform (APP14).
_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_GIF_KEEP_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # animation loop count only


def strip_metadata(data: bytes, name: str) -> bytes:
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data, name)
    if data.startswith(_PNG_SIGNATURE):
        return _strip_png(data, name)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _strip_gif(data, name)
    if data.startswith(b"BM"):
        return data  # BMP has no metadata fields
    raise RefusedError(f"image whose format is not recognised ({name})")


def _strip_jpeg(data: bytes, name: str) -> bytes:
    out, position = [data[:2]], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise RefusedError(f"damaged JPEG image ({name})")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: compressed data follows, no more metadata
            out.append(data[position:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # markers without a length
            out.append(data[position:position + 2])
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise RefusedError(f"damaged JPEG image ({name})")
        is_metadata = marker == 0xFE or (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP)
        if not is_metadata:
            out.append(data[position:end])
        position = end
    raise RefusedError(f"damaged JPEG image ({name})")


def _strip_png(data: bytes, name: str) -> bytes:
    out, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        end = position + 12 + length
        if end > len(data):
            break
        if kind not in _PNG_DROP:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    raise RefusedError(f"damaged PNG image ({name})")


def _strip_gif(data: bytes, name: str) -> bytes:
    def sub_blocks_end(position: int) -> int:
        while position < len(data) and data[position] != 0:
            position += 1 + data[position]
        if position >= len(data):
            raise RefusedError(f"damaged GIF image ({name})")
        return position + 1

    flags = data[10] if len(data) > 10 else 0
    position = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    out = [data[:position]]
    while position < len(data):
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            out.append(data[position:position + 1])
            return b"".join(out)
        if introducer == 0x21:  # extension: comment (FE) and application (FF) ones dropped
            label = data[position + 1]
            end = sub_blocks_end(position + 2)
            application = data[position + 3:position + 14] if label == 0xFF else b""
            if label not in (0xFE, 0xFF) or application in _GIF_KEEP_APPLICATIONS:
                out.append(data[position:end])
            position = end
        elif introducer == 0x2C:  # image: descriptor, local colour table, LZW data
            local = data[position + 9]
            start = position
            position += 10 + (3 * 2 ** ((local & 7) + 1) if local & 0x80 else 0)
            end = sub_blocks_end(position + 1)
            out.append(data[start:end])
            position = end
        else:
            break
    raise RefusedError(f"damaged GIF image ({name})")
