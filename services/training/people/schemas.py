"""The people API's structs (camelCase on the wire; unknown input fields refused). Phones are shown masked."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
Phone = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]
UnitPath = Annotated[str, msgspec.Meta(max_length=400, pattern=r"^/([^/]+/)+$")]


class ResidentCreate(msgspec.Struct, kw_only=True, rename="camel", forbid_unknown_fields=True):
    """A resident who attends without being a member (micro-lectures, the daily classroom)."""

    name: PersonName
    phone: Phone  # a mainland mobile number: one resident per number in the district
    # where the resident lives (a grid, or a community): orgtree's unit; a scoped organiser's default is their scope
    grid_id: UUID | None = None
    grid_path: UnitPath | None = None


class PersonView(msgspec.Struct, kw_only=True, rename="camel"):
    id: UUID
    kind: str  # member or resident
    name: str
    member_id: UUID | None  # orgtree's member (members only)
    user_id: UUID | None  # the login that checks itself in
    phone: str | None  # masked (residents only: members' numbers stay in orgtree)
    branch_id: UUID | None
    branch_path: str | None
    grid_id: UUID | None
    grid_path: str | None
    classification: str | None
    flags: list[str]
    duties: list[str]
    active: bool
    created_at: datetime


class PersonPage(msgspec.Struct, kw_only=True, rename="camel"):
    items: list[PersonView]
    next: str | None
