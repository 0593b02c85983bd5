"""Idempotent consumers: one actor per service queue, an inbox row committed with the effect.

dramatiq delivers at least once; the inbox (consumer, envelope id) primary key makes a second
delivery find its row and do nothing, because the effect and the inbox row commit together. Two
deliveries running at once serialise on that key: the second waits for the first to commit.
"""

from __future__ import annotations

import importlib
import signal
import threading
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import dramatiq
import msgspec
from sqlalchemy import String, Uuid, bindparam, cast, func, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.context import tenant_scope
from shared.contracts.base import Envelope, Event
from shared.contracts.routing import EVENTS_ACTOR, events_queue
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.kernel import inbox_message
from shared.logging import configure_logging, get_logger
from shared.probes import dependency_checks, start_probes
from shared.settings import DbRole, Settings, get_settings
from shared.tenancy.hook import BINDS_TENANT

log = get_logger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[AsyncSession, E], Awaitable[None]]
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
    """The handlers of one service's queue. Engines are made on first use, never at import."""

    def __init__(
        self,
        service: str,
        settings: Settings | None = None,
        *,
        max_retries: int = 25,
        min_backoff_ms: int = 500,
        max_backoff_ms: int = 300_000,
    ) -> None:
        self.service = service
        self._settings = settings
        # 25 tries backing off to 5 min (with dramatiq's jitter, 60-70 min in all): a consumer's database
        # may be away for about an hour before a message lands in the dead-letter queue.
        self._retries = (max_retries, min_backoff_ms, max_backoff_ms)
        self._handlers: dict[str, _Registration[Any]] = {}
        self._engines: dict[DbRole, AsyncEngine] = {}
        self._sessions: dict[DbRole, async_sessionmaker[AsyncSession]] = {}
        self._actor: dramatiq.Actor[[dict[str, Any]], None] | None = None

    @property
    def settings(self) -> Settings:
        return self._settings or get_settings()

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

    @property
    def events(self) -> list[str]:
        """The names of the events this consumer handles (each must be routed to its queue)."""
        return sorted(self._handlers)

    def _sessionmaker(self, role: DbRole) -> async_sessionmaker[AsyncSession]:
        if role not in self._sessions:
            settings = self.settings
            # One connection per worker thread is all the actor can use at once.
            engine = make_engine(settings, self.service, role, pool_size=settings.worker.threads, max_overflow=2)
            self._engines[role] = engine
            self._sessions[role] = make_sessionmaker(engine)
        return self._sessions[role]

    async def handle(self, raw: dict[str, Any]) -> bool:
        """Apply one envelope; False if it was applied before or no handler wants it."""
        envelope = msgspec.convert(raw, Envelope, strict=False)
        registration = self._handlers.get(envelope.event)
        if registration is None:  # acknowledged: a subscription without a handler must not clog the queue
            log.warning("event ignored: no handler", event_name=envelope.event, message_id=str(envelope.id))
            return False
        fields = {**envelope.payload, "tenant_id": envelope.tenant_id}
        event = msgspec.convert(fields, registration.event_type, strict=False)
        pending: list[Callable[[], Awaitable[object]]] = []
        token = _after_commit.set(pending)
        try:
            applied = await self._apply(registration, envelope, event)
        finally:
            _after_commit.reset(token)
        for action in pending if applied else ():
            try:
                await action()
            except Exception:  # the event is applied and acknowledged; the action's own safety net takes over
                log.exception("after-commit action failed", event_name=envelope.event, message_id=str(envelope.id))
        return applied

    async def _apply(self, registration: _Registration[Any], envelope: Envelope, event: Event) -> bool:
        with tenant_scope(envelope.tenant_id):
            sessions = self._sessionmaker(registration.role)
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

    def declare(self, broker: dramatiq.Broker | None = None) -> dramatiq.Actor[[dict[str, Any]], None]:
        """Declare the service's one actor on ``broker`` (default: the global one, so call
        ``declare_broker`` first). Idempotent."""
        if self._actor is None:
            max_retries, min_backoff, max_backoff = self._retries

            async def handle_event(envelope: dict[str, Any]) -> None:
                await self.handle(envelope)

            declare = dramatiq.actor(
                actor_name=EVENTS_ACTOR,
                queue_name=events_queue(self.service),
                broker=broker,
                # An envelope that does not decode never will: dead-letter it at once, no retries.
                throws=(msgspec.ValidationError,),
                max_retries=max_retries,
                min_backoff=min_backoff,
                max_backoff=max_backoff,
            )
            self._actor = declare(handle_event)
        return self._actor

    @property
    def actor(self) -> dramatiq.Actor[[dict[str, Any]], None]:
        return self.declare()

    async def dispose(self) -> None:
        """Close the engines (tests; a worker process simply exits)."""
        for engine in self._engines.values():
            await engine.dispose()
        self._engines.clear()
        self._sessions.clear()


def worker_threads_alive(worker: dramatiq.Worker) -> bool:
    """The worker's liveness: started, and none of its worker or consumer threads has died.

    dramatiq restarts a consumer that loses Redis inside its thread, so a dead thread means a bug that
    only a restart cures. list() copies in one step: the worker adds consumer threads as it boots.
    """
    threads = [*list(worker.workers), *list(worker.consumers.values())]
    return bool(threads) and all(thread.is_alive() for thread in threads)


def run_worker(module: str) -> None:
    """``redcell worker <service>``: one worker process for ``module``, which must declare the broker
    (``broker = declare_broker(...)``) and its actors. Scale with replicas. Uses the measured settings
    of docs/architecture-notes.md, "Messaging" (100 ms worker timeout, short heartbeat) and stops on SIGTERM or
    SIGINT after the messages in hand, leaving prefetched ones to the queue."""
    settings = get_settings()
    name = module.rsplit(".", 2)[-2] if module.count(".") else module
    configure_logging(f"{name}-worker", json=settings.log_json, level=settings.log_level)
    entry = importlib.import_module(module)
    broker: dramatiq.Broker = entry.broker
    # The database the worker's handlers use, if it has any (the gateway's worker consumes nothing yet).
    consumer = getattr(entry, "consumer", None)
    database = consumer.service if isinstance(consumer, EventConsumer) else None
    worker = dramatiq.Worker(
        broker, worker_timeout=settings.worker.worker_timeout_ms, worker_threads=settings.worker.threads
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
    log.info("worker started", module=module, queues=sorted(broker.get_declared_queues()))
    stop.wait()
    log.info("worker stopping", module=module)
    if probes is not None:
        probes.stop()
    worker.stop(timeout=10_000)
    broker.close()
