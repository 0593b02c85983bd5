"""The district's templates: reading them, and the district admin's edit (checked before anything is stored)."""

from __future__ import annotations

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.generated.layout import FACTS, check_layout, check_text
from services.documents.generated.models import DocumentTemplate
from services.documents.generated.schemas import TemplateUpdate
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Repository
from shared.http.problems import FieldErrors


class TemplateRepository(Repository[DocumentTemplate]):
    model_type = DocumentTemplate
    noun = "template"


class TemplateService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.templates = TemplateRepository(session)

    async def all(self) -> list[DocumentTemplate]:
        return list(await self.session.scalars(select(DocumentTemplate).order_by(DocumentTemplate.code)))

    async def get(self, code: str, *, for_update: bool = False) -> DocumentTemplate:
        statement = select(DocumentTemplate).where(DocumentTemplate.code == code)
        return await self.templates.one_or_404(statement.with_for_update() if for_update else statement)

    async def update(self, code: str, change: TemplateUpdate) -> DocumentTemplate:
        row = await self.get(code, for_update=True)
        allowed = FACTS.get(code, ())
        errors = FieldErrors()
        check_text(errors, "body.titlePattern", change.title_pattern, allowed)
        check_layout(errors, change.layout, allowed)
        errors.raise_if_any(f"the template uses what a {row.name} cannot print")
        row.name = change.name.strip()
        row.title_pattern = change.title_pattern
        row.body = msgspec.to_builtins(change.layout)
        row.updated_by = self.principal.user_id
        row.updated_by_name = self.principal.name
        row.updated_at = now()  # set here, not by the database: the view reads it without another round trip
        await audit.record(
            self.session, "documents.template.updated", subject_type="document_template", subject_id=code
        )
        return row
