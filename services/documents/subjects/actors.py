"""The subject directory kept in step with orgtree's grids, members and households and dispatch's tickets and
wishes (with who holds an order or claimed a wish: they file its photos).

Every handler is an upsert under the subject's row lock, so a redelivered event writes the same row again and
events of one subject arriving out of order leave the facts each of them alone carries.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.events import consumer
from services.documents.library.models import SubjectKind
from services.documents.subjects.directory import (
    GRID,
    grid_arrived,
    locked,
    member_path,
    place,
    remember,
    remove_member,
    settle,
)
from shared.contracts.dispatch import TicketAssigned, TicketCreated, TicketReleased, TicketResolved, WishClaimed
from shared.contracts.orgtree import (
    GridCreated,
    HouseholdPlaced,
    MemberCreated,
    MemberRemoved,
    MemberTransferred,
    MemberUpdated,
)


@consumer.on(GridCreated)
async def grid_created(session: AsyncSession, event: GridCreated) -> None:
    if event.path:
        await remember(session, GRID, event.grid_id, event.path, name=event.name or None)
        await grid_arrived(session, event.grid_id, event.path)


@consumer.on(HouseholdPlaced)
async def household_placed(session: AsyncSession, event: HouseholdPlaced) -> None:
    await place(session, SubjectKind.HOUSEHOLD, event.household_id, event.grid_id)


@consumer.on(MemberCreated)
async def member_created(session: AsyncSession, event: MemberCreated) -> None:
    # an update or transfer that arrived first carries newer places: the creation fills in only what is missing
    row, made = await locked(session, SubjectKind.MEMBER, event.member_id)
    if made or (row.grid_id is None and row.grid_path is None):
        row.grid_id, row.grid_path = event.grid_id, event.grid_path or None
    row.branch_path = row.branch_path or event.branch_path or None
    row.name = row.name or event.name or None
    row.user_id = row.user_id or event.user_id
    await settle(session, row, member_path(row))


@consumer.on(MemberUpdated)
async def member_updated(session: AsyncSession, event: MemberUpdated) -> None:
    row, _ = await locked(session, SubjectKind.MEMBER, event.member_id)
    if event.grid_id is None:  # the member as it now stands has no grid: they read like their branch
        row.grid_id, row.grid_path = None, None
    elif event.grid_path:
        row.grid_id, row.grid_path = event.grid_id, event.grid_path
    row.name = event.name or row.name
    row.user_id = event.user_id or row.user_id
    await settle(session, row, member_path(row))


@consumer.on(MemberTransferred)
async def member_transferred(session: AsyncSession, event: MemberTransferred) -> None:
    # a member with a grid stays with the grid; one without moves with the branch
    row, _ = await locked(session, SubjectKind.MEMBER, event.member_id)
    row.branch_path = event.to_branch_path or row.branch_path
    await settle(session, row, member_path(row))


@consumer.on(MemberRemoved)
async def member_removed(session: AsyncSession, event: MemberRemoved) -> None:
    await remove_member(session, event.member_id)


@consumer.on(TicketCreated)
async def ticket_created(session: AsyncSession, event: TicketCreated) -> None:
    await place(session, SubjectKind.TICKET, event.ticket_id, event.grid_id)


@consumer.on(TicketAssigned)
async def ticket_assigned(session: AsyncSession, event: TicketAssigned) -> None:
    # the ticket's row comes with its creation; an assignment that arrives first makes it, on the district
    row, _ = await locked(session, SubjectKind.TICKET, event.ticket_id)
    row.user_id = event.provider_user_id


@consumer.on(TicketReleased)
async def ticket_released(session: AsyncSession, event: TicketReleased) -> None:
    # only the provider who gave it back lets go: a later assignment that arrived first stays
    row, _ = await locked(session, SubjectKind.TICKET, event.ticket_id)
    if event.provider_user_id is None or row.user_id == event.provider_user_id:
        row.user_id = None


@consumer.on(TicketResolved)
async def ticket_resolved(session: AsyncSession, event: TicketResolved) -> None:
    row, _ = await locked(session, SubjectKind.TICKET, event.ticket_id)
    row.user_id = None  # resolved: the work is done, the order no longer the provider's to add to


@consumer.on(WishClaimed)
async def wish_claimed(session: AsyncSession, event: WishClaimed) -> None:
    row = await place(session, SubjectKind.WISH, event.wish_id, event.grid_id)
    row.user_id = event.claimer_user_id
