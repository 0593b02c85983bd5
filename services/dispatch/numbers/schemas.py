from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

Label = Annotated[str, msgspec.Meta(max_length=60)]


class NumberCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """A published number and the unit (district, town/street, village/community or grid) that answers it."""

    number: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
    unit_id: UUID
    label: Label = ""
    synthetic: bool = False


class NumberChange(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    unit_id: UUID | msgspec.UnsetType = msgspec.UNSET
    label: Label | msgspec.UnsetType = msgspec.UNSET
    synthetic: bool | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


class NumberView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    number: str
    unit_id: UUID
    unit_level: str
    unit_name: str
    label: str
    synthetic: bool
    active: bool
    updated_at: datetime


class UnitView(msgspec.Struct, rename="camel", kw_only=True):
    """A unit of the district as dispatch's directory knows it (from orgtree's grid events)."""

    id: UUID
    level: str
    name: str
    path: str
