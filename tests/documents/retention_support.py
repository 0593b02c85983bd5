"""What the retention, regulation and dossier tests share: filed documents whose versions (and a thumbnail) really
are objects in the session's S3 bucket, and a look at which of them are still there."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document, DocumentVersion, VersionState
from services.documents.retention.rules import today
from shared.clock import now
from shared.context import tenant_scope
from shared.storage import ObjectStore, tenant_key
from tests.documents.builders import District

Client = AsyncTestClient[Any]
DOCUMENTS = "/api/documents/documents"
LONG_AGO = date(2000, 1, 1)


def days_from_today(days: int) -> date:
    return today() + timedelta(days=days)


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def filed(
    district: District,
    store: ObjectStore,
    title: str = "瑶溪街道会议纪要",
    *,
    anchor_path: str | None = None,
    type_code: str = "minutes",
    retention_class: str = "ten_years",
    immutable: bool = False,
    retain_until: date | None = None,
    stored_at: datetime | None = None,
) -> tuple[Document, list[str]]:
    """An active document with two stored versions and a thumbnail of the first, all three in the bucket."""
    document = await district.add_document(
        title, type_code=type_code, anchor_path=anchor_path, retention_class=retention_class, immutable=immutable
    )
    first = tenant_key(district.id, "documents", document.id, 1)
    second = tenant_key(district.id, "documents", document.id, 2)
    thumbnail = tenant_key(district.id, "thumbnails", document.id, 1)

    async def extend(session: AsyncSession) -> None:
        body = f"{title} 第二版".encode()
        session.add(
            DocumentVersion(
                document_id=document.id,
                number=2,
                state=VersionState.STORED,
                object_key=second,
                filename="minutes-v2.pdf",
                content_type="application/pdf",
                declared_bytes=len(body),
                size_bytes=len(body),
                sha256=hashlib.sha256(body).digest(),
                change_note="补充签字页",
                stored_at=stored_at or now(),
            )
        )
        await session.execute(
            update(DocumentVersion)
            .where(DocumentVersion.document_id == document.id, DocumentVersion.number == 1)
            .values(thumbnail_key=thumbnail)
        )
        await session.execute(
            update(Document).where(Document.id == document.id).values(current_version=2, retain_until=retain_until)
        )

    await district.run(extend)
    keys = [first, second, thumbnail]
    with tenant_scope(district.id):
        for key in keys:
            await store.put_stream(key, _one(f"%PDF-1.4 {key}".encode()), max_bytes=1 << 20)
    return document, keys


async def in_bucket(district: District, store: ObjectStore, keys: list[str]) -> list[bool]:
    with tenant_scope(district.id):
        return [await store.stat(key) is not None for key in keys]


async def set_document(district: District, document: Document, **values: Any) -> None:
    async def change(session: AsyncSession) -> None:
        await session.execute(update(Document).where(Document.id == document.id).values(**values))

    await district.run(change)


async def sha256_of(district: District, document: Document) -> list[str]:
    async def read(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(DocumentVersion.sha256)
            .where(DocumentVersion.document_id == document.id)
            .order_by(DocumentVersion.number)
        )
        return [value.hex() for value in rows if value]

    result: list[str] = await district.run(read)
    return result
