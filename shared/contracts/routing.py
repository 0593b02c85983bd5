"""Which service queues receive which events. A service that consumes an event adds itself here."""

from __future__ import annotations

EVENTS_ACTOR = "handle_event"

# event name -> consuming services
_SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "gateway.TenantProvisioned": ("orgtree",),
}


def events_queue(service: str) -> str:
    return f"{service}.events"


def subscribers(event: str) -> tuple[str, ...]:
    return _SUBSCRIPTIONS.get(event, ())
