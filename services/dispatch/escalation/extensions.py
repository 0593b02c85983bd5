"""Extensions of a running time limit: asked for by staff or the handler, decided by an operator, both before the
limit runs out (the sweep skips a deadline locked by a decision, so it cannot fire in between)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.escalation.notes import write_down
from services.dispatch.escalation.schemas import ExtensionCreate
from services.dispatch.models import OPEN_STATUSES, Deadline, DeadlineKind, Extension, Provider, Ticket
from services.dispatch.tickets.history import name_of
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid, missing

EXTENDABLE = (DeadlineKind.RESOLUTION, DeadlineKind.SIGN_FOR, DeadlineKind.ARRIVAL)
CLOCK_LABELS = {
    DeadlineKind.RESOLUTION: "办理时限",
    DeadlineKind.SIGN_FOR: "签收时限",
    DeadlineKind.ARRIVAL: "到场时限",
}
MAX_EXTENSION = timedelta(days=366)


class ExtensionRepository(Repository[Extension]):
    model_type = Extension
    noun = "extension request"


class ExtensionService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets
        self.requests = ExtensionRepository(session)

    async def _handled_ticket(self, ticket_id: UUID, *, for_update: bool = True) -> Ticket:
        """Staff, or the provider who signed for the order; anyone else sees no such ticket."""
        ticket = await self.tickets.get(ticket_id, for_update=for_update)
        if self.principal.has_role(*STAFF):
            return ticket
        if self.principal.has_role(*PROVIDERS) and ticket.provider_id is not None:
            mine = await self.session.scalar(
                select(Provider.id).where(Provider.id == ticket.provider_id, Provider.user_id == self.principal.user_id)
            )
            if mine is not None:
                return ticket
        raise missing("ticket")

    async def request(self, ticket_id: UUID, data: ExtensionCreate) -> tuple[Extension, Deadline]:
        if data.clock not in EXTENDABLE:
            raise invalid("clock", f"one of: {', '.join(EXTENDABLE)}")
        ticket = await self._handled_ticket(ticket_id)
        if ticket.status not in OPEN_STATUSES:
            raise conflict(f"only an open case gets more time; this one is {ticket.status}")
        label = CLOCK_LABELS[DeadlineKind(data.clock)]
        deadline = await self.session.scalar(
            select(Deadline)
            .where(Deadline.ticket_id == ticket.id, Deadline.kind == data.clock, Deadline.cancelled_at.is_(None))
            .order_by(Deadline.started_at.desc(), Deadline.id.desc())
            .limit(1)
            .with_for_update()
        )
        if deadline is None:
            raise conflict(f"the case has no running {label} ({data.clock}) to extend")
        if deadline.fired_at is not None or deadline.due_at <= now():
            raise conflict(
                f"the {label} ({data.clock}) has already passed: an extension must be asked for before it runs out"
            )
        if data.new_due_at <= deadline.due_at:
            raise invalid("newDueAt", f"must be later than the current due time {deadline.due_at.isoformat()}")
        if data.new_due_at - deadline.due_at > MAX_EXTENSION:
            raise invalid("newDueAt", "an extension is at most a year")
        pending = await self.session.scalar(
            select(Extension.id).where(Extension.deadline_id == deadline.id, Extension.status == "pending")
        )
        if pending is not None:
            raise conflict("an extension of this time limit is already waiting for a decision")
        extension = Extension(
            ticket_id=ticket.id,
            deadline_id=deadline.id,
            requested_by=self.principal.user_id,
            requested_by_name=(await name_of(self.session, self.principal))[0],
            requested_at=now(),
            new_due_at=data.new_due_at,
            reason=data.reason.strip(),
        )
        await self.requests.add(extension)
        details = {
            "extensionId": str(extension.id),
            "clock": data.clock,
            "dueAt": deadline.due_at.isoformat(),
            "newDueAt": data.new_due_at.isoformat(),
        }
        await write_down(
            self.session, ticket, "extension_requested", extension.reason, details, subject=("extension", extension.id)
        )
        return extension, deadline

    async def decide(self, extension_id: UUID, approve: bool, note: str) -> tuple[Extension, Deadline]:
        found = await self.requests.get_or_404(extension_id)
        ticket = await self.tickets.get(found.ticket_id, for_update=True)
        extension = await self.session.scalar(
            select(Extension)
            .where(Extension.id == extension_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        # The sweep skips a deadline locked here, so it cannot fire between this check and the commit.
        deadline = await self.session.scalar(
            select(Deadline)
            .where(Deadline.id == found.deadline_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert extension is not None  # read under the ticket's lock; neither is ever deleted
        assert deadline is not None
        if extension.status != "pending":
            raise conflict(f"this extension request was already {extension.status}")
        if deadline.fired_at is not None or deadline.cancelled_at is not None or deadline.due_at <= now():
            raise conflict(
                "the time limit has already passed or no longer runs: an extension is decided before the deadline"
            )
        extension.status = "approved" if approve else "rejected"
        extension.decided_by = self.principal.user_id
        extension.decided_by_name = (await name_of(self.session, self.principal))[0]
        extension.decided_at = now()
        extension.decision_note = note.strip() or None
        before = deadline.due_at
        if approve:
            deadline.due_at = extension.new_due_at
        details = {
            "extensionId": str(extension.id),
            "clock": deadline.kind,
            "dueAt": before.isoformat(),
            "newDueAt": deadline.due_at.isoformat(),
        }
        action = f"extension_{extension.status}"
        await write_down(
            self.session, ticket, action, extension.decision_note, details, subject=("extension", extension.id)
        )
        return extension, deadline

    async def of_ticket(self, ticket_id: UUID) -> list[tuple[Extension, Deadline]]:
        ticket = await self._handled_ticket(ticket_id, for_update=False)
        rows = await self.session.execute(
            select(Extension, Deadline)
            .join(Deadline, Deadline.id == Extension.deadline_id)
            .where(Extension.ticket_id == ticket.id)
            .order_by(Extension.requested_at)
        )
        return [(e, d) for e, d in rows.all()]
