"""The worker's documents on disk: a content-addressed file store in the
data dir, and the check that a file is what it claims to be.

A file is kept at <data dir>/files/<sha256[:2]>/<sha256>, written to a
temporary file beside it and linked into place, so a reader never sees half
a file and the same bytes are kept once, however often they are uploaded.
The type is read from the content (never from the name or the browser's
Content-Type): a PDF starts with `%PDF-` and has `%%EOF` near its end; a PNG
has its signature and a well-formed IHDR chunk; a JPEG starts with SOI and a
real segment marker. The file name's extension must agree with the content.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import unicodedata
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath

from app.config import get_settings

MAX_BYTES = 10 * 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
MEDIA_TYPES = (PDF, JPEG, PNG)
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
SUFFIX = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
MAX_NAME = 200
# Where `%%EOF` may be found: at the end, after some trailing whitespace or
# an incremental update's few bytes.
PDF_TAIL = 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Markers that may follow a JPEG's SOI: APPn, DQT, DHT, SOFn, COM.
JPEG_FIRST = {*range(0xE0, 0xF0), 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xFE}


def media_type(data: bytes) -> str | None:
    """The type the bytes really are (PDF, JPEG, PNG), or None."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-PDF_TAIL:]:
        return PDF
    if data.startswith(PNG_SIGNATURE) and _png_header(data):
        return PNG
    if len(data) > 4 and data[:3] == b"\xff\xd8\xff" and data[3] in JPEG_FIRST:
        length = struct.unpack(">H", data[4:6])[0] if len(data) >= 6 else 0
        if length >= 2 and len(data) >= 4 + length:
            return JPEG
    return None


def _png_header(data: bytes) -> bool:
    """IHDR first, 13 bytes long, a non-zero size and a matching CRC."""
    if len(data) < 33:
        return False
    length, kind = struct.unpack(">I4s", data[8:16])
    if length != 13 or kind != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    return width > 0 and height > 0 and zlib.crc32(data[12:29]) == crc


def problem(data: bytes, filename: str) -> tuple[str | None, str | None]:
    """(the media type, None) or (None, a reason code of the passport area)."""
    if not data:
        return None, "document_empty"
    if len(data) > MAX_BYTES:
        return None, "document_too_large"
    found = media_type(data)
    if found is None:
        return None, "document_type"
    claimed = EXTENSIONS.get(PurePosixPath(safe_name(filename).lower()).suffix)
    if claimed != found:
        return None, "document_extension"
    return found, None


def safe_name(filename: str) -> str:
    """The file's own name (no folders), one line, at most MAX_NAME characters."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 5 else name[:MAX_NAME]
    return name or "document"


def root() -> Path:
    return get_settings().data_dir / "files"


def path_of(digest: str) -> Path:
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
        raise ValueError("not a sha256 digest")
    return root() / digest[:2] / digest


def put(data: bytes) -> str:
    """Keeps the bytes (once) and returns their SHA-256 digest."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{digest}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # the first complete copy wins; a second upload finds it
            os.link(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


def kept(digest: str, size: int) -> bool:
    """The file of this digest is in the store with this size."""
    try:
        return path_of(digest).stat().st_size == size
    except (OSError, ValueError):
        return False


def read(digest: str) -> bytes | None:
    try:
        return path_of(digest).read_bytes()
    except (OSError, ValueError):
        return None


def discard(digest: str) -> None:
    """Removes the file (when no document names it any more)."""
    with contextlib.suppress(ValueError):
        path_of(digest).unlink(missing_ok=True)
