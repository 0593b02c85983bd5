"""The figures districts publish for their city (GW-02), kept per district, source and period: an upsert that keeps
the latest computation, so a redelivery or a late older run changes nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.city.services import record_figures
from gateway.events import consumer
from shared.contracts.city import CareFiguresPublished, HotlineFiguresPublished, NetworkFiguresPublished


@consumer.on(HotlineFiguresPublished, system=True)
async def hold_hotline_figures(session: AsyncSession, event: HotlineFiguresPublished) -> None:
    assert event.tenant_id is not None
    await record_figures(
        session, event.tenant_id, "hotline", period=event.period, computed_at=event.computed_at, figures=event.figures
    )


@consumer.on(NetworkFiguresPublished, system=True)
async def hold_network_figures(session: AsyncSession, event: NetworkFiguresPublished) -> None:
    assert event.tenant_id is not None
    await record_figures(
        session, event.tenant_id, "network", period=event.period, computed_at=event.computed_at, figures=event.figures
    )


@consumer.on(CareFiguresPublished, system=True)
async def hold_care_figures(session: AsyncSession, event: CareFiguresPublished) -> None:
    assert event.tenant_id is not None
    await record_figures(
        session, event.tenant_id, "care", period=event.period, computed_at=event.computed_at, figures=event.figures
    )
