"""What the upload tests share: files of each kind, the browser's side of an upload (the presigned PUT or parts), and
a look into the bucket."""

from __future__ import annotations

import io
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from minio import Minio
from PIL import Image

from services.documents.app import create_app
from services.documents.settings import get_documents_settings
from shared.settings import Settings
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
UPLOADS = "/api/documents/uploads"


def pdf(size: int = 2048) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + b"0" * (size - len(head))


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 800, height: int = 600, *, taken: str | None = None, orientation: int | None = None) -> bytes:
    """A photo as a phone writes it: EXIF DateTimeOriginal (local time) and an orientation tag."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken
    if orientation is not None:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def file_body(type_code: str, data: bytes, content_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "typeCode": type_code,
        "title": "瑶溪街道会议纪要",
        "filename": "纪要.pdf" if content_type == "application/pdf" else "photo.jpg",
        "contentType": content_type,
        "sizeBytes": len(data),
        **extra,
    }


async def send(grant: dict[str, Any], data: bytes) -> list[dict[str, Any]] | None:
    """The browser's part: PUT the file (or each part) where the grant says; a multipart upload's parts and ETags."""
    async with httpx.AsyncClient(timeout=60) as http:
        if grant.get("method") == "PUT":
            answer = await http.put(grant["url"], content=data, headers=grant["headers"])
            assert answer.status_code == 200, answer.text
            return None
        size = grant["partBytes"]
        parts = []
        for part in grant["parts"]:
            n = part["partNumber"]
            answer = await http.put(part["url"], content=data[(n - 1) * size : n * size])
            assert answer.status_code == 200, answer.text
            parts.append({"partNumber": n, "etag": answer.headers["etag"]})
        return parts


async def granted(client: Client, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    """The answer to ``POST /uploads``: the pending document, its version's id and the upload grant."""
    started = await client.post(UPLOADS, json=body, headers=headers)
    assert started.status_code == 201, started.text
    answer: dict[str, Any] = started.json()
    return answer


async def upload(
    client: Client, headers: dict[str, str], body: dict[str, Any], data: bytes
) -> tuple[dict[str, Any], httpx.Response]:
    """Ask for an upload, send the bytes, confirm: the grant's answer and the confirmation's."""
    started = await client.post(UPLOADS, json=body, headers=headers)
    assert started.status_code == 201, started.text
    parts = await send(started.json()["upload"], data)
    confirmed = await client.post(
        f"{UPLOADS}/{started.json()['versionId']}/confirm",
        json={"parts": parts} if parts else {},
        headers=headers,
    )
    return started.json(), confirmed


def keys_under(settings: Settings, prefix: str) -> list[str]:
    s3 = settings.s3
    client = Minio(s3.endpoint, s3.access_key, s3.secret_key.get_secret_value(), secure=False, region=s3.region)
    return [item.object_name or "" for item in client.list_objects(s3.bucket, prefix=prefix, recursive=True)]


def document_prefix(tenant: uuid.UUID, document_id: str) -> str:
    return f"tenants/{tenant}/documents/{document_id}/"


def incomplete_uploads(settings: Settings, key: str) -> list[str]:
    """Multipart uploads still open at ``key`` (ListMultipartUploads)."""
    s3 = settings.s3
    client = Minio(s3.endpoint, s3.access_key, s3.secret_key.get_secret_value(), secure=False, region=s3.region)
    answer = client._list_multipart_uploads(s3.bucket, prefix=key)
    return [upload.upload_id for upload in answer.uploads if upload.object_name == key]


@asynccontextmanager
async def app_with(
    settings: Settings, issuer: TestIssuer, monkeypatch: Any, **documents: object
) -> AsyncIterator[Client]:
    """The documents API with some of its process settings changed (``multipart_threshold_bytes=...``)."""
    for name, value in documents.items():
        monkeypatch.setenv(f"REDCELL_DOCUMENTS__{name.upper()}", str(value))
    get_documents_settings.cache_clear()
    try:
        async with AsyncTestClient(create_app(settings, verifier=issuer.verifier())) as client:
            yield client
    finally:
        for name in documents:
            monkeypatch.delenv(f"REDCELL_DOCUMENTS__{name.upper()}")
        get_documents_settings.cache_clear()
