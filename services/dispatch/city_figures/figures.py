"""A district's hotline figures over a period: the 三率 exactly as the reports compute them (``reports/services.py``,
summed over every ticket of the district), volumes, overdue marks, the open tickets and micro-visit compliance.
Counts only: nothing here reads a caller, an address or a name."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.reports.services import RatesService
from services.dispatch.visits.compliance import ComplianceService
from shared.auth.principal import Principal, Role
from shared.contracts.city import DailyVolume, HotlineFigures, period_days

# The district as a whole, as its administrator sees it (no subtree, no person): the reports' own rules apply.
_DISTRICT_WIDE = frozenset({Role.DISTRICT_ADMIN.value})
_SYSTEM_USER = UUID(int=0)

_MARKS = """
SELECT (t.created_at AT TIME ZONE :zone)::date AS day,
       count(*) AS tickets,
       count(*) FILTER (WHERE t.warning IS NOT NULL) AS overdue,
       count(*) FILTER (WHERE t.warning = 'yellow') AS yellow,
       count(*) FILTER (WHERE t.warning = 'red') AS red,
       count(*) FILTER (WHERE t.status IN ('new', 'routing', 'assigned', 'on_site')) AS open
  FROM ticket t
 WHERE t.created_at >= :start AND t.created_at < :end AND t.status NOT IN ('merged', 'cancelled')
 GROUP BY 1
 ORDER BY 1
"""


async def hotline_figures(session: AsyncSession, tenant_id: UUID, period: str, zone: ZoneInfo) -> HotlineFigures:
    """The district's figures for ``period``, in the session's district (RLS holds)."""
    days_covered = period_days(period)
    if days_covered is None:
        msg = f"not a period: {period!r}"
        raise ValueError(msg)
    first, last = days_covered
    principal = Principal(user_id=_SYSTEM_USER, tenant_id=tenant_id, roles=_DISTRICT_WIDE)
    rates = (await RatesService(session, principal).rates(first.isoformat(), last.isoformat(), "grid")).total
    params: dict[str, Any] = {
        "zone": zone.key,
        "start": datetime.combine(first, time.min, zone),
        "end": datetime.combine(last + timedelta(days=1), time.min, zone),
    }
    days = (await session.execute(text(_MARKS), params)).all()
    visits = (await ComplianceService(session, principal).report("street", None, 0, 0)).total
    return HotlineFigures(
        tickets=rates.tickets,
        responded=rates.responded,
        resolved=rates.resolved,
        rated=rates.rated,
        satisfied=rates.satisfied,
        response_rate=rates.response_rate,
        resolution_rate=rates.resolution_rate,
        satisfaction_rate=rates.satisfaction_rate,
        score=rates.score,
        overdue_yellow=sum(d.yellow for d in days),
        overdue_red=sum(d.red for d in days),
        open=sum(d.open for d in days),
        visit_links=visits.links,
        visits_due=visits.unvisited,
        daily=[DailyVolume(day=d.day, tickets=d.tickets, overdue=d.overdue) for d in days] if first != last else [],
    )
