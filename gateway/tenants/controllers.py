from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.datastructures import CacheControlHeader, State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.schemas import District
from gateway.models import Tenant, UserAccount
from gateway.tenants.placement import choose_cells, mirror
from gateway.tenants.schemas import (
    MembershipCreate,
    TenantCreate,
    TenantRead,
    TenantStatusChange,
    UserCreate,
    UserRead,
    UserUpdate,
)
from gateway.tenants.services import add_membership, add_user, change_status, provision_tenant
from gateway.tenants.users import DistrictUsers, user_read
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import ProblemError
from shared.http.views import view

SLUG = re.compile(r"[a-z][a-z0-9-]{2,62}")  # as the tenant table's check says


def _read(tenant: Tenant) -> TenantRead:
    return view(TenantRead, tenant, id=str(tenant.id))


def _user_read(user: UserAccount, roles: list[str], scope: str | None) -> UserRead:
    return UserRead(
        user_id=str(user.id), username=user.username, display_name=user.display_name, roles=roles, scope=scope
    )


class PlatformTenantController(Controller):
    """For platform operators: the registry only, never a district's business data."""

    path = "/platform/tenants"
    tags = ["Platform"]
    guards = [requires_role(Role.PLATFORM_OPERATOR)]

    @post("/", operation_id="ProvisionTenant", summary="Provision a district")
    async def create(self, state: State, data: JSONBody[TenantCreate]) -> TenantRead:
        session: AsyncSession
        cells = choose_cells(state.settings, data.cell, data.cells)
        async with state.system_sessions() as session, session.begin():
            tenant, created = await provision_tenant(
                session,
                data.slug,
                data.name,
                parent_region=data.parent_region,
                admin_username=data.admin_username,
                admin_password=data.admin_password,
                cells=cells,
            )
            if not created:
                raise ProblemError(409, f"district {data.slug} already exists", title="Conflict")
            await mirror(session, state.settings)  # before the commit: its first event finds its cells
        return _read(tenant)

    @post("/{slug:str}/members", operation_id="AddDistrictMember", summary="Give an existing user a district")
    async def add_member(self, state: State, slug: FromPath[str], data: JSONBody[MembershipCreate]) -> UserRead:
        session: AsyncSession
        async with state.system_sessions() as session, session.begin():
            tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
            if tenant is None:
                raise ProblemError(404, f"no district {slug}", title="Not Found")
            user = await add_membership(session, tenant, data.username, roles=list(data.roles), scope=data.scope)
        return _user_read(user, list(data.roles), data.scope)

    @get("/", operation_id="ListTenants", summary="List districts")
    async def list(self, state: State) -> list[TenantRead]:
        session: AsyncSession
        async with state.system_sessions() as session:
            return [_read(t) for t in await session.scalars(select(Tenant).order_by(Tenant.slug))]

    @get("/{slug:str}", operation_id="GetTenant", summary="One district of the registry")
    async def one(self, state: State, slug: FromPath[str]) -> TenantRead:
        session: AsyncSession
        async with state.system_sessions() as session:
            tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug))
        if tenant is None:
            raise ProblemError(404, f"no district {slug}", title="Not Found")
        return _read(tenant)

    @post(
        "/{slug:str}/status",
        operation_id="ChangeTenantStatus",
        summary="Suspend a district (its users cannot sign in) or reactivate it",
        status_code=200,
    )
    async def status(self, state: State, slug: FromPath[str], data: JSONBody[TenantStatusChange]) -> TenantRead:
        session: AsyncSession
        async with state.system_sessions() as session, session.begin():
            return _read(await change_status(session, slug, data.status))


class PublicDistrictController(Controller):
    """What anyone may know of a district: its id, code and name (residents' pages name a district by its code;
    the public API takes its id). No token; limited per client address (proxy/fastpath.py)."""

    path = "/public/districts"
    tags = ["Residents"]

    @get(
        "/{slug:str}",
        operation_id="GetPublicDistrict",
        summary="An active district by its code (slug): id, code and name",
        cache_control=CacheControlHeader(public=True, max_age=60),
    )
    async def district(self, state: State, slug: FromPath[str]) -> District:
        tenant = None
        if SLUG.fullmatch(slug):
            session: AsyncSession
            async with state.system_sessions() as session:  # the registry, read across districts
                tenant = await session.scalar(select(Tenant).where(Tenant.slug == slug, Tenant.status == "active"))
        if tenant is None:  # unknown, suspended and retired districts alike
            raise ProblemError(404, "no such district", title="Not Found")
        return District(id=str(tenant.id), slug=tenant.slug, name=tenant.name)


class DistrictUserController(Controller):
    """A district administrator manages the district's own users (app role: RLS keeps others out)."""

    path = "/admin/users"
    tags = ["District administration"]
    guards = [requires_tenant, requires_role(Role.DISTRICT_ADMIN)]

    @post("/", operation_id="AddDistrictUser", summary="Add a user to the caller's district")
    async def create(
        self,
        request: Request[Any, Any, Any],
        state: State,
        data: JSONBody[UserCreate],
    ) -> UserRead:
        principal = principal_of(request)
        session: AsyncSession
        # user_account is platform-level (one login, several districts), so creation uses the system role;
        # the membership it writes is bound to the caller's tenant, taken from the verified token only.
        # A taken username answers 409: unavoidable with unique logins, and only district admins can ask.
        async with state.system_sessions() as session, session.begin():
            tenant = await session.get(Tenant, principal.tenant_id)
            if tenant is None:
                raise ProblemError(404, "no such district", title="Not Found")
            user = await add_user(
                session,
                tenant,
                data.username,
                data.password,
                roles=list(data.roles),
                scope=data.scope,
                display_name=data.display_name,
            )
        return _user_read(user, list(data.roles), data.scope)

    @get("/", operation_id="ListDistrictUsers", summary="Users of the caller's district")
    async def list(self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> list[UserRead]:
        # App role, tenant bound from the token: RLS on membership is what confines the list to this district.
        return await _users(request, db_session).all()

    @get("/{user_id:uuid}", operation_id="GetDistrictUser", summary="One user of the caller's district")
    async def one(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]
    ) -> UserRead:
        return user_read(*await _users(request, db_session).one(user_id))

    @patch("/{user_id:uuid}", operation_id="ChangeDistrictUser", summary="Change a user's roles, scope or name")
    async def change(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        user_id: FromPath[UUID],
        data: JSONBody[UserUpdate],
    ) -> UserRead:
        return await _users(request, db_session).change(user_id, data)

    @post(
        "/{user_id:uuid}/lock",
        operation_id="LockDistrictUser",
        summary="Lock a user out of the district (no sign-in, no renewal)",
        status_code=200,
    )
    async def lock(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]
    ) -> UserRead:
        return await _users(request, db_session).lock(user_id)

    @post(
        "/{user_id:uuid}/unlock",
        operation_id="UnlockDistrictUser",
        summary="Unlock a user (the lockout after failed sign-ins too)",
        status_code=200,
    )
    async def unlock(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]
    ) -> UserRead:
        return await _users(request, db_session).unlock(user_id)

    @post(
        "/{user_id:uuid}/totp/reset",
        operation_id="ResetDistrictUserTotp",
        summary="Clear a user's one-time-code enrolment (they enrol again)",
        status_code=200,
    )
    async def reset_totp(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], user_id: FromPath[UUID]
    ) -> UserRead:
        return await _users(request, db_session).reset_code(user_id)


def _users(request: Request[Any, Any, Any], session: AsyncSession) -> DistrictUsers:
    return DistrictUsers(session, principal_of(request).user_id)
