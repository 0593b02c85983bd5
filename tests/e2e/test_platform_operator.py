"""Platform operators run the tenant registry and see no district's business data."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg
import httpx

from gateway.tenants.cli import create_platform_operator_cli
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.e2e.conftest import PASSWORD, RunningPlatform, auth, login, wait_for_root


async def audit_rows(settings: Settings, action: str, subject_id: str) -> list[Any]:
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_orgtree")))
    try:
        return list(
            await conn.fetch(
                "SELECT request_id, actor_id, tenant_id, host(client_ip) AS client_ip FROM audit_event "
                "WHERE action = $1 AND subject_id = $2",
                action,
                subject_id,
            )
        )
    finally:
        await conn.close()


def test_operator_provisions_a_district_through_the_api(platform: RunningPlatform, settings: Settings) -> None:
    operator = f"operator-{uuid.uuid4().hex[:6]}"
    asyncio.run(create_platform_operator_cli(settings, operator, PASSWORD))
    token = login(platform.gateway, operator)["accessToken"]
    slug = f"huaining-{uuid.uuid4().hex[:6]}"
    created = httpx.post(
        f"{platform.gateway}/platform/tenants",
        headers={**auth(token), "X-Request-ID": f"provision-{slug}"},
        json={
            "slug": slug,
            "name": "怀宁县",
            "parentRegion": "安庆市",
            "adminUsername": f"{slug}-admin",
            "adminPassword": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["slug"] == slug
    again = httpx.post(f"{platform.gateway}/platform/tenants", headers=auth(token), json={"slug": slug, "name": "x"})
    assert again.status_code == 409
    listed = httpx.get(f"{platform.gateway}/platform/tenants", headers=auth(token)).json()
    assert slug in {t["slug"] for t in listed}
    # the new district's administrator sees its root once the event has reached orgtree
    admin_token = login(platform.gateway, f"{slug}-admin")["accessToken"]
    root = wait_for_root(platform.gateway, admin_token)
    assert root["name"] == "怀宁县"
    # the request id of the operator's call travelled through outbox, relay and queue into orgtree's audit log
    prepared = asyncio.run(audit_rows(settings, "orgtree.tenant.prepared", root["id"]))
    assert [(r["request_id"], r["actor_id"]) for r in prepared] == [(f"provision-{slug}", "system:orgtree.events")]
    # a person's write is audited with who, which district and from where
    street = httpx.post(
        f"{platform.gateway}/api/orgtree/nodes",
        headers=auth(admin_token),
        json={"parentId": root["id"], "level": "town", "name": "平山镇"},
    ).json()
    created = asyncio.run(audit_rows(settings, "orgtree.node.created", street["id"]))
    me = httpx.get(f"{platform.gateway}/auth/me", headers=auth(admin_token)).json()
    assert [(r["actor_id"], str(r["tenant_id"]), r["client_ip"]) for r in created] == [
        (me["userId"], me["tenantId"], "127.0.0.1")
    ]
    # the operator holds no district: business endpoints refuse it
    business = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(token))
    assert business.status_code == 403
    assert business.headers["content-type"].startswith("application/problem+json")


def test_district_admins_cannot_use_the_platform_api(platform: RunningPlatform) -> None:
    response = httpx.post(
        f"{platform.gateway}/platform/tenants",
        headers=auth(platform.a.token),
        json={"slug": f"x-{int(time.time())}", "name": "x"},
    )
    assert response.status_code == 403
    bad = httpx.post(f"{platform.gateway}/platform/tenants", headers=auth(platform.a.token), json={"slug": "X!"})
    assert bad.status_code == 403  # refused before the body is even read


def test_a_city_operator_serves_two_districts_one_token_each(platform: RunningPlatform, settings: Settings) -> None:
    operator = f"operator-{uuid.uuid4().hex[:6]}"
    asyncio.run(create_platform_operator_cli(settings, operator, PASSWORD))
    op_token = login(platform.gateway, operator)["accessToken"]
    hotline = f"hotline-{uuid.uuid4().hex[:6]}"
    created = httpx.post(
        f"{platform.gateway}/admin/users",
        headers=auth(platform.a.token),
        json={"username": hotline, "password": PASSWORD, "roles": ["hotline_operator"]},
    )
    assert created.status_code == 201
    # district B's administrator cannot claim district A's account ...
    claim = httpx.post(
        f"{platform.gateway}/admin/users",
        headers=auth(platform.b.token),
        json={"username": hotline, "password": PASSWORD, "roles": ["district_admin"]},
    )
    assert claim.status_code == 409
    # ... but the platform operator can give it a membership in B
    joined = httpx.post(
        f"{platform.gateway}/platform/tenants/{platform.b.slug}/members",
        headers=auth(op_token),
        json={"username": hotline, "roles": ["hotline_operator"]},
    )
    assert joined.status_code == 201, joined.text
    ambiguous = httpx.post(f"{platform.gateway}/auth/login", json={"username": hotline, "password": PASSWORD})
    assert ambiguous.status_code == 422
    assert "tenant" in ambiguous.json()["detail"]
    for district in (platform.a, platform.b):
        token = login(platform.gateway, hotline, tenant=district.slug)["accessToken"]
        roots = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(token)).json()["items"]
        assert [r["id"] for r in roots if r["tree"] == "administrative"] == [district.root_id]
        assert len(roots) == 2
    missing = httpx.post(
        f"{platform.gateway}/platform/tenants/no-such-district/members",
        headers=auth(op_token),
        json={"username": hotline, "roles": ["member"]},
    )
    assert missing.status_code == 404
