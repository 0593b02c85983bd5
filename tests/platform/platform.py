"""The whole platform as real processes for end-to-end tests: every component's API (the console's too,
behind the gateway at /console/), every outbox relay, every service's worker, the scheduler (offers time
out, deadlines fire), and two provisioned districts with administrator tokens.

Driven through the ``redcell`` command only, so the kernel imports no component code.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from deploy.local_servers import free_ports
from shared.components import components
from tests.platform.processes import Platform

COMPONENTS = {name: component.package for name, component in components().items()}
DATABASES = [name for name, component in components().items() if component.database]
WORKERS = [name for name, component in components().items() if component.worker]
SITE = "console"  # served by the gateway at /console/, not as an /api/<service> upstream

PASSWORD = "correct-horse-battery-staple"
# well inside the gateway's default access-token lifetime (300 s)
TOKEN_RENEWAL_S = 120.0


@dataclass
class DistrictLogin:
    slug: str
    admin: str
    gateway: str
    root_id: str
    root_path: str
    _token: str = ""
    _signed_in_at: float = 0.0

    @property
    def token(self) -> str:
        """The district admin's access token, signed in again when it is near its end: tokens live minutes
        (``REDCELL_JWT__ACCESS_TTL_S``), the platform's tests longer."""
        if time.monotonic() - self._signed_in_at > TOKEN_RENEWAL_S:
            self._token = login(self.gateway, self.admin)["accessToken"]
            self._signed_in_at = time.monotonic()
        return self._token


@dataclass
class RunningPlatform:
    platform: Platform
    urls: dict[str, str]
    a: DistrictLogin
    b: DistrictLogin

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]

    def __getattr__(self, component: str) -> str:  # platform.orgtree -> its direct URL
        try:
            return self.urls[component]
        except KeyError:
            raise AttributeError(component) from None


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


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_user(gateway: str, admin_token: str, prefix: str, roles: list[str], scope: str | None = None) -> str:
    """A new user of the admin's district, added through the API; returns the username."""
    username = f"{prefix}-{uuid.uuid4().hex[:8]}"
    body: dict[str, object] = {"username": username, "password": PASSWORD, "roles": roles}
    if scope is not None:
        body["scope"] = scope
    added = httpx.post(f"{gateway}/admin/users", headers=auth(admin_token), json=body)
    assert added.status_code == 201, added.text
    return username


def wait_for_root(gateway: str, token: str, timeout_s: float = 30) -> dict[str, str]:
    """Provisioning reaches orgtree through outbox → relay → queue → worker; wait until the root is there."""
    deadline = time.monotonic() + timeout_s
    response = None
    while time.monotonic() < deadline:
        response = httpx.get(f"{gateway}/api/orgtree/nodes", headers=auth(token))
        roots = [r for r in response.json()["items"] if r["tree"] == "administrative"] if response.is_success else []
        if roots:
            item: dict[str, str] = roots[0]
            return item
        time.sleep(0.1)
    msg = f"the district's root never appeared in orgtree; last answer: {response and response.text}"
    raise TimeoutError(msg)


def settle_earlier_events(server_env: dict[str, str]) -> None:
    """Mark the outbox rows that earlier tests wrote (straight into the services' databases, with no relay
    running) as published, so the platform starts with an empty backlog: otherwise its relays and workers
    would first spend a minute on thousands of events nobody waits for, while its own tests time out."""

    async def settle() -> None:
        for component in DATABASES:
            dsn = (
                f"postgresql://{server_env.get('REDCELL_PG__ADMIN_USER', 'postgres')}@{server_env['REDCELL_PG__HOST']}:"
                f"{server_env['REDCELL_PG__PORT']}/redcell_{component}"
            )
            connection = await asyncpg.connect(dsn)
            try:
                await connection.execute("UPDATE outbox_message SET published_at = now() WHERE published_at IS NULL")
            finally:
                await connection.close()

    asyncio.run(settle())


@pytest.fixture(scope="session")
def platform(server_env: dict[str, str], cells_env: dict[str, str]) -> Iterator[RunningPlatform]:
    """The session's platform on two database cells: the second district's rows on the second cluster."""
    with running_platform(server_env, **cells_env) as running:
        yield running


@contextmanager
def running_platform(server_env: dict[str, str], **extra_env: str) -> Iterator[RunningPlatform]:
    """Every component as real processes on free ports, two districts provisioned; stopped on exit. With a database cell
    in the environment (``REDCELL_CELLS__<cell>__...``), the second district's rows are placed on it."""
    services = [c for c in COMPONENTS if c not in ("gateway", SITE)]
    ports = dict(zip(COMPONENTS, free_ports(len(COMPONENTS)), strict=True))
    gateway_url = f"http://127.0.0.1:{ports['gateway']}"
    env = {
        **server_env,
        "REDCELL_JWT__JWKS_URL": f"{gateway_url}/.well-known/jwks.json",
        "REDCELL_GATEWAY__UPSTREAMS": json.dumps({s: f"http://127.0.0.1:{ports[s]}" for s in services}),
        "REDCELL_GATEWAY__CONSOLE_URL": f"http://127.0.0.1:{ports.get(SITE, 0)}",
        "REDCELL_CONSOLE__GATEWAY_URL": gateway_url,
        "REDCELL_CONSOLE__COOKIE_SECURE": "false",  # plain HTTP on loopback
        # browsers upload and download documents' files through the gateway, as in development
        "REDCELL_DOCUMENTS__PUBLIC_S3_URL": gateway_url,
        # the hotline desk's caller lookup asks orgtree directly
        "REDCELL_DISPATCH__ORGTREE_URL": f"http://127.0.0.1:{ports.get('orgtree', 0)}",
        "REDCELL_WORKER__HEARTBEAT_TIMEOUT_MS": "3000",
        # clocks run out in the tests by moving their rows; the warning follows within a second, not five
        "REDCELL_SCHEDULE_INTERVALS": json.dumps({"dispatch.deadlines": 1}),
        # every test logs in from 127.0.0.1; the per-address limit has its own test
        "REDCELL_GATEWAY__ANONYMOUS_RATE_PER_MINUTE": "100000",
        **extra_env,
    }
    running = Platform(base_env=env, log_dir=Path(tempfile.mkdtemp(prefix="redcell-e2e-")))
    running.ports.update(ports)
    redcell(running.env(), "migrate", "--bootstrap")
    settle_earlier_events(server_env)
    try:
        # Every process starts at once; the APIs are waited for together (one after the other took twice as long).
        urls = {component: running.add_api(component, wait=False) for component in COMPONENTS}
        for component in DATABASES:
            running.add(f"relay-{component}", "relay", component)
        for service in WORKERS:
            running.add(f"worker-{service}", "worker", service)
        running.add("scheduler", "scheduler")
        for component, url in urls.items():
            running.wait_ready(url, running.processes[f"api-{component}"])
        districts = []
        cell = next((key.split("__")[1] for key in env if key.startswith("REDCELL_CELLS__")), None)
        for slug, name, placed in (("e2e-longwan", "龙湾区", None), ("e2e-ouhai", "瓯海区", cell)):
            admin = f"{slug}-admin"
            redcell(
                running.env(),
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
                *(("--cell", placed) if placed else ()),
            )
            district = DistrictLogin(slug, admin, gateway_url, root_id="", root_path="")
            root = wait_for_root(gateway_url, district.token)
            district.root_id, district.root_path = root["id"], root["path"]
            districts.append(district)
        yield RunningPlatform(running, urls, districts[0], districts[1])
    finally:
        running.stop_all()
        shutil.rmtree(running.log_dir, ignore_errors=True)  # the session's temporary folders go with it
