"""How a ticket's clocks look to operators."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class DeadlineView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str  # sign_for | arrival | resolution | red | referral
    level: int  # the ladder level the clock belongs to
    started_at: datetime
    due_at: datetime
    fired_at: datetime | None  # the warning went out
    cancelled_at: datetime | None  # met in time, or superseded (escalated, resolved, cancelled)
    state: str  # running | fired | cancelled
