"""The scheduled publication: every district's hotline figures for today, yesterday and this month (and last month
on the 1st), each district in its own transaction on the application role (RLS holds), as events through the
outbox to the gateway, which keeps the latest computation of each period. A run each minute takes a tenth of the
districts (``in_this_slice``), so no run holds up the scheduler's clock sweeps for long. A rerun publishes the
same periods again; the gateway's upsert keeps whichever was computed last."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch import SERVICE
from services.dispatch.catalogue.models import DispatchSettings
from services.dispatch.catalogue.services import district_settings
from services.dispatch.city_figures.figures import hotline_figures
from shared.clock import now
from shared.contracts.city import SLICE_S, HotlineFiguresPublished, in_this_slice, periods_to_publish
from shared.messaging.outbox import publish
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

ACTOR = "system:dispatch-city-figures"


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


async def publish_all(settings: Settings, *, only: Callable[[UUID], bool] = lambda _: True) -> int:
    """One run over every district (``only`` those it admits); returns how many periods were published."""
    districts = await due_across_districts(settings, SERVICE, select(DispatchSettings.tenant_id))
    due = [(row[0], row[0]) for row in districts if only(row[0])]
    return await apply_each(settings, SERVICE, due, publish_district, actor=ACTOR)


async def publish_slice(settings: Settings) -> int:
    """The scheduled run: this minute's slice of the districts, so each is published every ten minutes."""
    moment = now()
    return await publish_all(settings, only=lambda district: in_this_slice(district, moment))


JOBS: list[Job] = [Job(f"{SERVICE}.city_figures", SLICE_S, publish_slice)]
