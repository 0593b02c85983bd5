"""Orgtree → dispatch directory sync, and the hotline beside it, for two versions of the code side by side in one run.

    .venv/bin/python -m tests.bench.bench_sync [--quick] [--before HEAD] [--events 24000]

For each version (``--before``: a git revision, unpacked with ``git archive`` into a temporary folder and run from
there; then this working tree) it starts its own servers and the gateway, dispatch's API, relays (gateway, orgtree,
dispatch), dispatch's worker and the scheduler as real processes, provisions a district, then measures:

* **idle worker**: CPU seconds of dispatch's idle worker over 30 s, and the latency of single orgtree events
  published one at a time to an idle pipeline (outbox row's transaction start → dispatch's inbox row, whose
  ``processed_at`` is the consuming transaction's start);
* **directory sync**: ``--events`` orgtree events (grids, then members, households and red-cell links, in the runs
  a bulk import writes them) committed to orgtree's outbox in one transaction; events/s from that commit to the
  last of them applied in dispatch (``inbox_message``), and the same for the events interleaved as the demo writes
  them (a member, a household, its link, ...);
* **a ticket beside the sync**: tickets created through the gateway at 10/s while the first sync runs; ticket
  committed (its ``TicketCreated`` outbox row) → routing transaction started (the inbox row of that envelope).

Only the HTTP API and the kernel tables (outbox, inbox) are touched, so both versions run the same bench. Figures
only, printed as JSON; the machine is shared, so compare the two versions of one run. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import jwt
import msgspec
import psutil

from deploy import local_servers
from deploy.local_servers import free_ports
from shared.contracts.base import Event, payload_of
from shared.contracts.orgtree import (
    GridCreated,
    GridLeaderChanged,
    HouseholdLinked,
    HouseholdPlaced,
    MemberCreated,
    UnitRef,
)
from shared.db.base import uuid7
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.bench.bench_dispatch import create_tickets, pct, wait_for_hotline
from tests.platform.plugin import settings_for
from tests.platform.processes import Platform

PASSWORD = "bench-password-123"
REPO = Path(__file__).resolve().parents[2]
TICKET_RATE = 10.0
IDLE_S = 30.0


def unpack(revision: str) -> Path:
    """``revision`` of this repository as files in a temporary folder (``git archive``: the tree is not touched)."""
    target = Path(tempfile.mkdtemp(prefix=f"redcell-bench-{revision.replace('/', '-')}-"))
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def import_events(tenant: uuid.UUID, root: uuid.UUID, count: int) -> list[Event]:
    """A district's import: its grids, then members, households and links, each kind in one run."""
    chain = [UnitRef(id=root, level="district", name="压测区")]
    grids = [uuid.uuid4() for _ in range(max(1, count // 240))]
    per_kind = (count - len(grids)) // 3
    members = [uuid.uuid4() for _ in range(per_kind)]
    homes = [uuid.uuid4() for _ in range(per_kind)]
    events: list[Event] = [
        GridCreated(
            tenant_id=tenant,
            grid_id=g,
            parent_id=root,
            level="grid",
            party_group_id=None,
            name=f"第{i}网格",
            path=f"/b/{i}/",
            ancestors=chain,
        )
        for i, g in enumerate(grids)
    ]
    events += [
        MemberCreated(
            tenant_id=tenant,
            member_id=m,
            grid_id=grids[i % len(grids)],
            branch_id=root,
            classification="full",
            name=f"党员{i}",
        )
        for i, m in enumerate(members)
    ]
    events += [
        HouseholdPlaced(tenant_id=tenant, household_id=h, grid_id=grids[i % len(grids)]) for i, h in enumerate(homes)
    ]
    links = count - len(events)
    events += [
        HouseholdLinked(tenant_id=tenant, household_id=homes[i % len(homes)], member_id=members[i % len(members)])
        for i in range(links)
    ]
    return events


def interleaved_events(tenant: uuid.UUID, root: uuid.UUID, count: int) -> list[Event]:
    """The same kinds as the demo writes them: a grid, then for each of its people a member, a household, a link."""
    events: list[Event] = []
    grid = uuid.uuid4()
    while len(events) < count:
        if len(events) % 240 == 0:
            grid = uuid.uuid4()
            events.append(
                GridCreated(tenant_id=tenant, grid_id=grid, parent_id=root, level="grid", party_group_id=None)
            )
            continue
        member, home = uuid.uuid4(), uuid.uuid4()
        events += [
            MemberCreated(tenant_id=tenant, member_id=member, grid_id=grid, branch_id=root, classification="full"),
            HouseholdPlaced(tenant_id=tenant, household_id=home, grid_id=grid),
            HouseholdLinked(tenant_id=tenant, household_id=home, member_id=member),
        ]
    return events[:count]


async def commit_to_orgtree_outbox(settings: Settings, events: list[Event]) -> None:
    """``events`` in orgtree's outbox in one transaction, as a bulk import commits them."""
    rows = [
        (uuid7(), e.tenant_id, e.NAME, msgspec.json.encode({"version": e.VERSION, **payload_of(e)}).decode())
        for e in events
    ]
    conn = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_orgtree")))
    try:
        async with conn.transaction():
            await conn.executemany(
                "INSERT INTO outbox_message (id, tenant_id, event, payload) VALUES ($1, $2, $3, $4::jsonb)", rows
            )
    finally:
        await conn.close()


async def dispatch_conn(settings: Settings) -> asyncpg.Connection:
    return await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_dispatch")))


async def applied(settings: Settings, tenant: uuid.UUID) -> tuple[int, Any]:
    conn = await dispatch_conn(settings)
    try:
        row = await conn.fetchrow(
            "SELECT count(*) AS n, max(processed_at) AS last FROM inbox_message "
            "WHERE consumer = 'dispatch' AND tenant_id = $1 AND event LIKE 'orgtree.%'",
            tenant,
        )
        return int(row["n"]), row["last"]
    finally:
        await conn.close()


async def sync_rate(
    settings: Settings, tenant: uuid.UUID, events: list[Event], timeout_s: float = 900
) -> dict[str, Any]:
    """Commit ``events`` and wait until dispatch has applied them all: events/s from the commit to the last."""
    before, _ = await applied(settings, tenant)
    await commit_to_orgtree_outbox(settings, events)
    conn = await dispatch_conn(settings)
    try:  # from the commit on (writing 24,000 rows is the bench's own work, not the sync's)
        started = await conn.fetchval("SELECT clock_timestamp()")
    finally:
        await conn.close()
    deadline = time.monotonic() + timeout_s
    done, last = before, None
    while time.monotonic() < deadline:
        done, last = await applied(settings, tenant)
        if done - before >= len(events):
            break
        await asyncio.sleep(0.25)
    seconds = (last - started).total_seconds() if last else float("nan")
    return {
        "events": len(events),
        "applied": done - before,
        "seconds": round(seconds, 2),
        "events_per_s": round((done - before) / seconds, 1) if seconds else None,
        "started": started,
        "ended": last,
    }


async def idle_latency(settings: Settings, tenant: uuid.UUID, root: uuid.UUID, count: int) -> dict[str, Any]:
    """Single events one at a time to an idle pipeline: outbox transaction start → consuming transaction start."""
    ids = []
    for _ in range(count):
        event = GridLeaderChanged(
            tenant_id=tenant, grid_id=uuid.uuid4(), member_id=uuid.uuid4(), previous_member_id=None
        )
        await commit_to_orgtree_outbox(settings, [event])
        await asyncio.sleep(0.3)
    orgtree = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_orgtree")))
    try:
        sent = await orgtree.fetch(
            "SELECT id, created_at FROM outbox_message WHERE tenant_id = $1 AND event = 'orgtree.GridLeaderChanged'",
            tenant,
        )
    finally:
        await orgtree.close()
    ids = [r["id"] for r in sent]
    conn = await dispatch_conn(settings)
    try:
        for _ in range(100):
            got = await conn.fetch(
                "SELECT message_id, processed_at FROM inbox_message WHERE consumer = 'dispatch' "
                "AND message_id = ANY($1::text[])",
                [str(i) for i in ids],
            )
            if len(got) == len(ids):
                break
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    created = {str(r["id"]): r["created_at"] for r in sent}
    lat = [(r["processed_at"] - created[r["message_id"]]).total_seconds() * 1000 for r in got]
    return {"events": len(ids), "p50_ms": round(pct(lat, 50), 1), "p99_ms": round(pct(lat, 99), 1)}


async def ticket_routing(settings: Settings, ticket_ids: list[str], sync_end: Any) -> dict[str, Any]:
    """Ticket committed (its TicketCreated outbox row) → its routing transaction started (the inbox row)."""
    conn = await dispatch_conn(settings)
    try:
        for _ in range(600):
            rows = await conn.fetch(
                "SELECT o.created_at, i.processed_at FROM outbox_message o "
                "JOIN inbox_message i ON i.consumer = 'dispatch' AND i.message_id = o.id::text "
                "WHERE o.event = 'dispatch.TicketCreated' AND o.payload->>'ticket_id' = ANY($1::text[])",
                ticket_ids,
            )
            if len(rows) == len(ticket_ids):
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    lat = [(r["processed_at"] - r["created_at"]).total_seconds() * 1000 for r in rows]
    during = sum(1 for r in rows if sync_end is not None and r["processed_at"] <= sync_end)
    return {
        "tickets": len(ticket_ids),
        "routed": len(rows),
        "routed_while_the_sync_ran": during,
        "p50_ms": round(pct(lat, 50), 1),
        "p99_ms": round(pct(lat, 99), 1),
        "max_ms": round(max(lat), 1) if lat else None,
    }


def cpu_of(process: Any) -> float:
    top = psutil.Process(process.proc.pid)
    return sum(sum(p.cpu_times()[:2]) for p in [top, *top.children(recursive=True)])


def run_version(label: str, code: Path | None, events: int, interleaved_count: int, quick: bool) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix=f"redcell-bench-sync-{label}-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    gateway_port, dispatch_port = free_ports(2)
    env = {
        **state.env(),
        "REDCELL_ENV": "test",
        "REDCELL_LOG_LEVEL": "WARNING",
        "REDCELL_JWT__JWKS_URL": f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json",
        "REDCELL_GATEWAY__UPSTREAMS": json.dumps({"dispatch": f"http://127.0.0.1:{dispatch_port}"}),
        "REDCELL_GATEWAY__TENANT_RATE_PER_MINUTE": "100000000",
        "REDCELL_GATEWAY__USER_RATE_PER_MINUTE": "100000000",
    }
    if code is not None:  # that version's modules first; -P semantics: not the current folder's
        env |= {"PYTHONPATH": str(code), "PYTHONSAFEPATH": "1"}
    platform = Platform(base_env=env, log_dir=root)
    platform.ports.update(gateway=gateway_port, dispatch=dispatch_port)
    results: dict[str, Any] = {"code": str(code) if code else "working tree"}
    try:
        redcell = [sys.executable, "-m", "shared.cli"]
        subprocess.run([*redcell, "migrate", "--bootstrap"], env=platform.env(), check=True, capture_output=True)
        gateway = platform.add_api("gateway")
        platform.add_api("dispatch")
        for component in ("gateway", "orgtree", "dispatch"):
            platform.add(f"relay-{component}", "relay", component)
        worker = platform.add("worker-dispatch", "worker", "dispatch")
        platform.add("scheduler", "scheduler")
        create = ["tenant", "create", "--slug", "bench-sync", "--name", "压测区"]
        create += ["--admin-username", "bench-sync-admin", "--admin-password", PASSWORD]
        subprocess.run([*redcell, *create], env=platform.env(), check=True, capture_output=True)
        login = httpx.post(f"{gateway}/auth/login", json={"username": "bench-sync-admin", "password": PASSWORD})
        token = login.json()["accessToken"]
        tenant = uuid.UUID(str(jwt.decode(token, options={"verify_signature": False})["tenant"]))
        wait_for_hotline(gateway, token)
        catalogue = httpx.get(f"{gateway}/api/dispatch/catalogue", headers={"Authorization": f"Bearer {token}"}).json()
        life = next(c for c in catalogue if c["code"] == "citizen_life")
        plumbing = next(i["id"] for i in life["items"] if i["code"] == "plumbing")
        district_root = uuid.uuid4()
        if state.weed_pid:  # no S3 on these paths; the idle SeaweedFS polls a fair share of a core
            os.kill(state.weed_pid, signal.SIGSTOP)

        time.sleep(5)  # everything started and settled
        cpu_before = cpu_of(worker)
        time.sleep(5 if quick else IDLE_S)
        idle_s = 5 if quick else IDLE_S
        results["idle_worker"] = {
            "seconds": idle_s,
            "cpu_s": round(cpu_of(worker) - cpu_before, 3),
            "cpu_percent": round((cpu_of(worker) - cpu_before) / idle_s * 100, 2),
        }
        results["idle_latency"] = asyncio.run(idle_latency(settings, tenant, district_root, 10 if quick else 40))

        def body(i: int) -> dict[str, Any]:
            return {
                "channel": "phone",
                "title": "水管漏水",
                "categoryId": life["id"],
                "itemId": plumbing,
                "callerPhone": f"139{i % 100_000_000:08d}",
            }

        async def sync_with_tickets() -> tuple[dict[str, Any], dict[str, Any]]:
            sync = asyncio.create_task(sync_rate(settings, tenant, import_events(tenant, district_root, events)))
            await asyncio.sleep(1.0)
            seconds = 5 if quick else 8
            created = await create_tickets(gateway, token, body, TICKET_RATE, seconds)
            synced = await sync
            routed = await ticket_routing(settings, created["ids"], synced["ended"])
            routed["created"] = {k: v for k, v in created.items() if k != "ids"}
            return synced, routed

        synced, routed = asyncio.run(sync_with_tickets())
        results["sync_import_order"] = {k: v for k, v in synced.items() if k not in ("started", "ended")}
        results["ticket_routing_during_sync"] = routed
        interleaved = interleaved_events(tenant, district_root, interleaved_count)
        synced = asyncio.run(sync_rate(settings, tenant, interleaved))
        results["sync_interleaved"] = {k: v for k, v in synced.items() if k not in ("started", "ended")}
    finally:
        if state.weed_pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.weed_pid, signal.SIGCONT)
        platform.stop_all()
        local_servers.down(root, remove=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="HEAD", help="git revision measured first ('' to skip)")
    parser.add_argument("--events", type=int, default=24_000)
    parser.add_argument("--interleaved-events", type=int, default=0, help="for the interleaved sync (--events)")
    parser.add_argument("--quick", action="store_true", help="shorter idle and ticket phases")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    interleaved = args.interleaved_events or args.events
    before = unpack(args.before) if args.before else None
    try:
        if before is not None:
            results["before"] = run_version("before", before, args.events, interleaved, args.quick)
            print(json.dumps({"before": results["before"]}, indent=2, ensure_ascii=False), flush=True)
        results["after"] = run_version("after", None, args.events, interleaved, args.quick)
    finally:
        if before is not None:
            subprocess.run(["rm", "-rf", str(before)], check=False)
    results["host"] = {"cpus": psutil.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(json.dumps({"directory_sync": results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
