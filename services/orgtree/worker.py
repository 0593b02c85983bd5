"""dramatiq entry module of ``redcell worker orgtree``: the broker first, then every actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())

import services.orgtree.activity.actors  # noqa: E402
import services.orgtree.bulk.actors  # noqa: E402
import services.orgtree.honours.actors  # noqa: E402
import services.orgtree.tenants.actors  # noqa: E402  - registers handlers on the consumer
import services.orgtree.transfers.actors  # noqa: E402, F401
from services.orgtree.events import consumer  # noqa: E402

actor = consumer.actor
