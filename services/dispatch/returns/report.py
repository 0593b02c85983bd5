"""Ping-pong per unit: the returns each unit made in a period, how they were ruled, and how many of its returned
tickets were returned more than once (by it or by anyone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.clocks.calendar import district_zone
from services.dispatch.returns.models import ReturnState, TicketReturn
from services.dispatch.returns.schemas import Counts, ReturnReport, UnitCount
from shared.auth.principal import Principal
from shared.db.paths import under
from shared.http.problems import invalid

R = TicketReturn


async def ping_pong(session: AsyncSession, principal: Principal, start: date | None, end: date | None) -> ReturnReport:
    if start is not None and end is not None and end < start:
        raise invalid("query.to", "must not be before from")
    period: list[Any] = []
    zone = await district_zone(session)
    if start is not None:
        period.append(R.filed_at >= datetime.combine(start, time(0, 0), zone))
    if end is not None:
        period.append(R.filed_at < datetime.combine(end + timedelta(days=1), time(0, 0), zone))
    repeated = select(R.ticket_id).where(*period).group_by(R.ticket_id).having(func.count() > 1)
    counted = (
        select(
            R.returning_unit_id,
            func.max(R.returning_unit_name),
            func.count(),
            func.count().filter(R.state == ReturnState.UPHELD),
            func.count().filter(R.state == ReturnState.REJECTED),
            func.count().filter(R.state == ReturnState.PENDING),
            func.count(R.ticket_id.distinct()).filter(R.ticket_id.in_(repeated)),
        )
        .where(*period)
        .group_by(R.returning_unit_id)
        .order_by(func.count().desc(), func.max(R.returning_unit_name))
    )
    tickets = select(func.count(R.ticket_id.distinct())).where(*period, R.ticket_id.in_(repeated))
    if not is_operator(principal) and principal.scope is not None:
        counted = counted.where(under(R.returning_unit_path, principal.scope))
        tickets = tickets.where(under(R.returning_unit_path, principal.scope))
    units = [
        UnitCount(
            unit_id=unit_id,
            unit_name=name,
            made=made,
            upheld=upheld,
            rejected=rejected,
            pending=pending,
            returned_more_than_once=repeats,
        )
        for unit_id, name, made, upheld, rejected, pending, repeats in (await session.execute(counted)).all()
    ]
    total = Counts(
        made=sum(u.made for u in units),
        upheld=sum(u.upheld for u in units),
        rejected=sum(u.rejected for u in units),
        pending=sum(u.pending for u in units),
        returned_more_than_once=int(await session.scalar(tickets) or 0),
    )
    return ReturnReport(from_=start, to=end, units=units, total=total)
