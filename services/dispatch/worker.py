"""dramatiq entry module of ``redcell worker dispatch``: the broker first, then every actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())

import services.dispatch.directory.actors  # noqa: E402  - registers handlers on the consumer
import services.dispatch.directory.moves  # noqa: E402
import services.dispatch.notifications.actors  # noqa: E402
import services.dispatch.providers.actors  # noqa: E402
import services.dispatch.routing.actors  # noqa: E402
import services.dispatch.tenants.actors  # noqa: E402
import services.dispatch.tickets.evidence_actors  # noqa: E402
import services.dispatch.visits.actors  # noqa: E402, F401
from services.dispatch.events import consumer  # noqa: E402

actor = consumer.actor
