"""The directory: orgtree's grids, households, red-cell links and member volunteers, as dispatch needs them.

Every write is an upsert that only touches a row when a value differs, so an event replayed under a new
envelope id (the inbox dedupes the same id) changes nothing.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import DirectoryGrid, DirectoryHousehold, DirectoryLink, Provider, ProviderKind
from services.dispatch.routing.services import stand_down
from shared.context import require_tenant
from shared.contracts.orgtree import UnitRef

ACTOR = "system:dispatch-directory"
UNIQUE_MEMBER = "uq_provider_tenant_member_id"
MEMBER_VOLUNTEER_NAME = "党员志愿者"  # orgtree sends no personal data; the console shows the member from orgtree


async def upsert_grid(session: AsyncSession, grid_id: UUID, name: str, path: str, ancestors: list[UnitRef]) -> None:
    chain = [{"id": str(u.id), "level": u.level, "name": u.name} for u in ancestors]
    insert = pg_insert(DirectoryGrid).values(tenant_id=require_tenant(), grid_id=grid_id, name=name, path=path,
                                             ancestors=chain)  # fmt: skip
    await session.execute(insert.on_conflict_do_update(
        index_elements=[DirectoryGrid.grid_id],
        set_={"name": insert.excluded.name, "path": insert.excluded.path, "ancestors": insert.excluded.ancestors},
        where=or_(
            DirectoryGrid.name.is_distinct_from(insert.excluded.name),
            DirectoryGrid.path.is_distinct_from(insert.excluded.path),
            DirectoryGrid.ancestors.is_distinct_from(insert.excluded.ancestors),
        ),
    ))  # fmt: skip


async def set_leader(session: AsyncSession, grid_id: UUID, member_id: UUID | None) -> None:
    """A leader may be named before the grid's own event arrives: the row starts bare and GridCreated fills it."""
    insert = pg_insert(DirectoryGrid).values(tenant_id=require_tenant(), grid_id=grid_id, name="", path="",
                                             ancestors=[], leader_member_id=member_id)  # fmt: skip
    await session.execute(insert.on_conflict_do_update(
        index_elements=[DirectoryGrid.grid_id], set_={"leader_member_id": insert.excluded.leader_member_id},
        where=DirectoryGrid.leader_member_id.is_distinct_from(insert.excluded.leader_member_id),
    ))  # fmt: skip


async def place_household(session: AsyncSession, household_id: UUID, grid_id: UUID) -> None:
    insert = pg_insert(DirectoryHousehold).values(tenant_id=require_tenant(), household_id=household_id,
                                                  grid_id=grid_id)  # fmt: skip
    await session.execute(insert.on_conflict_do_update(
        index_elements=[DirectoryHousehold.household_id], set_={"grid_id": insert.excluded.grid_id},
        where=DirectoryHousehold.grid_id.is_distinct_from(insert.excluded.grid_id),
    ))  # fmt: skip


async def link(session: AsyncSession, household_id: UUID, member_id: UUID) -> None:
    await session.execute(
        pg_insert(DirectoryLink)
        .values(tenant_id=require_tenant(), household_id=household_id, member_id=member_id)
        .on_conflict_do_nothing(index_elements=[DirectoryLink.household_id, DirectoryLink.member_id])
    )


async def unlink(session: AsyncSession, household_id: UUID, member_id: UUID) -> None:
    await session.execute(
        delete(DirectoryLink).where(DirectoryLink.household_id == household_id, DirectoryLink.member_id == member_id)
    )


async def member_volunteer(session: AsyncSession, member_id: UUID, *, grid_id: UUID | None, user_id: UUID | None,
                           update: bool) -> None:  # fmt: skip
    """A member is a volunteer provider. ``update``: the member's grid and account follow the event (a creation
    arriving after an update must not roll those back, so it only inserts)."""
    insert = pg_insert(Provider).values(
        tenant_id=require_tenant(), kind=ProviderKind.MEMBER_VOLUNTEER, name=MEMBER_VOLUNTEER_NAME,
        member_id=member_id, user_id=user_id, grid_id=grid_id, skills=[], on_duty=True, active=True, insured=False,
    )  # fmt: skip
    if not update:
        await session.execute(insert.on_conflict_do_nothing(constraint=UNIQUE_MEMBER))
        return
    await session.execute(insert.on_conflict_do_update(
        constraint=UNIQUE_MEMBER, set_={"grid_id": insert.excluded.grid_id, "user_id": insert.excluded.user_id},
        where=or_(
            Provider.grid_id.is_distinct_from(insert.excluded.grid_id),
            Provider.user_id.is_distinct_from(insert.excluded.user_id),
        ),
    ))  # fmt: skip


async def member_left(session: AsyncSession, member_id: UUID, *, reason: str, removed: bool) -> None:
    """EVT-10: a member transferred or taken off the rolls stops receiving orders here; open offers are
    withdrawn and a ticket signed for but not yet reached goes back to routing. Removed: the provider is
    deactivated and the member's red-cell links go (orgtree deletes them without events)."""
    provider: Provider | None = await session.scalar(select(Provider).where(Provider.member_id == member_id))
    if removed:
        await session.execute(delete(DirectoryLink).where(DirectoryLink.member_id == member_id))
    if provider is None:
        return
    if removed and provider.active:
        provider.active = False
        await session.flush()
    await stand_down(session, provider, reason=reason, actor=ACTOR)
