from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class LeaderAppointment(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID
    kind: str = "red_collar_leader"
    since: date | None = None


class LeaderView(msgspec.Struct, rename="camel", kw_only=True):
    grid_id: UUID
    member_id: UUID
    member_name: str
    kind: str
    since: date
