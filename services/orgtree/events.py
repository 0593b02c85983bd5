"""The orgtree's consumer of ``orgtree.events``; handlers register on it from their domain folders."""

from shared.messaging.consumer import EventConsumer

from services.orgtree import SERVICE

consumer = EventConsumer(SERVICE)
