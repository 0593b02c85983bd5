"""dramatiq entry module of ``redcell worker gateway``: the broker first, then every actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())

import gateway.city.actors  # noqa: E402
import gateway.tenants.scopes  # noqa: E402
import gateway.transfers.actors  # noqa: E402, F401  - registers handlers on the consumer
from gateway.events import consumer  # noqa: E402

actor = consumer.actor
