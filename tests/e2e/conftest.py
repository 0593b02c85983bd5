"""The whole platform as real processes: gateway, orgtree, relays, worker; two provisioned districts."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from shared.local_servers import free_ports
from shared.testing.processes import Platform

PASSWORD = "correct-horse-battery-staple"


@dataclass
class DistrictLogin:
    slug: str
    admin: str
    token: str
    refresh: str
    root_id: str
    root_path: str


@dataclass
class RunningPlatform:
    platform: Platform
    gateway: str
    orgtree: str
    a: DistrictLogin
    b: DistrictLogin


def redcell(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "shared.cli", *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, f"redcell {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def login(gateway: str, username: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    response = httpx.post(f"{gateway}/auth/login", json={"username": username, "password": password, **extra})
    assert response.status_code == 200, response.text
    data: dict[str, str] = response.json()
    return data


def wait_for_root(gateway: str, token: str, timeout_s: float = 30) -> dict[str, str]:
    """Provisioning reaches orgtree through outbox → relay → queue → worker; wait until the root is there."""
    deadline = time.monotonic() + timeout_s
    response = None
    while time.monotonic() < deadline:
        response = httpx.get(f"{gateway}/api/orgtree/nodes", headers={"Authorization": f"Bearer {token}"})
        if response.status_code == 200 and response.json()["items"]:
            item: dict[str, str] = response.json()["items"][0]
            return item
        time.sleep(0.1)
    msg = f"the district's root never appeared in orgtree; last answer: {response and response.text}"
    raise TimeoutError(msg)


@pytest.fixture(scope="session")
def platform(server_env: dict[str, str]) -> Iterator[RunningPlatform]:
    gateway_port, orgtree_port = free_ports(2)
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    env = {
        **server_env,
        "REDCELL_JWT__JWKS_URL": f"{gateway_url}/.well-known/jwks.json",
        "REDCELL_GATEWAY__UPSTREAMS": f'{{"orgtree": "http://127.0.0.1:{orgtree_port}"}}',
        "REDCELL_WORKER__HEARTBEAT_TIMEOUT_MS": "3000",
    }
    platform = Platform(base_env=env, log_dir=Path(tempfile.mkdtemp(prefix="redcell-e2e-")))
    platform.ports.update(gateway=gateway_port, orgtree=orgtree_port)
    redcell(platform.env(), "migrate", "--bootstrap")
    try:
        gateway = platform.add_api("gateway")
        orgtree = platform.add_api("orgtree")
        platform.add("relay-gateway", "relay", "gateway")
        platform.add("relay-orgtree", "relay", "orgtree")
        platform.add("worker-orgtree", "worker", "orgtree")
        districts = []
        for slug, name in (("e2e-longwan", "龙湾区"), ("e2e-ouhai", "瓯海区")):
            admin = f"{slug}-admin"
            redcell(
                platform.env(),
                "tenant",
                "create",
                "--slug",
                slug,
                "--name",
                name,
                "--admin-username",
                admin,
                "--admin-password",
                PASSWORD,
            )
            tokens = login(gateway, admin)
            root = wait_for_root(gateway, tokens["accessToken"])
            districts.append(
                DistrictLogin(slug, admin, tokens["accessToken"], tokens["refreshToken"], root["id"], root["path"])
            )
        yield RunningPlatform(platform, gateway, orgtree, districts[0], districts[1])
    finally:
        platform.stop_all()


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
