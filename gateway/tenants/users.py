"""A district administrator's work on the district's users, on the app role: RLS on ``membership`` keeps another
district's users out (the same 404 as a missing one), and a login is reached only through a membership here.

An administrator cannot lock themselves out: not lock their own account, not drop their own administrator role,
not confine themselves to part of the district, not reset their own one-time code (a stolen token must not be
able to replace the second factor; another administrator resets it).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Membership, RefreshToken, UserAccount
from gateway.tenants.schemas import UserRead, UserUpdate
from gateway.tenants.services import check_roles
from shared import audit
from shared.auth.principal import Role
from shared.http.problems import conflict, missing

NOT_YOURSELF = "you cannot lock yourself out: ask another district administrator"
OWN_ROLE = "you cannot drop your own district administrator role"
OWN_SCOPE = "you cannot confine your own account to part of the district"
OWN_CODE = "ask another district administrator to reset your own one-time code"


def _now() -> datetime:
    return datetime.now().astimezone()


def user_read(membership: Membership, user: UserAccount) -> UserRead:
    blocked = user.locked_until if user.locked_until is not None and user.locked_until > _now() else None
    return UserRead(
        user_id=str(user.id),
        username=user.username,
        display_name=user.display_name,
        roles=list(membership.roles),
        scope=membership.scope,
        locked=membership.locked_at is not None,
        locked_at=membership.locked_at,
        signin_blocked_until=blocked,
        totp_enrolled=user.totp_enabled,
        created_at=membership.created_at,
    )


class DistrictUsers:
    """The district's users as its administrator ``admin_id`` sees and changes them, in the request's transaction."""

    def __init__(self, session: AsyncSession, admin_id: uuid.UUID) -> None:
        self.session = session
        self.admin_id = admin_id

    async def all(self) -> list[UserRead]:
        rows = await self.session.execute(
            select(Membership, UserAccount)
            .join(UserAccount, UserAccount.id == Membership.user_id)
            .order_by(Membership.created_at, Membership.id)
        )
        return [user_read(m, u) for m, u in rows]

    async def one(self, user_id: uuid.UUID, *, for_update: bool = False) -> tuple[Membership, UserAccount]:
        statement = (
            select(Membership, UserAccount)
            .join(UserAccount, UserAccount.id == Membership.user_id)
            .where(Membership.user_id == user_id)
        )
        row = (await self.session.execute(statement.with_for_update() if for_update else statement)).first()
        if row is None:
            raise missing("user")
        return row[0], row[1]

    async def change(self, user_id: uuid.UUID, data: UserUpdate) -> UserRead:
        membership, user = await self.one(user_id, for_update=True)
        yourself = user_id == self.admin_id
        changed: list[str] = []
        if isinstance(data.roles, list):
            check_roles(data.roles)
            if yourself and Role.DISTRICT_ADMIN.value not in data.roles:
                raise conflict(OWN_ROLE)
            membership.roles = list(dict.fromkeys(data.roles))
            changed.append("roles")
        if data.scope is None or isinstance(data.scope, str):
            if yourself and data.scope is not None:
                raise conflict(OWN_SCOPE)
            membership.scope = data.scope
            changed.append("scope")
        if isinstance(data.display_name, str):
            user.display_name = data.display_name.strip()
            changed.append("displayName")
        if changed:  # takes effect at the user's next token renewal (roles and scope are read afresh there)
            detail = {"changed": changed, "roles": membership.roles}
            await audit.record(
                self.session, "user.changed", subject_type="user", subject_id=str(user.id), detail=detail
            )
        return user_read(membership, user)

    async def lock(self, user_id: uuid.UUID) -> UserRead:
        if user_id == self.admin_id:
            raise conflict(NOT_YOURSELF)
        membership, user = await self.one(user_id, for_update=True)
        if membership.locked_at is None:
            membership.locked_at = _now()
            # Their sessions in this district end at the next renewal (RLS: this district's tokens only).
            await self.session.execute(
                update(RefreshToken)
                .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
            await audit.record(self.session, "user.locked", subject_type="user", subject_id=str(user.id))
        return user_read(membership, user)

    async def unlock(self, user_id: uuid.UUID) -> UserRead:
        """Lifts the administrator's lock and the lockout after failed sign-ins alike."""
        membership, user = await self.one(user_id, for_update=True)
        if membership.locked_at is not None or user.locked_until is not None:
            membership.locked_at = None
            user.locked_until = None
            user.failed_logins = 0
            await audit.record(self.session, "user.unlocked", subject_type="user", subject_id=str(user.id))
        return user_read(membership, user)

    async def reset_code(self, user_id: uuid.UUID) -> UserRead:
        """The user enrols a new one-time code at their next sign-in with the password alone."""
        if user_id == self.admin_id:
            raise conflict(OWN_CODE)
        membership, user = await self.one(user_id, for_update=True)
        if user.totp_enabled or user.totp_secret is not None:
            user.totp_secret = None
            user.totp_enabled = False
            user.totp_last_step = None
            await audit.record(self.session, "user.totp_reset", subject_type="user", subject_id=str(user.id))
        return user_read(membership, user)
