"""Provisioning: the tenant row, its first administrator and a TenantProvisioned event, in one transaction."""

from __future__ import annotations

import re

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.services import hash_password
from gateway.models import Membership, RefreshToken, Tenant, UserAccount
from gateway.tenants.placement import place
from shared import audit
from shared.auth.principal import Role
from shared.components import placed
from shared.context import tenant_scope
from shared.contracts.tenants import TenantProvisioned
from shared.http.problems import ProblemError
from shared.messaging.outbox import publish
from shared.settings import MAIN_CELL

SLUG = re.compile(r"^[a-z][a-z0-9-]{2,62}$")
MIN_PASSWORD = 10


async def provision_tenant(
    session: AsyncSession,
    slug: str,
    name: str,
    *,
    parent_region: str | None = None,
    admin_username: str | None = None,
    admin_password: str | None = None,
    cells: dict[str, str] | None = None,
) -> tuple[Tenant, bool]:
    """Create a district on a system-role session; returns ``(tenant, created)``.

    Idempotent on the slug: an existing district is returned unchanged with ``created=False`` and no second
    ``TenantProvisioned`` event (the CLI and the demo loader may run twice; the HTTP API answers 409).
    The tenant row, its first district administrator, its database cells (``cells``: component -> cell, chosen by
    ``placement.choose_cells``; every component on ``main`` by default), the outbox event and the audit row commit
    together; the caller mirrors the cells once it has committed (``placement.mirror``).
    """
    if not SLUG.match(slug):
        raise ProblemError(
            422, "invalid slug", errors=[{"field": "body.slug", "message": "lower-case letters, digits, -"}]
        )
    existing = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    if existing is not None:
        return existing, False
    if admin_username and (admin_password is None or len(admin_password) < MIN_PASSWORD):
        raise ProblemError(
            422,
            "the administrator needs a password",
            errors=[{"field": "body.adminPassword", "message": f"at least {MIN_PASSWORD} characters"}],
        )
    if admin_password and not admin_username:
        raise ProblemError(
            422, "a password without a username", errors=[{"field": "body.adminUsername", "message": "required"}]
        )
    if admin_username and await _username_taken(session, admin_username):
        raise ProblemError(409, "this username is taken", errors=[{"field": "body.adminUsername", "message": "taken"}])
    tenant = Tenant(slug=slug, name=name.strip(), parent_region=parent_region, status="active")
    session.add(tenant)
    await session.flush()
    await place(session, tenant.id, cells or dict.fromkeys(placed(), MAIN_CELL))
    with tenant_scope(tenant.id):
        if admin_username and admin_password:
            await add_user(
                session, tenant, admin_username, admin_password, roles=[Role.DISTRICT_ADMIN.value], scope=None
            )
        await publish(
            session, TenantProvisioned(tenant_id=tenant.id, slug=slug, name=tenant.name, parent_region=parent_region)
        )
        await audit.record(session, "tenant.provisioned", subject_type="tenant", subject_id=str(tenant.id))
    return tenant, True


async def _username_taken(session: AsyncSession, username: str) -> bool:
    found = await session.scalar(select(UserAccount.id).where(UserAccount.username == username.strip().lower()))
    return found is not None


async def add_user(
    session: AsyncSession,
    tenant: Tenant,
    username: str,
    password: str,
    *,
    roles: list[str],
    scope: str | None,
    display_name: str | None = None,
) -> UserAccount:
    """A new user with a membership in ``tenant``, shown by ``display_name`` (the username when absent).
    An existing username is refused: a district administrator cannot claim another district's account
    (see ``add_membership``)."""
    if len(password) < MIN_PASSWORD:
        message = f"at least {MIN_PASSWORD} characters"
        raise ProblemError(422, "password too short", errors=[{"field": "body.password", "message": message}])
    check_roles(roles)
    user, created = await _user(session, username, password, platform_operator=False, display_name=display_name)
    if not created:
        raise ProblemError(409, "this username is taken", errors=[{"field": "body.username", "message": "taken"}])
    await _join(session, tenant, user, roles, scope)
    return user


async def add_membership(
    session: AsyncSession, tenant: Tenant, username: str, *, roles: list[str], scope: str | None
) -> UserAccount:
    """Platform operators only: give an existing user (a city hotline operator serving several districts)
    a membership in one more district. Each token still carries exactly one district."""
    check_roles(roles)
    user = await session.scalar(select(UserAccount).where(UserAccount.username == username.strip().lower()))
    if user is None:
        raise ProblemError(404, "no such user", errors=[{"field": "body.username", "message": "unknown"}])
    if await session.scalar(
        select(Membership.id).where(Membership.user_id == user.id, Membership.tenant_id == tenant.id)
    ):
        raise ProblemError(409, "this user already belongs to the district", title="Conflict")
    await _join(session, tenant, user, roles, scope)
    return user


def check_roles(roles: list[str]) -> None:
    unknown = set(roles) - {r.value for r in Role} | ({Role.PLATFORM_OPERATOR.value} & set(roles))
    if unknown:
        raise ProblemError(
            422, "unknown roles", errors=[{"field": "body.roles", "message": ", ".join(sorted(unknown))}]
        )


async def _join(session: AsyncSession, tenant: Tenant, user: UserAccount, roles: list[str], scope: str | None) -> None:
    session.add(Membership(tenant_id=tenant.id, user_id=user.id, roles=roles, scope=scope))
    await session.flush()
    with tenant_scope(tenant.id):
        await audit.record(
            session, "user.joined_district", subject_type="user", subject_id=str(user.id), detail={"roles": roles}
        )


async def _user(
    session: AsyncSession, username: str, password: str, *, platform_operator: bool, display_name: str | None = None
) -> tuple[UserAccount, bool]:
    name = username.strip().lower()
    user = await session.scalar(select(UserAccount).where(UserAccount.username == name))
    if user is not None:
        return user, False
    user = UserAccount(
        username=name,
        display_name=(display_name or "").strip() or name,
        password_hash=hash_password(password),
        is_platform_operator=platform_operator,
        failed_logins=0,
        totp_enabled=False,
    )
    session.add(user)
    await session.flush()
    return user, True


async def create_platform_operator(session: AsyncSession, username: str, password: str) -> UserAccount:
    """A platform operator (no district, no business data). Idempotent for an existing operator; an existing
    district user is refused rather than silently promoted."""
    if len(password) < MIN_PASSWORD:
        msg = f"the password needs at least {MIN_PASSWORD} characters"
        raise ProblemError(422, msg, errors=[{"field": "password", "message": msg}])
    user, created = await _user(session, username, password, platform_operator=True)
    if not created and not user.is_platform_operator:
        raise ProblemError(409, "this username belongs to a district user", title="Conflict")
    if created:
        await audit.record(session, "user.platform_operator_created", subject_type="user", subject_id=str(user.id))
    return user


async def change_status(session: AsyncSession, slug: str, status: str) -> Tenant:
    """Suspend or reactivate a district (system role). A suspended district's users get no tokens and renew none;
    their sessions end at the next renewal. A retired district stays retired."""
    tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug).with_for_update())
    if tenant is None:
        raise ProblemError(404, f"no district {slug}", title="Not Found")
    if tenant.status == "retired":
        raise ProblemError(409, "a retired district cannot be changed", title="Conflict")
    if tenant.status != status:
        tenant.status = status
        if status != "active":
            await session.execute(
                update(RefreshToken)
                .where(RefreshToken.tenant_id == tenant.id, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=func.now())
            )
        with tenant_scope(tenant.id):
            action = "tenant.reactivated" if status == "active" else "tenant.suspended"
            await audit.record(session, action, subject_type="tenant", subject_id=str(tenant.id))
    return tenant
