"""ObjectStore against the session's real S3 server (SeaweedFS)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import unquote

import httpx
import pytest

from shared.context import tenant_scope
from shared.settings import S3Settings, Settings
from shared.storage import (
    MIN_PART_BYTES,
    ObjectExistsError,
    ObjectStore,
    ObjectTooLargeError,
    StorageUnavailableError,
    tenant_key,
)
from tests.storage.conftest import chunked, from_parts

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000)


def new_key(tenant: uuid.UUID | None = None, kind: str = "doc") -> str:
    return tenant_key(tenant or uuid.uuid4(), kind, uuid.uuid4(), 1)


async def incomplete_uploads(store: ObjectStore, key: str) -> list[object]:
    # Private minio call: the public API has no ListMultipartUploads, and this is what proves an abort.
    result = await asyncio.to_thread(store.client._list_multipart_uploads, store.bucket, prefix=key)
    return list(result.uploads)


async def test_multipart_round_trip(store: ObjectStore) -> None:
    data = os.urandom(2 * MIN_PART_BYTES + 123_457)  # three parts
    key = new_key()
    stored = await store.put_stream(key, chunked(data), max_bytes=len(data), content_type_hint="image/png")
    assert stored.key == key
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "application/octet-stream"  # random bytes, whatever the client said

    info = await store.stat(key)
    assert info is not None
    assert info.size == len(data)
    assert info.content_type == "application/octet-stream"

    async with httpx.AsyncClient() as http:
        response = await http.get(store.presigned_get(key, download_name="档案.bin"))
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == stored.sha256
    await store.delete(key)
    assert await store.stat(key) is None


async def test_small_upload_and_download_name(store: ObjectStore) -> None:
    key = new_key()
    text = "第一网格会议纪要\n参会：12人\n".encode()
    stored = await store.put_stream(key, from_parts([text[:5], b"", text[5:]]), max_bytes=1024)
    assert stored.size == len(text)
    assert stored.sha256 == hashlib.sha256(text).hexdigest()
    assert stored.content_type == "text/plain; charset=utf-8"

    async with httpx.AsyncClient() as http:
        response = await http.get(store.presigned_get(key, download_name="../第一网格 会议纪要.txt"))
    assert response.status_code == 200
    assert response.content == text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "第一网格 会议纪要.txt"


async def test_sniffing_ignores_a_lying_hint(store: ObjectStore) -> None:
    key = new_key()
    stored = await store.put_stream(key, chunked(PNG, 7), max_bytes=10_000, content_type_hint="application/pdf")
    assert stored.content_type == "image/png"
    info = await store.stat(key)
    assert info is not None
    assert info.content_type == "image/png"


async def test_empty_upload(store: ObjectStore) -> None:
    key = new_key()
    stored = await store.put_stream(key, from_parts([]), max_bytes=10)
    assert (stored.size, stored.sha256) == (0, hashlib.sha256(b"").hexdigest())
    assert stored.content_type == "application/octet-stream"


@pytest.mark.parametrize(
    ("size", "limit"),
    [
        (4_000, 3_999),  # caught while reading the head, before the store is touched
        (300_000, 200_000),  # caught while filling the first (single-PUT) part
        (MIN_PART_BYTES + 600_000, MIN_PART_BYTES + 500_000),  # caught after a multipart part was sent
    ],
)
async def test_size_limit_keeps_nothing(store: ObjectStore, size: int, limit: int) -> None:
    key = new_key()
    with pytest.raises(ObjectTooLargeError, match=f"limit of {limit} bytes"):
        await store.put_stream(key, chunked(os.urandom(size)), max_bytes=limit)
    assert await store.stat(key) is None
    assert await incomplete_uploads(store, key) == []


async def test_exact_limit_is_allowed(store: ObjectStore) -> None:
    data = os.urandom(MIN_PART_BYTES + 10)
    stored = await store.put_stream(new_key(), chunked(data), max_bytes=len(data))
    assert stored.size == len(data)


async def test_failing_body_aborts_the_upload(store: ObjectStore) -> None:
    key = new_key()

    async def broken() -> AsyncIterator[bytes]:
        yield os.urandom(MIN_PART_BYTES + 1000)
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put_stream(key, broken(), max_bytes=10 * MIN_PART_BYTES)
    assert await store.stat(key) is None
    assert await incomplete_uploads(store, key) == []


async def test_presigned_url_is_tamper_proof(store: ObjectStore) -> None:
    tenant = uuid.uuid4()
    key, other = new_key(tenant), new_key(tenant)
    with tenant_scope(tenant):
        await store.put_stream(key, from_parts([b"secret minutes"]), max_bytes=100)
        await store.put_stream(other, from_parts([b"other file"]), max_bytes=100)
        url = store.presigned_get(key, expires=timedelta(minutes=1), download_name="a.txt")
    signature = url.rsplit("X-Amz-Signature=", 1)[1]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    tampered = {
        "signature": url.replace(signature, flipped),
        "object": url.replace(key, other),
        "expiry": url.replace("X-Amz-Expires=60", "X-Amz-Expires=604800"),
        "disposition": url.replace("a.txt", "b.txt"),
    }
    async with httpx.AsyncClient() as http:
        good = await http.get(url)
        assert good.status_code == 200
        assert good.content == b"secret minutes"
        for what, bad_url in tampered.items():
            assert bad_url != url, what
            response = await http.get(bad_url)
            assert response.status_code == 403, what
            assert b"other file" not in response.content


async def test_a_stored_version_is_never_overwritten(store: ObjectStore) -> None:
    key = new_key()
    first = await store.put_stream(key, from_parts([b"version one"]), max_bytes=100)
    with pytest.raises(ObjectExistsError):
        await store.put_stream(key, from_parts([b"replacement"]), max_bytes=100)
    with pytest.raises(ObjectExistsError):  # nor removed by a failing second attempt
        await store.put_stream(key, from_parts([b"x" * 500]), max_bytes=100)
    info = await store.stat(key)
    assert info is not None
    assert info.size == first.size


async def test_delete_is_idempotent(store: ObjectStore) -> None:
    key = new_key()
    await store.put_stream(key, from_parts([b"x"]), max_bytes=10)
    await store.delete(key)
    await store.delete(key)
    assert await store.stat(key) is None


async def test_check_ready(store: ObjectStore, settings: Settings) -> None:
    await store.check_ready()
    missing_bucket = ObjectStore(settings.s3.model_copy(update={"bucket": "no-such-bucket-redcell"}))
    with pytest.raises(StorageUnavailableError, match="does not exist"):
        await missing_bucket.check_ready()
    nowhere = ObjectStore(S3Settings(endpoint="127.0.0.1:9", bucket="redcell"), ready_timeout_s=1.0)
    with pytest.raises(StorageUnavailableError):
        await nowhere.check_ready()
