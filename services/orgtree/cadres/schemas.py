from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec


class PostingCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    kind: str  # stationed | village
    member_id: UUID
    village_id: UUID
    role: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    cross_appointed: bool = False
    one_shoulder: bool = False
    since: date | None = None


class PostingView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    kind: str
    member_id: UUID
    member_name: str
    village_id: UUID
    role: str | None
    cross_appointed: bool
    one_shoulder: bool
    since: date
