"""What the worker reads of a stored image (DOC-05): when it was taken (EXIF ``DateTimeOriginal``) and a JPEG
thumbnail of at most 320 px, turned upright by its EXIF orientation, stored beside it under the thumbnails kind.

A picture Pillow cannot read is left without either (its version is still processed); one of more pixels than
Pillow's decompression-bomb limit likewise.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import Image, ImageOps, UnidentifiedImageError

from services.documents.files.store import FileStore
from services.documents.library.models import DocumentVersion
from shared.clock import CHINA
from shared.context import require_tenant
from shared.storage import tenant_key

THUMBNAIL_PX = 320
THUMBNAIL_KIND = "thumbnails"
IMAGES = ("image/jpeg", "image/png", "image/gif", "image/webp")
LOCAL = CHINA  # a camera's clock without an offset is the district's
_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 36867
_OFFSET_TIME_ORIGINAL = 36881
_DATE_TIME = 306


@dataclass(frozen=True, slots=True)
class Described:
    taken_at: datetime | None
    thumbnail: bytes | None


def _offset(text: object) -> timezone | ZoneInfo:
    """EXIF ``OffsetTimeOriginal`` ("+08:00") as a zone; the district's when absent or malformed."""
    if isinstance(text, str) and len(text) == 6 and text[0] in "+-" and text[3] == ":":
        try:
            sign = -1 if text[0] == "-" else 1
            return timezone(sign * timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))
        except ValueError:
            pass
    return LOCAL


def taken_at(image: Image.Image) -> datetime | None:
    exif = image.getexif()
    detail = exif.get_ifd(_EXIF_IFD)
    raw = detail.get(_DATE_TIME_ORIGINAL) or exif.get(_DATE_TIME)
    if not isinstance(raw, str):
        return None
    try:
        local = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return local.replace(tzinfo=_offset(detail.get(_OFFSET_TIME_ORIGINAL))).astimezone(UTC)


def read_image(data: bytes) -> Described:
    """EXIF time and thumbnail of ``data`` (blocking: run it in a thread)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            when = taken_at(image)
            image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))  # JPEG decodes straight at a smaller scale
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            out = io.BytesIO()
            upright.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
            return Described(when, out.getvalue())
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        return Described(None, None)


def is_image(version: DocumentVersion) -> bool:
    return (version.content_type or "").split(";")[0] in IMAGES


async def describe(files: FileStore, version: DocumentVersion, data: bytes) -> None:
    """Fill ``taken_at`` and ``thumbnail_key`` of a stored image version from its bytes."""
    described = await asyncio.to_thread(read_image, data)
    version.taken_at = described.taken_at
    if described.thumbnail is not None:
        key = tenant_key(require_tenant(), THUMBNAIL_KIND, version.document_id, version.number)
        await files.put_bytes(key, described.thumbnail, "image/jpeg")
        version.thumbnail_key = key
