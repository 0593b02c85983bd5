"""The district's registry: reading types and retention classes, and the district admin's changes to a type."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.types.models import DocumentType, RetentionClass, Visibility
from services.documents.types.schemas import DocumentTypeUpdate
from shared import audit
from shared.db.repository import Repository
from shared.http.problems import FieldErrors


class TypeRepository(Repository[DocumentType]):
    model_type = DocumentType
    noun = "document type"


class Registry:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.types = TypeRepository(session)

    async def all_types(self) -> list[DocumentType]:
        return list(await self.session.scalars(select(DocumentType).order_by(DocumentType.owner, DocumentType.code)))

    async def type_of(self, code: str, *, for_update: bool = False) -> DocumentType:
        statement = select(DocumentType).where(DocumentType.code == code)
        return await self.types.one_or_404(statement.with_for_update() if for_update else statement)

    async def classes(self) -> list[RetentionClass]:
        return list(await self.session.scalars(select(RetentionClass).order_by(RetentionClass.code)))

    async def retention_class(self, code: str) -> RetentionClass | None:
        return await self.session.scalar(select(RetentionClass).where(RetentionClass.code == code))

    async def update_type(self, code: str, change: DocumentTypeUpdate) -> DocumentType:
        row = await self.type_of(code, for_update=True)
        errors = FieldErrors()
        if change.retention_class is not msgspec.UNSET and await self.retention_class(change.retention_class) is None:
            errors.add("body.retentionClass", "not a retention class of this district")
        if change.visibility is not msgspec.UNSET:
            errors.choice("body.visibility", change.visibility, list(Visibility))
        errors.raise_if_any("the document type cannot be changed so")
        changed = {name: value for name, value in msgspec.structs.asdict(change).items() if value is not msgspec.UNSET}
        for name, value in changed.items():
            setattr(row, name, value)
        await audit.record(
            self.session, "documents.type.updated", subject_type="document_type", subject_id=code, detail=changed
        )
        return row
