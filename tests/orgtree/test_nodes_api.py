"""Org nodes through the orgtree API: tenancy, scope, bad input."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from tests.orgtree.conftest import District, bearer
from tests.platform.tokens import TestIssuer

ADMIN = ["district_admin"]


async def test_each_district_lists_only_its_own_root(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    for district in (district_a, district_b):
        response = await client.get("/api/orgtree/nodes", headers=bearer(issuer, district.id, ADMIN))
        assert response.status_code == 200
        body = response.json()
        roots = {item["tree"]: item["id"] for item in body["items"]}
        assert roots["administrative"] == str(district.root.id)
        assert set(roots) == {"administrative", "party"}
        assert body["total"] == 2


async def test_another_districts_node_is_404(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers_b = bearer(issuer, district_b.id, ADMIN)
    response = await client.get(f"/api/orgtree/nodes/{district_a.root.id}", headers=headers_b)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    children = await client.get(f"/api/orgtree/nodes?parentId={district_a.root.id}", headers=headers_b)
    assert children.status_code == 404


async def test_write_aimed_at_another_district_is_refused_and_nothing_stored(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    headers_b = bearer(issuer, district_b.id, ADMIN)
    create = await client.post(
        "/api/orgtree/nodes",
        json={"parentId": str(district_a.root.id), "level": "street", "name": "瑶溪街道"},
        headers=headers_b,
    )
    assert create.status_code == 404
    rename = await client.patch(f"/api/orgtree/nodes/{district_a.root.id}", json={"name": "x"}, headers=headers_b)
    assert rename.status_code == 404
    headers_a = bearer(issuer, district_a.id, ADMIN)
    root = (await client.get(f"/api/orgtree/nodes/{district_a.root.id}", headers=headers_a)).json()
    assert root["name"] == "龙湾区"
    children = (await client.get(f"/api/orgtree/nodes?parentId={district_a.root.id}", headers=headers_a)).json()
    assert children["total"] == 0


async def test_street_admin_cannot_read_outside_the_street(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    streets = []
    for name in ("瑶溪街道", "永中街道"):
        response = await client.post(
            "/api/orgtree/nodes",
            json={"parentId": str(district_a.root.id), "level": "street", "name": name},
            headers=admin,
        )
        assert response.status_code == 201, response.text
        streets.append(response.json())
    yaoxi, yongzhong = streets
    street_admin = bearer(issuer, district_a.id, ["street_admin"], scope=yaoxi["path"])
    assert (await client.get(f"/api/orgtree/nodes/{yaoxi['id']}", headers=street_admin)).status_code == 200
    assert (await client.get(f"/api/orgtree/nodes/{yongzhong['id']}", headers=street_admin)).status_code == 404
    assert (await client.get(f"/api/orgtree/nodes/{district_a.root.id}", headers=street_admin)).status_code == 404
    top = (await client.get("/api/orgtree/nodes", headers=street_admin)).json()
    assert [item["id"] for item in top["items"]] == [yaoxi["id"]]
    write = await client.post(
        "/api/orgtree/nodes",
        json={"parentId": yongzhong["id"], "level": "community", "name": "x"},
        headers=street_admin,
    )
    assert write.status_code == 404


async def test_bad_input_is_a_problem_naming_the_field(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    admin = bearer(issuer, district_a.id, ADMIN)
    parent = str(district_a.root.id)
    malformed = await client.post(
        "/api/orgtree/nodes", content=b'{"parentId": ', headers={**admin, "content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.headers["content-type"].startswith("application/problem+json")
    wrong_type = await client.post(
        "/api/orgtree/nodes", json={"parentId": parent, "level": "street", "name": 5}, headers=admin
    )
    assert wrong_type.status_code == 422
    assert "name" in wrong_type.json()["detail"]
    missing = await client.post("/api/orgtree/nodes", json={"parentId": parent, "level": "street"}, headers=admin)
    assert missing.status_code == 422
    assert "name" in missing.json()["detail"]
    unknown = await client.post(
        "/api/orgtree/nodes",
        json={"parentId": parent, "level": "street", "name": "a", "tenantId": str(uuid.uuid4())},
        headers=admin,
    )
    assert unknown.status_code == 422
    assert "tenantId" in unknown.json()["detail"]
    oversized = await client.post(
        "/api/orgtree/nodes", json={"parentId": parent, "level": "street", "name": "街" * 2_000_000}, headers=admin
    )
    assert oversized.status_code == 413
    listing = (await client.get(f"/api/orgtree/nodes?parentId={parent}", headers=admin)).json()
    assert listing["total"] == 0


async def test_requests_without_a_valid_token_are_401(client: AsyncTestClient, issuer: TestIssuer) -> None:
    assert (await client.get("/api/orgtree/nodes")).status_code == 401
    expired = issuer.token(tenant=uuid.uuid4(), roles=ADMIN, ttl_s=-3600)
    response = await client.get("/api/orgtree/nodes", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_page_of_children_carries_the_total_and_each_ones_children(
    client: AsyncTestClient, issuer: TestIssuer, district_a: District
) -> None:
    headers = bearer(issuer, district_a.id, ADMIN)
    streets = []
    for name in ("一街道", "二街道", "三街道"):
        made = await client.post(
            "/api/orgtree/nodes",
            json={"parentId": str(district_a.root.id), "level": "street", "name": name},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        streets.append(made.json())
    for name in ("甲社区", "乙社区"):  # two communities under the first street only
        made = await client.post(
            "/api/orgtree/nodes",
            json={"parentId": streets[0]["id"], "level": "community", "name": name},
            headers=headers,
        )
        assert made.status_code == 201, made.text
    base = f"/api/orgtree/nodes?parentId={district_a.root.id}"
    first = (await client.get(f"{base}&limit=2", headers=headers)).json()
    assert first["total"] == 3
    assert len(first["items"]) == 2
    second = (await client.get(f"{base}&limit=2&offset=2", headers=headers)).json()
    assert second["total"] == 3
    assert len(second["items"]) == 1
    children = {item["id"]: item["children"] for item in first["items"] + second["items"]}
    assert children == {streets[0]["id"]: 2, streets[1]["id"]: 0, streets[2]["id"]: 0}
    past = (await client.get(f"{base}&limit=2&offset=10", headers=headers)).json()
    assert past == {**past, "items": [], "total": 3}  # a page past the end still says how many there are
