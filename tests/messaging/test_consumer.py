"""EventConsumer.handle: the inbox row and the effect commit together, so redelivery changes nothing."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared import audit
from shared.contracts.base import Event, event_type
from shared.messaging.consumer import EventConsumer, after_commit
from shared.settings import Settings
from tests.messaging.consumer_app import ProbeFailedOnceError
from tests.messaging.probe import PlatformProbe, ProbeHappened, SyncProbe
from tests.messaging.support import effect_rows, effects, inbox_count
from tests.platform.events import envelope as envelope_of


def probe() -> tuple[uuid.UUID, uuid.UUID, dict[str, Any]]:
    tenant, probe_id = uuid.uuid4(), uuid.uuid4()
    return tenant, probe_id, envelope_of(ProbeHappened(tenant_id=tenant, probe_id=probe_id))


async def test_the_same_envelope_twice_applies_once(consumer: EventConsumer, kernel_system_engine: AsyncEngine) -> None:
    tenant, probe_id, envelope = probe()
    assert await consumer.handle(envelope) is True
    assert await consumer.handle(envelope) is False
    assert await effects(kernel_system_engine, [probe_id]) == {str(probe_id): 1}
    assert await inbox_count(kernel_system_engine, [uuid.UUID(envelope["id"])]) == 1
    (row,) = await effect_rows(kernel_system_engine, [probe_id])
    # the handler ran in the envelope's tenant: RLS accepted the row, and the context said so
    assert row["tenant_id"] == tenant
    assert row["detail"]["tenant_seen"] == str(tenant)


async def test_concurrent_deliveries_of_one_envelope_apply_once(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    _tenant, probe_id, envelope = probe()
    slow = envelope_of(ProbeHappened(tenant_id=uuid.UUID(envelope["tenant_id"]), probe_id=probe_id, hold_ms=300))
    slow["id"] = envelope["id"]  # the same envelope, held open: the second delivery waits on the inbox key
    results = await asyncio.gather(*(consumer.handle(slow) for _ in range(3)))
    assert sorted(results) == [False, False, True]
    assert await effects(kernel_system_engine, [probe_id]) == {str(probe_id): 1}


async def test_a_failing_handler_leaves_no_inbox_row_so_the_retry_applies_it(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    tenant, probe_id = uuid.uuid4(), uuid.uuid4()
    envelope = envelope_of(ProbeHappened(tenant_id=tenant, probe_id=probe_id, fail_once=True))
    with pytest.raises(ProbeFailedOnceError):
        await consumer.handle(envelope)
    assert await effects(kernel_system_engine, [probe_id]) == {}
    assert await inbox_count(kernel_system_engine, [uuid.UUID(envelope["id"])]) == 0
    assert await consumer.handle(envelope) is True  # the retry
    assert await effects(kernel_system_engine, [probe_id]) == {str(probe_id): 1}


async def test_a_platform_event_runs_on_the_system_role(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    probe_id = uuid.uuid4()
    envelope = envelope_of(PlatformProbe(probe_id=probe_id))
    assert await consumer.handle(envelope) is True  # the app role's RLS would refuse a tenant-less row
    assert await consumer.handle(envelope) is False
    (row,) = await effect_rows(kernel_system_engine, [probe_id])
    assert row["tenant_id"] is None


async def test_an_unknown_event_is_acknowledged_without_an_inbox_row(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    _tenant, _probe, envelope = probe()
    envelope["event"] = "kerneltest.NobodyHandlesThis"
    assert await consumer.handle(envelope) is False
    assert await inbox_count(kernel_system_engine, [uuid.UUID(envelope["id"])]) == 0


async def test_an_envelope_that_does_not_decode_raises_what_the_actor_does_not_retry(
    consumer: EventConsumer,
) -> None:
    _tenant, _probe, envelope = probe()
    del envelope["id"]
    with pytest.raises(msgspec.ValidationError):  # the actor's ``throws``: dead-lettered at once
        await consumer.handle(envelope)


def test_one_handler_per_event_and_service() -> None:
    consumer = EventConsumer("kerneltest")

    @consumer.on(ProbeHappened)
    async def first(session: AsyncSession, event: ProbeHappened) -> None:
        return None

    with pytest.raises(ValueError, match="already handles"):

        @consumer.on(ProbeHappened)
        async def second(session: AsyncSession, event: ProbeHappened) -> None:
            return None


def test_no_engine_is_made_before_the_first_message() -> None:
    consumer = EventConsumer("kerneltest")  # no settings: would read the environment, but not yet
    assert consumer._engines == {}


@event_type
class AfterCommitProbed(Event, frozen=True, kw_only=True):
    NAME = "kerneltest.AfterCommitProbed"

    probe_id: uuid.UUID
    fail: bool = False


async def test_after_commit_actions_run_once_the_effect_is_committed_and_only_then(
    settings: Settings, kernel_database: str, kernel_system_engine: AsyncEngine
) -> None:
    consumer = EventConsumer(kernel_database, settings)
    seen: list[tuple[uuid.UUID, dict[str, int]]] = []

    @consumer.on(AfterCommitProbed)
    async def apply(session: AsyncSession, event: AfterCommitProbed) -> None:
        await audit.record(session, "effect", subject_type="probe", subject_id=str(event.probe_id))

        async def look() -> None:  # from another connection: visible only if committed
            seen.append((event.probe_id, await effects(kernel_system_engine, [event.probe_id])))

        after_commit(look)
        if event.fail:
            raise ProbeFailedOnceError("the handler fails after asking for an action")

    tenant = uuid.uuid4()
    first, failing = uuid.uuid4(), uuid.uuid4()
    envelope = envelope_of(AfterCommitProbed(tenant_id=tenant, probe_id=first))
    try:
        assert await consumer.handle(envelope) is True
        assert seen == [(first, {str(first): 1})]
        assert await consumer.handle(envelope) is False  # a redelivery applies nothing and runs nothing
        assert len(seen) == 1
        with pytest.raises(ProbeFailedOnceError):
            await consumer.handle(envelope_of(AfterCommitProbed(tenant_id=tenant, probe_id=failing, fail=True)))
        assert len(seen) == 1  # rolled back: the action never ran
    finally:
        await consumer.dispose()
    with pytest.raises(RuntimeError, match="event handlers"):
        after_commit(lambda: asyncio.sleep(0))


async def test_a_batch_claims_each_envelope_once_and_runs_consecutive_events_through_the_batch_handler(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    synced = [envelope_of(SyncProbe(tenant_id=tenant, probe_id=uuid.uuid4())) for _ in range(5)]
    single = envelope_of(ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4()))
    # applied before, one at a time: skipped in the batch
    assert await consumer.handle(synced[0]) is True
    batch = [synced[0], synced[1], synced[2], single, synced[3], synced[3], synced[4]]
    assert await consumer.handle_batch(batch) == 5  # the same envelope twice in one batch: applied once
    assert await consumer.handle_batch(batch) == 0
    ids = [uuid.UUID(e["payload"]["probe_id"]) for e in [*synced, single]]
    assert await effects(kernel_system_engine, ids) == {str(i): 1 for i in ids}
    rows = {row["subject_id"]: row["detail"] for row in await effect_rows(kernel_system_engine, ids)}
    by_probe = [rows[str(i)].get("batched") for i in ids]
    # the first alone; 1 and 2 together; the other event between cuts the run; 3 (twice) and 4 together
    assert by_probe == [False, True, True, True, True, None]
    assert {detail["tenant_seen"] for detail in rows.values()} == {str(tenant)}


async def test_a_batch_whose_transaction_fails_is_applied_again_one_envelope_at_a_time(
    consumer: EventConsumer, kernel_system_engine: AsyncEngine
) -> None:
    tenant = uuid.uuid4()
    good = [envelope_of(SyncProbe(tenant_id=tenant, probe_id=uuid.uuid4())) for _ in range(2)]
    bad = envelope_of(ProbeHappened(tenant_id=tenant, probe_id=uuid.uuid4(), fail_once=True))
    # the batch's transaction fails on ``bad`` and rolls back; one by one, each commits on its own
    assert await consumer.handle_batch([good[0], bad, good[1]]) == 3
    ids = [uuid.UUID(e["payload"]["probe_id"]) for e in [*good, bad]]
    assert await effects(kernel_system_engine, ids) == {str(i): 1 for i in ids}
    assert await inbox_count(kernel_system_engine, [uuid.UUID(e["id"]) for e in [*good, bad]]) == 3
    rows = await effect_rows(kernel_system_engine, ids[:2])
    assert [row["detail"]["batched"] for row in rows] == [False, False]
    with pytest.raises(msgspec.ValidationError):  # an envelope that never decodes: dead-lettered, the rest applied
        await consumer.handle_batch(
            [{"id": "not an envelope"}, envelope_of(SyncProbe(tenant_id=tenant, probe_id=ids[0]))]
        )
