"""Idempotent consumers: one actor per service queue, an inbox row committed with the effect.

dramatiq delivers at least once; the inbox (consumer, envelope id) primary key makes the second
delivery find its row and do nothing, because the effect and the inbox row commit together.
"""

from __future__ import annotations

import signal
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import dramatiq
import msgspec
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.contracts.base import Envelope, Event
from shared.contracts.routing import EVENTS_ACTOR, events_queue
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.kernel import inbox_message
from shared.logging import get_logger
from shared.settings import Settings, get_settings
from shared.tenancy import tenant_scope

log = get_logger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[AsyncSession, Any], Awaitable[None]]


class EventConsumer:
    def __init__(self, service: str, settings: Settings | None = None) -> None:
        self.service = service
        self._settings = settings
        self._handlers: dict[str, tuple[type[Event], Handler, bool]] = {}
        self._engines: dict[str, AsyncEngine] = {}
        self._actor: Any = None

    def on(self, event_type: type[E], *, system: bool = False) -> Callable[[Handler], Handler]:
        """Register a handler. ``system=True`` runs it on the cross-tenant role (platform events only)."""

        def register(handler: Handler) -> Handler:
            self._handlers[event_type.NAME] = (event_type, handler, system)
            return handler

        return register

    def _engine(self, role: str) -> AsyncEngine:
        if role not in self._engines:  # created lazily in the worker, never at import
            self._engines[role] = make_engine(self._settings or get_settings(), self.service, role, pool_size=4)  # type: ignore[arg-type]
        return self._engines[role]

    async def handle(self, raw: dict[str, Any]) -> bool:
        """Apply one envelope; False if it was already applied (or is not ours)."""
        envelope = msgspec.convert(raw, Envelope, strict=False)
        registered = self._handlers.get(envelope.event)
        if registered is None:
            log.info("event ignored: no handler", event_name=envelope.event)
            return False
        event_type, handler, system = registered
        event = msgspec.convert({**envelope.payload, "tenant_id": envelope.tenant_id}, event_type, strict=False)
        with tenant_scope(envelope.tenant_id):
            sessions = make_sessionmaker(self._engine("system" if system else "app"))
            async with sessions() as session, session.begin():
                inserted = await session.execute(
                    pg_insert(inbox_message)
                    .values(
                        consumer=self.service,
                        message_id=str(envelope.id),
                        tenant_id=envelope.tenant_id,
                        event=envelope.event,
                    )
                    .on_conflict_do_nothing()
                    .returning(inbox_message.c.message_id)
                )
                if inserted.first() is None:
                    log.info("event already applied", event_name=envelope.event, message_id=str(envelope.id))
                    return False
                await handler(session, event)
        return True

    @property
    def actor(self) -> Any:
        """The service's one dramatiq actor; declared on first access (after the broker exists)."""
        if self._actor is None:

            async def handle_event(envelope: dict[str, Any]) -> None:
                await self.handle(envelope)

            handle_event.__name__ = EVENTS_ACTOR
            declare: Any = dramatiq.actor
            self._actor = declare(
                handle_event,
                actor_name=EVENTS_ACTOR,
                queue_name=events_queue(self.service),
                max_retries=20,
                min_backoff=200,
                max_backoff=60_000,
            )
        return self._actor


def run_worker(module: str) -> None:
    """One worker process for ``module`` (scale with replicas), with the measured settings of
    architecture.md section 4: a 100 ms worker timeout and a 15 s heartbeat."""
    import importlib
    import threading

    from shared.logging import configure_logging

    settings = get_settings()
    configure_logging(module.rsplit(".", 2)[-2] + "-worker", json=settings.log_json, level=settings.log_level)
    imported = importlib.import_module(module)
    worker = dramatiq.Worker(
        imported.broker, worker_timeout=settings.worker.worker_timeout_ms, worker_threads=settings.worker.threads
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    if settings.worker.metrics_port:
        from prometheus_client import start_http_server

        start_http_server(settings.worker.metrics_port)
    worker.start()
    log.info("worker started", module=module, queues=sorted(imported.broker.get_declared_queues()))
    stop.wait()
    worker.stop(timeout=10_000)
    imported.broker.close()
