"""The orgtree's consumer of ``orgtree.events``; handlers register on it from their domain folders."""

from services.orgtree import SERVICE
from shared.messaging.consumer import EventConsumer

consumer = EventConsumer(SERVICE)
