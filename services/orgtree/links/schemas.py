from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec


class HouseholdLinkCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    household_id: UUID


class HouseholdLinkSet(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """The complete set of households a member serves; the count must lie in the district's range (or be 0)."""

    household_ids: Annotated[list[UUID], msgspec.Meta(max_length=500)]


class HouseholdLinkView(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    household_id: UUID
    since: date


class GuidanceLinkCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    cadre_id: UUID
    member_id: UUID


class GuidanceLinkView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    cadre_id: UUID
    member_id: UUID
    since: date


class ContactCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    contacted_on: date
    channel: str
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class ContactView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    link_id: UUID
    contacted_on: date
    channel: str
    note: str | None
