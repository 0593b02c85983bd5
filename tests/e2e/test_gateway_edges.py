"""The gateway at its edges: large bodies stream, dead upstreams and dependencies are reported clearly."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from deploy.local_servers import free_ports
from tests.e2e.conftest import RunningPlatform, auth


def _alive(base: str) -> bool:
    try:
        return httpx.get(f"{base}/livez", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def odd_gateway(platform: RunningPlatform) -> Iterator[str]:
    """A second gateway whose 'ghost' service and Redis point at closed ports."""
    port, closed_a, closed_b = free_ports(3)
    upstreams = {"orgtree": platform.orgtree, "ghost": f"http://127.0.0.1:{closed_a}"}
    process = platform.platform.add(
        "api-gateway-odd",
        "api",
        "gateway",
        "--port",
        str(port),
        env={
            "REDCELL_GATEWAY__UPSTREAMS": json.dumps(upstreams),
            "REDCELL_REDIS__URL": f"redis://127.0.0.1:{closed_b}/0",
        },
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _alive(base):  # /readyz is meant to fail here; wait for /livez
        assert time.monotonic() < deadline, process.log_tail()
        time.sleep(0.1)
    yield base
    process.stop()


def test_readiness_names_the_missing_dependency_while_liveness_stays_up(odd_gateway: str) -> None:
    assert httpx.get(f"{odd_gateway}/livez").status_code == 200
    ready = httpx.get(f"{odd_gateway}/readyz", timeout=10)
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert checks["database"]["ok"] is True


def test_a_service_that_is_down_is_a_503_problem_with_retry_after(odd_gateway: str, platform: RunningPlatform) -> None:
    response = httpx.get(f"{odd_gateway}/api/ghost/anything", headers=auth(platform.a.token))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "5"
    assert "ghost" in response.json()["detail"]
    # with Redis gone the limiter fails open: the district keeps working
    assert httpx.get(f"{odd_gateway}/api/orgtree/nodes", headers=auth(platform.a.token)).status_code == 200


def test_a_large_body_streams_through_to_the_service(platform: RunningPlatform) -> None:
    a = platform.a
    name = "街" * 200_000  # ~600 KB of UTF-8: streamed, not buffered, by the gateway
    response = httpx.post(
        f"{platform.gateway}/api/orgtree/nodes",
        headers=auth(a.token),
        json={"parentId": a.root_id, "level": "street", "name": name},
    )
    assert response.status_code == 422  # the service read it all and judged the name too long
    assert "name" in response.json()["detail"]


def test_a_bulk_import_may_exceed_the_ordinary_body_limit(platform: RunningPlatform) -> None:
    a = platform.a
    rows = "".join(f"党员{i},110105194912310021\n" for i in range(60_000)).encode()  # ~2 MiB of CSV
    header = "姓名,身份证号\n".encode()
    ordinary = httpx.post(f"{platform.gateway}/api/orgtree/nodes", headers=auth(a.token), content=header + rows)
    assert ordinary.status_code == 413
    imported = httpx.post(
        f"{platform.gateway}/api/orgtree/imports/members?dryRun=true",
        headers={**auth(a.token), "content-type": "text/csv"},
        content=header + rows,
        timeout=120,
    )
    assert imported.status_code == 422  # read in full by the service, which reports the file's problems
    assert imported.json()["errors"]
