"""QR codes beside the items of a paper edition: a reader reaches the page with a phone's camera.

A PNG image, not vector paths: every PDF reader and printer draws an image the same way, and
a test can take the image back out of the PDF (pypdf) and decode it. The data URI fits the
pages' policy (`img-src data:`) and WeasyPrint alike. Four pixels a module, printed at about
2 cm, is well above the resolution a phone camera needs; the quiet zone of four modules is
the standard's.
"""

from __future__ import annotations

import functools

import segno

SCALE = 4
QUIET_ZONE = 4


@functools.lru_cache(maxsize=1024)
def qr_data_uri(url: str) -> str:
    """The URL as a black-on-white QR code, medium error correction (a crease or a smudge still reads)."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=SCALE, border=QUIET_ZONE)
