"""Database cells end to end (shared/db/cells.py, docs/scaling.md): the session's platform runs on two PostgreSQL
clusters, the second district's rows on the cell ``east``; a district moves between cells with ``redcell tenant
move`` while it is being written to, its writes refused with 503 and Retry-After only while the move holds them,
none lost or doubled, every read answered, and its rows afterwards on the new cell alone."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import uuid

import asyncpg
import httpx

from shared.db.tenant_rows import digest_district
from tests.e2e.test_dispatch_flow import created, until
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, redcell, wait_for_root

PLACED = ("orgtree", "dispatch", "training", "documents")


def count_rows(port: str, component: str, tenant: str) -> int:
    """The district's rows in ``component``'s tables (those with a tenant) on the cluster at ``port``."""

    async def count() -> int:
        connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{port}/redcell_{component}")
        try:
            return sum(table.rows for table in (await digest_district(connection, uuid.UUID(tenant))).values())
        finally:
            await connection.close()

    return asyncio.run(count())


def tenant_of(platform: RunningPlatform, token: str) -> str:
    me = httpx.get(f"{platform.gateway}/auth/me", headers=auth(token))
    assert me.status_code == 200, me.text
    return str(me.json()["tenantId"])


def test_the_second_districts_rows_live_on_its_cell_alone(
    platform: RunningPlatform, server_env: dict[str, str], cells_env: dict[str, str]
) -> None:
    admin = auth(platform.b.token)
    roots = {n["tree"]: n for n in httpx.get(f"{platform.gateway}/api/orgtree/nodes", headers=admin).json()["items"]}
    created(
        platform.gateway,
        "/api/orgtree/nodes",
        {"parentId": roots["administrative"]["id"], "level": "street", "name": "景山街道"},
        admin,
    )
    tenant = tenant_of(platform, platform.b.token)
    main, east = server_env["REDCELL_PG__PORT"], cells_env["REDCELL_CELLS__east__PORT"]
    assert count_rows(east, "orgtree", tenant) > 0
    assert count_rows(main, "orgtree", tenant) == 0
    # orgtree's events reached dispatch's directory on the same cell
    until("the district's units in dispatch on east", lambda: count_rows(east, "dispatch", tenant) or None)
    assert count_rows(main, "dispatch", tenant) == 0
    first = tenant_of(platform, platform.a.token)
    assert count_rows(main, "orgtree", first) > 0
    assert count_rows(east, "orgtree", first) == 0


class Writer(threading.Thread):
    """Creates streets one after another through the gateway until told to stop, retrying a refused write after the
    Retry-After it was given; records every answer."""

    def __init__(self, gateway: str, headers: dict[str, str], parent: str) -> None:
        super().__init__(daemon=True)
        self.gateway, self.headers, self.parent = gateway, headers, parent
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.retry_after: set[str] = set()
        self.reads: list[int] = []
        self.written: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.gateway, headers=self.headers, timeout=30) as client:
            n = 0
            while not self.stop.is_set():
                name = f"流动街道{n}"
                answer = client.post(
                    "/api/orgtree/nodes", json={"parentId": self.parent, "level": "street", "name": name}
                )
                self.statuses.append(answer.status_code)
                if answer.status_code == 201:
                    self.written.append(answer.json()["id"])
                    n += 1
                elif answer.status_code == 503:
                    self.retry_after.add(answer.headers.get("retry-after", ""))
                    assert answer.headers["content-type"].startswith("application/problem+json")
                self.reads.append(client.get("/api/orgtree/nodes", params={"parentId": self.parent}).status_code)
                self.stop.wait(0.05)


def test_a_district_moves_to_another_cell_while_it_is_written_to(
    platform: RunningPlatform, server_env: dict[str, str], cells_env: dict[str, str]
) -> None:
    env = platform.platform.env()
    slug = f"e2e-moving-{uuid.uuid4().hex[:6]}"
    redcell(
        env,
        "tenant",
        "create",
        "--slug",
        slug,
        "--name",
        "鹿城区",
        "--admin-username",
        f"{slug}-admin",
        "--admin-password",
        PASSWORD,
    )
    token = login(platform.gateway, f"{slug}-admin")["accessToken"]
    root = wait_for_root(platform.gateway, token)
    tenant = tenant_of(platform, token)
    main, east = server_env["REDCELL_PG__PORT"], cells_env["REDCELL_CELLS__east__PORT"]
    writer = Writer(platform.gateway, auth(token), root["id"])
    writer.start()
    until("a few streets written before the move", lambda: len(writer.written) >= 3 or None)

    moved = subprocess.run(
        [sys.executable, "-m", "shared.cli", "tenant", "move", slug, "east"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    written_at_switch = len(writer.written)
    until("a few streets written after the move", lambda: len(writer.written) >= written_at_switch + 3 or None)
    writer.stop.set()
    writer.join(timeout=30)

    assert moved.returncode == 0, moved.stderr
    for component in PLACED:
        assert f"moved {slug} {component}: main -> east" in moved.stdout
    # writes were held while the move needed it, each refused one answered 503 with a time to try again
    assert 503 in writer.statuses
    assert writer.retry_after == {"5"}
    assert set(writer.statuses) <= {201, 503}
    assert set(writer.reads) == {200}  # reads went on throughout
    # every street written once: none lost in the copy, none doubled
    listed = httpx.get(
        f"{platform.gateway}/api/orgtree/nodes", params={"parentId": root["id"], "limit": 500}, headers=auth(token)
    )
    assert listed.json()["total"] == len(writer.written)
    assert sorted(n["id"] for n in listed.json()["items"]) == sorted(writer.written)
    for component in PLACED:
        assert count_rows(main, component, tenant) == 0, component
    assert count_rows(east, "orgtree", tenant) > len(writer.written)
    # the moved district's events still flow: a grid created now reaches dispatch's directory on its new cell
    headers = auth(token)
    village = created(
        platform.gateway,
        "/api/orgtree/nodes",
        {"parentId": writer.written[0], "level": "village", "name": "迁后村"},
        headers,
    )
    grid = created(
        platform.gateway,
        "/api/orgtree/nodes",
        {"parentId": village["id"], "level": "grid", "name": "迁后村网格"},
        headers,
    )
    until("the new grid in dispatch's directory on east", lambda: _in_directory(east, grid["id"]) or None)
    assert not _in_directory(main, grid["id"])


def _in_directory(port: str, grid_id: str) -> bool:
    async def look() -> bool:
        connection = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{port}/redcell_dispatch")
        try:
            return bool(
                await connection.fetchval("SELECT count(*) FROM directory_grid WHERE grid_id = $1", uuid.UUID(grid_id))
            )
        finally:
            await connection.close()

    return asyncio.run(look())
