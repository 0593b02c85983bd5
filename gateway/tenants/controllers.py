from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Membership, Tenant, UserAccount
from gateway.tenants.schemas import MembershipCreate, TenantCreate, TenantRead, UserCreate, UserRead
from gateway.tenants.services import add_membership, add_user, provision_tenant
from shared.auth.principal import Role
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import ProblemError
from shared.http.views import view


def _read(tenant: Tenant) -> TenantRead:
    return view(TenantRead, tenant, id=str(tenant.id))


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
        return UserRead(user_id=str(user.id), username=user.username, roles=list(data.roles), scope=data.scope)

    @get("/", operation_id="ListTenants", summary="List districts")
    async def list(self, state: State) -> list[TenantRead]:
        session: AsyncSession
        async with state.system_sessions() as session:
            return [_read(t) for t in await session.scalars(select(Tenant).order_by(Tenant.slug))]


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
                session, tenant, data.username, data.password, roles=list(data.roles), scope=data.scope
            )
        return UserRead(user_id=str(user.id), username=user.username, roles=list(data.roles), scope=data.scope)

    @get("/", operation_id="ListDistrictUsers", summary="Users of the caller's district")
    async def list(self, db_session: NamedDependency[AsyncSession]) -> list[UserRead]:
        # App role, tenant bound from the token: RLS on membership is what confines the list to this district.
        rows = await db_session.execute(
            select(Membership, UserAccount.username)
            .join(UserAccount, UserAccount.id == Membership.user_id)
            .order_by(Membership.created_at)
        )
        return [
            UserRead(user_id=str(m.user_id), username=username, roles=list(m.roles), scope=m.scope)
            for m, username in rows
        ]
