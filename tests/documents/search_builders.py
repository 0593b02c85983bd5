"""Documents made searchable for the search tests: metadata changed in the database, then ``reindex``."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document, DocumentState
from services.documents.search.indexing import reindex
from tests.documents.builders import District


async def indexed(
    district: District,
    title: str,
    *,
    description: str | None = None,
    fields: dict[str, Any] | None = None,
    street: int = 0,
    type_code: str = "minutes",
) -> uuid.UUID:
    """An active document on one of the district's streets, indexed as the worker would after a change."""
    document = await district.add_document(title, type_code=type_code, anchor_path=district.streets[street])

    async def describe(session: AsyncSession) -> None:
        row = await session.get(Document, document.id)
        assert row is not None
        row.description = description
        row.fields = fields or {}
        await session.flush()
        await reindex(session, document.id)

    await district.run(describe)
    return document.id


async def delete(district: District, document_id: uuid.UUID) -> None:
    async def mark(session: AsyncSession) -> None:
        row = await session.get(Document, document_id)
        assert row is not None
        row.state = DocumentState.DELETED

    await district.run(mark)
