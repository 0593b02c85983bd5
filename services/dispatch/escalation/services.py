"""Moving a case up the ladder one rung at a time, the street meeting's referral notices and extensions.

``escalate`` is the one way a ticket changes rung: staff call it through the API and the deadline sweep
calls it when a red warning runs out (``automatic``). Both lock the ticket first, so a manual and an
automatic escalation of the same case cannot both land.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import PROVIDERS, STAFF
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.clocks import timers
from services.dispatch.clocks.calendar import district_zone, end_of_day
from services.dispatch.escalation.schemas import (
    EscalationPath,
    EscalationStep,
    ExtensionCreate,
    ReferralCreate,
)
from services.dispatch.models import (
    OPEN_STATUSES,
    Deadline,
    DeadlineKind,
    DirectoryGrid,
    Extension,
    LadderLevel,
    Offer,
    OfferStatus,
    Provider,
    ReferralNotice,
    Ticket,
    TicketHistory,
    TicketStatus,
)
from services.dispatch.tickets.history import record
from services.dispatch.tickets.services import TicketService
from services.dispatch.tickets.transitions import move
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import ReferralIssued, TicketEscalated
from shared.http.problems import ProblemError, conflict, invalid
from shared.messaging.outbox import publish

SYSTEM_ACTOR = "system:dispatch-scheduler"
AUTO_REASON = "逾期自动升级"
EXTENDABLE = (DeadlineKind.RESOLUTION, DeadlineKind.SIGN_FOR, DeadlineKind.ARRIVAL)
CLOCK_LABELS = {
    DeadlineKind.RESOLUTION: "办理时限",
    DeadlineKind.SIGN_FOR: "签收时限",
    DeadlineKind.ARRIVAL: "到场时限",
}
MAX_EXTENSION = timedelta(days=366)


async def level_at(session: AsyncSession, rank: int) -> LadderLevel | None:
    level: LadderLevel | None = await session.scalar(select(LadderLevel).where(LadderLevel.rank == rank))
    return level


async def unit_at(session: AsyncSession, ticket: Ticket, org_level: str) -> UUID | None:
    """The unit of the ticket's grid chain that answers at ``org_level`` (the nearest one above the grid)."""
    if ticket.grid_id is None:
        return None
    if org_level == "grid":
        return ticket.grid_id
    grid = await session.get(DirectoryGrid, ticket.grid_id)
    if grid is None:
        return None
    levels = ORG_LEVELS.get(org_level, (org_level,))
    for ancestor in reversed(grid.ancestors):  # root first in the row: the nearest match is the last
        if ancestor.get("level") in levels:
            return UUID(ancestor["id"])
    return None


async def escalate(
    session: AsyncSession, ticket: Ticket, to_level: int, reason: str, *, actor: str, automatic: bool
) -> LadderLevel:
    """Move a locked, open ticket to rung ``to_level``: 422 for a rung the district lacks, 409 for any rung
    but the next one. The unit of that rung owns it from now on, with a fresh resolution clock."""
    if ticket.status not in OPEN_STATUSES:
        raise conflict(f"only an open case can be escalated; this one is {ticket.status}")
    target = await level_at(session, to_level)
    if target is None:
        raise invalid("toLevel", "not a level of this district's ladder", "no such ladder level in this district")
    before = ticket.level_rank
    if to_level != before + 1:
        raise conflict(f"a case moves one level at a time: it is at level {before}, so only level {before + 1} "
                       f"is possible, not {to_level}")  # fmt: skip
    ticket.level_rank = to_level
    ticket.unit_id = await unit_at(session, ticket, target.org_level)
    ticket.warning = None
    withdrawn = await session.execute(
        update(Offer)
        .where(Offer.ticket_id == ticket.id, Offer.status == OfferStatus.OPEN)
        .values(status=OfferStatus.WITHDRAWN, answered_at=now())
    )
    details: dict[str, Any] = {
        "levelCode": target.code, "levelName": target.name, "orgLevel": target.org_level,
        "unitId": str(ticket.unit_id) if ticket.unit_id else None, "automatic": automatic,
        "offersWithdrawn": int(withdrawn.rowcount or 0),  # type: ignore[attr-defined]
    }  # fmt: skip
    await record(session, ticket, "escalated", from_status=ticket.status, from_level=before, reason=reason,
                 details=details, actor=actor)  # fmt: skip
    if ticket.status in (TicketStatus.NEW, TicketStatus.ROUTING):
        # Nobody signed for it below: the unit of the new rung owns it now.
        await move(session, ticket, TicketStatus.ASSIGNED, "assigned", reason=f"升级至{target.name},由该级单位承办",
                   details={"unitId": details["unitId"]}, actor=actor)  # fmt: skip
    await timers.start_resolution(session, ticket)
    await audit.record(session, "dispatch.ticket.escalated", subject_type="ticket", subject_id=str(ticket.id),
                       detail={"fromLevel": before, "toLevel": to_level, "automatic": automatic})  # fmt: skip
    await publish(session, TicketEscalated(
        tenant_id=require_tenant(), ticket_id=ticket.id, from_level=before, to_level=to_level,
        level_code=target.code, unit_id=ticket.unit_id, automatic=automatic,
    ))  # fmt: skip
    return target


async def open_referral(session: AsyncSession, ticket: Ticket) -> ReferralNotice | None:
    row: ReferralNotice | None = await session.scalar(
        select(ReferralNotice).where(ReferralNotice.ticket_id == ticket.id, ReferralNotice.closed_at.is_(None))
    )
    return row


async def check_can_resolve(session: AsyncSession, ticket: Ticket) -> None:
    """409 while the case sits at a referral rung with a referral notice the responsible unit has not closed
    (DSP-15: no resolution at street level without the unit's closure note)."""
    level = await level_at(session, ticket.level_rank)
    if level is None or not level.issues_referral:
        return
    pending = await open_referral(session, ticket)
    if pending is not None:
        raise conflict(f"referral notice {pending.number} has no closure note from {pending.responsible_unit} yet; "
                       "record it before resolving the case")  # fmt: skip


async def next_referral_number(session: AsyncSession, year: int) -> str:
    """抄告〔2026〕7号: numbered per district and year, without gaps from concurrent issues."""
    # One issuer at a time per district and year; the transaction-scoped lock ends with the commit.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"referral:{require_tenant()}:{year}"))))
    prefix = f"抄告〔{year}〕"
    issued = await session.scalar(
        select(func.count()).select_from(ReferralNotice).where(ReferralNotice.number.startswith(prefix))
    )
    return f"{prefix}{int(issued or 0) + 1}号"


class EscalationService:
    """The ladder, referral notices and extensions as staff and handlers use them through the API."""

    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.tickets = TicketService(session, principal)

    @property
    def actor(self) -> str:
        return str(self.principal.user_id)

    # --- ladder ---------------------------------------------------------------------------------

    async def escalate(self, ticket_id: UUID, to_level: int, reason: str) -> Ticket:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        await escalate(self.session, ticket, to_level, reason.strip(), actor=self.actor, automatic=False)
        return ticket

    async def path(self, ticket_id: UUID) -> EscalationPath:
        ticket = await self.tickets.get(ticket_id)
        rows = await self.session.scalars(
            select(TicketHistory)
            .where(TicketHistory.ticket_id == ticket.id, TicketHistory.action == "escalated")
            .order_by(TicketHistory.at, TicketHistory.id)
        )
        steps = [
            EscalationStep(
                from_level=h.from_level,
                to_level=h.to_level,
                level_code=_text(h.details.get("levelCode")),
                level_name=_text(h.details.get("levelName")),
                unit_id=_uuid(h.details.get("unitId")),
                automatic=bool(h.details.get("automatic")),
                reason=h.reason,
                actor=h.actor,
                at=h.at,
            )
            for h in rows
        ]
        level = await level_at(self.session, ticket.level_rank)
        return EscalationPath(ticket_id=ticket.id, level=ticket.level_rank, level_code=level.code if level else None,
                              level_name=level.name if level else None, unit_id=ticket.unit_id,
                              steps=steps)  # fmt: skip

    # --- referral notices -------------------------------------------------------------------------

    async def issue_referral(self, ticket_id: UUID, data: ReferralCreate) -> ReferralNotice:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        if ticket.status not in OPEN_STATUSES:
            raise conflict(f"a referral notice is issued for an open case; this one is {ticket.status}")
        level = await level_at(self.session, ticket.level_rank)
        if level is None or not level.issues_referral:
            name = level.name if level else f"level {ticket.level_rank}"
            raise conflict(f"referral notices are issued by the street supervision meeting; the case is at {name}")
        issued = now()
        today = issued.astimezone(await district_zone(self.session)).date()
        if data.due_on < today:
            raise invalid("dueOn", "the completion date has already passed")
        existing = await open_referral(self.session, ticket)
        if existing is not None:
            raise conflict(f"referral notice {existing.number} for this case is still open")
        notice = ReferralNotice(
            ticket_id=ticket.id, number=await next_referral_number(self.session, today.year),
            meeting=data.meeting.strip(), responsible_unit=data.responsible_unit.strip(),
            responsible_person=data.responsible_person.strip(), due_on=data.due_on,
            issued_by=self.principal.user_id, issued_at=issued,
        )  # fmt: skip
        self.session.add(notice)
        await self.session.flush()
        timers.add(self.session, ticket, DeadlineKind.REFERRAL, await end_of_day(self.session, data.due_on),
                   started_at=issued)  # fmt: skip
        await record(self.session, ticket, "referral_issued", from_status=ticket.status, from_level=ticket.level_rank,
                     reason=notice.meeting, details={"referralId": str(notice.id), "number": notice.number,
                                                     "dueOn": notice.due_on.isoformat()})  # fmt: skip
        await audit.record(self.session, "dispatch.referral.issued", subject_type="referral_notice",
                           subject_id=str(notice.id), detail={"ticketId": str(ticket.id)})  # fmt: skip
        await publish(self.session, ReferralIssued(tenant_id=require_tenant(), ticket_id=ticket.id,
                                                   referral_id=notice.id, number=notice.number,
                                                   due_on=notice.due_on))  # fmt: skip
        return notice

    async def referrals(self, ticket_id: UUID) -> list[ReferralNotice]:
        ticket = await self.tickets.get(ticket_id)
        rows = await self.session.scalars(
            select(ReferralNotice).where(ReferralNotice.ticket_id == ticket.id).order_by(ReferralNotice.issued_at)
        )
        return list(rows)

    async def close_referral(self, referral_id: UUID, note: str) -> ReferralNotice:
        found = await self.session.get(ReferralNotice, referral_id)
        if found is None:
            raise ProblemError(404, "no such referral notice in this district", title="Not Found")
        ticket = await self.tickets.get(found.ticket_id, for_update=True)  # the ticket's lock serialises closures
        notice = await self.session.scalar(
            select(ReferralNotice).where(ReferralNotice.id == referral_id).with_for_update().execution_options(
                populate_existing=True)
        )  # fmt: skip
        assert notice is not None  # just read under the ticket's lock; notices are never deleted
        if notice.closed_at is not None:
            raise conflict(f"referral notice {notice.number} already has its closure note")
        notice.closure_note = note.strip()
        notice.closed_at = now()
        await timers.stop(self.session, ticket, DeadlineKind.REFERRAL)
        await record(self.session, ticket, "referral_closed", from_status=ticket.status, from_level=ticket.level_rank,
                     reason=notice.closure_note, details={"referralId": str(notice.id), "number": notice.number,
                                                          "responsibleUnit": notice.responsible_unit})  # fmt: skip
        await audit.record(self.session, "dispatch.referral.closed", subject_type="referral_notice",
                           subject_id=str(notice.id), detail={"ticketId": str(ticket.id)})  # fmt: skip
        return notice

    # --- extensions -------------------------------------------------------------------------------

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
        raise ProblemError(404, "no such ticket in this district", title="Not Found")

    async def request_extension(self, ticket_id: UUID, data: ExtensionCreate) -> tuple[Extension, Deadline]:
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
            raise conflict(f"the {label} ({data.clock}) has already passed: an extension must be asked for before it "
                           "runs out")  # fmt: skip
        if data.new_due_at <= deadline.due_at:
            raise invalid("newDueAt", f"must be later than the current due time {deadline.due_at.isoformat()}")
        if data.new_due_at - deadline.due_at > MAX_EXTENSION:
            raise invalid("newDueAt", "an extension is at most a year")
        pending = await self.session.scalar(
            select(Extension.id).where(Extension.deadline_id == deadline.id, Extension.status == "pending")
        )
        if pending is not None:
            raise conflict("an extension of this time limit is already waiting for a decision")
        extension = Extension(ticket_id=ticket.id, deadline_id=deadline.id, requested_by=self.principal.user_id,
                              requested_at=now(), new_due_at=data.new_due_at, reason=data.reason.strip())  # fmt: skip
        self.session.add(extension)
        await self.session.flush()
        await record(self.session, ticket, "extension_requested", from_status=ticket.status,
                     from_level=ticket.level_rank, reason=extension.reason, details={
                         "extensionId": str(extension.id), "clock": data.clock,
                         "dueAt": deadline.due_at.isoformat(), "newDueAt": data.new_due_at.isoformat()})  # fmt: skip
        await audit.record(self.session, "dispatch.extension.requested", subject_type="extension",
                           subject_id=str(extension.id), detail={"ticketId": str(ticket.id)})  # fmt: skip
        return extension, deadline

    async def decide_extension(self, extension_id: UUID, approve: bool, note: str) -> tuple[Extension, Deadline]:
        found = await self.session.get(Extension, extension_id)
        if found is None:
            raise ProblemError(404, "no such extension request in this district", title="Not Found")
        ticket = await self.tickets.get(found.ticket_id, for_update=True)
        extension = await self.session.scalar(
            select(Extension).where(Extension.id == extension_id).with_for_update().execution_options(
                populate_existing=True)
        )  # fmt: skip
        # The sweep skips a deadline locked here, so it cannot fire between this check and the commit.
        deadline = await self.session.scalar(
            select(Deadline).where(Deadline.id == found.deadline_id).with_for_update().execution_options(
                populate_existing=True)
        )  # fmt: skip
        assert extension is not None  # read under the ticket's lock; neither is ever deleted
        assert deadline is not None
        if extension.status != "pending":
            raise conflict(f"this extension request was already {extension.status}")
        if deadline.fired_at is not None or deadline.cancelled_at is not None or deadline.due_at <= now():
            raise conflict("the time limit has already passed or no longer runs: an extension is decided before "
                           "the deadline")  # fmt: skip
        extension.status = "approved" if approve else "rejected"
        extension.decided_by = self.principal.user_id
        extension.decided_at = now()
        extension.decision_note = note.strip() or None
        before = deadline.due_at
        if approve:
            deadline.due_at = extension.new_due_at
        await record(self.session, ticket, f"extension_{extension.status}", from_status=ticket.status,
                     from_level=ticket.level_rank, reason=extension.decision_note, details={
                         "extensionId": str(extension.id), "clock": deadline.kind, "dueAt": before.isoformat(),
                         "newDueAt": deadline.due_at.isoformat()})  # fmt: skip
        await audit.record(self.session, f"dispatch.extension.{extension.status}", subject_type="extension",
                           subject_id=str(extension.id), detail={"ticketId": str(ticket.id)})  # fmt: skip
        return extension, deadline

    async def extensions(self, ticket_id: UUID) -> list[tuple[Extension, Deadline]]:
        ticket = await self._handled_ticket(ticket_id, for_update=False)
        rows = await self.session.execute(
            select(Extension, Deadline)
            .join(Deadline, Deadline.id == Extension.deadline_id)
            .where(Extension.ticket_id == ticket.id)
            .order_by(Extension.requested_at)
        )
        return [(e, d) for e, d in rows.all()]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _uuid(value: object) -> UUID | None:
    return UUID(value) if isinstance(value, str) else None
