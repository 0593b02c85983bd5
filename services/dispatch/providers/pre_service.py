"""Pre-service training before a member volunteer takes orders (DSP-12, EVT-14).

Training publishes ``PreServiceTrainingCompleted`` for a person; here it is kept as a completion row and written
on the member volunteer's provider row, matched by the member's id, or by the person's login when training knows
no member. The completion row is what makes the order of events not matter: a provider row that orgtree's
``MemberCreated`` or ``MemberUpdated`` brings in later reads its completion from it (``completed_at_for``,
``catch_up``). The earliest completion counts; replaying an event, under the same or a new envelope id, writes
nothing.

Only member volunteers are held back. Teams, studios and firms are organisations, and a skilled resident is
registered one by one at the hotline, which checks their trade, card and insurance then; training's residents
carry no id dispatch knows, so a completion could not reach them anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.dispatch.catalogue.models import DispatchSettings
from services.dispatch.providers.models import PreServiceCompletion, Provider, ProviderKind
from shared.context import require_tenant
from shared.contracts.training import PreServiceTrainingCompleted

C = PreServiceCompletion


def _same_person(member_id: Any, user_id: Any) -> ColumnElement[bool]:
    """A completion that belongs to the member (or, where training knew no member, the login) given."""
    return or_(C.member_id == member_id, and_(C.member_id.is_(None), C.user_id == user_id))


def completed_at_for(member_id: Any, user_id: Any) -> Any:
    """The earliest recorded completion of that member or login, as a scalar subquery (NULL: none)."""
    return select(func.min(C.completed_at)).where(_same_person(member_id, user_id)).scalar_subquery()


async def required(session: AsyncSession) -> bool:
    """Whether this district holds member volunteers back until their pre-service training (no hotline: no)."""
    return bool(await session.scalar(select(DispatchSettings.require_pre_service)))


async def record_completion(session: AsyncSession, event: PreServiceTrainingCompleted) -> None:
    """Keep the completion (the earliest of the person's), then mark the member volunteer's provider row."""
    insert = pg_insert(C).values(
        tenant_id=require_tenant(),
        person_id=event.person_id,
        member_id=event.member_id,
        user_id=event.user_id,
        completed_at=event.completed_at,
        session_id=event.session_id,
    )
    new = insert.excluded
    earlier = new.completed_at < C.completed_at
    set_ = {
        "member_id": func.coalesce(new.member_id, C.member_id),
        "user_id": func.coalesce(new.user_id, C.user_id),
        "completed_at": func.least(new.completed_at, C.completed_at),
        "session_id": case((earlier, new.session_id), else_=C.session_id),
    }
    changed = or_(*(getattr(C, name).is_distinct_from(value) for name, value in set_.items()))
    await session.execute(insert.on_conflict_do_update(index_elements=[C.person_id], set_=set_, where=changed))
    if event.member_id is not None:
        person: ColumnElement[bool] = Provider.member_id == event.member_id
    elif event.user_id is not None:
        person = Provider.user_id == event.user_id
    else:
        return  # a resident training knows by name only: no provider row can be theirs
    await _mark(session, person, event.completed_at)


async def _mark(session: AsyncSession, person: ColumnElement[bool], completed_at: datetime) -> None:
    unmarked = or_(Provider.pre_service_completed_at.is_(None), Provider.pre_service_completed_at > completed_at)
    await session.execute(
        update(Provider)
        .where(Provider.kind == ProviderKind.MEMBER_VOLUNTEER, person, unmarked)
        .values(pre_service_completed_at=completed_at)
        .execution_options(synchronize_session=False)
    )


async def catch_up(session: AsyncSession, member_id: UUID) -> None:
    """The member volunteer's row takes a completion that arrived before it, or before its login was linked;
    nothing is written when there is none or the row has it already."""
    completed = completed_at_for(Provider.member_id, Provider.user_id)
    await session.execute(
        update(Provider)
        .where(
            Provider.member_id == member_id,
            Provider.kind == ProviderKind.MEMBER_VOLUNTEER,
            Provider.pre_service_completed_at.is_(None),
            completed.is_not(None),
        )
        .values(pre_service_completed_at=completed)
        .execution_options(synchronize_session=False)
    )
