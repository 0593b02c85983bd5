"""Rectification items: organisers list them for units under their scope, note the month's progress and tick them
off. Open items come by deadline, the overdue first; an open item is overdue once China's date passes its deadline
(by query: the deadline is the row)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.training.paging import page
from services.training.rectification.models import RectificationItem, RectificationProgress
from services.training.rectification.schemas import DoneWrite, ItemCreate, ProgressWrite
from services.training.reviews.models import DutyReview, ReviewRound
from shared import audit
from shared.auth.principal import Principal
from shared.clock import china_today, now
from shared.db.paths import under
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict

BY_DEADLINE = Keyset(RectificationItem.deadline, RectificationItem.id, parse=date.fromisoformat)


class ItemRepository(Repository[RectificationItem]):
    model_type = RectificationItem
    noun = "rectification item"


class RectificationService:
    def __init__(self, session: AsyncSession, principal: Principal, items: ItemRepository) -> None:
        self.session = session
        self.principal = principal
        self.items = items

    def visible(self, item: RectificationItem) -> bool:
        return self.principal.may_see_path(item.unit_path)

    async def get(self, item_id: UUID, *, for_update: bool = False) -> RectificationItem:
        return await self.items.get_or_404(item_id, for_update=for_update, visible=self.visible)

    async def create(self, data: ItemCreate) -> RectificationItem:
        errors = FieldErrors()
        if not self.principal.may_see_path(data.unit_path):
            errors.add("unitPath", f"list items of units under your scope {self.principal.scope}")
        if data.deadline < china_today():
            errors.add("deadline", "a deadline from today on")
        if data.review_id is not None:
            review = await self.session.get(DutyReview, data.review_id)
            round_ = await self.session.get(ReviewRound, review.round_id) if review is not None else None
            if round_ is None or not self.principal.may_see_path(round_.unit_path):
                errors.add("reviewId", "not a duty review of this district under your scope")
        errors.raise_if_any("the rectification item is invalid")
        item = RectificationItem(
            unit_path=data.unit_path,
            unit_name=data.unit_name.strip(),
            problem=data.problem.strip(),
            measure=data.measure.strip(),
            leader=data.leader.strip(),
            deadline=data.deadline,
            review_id=data.review_id,
            created_by=self.principal.user_id,
            created_by_name=self.principal.name,
        )
        self.session.add(item)
        await self.session.flush()
        await self.session.refresh(item)
        await audit.record(
            self.session, "training.rectification.listed", subject_type="rectification_item", subject_id=str(item.id)
        )
        return item

    async def page(
        self,
        *,
        unit_path: str | None,
        review_id: UUID | None,
        state: str,
        overdue: bool | None,
        cursor: str | None,
        limit: int,
    ) -> tuple[list[RectificationItem], str | None]:
        """``state`` open (by deadline: the overdue first) or done; ``unitPath`` keeps the items of units under it."""
        query = select(RectificationItem)
        if self.principal.scope is not None:
            query = query.where(under(RectificationItem.unit_path, self.principal.scope))
        if unit_path is not None:
            query = query.where(under(RectificationItem.unit_path, unit_path))
        if review_id is not None:
            query = query.where(RectificationItem.review_id == review_id)
        if state == "open":
            query = query.where(RectificationItem.done_at.is_(None))
        else:
            query = query.where(RectificationItem.done_at.is_not(None))
        if overdue is True:
            query = query.where(RectificationItem.done_at.is_(None), RectificationItem.deadline < china_today())
        elif overdue is False:
            query = query.where(RectificationItem.deadline >= china_today())
        return await page(self.items, query, BY_DEADLINE, cursor=cursor, limit=limit)

    async def progress(self, item_id: UUID, data: ProgressWrite) -> RectificationItem:
        item = await self.get(item_id, for_update=True)
        if item.done_at is not None:
            raise conflict("the item is ticked off: its schedule is closed")
        values = {"note": data.note.strip(), "recorded_at": now(), "recorded_by_name": self.principal.name}
        await self.session.execute(
            insert(RectificationProgress)
            .values(item_id=item.id, month=data.month, **values)
            .on_conflict_do_update(constraint="uq_rectification_progress_tenant_item_month", set_=values)
        )
        await audit.record(
            self.session, "training.rectification.progress", subject_type="rectification_item", subject_id=str(item.id)
        )
        return item

    async def tick_off(self, item_id: UUID, data: DoneWrite) -> RectificationItem:
        item = await self.get(item_id, for_update=True)
        if item.done_at is not None:
            raise conflict("the item is already ticked off")
        item.done_at = now()
        item.done_note = data.note.strip()
        item.done_by_name = self.principal.name
        await self.session.flush()
        await self.session.refresh(item)
        await audit.record(
            self.session, "training.rectification.done", subject_type="rectification_item", subject_id=str(item.id)
        )
        return item

    async def progress_of(self, items: Sequence[RectificationItem]) -> dict[UUID, list[RectificationProgress]]:
        ids = [i.id for i in items]
        found: dict[UUID, list[RectificationProgress]] = {i: [] for i in ids}
        if ids:
            for row in await self.session.scalars(
                select(RectificationProgress)
                .where(RectificationProgress.item_id.in_(ids))
                .order_by(RectificationProgress.month)
            ):
                found[row.item_id].append(row)
        return found

    async def secretaries(self, items: Sequence[RectificationItem]) -> dict[UUID, str]:
        ids = {i.review_id for i in items if i.review_id is not None}
        if not ids:
            return {}
        rows = await self.session.execute(
            select(DutyReview.id, DutyReview.secretary_name).where(DutyReview.id.in_(ids))
        )
        return dict(rows.all())
