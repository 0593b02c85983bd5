"""The district registry: provisioning with exactly one event, the operator API, and district user admin under RLS."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.cli import issue_tokens
from gateway.models import Membership, Tenant, UserAccount
from gateway.tenants.cli import create_platform_operator_cli, create_tenant_cli, list_tenants
from gateway.tenants.services import provision_tenant
from shared.context import tenant_scope
from shared.db.kernel import audit_event, outbox_message
from shared.http.problems import ProblemError
from shared.settings import Settings
from tests.gateway.support import PASSWORD, District, bearer, is_problem, new_operator, tokens, unique

Sessions = async_sessionmaker[AsyncSession]


async def _outbox(sessions: Sessions, tenant_id: uuid.UUID) -> list[Any]:
    async with sessions() as session:  # system role: the outbox is read across tenants, like the relay does
        rows = await session.execute(select(outbox_message).where(outbox_message.c.tenant_id == tenant_id))
        return list(rows.all())


async def test_provisioning_publishes_one_event_and_is_idempotent(system_sessions: Sessions) -> None:
    slug = unique("prov")
    async with system_sessions() as session, session.begin():
        tenant, created = await provision_tenant(
            session, slug, " 龙湾区 ", parent_region="温州市", admin_username=f"{slug}-admin", admin_password=PASSWORD
        )
    assert created
    assert tenant.name == "龙湾区"
    events = await _outbox(system_sessions, tenant.id)
    assert [e.event for e in events] == ["gateway.TenantProvisioned"]
    assert events[0].payload == {"version": 1, "slug": slug, "name": "龙湾区", "parent_region": "温州市"}

    async with system_sessions() as session, session.begin():
        again, created_again = await provision_tenant(session, slug, "another name")
    assert (again.id, created_again, again.name) == (tenant.id, False, "龙湾区")
    assert len(await _outbox(system_sessions, tenant.id)) == 1

    async with system_sessions() as session:
        admin = await session.scalar(select(UserAccount).where(UserAccount.username == f"{slug}-admin"))
        assert admin is not None
        membership = await session.scalar(select(Membership).where(Membership.user_id == admin.id))
        assert membership is not None
        assert (membership.tenant_id, membership.roles) == (tenant.id, ["district_admin"])
        audited = await session.scalar(
            select(func.count()).where(
                audit_event.c.action == "tenant.provisioned", audit_event.c.tenant_id == tenant.id
            )
        )
        assert audited == 1


async def test_a_failed_provisioning_leaves_nothing(system_sessions: Sessions, district_a: District) -> None:
    slug = unique("taken")
    with pytest.raises(ProblemError) as refused:
        async with system_sessions() as session, session.begin():
            await provision_tenant(session, slug, "x", admin_username=district_a.admin, admin_password=PASSWORD)
    assert refused.value.status_code == 409
    assert refused.value.errors == [{"field": "body.adminUsername", "message": "taken"}]
    async with system_sessions() as session:
        assert await session.scalar(select(Tenant).where(Tenant.slug == slug)) is None
        assert (
            await session.scalar(
                select(func.count()).select_from(outbox_message).where(outbox_message.c.payload["slug"].astext == slug)
            )
            == 0
        )


async def test_operators_provision_and_list_districts(client: AsyncTestClient[Any], system_sessions: Sessions) -> None:
    operator = (await tokens(client, await new_operator(system_sessions)))["accessToken"]
    slug = unique("api")
    body = {
        "slug": slug,
        "name": "瓯海区",
        "parentRegion": "温州市",
        "adminUsername": f"{slug}-admin",
        "adminPassword": PASSWORD,
    }
    created = await client.post("/platform/tenants", headers=bearer(operator), json=body)
    assert created.status_code == 201, created.text
    tenant = created.json()
    assert (tenant["slug"], tenant["parentRegion"], tenant["status"]) == (slug, "温州市", "active")
    again = is_problem(await client.post("/platform/tenants", headers=bearer(operator), json=body), 409)
    assert slug in again["detail"]
    assert len(await _outbox(system_sessions, uuid.UUID(tenant["id"]))) == 1

    listed = await client.get("/platform/tenants", headers=bearer(operator))
    assert slug in {t["slug"] for t in listed.json()}
    # the new district's administrator can log in at once
    assert (await tokens(client, f"{slug}-admin"))["tenant"] == slug


async def test_operators_see_no_district_data_and_admins_no_registry(
    client: AsyncTestClient[Any], system_sessions: Sessions, district_a: District
) -> None:
    operator = (await tokens(client, await new_operator(system_sessions)))["accessToken"]
    admin = (await tokens(client, district_a.admin))["accessToken"]
    is_problem(await client.get("/admin/users", headers=bearer(operator)), 403)
    is_problem(await client.get("/platform/tenants", headers=bearer(admin)), 403)
    is_problem(
        await client.post("/platform/tenants", headers=bearer(admin), json={"slug": unique("x"), "name": "x"}), 403
    )
    is_problem(await client.get("/platform/tenants"), 401)
    is_problem(await client.get("/admin/users"), 401)


async def test_district_admins_manage_only_their_own_users(
    client: AsyncTestClient[Any], district_a: District, district_b: District
) -> None:
    admin_a = (await tokens(client, district_a.admin))["accessToken"]
    admin_b = (await tokens(client, district_b.admin))["accessToken"]
    username = unique("grid")
    added = await client.post(
        "/admin/users",
        headers=bearer(admin_a),
        json={"username": username, "password": PASSWORD, "roles": ["grid_leader"], "scope": "/00af/19c2/"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["username"] == username
    grid = await tokens(client, username)
    assert grid["tenant"] == district_a.slug

    users_a = (await client.get("/admin/users", headers=bearer(admin_a))).json()
    users_b = (await client.get("/admin/users", headers=bearer(admin_b))).json()
    assert {u["username"] for u in users_a} == {district_a.admin, username}
    assert {u["username"] for u in users_b} == {district_b.admin}
    assert next(u for u in users_a if u["username"] == username)["scope"] == "/00af/19c2/"

    # an existing account (even another district's) cannot be claimed; no platform role can be granted
    taken = {"username": district_b.admin, "password": PASSWORD, "roles": ["member"]}
    is_problem(await client.post("/admin/users", headers=bearer(admin_a), json=taken), 409)
    promote = {"username": unique("boss"), "password": PASSWORD, "roles": ["platform_operator"]}
    assert is_problem(await client.post("/admin/users", headers=bearer(admin_a), json=promote), 422)["errors"] == [
        {"field": "body.roles", "message": "platform_operator"}
    ]
    # only district administrators manage users
    is_problem(await client.get("/admin/users", headers=bearer(grid["accessToken"])), 403)


async def test_memberships_are_confined_by_row_level_security(
    app_sessions: Sessions, district_a: District, district_b: District
) -> None:
    async with app_sessions() as session:  # the app role with no district bound sees nothing
        assert list(await session.scalars(select(Membership))) == []
    with tenant_scope(district_b.id):
        async with app_sessions() as session:
            assert {m.tenant_id for m in await session.scalars(select(Membership))} == {district_b.id}


async def test_the_functions_the_cli_calls(gateway_settings: Settings, district_a: District) -> None:
    slug = unique("cli")
    first = await create_tenant_cli(gateway_settings, slug, "怀宁县", "安庆市", f"{slug}-admin", PASSWORD)
    second = await create_tenant_cli(gateway_settings, slug, "怀宁县", "安庆市", f"{slug}-admin", PASSWORD)
    assert first.id == second.id
    assert slug in {t.slug for t in await list_tenants(gateway_settings)}

    operator = unique("ops")
    created = await create_platform_operator_cli(gateway_settings, operator, PASSWORD)
    assert (await create_platform_operator_cli(gateway_settings, operator, PASSWORD)).id == created.id
    with pytest.raises(ProblemError):  # a district user is never silently promoted
        await create_platform_operator_cli(gateway_settings, district_a.admin, PASSWORD)

    issued = await issue_tokens(gateway_settings, f"{slug}-admin", PASSWORD)
    assert issued.tenant == slug
    with pytest.raises(ProblemError) as refused:
        await issue_tokens(gateway_settings, f"{slug}-admin", "not-the-password")
    assert refused.value.status_code == 401
