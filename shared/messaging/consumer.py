"""Idempotent consumers: a service's actors read its lanes, an inbox row committed with each effect.

dramatiq delivers at least once; the inbox (consumer, envelope id) primary key makes a second
delivery find its row and do nothing, because the effect and the inbox row commit together. Two
deliveries running at once serialise on that key: the second waits for the first to commit.

A service reads one queue per lane (``shared/contracts/routing.py``). ``handle_event`` applies one envelope;
``handle_events`` a batch the relay sent for a sync lane (consecutive envelopes of one district), in one
transaction: one statement claims every envelope's inbox row (``ON CONFLICT DO NOTHING RETURNING``), then the
claimed ones are applied in order, a run of one event type by its batch handler when it has one.
"""

from __future__ import annotations

import importlib
import signal
import threading
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Generic, TypeVar
from uuid import UUID

import dramatiq
import msgspec
from sqlalchemy import String, Uuid, bindparam, cast, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.context import tenant_scope
from shared.contracts.base import Envelope, Event
from shared.contracts.routing import BATCH_ACTOR, EVENTS_ACTOR, events_queue, lane_queue
from shared.contracts.routing import lanes as routed_lanes
from shared.db.cells import CellEngines, DistrictPausedError, cell_sessionmaker, placement_view
from shared.db.kernel import inbox_message
from shared.logging import configure_logging, get_logger
from shared.probes import dependency_checks, start_probes
from shared.settings import DbRole, Settings, get_settings
from shared.tenancy.hook import BINDS_TENANT

log = get_logger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[AsyncSession, E], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, list[E]], Awaitable[None]]
# The envelope's inbox row, whose tenant column is what set_config returns: claiming the envelope binds the
# transaction's tenant for RLS in the same round trip (the policy's subquery runs when the row is checked, after
# set_config), one of five per message saved. Built once: compiled once.
_CLAIM = (
    pg_insert(inbox_message)
    .values(
        consumer=bindparam("consumer"),
        message_id=bindparam("message_id"),
        tenant_id=cast(
            func.nullif(func.set_config("app.tenant_id", bindparam("tenant", type_=String), true()), ""), Uuid
        ),
        event=bindparam("event"),
    )
    .on_conflict_do_nothing()
    .returning(inbox_message.c.message_id)
)
# A batch's claim: the same, for every envelope of one district in one statement; the ids of those not seen before.
_claimed = (
    func.unnest(bindparam("message_ids", type_=ARRAY(String)), bindparam("events", type_=ARRAY(String)))
    .table_valued("message_id", "event")
    .render_derived(name="claimed")
)
_CLAIM_MANY = (
    pg_insert(inbox_message)
    .from_select(
        ["consumer", "message_id", "tenant_id", "event"],
        select(
            bindparam("consumer", type_=String),
            _claimed.c.message_id,
            cast(func.nullif(func.set_config("app.tenant_id", bindparam("tenant", type_=String), true()), ""), Uuid),
            _claimed.c.event,
        ),
    )
    .on_conflict_do_nothing()
    .returning(inbox_message.c.message_id)
)
_BATCH_PRIORITY = 10
_after_commit: ContextVar[list[Callable[[], Awaitable[object]]] | None] = ContextVar("after_commit", default=None)


def after_commit(action: Callable[[], Awaitable[object]]) -> None:
    """Run ``action`` once the handler's transaction (its effect and inbox row) has committed: work that must not
    hold the transaction open, such as sending a message. Best effort by design: if the process dies first,
    what the handler recorded in its transaction (an outbox event, a row a sweep finds) must still get it done."""
    pending = _after_commit.get()
    if pending is None:
        msg = "after_commit() is for event handlers, inside EventConsumer.handle"
        raise RuntimeError(msg)
    pending.append(action)


@dataclass(frozen=True)
class _Registration(Generic[E]):
    event_type: type[E]
    handler: Handler[E]
    role: DbRole


class EventConsumer:
    """The handlers of one service's lanes. Engines are made on first use, never at import."""

    def __init__(
        self,
        service: str,
        settings: Settings | None = None,
        *,
        lanes: Sequence[str] | None = None,
        max_retries: int = 25,
        min_backoff_ms: int = 500,
        max_backoff_ms: int = 300_000,
    ) -> None:
        self.service = service
        self._settings = settings
        # The lanes routing.py sends this service events on (always its events lane).
        self.lanes = tuple(lanes) if lanes else routed_lanes(service)
        # 25 tries backing off to 5 min (with dramatiq's jitter, 60-70 min in all): a consumer's database
        # may be away for about an hour before a message lands in the dead-letter queue.
        self._retries = (max_retries, min_backoff_ms, max_backoff_ms)
        self._handlers: dict[str, _Registration[Any]] = {}
        self._batch_handlers: dict[str, BatchHandler[Any]] = {}
        self._engines: dict[DbRole, CellEngines] = {}
        self._sessions: dict[DbRole, async_sessionmaker[AsyncSession]] = {}
        self._actors: dict[str, dramatiq.Actor[[Any], None]] = {}

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

    @property
    def queues(self) -> list[str]:
        return [lane_queue(self.service, lane) for lane in self.lanes]

    def on(self, event_type: type[E], *, system: bool = False) -> Callable[[Handler[E]], Handler[E]]:
        """Register the handler of ``event_type``; ``system=True`` runs it on the cross-tenant role
        (platform events such as provisioning only)."""

        def register(handler: Handler[E]) -> Handler[E]:
            if event_type.NAME in self._handlers:
                msg = f"{self.service} already handles {event_type.NAME}"
                raise ValueError(msg)
            self._handlers[event_type.NAME] = _Registration(event_type, handler, "system" if system else "app")
            return handler

        return register

    def on_batch(self, event_type: type[E]) -> Callable[[BatchHandler[E]], BatchHandler[E]]:
        """Register the batch handler of ``event_type``: the events of that type among a stretch of consecutive
        events with batch handlers in a batch message are applied with one call (e.g. one multi-row upsert), to the
        same effect as the single handler applying them one after the other. The batch handlers of one consumer
        must commute with one another (write different rows, e.g. different tables): a stretch is applied type by
        type. An event without one runs where it stands and ends the stretch. The single handler (``on``) is still
        needed."""

        def register(handler: BatchHandler[E]) -> BatchHandler[E]:
            if event_type.NAME in self._batch_handlers:
                msg = f"{self.service} already has a batch handler for {event_type.NAME}"
                raise ValueError(msg)
            self._batch_handlers[event_type.NAME] = handler
            return handler

        return register

    @property
    def events(self) -> list[str]:
        """The names of the events this consumer handles (each must be routed to its queue)."""
        return sorted(self._handlers)

    def _sessionmaker(self, role: DbRole, tenant: UUID | None) -> async_sessionmaker[AsyncSession]:
        """Sessions of ``role`` on the cell holding ``tenant``'s rows. While they move to another cell
        (``DistrictPausedError``, or ``PlacementUnknownError`` before the registry is read) the message fails and
        dramatiq retries it later, as it would a database outage."""
        if tenant is not None and placement_view(self.settings).paused(tenant, self.service):
            raise DistrictPausedError(tenant, self.service)
        if role not in self._sessions:
            self._sessions[role] = cell_sessionmaker(self.engines(role))
        return self._sessions[role]

    def engines(self, role: DbRole) -> CellEngines:
        """The engines of ``role``, one per cell, made on first use."""
        if role not in self._engines:
            settings = self.settings
            # One connection per worker thread is all the actors can use at once.
            self._engines[role] = CellEngines(
                settings, self.service, role, pool_size=settings.worker.threads, max_overflow=2
            )
        return self._engines[role]

    def _registration(self, envelope: Envelope) -> _Registration[Any] | None:
        registration = self._handlers.get(envelope.event)
        if registration is None:  # acknowledged: a subscription without a handler must not clog the queue
            log.warning("event ignored: no handler", event_name=envelope.event, message_id=str(envelope.id))
        return registration

    async def handle(self, raw: dict[str, Any]) -> bool:
        """Apply one envelope; False if it was applied before or no handler wants it."""
        envelope = msgspec.convert(raw, Envelope, strict=False)
        registration = self._registration(envelope)
        return registration is not None and await self._handle_one(registration, envelope)

    async def _handle_one(self, registration: _Registration[Any], envelope: Envelope) -> bool:
        pending: list[Callable[[], Awaitable[object]]] = []
        token = _after_commit.set(pending)
        try:
            applied = await self._apply(registration, envelope, _event_of(registration, envelope))
        finally:
            _after_commit.reset(token)
        await _run_after_commit(pending if applied else [])
        return applied

    async def _apply(self, registration: _Registration[Any], envelope: Envelope, event: Event) -> bool:
        with tenant_scope(envelope.tenant_id):
            sessions = self._sessionmaker(registration.role, envelope.tenant_id)
            async with sessions(info={BINDS_TENANT: True}) as session, session.begin():
                claim = {
                    "consumer": self.service,
                    "message_id": str(envelope.id),
                    "tenant": str(envelope.tenant_id) if envelope.tenant_id else "",
                    "event": envelope.event,
                }
                inserted = await session.execute(_CLAIM, claim)
                if inserted.first() is None:
                    log.info("event already applied", event_name=envelope.event, message_id=str(envelope.id))
                    return False
                await registration.handler(session, event)  # same transaction as the inbox row
        return True

    async def handle_batch(self, raws: Sequence[dict[str, Any]]) -> int:
        """Apply a batch of envelopes in order, each district's consecutive run in one transaction; returns how many
        were applied now. Should a transaction fail, its envelopes are applied one by one, so that one bad event
        holds back only itself; the first error is then raised for dramatiq to retry the message (what was applied
        is skipped the second time). An envelope that does not decode is dead-lettered with the message, after the
        others are applied."""
        undecodable: msgspec.ValidationError | None = None
        work: list[tuple[_Registration[Any], Envelope]] = []
        for raw in raws:
            try:
                envelope = msgspec.convert(raw, Envelope, strict=False)
            except msgspec.ValidationError as exc:
                log.error("undecodable envelope in a batch", error=str(exc))
                undecodable = undecodable or exc
                continue
            registration = self._registration(envelope)
            if registration is not None:
                work.append((registration, envelope))
        applied, failure = 0, None
        for _, run in groupby(work, key=lambda item: (item[1].tenant_id, item[0].role)):
            group = list(run)
            try:
                applied += await self._apply_group(group)
            except Exception:
                log.warning("batch transaction failed; applying one by one", size=len(group), exc_info=True)
                for registration, envelope in group:
                    try:
                        applied += await self._handle_one(registration, envelope)
                    except Exception as exc:
                        log.exception("event failed", event_name=envelope.event, message_id=str(envelope.id))
                        failure = failure or exc
        if failure is not None:
            raise failure
        if undecodable is not None:
            raise undecodable
        return applied

    async def _apply_group(self, group: list[tuple[_Registration[Any], Envelope]]) -> int:
        """Claim every envelope of one district and role at once, then apply the claimed ones in order."""
        registration, first = group[0]
        pending: list[Callable[[], Awaitable[object]]] = []
        token = _after_commit.set(pending)
        try:
            with tenant_scope(first.tenant_id):
                sessions = self._sessionmaker(registration.role, first.tenant_id)
                async with sessions(info={BINDS_TENANT: True}) as session, session.begin():
                    claim = {
                        "consumer": self.service,
                        "tenant": str(first.tenant_id) if first.tenant_id else "",
                        "message_ids": [str(envelope.id) for _, envelope in group],
                        "events": [envelope.event for _, envelope in group],
                    }
                    claimed = set((await session.execute(_CLAIM_MANY, claim)).scalars())
                    fresh: list[tuple[_Registration[Any], Event]] = []
                    for registration, envelope in group:
                        if str(envelope.id) in claimed:  # the same envelope twice in one batch: applied once
                            claimed.discard(str(envelope.id))
                            fresh.append((registration, _event_of(registration, envelope)))
                    if len(fresh) < len(group):
                        log.info("events already applied", count=len(group) - len(fresh))
                    await self._apply_in_order(session, fresh)
        finally:
            _after_commit.reset(token)
        await _run_after_commit(pending)
        return len(fresh)

    async def _apply_in_order(self, session: AsyncSession, fresh: list[tuple[_Registration[Any], Event]]) -> None:
        """Apply claimed events in order; a stretch of consecutive events that all have batch handlers goes to those
        handlers, one call per event type (in the order the types first appear, each type's events in order), since
        batch handlers commute with one another (``on_batch``). Any other event runs alone, where it stands."""
        window: dict[str, list[Event]] = {}
        for registration, event in fresh:
            if registration.event_type.NAME in self._batch_handlers:
                window.setdefault(registration.event_type.NAME, []).append(event)
                continue
            await self._apply_window(session, window)
            window = {}
            await registration.handler(session, event)
        await self._apply_window(session, window)

    async def _apply_window(self, session: AsyncSession, window: dict[str, list[Event]]) -> None:
        for name, events in window.items():
            if len(events) == 1:
                await self._handlers[name].handler(session, events[0])
            else:
                await self._batch_handlers[name](session, events)

    def declare(self, broker: dramatiq.Broker | None = None) -> dramatiq.Actor[[Any], None]:
        """Declare the service's actors and lanes on ``broker`` (default: the global one, so call
        ``declare_broker`` first); returns the single-envelope actor. Idempotent."""
        if not self._actors:
            max_retries, min_backoff, max_backoff = self._retries

            async def handle_event(envelope: dict[str, Any]) -> None:
                await self.handle(envelope)

            async def handle_events(envelopes: list[dict[str, Any]]) -> None:
                await self.handle_batch(envelopes)

            # A worker's threads share one queue of fetched messages ordered by the actor's priority (lower first):
            # a single envelope goes before the sync lane's batches, fetched or not.
            actors = ((EVENTS_ACTOR, handle_event, 0), (BATCH_ACTOR, handle_events, _BATCH_PRIORITY))
            for name, function, priority in actors:
                declare = dramatiq.actor(
                    actor_name=name,
                    priority=priority,
                    # the actors' own queue; a message names its lane's queue, and whichever lane it comes from,
                    # a retry goes back to it
                    queue_name=events_queue(self.service),
                    broker=broker,
                    # An envelope that does not decode never will: dead-letter it at once, no retries.
                    throws=(msgspec.ValidationError,),
                    max_retries=max_retries,
                    min_backoff=min_backoff,
                    max_backoff=max_backoff,
                )
                self._actors[name] = declare(function)
            target = broker or dramatiq.get_broker()
            for queue in self.queues:
                target.declare_queue(queue)
        return self._actors[EVENTS_ACTOR]

    @property
    def actor(self) -> dramatiq.Actor[[Any], None]:
        return self.declare()

    async def dispose(self) -> None:
        """Close the engines (tests; a worker process simply exits)."""
        for engines in self._engines.values():
            await engines.dispose()
        self._engines.clear()
        self._sessions.clear()


def _event_of(registration: _Registration[Any], envelope: Envelope) -> Event:
    fields = {**envelope.payload, "tenant_id": envelope.tenant_id}
    event: Event = msgspec.convert(fields, registration.event_type, strict=False)
    return event


async def _run_after_commit(actions: list[Callable[[], Awaitable[object]]]) -> None:
    for action in actions:
        try:
            await action()
        except Exception:  # the event is applied and acknowledged; the action's own safety net takes over
            log.exception("after-commit action failed")


def worker_threads_alive(worker: dramatiq.Worker) -> bool:
    """The worker's liveness: started, and none of its worker or consumer threads has died.

    dramatiq restarts a consumer that loses Redis inside its thread, so a dead thread means a bug that
    only a restart cures. list() copies in one step: the worker adds consumer threads as it boots.
    """
    threads = [*list(worker.workers), *list(worker.consumers.values())]
    return bool(threads) and all(thread.is_alive() for thread in threads)


def chosen_queues(queues: Sequence[str], skipped: Sequence[str], service: str | None, declared: set[str]) -> set[str]:
    """``--queues`` (default: all) less ``--skip-queues``: lanes (``sync``) or queue names (``dispatch.sync``), each
    one the worker declares."""

    def named(given: Sequence[str]) -> set[str]:
        return {queue if "." in queue or service is None else lane_queue(service, queue) for queue in given}

    chosen, skip = named(queues) or set(declared), named(skipped)
    unknown = (chosen | skip) - declared
    if unknown:
        msg = f"no such queue: {', '.join(sorted(unknown))}; this worker's: {', '.join(sorted(declared))}"
        raise SystemExit(msg)
    if not chosen - skip:
        msg = f"no queue left to consume of {', '.join(sorted(declared))}"
        raise SystemExit(msg)
    return chosen - skip


_SELF_CHECK_S = 5.0  # a supervised process checks its own threads this often (its parent answers the probes)


def run_worker(
    module: str, queues: Sequence[str] = (), skipped: Sequence[str] = (), *, supervised: bool = False
) -> None:
    """``redcell worker <service>``: one worker process for ``module``, which must declare the broker
    (``broker = declare_broker(...)``) and its actors; it consumes ``queues`` (lanes or queue names; default: all
    of them) but ``skipped``. Uses the measured settings of docs/architecture-notes.md, "Messaging" and stops on
    SIGTERM or SIGINT after the messages in hand, leaving prefetched ones to the queue. ``supervised``: one of
    several processes under ``shared.messaging.supervisor``, which serves the probes; this one exits non-zero if
    its threads die."""
    settings = get_settings()
    name = module.rsplit(".", 2)[-2] if module.count(".") else module
    configure_logging(f"{name}-worker", json=settings.log_json, level=settings.log_level)
    entry = importlib.import_module(module)
    broker: dramatiq.Broker = entry.broker
    # The database the worker's handlers use, if it has any.
    consumer = getattr(entry, "consumer", None)
    database = consumer.service if isinstance(consumer, EventConsumer) else None
    chosen = chosen_queues(queues, skipped, database, broker.get_declared_queues()) if queues or skipped else None
    worker = dramatiq.Worker(
        broker,
        queues=chosen,
        worker_timeout=settings.worker.worker_timeout_ms,
        worker_threads=settings.worker.threads,
    )
    if not dramatiq.worker.QUEUE_PREFETCH:  # the dramatiq_queue_prefetch variable still decides when set
        # dramatiq's 2 per thread runs dry while its consumer backs off (up to the worker timeout) with the
        # prefetch full; 8 per thread kept the threads fed (+5-7 % in tests/bench/bench_training_points.py).
        # Prefetched messages stay unacknowledged: a dead worker's are requeued as before.
        worker.queue_prefetch = 8 * settings.worker.threads
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    # Before worker.start(): a taken probe port fails the process before it takes any message.
    probes = start_probes(
        settings, alive=lambda: worker_threads_alive(worker), readiness=dependency_checks(settings, database, "app")
    )
    if settings.worker.metrics_port and settings.worker.metrics_port != settings.probe_port:
        from prometheus_client import start_http_server

        start_http_server(settings.worker.metrics_port)  # the probe port serves /metrics as well
    worker.start()
    log.info("worker started", module=module, queues=sorted(chosen or broker.get_declared_queues()))
    failed = False
    if supervised:
        while not stop.wait(_SELF_CHECK_S):
            if not worker_threads_alive(worker):
                log.error("worker thread died; exiting for the supervisor", module=module)
                failed = True
                break
    else:
        stop.wait()
    log.info("worker stopping", module=module)
    if probes is not None:
        probes.stop()
    worker.stop(timeout=10_000)
    broker.close()
    if failed:
        raise SystemExit(1)
