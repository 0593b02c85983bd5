"""Tickets at the hotline desk: intake, placement, duplicates, merging, listing and what each caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.catalogue.services import CatalogueService
from services.dispatch.clocks import timers
from services.dispatch.clocks.models import Deadline
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold
from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.numbers.services import number_owner
from services.dispatch.providers.models import Provider
from services.dispatch.routing.models import Offer
from services.dispatch.stages.notices import stage_reached
from services.dispatch.stages.steps import Step
from services.dispatch.tickets.history import record
from services.dispatch.tickets.intake import (
    PERSONAL_FIELDS,
    address_key,
    changed_values,
    check_intake,
    check_phone,
    next_number,
    phone_key,
    protect_caller,
)
from services.dispatch.tickets.models import OPEN_STATUSES, Ticket, TicketHistory, TicketStatus
from services.dispatch.tickets.schemas import (
    DuplicateProbe,
    DuplicateView,
    RunningClock,
    TicketClassify,
    TicketCreate,
)
from services.dispatch.tickets.transitions import move
from services.dispatch.tickets.views import duplicate_view
from shared import audit
from shared.auth.principal import Principal, Role
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import TicketCreated
from shared.db.repository import Keyset, Repository
from shared.http.problems import FieldErrors, conflict, invalid
from shared.http.views import view
from shared.messaging.outbox import publish
from shared.privacy import data_key, reveal

# The clocks a desk counts down (a referral notice's date is the street's business, not the desk's).
DESK_CLOCKS = ("sign_for", "arrival", "resolution", "red")


@dataclass(frozen=True, slots=True)
class Likeness:
    """What makes two calls alike: the household, the address, the caller and the category."""

    household_id: UUID | None
    address_index: bytes | None
    caller_phone_index: bytes | None
    category_id: UUID | None


# Newest first; a cursor reads "<created_at in ISO 8601>_<id>".
NEWEST_FIRST = Keyset(Ticket.created_at, Ticket.id, descending=True, separator="_", parse=datetime.fromisoformat)


# What a possible duplicate is shown by and compared on: not the whole ticket (a busy household's ten open tickets
# were loaded whole with every call it made).
_ALIKE_COLUMNS = (
    Ticket.id,
    Ticket.number,
    Ticket.title,
    Ticket.status,
    Ticket.created_at,
    Ticket.category_id,
    Ticket.household_id,
    Ticket.address_index,
    Ticket.caller_phone_index,
)


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


class TicketRepository(Repository[Ticket]):
    model_type = Ticket
    noun = "ticket"


class TicketService:
    def __init__(
        self, session: AsyncSession, principal: Principal, repository: TicketRepository, catalogue: CatalogueService
    ) -> None:
        self.session = session
        self.principal = principal
        self.repository = repository
        self.catalogue = catalogue

    def _visible(self, ticket_id: UUID, *, for_update: bool) -> Select[Any]:
        query = visible_to(select(Ticket).where(Ticket.id == ticket_id), self.principal)
        return query.with_for_update() if for_update else query

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket:
        return await self.repository.one_or_404(self._visible(ticket_id, for_update=for_update))

    async def _place(self, household_id: UUID | None, grid_id: UUID | None) -> DirectoryGrid | None:
        """The grid of the household if one is named, else the named grid; 422 for ids the district lacks."""
        if household_id is not None:  # the household with its grid, in one statement
            found = (
                await self.session.execute(
                    select(DirectoryHousehold.grid_id, DirectoryGrid)
                    .outerjoin(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id)
                    .where(DirectoryHousehold.household_id == household_id)
                )
            ).first()
            if found is None:
                raise invalid("householdId", "not a household of this district")
            if grid_id is not None and found.grid_id != grid_id:
                raise invalid("gridId", "the household is in another grid")
            if found.grid_id is None:
                return None
            if found.DirectoryGrid is None:
                raise invalid("gridId", "not a grid of this district")
            household_grid: DirectoryGrid = found.DirectoryGrid
            return household_grid
        if grid_id is None:
            return None
        grid = await self.session.get(DirectoryGrid, grid_id)
        if grid is None:
            raise invalid("gridId", "not a grid of this district")
        return grid

    async def _audit(self, action: str, ticket: Ticket, detail: dict[str, Any] | None = None) -> None:
        await audit.record(
            self.session, f"dispatch.ticket.{action}", subject_type="ticket", subject_id=str(ticket.id), detail=detail
        )

    async def _route(self, ticket: Ticket) -> None:
        """Routing runs off the request path, on the ticket's ``TicketCreated`` event."""
        await publish(self.session, view(TicketCreated, ticket, tenant_id=require_tenant(), ticket_id=ticket.id))

    async def create(self, data: TicketCreate, *, caller_user_id: UUID | None = None) -> Ticket:
        """Take a request in (the caller, the place, the category) and start its resolution clock; routing
        follows off the request path (``TicketCreated``)."""
        errors = FieldErrors()
        check_intake(
            errors,
            channel=data.channel,
            priority=data.priority,
            scope_kind=data.scope_kind,
            difficulty=data.difficulty,
            caller_phone=data.caller_phone,
        )
        if (data.latitude is None) != (data.longitude is None):
            errors.add("longitude" if data.longitude is None else "latitude", "give latitude and longitude together")
        errors.raise_if_any("the ticket has invalid fields")
        await self.catalogue.settings_for_call(data.category_id, data.item_id)
        chosen = await self.catalogue.category(data.category_id) if data.category_id else None
        if data.item_id is not None:
            await self.catalogue.item(data.item_id, chosen.id if chosen else None)
        owner = await number_owner(self.session, data.dialled_number) if data.dialled_number else None
        grid = await self._place(data.household_id, data.grid_id)
        grid_path, unit_id = (grid.path, grid.grid_id) if grid else (None, None)
        if owner is not None and (grid is None or grid.path.startswith(owner.unit_path)):
            # DSP-02: the unit that owns the dialled number takes the call; without a household it is placed there.
            grid_path, unit_id = grid_path or owner.unit_path, owner.unit_id
        ticket = Ticket(
            number=await next_number(self.session, now().date()),
            channel=data.channel,
            priority=data.priority,
            category_id=chosen.id if chosen else None,
            item_id=data.item_id,
            title=data.title.strip(),
            description=data.description.strip(),
            scope_kind=data.scope_kind,
            difficulty=data.difficulty,
            household_id=data.household_id,
            grid_id=grid.grid_id if grid else None,
            grid_path=grid_path,
            unit_id=unit_id,
            dialled_number=owner.number if owner else None,
            latitude=data.latitude,
            longitude=data.longitude,
            caller_user_id=caller_user_id,
            created_by=None if caller_user_id else self.principal.user_id,
            status=TicketStatus.NEW,
            level_rank=0,
        )
        await protect_caller(self.session, ticket, name=data.caller_name, phone=data.caller_phone, address=data.address)
        self.session.add(ticket)
        await self.session.flush()
        await timers.start_resolution(self.session, ticket, fresh=True)
        await record(self.session, ticket, "created", details=self._intake_details(ticket, owner))
        await self._audit("created", ticket)
        await stage_reached(self.session, ticket, Step.COLLECT, classified=ticket.category_id is not None)
        await self._route(ticket)
        return ticket

    @staticmethod
    def _intake_details(ticket: Ticket, owner: HotlineNumber | None) -> dict[str, Any]:
        """The intake row's facts: the channel, whether it was classified at once (DSP-17) and the number dialled
        with the unit that owns it (DSP-02)."""
        details: dict[str, Any] = {"channel": ticket.channel, "classified": ticket.category_id is not None}
        if owner is not None:
            details["dialledNumber"], details["numberUnit"] = owner.number, owner.unit_name
            details["numberUnitId"] = str(owner.unit_id)
            details["placedAtNumberUnit"] = ticket.unit_id == owner.unit_id
        return details

    async def duplicates(self, ticket: Ticket) -> list[DuplicateView]:
        """Open tickets of the same household, address or caller and category within the district's window."""
        return await self._alike(ticket, since=ticket.created_at, exclude=ticket.id)

    async def probe_duplicates(self, data: DuplicateProbe) -> list[DuplicateView]:
        """The same question before a ticket exists: what the operator has of the call so far."""
        errors = FieldErrors()
        check_phone(errors, "callerPhone", data.caller_phone)
        errors.raise_if_any("the call has invalid fields")
        call = Likeness(
            household_id=data.household_id,
            address_index=await address_key(self.session, data.address) if data.address else None,
            caller_phone_index=await phone_key(self.session, data.caller_phone) if data.caller_phone else None,
            category_id=data.category_id,
        )
        return await self._alike(call, since=now(), exclude=None)

    async def _alike(self, call: Ticket | Likeness, *, since: datetime, exclude: UUID | None) -> list[DuplicateView]:
        settings = await self.catalogue.settings()
        same = [
            (Ticket.household_id == call.household_id) if call.household_id else None,
            (Ticket.address_index == call.address_index) if call.address_index else None,
            (Ticket.caller_phone_index == call.caller_phone_index) if call.caller_phone_index else None,
        ]
        matches = [condition for condition in same if condition is not None]
        if not matches:
            return []
        window = since - timedelta(days=settings.duplicate_window_days)
        query: Select[Any] = select(*_ALIKE_COLUMNS).where(  # type: ignore[assignment]  # columns, not one row type
            Ticket.status.in_(OPEN_STATUSES), Ticket.created_at >= window, or_(*matches)
        )
        if exclude is not None:
            query = query.where(Ticket.id != exclude)
        if call.category_id is not None:
            query = query.where(Ticket.category_id == call.category_id)
        rows = await self.session.execute(
            visible_to(query, self.principal).order_by(Ticket.created_at.desc()).limit(10)
        )
        return [duplicate_view(row, call) for row in rows]

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
        first_category = "category_id" in values and ticket.category_id is None
        if "category_id" in values:
            ticket.category_id = (await self.catalogue.category(values["category_id"])).id
        if values.get("item_id") is not None:
            await self.catalogue.item(values["item_id"], ticket.category_id)
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
        fields = sorted(values)
        await record(self.session, ticket, "classified", details={"fields": fields})
        await self._audit("classified", ticket, {"fields": fields})
        if first_category:
            await stage_reached(self.session, ticket, Step.CLASSIFY)
        await self._route(ticket)  # again, now that the ticket may have what it lacked
        return ticket

    async def merge(self, ticket_id: UUID, into_id: UUID, reason: str) -> Ticket:
        if ticket_id == into_id:
            raise invalid("intoTicketId", "a ticket cannot be merged into itself")
        ticket = await self.get(ticket_id, for_update=True)
        target = await self.session.scalar(self._visible(into_id, for_update=True))
        if target is None:
            raise invalid("intoTicketId", "not a ticket of this district")
        if target.status not in OPEN_STATUSES:
            raise conflict("a ticket can only be merged into an open ticket")
        ticket.merged_into_id = target.id
        into = {"into": str(target.id), "intoNumber": target.number}
        await move(self.session, ticket, TicketStatus.MERGED, "merged", reason=reason, details=into)
        absorbed = {"from": str(ticket.id), "fromNumber": ticket.number}
        await record(self.session, target, "absorbed", reason=reason, details=absorbed)
        await self._audit("merged", ticket, {"into": str(target.id)})
        return ticket

    async def add_note(self, ticket_id: UUID, text: str) -> TicketHistory:
        """A repeat call about an open ticket: what the caller added goes into its history, not a new ticket."""
        ticket = await self.get(ticket_id, for_update=True)
        if ticket.status not in OPEN_STATUSES:
            raise conflict("a note can only be added to an open ticket; record a new call instead")
        entry = await record(self.session, ticket, "noted", from_status=ticket.status, reason=text.strip())
        await self._audit("noted", ticket)
        return entry

    async def cancel(self, ticket_id: UUID, reason: str) -> Ticket:
        ticket = await self.get(ticket_id, for_update=True)
        await move(self.session, ticket, TicketStatus.CANCELLED, "cancelled", reason=reason)
        await self._audit("cancelled", ticket)
        return ticket

    async def reveal(self, ticket_id: UUID, field: str, purpose: str) -> str:
        """The caller's name or phone, or the address, in clear, for a stated purpose (audited)."""
        ticket = await self.get(ticket_id)
        if field not in PERSONAL_FIELDS:
            raise invalid("field", f"one of: {', '.join(PERSONAL_FIELDS)}")
        key, column = PERSONAL_FIELDS[field]
        ciphertext = getattr(ticket, column)
        if ciphertext is None:
            raise invalid("field", f"this ticket has no {field} on record")
        keys = await data_key(self.session, require_tenant())
        return await reveal(
            self.session, keys, key, ciphertext, purpose=purpose, subject_type="ticket", subject_id=ticket.id
        )

    async def page(
        self,
        *,
        statuses: list[str] | None,
        grid_id: UUID | None,
        category_id: UUID | None,
        warning: str | None,
        after: str | None,
        limit: int,
    ) -> tuple[list[Ticket], str | None]:
        """Newest first, keyset-paged on (created_at, id); ``warning`` is yellow, red or any."""
        query = visible_to(select(Ticket), self.principal)
        if statuses:
            query = query.where(Ticket.status.in_(statuses))
        if grid_id is not None:
            query = query.where(Ticket.grid_id == grid_id)
        if category_id is not None:
            query = query.where(Ticket.category_id == category_id)
        if warning == "any":
            query = query.where(Ticket.warning.is_not(None))
        elif warning is not None:
            query = query.where(Ticket.warning == warning)
        return await self.repository.page(query, NEWEST_FIRST, after=after, limit=limit)

    async def desk_facts(self, tickets: list[Ticket]) -> tuple[dict[UUID, str], dict[UUID, RunningClock]]:
        """Grid names and each ticket's first running clock: two queries for a whole page, none per row."""
        grid_ids = {t.grid_id for t in tickets if t.grid_id}
        names: dict[UUID, str] = {}
        if grid_ids:
            found = await self.session.execute(
                select(DirectoryGrid.grid_id, DirectoryGrid.name).where(DirectoryGrid.grid_id.in_(grid_ids))
            )
            names = {grid_id: name for grid_id, name in found if name}
        clocks: dict[UUID, RunningClock] = {}
        if tickets:
            running = await self.session.execute(
                select(Deadline.ticket_id, Deadline.kind, Deadline.due_at)
                .where(
                    Deadline.ticket_id.in_([t.id for t in tickets]),
                    Deadline.kind.in_(DESK_CLOCKS),
                    Deadline.fired_at.is_(None),
                    Deadline.cancelled_at.is_(None),
                )
                .order_by(Deadline.ticket_id, Deadline.due_at)
            )
            for ticket_id, kind, due_at in running:
                clocks.setdefault(ticket_id, RunningClock(kind=kind, due_at=due_at))
        return names, clocks

    async def history(self, ticket_id: UUID) -> list[TicketHistory]:
        ticket = await self.get(ticket_id)
        query = select(TicketHistory).where(TicketHistory.ticket_id == ticket.id)
        return list(await self.session.scalars(query.order_by(TicketHistory.at, TicketHistory.id)))

    async def earlier_tickets(self, phone: str) -> list[Ticket]:
        query = select(Ticket).where(Ticket.caller_phone_index == await phone_key(self.session, phone))
        rows = await self.session.scalars(
            visible_to(query, self.principal).order_by(Ticket.created_at.desc()).limit(20)
        )
        return list(rows)
