"""What the ledger's and the accountability records' tests share: events delivered through training's consumer
as the worker would, and the district's points categories as provisioning seeds them."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import services.training.accountability.actors
import services.training.points.actors  # noqa: F401 - register the handlers on the consumer
from services.training.events import consumer
from services.training.models import PendingCredit, PointsEntry
from services.training.points.defaults import seed_points_categories
from shared.contracts.base import Event
from shared.settings import Settings
from tests.platform.events import envelope
from tests.training.builders import District


async def deliver(settings: Settings, event: Event) -> list[bool]:
    """The envelope twice (the inbox skips the second), then the same event replayed under a new envelope id:
    whether the consumer applied each."""
    consumer._settings = settings
    raw = envelope(event)
    return [
        await consumer.handle(raw),
        await consumer.handle(raw),
        await consumer.handle({**raw, "id": str(uuid.uuid4())}),
    ]


async def with_categories(district: District) -> District:
    await district.run(seed_points_categories)
    return district


async def entries(district: District) -> list[PointsEntry]:
    async def read(session: AsyncSession) -> list[PointsEntry]:
        return list(await session.scalars(select(PointsEntry).order_by(PointsEntry.occurred_at, PointsEntry.id)))

    found: list[PointsEntry] = await district.run(read)
    return found


async def pending(district: District) -> list[PendingCredit]:
    async def read(session: AsyncSession) -> list[PendingCredit]:
        return list(await session.scalars(select(PendingCredit)))

    found: list[PendingCredit] = await district.run(read)
    return found
