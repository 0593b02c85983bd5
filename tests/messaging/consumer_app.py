"""The kerneltest consumer: handlers whose effect is an audit row that tests can count."""

from __future__ import annotations

import asyncio
import os
import time
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from shared import audit
from shared.context import current_request_id, current_tenant
from shared.contracts.routing import EVENTS_LANE, SYNC_LANE
from shared.messaging.consumer import EventConsumer
from shared.settings import Settings
from tests.messaging.probe import SERVICE, PlatformProbe, ProbeHappened, SyncProbe

EFFECT = "effect"


class ProbeFailedOnceError(RuntimeError):
    pass


def build_consumer(settings: Settings | None = None) -> EventConsumer:
    consumer = EventConsumer(SERVICE, settings, lanes=(EVENTS_LANE, SYNC_LANE))
    failed: set[UUID] = set()  # per process: "fail once" means once per worker process

    @consumer.on(ProbeHappened)
    async def apply_probe(session: AsyncSession, event: ProbeHappened) -> None:
        started_at = time.time()  # wall clock, comparable with the producer's on the same host
        tenant = current_tenant.get()
        await audit.record(
            session,
            EFFECT,
            subject_type="probe",
            subject_id=str(event.probe_id),
            detail={
                "started_at": started_at,
                "tenant_seen": str(tenant) if tenant else None,
                "request_id_seen": current_request_id.get(),
                "pid": os.getpid(),
            },
        )
        if event.hold_ms:
            await asyncio.sleep(event.hold_ms / 1000)
        if event.fail_once and event.probe_id not in failed:
            failed.add(event.probe_id)
            msg = f"probe {event.probe_id} fails its first application"
            raise ProbeFailedOnceError(msg)

    async def apply_sync_probes(session: AsyncSession, events: list[SyncProbe], *, batched: bool) -> None:
        for event in events:
            detail = {"pid": os.getpid(), "batched": batched, "tenant_seen": str(current_tenant.get())}
            await audit.record(session, EFFECT, subject_type="probe", subject_id=str(event.probe_id), detail=detail)
        if hold_ms := max((event.hold_ms for event in events), default=0):
            await asyncio.sleep(hold_ms / 1000)

    @consumer.on(SyncProbe)
    async def apply_sync_probe(session: AsyncSession, event: SyncProbe) -> None:
        await apply_sync_probes(session, [event], batched=False)

    @consumer.on_batch(SyncProbe)
    async def apply_sync_probe_batch(session: AsyncSession, events: list[SyncProbe]) -> None:
        await apply_sync_probes(session, events, batched=True)

    @consumer.on(PlatformProbe, system=True)
    async def apply_platform_probe(session: AsyncSession, event: PlatformProbe) -> None:
        await audit.record(session, EFFECT, subject_type="platform-probe", subject_id=str(event.probe_id))

    return consumer
