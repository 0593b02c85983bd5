"""The served people's scores per handling department (DSP-19, Yantian's appraisal ledger [001/SZ-29]): after
closure the requester scores the handler, the studio or station, the process and the result (1..5, on the feedback
form of ``closure/``); here they are averaged per department for a period, for export into departments' performance
scores. A department is the provider that handled the order (team, studio, firm, member volunteer); tickets the
answerable unit handled itself are counted together, without a provider.

Each ticket counts once, by its latest feedback, when that feedback was given in the period (district time zone)
and carries at least one score. Staff confined to a subtree count only its tickets."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.services import district_settings
from services.dispatch.ledgers.schemas import DepartmentScores, ScoresReport
from services.dispatch.proposals.period import period
from shared.auth.principal import Principal

SCORES = ("handler", "station", "process", "result")

_QUERY = """
WITH latest AS (
    SELECT DISTINCT ON (f.ticket_id) f.ticket_id, f.satisfied, f.given_at,
           f.handler_score, f.station_score, f.process_score, f.result_score
      FROM feedback f
     ORDER BY f.ticket_id, f.given_at DESC, f.id DESC
)
SELECT GROUPING(t.provider_id) AS is_total, t.provider_id, p.name, p.kind,
       count(*) AS rated, count(*) FILTER (WHERE l.satisfied) AS satisfied,
       avg(l.handler_score) AS handler, avg(l.station_score) AS station,
       avg(l.process_score) AS process, avg(l.result_score) AS result
  FROM latest l
  JOIN ticket t ON t.id = l.ticket_id
  LEFT JOIN provider p ON p.id = t.provider_id
 WHERE l.given_at >= :start AND l.given_at < :end
   AND t.status NOT IN ('merged', 'cancelled')
   AND num_nonnulls(l.handler_score, l.station_score, l.process_score, l.result_score) > 0 {scope}
 GROUP BY GROUPING SETS ((t.provider_id, p.name, p.kind), ())
"""


def _mean(value: Any) -> float | None:
    return round(float(value), 2) if value is not None else None


def department(row: Any) -> DepartmentScores:
    averages = {score: _mean(getattr(row, score)) for score in SCORES}
    known = [v for v in averages.values() if v is not None]
    return DepartmentScores(
        provider_id=UUID(str(row.provider_id)) if row.provider_id else None,
        name=row.name,
        kind=row.kind,
        rated=row.rated,
        satisfied=row.satisfied,
        overall=round(sum(known) / len(known), 2) if known else None,
        **averages,
    )


class ScoresService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def report(self, first: str | None, last: str | None) -> ScoresReport:
        start, end = period(first, last)
        zone = ZoneInfo((await district_settings(self.session)).timezone)
        params: dict[str, Any] = {
            "start": datetime.combine(start, time.min, zone),
            "end": datetime.combine(end + timedelta(days=1), time.min, zone),
        }
        scope = ""
        if not is_operator(self.principal) and self.principal.scope is not None:
            scope = "AND t.grid_path >= :scope AND t.grid_path < :scope_end"
            params |= {"scope": self.principal.scope, "scope_end": self.principal.scope + "~"}
        rows = (await self.session.execute(text(_QUERY.format(scope=scope)), params)).all()
        total = next((department(r) for r in rows if r.is_total), None)
        departments = [department(r) for r in rows if not r.is_total]
        departments.sort(key=lambda d: (d.overall is None, -(d.overall or 0.0), -d.rated, d.name or ""))
        empty = DepartmentScores(
            provider_id=None,
            name=None,
            kind=None,
            rated=0,
            satisfied=0,
            handler=None,
            station=None,
            process=None,
            result=None,
            overall=None,
        )
        return ScoresReport(from_=start, to=end, total=total or empty, departments=departments)
