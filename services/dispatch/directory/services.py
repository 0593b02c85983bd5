"""The directory: orgtree's grids, households, red-cell links and member volunteers, as dispatch needs them.

One function per orgtree event. Every write is an upsert that only touches a row when a value differs, so an
event replayed under a new envelope id (the inbox dedupes the same id) changes nothing.

The events that come in bulk (a district's import, the demo) also have a batch form: the events of one type in one
of the relay's batches are written by one statement, to the same effect as applying them one after the other (for
one row, the last wins where the single handler updates, the first where it only inserts). The statement takes
its rows as arrays (``unnest``), so it is built and compiled once whatever the batch's size: a multi-row VALUES of
200 rows took longer to compile than to run. Rows go in key order, so two batches writing the same rows at once
take their locks in the same order. The single handlers are these with one row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import String, Text, Uuid, bindparam, cast, delete, exists, false, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.type_api import TypeEngine

from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink, DirectoryUnitMove
from services.dispatch.directory.moves import follow_recorded_moves
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
from shared.db.base import uuid7

ACTOR = "system:dispatch-directory"
UNIQUE_MEMBER = "uq_provider_tenant_member_id"
MEMBER_VOLUNTEER_NAME = "党员志愿者"  # for events from before orgtree sent the member's name
TRANSFERRED = "党员组织关系已转接,原派单撤回"
REMOVED = "党员已离开本区名册,原派单撤回"


E = TypeVar("E")


async def _upsert(
    session: AsyncSession, model: Any, values: dict[str, Any], follow: tuple[str, ...], **on: Any
) -> None:
    """Insert a row of ``model`` or, on the conflict ``on`` names, set its ``follow`` columns where one differs."""
    insert = pg_insert(model).values(tenant_id=require_tenant(), **values)
    set_ = {name: insert.excluded[name] for name in follow}
    where = or_(*(getattr(model, name).is_distinct_from(value) for name, value in set_.items()))
    await session.execute(insert.on_conflict_do_update(**on, set_=set_, where=where))


def _rows(alias: str, /, **columns: TypeEngine[Any]) -> Any:
    """Rows given as one array per column, each bound under the column's name: ``unnest`` pairs them up."""
    arrays = [bindparam(column, type_=ARRAY(kind)) for column, kind in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=alias)


def _insert_rows(model: Any, rows: Any, columns: dict[str, Any], follow: tuple[str, ...] = (), **on: Any) -> Any:
    """INSERT of ``rows`` (the district's, bound as ``tenant_id``) that, on the conflict ``on`` names, sets the
    ``follow`` columns where one differs, or does nothing when there are none."""
    table = model.__table__  # a Core statement: the ORM's bulk path does not take INSERT ... SELECT
    values = {"tenant_id": bindparam("tenant_id", type_=Uuid()), **columns}
    insert = pg_insert(table).from_select(list(values), select(*values.values()).select_from(rows))
    if not follow:
        return insert.on_conflict_do_nothing(**on)
    set_ = {name: insert.excluded[name] for name in follow}
    where = or_(*(table.c[name].is_distinct_from(value) for name, value in set_.items()))
    return insert.on_conflict_do_update(**on, set_=set_, where=where)


_grids = _rows("grids", grid_id=Uuid(), name=String(), path=Text(), ancestors=Text())
# The grids written (inserted, or changed by a replay), and whether the district has moves kept that they may need.
_MOVES_KEPT = exists().where(DirectoryUnitMove.old_path.is_not(None)).label("moves_kept")
_GRIDS = _insert_rows(
    DirectoryGrid,
    _grids,
    {
        "grid_id": _grids.c.grid_id,
        "name": _grids.c.name,
        "path": _grids.c.path,
        "ancestors": cast(_grids.c.ancestors, JSONB),
    },
    ("name", "path", "ancestors"),
    index_elements=[DirectoryGrid.grid_id],
).returning(DirectoryGrid.__table__.c.grid_id, DirectoryGrid.__table__.c.path, _MOVES_KEPT)
_placed = _rows("placed", household_id=Uuid(), grid_id=Uuid())
_HOUSEHOLDS = _insert_rows(
    DirectoryHousehold,
    _placed,
    {"household_id": _placed.c.household_id, "grid_id": _placed.c.grid_id},
    ("grid_id",),
    index_elements=[DirectoryHousehold.household_id],
)
_linked = _rows("linked", household_id=Uuid(), member_id=Uuid())
_LINKS = _insert_rows(
    DirectoryLink,
    _linked,
    {"household_id": _linked.c.household_id, "member_id": _linked.c.member_id},
    index_elements=[DirectoryLink.household_id, DirectoryLink.member_id],
)
_members = _rows("members", id=Uuid(), member_id=Uuid(), user_id=Uuid(), grid_id=Uuid(), name=String())
# A creation arriving after an update must not roll back the member's grid and account: it only inserts.
_VOLUNTEERS = _insert_rows(
    Provider,
    _members,
    {
        "id": _members.c.id,
        "kind": literal(ProviderKind.MEMBER_VOLUNTEER, String()),
        "name": _members.c.name,
        "member_id": _members.c.member_id,
        "user_id": _members.c.user_id,
        "grid_id": _members.c.grid_id,
        "skills": literal([], ARRAY(String())),
        "on_duty": true(),
        "active": true(),
        "insured": false(),
        "pre_service_completed_at": completed_at_for(_members.c.member_id, _members.c.user_id),
    },
    constraint=UNIQUE_MEMBER,
)


def _last_per_key(events: Iterable[E], key: Callable[[E], Hashable]) -> list[E]:
    """One event per key, the last (what upserting them in turn leaves), in key order."""
    latest = {key(event): event for event in events}
    return [latest[k] for k in sorted(latest, key=str)]


def _first_per_key(events: Iterable[E], key: Callable[[E], Hashable]) -> list[E]:
    """One event per key, the first (what inserting them in turn with DO NOTHING leaves), in key order."""
    first: dict[Hashable, E] = {}
    for event in events:
        first.setdefault(key(event), event)
    return [first[k] for k in sorted(first, key=str)]


def _grid(event: GridCreated) -> dict[str, Any]:
    chain = [{"id": str(u.id), "level": u.level, "name": u.name} for u in event.ancestors]
    return {"grid_id": event.grid_id, "name": event.name, "path": event.path, "ancestors": chain}


async def grid_created(session: AsyncSession, event: GridCreated) -> None:
    await grids_created(session, [event])


async def grids_created(session: AsyncSession, events: list[GridCreated]) -> None:
    grids = [_grid(event) for event in _last_per_key(events, lambda e: e.grid_id)]
    arrays = {name: [grid[name] for grid in grids] for name in ("grid_id", "name", "path")}
    arrays["ancestors"] = [json.dumps(grid["ancestors"], ensure_ascii=False) for grid in grids]
    written = (await session.execute(_GRIDS, {"tenant_id": require_tenant(), **arrays})).all()
    if written and written[0].moves_kept:  # a unit above may have moved since these grids were made
        await follow_recorded_moves(session, {row.grid_id: row.path for row in written})


async def grid_leader_changed(session: AsyncSession, event: GridLeaderChanged) -> None:
    """A leader may be named before the grid's own event arrives: the row starts bare and GridCreated fills it."""
    values = {"grid_id": event.grid_id, "name": "", "path": "", "ancestors": [], "leader_member_id": event.member_id}
    await _upsert(session, DirectoryGrid, values, ("leader_member_id",), index_elements=[DirectoryGrid.grid_id])


async def household_placed(session: AsyncSession, event: HouseholdPlaced) -> None:
    await households_placed(session, [event])


async def households_placed(session: AsyncSession, events: list[HouseholdPlaced]) -> None:
    placed = _last_per_key(events, lambda e: e.household_id)
    arrays = {"household_id": [e.household_id for e in placed], "grid_id": [e.grid_id for e in placed]}
    await session.execute(_HOUSEHOLDS, {"tenant_id": require_tenant(), **arrays})


async def household_linked(session: AsyncSession, event: HouseholdLinked) -> None:
    await households_linked(session, [event])


async def households_linked(session: AsyncSession, events: list[HouseholdLinked]) -> None:
    links = _first_per_key(events, lambda e: (e.household_id, e.member_id))
    arrays = {"household_id": [e.household_id for e in links], "member_id": [e.member_id for e in links]}
    await session.execute(_LINKS, {"tenant_id": require_tenant(), **arrays})


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
    await members_created(session, [event])


async def members_created(session: AsyncSession, events: list[MemberCreated]) -> None:
    members = _first_per_key(events, lambda e: e.member_id)
    arrays = {
        "id": [uuid7() for _ in members],
        "member_id": [e.member_id for e in members],
        "user_id": [e.user_id for e in members],
        "grid_id": [e.grid_id for e in members],
        "name": [e.name or MEMBER_VOLUNTEER_NAME for e in members],
    }
    await session.execute(_VOLUNTEERS, {"tenant_id": require_tenant(), **arrays})


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
