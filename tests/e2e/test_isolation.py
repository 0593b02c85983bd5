"""Two districts through the gateway: each sees only its own rows, whatever ids it sends."""

from __future__ import annotations

import asyncio

import httpx

from tests.e2e.conftest import RunningPlatform, auth


def test_each_district_sees_only_its_own_root(platform: RunningPlatform) -> None:
    for district in (platform.a, platform.b):
        response = httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=auth(district.token))
        assert response.status_code == 200
        items = response.json()["items"]
        assert [item["id"] for item in items if item["tree"] == "administrative"] == [district.root_id]
        assert len(items) == 2  # its administrative and party roots, nothing of the other district


def test_another_districts_id_is_404_and_writes_into_it_are_refused(platform: RunningPlatform) -> None:
    a, b = platform.a, platform.b
    children_url = f"{platform.gateway}/api/orgtree/nodes?parentId={a.root_id}"
    before = httpx.get(children_url, headers=auth(a.token)).json()["total"]
    get = httpx.get(f"{platform.gateway}/api/orgtree/nodes/{a.root_id}", headers=auth(b.token))
    assert get.status_code == 404
    assert get.headers["content-type"].startswith("application/problem+json")
    write = httpx.post(
        f"{platform.gateway}/api/orgtree/nodes",
        json={"parentId": a.root_id, "level": "street", "name": "瑶溪街道"},
        headers=auth(b.token),
    )
    assert write.status_code == 404
    assert httpx.get(children_url, headers=auth(a.token)).json()["total"] == before


def test_fifty_concurrent_requests_alternating_districts_never_cross(platform: RunningPlatform) -> None:
    districts = (platform.a, platform.b)

    async def run() -> list[tuple[str, list[str]]]:
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(base_url=platform.gateway, limits=limits, timeout=30) as client:

            async def one(i: int) -> tuple[str, list[str]]:
                district = districts[i % 2]
                response = await client.get("/api/orgtree/nodes", headers=auth(district.token))
                assert response.status_code == 200
                items = response.json()["items"]
                assert len(items) == 2
                return district.root_id, [item["id"] for item in items if item["tree"] == "administrative"]

            results: list[tuple[str, list[str]]] = []
            for _ in range(4):
                results += await asyncio.gather(*(one(i) for i in range(50)))
            return results

    for expected_root, seen in asyncio.run(run()):
        assert seen == [expected_root]


def test_request_id_is_echoed_through_the_gateway(platform: RunningPlatform) -> None:
    response = httpx.get(
        f"{platform.gateway}/api/orgtree/nodes", headers={**auth(platform.a.token), "X-Request-ID": "e2e-check-0001"}
    )
    assert response.headers["x-request-id"] == "e2e-check-0001"


def test_bad_input_through_the_gateway_is_a_problem_and_stores_nothing(platform: RunningPlatform) -> None:
    a = platform.a
    url = f"{platform.gateway}/api/orgtree/nodes"
    headers = {**auth(a.token), "content-type": "application/json"}
    before = httpx.get(f"{url}?parentId={a.root_id}", headers=auth(a.token)).json()["total"]
    cases = [
        (b'{"parentId": "', 400, None),
        (b'{"parentId": "%s", "level": "street", "name": 7}' % a.root_id.encode(), 422, "name"),
        (b'{"parentId": "%s", "level": "street"}' % a.root_id.encode(), 422, "name"),
        (b'{"parentId": "not-a-uuid", "level": "street", "name": "x"}', 422, "parentId"),
    ]
    for body, status, field in cases:
        response = httpx.post(url, content=body, headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        if field:
            assert field in response.json()["detail"]
    too_big = httpx.post(url, content=b"x" * 2_000_000, headers=headers)
    assert too_big.status_code == 413
    assert httpx.get(f"{url}?parentId={a.root_id}", headers=auth(a.token)).json()["total"] == before


def test_merged_schema_lists_the_gateway_and_the_services(platform: RunningPlatform) -> None:
    document = httpx.get(f"{platform.gateway}/schema/openapi.json").json()
    assert "/auth/login" in document["paths"]
    assert "/api/orgtree/nodes" in document["paths"]
    assert "x-redcell-unavailable" not in document


def test_unknown_service_and_missing_token(platform: RunningPlatform) -> None:
    assert httpx.get(f"{platform.gateway}/api/orgtree/nodes").status_code == 401
    unknown = httpx.get(f"{platform.gateway}/api/nothing/here", headers=auth(platform.a.token))
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("application/problem+json")
