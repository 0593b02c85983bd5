"""The scheduled publication of a service's figures for its city's view (GW-02), the same for every service that
publishes some: each district in its own transaction on the application role (RLS holds), through the outbox to
the gateway. A run each minute takes a tenth of the districts (``in_this_slice``), so no run holds up the
scheduler's clock sweeps for long; a rerun publishes the same periods again and the gateway keeps the latest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import now
from shared.contracts.city import SLICE_S, in_this_slice
from shared.scheduler import Job, apply_each, due_across_districts
from shared.settings import Settings

PublishDistrict = Callable[[AsyncSession, UUID], Awaitable[int]]


@dataclass(frozen=True)
class FiguresPublication:
    """``publish_district`` run over every district ``districts`` (a query of tenant ids) finds."""

    service: str
    districts: Executable
    publish_district: PublishDistrict

    @property
    def actor(self) -> str:
        return f"system:{self.service}-city-figures"

    async def publish_all(self, settings: Settings, *, only: Callable[[UUID], bool] = lambda _: True) -> int:
        """One run over every district (``only`` those it admits); returns how many periods were published."""
        found = await due_across_districts(settings, self.service, self.districts)
        due = [(row[0], row[0]) for row in found if only(row[0])]
        return await apply_each(settings, self.service, due, self.publish_district, actor=self.actor)

    async def publish_slice(self, settings: Settings) -> int:
        """The scheduled run: this minute's slice of the districts, so each is published every ten minutes."""
        moment = now()
        return await self.publish_all(settings, only=lambda district: in_this_slice(district, moment))

    @property
    def jobs(self) -> list[Job]:
        return [Job(f"{self.service}.city_figures", SLICE_S, self.publish_slice)]
