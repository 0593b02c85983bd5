"""Member care's event handlers: orgtree's warning opens a re-education case (EVT-01)."""

from __future__ import annotations

from services.training.care.re_education import open_case
from services.training.events import consumer
from shared.contracts.orgtree import MemberWarned

consumer.on(MemberWarned)(open_case)
