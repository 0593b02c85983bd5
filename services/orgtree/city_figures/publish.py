"""The Yaoxi network roll-up (ORG-12) and red-cell coverage (ORG-08) of each whole district, as the reports compute
them (``reports/services.py``), published on a schedule for the city's view: counts and a percentage, never the
members' names the coverage report lists for the district's own staff. Each district in its own transaction on the
application role (RLS holds); the figures are as of the run, kept by the gateway under today and this month."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree import SERVICE
from services.orgtree.levels.models import DistrictSettings
from services.orgtree.nodes.models import OrgNode, TreeKind
from services.orgtree.nodes.services import NodeService
from services.orgtree.reports.services import ReportService
from shared.auth.principal import Principal, Role
from shared.city_figures import FiguresPublication
from shared.clock import CHINA, now
from shared.contracts.city import NetworkFigures, NetworkFiguresPublished, periods_to_publish
from shared.messaging.outbox import publish
from shared.scheduler import Job

# The district as a whole, as its administrator sees it: the reports' own rules apply.
_DISTRICT_WIDE = frozenset({Role.DISTRICT_ADMIN.value})


async def network_figures(session: AsyncSession, tenant_id: UUID) -> NetworkFigures | None:
    """The whole district's figures, in the session's district; None before its tree has a root."""
    root = await session.scalar(
        select(OrgNode.id).where(OrgNode.parent_id.is_(None), OrgNode.tree == TreeKind.ADMINISTRATIVE).limit(1)
    )
    if root is None:
        return None
    principal = Principal(user_id=UUID(int=0), tenant_id=tenant_id, roles=_DISTRICT_WIDE)
    reports = ReportService(session, NodeService(session, principal))
    chain = await reports.network(root)
    coverage = await reports.coverage(None)
    return NetworkFigures(
        stationed_cadres=chain.stationed_cadres,
        village_cadres=chain.village_cadres,
        red_collar_leaders=chain.red_collar_leaders,
        members=chain.members,
        households=chain.households,
        unserved_households=coverage.unserved_households,
        coverage_percent=coverage.coverage_percent,
        members_outside_range=coverage.members_outside_range,
        links_min=coverage.links_min,
        links_max=coverage.links_max,
    )


async def publish_district(session: AsyncSession, tenant_id: UUID, periods: list[str] | None = None) -> int:
    """Publish the district's figures under ``periods`` (by default today, yesterday and this month in China, where
    the districts' days begin); returns how many periods it published."""
    figures = await network_figures(session, tenant_id)
    if figures is None:
        return 0
    computed_at = now()
    chosen = periods if periods is not None else periods_to_publish(computed_at.astimezone(CHINA).date())
    for period in chosen:
        event = NetworkFiguresPublished(tenant_id=tenant_id, period=period, computed_at=computed_at, figures=figures)
        await publish(session, event)
    return len(chosen)


PUBLICATION = FiguresPublication(SERVICE, select(DistrictSettings.tenant_id), publish_district)
publish_all = PUBLICATION.publish_all
JOBS: list[Job] = PUBLICATION.jobs
