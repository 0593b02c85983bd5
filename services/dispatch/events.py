"""The dispatch service's consumer of ``dispatch.events``; handlers register on it from their domain folders."""

from services.dispatch import SERVICE
from shared.messaging.consumer import EventConsumer

consumer = EventConsumer(SERVICE)
