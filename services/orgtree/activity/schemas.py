from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec


class InactiveMember(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str
    unit_id: UUID  # the party unit holding the membership
    unit_name: str
    last_attended_on: date | None  # None: no organisational life on record
    months_inactive: int  # whole months since the last attendance (or joining, or being recorded)


class InactiveReport(msgspec.Struct, rename="camel", kw_only=True):
    as_of: date
    months: int
    members: list[InactiveMember]  # by unit, the longest inactive first
