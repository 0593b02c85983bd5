"""One bucket of an S3-compatible store: streamed, hashed, size-limited uploads; presigned downloads.

The minio client is blocking; every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from concurrent.futures import Future
from datetime import timedelta
from typing import Any, BinaryIO, cast

import urllib3
from minio import Minio
from minio.error import S3Error

from shared.settings import S3Settings, Settings
from shared.storage.content import OCTET_STREAM, content_disposition, sniff_content_type
from shared.storage.keys import (
    ObjectExistsError,
    ObjectInfo,
    ObjectTooLargeError,
    StorageUnavailableError,
    StoredObject,
    checked_key,
    tenant_key,
)

MIN_PART_BYTES = 5 * 1024 * 1024  # S3's smallest non-final multipart part
DEFAULT_PART_BYTES = 8 * 1024 * 1024
_NO_SUCH = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchVersion"})
READ_BYTES = 256 * 1024  # what a download reads from the store at a time
SNIFF_BYTES = 64 * 1024  # enough to see the first entries of an OOXML (docx/xlsx) zip


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
        checked_key(key)
        headers: dict[str, str | list[str] | tuple[str]] = {
            "response-content-disposition": content_disposition(download_name or "download")
        }
        return str(self.client.presigned_get_object(self.bucket, key, expires=expires, response_headers=headers))

    async def stat(self, key: str) -> ObjectInfo | None:
        """Size and type of ``key``, or None when it does not exist."""
        checked_key(key)
        try:
            info: Any = await asyncio.to_thread(self.client.stat_object, self.bucket, key)
        except S3Error as exc:
            if exc.code in _NO_SUCH:
                return None
            raise
        return ObjectInfo(key, int(info.size), info.content_type or OCTET_STREAM, info.etag, info.last_modified)

    async def chunks(self, key: str, chunk_bytes: int = READ_BYTES) -> AsyncIterator[bytes]:
        """The object, read in a worker thread chunk by chunk (the minio client blocks)."""
        response = await asyncio.to_thread(self.client.get_object, self.bucket, checked_key(key))
        try:
            while chunk := await asyncio.to_thread(response.read, chunk_bytes):
                yield chunk
        finally:
            response.close()
            response.release_conn()

    async def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing object is not an error."""
        checked_key(key)
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
