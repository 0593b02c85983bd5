"""Warnings (4.7 item 3, EVT-01): every way a member comes to hold the "warned" flag records one warning and
publishes one ``MemberWarned``, on which training opens a re-education case (TRN-05)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.honours.models import MemberWarning
from services.orgtree.members.models import Member
from shared.clock import now
from shared.contracts.orgtree import MemberWarned
from shared.messaging.outbox import publish

WARNED = "warned"


def newly_warned(before: list[str], after: list[str]) -> bool:
    """True when a change of flags gives the member the "warned" flag it did not hold."""
    return WARNED in after and WARNED not in before


async def record_warning(
    session: AsyncSession, member: Member, *, warned_on: date, reason: str | None, by: UUID | None
) -> MemberWarning:
    """The warning row and its event, in the caller's transaction (the member row must be flushed)."""
    warning = MemberWarning(member_id=member.id, warned_on=warned_on, reason=reason, recorded_by=by, recorded_at=now())
    session.add(warning)
    await session.flush()
    event = MemberWarned(
        tenant_id=member.tenant_id, member_id=member.id, branch_path=member.branch_path, warned_on=warned_on
    )
    await publish(session, event)
    return warning
