"""The district's hotline setup: settings, service catalogue and escalation ladder."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.defaults import CATEGORIES, LADDER
from services.dispatch.models import DispatchSettings, LadderLevel, ServiceCategory, ServiceItem
from shared.context import require_tenant
from shared.http.problems import ProblemError, invalid


async def seed_district(session: AsyncSession) -> bool:
    """Give the current district its defaults once; False when it already had them (redelivery, race)."""
    created = await session.scalar(
        pg_insert(DispatchSettings)
        .values(tenant_id=require_tenant())
        .on_conflict_do_nothing(constraint="uq_dispatch_settings_tenant")
        .returning(DispatchSettings.id)
    )
    if created is None:
        return False
    for rank, spec in enumerate(CATEGORIES):
        category = ServiceCategory(
            code=spec.code, name=spec.name, mode=spec.mode, sign_for_minutes=spec.sign_for_minutes,
            arrival_minutes=spec.arrival_minutes, resolution_minutes=spec.resolution_minutes,
            working_time=spec.working_time, rank=rank,
        )  # fmt: skip
        session.add(category)
        await session.flush()
        session.add_all(
            ServiceItem(category_id=category.id, code=i.code, name=i.name, handling=i.handling, skill=i.skill)
            for i in spec.items
        )
    session.add_all(
        LadderLevel(
            rank=rank,
            code=s.code,
            name=s.name,
            org_level=s.org_level,
            resolution_minutes=s.resolution_minutes,
            issues_referral=s.issues_referral,
        )
        for rank, s in enumerate(LADDER)
    )
    await session.flush()
    return True


async def district_settings(session: AsyncSession) -> DispatchSettings:
    """The current district's hotline settings; a district dispatch has never heard of is a 404."""
    row: DispatchSettings | None = await session.scalar(select(DispatchSettings))
    if row is None:
        raise ProblemError(404, "this district has no hotline set up", title="Not Found")
    return row


async def ladder(session: AsyncSession) -> list[LadderLevel]:
    return list(await session.scalars(select(LadderLevel).order_by(LadderLevel.rank)))


async def category(session: AsyncSession, category_id: UUID, field: str = "categoryId") -> ServiceCategory:
    row = await session.get(ServiceCategory, category_id)
    if row is None or not row.active:
        raise invalid(field, "not a category of this district", "no such service category in this district")
    return row


async def item(session: AsyncSession, item_id: UUID, category_id: UUID | None) -> ServiceItem:
    row = await session.get(ServiceItem, item_id)
    if row is None or not row.active:
        raise invalid("itemId", "not an item of this district", "no such service item in this district")
    if category_id is not None and row.category_id != category_id:
        raise invalid("itemId", "not an item of the given category", "the item belongs to another category")
    return row
