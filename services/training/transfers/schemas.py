from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import msgspec


class CarriedOverView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    from_district: str
    kind: str
    occurred_on: date
    title: str
    credit_hours: Decimal | None
    points: int | None
    result: str | None


class CarriedOverHistory(msgspec.Struct, rename="camel", kw_only=True):
    """Read-only: what the member brought, and what of it counts in their totals here."""

    member_id: UUID
    records: list[CarriedOverView]
    credit_hours: Decimal
    points: int
