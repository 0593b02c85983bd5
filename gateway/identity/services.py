"""Login, lockout, one-time codes, access tokens and rotating refresh tokens."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.keys import KeyRing
from gateway.identity.sealing import seal, unseal
from gateway.models import Membership, RefreshToken, Tenant, UserAccount
from shared import audit
from shared.auth.principal import Role
from shared.http.problems import ProblemError
from shared.settings import Settings

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
TOTP_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.PLATFORM_OPERATOR})
_hasher = PasswordHasher()
# Verifying against this keeps an unknown username as slow as a wrong password (no timing oracle).
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_BAD_LOGIN = "username or password is wrong"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _now() -> datetime:
    return datetime.now().astimezone()


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    tenant: str | None


class Identity:
    def __init__(self, session: AsyncSession, settings: Settings, keys: KeyRing) -> None:
        self.session = session
        self.settings = settings
        self.keys = keys

    async def login(self, username: str, password: str, tenant_slug: str | None, otp: str | None) -> IssuedTokens:
        user = await self.session.scalar(
            select(UserAccount).where(UserAccount.username == username.strip().lower()).with_for_update()
        )
        if user is None:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY_HASH, password)
            await audit.record(self.session, "auth.login.failed", detail={"reason": "unknown user"})
            raise ProblemError(401, _BAD_LOGIN, title="Unauthorized")
        if user.locked_until is not None and user.locked_until > _now():
            await audit.record(self.session, "auth.login.locked", subject_type="user", subject_id=str(user.id))
            raise ProblemError(401, _BAD_LOGIN, title="Unauthorized")
        try:
            _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = _now() + LOCKOUT
                user.failed_logins = 0
                await audit.record(self.session, "auth.user.locked", subject_type="user", subject_id=str(user.id))
            await audit.record(self.session, "auth.login.failed", subject_type="user", subject_id=str(user.id))
            raise ProblemError(401, _BAD_LOGIN, title="Unauthorized") from None
        if user.totp_enabled:
            if not otp:
                raise ProblemError(401, "one-time code required", title="Unauthorized")
            if not pyotp.TOTP(self._totp_seed(user)).verify(otp, valid_window=1):
                await audit.record(self.session, "auth.login.bad_otp", subject_type="user", subject_id=str(user.id))
                raise ProblemError(401, "one-time code is wrong", title="Unauthorized")
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        tenant, membership = await self._choose_membership(user, tenant_slug)
        tokens = await self._issue(user, tenant, membership, family=uuid.uuid4())
        await audit.record(
            self.session,
            "auth.login.succeeded",
            subject_type="user",
            subject_id=str(user.id),
            detail={"tenant": tenant.slug if tenant else None},
        )
        return tokens

    async def _choose_membership(
        self, user: UserAccount, tenant_slug: str | None
    ) -> tuple[Tenant | None, Membership | None]:
        rows = (
            await self.session.execute(
                select(Tenant, Membership)
                .join(Membership, Membership.tenant_id == Tenant.id)
                .where(Membership.user_id == user.id, Tenant.status == "active")
            )
        ).all()
        if tenant_slug is not None:
            rows = [r for r in rows if r[0].slug == tenant_slug]
        if len(rows) == 1:
            return rows[0][0], rows[0][1]
        if not rows and user.is_platform_operator and tenant_slug is None:
            return None, None
        if not rows:
            raise ProblemError(401, _BAD_LOGIN, title="Unauthorized")
        raise ProblemError(
            422,
            "this user belongs to several districts: name one in 'tenant'",
            errors=[{"field": "body.tenant", "message": "required for users with several districts"}],
        )

    def _totp_seed(self, user: UserAccount) -> str:
        assert user.totp_secret is not None
        return unseal(self.settings, f"totp:{user.id}", user.totp_secret).decode()

    async def _issue(
        self, user: UserAccount, tenant: Tenant | None, membership: Membership | None, family: uuid.UUID
    ) -> IssuedTokens:
        kid, key = await self.keys.signing_key()
        now = int(time.time())
        roles = list(membership.roles) if membership else []
        if user.is_platform_operator and tenant is None:
            roles = [Role.PLATFORM_OPERATOR.value]
        claims = {
            "iss": self.settings.jwt.issuer,
            "aud": self.settings.jwt.audience,
            "sub": str(user.id),
            "tenant": str(tenant.id) if tenant else None,
            "roles": roles,
            "scope": membership.scope if membership else None,
            "typ": "access",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self.settings.jwt.access_ttl_s,
        }
        access = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
        refresh = secrets.token_urlsafe(32)
        self.session.add(
            RefreshToken(
                user_id=user.id,
                tenant_id=tenant.id if tenant else None,
                family_id=family,
                token_hash=_digest(refresh),
                expires_at=_now() + timedelta(seconds=self.settings.jwt.refresh_ttl_s),
            )
        )
        await self.session.flush()
        return IssuedTokens(access, refresh, self.settings.jwt.access_ttl_s, tenant.slug if tenant else None)

    async def refresh(self, refresh_token: str) -> IssuedTokens:
        row = await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token)).with_for_update()
        )
        if row is None or row.expires_at <= _now():
            raise ProblemError(401, "refresh token is not valid", title="Unauthorized")
        if row.revoked_at is not None:  # reuse of a rotated token: someone copied it, kill the family
            await self._revoke_family(row.family_id)
            await audit.record(self.session, "auth.refresh.reused", subject_type="user", subject_id=str(row.user_id))
            raise ProblemError(401, "refresh token is not valid", title="Unauthorized")
        row.revoked_at = _now()
        user = await self.session.get(UserAccount, row.user_id)
        tenant = await self.session.get(Tenant, row.tenant_id) if row.tenant_id else None
        membership = None
        if tenant is not None:
            membership = await self.session.scalar(
                select(Membership).where(Membership.tenant_id == tenant.id, Membership.user_id == row.user_id)
            )
            if membership is None or tenant.status != "active":
                raise ProblemError(401, "refresh token is not valid", title="Unauthorized")
        assert user is not None
        return await self._issue(user, tenant, membership, family=row.family_id)

    async def logout(self, refresh_token: str) -> None:
        row = await self.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token)))
        if row is not None:
            await self._revoke_family(row.family_id)
            await audit.record(self.session, "auth.logout", subject_type="user", subject_id=str(row.user_id))

    async def _revoke_family(self, family: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=_now())
        )

    async def enroll_totp(self, user_id: uuid.UUID, username: str) -> str:
        user = await self.session.get(UserAccount, user_id, with_for_update=True)
        assert user is not None
        seed = pyotp.random_base32()
        user.totp_secret = seal(self.settings, f"totp:{user.id}", seed.encode())
        user.totp_enabled = False
        return pyotp.TOTP(seed).provisioning_uri(name=username, issuer_name="Redcell")

    async def confirm_totp(self, user_id: uuid.UUID, otp: str) -> None:
        user = await self.session.get(UserAccount, user_id, with_for_update=True)
        if user is None or user.totp_secret is None:
            raise ProblemError(409, "start enrolment first", title="Conflict")
        if not pyotp.TOTP(self._totp_seed(user)).verify(otp, valid_window=1):
            raise ProblemError(422, "one-time code is wrong", errors=[{"field": "body.otp", "message": "wrong code"}])
        user.totp_enabled = True
        await audit.record(self.session, "auth.totp.enabled", subject_type="user", subject_id=str(user.id))
