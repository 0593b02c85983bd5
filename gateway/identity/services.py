"""Login, lockout, one-time codes, access tokens and rotating refresh tokens.

Every refusal of a login looks the same to the caller (one status, one message, comparable time) whether
the username is unknown, the password wrong or the account locked, so responses reveal no usernames.
Only after the password is proven does the answer say more ("one-time code required", and for a user of several
districts which ones, with a ticket that chooses one: identity/choice.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import jwt
import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.city.accounts import CITY_VIEWER, city_of
from gateway.identity import choice
from gateway.identity.keys import KeyRing
from gateway.identity.sealing import seal, unseal
from gateway.models import Membership, RefreshToken, Tenant, UserAccount
from gateway.proxy.settings import get_proxy_settings
from shared import audit
from shared.auth.principal import ADMIN_ROLES, Role
from shared.context import tenant_scope
from shared.db.base import uuid7
from shared.http.problems import ProblemError
from shared.settings import Settings

MAX_FAILED_LOGINS = 5  # consecutive failures (wrong password or one-time code) before a lockout
LOCKOUT = timedelta(minutes=15)
# Roles that may protect their login with a one-time code (platform operator, district and street admins).
TOTP_ROLES = ADMIN_ROLES
TOTP_ISSUER = "Redcell"
BAD_LOGIN = "username or password is wrong"
BAD_REFRESH = "refresh token is not valid"
BAD_CHOICE = "the district choice has expired or was used; sign in again"
SEVERAL = "required for users with several districts"
NOT_THEIRS = "not one of this user's districts"
# Said only once the password is proven (the console shows them in words: auth/controllers.py).
ACCOUNT_LOCKED = "this account is locked in this district; ask the district administrator"
DISTRICT_SUSPENDED = "this district is suspended; ask the platform operator"


@lru_cache(maxsize=1)
def password_hasher() -> PasswordHasher:
    """argon2id with the gateway's parameters (``REDCELL_GATEWAY__PASSWORD_*``)."""
    chosen = get_proxy_settings()
    return PasswordHasher(
        time_cost=chosen.password_time_cost,
        memory_cost=chosen.password_memory_kib,
        parallelism=chosen.password_parallelism,
    )


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verifying against this keeps an unknown or locked user as slow as a wrong password (no timing oracle)."""
    return password_hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def _now() -> datetime:
    return datetime.now().astimezone()


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _unauthorized(detail: str) -> ProblemError:
    return ProblemError(401, detail, title="Unauthorized")


def _matching_step(seed: str, otp: str, now: datetime) -> int | None:
    """The time step whose code is ``otp`` (this step or one either side, for clock drift)."""
    totp = pyotp.TOTP(seed)
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), otp):
            return candidate
    return None


class DistrictChoiceError(ProblemError):
    """A 422 naming the districts the user may choose (slug and name) and the ticket that chooses one."""

    def __init__(self, districts: list[Tenant], ticket: str, message: str = SEVERAL) -> None:
        super().__init__(
            422,
            "this user belongs to several districts: name one in 'tenant', or choose one of 'districts' with "
            "the 'districtTicket' at /auth/login/district",
            errors=[{"field": "body.tenant", "message": message}],
        )
        self.districts = [{"slug": t.slug, "name": t.name} for t in districts]
        self.ticket = ticket


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    tenant: str | None  # the district's slug; None for a platform operator
    refresh_id: uuid.UUID


class Identity:
    """Identity operations over one system-role session; the caller commits, refusals included."""

    def __init__(self, session: AsyncSession, settings: Settings, keys: KeyRing) -> None:
        self.session = session
        self.settings = settings
        self.keys = keys

    async def _audit(self, action: str, user: UserAccount | None = None, **detail: object) -> None:
        await audit.record(
            self.session,
            action,
            subject_type="user" if user else None,
            subject_id=str(user.id) if user else None,
            detail=dict(detail) or None,
        )

    async def login(self, username: str, password: str, tenant_slug: str | None, otp: str | None) -> IssuedTokens:
        user = await self.session.scalar(
            select(UserAccount).where(UserAccount.username == username.strip().lower()).with_for_update()
        )
        if user is None:
            with contextlib.suppress(VerificationError):
                password_hasher().verify(_dummy_hash(), password)
            await self._audit("auth.login.failed", reason="unknown user")
            raise _unauthorized(BAD_LOGIN)
        if user.locked_until is not None and user.locked_until > _now():
            with contextlib.suppress(VerificationError):  # the right password does not help while locked
                password_hasher().verify(_dummy_hash(), password)
            await self._audit("auth.login.locked", user)
            raise _unauthorized(BAD_LOGIN)
        try:
            password_hasher().verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            await self._failed(user, "wrong password")
            raise _unauthorized(BAD_LOGIN) from None
        if user.totp_enabled:
            await self._check_login_otp(user, otp)
        if password_hasher().check_needs_rehash(user.password_hash):  # hashing parameters were raised since
            user.password_hash = hash_password(password)
        user.failed_logins = 0
        user.locked_until = None
        tenant, membership = await self._choose_membership(user, tenant_slug)
        tokens = await self._issue(user, tenant, membership, family=uuid.uuid4())
        with tenant_scope(tenant.id if tenant else None):  # the district's auditors see its logins
            await self._audit("auth.login.succeeded", user)
        return tokens

    async def _failed(self, user: UserAccount, reason: str) -> None:
        user.failed_logins += 1
        await self._audit("auth.login.failed", user, reason=reason)
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = _now() + LOCKOUT
            user.failed_logins = 0
            await self._audit("auth.user.locked", user, minutes=int(LOCKOUT.total_seconds() // 60))

    async def _check_login_otp(self, user: UserAccount, otp: str | None) -> None:
        if not otp:
            await self._audit("auth.login.failed", user, reason="one-time code missing")
            raise _unauthorized("one-time code required")
        step = _matching_step(self._totp_seed(user), otp, _now())
        # A code already used (or an older one) is refused: a code seen over a shoulder cannot be replayed.
        if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
            await self._failed(user, "wrong one-time code")
            raise _unauthorized("one-time code is wrong")
        user.totp_last_step = step

    async def choose_district(self, ticket: str, tenant_slug: str) -> IssuedTokens:
        """The second call of a login of several districts: the ticket the first one answered stands for the
        password and one-time code; the tokens it issues spend it (their family is the ticket's)."""
        held = choice.read(self.settings, ticket)
        user = await self.session.get(UserAccount, held.user_id, with_for_update=True) if held else None
        if held is None or user is None:
            await self._audit("auth.login.failed", reason="district choice not valid")
            raise _unauthorized(BAD_CHOICE)
        locked = user.locked_until is not None and user.locked_until > _now()
        if locked or held.fingerprint != choice.fingerprint(user.password_hash):
            await self._audit("auth.login.failed", user, reason="district choice not valid")
            raise _unauthorized(BAD_CHOICE)
        spent = await self.session.scalar(select(RefreshToken.id).where(RefreshToken.family_id == held.family).limit(1))
        if spent is not None:  # the user row's lock above makes two presentations take turns
            await self._audit("auth.login.failed", user, reason="district choice used already")
            raise _unauthorized(BAD_CHOICE)
        tenant, membership = await self._choose_membership(user, tenant_slug, ticket=ticket)
        tokens = await self._issue(user, tenant, membership, family=held.family)
        with tenant_scope(tenant.id if tenant else None):
            await self._audit("auth.login.succeeded", user, via="district choice")
        return tokens

    async def _choose_membership(
        self, user: UserAccount, tenant_slug: str | None, ticket: str | None = None
    ) -> tuple[Tenant | None, Membership | None]:
        # The system role reads memberships of every district: the user has not chosen one yet.
        every = (
            await self.session.execute(
                select(Tenant, Membership)
                .join(Membership, Membership.tenant_id == Tenant.id)
                .where(Membership.user_id == user.id)
                .order_by(Tenant.slug)
            )
        ).all()
        rows = [(t, m) for t, m in every if t.status == "active" and m.locked_at is None]
        chosen = [r for r in rows if r[0].slug == tenant_slug] if tenant_slug is not None else rows
        if len(chosen) == 1:
            return chosen[0][0], chosen[0][1]
        if not rows and user.is_platform_operator and tenant_slug is None:
            return None, None
        if not rows and tenant_slug is None and await city_of(self.session, user.id) is not None:
            return None, None  # a city account: no district, the city's role (_issue)
        if len(chosen) > 1:
            raise DistrictChoiceError([t for t, _ in rows], choice.issue(self.settings, user.id, user.password_hash))
        if ticket is not None and rows:  # chose a district not offered: offer them again, same ticket
            raise DistrictChoiceError([t for t, _ in rows], ticket, NOT_THEIRS)
        await self._refuse_barred(user, [(t, m) for t, m in every if tenant_slug in {None, t.slug}])
        await self._audit("auth.login.failed", user, reason="no district")
        raise _unauthorized(BAD_LOGIN)

    async def _refuse_barred(self, user: UserAccount, barred: list[tuple[Tenant, Membership]]) -> None:
        """The password (and code) are proven, so the refusal may say why: the district's administrator locked
        this account, or the platform suspended the district. Recorded in that district's audit log."""
        if not barred:
            return
        tenant, membership = barred[0]
        locked = membership.locked_at is not None
        with tenant_scope(tenant.id):
            await self._audit("auth.login.refused", user, reason="account locked" if locked else "district suspended")
        raise ProblemError(403, ACCOUNT_LOCKED if locked else DISTRICT_SUSPENDED, title="Forbidden")

    def _totp_seed(self, user: UserAccount) -> str:
        if user.totp_secret is None:
            msg = "no one-time-code secret enrolled"
            raise ProblemError(409, msg, title="Conflict")
        return unseal(self.settings, f"totp:{user.id}", user.totp_secret).decode()

    async def _issue(
        self, user: UserAccount, tenant: Tenant | None, membership: Membership | None, family: uuid.UUID
    ) -> IssuedTokens:
        kid, key = await self.keys.signing_key()
        now = int(time.time())
        roles = list(membership.roles) if membership else []
        if user.is_platform_operator and tenant is None:
            roles = [Role.PLATFORM_OPERATOR.value]
        elif tenant is None and await city_of(self.session, user.id) is not None:
            roles = [CITY_VIEWER]
        claims = {
            "iss": self.settings.jwt.issuer,
            "aud": self.settings.jwt.audience,
            "sub": str(user.id),
            "name": user.display_name,  # services record it in history rows beside the user id
            "tenant": str(tenant.id) if tenant else None,
            "roles": roles,
            "scope": membership.scope if membership else None,
            "typ": "access",
            "jti": uuid.uuid4().hex,
            "iat": now,
            "exp": now + self.settings.jwt.access_ttl_s,
        }
        access = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid})
        refresh = secrets.token_urlsafe(32)  # opaque; only its SHA-256 is stored
        row = RefreshToken(
            id=uuid7(),
            user_id=user.id,
            tenant_id=tenant.id if tenant else None,
            family_id=family,
            token_hash=_digest(refresh),
            expires_at=_now() + timedelta(seconds=self.settings.jwt.refresh_ttl_s),
        )
        self.session.add(row)
        await self.session.flush()
        return IssuedTokens(access, refresh, self.settings.jwt.access_ttl_s, tenant.slug if tenant else None, row.id)

    async def refresh(self, refresh_token: str) -> IssuedTokens:
        row = await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token)).with_for_update()
        )
        if row is None or row.expires_at <= _now():
            raise _unauthorized(BAD_REFRESH)
        if row.revoked_at is not None:  # a rotated-away token came back: someone copied it, end the session
            await self._revoke_family(row.family_id)
            with tenant_scope(row.tenant_id):
                await audit.record(
                    self.session, "auth.refresh.reused", subject_type="user", subject_id=str(row.user_id)
                )
            raise _unauthorized(BAD_REFRESH)
        user = await self.session.get(UserAccount, row.user_id)
        tenant = await self.session.get(Tenant, row.tenant_id) if row.tenant_id else None
        membership = None
        if tenant is not None:  # roles and scope are read afresh: a changed membership shows at the next refresh
            membership = await self.session.scalar(
                select(Membership).where(Membership.tenant_id == tenant.id, Membership.user_id == row.user_id)
            )
            if membership is None or membership.locked_at is not None or tenant.status != "active":
                await self._revoke_family(row.family_id)
                raise _unauthorized(BAD_REFRESH)
        if user is None:
            raise _unauthorized(BAD_REFRESH)
        issued = await self._issue(user, tenant, membership, family=row.family_id)
        row.revoked_at = _now()
        row.replaced_by = issued.refresh_id
        return issued

    async def logout(self, refresh_token: str) -> None:
        """Ends the whole session (the token's family). Unknown tokens are ignored: logout never fails."""
        row = await self.session.scalar(select(RefreshToken).where(RefreshToken.token_hash == _digest(refresh_token)))
        if row is not None:
            await self._revoke_family(row.family_id)
            with tenant_scope(row.tenant_id):
                await audit.record(self.session, "auth.logout", subject_type="user", subject_id=str(row.user_id))

    async def _revoke_family(self, family: uuid.UUID) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=_now())
        )

    async def enroll_totp(self, user_id: uuid.UUID) -> str:
        """Start (or restart, while unconfirmed) enrolment; returns the otpauth:// URI for an authenticator app.

        Once confirmed, enrolment is refused: otherwise a stolen access token could replace the second factor.
        """
        user = await self.session.get(UserAccount, user_id, with_for_update=True)
        if user is None:
            raise _unauthorized("authentication required")
        if user.totp_enabled:
            raise ProblemError(409, "one-time codes are already enabled for this account", title="Conflict")
        seed = pyotp.random_base32()
        user.totp_secret = seal(self.settings, f"totp:{user.id}", seed.encode())
        user.totp_last_step = None
        await self._audit("auth.totp.enrolment_started", user)
        return pyotp.TOTP(seed).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)

    async def confirm_totp(self, user_id: uuid.UUID, otp: str) -> None:
        user = await self.session.get(UserAccount, user_id, with_for_update=True)
        if user is None or user.totp_secret is None:
            raise ProblemError(409, "start enrolment first", title="Conflict")
        if user.totp_enabled:
            raise ProblemError(409, "one-time codes are already enabled for this account", title="Conflict")
        if _matching_step(self._totp_seed(user), otp, _now()) is None:
            raise ProblemError(422, "one-time code is wrong", errors=[{"field": "body.otp", "message": "wrong code"}])
        # Confirming is not a login (the caller already holds a token), so its code stays usable for the
        # next login; replay protection starts with the first login that uses a code.
        user.totp_enabled = True
        await self._audit("auth.totp.enabled", user)
