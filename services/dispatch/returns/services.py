"""Returns by the unit a ticket is placed on (退单) and their arbitration by the unit above (退单审定, DSP-18).

A return cites jurisdiction evidence (the grid whose boundary holds the place, or the responsibility list's
owner of the catalogue item); the ticket stays open and its clocks keep running. The unit above rules within the
district's limit: upheld, the ticket is placed on the unit the ruling names; rejected, it stays. A ruling clock
that runs out passes the ruling one rung up (``overdue.py``). Every step is a row of the ticket's history.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.catalogue.models import ServiceItem
from services.dispatch.clocks.models import Deadline
from services.dispatch.closure.services import forbidden
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.escalation.notes import write_down
from services.dispatch.numbers.schemas import UnitView
from services.dispatch.returns.clock import ruling_limit, start_ruling_clock, stop_ruling_clock
from services.dispatch.returns.models import (
    DEFAULT_RULING_MINUTES,
    DEFAULT_WORKING_TIME,
    Basis,
    ReturnSetting,
    ReturnState,
    TicketReturn,
)
from services.dispatch.returns.schemas import (
    ReturnCreate,
    ReturnSettingChange,
    ReturnSettingView,
    RulingCreate,
)
from services.dispatch.returns.units import find_unit, parent_of
from services.dispatch.tickets.history import name_of
from services.dispatch.tickets.models import OPEN_STATUSES, Ticket
from services.dispatch.tickets.services import TicketService
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.db.paths import under
from shared.http.problems import conflict, invalid, missing

RULERS_AT_LARGE = (Role.DISTRICT_ADMIN, Role.HOTLINE_SUPERVISOR)  # may rule for any unit of the district
Row = tuple[TicketReturn, Ticket, Deadline | None]


def may_rule(principal: Principal, row: TicketReturn) -> bool:
    """The ruling unit's staff, or staff above it; the district admin and hotline supervisors for any unit."""
    if row.state != ReturnState.PENDING:
        return False
    if principal.has_role(*RULERS_AT_LARGE):
        return True
    return (
        principal.has_role(*STAFF) and principal.scope is not None and row.ruling_unit_path.startswith(principal.scope)
    )


def acts_for(principal: Principal, unit: UnitView) -> bool:
    """The unit's own staff (their scope is the unit), or hotline staff recording the return on its behalf."""
    return is_operator(principal) or (principal.has_role(*STAFF) and principal.scope == unit.path)


def placed_at(ticket: Ticket, unit: UnitView) -> dict[str, Any]:
    """Put the ticket on ``unit``: a grid takes the ticket's place; a unit above keeps a grid of its own subtree,
    else the ticket sits at the unit's path (its cadres see it there)."""
    before = {"unitId": str(ticket.unit_id) if ticket.unit_id else None, "gridId": str(ticket.grid_id or "") or None}
    if unit.level == "grid":
        ticket.grid_id, ticket.grid_path = unit.id, unit.path
    elif not (ticket.grid_path or "").startswith(unit.path):
        ticket.grid_id, ticket.grid_path = None, unit.path
    ticket.unit_id = unit.id
    return before


class ReturnService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets

    # reading

    def _rows(self) -> Select[TicketReturn, Ticket, Deadline]:
        query = (
            select(TicketReturn, Ticket, Deadline)
            .join(Ticket, Ticket.id == TicketReturn.ticket_id)
            .outerjoin(Deadline, Deadline.id == TicketReturn.deadline_id)
        )
        scope = self.principal.scope
        if is_operator(self.principal) or scope is None:
            return query
        return query.where(
            or_(under(TicketReturn.ruling_unit_path, scope), under(TicketReturn.returning_unit_path, scope))
        )

    async def listed(self, state: str | None, side: str | None, ticket_id: UUID | None) -> list[Row]:
        """Returns the reader may see: ``side=ruling`` those awaiting (or given) a ruling of the reader's units,
        ``side=returning`` those the reader's units made; soonest deadline first, then newest."""
        query = self._rows()
        if state is not None:
            query = query.where(TicketReturn.state == state)
        if ticket_id is not None:
            query = query.where(TicketReturn.ticket_id == ticket_id)
        scope = self.principal.scope
        if side is not None and scope is not None:
            column = TicketReturn.ruling_unit_path if side == "ruling" else TicketReturn.returning_unit_path
            query = query.where(under(column, scope))
        query = query.order_by(Deadline.due_at.asc().nulls_last(), TicketReturn.filed_at.desc()).limit(200)
        return [(r, t, d) for r, t, d in (await self.session.execute(query)).all()]

    async def one(self, return_id: UUID) -> Row:
        found = (await self.session.execute(self._rows().where(TicketReturn.id == return_id))).first()
        if found is None:
            raise missing("return")
        row, ticket, deadline = found
        return row, ticket, deadline

    async def _deadline(self, row: TicketReturn) -> Deadline | None:
        return await self.session.get(Deadline, row.deadline_id) if row.deadline_id else None

    # filing

    async def _evidence(self, data: ReturnCreate, unit: UnitView) -> dict[str, Any]:
        """The cited grid or catalogue item, checked against the district; the unit the evidence points at."""
        found: dict[str, Any] = {}
        if data.basis == Basis.GRID_BOUNDARY.value:
            if data.item_id is not None:
                raise invalid("itemId", "only a responsibility_list return cites a catalogue item")
            if data.grid_id is None:
                raise invalid("gridId", "required: the grid whose boundary holds the place")
            grid = await self.session.get(DirectoryGrid, data.grid_id)
            if grid is None or not grid.path:
                raise invalid("gridId", "not a grid of this district")
            if grid.path.startswith(unit.path):
                raise invalid("gridId", "this grid is the returning unit's own")
            found |= {"evidence_grid_id": grid.grid_id, "evidence_grid_name": grid.name}
            proposed_id = data.proposed_unit_id or grid.grid_id
        else:
            if data.grid_id is not None:
                raise invalid("gridId", "only a grid_boundary return cites a grid")
            if data.item_id is None:
                raise invalid("itemId", "required: the catalogue item whose owner the responsibility list names")
            item = await self.session.get(ServiceItem, data.item_id)
            if item is None:
                raise invalid("itemId", "not an item of this district's catalogue")
            if data.proposed_unit_id is None:
                raise invalid("proposedUnitId", "required: the unit the responsibility list names for this item")
            found |= {"evidence_item_id": item.id, "evidence_item_name": item.name}
            proposed_id = data.proposed_unit_id
        proposed = await find_unit(self.session, proposed_id)
        if proposed is None:
            raise invalid("proposedUnitId", "not a unit of this district")
        if proposed.id == unit.id:
            raise invalid("proposedUnitId", "the returning unit itself")
        return found | {"proposed_unit_id": proposed.id, "proposed_unit_name": proposed.name}

    async def file(self, data: ReturnCreate) -> Row:
        ticket = await self.tickets.get(data.ticket_id, for_update=True)
        if ticket.status not in OPEN_STATUSES:
            raise conflict(f"only an open case can be returned; this one is {ticket.status}")
        unit = await find_unit(self.session, ticket.unit_id) if ticket.unit_id else None
        if unit is None:
            raise conflict("the ticket is not placed on a unit of the directory, so no unit can return it")
        if not acts_for(self.principal, unit):
            raise forbidden(f"only {unit.name}, the unit the ticket is placed on, returns it")
        ruling = await parent_of(self.session, unit.id)
        if ruling is None:
            raise conflict(f"{unit.name} has no unit above it to rule on a return")
        pending = await self.session.scalar(
            select(TicketReturn.id).where(
                TicketReturn.ticket_id == ticket.id, TicketReturn.state == ReturnState.PENDING
            )
        )
        if pending is not None:
            raise conflict("a return of this ticket is already waiting for its ruling")
        evidence = await self._evidence(data, unit)
        deadline = await start_ruling_clock(self.session, ticket)
        await self.session.flush()
        row = TicketReturn(
            ticket_id=ticket.id,
            state=ReturnState.PENDING,
            returning_unit_id=unit.id,
            returning_unit_name=unit.name,
            returning_unit_path=unit.path,
            basis=data.basis,
            citation=data.citation.strip(),
            reason=data.reason.strip(),
            filed_by=self.principal.user_id,
            filed_by_name=(await name_of(self.session, self.principal))[0],
            filed_at=now(),
            ruling_unit_id=ruling.id,
            ruling_unit_name=ruling.name,
            ruling_unit_path=ruling.path,
            deadline_id=deadline.id,
            escalations=0,
            **evidence,
        )
        self.session.add(row)
        await self.session.flush()
        details = {
            "returnId": str(row.id),
            "basis": row.basis,
            "citation": row.citation,
            "returningUnit": unit.name,
            "rulingUnit": ruling.name,
            "proposedUnit": row.proposed_unit_name,
            "evidenceGrid": row.evidence_grid_name,
            "evidenceItem": row.evidence_item_name,
            "dueAt": deadline.due_at.isoformat(),
        }
        await write_down(self.session, ticket, "return_filed", row.reason, details, subject=("return", row.id))
        return row, ticket, deadline

    # ruling

    async def rule(self, return_id: UUID, data: RulingCreate) -> Row:
        found, _, _ = await self.one(return_id)
        ticket = await self.session.scalar(
            select(Ticket)
            .where(Ticket.id == found.ticket_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        row = await self.session.scalar(
            select(TicketReturn)
            .where(TicketReturn.id == return_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        # read under the ticket's lock; neither is ever deleted
        assert ticket is not None
        assert row is not None
        decided = ReturnState.UPHELD if data.decision == "uphold" else ReturnState.REJECTED
        if row.state != ReturnState.PENDING:
            same = row.state == decided and (
                decided == ReturnState.REJECTED or row.assigned_unit_id == data.assign_to_unit_id
            )
            if same:  # the same ruling again (a resubmitted form): answered as it stands, nothing written twice
                return row, ticket, await self._deadline(row)
            raise conflict(f"this return was already ruled on ({row.state})")
        if not may_rule(self.principal, row):
            raise forbidden(f"{row.ruling_unit_name} rules on this return, or staff above it")
        if ticket.status not in OPEN_STATUSES:
            raise conflict(f"the case is no longer open ({ticket.status}); nothing is left to rule on")
        details: dict[str, Any] = {"returnId": str(row.id), "returningUnit": row.returning_unit_name}
        if decided == ReturnState.UPHELD:
            target = await self._assignee(row, data.assign_to_unit_id)
            details |= {"from": placed_at(ticket, target), "unitId": str(target.id), "assignedUnit": target.name}
            row.assigned_unit_id, row.assigned_unit_name = target.id, target.name
        elif data.assign_to_unit_id is not None:
            raise invalid("assignToUnitId", "only an upheld return names the unit that takes the ticket")
        row.state = decided
        row.ruled_by = self.principal.user_id
        row.ruled_by_name = (await name_of(self.session, self.principal))[0]
        row.ruled_at = now()
        row.ruling_note = data.note.strip()
        await stop_ruling_clock(self.session, row.deadline_id)
        await write_down(
            self.session, ticket, f"return_{decided}", row.ruling_note, details, subject=("return", row.id)
        )
        return row, ticket, await self._deadline(row)

    async def _assignee(self, row: TicketReturn, unit_id: UUID | None) -> UnitView:
        if unit_id is None:
            raise invalid("assignToUnitId", "required to uphold a return: the unit that must take the ticket")
        target = await find_unit(self.session, unit_id)
        if target is None:
            raise invalid("assignToUnitId", "not a unit of this district")
        if target.id == row.returning_unit_id:
            raise invalid("assignToUnitId", "the returning unit itself: reject the return instead")
        return target


class ReturnSettingService:
    """The district's ruling limit, read by staff and set by the district admin."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current(self) -> ReturnSettingView:
        minutes, working = await ruling_limit(self.session)
        return ReturnSettingView(ruling_hours=minutes // 60, working_time=working)

    async def change(self, data: ReturnSettingChange) -> ReturnSettingView:
        setting = await self.session.scalar(select(ReturnSetting).with_for_update())
        if setting is None:
            setting = ReturnSetting(ruling_minutes=DEFAULT_RULING_MINUTES, working_time=DEFAULT_WORKING_TIME)
            self.session.add(setting)
        if not isinstance(data.ruling_hours, msgspec.UnsetType):
            setting.ruling_minutes = data.ruling_hours * 60
        if not isinstance(data.working_time, msgspec.UnsetType):
            setting.working_time = data.working_time
        await self.session.flush()
        detail = {"rulingMinutes": setting.ruling_minutes, "workingTime": setting.working_time}
        await audit.record(
            self.session,
            "dispatch.return.settings_changed",
            subject_type="return_setting",
            subject_id=str(setting.id),
            detail=detail,
        )
        return await self.current()
