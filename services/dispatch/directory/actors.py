"""Event handlers of the dispatch service (directory): orgtree's facts kept in step (EVT-10, EVT-11)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory import services as directory
from services.dispatch.events import consumer
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

TRANSFERRED = "党员组织关系已转接,原派单撤回"
REMOVED = "党员已离开本区名册,原派单撤回"


@consumer.on(GridCreated)
async def grid_created(session: AsyncSession, event: GridCreated) -> None:
    await directory.upsert_grid(session, event.grid_id, event.name, event.path, event.ancestors)


@consumer.on(GridLeaderChanged)
async def grid_leader_changed(session: AsyncSession, event: GridLeaderChanged) -> None:
    await directory.set_leader(session, event.grid_id, event.member_id)


@consumer.on(HouseholdPlaced)
async def household_placed(session: AsyncSession, event: HouseholdPlaced) -> None:
    await directory.place_household(session, event.household_id, event.grid_id)


@consumer.on(HouseholdLinked)
async def household_linked(session: AsyncSession, event: HouseholdLinked) -> None:
    await directory.link(session, event.household_id, event.member_id)


@consumer.on(HouseholdUnlinked)
async def household_unlinked(session: AsyncSession, event: HouseholdUnlinked) -> None:
    await directory.unlink(session, event.household_id, event.member_id)


@consumer.on(MemberCreated)
async def member_created(session: AsyncSession, event: MemberCreated) -> None:
    await directory.member_volunteer(session, event.member_id, grid_id=event.grid_id, user_id=event.user_id,
                                     update=False)  # fmt: skip


@consumer.on(MemberUpdated)
async def member_updated(session: AsyncSession, event: MemberUpdated) -> None:
    await directory.member_volunteer(session, event.member_id, grid_id=event.grid_id, user_id=event.user_id,
                                     update=True)  # fmt: skip


@consumer.on(MemberTransferred)
async def member_transferred(session: AsyncSession, event: MemberTransferred) -> None:
    await directory.member_left(session, event.member_id, reason=TRANSFERRED, removed=False)


@consumer.on(MemberRemoved)
async def member_removed(session: AsyncSession, event: MemberRemoved) -> None:
    await directory.member_left(session, event.member_id, reason=REMOVED, removed=True)
