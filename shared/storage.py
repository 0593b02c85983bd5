"""Document objects in any S3-compatible store (MinIO, SeaweedFS, ...) through the ``minio`` client.

- Keys are built here from validated parts, never taken from clients:
  ``tenants/<tenant-id>/<kind>/<document-id>/<version>``. Operations refuse a key of another tenant
  than the one bound to the unit of work.
- Uploads stream: the body is read chunk by chunk, hashed (SHA-256) and counted on the way, and
  sent as a multipart upload; going over ``max_bytes`` aborts the upload and removes what was written.
- The stored content type is sniffed from the first bytes; the client's claim is used only to pick
  between subtypes of what was sniffed (plain text declared as CSV).
- Stored versions are immutable: ``put_stream`` refuses a key that exists.
- Downloads are short-lived presigned URLs, always ``attachment`` (never rendered inline from the
  storage origin) with a sanitised display name.

The minio client is blocking; every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import struct
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any, BinaryIO, cast
from urllib.parse import quote
from uuid import UUID

import urllib3
from minio import Minio
from minio.error import S3Error

from shared.context import current_tenant
from shared.settings import S3Settings, Settings

MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest non-final multipart part
DEFAULT_PART_BYTES = 8 * 1024 * 1024
SNIFF_BYTES = 64 * 1024  # enough to see the first entries of an OOXML (docx/xlsx) zip
OCTET_STREAM = "application/octet-stream"

_KIND = re.compile(r"[a-z][a-z0-9-]{0,39}")
_KEY = re.compile(
    r"tenants/(?P<tenant>[0-9a-f-]{36})/(?P<kind>[a-z][a-z0-9-]{0,39})/(?P<document>[0-9a-f-]{36})/(?P<version>[1-9]\d{0,8})"
)
_NO_SUCH = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchVersion"})


class StorageError(Exception):
    """Base class for object-store failures raised by this module."""


class InvalidObjectKeyError(StorageError, ValueError):
    """A key part is malformed, or the key belongs to another tenant than the bound one."""


class ObjectTooLargeError(StorageError):
    """An upload went over its size limit; nothing was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload exceeds the limit of {max_bytes} bytes")
        self.max_bytes = max_bytes


class ObjectExistsError(StorageError):
    """A stored version is immutable: its key is never written twice."""


class StorageUnavailableError(StorageError):
    """The store or its bucket did not answer in time."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    sha256: str  # hex
    content_type: str  # sniffed, not claimed


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    content_type: str
    etag: str | None
    last_modified: datetime | None


# ---------------------------------------------------------------------------------------------- keys


def _uuid(value: UUID | str, what: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(value)
    except (ValueError, TypeError, AttributeError):
        msg = f"{what} must be a UUID"
        raise InvalidObjectKeyError(msg) from None


def tenant_key(tenant_id: UUID | str, kind: str, document_id: UUID | str, version: int) -> str:
    """``tenants/<tenant-id>/<kind>/<document-id>/<version>``; kind is a slug, ids are UUIDs, version >= 1."""
    tenant, document = _uuid(tenant_id, "tenant id"), _uuid(document_id, "document id")
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        msg = "kind must be a lower-case slug (letters, digits, '-'; at most 40)"
        raise InvalidObjectKeyError(msg)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version < 10**9:
        msg = "version must be a positive integer"
        raise InvalidObjectKeyError(msg)
    return f"tenants/{tenant}/{kind}/{document}/{version}"


def key_tenant(key: str) -> UUID:
    """The tenant a well-formed key belongs to."""
    match = _KEY.fullmatch(key)
    if match is None:
        msg = "not an object key built by tenant_key()"
        raise InvalidObjectKeyError(msg)
    return UUID(match["tenant"])


def _checked(key: str) -> str:
    bound = current_tenant.get()
    owner = key_tenant(key)
    if bound is not None and owner != bound:
        # Callers turn this into a 404: another tenant's object does not exist for this one.
        msg = "object key of another tenant"
        raise InvalidObjectKeyError(msg)
    return key


# ------------------------------------------------------------------------------------------- sniffing


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


# -------------------------------------------------------------------------------------------- store


class _PullReader:
    """A blocking ``read()`` for minio's upload thread that pulls chunks from the async body on the event loop.

    Hashing and the size limit live here, so they see exactly the bytes minio sends.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        chunks: AsyncIterator[bytes],
        head: bytes,
        max_bytes: int,
        read_timeout_s: float,
    ) -> None:
        self._loop = loop
        self._chunks = chunks
        self._buffer = bytearray()
        self._eof = False
        self._max = max_bytes
        self._timeout = read_timeout_s
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.too_large = False
        self.cancelled = False
        self._take(head)

    def _take(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self._max:
            self.too_large = True
            raise ObjectTooLargeError(self._max)
        self.sha256.update(data)
        self._buffer += data

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._buffer) < size):
            if self.cancelled:
                msg = "upload cancelled"
                raise OSError(msg)  # makes minio abort the multipart upload
            future: Future[bytes | None] = asyncio.run_coroutine_threadsafe(_next_chunk(self._chunks), self._loop)
            chunk = future.result(timeout=self._timeout)
            if chunk is None:
                self._eof = True
            else:
                self._take(chunk)
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out


async def _next_chunk(chunks: AsyncIterator[bytes]) -> bytes | None:
    """The next non-empty chunk, or None at the end of the body."""
    while (chunk := await anext(chunks, None)) is not None:
        if chunk:
            return bytes(chunk)
    return None


def _s3(settings: Settings | S3Settings) -> S3Settings:
    return settings.s3 if isinstance(settings, Settings) else settings


class ObjectStore:
    """One bucket of an S3-compatible store. Safe to share across tasks and threads."""

    def __init__(
        self,
        settings: Settings | S3Settings,
        *,
        part_bytes: int = DEFAULT_PART_BYTES,
        ready_timeout_s: float | None = None,
        read_timeout_s: float = 120.0,
    ) -> None:
        s3 = _s3(settings)
        if part_bytes < MIN_PART_BYTES:
            msg = f"part_bytes must be at least {MIN_PART_BYTES}"
            raise ValueError(msg)
        self.bucket = s3.bucket
        self.part_bytes = part_bytes
        self.read_timeout_s = read_timeout_s
        self.ready_timeout_s = (
            ready_timeout_s
            if ready_timeout_s is not None
            else (settings.readiness_timeout_s if isinstance(settings, Settings) else 2.0)
        )
        # Region given, so presigning never needs a network round trip (GetBucketLocation).
        self.client = self._client(s3)
        # Readiness probes get their own client: short time-outs and no retries, so a hung store
        # fails the probe quickly instead of piling up blocked threads.
        self._probe_client = self._client(
            s3,
            urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=self.ready_timeout_s, read=self.ready_timeout_s),
                retries=urllib3.Retry(total=0),
                maxsize=2,
            ),
        )

    @staticmethod
    def _client(s3: S3Settings, http_client: urllib3.PoolManager | None = None) -> Minio:
        return Minio(
            s3.endpoint,
            access_key=s3.access_key,
            secret_key=s3.secret_key.get_secret_value(),
            secure=s3.secure,
            region=s3.region,
            http_client=http_client,
        )

    tenant_key = staticmethod(tenant_key)

    async def put_stream(
        self,
        key: str,
        stream: AsyncIterable[bytes],
        *,
        max_bytes: int,
        content_type_hint: str | None = None,
    ) -> StoredObject:
        """Stream ``stream`` into ``key``; raises ObjectTooLargeError (and keeps nothing) past ``max_bytes``.

        Refuses an existing key (ObjectExistsError): a version, once stored, matches the SHA-256 its
        document row recorded, and a failed upload may then remove its key without destroying anything.
        """
        if await self.stat(key) is not None:
            msg = "object version already stored"
            raise ObjectExistsError(msg)
        chunks = aiter(stream)
        head = bytearray()
        complete = False
        while len(head) < SNIFF_BYTES:
            chunk = await _next_chunk(chunks)
            if chunk is None:
                complete = True
                break
            head += chunk
            if len(head) > max_bytes:
                raise ObjectTooLargeError(max_bytes)
        content_type = sniff_content_type(bytes(head), complete=complete, hint=content_type_hint)
        reader = _PullReader(asyncio.get_running_loop(), chunks, bytes(head), max_bytes, self.read_timeout_s)
        upload = asyncio.to_thread(
            self.client.put_object,
            self.bucket,
            key,
            cast("BinaryIO", reader),
            length=-1,
            content_type=content_type,
            part_size=self.part_bytes,
            num_parallel_uploads=1,  # bounds memory to one part per upload
        )
        try:
            await upload
        except asyncio.CancelledError:
            reader.cancelled = True
            raise
        except Exception:
            if reader.too_large:
                # minio has aborted the multipart upload and a single-part PUT never completed; removing
                # the key as well guarantees nothing partial is readable (the key did not exist before).
                await self._remove_quietly(key)
                raise ObjectTooLargeError(max_bytes) from None
            raise
        return StoredObject(key, reader.size, reader.sha256.hexdigest(), content_type)

    async def _remove_quietly(self, key: str) -> None:
        with contextlib.suppress(S3Error):
            await asyncio.to_thread(self.client.remove_object, self.bucket, key)

    def presigned_get(
        self, key: str, expires: timedelta = timedelta(minutes=5), download_name: str | None = None
    ) -> str:
        """A GET URL valid for ``expires``; issue it only after the caller's access check."""
        _checked(key)
        headers: dict[str, str | list[str] | tuple[str]] = {
            "response-content-disposition": content_disposition(download_name or "download")
        }
        return str(self.client.presigned_get_object(self.bucket, key, expires=expires, response_headers=headers))

    async def stat(self, key: str) -> ObjectInfo | None:
        """Size and type of ``key``, or None when it does not exist."""
        _checked(key)
        try:
            info: Any = await asyncio.to_thread(self.client.stat_object, self.bucket, key)
        except S3Error as exc:
            if exc.code in _NO_SUCH:
                return None
            raise
        return ObjectInfo(key, int(info.size), info.content_type or OCTET_STREAM, info.etag, info.last_modified)

    async def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing object is not an error."""
        _checked(key)
        await asyncio.to_thread(self.client.remove_object, self.bucket, key)

    async def check_ready(self) -> None:
        """HeadBucket with a short time-out, for ``/readyz``; raises StorageUnavailableError."""
        try:
            exists = await asyncio.wait_for(
                asyncio.to_thread(self._probe_client.bucket_exists, self.bucket), self.ready_timeout_s
            )
        except (TimeoutError, OSError, S3Error, urllib3.exceptions.HTTPError) as exc:
            msg = f"object store unavailable: {type(exc).__name__}"
            raise StorageUnavailableError(msg) from exc
        if not exists:
            msg = f"bucket {self.bucket!r} does not exist"
            raise StorageUnavailableError(msg)
