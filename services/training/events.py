"""The training service's consumer of ``training.events``; handlers register on it from their domain folders."""

from services.training import SERVICE
from shared.messaging.consumer import EventConsumer

consumer = EventConsumer(SERVICE)
