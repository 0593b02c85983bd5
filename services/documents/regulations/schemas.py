"""The regulation library as the API takes and shows it (camelCase, strict decoding)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

Number = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]  # 文号, e.g. 瑶委发〔2026〕3号


class RegulationCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Registers an existing document of type ``regulation`` in its unit's library."""

    document_id: UUID
    effective_from: date
    effective_to: date | None = None  # the last day in force
    trial: bool  # 试行
    number: Number | None = None


class RegulationUpdate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """Ends a regulation (``effectiveTo``), marks what superseded it, or settles a trial."""

    effective_to: date | msgspec.UnsetType | None = msgspec.UNSET
    superseded_by: UUID | msgspec.UnsetType | None = msgspec.UNSET  # the successor's document id
    trial: bool | msgspec.UnsetType = msgspec.UNSET
    number: Number | msgspec.UnsetType | None = msgspec.UNSET


class RegulationView(msgspec.Struct, kw_only=True, rename="camel"):
    document_id: UUID
    title: str
    unit_path: str
    unit_name: str | None
    number: str | None
    effective_from: date
    effective_to: date | None
    trial: bool
    superseded_by: UUID | None
    registered_by_name: str | None
    created_at: datetime


class RegulationPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[RegulationView]
    next: str | None
