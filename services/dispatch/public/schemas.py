from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from services.dispatch.tickets.schemas import Title

Code = Annotated[str, msgspec.Meta(pattern=r"^\d{6}$", description="the 6-digit code sent by SMS")]


class VerificationCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    phone: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]


class VerificationStarted(msgspec.Struct, rename="camel", kw_only=True):
    verification_id: UUID
    phone: str  # masked
    expires_at: datetime


class PublicRequestCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    verification_id: UUID
    code: Code
    title: Title
    description: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    category_id: UUID | None = None
    address: Annotated[str, msgspec.Meta(min_length=2, max_length=200)] | None = None


class PublicRequestCreated(msgspec.Struct, rename="camel", kw_only=True):
    number: str
    follow_token: str  # shown once; send it as X-Follow-Token to follow the request


class PublicHistoryEntry(msgspec.Struct, rename="camel", kw_only=True):
    action: str
    at: datetime
    status: str | None
    actor_name: str | None  # masked (张*), or a system label such as 「系统（自动派单）」


class PublicRequestStatus(msgspec.Struct, rename="camel", kw_only=True):
    number: str
    status: str
    status_label: str  # zh-CN
    created_at: datetime
    history: list[PublicHistoryEntry]


class FollowTokenCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The code just sent to the phone the request was made from (``POST /verifications`` with that phone)."""

    verification_id: UUID
    code: Code


class FollowTokenIssued(msgspec.Struct, rename="camel", kw_only=True):
    number: str
    follow_token: str  # replaces the request's earlier token; send it as X-Follow-Token


class PublicCategory(msgspec.Struct, rename="camel", kw_only=True):
    """A service category a resident may choose on the request form (``categoryId``)."""

    id: UUID
    code: str
    name: str
