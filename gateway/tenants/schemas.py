from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from gateway.identity.schemas import DisplayName, Password, Slug, Username

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RoleName = Annotated[str, msgspec.Meta(pattern=r"^[a-z_]{3,40}$")]
ScopePath = Annotated[str, msgspec.Meta(pattern=r"^/([0-9a-f]+/)+$", max_length=400)]
CellName = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{0,39}$")]


class TenantCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    parent_region: Name | None = None
    admin_username: Username | None = None
    admin_password: Password | None = None
    # The database cell holding the district's rows (``main`` unless chosen), and per component where it differs.
    cell: CellName | None = None
    cells: dict[str, CellName] | None = None


class TenantRead(msgspec.Struct, rename="camel", kw_only=True):
    id: str
    slug: str
    name: str
    parent_region: str | None
    status: str  # active, suspended (its users cannot sign in) or retired
    created_at: datetime | None = None


class TenantStatusChange(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    status: Literal["active", "suspended"]


class UserCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    username: Username
    password: Password
    roles: Annotated[list[RoleName], msgspec.Meta(min_length=1, max_length=9)]
    scope: ScopePath | None = None
    display_name: DisplayName | None = None  # how services show the user (e.g. 王丽); the username when absent


class MembershipCreate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    username: Username
    roles: Annotated[list[RoleName], msgspec.Meta(min_length=1, max_length=9)]
    scope: ScopePath | None = None


class UserUpdate(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    """What a district administrator changes of a user: absent fields stay; ``scope: null`` is the whole district."""

    roles: Annotated[list[RoleName], msgspec.Meta(min_length=1, max_length=9)] | msgspec.UnsetType = msgspec.UNSET
    scope: ScopePath | msgspec.UnsetType | None = msgspec.UNSET
    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET


class UserRead(msgspec.Struct, rename="camel", kw_only=True):
    user_id: str
    username: str
    display_name: str
    roles: list[str]
    scope: str | None
    locked: bool = False  # locked in this district by its administrator
    locked_at: datetime | None = None
    # after too many failed sign-ins (any district): refused until then
    signin_blocked_until: datetime | None = None
    totp_enrolled: bool = False  # signs in with a one-time code
    created_at: datetime | None = None
