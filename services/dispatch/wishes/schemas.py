from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class WishCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A micro-wish collected by staff (DSP-22); the beneficiary's name is kept masked only."""

    source: str  # visit | wall | staff | media | online | station
    title: Title
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    value_yuan: Decimal | None = None  # 0 to ¥200 (Handan's cap)
    household_id: UUID
    beneficiary_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)] | None = None


class WishClaim(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Empty for a person's own claim; ``unit`` for a claim staff record on behalf of a firm or employer."""

    unit: Annotated[str, msgspec.Meta(min_length=2, max_length=100, pattern=r"\S")] | None = None


class WishFulfil(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    note: Annotated[str, msgspec.Meta(max_length=2000)] | None = None


class WishView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    source: str
    title: str
    description: str
    value_yuan: Decimal | None
    household_id: UUID | None  # staff only
    grid_id: UUID | None
    beneficiary: str | None  # masked
    status: str
    claimer_kind: str | None  # person | unit
    claimer_unit: str | None
    claimed_by_me: bool
    published_at: datetime | None
    claimed_at: datetime | None
    fulfilled_at: datetime | None
    evidence_note: str | None
    has_evidence: bool
    evidence_sha256: str | None
    evidence_document_id: UUID | None  # its photo in documents: GET /api/documents/documents/{id}/thumbnail
    closed_at: datetime | None
    created_at: datetime
