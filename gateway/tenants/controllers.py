from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader, State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.identity.schemas import District
from gateway.models import Membership, Tenant, UserAccount
from gateway.tenants.schemas import MembershipCreate, TenantCreate, TenantRead, UserCreate, UserRead
from gateway.tenants.services import add_membership, add_user, provision_tenant
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
        async with state.system_sessions() as session, session.begin():
            tenant, created = await provision_tenant(
                session,
                data.slug,
                data.name,
                parent_region=data.parent_region,
                admin_username=data.admin_username,
                admin_password=data.admin_password,
            )
            if not created:
                raise ProblemError(409, f"district {data.slug} already exists", title="Conflict")
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
    async def list(self, db_session: NamedDependency[AsyncSession]) -> list[UserRead]:
        # App role, tenant bound from the token: RLS on membership is what confines the list to this district.
        rows = await db_session.execute(
            select(Membership, UserAccount.username, UserAccount.display_name)
            .join(UserAccount, UserAccount.id == Membership.user_id)
            .order_by(Membership.created_at)
        )
        return [
            UserRead(user_id=str(m.user_id), username=username, display_name=name, roles=list(m.roles), scope=m.scope)
            for m, username, name in rows
        ]
