"""Referral notices (抄告单, DSP-15): the street supervision meeting hands a case to a responsible unit with a
completion date; the unit's closure note closes the notice, and the case cannot be resolved before that
(``tickets/transitions.py`` holds that rule for every path that resolves)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.clocks import timers
from services.dispatch.clocks.calendar import district_zone, end_of_day
from services.dispatch.escalation.ladder import level_at
from services.dispatch.escalation.notes import write_down
from services.dispatch.escalation.schemas import ReferralCreate
from services.dispatch.models import OPEN_STATUSES, DeadlineKind, ReferralNotice, Ticket
from services.dispatch.tickets.history import name_of
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import ReferralIssued
from shared.db.repository import Repository
from shared.http.problems import conflict, invalid
from shared.messaging.outbox import publish


class ReferralRepository(Repository[ReferralNotice]):
    model_type = ReferralNotice
    noun = "referral notice"


async def open_referral(session: AsyncSession, ticket: Ticket) -> ReferralNotice | None:
    row: ReferralNotice | None = await session.scalar(
        select(ReferralNotice).where(ReferralNotice.ticket_id == ticket.id, ReferralNotice.closed_at.is_(None))
    )
    return row


async def next_referral_number(session: AsyncSession, year: int) -> str:
    """抄告〔2026〕7号: numbered per district and year, without gaps from concurrent issues."""
    # One issuer at a time per district and year; the transaction-scoped lock ends with the commit.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"referral:{require_tenant()}:{year}"))))
    prefix = f"抄告〔{year}〕"
    issued = await session.scalar(
        select(func.count()).select_from(ReferralNotice).where(ReferralNotice.number.startswith(prefix))
    )
    return f"{prefix}{int(issued or 0) + 1}号"


class ReferralService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets
        self.notices = ReferralRepository(session)

    async def issue(self, ticket_id: UUID, data: ReferralCreate) -> ReferralNotice:
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
            ticket_id=ticket.id,
            number=await next_referral_number(self.session, today.year),
            meeting=data.meeting.strip(),
            responsible_unit=data.responsible_unit.strip(),
            responsible_person=data.responsible_person.strip(),
            due_on=data.due_on,
            issued_by=self.principal.user_id,
            issued_by_name=(await name_of(self.session, self.principal))[0],
            issued_at=issued,
        )
        await self.notices.add(notice)
        due_at = await end_of_day(self.session, data.due_on)
        timers.add(self.session, ticket, DeadlineKind.REFERRAL, due_at, started_at=issued)
        details = {"referralId": str(notice.id), "number": notice.number, "dueOn": notice.due_on.isoformat()}
        await write_down(
            self.session, ticket, "referral_issued", notice.meeting, details, subject=("referral_notice", notice.id)
        )
        issued_event = ReferralIssued(
            tenant_id=require_tenant(),
            ticket_id=ticket.id,
            referral_id=notice.id,
            number=notice.number,
            due_on=notice.due_on,
            ticket_number=ticket.number,
            ticket_title=ticket.title,
            ticket_path=ticket.grid_path,
            meeting=notice.meeting,
            responsible_unit=notice.responsible_unit,
            responsible_person=notice.responsible_person,
            issued_on=today,
        )
        await publish(self.session, issued_event)
        return notice

    async def of_ticket(self, ticket_id: UUID) -> list[ReferralNotice]:
        ticket = await self.tickets.get(ticket_id)
        return await self.notices.get_many(
            ReferralNotice.ticket_id == ticket.id, order_by=ReferralNotice.issued_at.asc()
        )

    async def close(self, referral_id: UUID, note: str) -> ReferralNotice:
        found = await self.notices.get_or_404(referral_id)
        ticket = await self.tickets.get(found.ticket_id, for_update=True)  # the ticket's lock serialises closures
        notice = await self.session.scalar(
            select(ReferralNotice)
            .where(ReferralNotice.id == referral_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert notice is not None  # just read under the ticket's lock; notices are never deleted
        if notice.closed_at is not None:
            raise conflict(f"referral notice {notice.number} already has its closure note")
        notice.closure_note = closure = note.strip()
        notice.closed_at = now()
        await timers.stop(self.session, ticket, DeadlineKind.REFERRAL)
        details = {"referralId": str(notice.id), "number": notice.number, "responsibleUnit": notice.responsible_unit}
        await write_down(
            self.session, ticket, "referral_closed", closure, details, subject=("referral_notice", notice.id)
        )
        return notice
