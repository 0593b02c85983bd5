from __future__ import annotations

from typing import Annotated

import msgspec

Username = Annotated[str, msgspec.Meta(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
Otp = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$")]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{2,62}$")]
Opaque = Annotated[str, msgspec.Meta(min_length=20, max_length=200)]


class LoginRequest(msgspec.Struct, rename="camel", kw_only=True, forbid_unknown_fields=True):
    username: Username
    password: Password
    tenant: Slug | None = None
    otp: Otp | None = None


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


class Me(msgspec.Struct, rename="camel", kw_only=True):
    user_id: str
    tenant_id: str | None
    roles: list[str]
    scope: str | None


class TotpEnrolment(msgspec.Struct, rename="camel", kw_only=True):
    provisioning_uri: str
