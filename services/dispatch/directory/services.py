"""The directory: orgtree's grids, households, red-cell links and member volunteers, as dispatch needs them.

One function per orgtree event. Every write is an upsert that only touches a row when a value differs, so an
event replayed under a new envelope id (the inbox dedupes the same id) changes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink
from services.dispatch.providers.models import Provider, ProviderKind
from services.dispatch.providers.pre_service import catch_up, completed_at_for
from services.dispatch.routing.offers import stand_down
from shared.context import require_tenant
from shared.contracts.orgtree import (
    GridCreated,
    GridLeaderChanged,
    HouseholdLinked,
    HouseholdPlaced,
    HouseholdUnlinked,
    MemberCreated,
    MemberRemoved,
    MemberTransferred,
    MemberUpdated,
)

ACTOR = "system:dispatch-directory"
UNIQUE_MEMBER = "uq_provider_tenant_member_id"
MEMBER_VOLUNTEER_NAME = "党员志愿者"  # for events from before orgtree sent the member's name
TRANSFERRED = "党员组织关系已转接,原派单撤回"
REMOVED = "党员已离开本区名册,原派单撤回"


async def _upsert(
    session: AsyncSession, model: Any, values: dict[str, Any], follow: tuple[str, ...], **on: Any
) -> None:
    """Insert a row of ``model`` or, on the conflict ``on`` names, set its ``follow`` columns where one differs."""
    insert = pg_insert(model).values(tenant_id=require_tenant(), **values)
    set_ = {name: insert.excluded[name] for name in follow}
    where = or_(*(getattr(model, name).is_distinct_from(value) for name, value in set_.items()))
    await session.execute(insert.on_conflict_do_update(**on, set_=set_, where=where))


async def grid_created(session: AsyncSession, event: GridCreated) -> None:
    chain = [{"id": str(u.id), "level": u.level, "name": u.name} for u in event.ancestors]
    values = {"grid_id": event.grid_id, "name": event.name, "path": event.path, "ancestors": chain}
    await _upsert(session, DirectoryGrid, values, ("name", "path", "ancestors"), index_elements=[DirectoryGrid.grid_id])


async def grid_leader_changed(session: AsyncSession, event: GridLeaderChanged) -> None:
    """A leader may be named before the grid's own event arrives: the row starts bare and GridCreated fills it."""
    values = {"grid_id": event.grid_id, "name": "", "path": "", "ancestors": [], "leader_member_id": event.member_id}
    await _upsert(session, DirectoryGrid, values, ("leader_member_id",), index_elements=[DirectoryGrid.grid_id])


async def household_placed(session: AsyncSession, event: HouseholdPlaced) -> None:
    values = {"household_id": event.household_id, "grid_id": event.grid_id}
    await _upsert(session, DirectoryHousehold, values, ("grid_id",), index_elements=[DirectoryHousehold.household_id])


async def household_linked(session: AsyncSession, event: HouseholdLinked) -> None:
    await session.execute(
        pg_insert(DirectoryLink)
        .values(tenant_id=require_tenant(), household_id=event.household_id, member_id=event.member_id)
        .on_conflict_do_nothing(index_elements=[DirectoryLink.household_id, DirectoryLink.member_id])
    )


async def household_unlinked(session: AsyncSession, event: HouseholdUnlinked) -> None:
    link = (DirectoryLink.household_id == event.household_id, DirectoryLink.member_id == event.member_id)
    await session.execute(delete(DirectoryLink).where(*link))


def _volunteer(event: MemberCreated | MemberUpdated) -> dict[str, Any]:
    """The provider row of a member volunteer."""
    return {
        "kind": ProviderKind.MEMBER_VOLUNTEER,
        "name": event.name or MEMBER_VOLUNTEER_NAME,
        "member_id": event.member_id,
        "user_id": event.user_id,
        "grid_id": event.grid_id,
        "skills": [],
        "on_duty": True,
        "active": True,
        "insured": False,
    }


async def member_created(session: AsyncSession, event: MemberCreated) -> None:
    """A member is a volunteer provider, with any pre-service completion that came from training before it. A
    creation arriving after an update must not roll back the member's grid and account, so it only inserts."""
    trained = completed_at_for(event.member_id, event.user_id)
    values = _volunteer(event) | {"pre_service_completed_at": trained}
    insert = pg_insert(Provider).values(tenant_id=require_tenant(), **values)
    await session.execute(insert.on_conflict_do_nothing(constraint=UNIQUE_MEMBER))


async def member_updated(session: AsyncSession, event: MemberUpdated) -> None:
    """The member's grid, account and name follow the event (older events carry no name: it is left alone); a
    pre-service completion known by the login just linked is taken up."""
    follow = ("grid_id", "user_id", "name") if event.name else ("grid_id", "user_id")
    values = _volunteer(event) | {"pre_service_completed_at": completed_at_for(event.member_id, event.user_id)}
    await _upsert(session, Provider, values, follow, constraint=UNIQUE_MEMBER)
    await catch_up(session, event.member_id)


async def member_transferred(session: AsyncSession, event: MemberTransferred) -> None:
    await _member_left(session, event.member_id, reason=TRANSFERRED, removed=False)


async def member_removed(session: AsyncSession, event: MemberRemoved) -> None:
    await _member_left(session, event.member_id, reason=REMOVED, removed=True)


async def _member_left(session: AsyncSession, member_id: UUID, *, reason: str, removed: bool) -> None:
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
