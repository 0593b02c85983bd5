"""The object store through the gateway (``/<bucket>/...``): presigned requests signed for the gateway's address reach
the store unchanged (Host kept, so the signature verifies), bodies streamed; the signature is the only key."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from minio import Minio

from gateway.app import create_app
from gateway.proxy.settings import ProxySettings
from services.documents.files.store import FileStore
from services.documents.settings import DocumentsProcessSettings
from shared.settings import Settings
from shared.storage import tenant_key
from tests.dispatch.receivers import serving

MIB = 1024 * 1024
PHOTO = b"\xff\xd8\xff" + bytes(3 * MIB - 3)


@pytest.fixture
async def gateway_url(gateway_settings: Settings) -> AsyncIterator[str]:
    async with serving(create_app(gateway_settings, ProxySettings(upstreams={}, console_url=""))) as url:
        yield url


def _store(settings: Settings) -> Minio:
    s3 = settings.s3
    return Minio(s3.endpoint, s3.access_key, s3.secret_key.get_secret_value(), secure=False, region=s3.region)


async def test_a_presigned_put_and_get_through_the_gateway_reach_the_store(
    gateway_url: str, gateway_settings: Settings
) -> None:
    files = FileStore(gateway_settings, DocumentsProcessSettings(public_s3_url=gateway_url))
    key = tenant_key(uuid.uuid4(), "documents", uuid.uuid4(), 1)
    url = files.presigned_put(key, timedelta(minutes=5))
    assert url.startswith(f"{gateway_url}/{gateway_settings.s3.bucket}/{key}?")
    async with httpx.AsyncClient(timeout=60) as http:
        put = await http.put(url, content=PHOTO, headers={"Content-Type": "image/jpeg"})
        assert put.status_code == 200, put.text
        assert _store(gateway_settings).stat_object(gateway_settings.s3.bucket, key).size == len(PHOTO)

        link = files.presigned_get(
            key, timedelta(minutes=1), filename="照片.jpg", content_type="image/jpeg", inline=False
        )
        got = await http.get(link)
        assert got.status_code == 200
        assert got.content == PHOTO
        assert got.headers["content-disposition"].startswith("attachment;")

        # a signature is for its own request only: another key, or a changed one, is refused by the store
        forged = url.replace(key, tenant_key(uuid.uuid4(), "documents", uuid.uuid4(), 1))
        assert (await http.put(forged, content=b"x")).status_code == 403
        unsigned = f"{gateway_url}/{gateway_settings.s3.bucket}/{key}"
        assert (await http.get(unsigned)).status_code == 403
        # nothing but reading and writing objects passes
        for method in ("POST", "DELETE"):
            refused = await http.request(method, url)
            assert refused.status_code == 405
    assert _store(gateway_settings).stat_object(gateway_settings.s3.bucket, key).size == len(PHOTO)


async def test_the_parts_of_a_multipart_upload_go_through_the_gateway(
    gateway_url: str, gateway_settings: Settings
) -> None:
    files = FileStore(gateway_settings, DocumentsProcessSettings(public_s3_url=gateway_url))
    key = tenant_key(uuid.uuid4(), "documents", uuid.uuid4(), 1)
    upload_id = await files.start_multipart(key, "application/pdf")
    data = b"%PDF-1.7\n" + bytes(6 * MIB)
    parts = []
    async with httpx.AsyncClient(timeout=60) as http:
        for number, chunk in enumerate((data[: 5 * MIB], data[5 * MIB :]), start=1):
            answer = await http.put(files.presigned_part(key, upload_id, number, timedelta(minutes=5)), content=chunk)
            assert answer.status_code == 200, answer.text
            parts.append((number, answer.headers["etag"]))
    await files.complete_multipart(key, upload_id, parts)
    assert (await files.read_bytes(key)) == data
