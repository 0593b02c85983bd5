from __future__ import annotations

from typing import Annotated

import msgspec

Username = Annotated[str, msgspec.Meta(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
Otp = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{2,62}$")]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=80, pattern=r"\S")]
Opaque = Annotated[str, msgspec.Meta(min_length=20, max_length=200)]
Ticket = Annotated[str, msgspec.Meta(min_length=20, max_length=400, pattern=r"^[A-Za-z0-9_-]+$")]


class LoginRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    username: Username
    password: Password
    tenant: Slug | None = None
    otp: Otp | None = None


class DistrictChoiceRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    district_ticket: Ticket  # from the login's 422: it stands for the password and one-time code just proven
    tenant: Slug  # one of the districts that answer listed


class RefreshRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    refresh_token: Opaque


class OtpRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    otp: Otp


class TokenResponse(msgspec.Struct, rename="camel", kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    tenant: str | None
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


class District(msgspec.Struct, rename="camel", kw_only=True):
    """A district as anyone may know it: what its public pages and a top bar show."""

    id: str
    slug: str
    name: str  # e.g. 龙湾区


class DistrictOption(msgspec.Struct, rename="camel", kw_only=True):
    slug: str
    name: str


class DistrictChoiceProblem(msgspec.Struct, rename="camel", kw_only=True):
    """A login's 422: invalid input, or (with ``districts`` and ``districtTicket``) a user of several districts."""

    title: str
    status: int
    detail: str
    errors: list[dict[str, str]]
    districts: list[DistrictOption] | None = None  # those the user may choose, by slug
    district_ticket: str | None = None  # with the chosen slug to POST /auth/login/district, once, within 5 minutes


class Me(msgspec.Struct, rename="camel", kw_only=True):
    user_id: str
    name: str | None  # the display name the token carries
    tenant_id: str | None
    district: District | None  # the token's district (None for the platform operator)
    roles: list[str]
    scope: str | None


class TotpEnrolment(msgspec.Struct, rename="camel", kw_only=True):
    provisioning_uri: str
