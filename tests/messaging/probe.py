"""The test events and their routing: the kernel test database ("kerneltest") consumes its own events."""

from __future__ import annotations

from uuid import UUID

from shared.contracts.base import Event, event_type
from shared.contracts.routing import subscribers

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
class PlatformProbe(Event, frozen=True, kw_only=True):
    """A platform-wide event (no tenant), handled on the system role."""

    NAME = "kerneltest.PlatformProbe"

    tenant_id: UUID | None = None
    probe_id: UUID


def routes(event: str) -> tuple[str, ...]:
    """The contract's routing plus this test service's subscriptions (routing.py stays untouched)."""
    return (SERVICE,) if event.startswith(f"{SERVICE}.") else tuple(subscribers(event))
