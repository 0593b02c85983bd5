"""dramatiq entry module of ``redcell worker documents``: the broker first, then every actor."""

from shared.messaging.broker import declare_broker
from shared.settings import get_settings

broker = declare_broker(get_settings())

import services.documents.boards.actors  # noqa: E402
import services.documents.files.actors  # noqa: E402
import services.documents.generated.actors  # noqa: E402
import services.documents.subjects.actors  # noqa: E402  - registers handlers on the consumer
import services.documents.subjects.moves  # noqa: E402
import services.documents.tenants.actors  # noqa: E402, F401
from services.documents.events import consumer  # noqa: E402

actor = consumer.actor
