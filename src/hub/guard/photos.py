"""Photo metadata: no GPS position or person's name leaves the repository inside an image.

Photos taken with a phone and uploaded through the web editor carry EXIF: where the photo was
taken (often someone's home), the camera owner's name, the body's serial number. MkDocs copies
images byte for byte, so `hub check` refuses an image under content/ or docs/ that carries any
of them, and `hub photos --strip` removes the metadata without touching the picture:

- JPEG: the APP1 (EXIF, XMP) and APP13 (IPTC) segments are dropped, the compressed image is
  kept as it is (no re-encoding, no loss);
- PNG: the eXIf, tEXt, iTXt and zTXt chunks are dropped;
- WebP: the EXIF and XMP chunks are dropped and the VP8X flags say so.

The orientation is kept (a JPEG gets a new EXIF holding only it): without it a portrait
photo from a phone would show lying on its side. Nothing else is kept.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from hub.core.problems import Problem

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_KEY = "photo"
_GPS_IFD, _EXIF_IFD, _ORIENTATION = 0x8825, 0x8769, 0x0112
_PERSONAL_TAGS = {0x013B: "Artist", 0x8298: "Copyright", 0x9C9D: "XPAuthor", 0xA430: "CameraOwnerName",
                  0xA431: "BodySerialNumber", 0xA435: "LensSerialNumber"}
_PERSONAL_XMP = re.compile(r"GPS|creator|Author|Owner|rights|SerialNumber|Artist|Location|City", re.I)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT_CHUNKS = frozenset({b"eXIf", b"tEXt", b"iTXt", b"zTXt"})
_WEBP_METADATA = frozenset({b"EXIF", b"XMP "})


def personal_metadata(path: Path) -> list[str]:
    """What in the image's metadata tells where it was taken or who took it: ["GPS", "Artist", …]."""
    try:
        with Image.open(path, formats=_FORMATS) as image:
            exif = image.getexif()
            found = ["GPS"] if exif.get_ifd(_GPS_IFD) else []
            tags = {**exif, **exif.get_ifd(_EXIF_IFD)}
            found += [name for tag, name in _PERSONAL_TAGS.items() if str(tags.get(tag) or "").strip(" \0")]
            xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or ""
            text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
            found += ["XMP"] if _PERSONAL_XMP.search(text) else []
            found += ["IPTC"] if any(marker == "APP13" for marker, _ in getattr(image, "applist", [])) else []
            return found
    except (UnidentifiedImageError, OSError, SyntaxError):
        return []  # not an image Pillow reads: MkDocs copies it, and the text scan sees its name


def strip_metadata(data: bytes) -> bytes:
    """The same image without EXIF, XMP or IPTC (see the module's docstring); other files unchanged."""
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return _PNG_SIGNATURE + b"".join(chunk for kind, chunk in _png_chunks(data) if kind not in _PNG_TEXT_CHUNKS)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _strip_webp(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    kept, position, orientation = [b"\xff\xd8"], 2, _jpeg_orientation(data)
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed image follows, copied as it is
            break
        end = position + 2 + struct.unpack(">H", data[position + 2: position + 4])[0]
        if marker not in (0xE1, 0xED):
            kept.append(data[position:end])
        position = end
    if orientation not in (None, 1):
        exif = Image.Exif()
        exif[_ORIENTATION] = orientation
        payload = exif.tobytes()
        kept.insert(1 + (data[2:4] == b"\xff\xe0"), b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload)
    return b"".join(kept) + data[position:]


def _jpeg_orientation(data: bytes) -> int | None:
    try:
        with Image.open(BytesIO(data), formats=_FORMATS) as image:
            return image.getexif().get(_ORIENTATION)
    except (UnidentifiedImageError, OSError, SyntaxError):
        return None


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position: position + 8])
        end = position + 12 + length
        yield kind, data[position:end]
        position = end


def _strip_webp(data: bytes) -> bytes:
    chunks, position = [], 12
    while position + 8 <= len(data):
        kind, size = data[position: position + 4], struct.unpack("<I", data[position + 4: position + 8])[0]
        end = position + 8 + size + (size & 1)
        chunk = data[position:end]
        if kind == b"VP8X":  # flags: 0x08 EXIF, 0x04 XMP present
            chunk = chunk[:8] + bytes([chunk[8] & ~0x0C]) + chunk[9:]
        if kind not in _WEBP_METADATA:
            chunks.append(chunk)
        position = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def images(paths: Iterable[Path]) -> Iterator[Path]:
    """Image files among `paths`, folders searched; names starting with . are left out."""
    for path in paths:
        if path.is_dir():
            yield from _images_in(path)
        elif path.suffix.lower() in IMAGE_SUFFIXES:
            yield path


def _images_in(folder: Path) -> list[Path]:
    """In path order. Every build (and preview rebuild) searches the whole site folder, thousands of
    files: names are looked at as the listing gives them, and only images become paths and are sorted."""
    found = []
    for parent, folders, files in os.walk(folder):  # like rglob, into no linked folder
        folders[:] = [name for name in folders if not name.startswith(".")]
        found += [Path(parent, name) for name in files
                  if not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_SUFFIXES]
    return sorted(path for path in found if path.is_file())


def strip_files(paths: Iterable[Path]) -> list[Path]:
    """Strip every image; the files that changed. Each is written beside and renamed over the old
    one: a copy in site/ may be a hard link to its source, which must stay as the editor wrote it."""
    changed = []
    for path in images(paths):
        data = path.read_bytes()
        stripped = strip_metadata(data)
        if stripped != data:
            temporary = path.with_name(f".{path.name}.stripped")
            temporary.write_bytes(stripped)
            temporary.replace(path)
            changed.append(path)
    return changed


def photo_problems(path: Path, shown: str) -> list[Problem]:
    """An image that would publish where it was taken or who took it. Only an image that has a
    metadata block at all is opened with Pillow: most have none, and `hub check` stays quick."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return []
    data = path.read_bytes()
    found = personal_metadata(path) if strip_metadata(data) != data else []
    if not found:
        return []
    return [Problem(shown, 1, PHOTO_KEY,
                    f"写真に撮影場所や撮影者の情報（{', '.join(found)}）が含まれています（personal photo metadata）",
                    f"hub photos --strip {shown} で取り除いてから公開してください（画質は変わりません）")]
