"""The gateway's consumer of ``gateway.events``: what the districts' services tell it of transfers between them."""

from shared.messaging.consumer import EventConsumer

consumer = EventConsumer("gateway")
