"""The weekly compliance report (一周一访, DSP-24): the red-cell links of the caller's scope whose member has not
visited the household in the district's ``visitIntervalDays`` (7 by default [000]), counted per grid, village or
street, with one page of the unvisited links. The whole scope's links are read once (a district has thousands,
not millions) and grouped here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.access import is_operator
from services.dispatch.catalogue.defaults import ORG_LEVELS
from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink
from services.dispatch.visits.models import Visit
from services.dispatch.visits.rules import member_names, shown_name, visit_rules
from services.dispatch.visits.schemas import ComplianceReport, UnitCompliance, UnvisitedLink
from shared.auth.principal import Principal
from shared.clock import now
from shared.db.paths import under
from shared.http.problems import invalid

BY = ("grid", "village", "street")


@dataclass(frozen=True)
class LinkRow:
    household_id: UUID
    member_id: UUID
    grid_id: UUID | None
    grid_name: str | None
    unit: tuple[UUID | None, str | None]
    last_visited_at: datetime | None


def unit_of(
    by: str, grid_id: UUID | None, grid_name: str | None, ancestors: list[dict[str, str]]
) -> tuple[UUID | None, str | None]:
    """The grid itself, or its ancestor at the village or street level (None where the chain lacks one)."""
    if by == "grid":
        return grid_id, grid_name
    for unit in ancestors:
        if unit.get("level") in ORG_LEVELS[by]:
            return UUID(unit["id"]), unit.get("name")
    return None, None


class ComplianceService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def _links(self, by: str, since: datetime) -> list[LinkRow]:
        last = (
            select(func.max(Visit.visited_at))
            .where(Visit.household_id == DirectoryLink.household_id, Visit.member_id == DirectoryLink.member_id)
            .scalar_subquery()
        )
        query: Any = (
            select(
                DirectoryLink.household_id,
                DirectoryLink.member_id,
                DirectoryGrid.grid_id,
                DirectoryGrid.name,
                DirectoryGrid.ancestors,
                last,
            )
            .join(DirectoryHousehold, DirectoryHousehold.household_id == DirectoryLink.household_id, isouter=True)
            .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id, isouter=True)
        )
        if not is_operator(self.principal) and self.principal.scope is not None:
            query = query.where(under(DirectoryGrid.path, self.principal.scope))
        rows = await self.session.execute(query)
        return [
            LinkRow(household, member, grid_id, grid_name, unit_of(by, grid_id, grid_name, ancestors or []), last_at)
            for household, member, grid_id, grid_name, ancestors, last_at in rows
        ]

    async def report(self, by: str, unit_id: UUID | None, offset: int, limit: int) -> ComplianceReport:
        if by not in BY:
            raise invalid("query.by", f"one of: {', '.join(BY)}")
        days = (await visit_rules(self.session)).interval_days
        since = now() - timedelta(days=days)
        links = await self._links(by, since)
        if unit_id is not None:
            links = [link for link in links if link.unit[0] == unit_id]
        units: dict[UUID | None, UnitCompliance] = {}
        for link in links:
            unit = units.setdefault(
                link.unit[0], UnitCompliance(unit_id=link.unit[0], name=link.unit[1], links=0, unvisited=0)
            )
            unit.links += 1
            unit.unvisited += link.last_visited_at is None or link.last_visited_at < since
        unvisited = [link for link in links if link.last_visited_at is None or link.last_visited_at < since]
        # longest unvisited first (never visited before all), then by grid
        unvisited.sort(
            key=lambda k: (
                k.last_visited_at is not None,
                k.last_visited_at or since,
                k.grid_name or "",
                str(k.household_id),
            )
        )
        page = unvisited[offset : offset + limit]
        names = await member_names(self.session, {link.member_id for link in page})
        items = [
            UnvisitedLink(
                household_id=link.household_id,
                member_id=link.member_id,
                member_name=shown_name(self.principal, names.get(link.member_id), own=False),
                grid_id=link.grid_id,
                grid_name=link.grid_name,
                unit_id=link.unit[0],
                unit_name=link.unit[1],
                last_visited_at=link.last_visited_at,
            )
            for link in page
        ]
        total = UnitCompliance(unit_id=None, name=None, links=len(links), unvisited=len(unvisited))
        ordered = sorted(units.values(), key=lambda u: (-u.unvisited, u.name or ""))
        more = offset + limit < len(unvisited)
        return ComplianceReport(
            by=by,
            days=days,
            since=since,
            total=total,
            units=ordered,
            items=items,
            offset=offset,
            next_offset=offset + limit if more else None,
        )
