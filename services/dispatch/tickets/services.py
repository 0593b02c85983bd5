"""Tickets at the hotline desk: intake, placement, duplicates, merging, listing and what each caller may see."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.catalogue.services import category, district_settings, item
from services.dispatch.clocks import timers
from services.dispatch.models import (
    OPEN_STATUSES,
    DirectoryGrid,
    DirectoryHousehold,
    DispatchSettings,
    Offer,
    Provider,
    Ticket,
    TicketHistory,
    TicketStatus,
)
from services.dispatch.settings import get_dispatch_settings
from services.dispatch.tickets.history import record
from services.dispatch.tickets.intake import changed_values, check_intake, next_number, phone_key, protect_caller
from services.dispatch.tickets.schemas import DuplicateView, TicketClassify, TicketCreate
from services.dispatch.tickets.transitions import move
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketCreated
from shared.http.problems import FieldErrors, conflict, invalid, missing
from shared.logging import get_logger
from shared.messaging.outbox import publish

log = get_logger(__name__)


def visible_to(query: Select[Any], principal: Principal) -> Select[Any]:
    """Narrow a ticket query to what ``principal`` may see (RLS has already narrowed it to the district)."""
    if principal.has_role(*STAFF):
        if is_operator(principal) or principal.scope is None:
            return query
        return query.where(Ticket.grid_path >= principal.scope, Ticket.grid_path < principal.scope + "~")
    conditions = [Ticket.caller_user_id == principal.user_id]
    if principal.has_role(Role.VOLUNTEER, Role.MEMBER):
        mine = select(Provider.id).where(Provider.user_id == principal.user_id)
        conditions.append(Ticket.provider_id.in_(mine))
        conditions.append(Ticket.id.in_(select(Offer.ticket_id).where(Offer.provider_id.in_(mine))))
    return query.where(or_(*conditions))


class TicketService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.settings: DispatchSettings | None = None  # the district's hotline rules, once read

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket:
        query = visible_to(select(Ticket).where(Ticket.id == ticket_id), self.principal)
        if for_update:
            query = query.with_for_update()
        ticket: Ticket | None = await self.session.scalar(query)
        if ticket is None:
            raise missing("ticket")
        return ticket

    async def _place(self, household_id: UUID | None, grid_id: UUID | None) -> DirectoryGrid | None:
        """The grid of the household if one is named, else the named grid; 422 for ids the district lacks."""
        if household_id is not None:
            household = await self.session.get(DirectoryHousehold, household_id)
            if household is None:
                raise invalid("householdId", "not a household of this district")
            if grid_id is not None and household.grid_id != grid_id:
                raise invalid("gridId", "the household is in another grid")
            grid_id = household.grid_id
        if grid_id is None:
            return None
        grid = await self.session.get(DirectoryGrid, grid_id)
        if grid is None:
            raise invalid("gridId", "not a grid of this district")
        return grid

    async def create(self, data: TicketCreate, *, caller_user_id: UUID | None = None) -> Ticket:
        """Take a request in (the caller, the place, the category) and start its resolution clock; routing
        follows off the request path (``TicketCreated``)."""
        errors = FieldErrors()
        check_intake(errors, channel=data.channel, priority=data.priority, scope_kind=data.scope_kind,
                     difficulty=data.difficulty, caller_phone=data.caller_phone)  # fmt: skip
        if (data.latitude is None) != (data.longitude is None):
            errors.add("longitude" if data.longitude is None else "latitude", "give latitude and longitude together")
        errors.raise_if_any("the ticket has invalid fields")
        self.settings = await district_settings(self.session)
        chosen = await category(self.session, data.category_id) if data.category_id else None
        if data.item_id is not None:
            await item(self.session, data.item_id, chosen.id if chosen else None)
        grid = await self._place(data.household_id, data.grid_id)
        created = now()
        ticket = Ticket(
            number=await next_number(self.session, created.date()), channel=data.channel, priority=data.priority,
            category_id=chosen.id if chosen else None, item_id=data.item_id, title=data.title.strip(),
            description=data.description.strip(), scope_kind=data.scope_kind, difficulty=data.difficulty,
            household_id=data.household_id, grid_id=grid.grid_id if grid else None,
            grid_path=grid.path if grid else None, unit_id=grid.grid_id if grid else None,
            latitude=data.latitude, longitude=data.longitude, caller_user_id=caller_user_id,
            created_by=None if caller_user_id else self.principal.user_id, status=TicketStatus.NEW, level_rank=0,
        )  # fmt: skip
        await protect_caller(self.session, ticket, name=data.caller_name, phone=data.caller_phone,
                             address=data.address)  # fmt: skip
        self.session.add(ticket)
        await self.session.flush()
        await timers.start_resolution(self.session, ticket, fresh=True)
        await record(self.session, ticket, "created", details={"channel": ticket.channel})
        await audit.record(self.session, "dispatch.ticket.created", subject_type="ticket", subject_id=str(ticket.id))
        await publish(self.session, TicketCreated(
            tenant_id=require_tenant(), ticket_id=ticket.id, channel=ticket.channel, category_id=ticket.category_id,
            grid_id=ticket.grid_id, priority=ticket.priority,
        ))  # fmt: skip
        return ticket

    async def duplicates(self, ticket: Ticket) -> list[DuplicateView]:
        """Open tickets of the same household, address or caller and category within the district's window."""
        settings = self.settings or await district_settings(self.session)
        since = ticket.created_at - timedelta(days=settings.duplicate_window_days)
        same = [
            (Ticket.household_id == ticket.household_id) if ticket.household_id else None,
            (Ticket.address_index == ticket.address_index) if ticket.address_index else None,
            (Ticket.caller_phone_index == ticket.caller_phone_index) if ticket.caller_phone_index else None,
        ]
        matches = [condition for condition in same if condition is not None]
        if not matches:
            return []
        query = select(Ticket).where(
            Ticket.id != ticket.id, Ticket.status.in_(OPEN_STATUSES), Ticket.created_at >= since, or_(*matches)
        )
        if ticket.category_id is not None:
            query = query.where(Ticket.category_id == ticket.category_id)
        rows = await self.session.scalars(query.order_by(Ticket.created_at.desc()).limit(10))
        return [duplicate_view(row, ticket) for row in rows]

    async def classify(self, ticket_id: UUID, data: TicketClassify) -> Ticket:
        ticket = await self.get(ticket_id, for_update=True)
        if ticket.status not in (TicketStatus.NEW, TicketStatus.ROUTING):
            raise conflict("only a ticket nobody has signed for yet can be reclassified or moved")
        values = changed_values(data)
        errors = FieldErrors()
        errors.choice("priority", values.get("priority"), ("normal", "urgent", "emergency"))
        errors.choice("scopeKind", values.get("scope_kind"), ("common", "individual"))
        errors.choice("difficulty", values.get("difficulty"), ("solvable_now", "hard"))
        errors.raise_if_any("the classification has invalid fields")
        if "category_id" in values:
            ticket.category_id = (await category(self.session, values["category_id"])).id
        if values.get("item_id") is not None:
            await item(self.session, values["item_id"], ticket.category_id)
        if "item_id" in values:
            ticket.item_id = values["item_id"]
        if "household_id" in values or "grid_id" in values:
            household_id = values.get("household_id", ticket.household_id)
            grid = await self._place(household_id, values.get("grid_id"))
            ticket.household_id = household_id
            if grid is not None:
                ticket.grid_id, ticket.grid_path, ticket.unit_id = grid.grid_id, grid.path, grid.grid_id
        for key in ("priority", "scope_kind", "difficulty"):
            if key in values:
                setattr(ticket, key, values[key])
        await record(self.session, ticket, "classified", details={"fields": sorted(values)})
        await audit.record(self.session, "dispatch.ticket.classified", subject_type="ticket", subject_id=str(ticket.id),
                           detail={"fields": sorted(values)})  # fmt: skip
        # Routing runs again off the request path, now that the ticket may have what it lacked.
        await publish(self.session, TicketCreated(
            tenant_id=require_tenant(), ticket_id=ticket.id, channel=ticket.channel, category_id=ticket.category_id,
            grid_id=ticket.grid_id, priority=ticket.priority,
        ))  # fmt: skip
        return ticket

    async def merge(self, ticket_id: UUID, into_id: UUID, reason: str) -> Ticket:
        if ticket_id == into_id:
            raise invalid("intoTicketId", "a ticket cannot be merged into itself")
        ticket = await self.get(ticket_id, for_update=True)
        target = await self.session.scalar(
            visible_to(select(Ticket).where(Ticket.id == into_id), self.principal).with_for_update()
        )
        if target is None:
            raise invalid("intoTicketId", "not a ticket of this district")
        if target.status not in OPEN_STATUSES:
            raise conflict("a ticket can only be merged into an open ticket")
        ticket.merged_into_id = target.id
        await move(self.session, ticket, TicketStatus.MERGED, "merged", reason=reason,
                   details={"into": str(target.id), "intoNumber": target.number})  # fmt: skip
        absorbed = {"from": str(ticket.id), "fromNumber": ticket.number}
        await record(self.session, target, "absorbed", reason=reason, details=absorbed)
        await audit.record(self.session, "dispatch.ticket.merged", subject_type="ticket", subject_id=str(ticket.id),
                           detail={"into": str(target.id)})  # fmt: skip
        return ticket

    async def cancel(self, ticket_id: UUID, reason: str) -> Ticket:
        ticket = await self.get(ticket_id, for_update=True)
        await move(self.session, ticket, TicketStatus.CANCELLED, "cancelled", reason=reason)
        await audit.record(self.session, "dispatch.ticket.cancelled", subject_type="ticket", subject_id=str(ticket.id))
        return ticket

    async def page(self, *, status: str | None, grid_id: UUID | None, after: str | None,
                   limit: int) -> tuple[list[Ticket], str | None]:  # fmt: skip
        """Newest first, keyset-paged on (created_at, id)."""
        query = visible_to(select(Ticket), self.principal)
        if status is not None:
            query = query.where(Ticket.status == status)
        if grid_id is not None:
            query = query.where(Ticket.grid_id == grid_id)
        if after is not None:
            stamp, _, raw_id = after.partition("_")
            try:
                key = (datetime.fromisoformat(stamp), UUID(raw_id))
            except ValueError:
                raise invalid("query.after", "not a cursor returned by a previous page") from None
            query = query.where(tuple_(Ticket.created_at, Ticket.id) < key)
        rows: list[Ticket] = list(await self.session.scalars(
            query.order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit + 1)
        ))  # fmt: skip
        more = len(rows) > limit
        rows = rows[:limit]
        cursor = f"{rows[-1].created_at.isoformat()}_{rows[-1].id}" if more and rows else None
        return rows, cursor

    async def history(self, ticket_id: UUID) -> list[TicketHistory]:
        ticket = await self.get(ticket_id)
        rows = await self.session.scalars(
            select(TicketHistory).where(TicketHistory.ticket_id == ticket.id).order_by(TicketHistory.at,
                                                                                      TicketHistory.id)
        )  # fmt: skip
        return list(rows)

    async def earlier_tickets(self, phone: str) -> list[Ticket]:
        key = await phone_key(self.session, phone)
        rows = await self.session.scalars(
            visible_to(select(Ticket).where(Ticket.caller_phone_index == key), self.principal)
            .order_by(Ticket.created_at.desc()).limit(20)
        )  # fmt: skip
        return list(rows)


def duplicate_view(row: Ticket, of: Ticket | None = None) -> DuplicateView:
    same = []
    if of is not None:
        if of.household_id and row.household_id == of.household_id:
            same.append("household")
        if of.address_index and row.address_index == of.address_index:
            same.append("address")
        if of.caller_phone_index and row.caller_phone_index == of.caller_phone_index:
            same.append("caller")
    return DuplicateView(id=row.id, number=row.number, title=row.title, status=row.status,
                         created_at=row.created_at, same=same)  # fmt: skip


async def orgtree_households(
    phone: str, authorization: str | None, request_id: str | None
) -> list[dict[str, object]] | None:
    """Households with this phone, from orgtree, asked with the operator's own token (orgtree checks it and
    masks the answer). None when orgtree cannot be reached: the desk still sees earlier tickets."""
    settings = get_dispatch_settings()
    headers = {"Authorization": authorization or ""}
    if request_id:
        headers["X-Request-ID"] = request_id
    try:
        async with httpx.AsyncClient(base_url=settings.orgtree_url, timeout=settings.orgtree_timeout_s) as client:
            response = await client.post("/api/orgtree/households/lookup", json={"phone": phone}, headers=headers)
    except httpx.HTTPError as exc:
        log.warning("orgtree household lookup failed", error=type(exc).__name__)
        return None
    if response.status_code != 200:
        log.warning("orgtree household lookup refused", status=response.status_code)
        return None
    body = response.json()
    return list(body) if isinstance(body, list) else None
