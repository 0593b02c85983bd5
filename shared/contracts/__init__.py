"""Message contracts between services: event types, their versions and who consumes them.

Producers write events to their outbox by contract; the relay publishes them to each subscribing
service's queue (``<service>.events``) without importing the consumer's code. Payloads carry ids and
non-personal facts only: never phone numbers or ID-card numbers. A person's name is the one exception
(orgtree's member events): rolls, public notices and the performance wall show it, and the documents rendered
from events print it (a referral's responsible person, a certificate's recipient, a monthly report's member).
"""

from shared.contracts.base import Envelope, Event, event_type, registered_events
from shared.contracts.routing import EVENTS_ACTOR, events_queue, subscribers

__all__ = ["EVENTS_ACTOR", "Envelope", "Event", "event_type", "events_queue", "registered_events", "subscribers"]
