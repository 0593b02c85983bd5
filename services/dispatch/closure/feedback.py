"""The served person's feedback form (DSP-07, DSP-19, DSP-20) and how it reached the hotline.

Feedback proves contact with the resident, so each form records its way in: ``page`` (the resident's own
page, with an account or the public follow token), ``phone`` (an operator called the resident and wrote it
down) or ``sms`` (an operator took down the resident's SMS reply); the operator is recorded with the last two.
Dissatisfaction reopens the ticket and reverses the points its resolution earned (``timebank``).
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.closure.schemas import FeedbackCreate
from services.dispatch.models import Feedback, Ticket, TicketStatus
from services.dispatch.tickets.history import record
from services.dispatch.tickets.transitions import LABELS, move
from services.dispatch.timebank.services import reverse_service
from shared import audit
from shared.clock import now
from shared.http.problems import FieldErrors, conflict

S = TicketStatus
PAGE = "page"
BY_OPERATOR = ("phone", "sms")
REOPEN_REASON = "群众对办理结果不满意"


def collected_via(data: FeedbackCreate, *, resident: bool) -> str:
    """How the form was collected, as its giver may say it; 422 naming ``via`` otherwise."""
    errors = FieldErrors()
    if resident:
        if data.via not in (None, PAGE):
            errors.add("via", "a resident's own feedback is given on their page: page")
    elif data.via is None:
        errors.add("via", "how it was collected: phone (you called the resident) or sms (the resident's SMS reply)")
    else:
        errors.choice("via", data.via, BY_OPERATOR)
    errors.raise_if_any("the feedback has invalid fields")
    return PAGE if resident else str(data.via)


async def take_feedback(
    session: AsyncSession,
    ticket: Ticket,
    data: FeedbackCreate,
    *,
    via: str,
    given_by: UUID | None = None,
    given_by_name: str | None = None,
) -> Feedback:
    """Store the form on the locked, resolved ``ticket``; dissatisfaction sends it back to the handler."""
    if ticket.status != S.RESOLVED:
        raise conflict(f"feedback is taken once the ticket is resolved (now: {LABELS[ticket.status]})")
    comment = (data.comment or "").strip() or None
    scores = msgspec.structs.asdict(data) | {"comment": comment}  # the satisfied flag and the four scores as given
    del scores["via"]
    row = Feedback(
        ticket_id=ticket.id, **scores, via=via, given_by=given_by, given_by_name=given_by_name, given_at=now()
    )
    session.add(row)
    await session.flush()
    details = {"feedbackId": str(row.id), "satisfied": data.satisfied, "via": via}
    await record(session, ticket, "feedback", details=details)
    if not data.satisfied:
        # Back to the handler; the resolution clock starts again and the old resolution stays in history.
        reopened = {"feedbackId": str(row.id)}
        await move(session, ticket, S.ASSIGNED, "reopened", reason=comment or REOPEN_REASON, details=reopened)
        reversal = await reverse_service(session, ticket.id)
        if reversal is not None:
            taken = {"points": reversal.points, "shortfall": reversal.shortfall, "entryId": str(reversal.entry.id)}
            await record(session, ticket, "points_reversed", reason=reversal.entry.reason, details=taken)
    detail = {"satisfied": data.satisfied, "via": via}
    await audit.record(
        session, "dispatch.ticket.feedback", subject_type="ticket", subject_id=str(ticket.id), detail=detail
    )
    return row
