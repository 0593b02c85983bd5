from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec


class GroupingCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    kind: str
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    anchor_id: UUID  # the unit it belongs to, e.g. the village of a courtyard
    contact_member_id: UUID | None = None
    hub_household_id: UUID | None = None  # a courtyard's member household
    chat_group_ref: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class GroupingEntry(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    member_id: UUID | None = None
    household_id: UUID | None = None


class GroupingView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    name: str
    anchor_id: UUID
    contact_member_id: UUID | None
    hub_household_id: UUID | None
    chat_group_ref: str | None
    member_ids: list[UUID]
    household_ids: list[UUID]
    created_at: datetime
