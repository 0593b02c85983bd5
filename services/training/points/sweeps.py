"""Credits that waited for their person (``ledger.py``) are entered once orgtree's event has made the person.

Finding them crosses districts (system role); each is entered in its own district's transaction on the
application role, the pending row locked first and deleted with the entry, so two schedulers enter it once.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.training import SERVICE
from services.training.people.models import Person
from services.training.points.ledger import Credit, enter
from services.training.points.models import PendingCredit
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

SWEEP_INTERVAL_S = 10.0
BATCH = 500
SYSTEM_ACTOR = "system:training-scheduler"


# a waiting credit names its person by member id (a service) or by account (a wish)
ARRIVED = or_(
    and_(PendingCredit.member_id.is_not(None), Person.member_id == PendingCredit.member_id),
    and_(PendingCredit.user_id.is_not(None), Person.user_id == PendingCredit.user_id),
)


async def enter_pending(session: AsyncSession, pending_id: UUID) -> int:
    """Enter one waiting credit if its person is known now; 1 when it left the waiting list."""
    pending = await session.scalar(
        select(PendingCredit).where(PendingCredit.id == pending_id).with_for_update(skip_locked=True)
    )
    if pending is None:
        return 0
    key = Person.member_id == pending.member_id if pending.member_id else Person.user_id == pending.user_id
    person_id = await session.scalar(select(Person.id).where(key))
    if person_id is None:
        return 0
    fields = ("category", "points", "reason", "source_kind", "source_id", "occurred_at")
    await enter(session, person_id, Credit(**{name: getattr(pending, name) for name in fields}))
    await session.execute(delete(PendingCredit).where(PendingCredit.id == pending.id))
    return 1


async def sweep_pending_credits(settings: Settings) -> int:
    """One run: every waiting credit whose person has arrived, oldest first."""
    arrived = exists().where(Person.tenant_id == PendingCredit.tenant_id, ARRIVED)
    query = (
        select(PendingCredit.tenant_id, PendingCredit.id)
        .where(arrived)
        .order_by(PendingCredit.occurred_at)
        .limit(BATCH)
    )
    due = [(row.tenant_id, row.id) for row in await due_across_districts(settings, SERVICE, query)]
    return await apply_each(settings, SERVICE, due, enter_pending, actor=SYSTEM_ACTOR)


JOBS: list[Job] = [Job(f"{SERVICE}.points_pending", SWEEP_INTERVAL_S, sweep_pending_credits)]
