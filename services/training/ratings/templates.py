"""The district's criteria templates, its rating settings and its title codes (district administrators edit them;
organisers read them to make rounds and awards)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.ratings.defaults import LEVEL_NOTES, NOTICE_DAYS, ensure_defaults
from services.training.ratings.levels import as_dicts, check_template
from services.training.ratings.models import AwardTitle, RatingSettings, RatingTemplate
from services.training.ratings.schemas import TemplatePatch, TemplateWrite
from shared import audit
from shared.context import require_tenant
from shared.db.repository import Repository
from shared.http.problems import FieldErrors


class TemplateRepository(Repository[RatingTemplate]):
    model_type = RatingTemplate
    noun = "rating template"


class TemplateService:
    def __init__(self, session: AsyncSession, templates: TemplateRepository) -> None:
        self.session = session
        self.templates = templates

    async def list(self, subject_kind: str | None) -> Sequence[RatingTemplate]:
        await ensure_defaults(self.session)
        query = select(RatingTemplate).order_by(RatingTemplate.subject_kind, RatingTemplate.name, RatingTemplate.id)
        if subject_kind is not None:
            query = query.where(RatingTemplate.subject_kind == subject_kind)
        return (await self.session.scalars(query)).all()

    async def get(self, template_id: UUID) -> RatingTemplate:
        return await self.templates.get_or_404(template_id)

    async def create(self, data: TemplateWrite) -> RatingTemplate:
        errors = FieldErrors()
        check_template(errors, data.criteria, data.levels)
        errors.raise_if_any("the rating template is invalid")
        template = RatingTemplate(
            name=data.name.strip(),
            subject_kind=data.subject_kind,
            criteria=as_dicts(data.criteria),
            levels=list(data.levels),
            level_notes=list(data.level_notes or LEVEL_NOTES),
        )
        self.session.add(template)
        await self.session.flush()
        await self._audit("training.rating_template.created", template)
        return template

    async def update(self, template_id: UUID, data: TemplatePatch) -> RatingTemplate:
        """Rounds already made keep the criteria they copied; the change applies to rounds made from now on."""
        template = await self.templates.get_or_404(template_id, for_update=True)
        errors = FieldErrors()
        check_template(errors, data.criteria, data.levels)
        errors.raise_if_any("the rating template is invalid")
        if data.name is not None:
            template.name = data.name.strip()
        if data.subject_kind is not None:
            template.subject_kind = data.subject_kind
        if data.criteria is not None:
            template.criteria = as_dicts(data.criteria)
        if data.levels is not None:
            template.levels = list(data.levels)
        if data.level_notes is not None:
            template.level_notes = list(data.level_notes)
        await self.session.flush()
        await self.session.refresh(template)
        await self._audit("training.rating_template.changed", template)
        return template

    async def _audit(self, action: str, template: RatingTemplate) -> None:
        await audit.record(self.session, action, subject_type="rating_template", subject_id=str(template.id))

    async def notice_days(self) -> int:
        found = await self.session.scalar(select(RatingSettings.notice_days))
        return found if found is not None else NOTICE_DAYS

    async def set_notice_days(self, days: int) -> int:
        statement = pg_insert(RatingSettings).values(tenant_id=require_tenant(), notice_days=days)
        statement = statement.on_conflict_do_update(index_elements=["tenant_id"], set_={"notice_days": days})
        await self.session.execute(statement)
        await audit.record(
            self.session,
            "training.rating_settings.changed",
            subject_type="rating_settings",
            subject_id=str(require_tenant()),
            detail={"noticeDays": days},
        )
        return days

    async def titles(self) -> Sequence[AwardTitle]:
        await ensure_defaults(self.session)
        return (await self.session.scalars(select(AwardTitle).order_by(AwardTitle.code))).all()
