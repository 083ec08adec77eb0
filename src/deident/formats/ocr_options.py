"""The OCR settings, apart from the OCR itself: reading a configuration imports neither
Pillow nor numpy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrOptions:
    """How scans and pictures are read: `mode` auto (pages without a text layer, images
    with text), off (scans refused, images left as they are), force (every PDF page
    rendered and read)."""

    mode: str = "auto"
    dpi: int = 300
    draw: str = "surrogate"  # or "box": plain opaque boxes
    languages: str = "fra"
    min_confidence: float = 50.0  # an image read with a lower mean confidence is refused
