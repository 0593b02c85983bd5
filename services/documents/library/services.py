"""Reading documents the caller may see: one by id, a unit's or a subject's list, a document's versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.library.models import Document, DocumentState, DocumentVersion, VersionState
from services.documents.library.visibility import readable
from services.documents.paging import page
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import invalid

NEWEST = Keyset(Document.created_at, Document.id, descending=True, parse=datetime.fromisoformat)


class DocumentRepository(Repository[Document]):
    model_type = Document
    noun = "document"


@dataclass(frozen=True, slots=True)
class Filters:
    unit_path: str | None = None
    subject_kind: str | None = None
    subject_id: UUID | None = None
    type_code: str | None = None
    include_deleted: bool = False


class DocumentService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repository = DocumentRepository(session)

    async def get(self, document_id: UUID, *, for_update: bool = False) -> Document:
        """The document, or the district's 404 when it is missing, elsewhere or not the caller's to read."""
        statement = select(Document).where(Document.id == document_id, readable(self.principal))
        if for_update:
            statement = statement.with_for_update()
        return await self.repository.one_or_404(statement)

    async def page(self, filters: Filters, *, cursor: str | None, limit: int) -> tuple[list[Document], str | None]:
        if filters.subject_id is not None and filters.subject_kind is None:
            raise invalid("query.subjectKind", "give the subject's kind with its id")
        statement = select(Document).where(readable(self.principal))
        if filters.unit_path is not None:
            statement = statement.where(under(Document.anchor_path, filters.unit_path))
        if filters.subject_kind is not None:
            statement = statement.where(Document.subject_kind == filters.subject_kind)
        if filters.subject_id is not None:
            statement = statement.where(Document.subject_id == filters.subject_id)
        if filters.type_code is not None:
            statement = statement.where(Document.type_code == filters.type_code)
        if not filters.include_deleted:
            statement = statement.where(Document.state != DocumentState.DELETED)
        return await page(self.repository, statement, NEWEST, cursor=cursor, limit=limit)

    async def versions(self, document: Document) -> list[DocumentVersion]:
        rows = await self.session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document.id, DocumentVersion.state == VersionState.STORED)
            .order_by(DocumentVersion.number.desc())
        )
        return list(rows)

    async def current(self, documents: list[Document]) -> dict[UUID, DocumentVersion]:
        """The current stored version of each document, in one query."""
        wanted = [(row.id, row.current_version) for row in documents if row.current_version > 0]
        if not wanted:
            return {}
        rows = await self.session.scalars(
            select(DocumentVersion).where(
                DocumentVersion.document_id.in_([document_id for document_id, _ in wanted]),
                DocumentVersion.state == VersionState.STORED,
            )
        )
        numbers = dict(wanted)
        return {row.document_id: row for row in rows if numbers.get(row.document_id) == row.number}
