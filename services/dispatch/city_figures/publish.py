"""The scheduled publication: every district's hotline figures for today, yesterday and this month (and last month
on the 1st), each district in its own transaction on the application role (RLS holds), as events through the
outbox to the gateway, which keeps the latest computation of each period. A run each minute takes a tenth of the
districts (``in_this_slice``), so no run holds up the scheduler's clock sweeps for long. A rerun publishes the
same periods again; the gateway's upsert keeps whichever was computed last."""

from __future__ import annotations

from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch import SERVICE
from services.dispatch.catalogue.models import DispatchSettings
from services.dispatch.catalogue.services import district_settings
from services.dispatch.city_figures.figures import hotline_figures
from shared.city_figures import FiguresPublication
from shared.clock import now
from shared.contracts.city import HotlineFiguresPublished, periods_to_publish
from shared.messaging.outbox import publish
from shared.scheduler import Job


async def publish_district(session: AsyncSession, tenant_id: UUID, periods: list[str] | None = None) -> int:
    """Compute and publish the district's figures for ``periods`` (by default what a scheduled run publishes, in the
    district's time zone); returns how many periods it published."""
    zone = ZoneInfo((await district_settings(session)).timezone)
    computed_at = now()
    chosen = periods if periods is not None else periods_to_publish(computed_at.astimezone(zone).date())
    for period in chosen:
        figures = await hotline_figures(session, tenant_id, period, zone)
        event = HotlineFiguresPublished(tenant_id=tenant_id, period=period, computed_at=computed_at, figures=figures)
        await publish(session, event)
    return len(chosen)


PUBLICATION = FiguresPublication(SERVICE, select(DispatchSettings.tenant_id), publish_district)
publish_all = PUBLICATION.publish_all
JOBS: list[Job] = PUBLICATION.jobs
