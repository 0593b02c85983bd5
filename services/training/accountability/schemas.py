"""Accountability records as the API shows them (camelCase)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class AccountabilityView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    ticket_id: UUID
    warning: str  # yellow | red
    clock: str  # sign_for | arrival | resolution | referral
    level: int
    due_at: datetime
    warned_at: datetime
    unit_id: UUID | None
    unit_path: str | None
    unit_name: str | None
    provider_id: UUID | None
    member_id: UUID | None
    person_id: UUID | None  # the member volunteer on training's rolls, when known
    person_name: str | None


class AccountabilityPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[AccountabilityView]
    next: str | None
