"""三率 per grid, village, street or provider for tickets received in a period (peer-systems 1.2, 4.1).

Definitions (tickets received from ``from`` to ``to`` inclusive, in the district's time zone; merged
duplicates and withdrawn tickets are not counted):

- responded: signed for within the category's sign-for limit. Signing for is a provider accepting the
  order (``accepted_at``) or, for a case its unit handles, the ticket's first move to ``assigned``;
  the limit runs from dispatch (``dispatched_at``, else intake). A category without a limit counts any
  sign-for. Minutes are wall-clock, also for working-time categories (stricter than their clock).
- resolved: resolved or closed now (a reopened ticket is not resolved until it is resolved again).
- rated / satisfied: the ticket has feedback / its latest feedback is satisfied.
- responseRate = responded / tickets, resolutionRate = resolved / tickets,
  satisfactionRate = satisfied / rated; the score weighs them 30 / 35 / 35 (准格尔旗) on 0..100.

One aggregate statement does the counting; staff confined to a subtree count only its tickets.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.catalogue.services import district_settings
from services.dispatch.reports.schemas import RatesReport, UnitRates
from shared.auth.principal import Principal
from shared.http.problems import invalid

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
WEIGHTS = (30.0, 35.0, 35.0)
BY = ("grid", "village", "street", "provider")
MAX_DAYS = 366
COUNTS = ("tickets", "responded", "resolved", "rated", "satisfied")  # as the query and UnitRates name them
RATES = ("response_rate", "resolution_rate", "satisfaction_rate")


def _codes(org_level: str) -> str:
    return "(" + ", ".join(f"'{code}'" for code in ORG_LEVELS[org_level]) + ")"


def _first_of(org_level: str) -> str:
    """A jsonpath picking the grid's ancestor at ``org_level`` (orgtree's level codes for it)."""
    return "'$[*] ? (" + " || ".join(f'@.level == "{code}"' for code in ORG_LEVELS[org_level]) + ")'"


_VILLAGE, _STREET = _first_of("village"), _first_of("street")
_NAMES = "(SELECT jsonb_agg(a->>'name') FROM jsonb_array_elements(g.ancestors) a {where})"
# unit id, unit name, ancestor names (JSON array) for each grouping.
_UNITS: dict[str, tuple[str, str, str]] = {
    "grid": ("g.grid_id::text", "g.name", _NAMES.format(where="")),
    "village": (
        f"jsonb_path_query_first(g.ancestors, {_VILLAGE})->>'id'",
        f"jsonb_path_query_first(g.ancestors, {_VILLAGE})->>'name'",
        _NAMES.format(where=f"WHERE a->>'level' NOT IN {_codes('village')}"),
    ),
    "street": (
        f"jsonb_path_query_first(g.ancestors, {_STREET})->>'id'",
        f"jsonb_path_query_first(g.ancestors, {_STREET})->>'name'",
        _NAMES.format(where=f"WHERE a->>'level' IN {_codes('district')}"),
    ),
    "provider": ("p.id::text", "p.name", "NULL::jsonb"),
}

_QUERY = """
WITH received AS (
    SELECT t.status, t.grid_id, t.provider_id, c.sign_for_minutes,
           coalesce(t.dispatched_at, t.created_at) AS started_at,
           coalesce(t.accepted_at, (SELECT min(h.at) FROM ticket_history h
                                     WHERE h.ticket_id = t.id AND h.to_status = 'assigned')) AS signed_at,
           (SELECT f.satisfied FROM feedback f WHERE f.ticket_id = t.id
             ORDER BY f.given_at DESC, f.id DESC LIMIT 1) AS satisfied
      FROM ticket t
      LEFT JOIN service_category c ON c.id = t.category_id
     WHERE t.created_at >= :start AND t.created_at < :end
       AND t.status NOT IN ('merged', 'cancelled') {scope}
)
SELECT {unit_id} AS unit_id, {unit_name} AS unit_name, {ancestors} AS ancestors,
       count(*) AS tickets,
       count(*) FILTER (WHERE r.signed_at IS NOT NULL AND (r.sign_for_minutes IS NULL
                        OR r.signed_at - r.started_at <= make_interval(mins => r.sign_for_minutes))) AS responded,
       count(*) FILTER (WHERE r.status IN ('resolved', 'closed')) AS resolved,
       count(r.satisfied) AS rated,
       count(*) FILTER (WHERE r.satisfied) AS satisfied
  FROM received r
  LEFT JOIN directory_grid g ON g.grid_id = r.grid_id
  LEFT JOIN provider p ON p.id = r.provider_id
 GROUP BY 1, 2, 3
"""


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def unit_rates(unit_id: UUID | None, name: str | None, ancestors: list[str], counts: tuple[int, ...]) -> UnitRates:
    tickets, responded, resolved, rated, satisfied = counts
    rates = (_rate(responded, tickets), _rate(resolved, tickets), _rate(satisfied, rated))
    known = [r for r in rates if r is not None]
    score = round(sum(w * r for w, r in zip(WEIGHTS, known, strict=True)), 2) if len(known) == len(rates) else None
    named: dict[str, Any] = dict(zip(COUNTS, counts, strict=True)) | dict(zip(RATES, rates, strict=True))
    return UnitRates(unit_id=unit_id, name=name, ancestors=ancestors, score=score, **named)


def day(parameter: str, value: str | None) -> date:
    """A calendar day written YYYY-MM-DD; the query parameter is named in the 422 otherwise."""
    if value is None:
        raise invalid(f"query.{parameter}", "required: a date written YYYY-MM-DD")
    try:
        if _DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise invalid(f"query.{parameter}", "a date written YYYY-MM-DD")


class RatesService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def rates(self, first: str | None, last: str | None, by: str) -> RatesReport:
        start, end = day("from", first), day("to", last)
        if by not in BY:
            raise invalid("query.by", f"one of: {', '.join(BY)}")
        if start > end:
            raise invalid("query.from", "the period starts after it ends (from must not be after to)")
        if (end - start).days >= MAX_DAYS:
            raise invalid("query.to", f"a report covers at most {MAX_DAYS} days")
        zone = ZoneInfo((await district_settings(self.session)).timezone)
        params: dict[str, Any] = {
            "start": datetime.combine(start, time.min, zone),
            "end": datetime.combine(end + timedelta(days=1), time.min, zone),
        }
        scope = ""
        if not is_operator(self.principal) and self.principal.scope is not None:
            scope = "AND t.grid_path >= :scope AND t.grid_path < :scope_end"
            params |= {"scope": self.principal.scope, "scope_end": self.principal.scope + "~"}
        unit_id, unit_name, ancestors = _UNITS[by]
        query = _QUERY.format(scope=scope, unit_id=unit_id, unit_name=unit_name, ancestors=ancestors)
        rows = (await self.session.execute(text(query), params)).all()
        units = [
            unit_rates(
                UUID(row.unit_id) if row.unit_id else None,
                row.unit_name,
                list(row.ancestors or []),
                tuple(getattr(row, count) for count in COUNTS),
            )
            for row in rows
        ]
        units.sort(key=lambda u: (u.score is None, -(u.score or 0.0), -u.tickets, u.name or ""))
        totals = tuple(sum(getattr(u, count) for u in units) for count in COUNTS)
        return RatesReport(from_=start, to=end, by=by, total=unit_rates(None, None, [], totals), units=units)
