"""What happens to a ticket's referral notices and extension requests, written down without moving the ticket."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.models import Ticket
from services.dispatch.tickets.history import record
from shared import audit


async def write_down(
    session: AsyncSession,
    ticket: Ticket,
    action: str,
    reason: str | None,
    details: dict[str, Any],
    *,
    subject: tuple[str, UUID],
) -> None:
    """A history row for ``action`` at the ticket's current status and rung, and the audit entry
    ``dispatch.<action with dots>`` (``referral_issued``: ``dispatch.referral.issued``) naming ``subject``, the
    notice or request it concerns (its type and id)."""
    await record(
        session, ticket, action, from_status=ticket.status, from_level=ticket.level_rank, reason=reason, details=details
    )
    subject_type, subject_id = subject
    audited = "dispatch." + action.replace("_", ".")
    detail = {"ticketId": str(ticket.id)}
    await audit.record(session, audited, subject_type=subject_type, subject_id=str(subject_id), detail=detail)
