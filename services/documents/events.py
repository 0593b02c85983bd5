"""The documents service's consumer of ``documents.events``; handlers register on it from their domain folders."""

from services.documents import SERVICE
from shared.messaging.consumer import EventConsumer

consumer = EventConsumer(SERVICE)
