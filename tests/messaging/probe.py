"""The test events and their routing: the kernel test database ("kerneltest") consumes its own events."""

from __future__ import annotations

from uuid import UUID

from shared.contracts import routing
from shared.contracts.base import Event, event_type
from shared.contracts.routing import Route

SERVICE = "kerneltest"


@event_type
class ProbeHappened(Event, frozen=True, kw_only=True):
    """Its handler writes one ``audit_event`` row (action "effect", subject_id = probe_id) per application."""

    NAME = "kerneltest.ProbeHappened"

    tenant_id: UUID
    probe_id: UUID
    hold_ms: int = 0  # the handler sleeps this long inside its transaction: keeps messages in flight
    fail_once: bool = False  # the first application raises after writing its effect (rolled back)


@event_type
class SyncProbe(Event, frozen=True, kw_only=True):
    """Like ``ProbeHappened``, on the kerneltest sync lane: the relay batches it, the consumer applies batches."""

    NAME = "kerneltest.SyncProbe"

    tenant_id: UUID
    probe_id: UUID
    hold_ms: int = 0


@event_type
class PlatformProbe(Event, frozen=True, kw_only=True):
    """A platform-wide event (no tenant), handled on the system role."""

    NAME = "kerneltest.PlatformProbe"

    tenant_id: UUID | None = None
    probe_id: UUID


def routes(event: str) -> tuple[Route, ...]:
    """The contract's routing plus this test service's subscriptions (routing.py stays untouched): its events on
    its events lane, those named ``kerneltest.Sync*`` on its sync lane (batched)."""
    if event.startswith(f"{SERVICE}.Sync"):
        return (routing.sync(SERVICE),)
    return (Route(SERVICE),) if event.startswith(f"{SERVICE}.") else routing.routes(event)
