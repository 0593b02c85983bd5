from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
Text = Annotated[str, msgspec.Meta(max_length=500)]
Purpose = Annotated[str, msgspec.Meta(min_length=2, max_length=200, pattern=r"\S")]


class MemberCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    name: PersonName
    branch_id: UUID  # formal membership: exactly one party unit
    classification: str = "self_managed"
    id_card: str | None = None
    phone: str | None = None
    grid_id: UUID | None = None
    flags: list[str] = []
    info_card: dict[str, Text] = {}
    post_code: str | None = None
    post_method: str | None = None
    joined_on: date | None = None
    user_id: UUID | None = None  # link a login (district admins only): an account from the gateway's /admin/users


class MemberUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields present change. ``gridId``: null detaches from the grid."""

    name: PersonName | msgspec.UnsetType = msgspec.UNSET
    classification: str | msgspec.UnsetType = msgspec.UNSET
    id_card: str | msgspec.UnsetType = msgspec.UNSET
    phone: str | msgspec.UnsetType = msgspec.UNSET
    grid_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    flags: list[str] | msgspec.UnsetType = msgspec.UNSET
    info_card: dict[str, Text] | msgspec.UnsetType = msgspec.UNSET
    post_code: str | msgspec.UnsetType | None = msgspec.UNSET
    post_method: str | msgspec.UnsetType | None = msgspec.UNSET
    user_id: UUID | msgspec.UnsetType | None = msgspec.UNSET  # link (or, null, unlink) a login: district admins only


class MemberView(msgspec.Struct, rename="camel", kw_only=True):
    """A member as shown by default: ID number and phone masked."""

    id: UUID
    name: str
    gender: str | None
    birth_date: date | None
    id_card: str | None
    phone: str | None
    classification: str
    flags: list[str]
    info_card: dict[str, str]
    grid_id: UUID | None
    branch_id: UUID
    post_code: str | None
    post_method: str | None
    joined_on: date | None
    user_id: UUID | None  # the gateway account that signs in as this member (null: none linked)
    created_at: datetime


class MemberPage(msgspec.Struct, rename="camel", kw_only=True):
    items: list[MemberView]
    next_after: str | None


class RevealRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    field: str
    purpose: Purpose


class Revealed(msgspec.Struct, rename="camel", kw_only=True):
    field: str
    value: str


class LookupRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """Find by phone or ID number through the blind index (in the body: never in URLs or logs)."""

    phone: str | None = None
    id_card: str | None = None


class TransferRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    to_branch_id: UUID
    transferred_on: date
    reason: str
    note: Text | None = None


class TransferView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    from_branch_id: UUID | None
    to_branch_id: UUID | None
    transferred_on: date
    reason: str
    note: str | None
    recorded_at: datetime


class MembershipAsOf(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    as_of: date
    branch_id: UUID | None  # None: not (yet, or any longer) on the district's rolls


class RemovalRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    reason: str
    removed_on: date
    note: Text | None = None


class RollEntry(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    name: str | None  # None: the member has since left the district's rolls


class PostView(msgspec.Struct, rename="camel", kw_only=True):
    code: str
    label: str


class PostCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[a-z][a-z_]*$")]
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")]


class PostClaimCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    post_code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    method: Annotated[str, msgspec.Meta(min_length=1, max_length=30)]  # self_nomination | branch_nomination
    claimed_on: date


class PostClaimView(msgspec.Struct, rename="camel", kw_only=True):
    id: UUID
    post_code: str
    post_label: str
    method: str
    claimed_on: date
    ended_on: date | None


class MemberPostsView(msgspec.Struct, rename="camel", kw_only=True):
    member_id: UUID
    member_name: str
    post_code: str | None  # the post held now
    post_method: str | None
    claims: list[PostClaimView]  # newest first: the current claim, then the ones it replaced


class UnitPostRow(msgspec.Struct, rename="camel", kw_only=True):
    unit_id: UUID
    unit_name: str
    without_office: int  # members without office (无职党员) on the unit's roll
    with_post: int
    without_post: int


class UnitPostReport(msgspec.Struct, rename="camel", kw_only=True):
    units: list[UnitPostRow]  # the party units holding members in the scope, those with members lacking a post first
    without_post: int
