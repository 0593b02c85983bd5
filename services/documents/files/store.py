"""The documents' bucket as browsers use it: presigned PUTs and parts of multipart uploads, presigned downloads, and
the service's own reads of what arrived (type from the first bytes, size, SHA-256, streamed).

URLs are signed for ``public_s3_url`` (the address browsers reach the store at: the gateway, which forwards
``/<bucket>/...`` to the store unchanged) and otherwise for the store's own endpoint. Signing needs no round trip:
the region is given. Keys are always the server's (``tenant_key``) and checked against the bound district.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from litestar.di import Provide
from minio import Minio
from minio.datatypes import Part
from minio.error import S3Error

from services.documents.settings import DocumentsProcessSettings, get_documents_settings
from shared.settings import Settings, get_settings
from shared.storage import SNIFF_BYTES, ObjectStore, content_disposition, sniff_content_type
from shared.storage.keys import checked_key


@dataclass(frozen=True, slots=True)
class Reading:
    """What the service read of an uploaded object."""

    size: int
    sha256: bytes
    content_type: str  # sniffed from the first bytes


def _signer(store: ObjectStore, settings: Settings, public_url: str) -> Minio:
    if not public_url:
        return store.client
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        msg = f"public_s3_url must be scheme://host[:port], not {public_url!r}"
        raise ValueError(msg)
    s3 = settings.s3
    return Minio(
        parts.netloc,
        access_key=s3.access_key,
        secret_key=s3.secret_key.get_secret_value(),
        secure=parts.scheme == "https",
        region=s3.region,
    )


class FileStore:
    """One bucket, its presigner for browsers, and the documents service's settings for files."""

    def __init__(self, settings: Settings, config: DocumentsProcessSettings) -> None:
        self.config = config
        self.objects = ObjectStore(settings, part_bytes=config.part_bytes)
        self.bucket = self.objects.bucket
        self.client = self.objects.client
        self.signer = _signer(self.objects, settings, config.public_s3_url)

    # ---------------------------------------------------------------- presigned requests (after access checks)

    def presigned_put(self, key: str, ttl: timedelta) -> str:
        return str(self.signer.get_presigned_url("PUT", self.bucket, checked_key(key), expires=ttl))

    def presigned_part(self, key: str, upload_id: str, number: int, ttl: timedelta) -> str:
        query: dict[str, Any] = {"partNumber": str(number), "uploadId": upload_id}
        return str(
            self.signer.get_presigned_url("PUT", self.bucket, checked_key(key), expires=ttl, extra_query_params=query)
        )

    def presigned_get(self, key: str, ttl: timedelta, *, filename: str, content_type: str, inline: bool) -> str:
        disposition = content_disposition(filename)
        if inline:
            disposition = "inline" + disposition.removeprefix("attachment")
        headers: dict[str, Any] = {
            "response-content-disposition": disposition,
            "response-content-type": content_type,
        }
        return str(
            self.signer.get_presigned_url("GET", self.bucket, checked_key(key), expires=ttl, response_headers=headers)
        )

    # ---------------------------------------------------------------- multipart uploads (minio's S3 calls)

    async def start_multipart(self, key: str, content_type: str) -> str:
        headers: dict[str, Any] = {"Content-Type": content_type}
        upload_id: str = await asyncio.to_thread(
            self.client._create_multipart_upload, self.bucket, checked_key(key), headers
        )
        return upload_id

    async def complete_multipart(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        listed = [Part(number, etag.strip('"')) for number, etag in parts]
        await asyncio.to_thread(
            self.client._complete_multipart_upload, self.bucket, checked_key(key), upload_id, listed
        )

    async def abort_multipart(self, key: str, upload_id: str) -> None:
        """Drop an upload's parts; an upload already completed or aborted is not an error."""
        with contextlib.suppress(S3Error):
            await asyncio.to_thread(self.client._abort_multipart_upload, self.bucket, checked_key(key), upload_id)

    # ---------------------------------------------------------------- objects

    async def size_of(self, key: str) -> int | None:
        info = await self.objects.stat(key)
        return info.size if info is not None else None

    def chunks(self, key: str) -> AsyncIterator[bytes]:
        return self.objects.chunks(key)

    async def read(self, key: str, *, hint: str | None = None) -> Reading:
        """Type (from the first bytes), size and SHA-256 of the object, in one streamed pass."""
        digest = hashlib.sha256()
        head = bytearray()
        size = 0
        async for chunk in self.chunks(key):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < SNIFF_BYTES:
                head += chunk[: SNIFF_BYTES - len(head)]
        content_type = sniff_content_type(bytes(head), complete=size <= SNIFF_BYTES, hint=hint)
        return Reading(size, digest.digest(), content_type)

    async def read_bytes(self, key: str) -> bytes:
        return b"".join([chunk async for chunk in self.chunks(key)])

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        """A small object the service makes itself (a thumbnail); written again, it is replaced."""
        await asyncio.to_thread(
            self.client.put_object, self.bucket, checked_key(key), io.BytesIO(data), len(data), content_type
        )

    async def remove(self, key: str) -> None:
        await self.objects.delete(key)


_stores: dict[tuple[str, str, str], FileStore] = {}


def file_store(settings: Settings | None = None, config: DocumentsProcessSettings | None = None) -> FileStore:
    """The process's FileStore for these settings (the worker and sweeps share one; the client holds a pool)."""
    settings = settings or get_settings()
    config = config or get_documents_settings()
    index = (settings.s3.endpoint, settings.s3.bucket, config.model_dump_json())
    if index not in _stores:
        _stores[index] = FileStore(settings, config)
    return _stores[index]


def store_dependencies(settings: Settings) -> dict[str, Provide]:
    """``files``: the FileStore of the app's settings, made when the app is (the client opens no connection)."""
    store = FileStore(settings, get_documents_settings())

    def provide() -> FileStore:
        return store

    return {"files": Provide(provide, sync_to_thread=False)}
