"""The gateway consumes no events yet; the module exists so every component has the same roles."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())
