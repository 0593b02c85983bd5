"""dramatiq entry module of the kerneltest worker: the broker first, then the actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings
from tests.messaging.consumer_app import build_consumer

broker = declare_broker(get_settings())
consumer = build_consumer()
actor = consumer.declare()
