"""Titles (TRN-10): the district's titles awarded to units and members for a period, each once, with
TitleAwarded for orgtree to record on the unit or member; the award history per person or unit."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.people.directory import PersonDirectory
from services.training.points.periods import ZONE
from services.training.ratings.defaults import MEMBER, ensure_defaults
from services.training.ratings.models import ONE_AWARD_PER_PERIOD, Award, AwardTitle
from services.training.ratings.periods import parse
from services.training.ratings.schemas import AwardCreate
from services.training.ratings.subjects import subject_of
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.training import TitleAwarded
from shared.db.base import uuid7
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish

NEWEST_FIRST = Keyset(Award.awarded_on, Award.id, descending=True, parse=date.fromisoformat)


class AwardRepository(Repository[Award]):
    model_type = Award
    noun = "award"


class AwardService:
    def __init__(
        self, session: AsyncSession, principal: Principal, awards: AwardRepository, people: PersonDirectory
    ) -> None:
        self.session = session
        self.principal = principal
        self.awards = awards
        self.people = people

    async def award(self, data: AwardCreate) -> Award:
        await ensure_defaults(self.session)
        title = await self.session.scalar(select(AwardTitle).where(AwardTitle.code == data.title))
        if title is None or not title.active:
            known = await self.session.scalars(select(AwardTitle.code).where(AwardTitle.active.is_(True)))
            raise invalid("title", f"'{data.title}' is not one of this district's titles: {', '.join(known)}")
        period = parse("period", data.period)
        subject = await subject_of(
            self.people,
            member=title.subject_kind == MEMBER,
            person_id=data.subject.person_id,
            unit_id=data.subject.unit_id,
            unit_path=data.subject.unit_path,
            unit_name=data.subject.unit_name,
            under=self.principal.scope or "/",
            prefix="body.subject.",
        )
        awarded_on = now().astimezone(ZONE).date()
        title_name = (data.title_name or title.name).strip()
        award_id = uuid7()
        values = {
            "tenant_id": require_tenant(),
            "id": award_id,
            "title": title.code,
            "title_name": title_name,
            "subject_kind": title.subject_kind,
            "person_id": subject.person.id if subject.person else None,
            "unit_id": subject.unit_id,
            "subject_id": subject.id,
            "subject_path": subject.path,
            "subject_name": subject.name,
            "period": period.label,
            "awarded_on": awarded_on,
            "note": data.note.strip(),
            "awarded_by": self.principal.user_id,
            "awarded_by_name": self.principal.name,
        }
        added = await self.session.execute(
            pg_insert(Award)
            .values(**values)
            .on_conflict_do_nothing(constraint=ONE_AWARD_PER_PERIOD)
            .returning(Award.id)
        )
        if added.first() is None:
            raise conflict(f"{subject.name} already holds {title.name} for {period.label}")
        await publish(
            self.session,
            TitleAwarded(
                tenant_id=require_tenant(),
                award_id=award_id,
                title=title.code,
                title_name=title_name,
                subject_kind=title.subject_kind,
                subject_id=subject.id,
                subject_path=subject.path,
                period=period.label,
                awarded_on=awarded_on,
                subject_name=subject.name,
            ),
        )
        await audit.record(self.session, "training.title.awarded", subject_type="award", subject_id=str(award_id))
        return await self.awards.get_or_404(award_id)

    async def page(
        self,
        *,
        person_id: UUID | None,
        unit_id: UUID | None,
        period: str | None,
        title: str | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[Award], str | None]:
        """Newest first, of subjects under the caller's scope."""
        query = select(Award)
        if self.principal.scope is not None:
            query = query.where(under(Award.subject_path, self.principal.scope))
        if person_id is not None:
            query = query.where(Award.person_id == person_id)
        if unit_id is not None:
            query = query.where(Award.unit_id == unit_id)
        if period is not None:
            query = query.where(Award.period == parse("query.period", period).label)
        if title is not None:
            query = query.where(Award.title == title)
        return await page(self.awards, query, NEWEST_FIRST, cursor=cursor, limit=limit)
