from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec


class OutgoingTransfer(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Sent by the gateway with the admin's own token, once it has checked the receiving district."""

    offer_id: UUID
    member_id: UUID
    to_tenant_id: UUID
    to_district: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    transfer_on: date


class DistrictTransferView(msgspec.Struct, rename="camel", kw_only=True):
    offer_id: UUID
    direction: str
    member_id: UUID
    other_district: str
    status: str
    reason: str
    transfer_on: date
    note: str | None
    recorded_at: datetime
    closed_at: datetime | None


class BranchView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    name: str
    path: str
