"""What an object is (sniffed from its first bytes, never the client's claim) and how it is named for download."""

from __future__ import annotations

import re
import struct
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

OCTET_STREAM = "application/octet-stream"


def _zip_kind(head: bytes) -> str:
    """Tell OOXML documents from other zips by the entry names in the local file headers seen so far."""
    names: list[bytes] = []
    at = head.find(b"PK\x03\x04")
    while at != -1 and at + 30 <= len(head):
        (name_len,) = struct.unpack_from("<H", head, at + 26)
        names.append(head[at + 30 : at + 30 + name_len])
        at = head.find(b"PK\x03\x04", at + 30 + name_len)
    for prefix, mime in (
        (b"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (b"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (b"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ):
        if any(name.startswith(prefix) for name in names):
            return mime
    return "application/zip"


def _is_text(head: bytes, complete: bool) -> bool:
    sample = head.removeprefix(b"\xef\xbb\xbf")
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end inside a multi-byte character; only a cut at the very end is forgiven.
        if complete or exc.start < len(sample) - 3:
            return False
        text = sample[: exc.start].decode("utf-8")
    return all(ch in "\t\n\r\f" or unicodedata.category(ch) not in ("Cc", "Cs") for ch in text)


_TEXT_SUBTYPES = frozenset({"text/plain", "text/csv", "text/markdown", "text/tab-separated-values"})


def sniff_content_type(head: bytes, *, complete: bool = False, hint: str | None = None) -> str:
    """Content type from magic bytes: PDF, PNG, JPEG, GIF, WEBP, zip (docx/xlsx/pptx), UTF-8 text, else octet-stream.

    ``complete`` says ``head`` is the whole object. ``hint`` (the client's claim) can only refine plain
    text into CSV, Markdown or TSV; it never turns bytes into a type they do not have.
    """
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(head)
    if head and _is_text(head, complete):
        claimed = (hint or "").split(";")[0].strip().lower()
        subtype = claimed if claimed in _TEXT_SUBTYPES else "text/plain"
        return f"{subtype}; charset=utf-8"
    return OCTET_STREAM


# ------------------------------------------------------------------------------------------ filenames

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*;]')


def sanitize_filename(name: str | None, *, max_bytes: int = 200, default: str = "download") -> str:
    """A display name safe in a Content-Disposition header and on any desktop file system.

    Only for display: storage keys never contain it. Drops directories, control and format characters
    (including bidi overrides that make ``gpj.exe`` look like ``exe.jpg``), replaces characters that
    are reserved on Windows or in headers, and shortens to ``max_bytes`` of UTF-8, keeping the extension.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = _UNSAFE_CHARS.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text:
        return default
    path = PurePosixPath(text)
    stem, suffix = (path.stem, path.suffix) if len(path.suffix) <= 16 else (text, "")
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = "_" + stem
    while len((stem + suffix).encode()) > max_bytes and stem:
        stem = stem[:-1]
    result = (stem.rstrip(" .") or default) + suffix
    return result if len(result.encode()) <= max_bytes else default


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    safe = sanitize_filename(filename)
    path = PurePosixPath(safe)
    ascii_stem = re.sub(r"[^A-Za-z0-9._ ()-]", "_", path.stem)
    if not re.search(r"[A-Za-z0-9]", ascii_stem):
        ascii_stem = "download"  # nothing readable survives (an all-Chinese name): a neutral fallback
    ascii_suffix = path.suffix if path.suffix.isascii() else ""
    return f"attachment; filename=\"{ascii_stem}{ascii_suffix}\"; filename*=UTF-8''{quote(safe, safe='')}"
