"""What the generated documents' tests share: events delivered through documents' consumer as the worker would,
and a generated document read back: its row, its version, its object's bytes and the PDF's text and fonts."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import services.documents.generated.actors  # noqa: F401 - registers the handlers on the consumer
from services.documents.events import consumer
from services.documents.library.models import Document, DocumentVersion
from shared.contracts.base import Event
from shared.settings import Settings
from shared.storage import ObjectStore
from tests.documents.builders import District
from tests.platform.events import envelope


async def deliver(settings: Settings, event: Event) -> dict[str, Any]:
    consumer._settings = settings
    raw = envelope(event)
    assert await consumer.handle(raw) is True
    return raw


@dataclass
class Filed:
    document: Document
    version: DocumentVersion
    pdf: bytes

    @property
    def text(self) -> str:
        """The PDF's text as a reader extracts it, without the line breaks wrapping put in."""
        reader = PdfReader(io.BytesIO(self.pdf))
        return "".join("".join(page.extract_text().split()) for page in reader.pages)

    def fonts(self) -> list[DictionaryObject]:
        """The descriptors of every font the PDF's pages use."""
        found = []
        for page in PdfReader(io.BytesIO(self.pdf)).pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                for descendant in font.get("/DescendantFonts", []):
                    font = descendant.get_object()
                descriptor = font.get("/FontDescriptor")  # none: one of the 14 standard fonts, never embedded
                found.append(descriptor.get_object() if descriptor is not None else DictionaryObject())
        return found


async def documents_of(district: District, source_key: str) -> list[Document]:
    async def read(session: AsyncSession) -> list[Document]:
        return list(await session.scalars(select(Document).where(Document.source_key == source_key)))

    rows: list[Document] = await district.run(read)
    return rows


async def filed(settings: Settings, district: District, source_key: str) -> Filed:
    [document] = await documents_of(district, source_key)

    async def read(session: AsyncSession) -> DocumentVersion:
        return (await session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == document.id))).one()

    version: DocumentVersion = await district.run(read)
    return Filed(document, version, await object_bytes(settings, version.object_key))


async def object_bytes(settings: Settings, key: str) -> bytes:
    store = ObjectStore(settings)

    def get() -> bytes:
        response = store.client.get_object(store.bucket, key)
        try:
            return bytes(response.read())
        finally:
            response.close()
            response.release_conn()

    return await asyncio.to_thread(get)


async def district_objects(settings: Settings, district: District) -> list[str]:
    store = ObjectStore(settings)

    def names() -> list[str]:
        prefix = f"tenants/{district.id}/documents/"
        return [item.object_name for item in store.client.list_objects(store.bucket, prefix, recursive=True)]

    return await asyncio.to_thread(names)
