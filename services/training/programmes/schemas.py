"""The programme catalogue's API structs (camelCase on the wire; unknown input fields refused)."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import msgspec


class CategoryView(msgspec.Struct, kw_only=True, rename="camel"):
    code: str
    name: str


class ProgrammeView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    code: str
    name: str
    description: str | None
    category: str
    audience: str
    track: str | None
    cadence: str | None
    default_credit_hours: Decimal
    counts: list[str]
    active: bool
