"""dramatiq entry module of ``redcell worker training``: the broker first, then every actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())

import services.training.accountability.actors  # noqa: E402
import services.training.care.actors  # noqa: E402
import services.training.people.actors  # noqa: E402  - registers handlers on the consumer
import services.training.people.moves  # noqa: E402
import services.training.points.actors  # noqa: E402
import services.training.tenants.actors  # noqa: E402
import services.training.transfers.actors  # noqa: E402, F401
from services.training.events import consumer  # noqa: E402

actor = consumer.actor
