"""Mandatory visits (八个必访, DSP-25, EVT-12): orgtree's ``HouseholdEventRecorded`` of one of the eight kinds
raises a visit task for each member linked to the household (its grid leader when nobody is), due after the
district's ``visitTaskDays``; the first visit to the household recorded after the event closes it
(``services.py``). Replaying the event, under its envelope id or a new one, raises nothing new."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, false, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.visits.models import VisitTask
from services.dispatch.visits.rules import MANDATORY_KINDS, member_names, member_of, shown_name, visit_rules
from services.dispatch.visits.schemas import TaskView
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.orgtree import HouseholdEventRecorded
from shared.db.paths import under
from shared.http.problems import invalid

STATES = ("open", "overdue", "closed")


async def household_event_recorded(session: AsyncSession, event: HouseholdEventRecorded) -> None:
    if event.kind not in MANDATORY_KINDS:
        return  # a bereavement or "other" asks for no mandatory visit
    # one event at a time: a replay under a new envelope id waits here and then finds the tasks raised
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"visit-task:{event.event_id}"})
    raised = await session.scalar(select(func.count()).where(VisitTask.source_event_id == event.event_id))
    if raised:
        return
    household = await session.get(DirectoryHousehold, event.household_id)
    grid = await session.get(DirectoryGrid, household.grid_id) if household and household.grid_id else None
    members: list[UUID | None] = list(dict.fromkeys(event.linked_member_ids))
    assigned_as = "linked"
    if not members:
        leader = grid.leader_member_id if grid else None
        members, assigned_as = [leader], "grid_leader" if leader else "nobody"
    task_days = (await visit_rules(session)).task_days
    raised_at = now()
    for member_id in members:
        values = {
            "tenant_id": require_tenant(),
            "source_event_id": event.event_id,
            "household_id": event.household_id,
            "grid_id": grid.grid_id if grid else None,
            "grid_path": grid.path if grid else None,
            "member_id": member_id,
            "assigned_as": assigned_as,
            "kind": event.kind,
            "occurred_on": event.occurred_on,
            "created_at": raised_at,
            "due_at": raised_at + timedelta(days=task_days),
        }
        await session.execute(pg_insert(VisitTask).values(**values).on_conflict_do_nothing())


async def task_views(session: AsyncSession, principal: Principal, tasks: list[VisitTask]) -> list[TaskView]:
    names = await member_names(session, {t.member_id for t in tasks if t.member_id})
    grid_ids = {t.grid_id for t in tasks if t.grid_id}
    grids = {
        g.grid_id: g.name
        for g in await session.scalars(select(DirectoryGrid).where(DirectoryGrid.grid_id.in_(grid_ids)))
    }
    me = await member_of(session, principal)
    at = now()
    return [
        TaskView(
            id=t.id,
            household_id=t.household_id,
            grid_id=t.grid_id,
            grid_name=grids.get(t.grid_id) if t.grid_id else None,
            member_id=t.member_id,
            member_name=shown_name(
                principal,
                names.get(t.member_id) if t.member_id else None,
                own=me is not None and me.member_id == t.member_id,
            ),
            assigned_as=t.assigned_as,
            kind=t.kind,
            kind_label=MANDATORY_KINDS.get(t.kind, t.kind),
            occurred_on=t.occurred_on,
            created_at=t.created_at,
            due_at=t.due_at,
            closed_at=t.closed_at,
            closed_by_visit_id=t.closed_by_visit_id,
            overdue=t.closed_at is None and t.due_at < at,
        )
        for t in tasks
    ]


class VisitTaskService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _visible(self, query: Select[Any]) -> Select[Any]:
        if self.principal.has_role(*STAFF):
            if is_operator(self.principal) or self.principal.scope is None:
                return query
            return query.where(under(VisitTask.grid_path, self.principal.scope))
        me = await member_of(self.session, self.principal)
        return query.where(VisitTask.member_id == me.member_id) if me else query.where(false())

    async def page(self, state: str, offset: int, limit: int) -> tuple[list[TaskView], int | None]:
        if state not in STATES:
            raise invalid("query.state", f"one of: {', '.join(STATES)}")
        query = await self._visible(select(VisitTask))
        if state == "closed":
            query = query.where(VisitTask.closed_at.is_not(None)).order_by(VisitTask.closed_at.desc())
        else:
            query = query.where(VisitTask.closed_at.is_(None))
            if state == "overdue":
                query = query.where(VisitTask.due_at < now())
            query = query.order_by(VisitTask.due_at)
        rows = list(await self.session.scalars(query.order_by(VisitTask.id).offset(offset).limit(limit + 1)))
        more = len(rows) > limit
        views = await task_views(self.session, self.principal, rows[:limit])
        return views, offset + limit if more else None
