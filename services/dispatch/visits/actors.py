"""Event handlers of the visits folder: orgtree's household events raise mandatory visits (EVT-12)."""

from __future__ import annotations

from services.dispatch.events import consumer
from services.dispatch.visits.tasks import household_event_recorded
from shared.contracts import orgtree

consumer.on(orgtree.HouseholdEventRecorded)(household_event_recorded)
