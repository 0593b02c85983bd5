"""From done to closed (DSP-06, DSP-07, DSP-18, DSP-19, DSP-20): the handler resolves, the served person gives
feedback (``feedback.py``), the hotline calls back (or a supervisor waives the call for a listed reason:
``waivers.py``), and only then may an operator close.

Feedback and callbacks count only when given after the latest resolution: a ticket reopened by a
dissatisfied resident needs fresh ones once it is resolved again, and its points follow (``timebank``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import STAFF, is_operator
from services.dispatch.closure.feedback import collected_via, take_feedback
from services.dispatch.closure.schemas import CallbackCreate, FeedbackCreate, ResolutionCreate
from services.dispatch.closure.waivers import CODES, MAY_WAIVE, REASON_LABELS, check_waiver
from services.dispatch.models import Callback, Feedback, Provider, Ticket, TicketStatus
from services.dispatch.notifications.queue import queue_notification
from services.dispatch.tickets.history import name_of, record
from services.dispatch.tickets.services import TicketService
from services.dispatch.tickets.transitions import LABELS, move
from services.dispatch.timebank.services import credit_service
from shared import audit
from shared.auth.principal import Principal
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.dispatch import ServiceCompleted, TicketClosed, TicketResolved
from shared.db.repository import Repository
from shared.http.problems import FieldErrors, ProblemError, conflict
from shared.messaging.outbox import publish

S = TicketStatus
CALLBACK_OUTCOMES = ("reached", "unreachable")
MAX_MATERIAL_COST = Decimal(100_000)


class FeedbackRepository(Repository[Feedback]):
    model_type = Feedback
    noun = "feedback"


class CallbackRepository(Repository[Callback]):
    model_type = Callback
    noun = "callback"


def forbidden(detail: str) -> ProblemError:
    return ProblemError(403, detail, title="Forbidden")


def waiting_for(feedback: Feedback | None, callback: Callback | None) -> list[str]:
    waiting = []
    if feedback is None or not feedback.satisfied:
        waiting.append("feedback")
    if callback is None:
        waiting.append("callback")
    return waiting


def resolution_errors(data: ResolutionCreate, explanation: str) -> None:
    """422 naming each field of the handler's report that is wrong."""
    errors = FieldErrors()
    if data.unsolvable and not explanation:
        errors.add("explanation", "an unsolvable case needs the explanation given to the resident")
    cost = data.material_cost
    if cost is not None and not (cost.is_finite() and 0 <= cost <= MAX_MATERIAL_COST):
        errors.add("materialCost", f"between 0 and {MAX_MATERIAL_COST} yuan")
    errors.raise_if_any("the resolution has invalid fields")


def callback_errors(data: CallbackCreate, note: str | None) -> None:
    """422 naming each field of a callback (or its waiver) that is wrong."""
    errors = FieldErrors()
    if data.waived:
        if data.waiver_reason is None:
            errors.add("waiverReason", f"a waived callback needs its reason, one of: {', '.join(CODES)}")
        else:
            errors.choice("waiverReason", data.waiver_reason, CODES)
        if data.waiver_reason == "other" and note is None:
            errors.add("note", "say what the other reason is")
        if data.outcome is not None:
            errors.add("outcome", "a waived callback has no outcome")
    elif data.outcome is None:
        errors.add("outcome", "one of: reached, unreachable (or waived with a waiverReason)")
    else:
        errors.choice("outcome", data.outcome, CALLBACK_OUTCOMES)
        if data.waiver_reason is not None:
            errors.add("waiverReason", "only a waived callback has a waiver reason")
    errors.raise_if_any("the callback has invalid fields")


class ClosureService:
    def __init__(self, session: AsyncSession, principal: Principal, tickets: TicketService) -> None:
        self.session = session
        self.principal = principal
        self.tickets = tickets
        self.feedback_forms = FeedbackRepository(session)
        self.callbacks = CallbackRepository(session)

    async def _provider(self, ticket: Ticket) -> Provider | None:
        return await self.session.get(Provider, ticket.provider_id) if ticket.provider_id else None

    async def _notify_resident(self, ticket: Ticket, template: str) -> None:
        if ticket.caller_phone_cipher is not None:  # the SMS channel decrypts the number when it sends
            await queue_notification(
                self.session,
                template=template,
                recipient_kind="resident",
                channel="sms",
                ticket_id=ticket.id,
                params={"number": ticket.number},
            )

    async def _audit(self, ticket: Ticket, action: str, detail: dict[str, Any] | None = None) -> None:
        await audit.record(self.session, action, subject_type="ticket", subject_id=str(ticket.id), detail=detail)

    async def resolve(self, ticket_id: UUID, data: ResolutionCreate) -> Ticket:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        explanation = (data.explanation or "").strip()
        resolution_errors(data, explanation)
        provider = await self._provider(ticket)
        if provider is not None:
            if provider.user_id != self.principal.user_id:
                raise forbidden("only the provider who signed for this order can report it done")
        elif not self.principal.has_role(*STAFF):
            raise forbidden("only hotline staff can resolve a case handled by a unit")
        if ticket.status not in (S.ASSIGNED, S.ON_SITE):
            raise conflict(f"only a ticket signed for or on site can be resolved (now: {LABELS[ticket.status]})")
        # move() holds the ladder's rule: no resolution at a referral rung without the closed notice (DSP-15).
        stamp = now()
        note = data.note.strip()
        gifts = (data.gifts_accepted or "").strip() or None
        minutes = data.service_minutes or 0
        ticket.resolution_note = note
        ticket.completed_at = stamp
        ticket.resolved_at = stamp
        ticket.resolved_by = self.principal.user_id
        ticket.service_minutes = data.service_minutes
        ticket.material_cost = data.material_cost
        ticket.gifts_accepted = gifts
        details: dict[str, Any] = {"note": note, "unsolvable": data.unsolvable, "serviceMinutes": minutes}
        if data.material_cost is not None:
            details["materialCost"] = str(data.material_cost)
        if data.unsolvable:
            details["explanation"] = explanation
        reason = explanation if data.unsolvable else None
        await move(self.session, ticket, S.RESOLVED, "resolved", reason=reason, details=details)
        if gifts:  # DSP-06: no meals or gifts; anything recorded goes to review
            await record(self.session, ticket, "pledge_flagged", reason=gifts, details={"giftsAccepted": gifts})
        resolved = TicketResolved(
            tenant_id=require_tenant(), ticket_id=ticket.id, level=ticket.level_rank, provider_id=ticket.provider_id
        )
        await publish(self.session, resolved)
        if provider is not None and minutes > 0:
            await self._credit(ticket, provider, minutes)
        await self._notify_resident(ticket, "ticket_resolved")
        flags = {"unsolvable": data.unsolvable, "giftsFlagged": bool(gifts)}
        await self._audit(ticket, "dispatch.ticket.resolved", flags)
        return ticket

    async def _credit(self, ticket: Ticket, provider: Provider, minutes: int) -> None:
        """The provider's service points for the order, announced once (a replayed completion credits nothing)."""
        points = await credit_service(self.session, ticket.id, provider.id, minutes)
        if points is None:
            return
        completed = ServiceCompleted(
            tenant_id=require_tenant(),
            ticket_id=ticket.id,
            provider_id=provider.id,
            member_id=provider.member_id,
            minutes=minutes,
            points=points,
        )
        await publish(self.session, completed)

    async def feedback(self, ticket_id: UUID, data: FeedbackCreate) -> tuple[Feedback, Ticket]:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        me = self.principal.user_id
        provider = await self._provider(ticket)
        if me == ticket.resolved_by or (provider is not None and provider.user_id == me):
            raise forbidden("the handler cannot rate their own work")
        resident = me == ticket.caller_user_id
        if not resident and not is_operator(self.principal):
            raise forbidden("feedback comes from the served resident, or an operator taking it down")
        via = collected_via(data, resident=resident)
        name = None if resident else (await name_of(self.session, self.principal))[0]  # the operator's name
        row = await take_feedback(self.session, ticket, data, via=via, given_by=me, given_by_name=name)
        return row, ticket

    async def callback(self, ticket_id: UUID, data: CallbackCreate) -> Callback:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        if data.waived and not self.principal.has_role(*MAY_WAIVE):
            raise forbidden("waiving a callback needs a hotline supervisor or a district administrator")
        note = (data.note or "").strip() or None
        callback_errors(data, note)
        if ticket.status != S.RESOLVED:
            raise conflict(f"a callback follows a resolved ticket (now: {LABELS[ticket.status]})")
        code = data.waiver_reason if data.waived else None
        if code is not None:
            await check_waiver(self.session, ticket, code)
        outcome = "waived" if data.waived else str(data.outcome)
        name, _kind = await name_of(self.session, self.principal)
        row = Callback(
            ticket_id=ticket.id,
            outcome=outcome,
            note=note,
            waiver_reason=code,
            by_user=self.principal.user_id,
            by_name=name,
            at=now(),
        )
        await self.callbacks.add(row)
        action = "callback_waived" if data.waived else "callback"
        details = {"outcome": outcome} | ({"waiverReason": code} if code else {})
        reason = REASON_LABELS[code] + (f"：{note}" if note else "") if code else None
        await record(self.session, ticket, action, reason=reason, details=details)
        await self._audit(ticket, "dispatch.ticket.callback", details)
        return row

    async def _since_resolution(self, ticket: Ticket) -> tuple[Feedback | None, Callback | None]:
        """The latest feedback and the latest reached or waived callback given after the latest resolution."""
        feedback_query = select(Feedback).where(Feedback.ticket_id == ticket.id)
        callback_query = select(Callback).where(
            Callback.ticket_id == ticket.id, Callback.outcome.in_(("reached", "waived"))
        )
        if ticket.resolved_at is not None:
            feedback_query = feedback_query.where(Feedback.given_at >= ticket.resolved_at)
            callback_query = callback_query.where(Callback.at >= ticket.resolved_at)
        feedback = await self.session.scalar(
            feedback_query.order_by(Feedback.given_at.desc(), Feedback.id.desc()).limit(1)
        )
        callback = await self.session.scalar(callback_query.order_by(Callback.at.desc(), Callback.id.desc()).limit(1))
        return feedback, callback

    async def awaiting(self, ticket: Ticket) -> list[str]:
        if ticket.status != S.RESOLVED:
            return []
        return waiting_for(*await self._since_resolution(ticket))

    async def close(self, ticket_id: UUID) -> Ticket:
        ticket = await self.tickets.get(ticket_id, for_update=True)
        if ticket.status != S.RESOLVED:
            raise conflict(f"only a resolved ticket can be closed (now: {LABELS[ticket.status]})")
        feedback, callback = await self._since_resolution(ticket)
        if feedback is None or not feedback.satisfied or callback is None:
            waiting = waiting_for(feedback, callback)
            raise conflict("the ticket cannot be closed yet: " + "; ".join(f"awaiting {w}" for w in waiting))
        ticket.closed_at = now()
        waived = callback.outcome == "waived"
        await move(self.session, ticket, S.CLOSED, "closed", details={"callbackWaived": waived})
        closed = TicketClosed(
            tenant_id=require_tenant(),
            ticket_id=ticket.id,
            satisfied=feedback.satisfied,
            handler_score=feedback.handler_score,
            provider_id=ticket.provider_id,
            unit_id=ticket.unit_id,
            callback_waived=waived,
        )
        await publish(self.session, closed)
        await self._notify_resident(ticket, "ticket_closed")
        await self._audit(ticket, "dispatch.ticket.closed")
        return ticket

    async def status(self, ticket_id: UUID) -> tuple[Ticket, list[str], list[Feedback], list[Callback]]:
        ticket = await self.tickets.get(ticket_id)
        feedback = await self.feedback_forms.get_many(
            Feedback.ticket_id == ticket.id, order_by=Feedback.given_at.desc()
        )
        callbacks = await self.callbacks.get_many(Callback.ticket_id == ticket.id, order_by=Callback.at.desc())
        return ticket, await self.awaiting(ticket), feedback, callbacks
