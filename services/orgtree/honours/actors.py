"""Training's conclusions recorded in orgtree (EVT-02, EVT-13). Beside the consumer's inbox, each handler keys its
row on the event's own id (case, rating entry, award), so a copy of an event under a new envelope adds nothing."""

from __future__ import annotations

import msgspec
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.events import consumer
from services.orgtree.honours.dispositions import acting_for, carry_out
from services.orgtree.honours.models import Disposition, DispositionState, HonourTitle, StarLevel
from shared.clock import now
from shared.context import require_tenant
from shared.contracts.base import Event
from shared.contracts.training import ReEducationFailed, StarRatingPublished, TitleAwarded
from shared.db.base import uuid7


@consumer.on(ReEducationFailed)
async def dispose_of_unqualified_member(session: AsyncSession, event: ReEducationFailed) -> None:
    disposition_id = await session.scalar(
        insert(Disposition)
        .values(
            id=uuid7(),
            tenant_id=require_tenant(),
            case_id=event.case_id,
            member_id=event.member_id,
            concluded_on=event.concluded_on,
            state=DispositionState.PENDING,
            recorded_at=now(),
        )
        .on_conflict_do_nothing(constraint="uq_disposition_tenant_case")
        .returning(Disposition.id)
    )
    if disposition_id is None:
        return  # this case was disposed of (or is pending) already
    disposition = await session.get(Disposition, disposition_id)
    assert disposition is not None
    await carry_out(session, disposition, acting_for(require_tenant()))


async def record_once(session: AsyncSession, model: type[StarLevel | HonourTitle], key: str, event: Event) -> None:
    """The event's facts as one row (its subject path aside: units move, ids stay); ``key`` refuses a second."""
    # the columns' facts only: a contract may gain optional fields other consumers print (the subject's name)
    kept = set(model.__table__.columns.keys()) - {"tenant_id", "subject_path"}
    facts = {k: v for k, v in msgspec.structs.asdict(event).items() if k in kept}
    row = {"id": uuid7(), "tenant_id": require_tenant(), "recorded_at": now(), **facts}
    await session.execute(insert(model).values(**row).on_conflict_do_nothing(constraint=key))


@consumer.on(StarRatingPublished)
async def record_star_level(session: AsyncSession, event: StarRatingPublished) -> None:
    await record_once(session, StarLevel, "uq_star_level_tenant_entry", event)


@consumer.on(TitleAwarded)
async def record_title(session: AsyncSession, event: TitleAwarded) -> None:
    await record_once(session, HonourTitle, "uq_honour_title_tenant_award", event)
