"""A July 1 assembly checking in (issue 13): thousands of members scan the organiser's changing code, through
the gateway, with every process of the platform running.

    .venv/bin/python -m tests.bench.bench_training [--quick] [--write docs/benchmarks.md]

Starts its own servers and every component (``running_platform``: gateway, orgtree, dispatch, training, console,
their relays and workers, the scheduler), creates a session of the district's July 1 assembly through the API,
then 5,000 distinct members (1,000 with ``--quick``) check in within 60 s (12 s) at a fixed arrival rate (open
loop: each scan leaves on schedule whether or not earlier ones have answered), each with the code the organiser's
screen shows at that moment (a task fetches it as the screen does, at each ``refreshAt``). Every 25th member taps
twice, half a second apart, and must be told they were already checked in. Afterwards the attendance rows and
``AttendanceRecorded`` outbox rows are counted: one each per member, none lost or doubled.

The members are real gateway accounts (``user_account`` and a ``member`` membership of the district, written
straight to the gateway's database with one shared password hash), each linked to a person in training's
records as orgtree's member events would link it. Their access tokens are signed with the gateway's own active
key and carry exactly the claims its login issues (two members log in through ``/auth/login`` to check that):
logging in 5,000 members one by one would spend about ten CPU-minutes on argon2, which the check-in path never
touches. Figures only: the goals are printed beside them, never asserted. Not collected by pytest.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
import jwt
import psutil

from deploy import local_servers
from gateway.identity.keys import KeyRing
from gateway.identity.services import hash_password
from gateway.models import Membership, UserAccount
from services.training.models import Person, PersonKind
from shared.context import tenant_scope
from shared.db.base import uuid7
from shared.db.engine import make_engine, make_sessionmaker
from shared.db.urls import admin_url, plain_dsn
from shared.settings import Settings
from tests.bench.bench_dispatch import pct
from tests.bench.cli import run_section
from tests.bench.report import replace_section
from tests.platform.platform import PASSWORD, RunningPlatform, auth, login, running_platform
from tests.platform.plugin import settings_for
from tests.platform.processes import Platform

SECTION = "## Training check-in (issue 13)"
GOALS = {"members": 5000, "seconds": 60, "p99_ms": 100.0}
RESCAN_EVERY = 25
WARM_UP = 50  # members checking in to another session first, as the service would have been in use before


async def enrol(settings: Settings, tenant: uuid.UUID, count: int) -> list[UserAccount]:
    """``count`` member accounts of the district in the gateway, each linked to a person in training."""
    shared_hash = hash_password(PASSWORD)
    users = [
        UserAccount(
            id=uuid7(), username=f"bench-member-{i:05d}", display_name=f"压测党员{i:05d}", password_hash=shared_hash
        )
        for i in range(count)
    ]
    gateway = make_engine(settings, "gateway", "system", pool_size=1)
    training = make_engine(settings, "training", "app", pool_size=1)
    try:
        with tenant_scope(tenant):
            async with make_sessionmaker(gateway)() as session, session.begin():
                session.add_all(users)
                await session.flush()
                session.add_all(Membership(tenant_id=tenant, user_id=user.id, roles=["member"]) for user in users)
            async with make_sessionmaker(training)() as session, session.begin():
                session.add_all(
                    Person(
                        kind=PersonKind.MEMBER,
                        member_id=uuid.uuid4(),
                        user_id=user.id,
                        name=user.display_name,
                        branch_path="/bench/street/branch/",
                        classification="self_managed",
                    )
                    for user in users
                )
    finally:
        await gateway.dispose()
        await training.dispose()
    return users


async def access_tokens(settings: Settings, tenant: uuid.UUID, users: list[UserAccount]) -> list[str]:
    """What ``/auth/login`` would hand each member (gateway/identity/services.py ``_issue``), signed the same way."""
    engine = make_engine(settings, "gateway", "system", pool_size=1)
    try:
        kid, key = await KeyRing(settings, make_sessionmaker(engine)).signing_key()
    finally:
        await engine.dispose()
    issued_at, jwt_settings = int(time.time()), settings.jwt
    claims: dict[str, Any] = {"iss": jwt_settings.issuer, "aud": jwt_settings.audience, "tenant": str(tenant)}
    claims |= {"roles": ["member"], "scope": None, "typ": "access", "iat": issued_at}
    claims["exp"] = issued_at + jwt_settings.access_ttl_s
    return [
        jwt.encode(
            {**claims, "sub": str(user.id), "name": user.display_name, "jti": uuid.uuid4().hex},
            key,
            algorithm="EdDSA",
            headers={"kid": kid},
        )
        for user in users
    ]


def assembly(platform: RunningPlatform, token: str, title: str) -> dict[str, Any]:
    """A session of the July 1 assembly whose check-in is open now (the catalogue arrives by event)."""
    deadline = time.monotonic() + 60
    programmes: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not programmes:
        answer = httpx.get(f"{platform.gateway}/api/training/programmes", headers=auth(token))
        programmes = answer.json() if answer.status_code == 200 else []
        time.sleep(0.5 if not programmes else 0)
    july_first = next(p for p in programmes if p["code"] == "july_first_assembly")
    starts = datetime.now(UTC) + timedelta(minutes=10)
    body = {
        "programmeId": july_first["id"],
        "title": title,
        "place": "区体育馆",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=3)).isoformat(),
    }
    created = httpx.post(f"{platform.gateway}/api/training/sessions", headers=auth(token), json=body)
    assert created.status_code == 201, created.text
    session: dict[str, Any] = created.json()
    return session


async def check_in(gateway: str, organiser: str, session_id: str, tokens: list[str], seconds: float) -> dict[str, Any]:
    """Each member scans the code the screen shows at their scheduled moment; every 25th taps twice."""
    screen: dict[str, Any] = {}
    latencies: list[float] = []
    rescans: list[float] = []
    when: list[tuple[float, int]] = []  # (seconds into the run, ms) of each first scan
    statuses: Counter[str] = Counter()
    rescan_statuses: Counter[str] = Counter()
    connector = aiohttp.TCPConnector(limit=500)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def fetch_code() -> None:
            async with http.get(
                f"{gateway}/api/training/sessions/{session_id}/checkin-code", headers=auth(organiser)
            ) as answer:
                assert answer.status == 200, await answer.text()
                screen.update(await answer.json())

        async def organisers_screen(until: float) -> None:
            while time.monotonic() < until:
                refresh = datetime.fromisoformat(screen["refreshAt"])
                await asyncio.sleep(max(0.0, (refresh - datetime.now(UTC)).total_seconds()))
                await fetch_code()

        async def scan(token: str) -> tuple[str, float]:
            started = time.perf_counter()
            try:
                async with http.post(
                    f"{gateway}/api/training/checkins", json={"code": screen["code"]}, headers=auth(token)
                ) as answer:
                    await answer.read()
            except aiohttp.ClientError as error:
                return type(error).__name__, 0.0
            return str(answer.status), (time.perf_counter() - started) * 1000

        async def member(i: int, token: str) -> None:
            status, elapsed = await scan(token)
            statuses[status] += 1
            if status == "201":
                latencies.append(elapsed)
                when.append((round(i / rate, 1), round(elapsed)))
            if i % RESCAN_EVERY == 0:
                await asyncio.sleep(0.5)
                status, elapsed = await scan(token)
                rescan_statuses[status] += 1
                rescans.append(elapsed)

        await fetch_code()
        rate = len(tokens) / seconds
        start = time.monotonic()
        refresher = asyncio.create_task(organisers_screen(start + seconds + 5))
        tasks = []
        for i, token in enumerate(tokens):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(member(i, token)))
        await asyncio.gather(*tasks)
        wall = time.monotonic() - start
        refresher.cancel()
    return {
        "members": len(tokens),
        "rate_per_s": round(rate, 1),
        "seconds": round(wall, 1),
        "statuses": dict(statuses),
        "p50_ms": round(pct(latencies, 50), 1),
        "p99_ms": round(pct(latencies, 99), 1),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "rescans": len(rescans),
        "rescan_statuses": dict(rescan_statuses),
        "rescan_p50_ms": round(pct(rescans, 50), 1),
        "slowest_at_s": sorted(when, key=lambda w: -w[1])[:10],  # (seconds into the run, ms): where the tail is
    }


async def counted(settings: Settings, session_id: str) -> dict[str, int]:
    connection = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_training")))
    try:
        rows = await connection.fetchrow(
            "SELECT count(*) AS rows, count(DISTINCT person_id) AS people FROM attendance WHERE session_id = $1",
            uuid.UUID(session_id),
        )
        events = await connection.fetchval(
            "SELECT count(*) FROM outbox_message WHERE event = 'training.AttendanceRecorded' "
            "AND payload->>'session_id' = $1",
            session_id,
        )
    finally:
        await connection.close()
    return {"attendance_rows": rows["rows"], "people": rows["people"], "recorded_events": events}


def cpu_seconds(platform: Platform, root: Path) -> dict[str, float]:
    """CPU seconds used so far by each Redcell process and by this run's servers (those whose command line names
    its folder: other servers on the machine are left out), each with its children."""

    def tree(pid: int) -> float:
        top = psutil.Process(pid)
        total = 0.0
        for process in [top, *top.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child that ended meanwhile
                total += sum(process.cpu_times()[:2])
        return total

    used = {
        name: tree(process.proc.pid)
        for name, process in platform.processes.items()
        if process.proc is not None and process.proc.poll() is None
    }
    for proc in psutil.process_iter(["name", "cmdline"]):
        server = {"postgres": "postgresql", "redis-server": "redis", "weed": "s3"}.get(proc.info["name"] or "")
        if not server or str(root) not in " ".join(proc.info["cmdline"] or []):
            continue
        with contextlib.suppress(psutil.Error):
            parent = proc.parent()
            if parent is None or parent.name() != proc.info["name"]:  # a server's own children count with it
                used[server] = used.get(server, 0.0) + tree(proc.pid)
    return used


def idle_less(times: Any) -> float:
    """CPU seconds the machine spent on anything so far (idle and waiting for I/O left out)."""
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def claims_of(token: str) -> set[str]:
    return set(jwt.decode(token, options={"verify_signature": False}))


def measured(
    platform: RunningPlatform,
    organiser: str,
    session_id: str,
    tokens: list[str],
    seconds: float,
    *,
    root: Path,
    s3_pid: int | None,
) -> dict[str, Any]:
    """The check-ins, with the CPU each process spent meanwhile. SeaweedFS is paused: check-in does not use S3,
    and the idle server polls a fair share of one of the two cores (as in bench_dispatch.py)."""
    if s3_pid:
        os.kill(s3_pid, signal.SIGSTOP)
    try:
        before, machine = cpu_seconds(platform.platform, root), psutil.cpu_times()
        checkin = asyncio.run(check_in(platform.gateway, organiser, session_id, tokens, seconds))
        after, machine_after = cpu_seconds(platform.platform, root), psutil.cpu_times()
    finally:
        if s3_pid:
            os.kill(s3_pid, signal.SIGCONT)
    used = {name: after[name] - before.get(name, 0.0) for name in after}
    checkin["cpu_ms_per_checkin"] = {
        name: round(cpu * 1000 / len(tokens), 2) for name, cpu in used.items() if cpu > 0.05
    }
    busy = idle_less(machine_after) - idle_less(machine)  # every process's, this run's or not
    checkin["cores_busy"] = {  # how much else ran on the machine meanwhile (other runs, other helpers)
        "all": round(busy / checkin["seconds"], 2),
        "this_run": round(sum(c for c in used.values() if c > 0) / checkin["seconds"], 2),
    }
    return checkin


def main_with(*, quick: bool = False, write: Path | None = None) -> dict[str, Any]:
    members, seconds = (1000, 12.0) if quick else (int(GOALS["members"]), float(GOALS["seconds"]))
    root = Path(tempfile.mkdtemp(prefix="redcell-bench-training-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    env = {**state.env(), "REDCELL_ENV": "test", "REDCELL_LOG_LEVEL": "WARNING"}
    unlimited = {
        "REDCELL_GATEWAY__TENANT_RATE_PER_MINUTE": "100000000",
        "REDCELL_GATEWAY__USER_RATE_PER_MINUTE": "100000000",
    }
    results: dict[str, Any] = {}
    try:
        with running_platform(env, **unlimited) as platform:
            admin = login(platform.gateway, platform.a.admin)["accessToken"]
            tenant = uuid.UUID(str(jwt.decode(admin, options={"verify_signature": False})["tenant"]))
            warm_up = assembly(platform, admin, "七一党员大会（预热场）")
            session = assembly(platform, admin, "七一党员大会（压测）")
            users = asyncio.run(enrol(settings, tenant, WARM_UP + members))
            tokens = asyncio.run(access_tokens(settings, tenant, users))
            for index in (0, 1):  # the first two members sign in for real: same claims, and their tokens are used
                real = login(platform.gateway, users[index].username)["accessToken"]
                assert claims_of(real) == claims_of(tokens[index]), (claims_of(real), claims_of(tokens[index]))
                tokens[index] = real
            organiser = login(platform.gateway, platform.a.admin)["accessToken"]
            asyncio.run(check_in(platform.gateway, organiser, warm_up["id"], tokens[:WARM_UP], 2.0))
            results["checkin"] = measured(
                platform, organiser, session["id"], tokens[WARM_UP:], seconds, root=root, s3_pid=state.weed_pid
            )
            results["rows"] = asyncio.run(counted(settings, session["id"]))
    finally:
        local_servers.down(root, remove=True)
    results["host"] = {"cpus": psutil.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    print(json.dumps({"training": results}, indent=2, ensure_ascii=False))
    if write is not None:
        replace_section(write, SECTION, render(results))
    return results


def render(r: dict[str, Any]) -> str:
    c, rows, busy = r["checkin"], r["rows"], r["checkin"]["cores_busy"]
    lost = c["members"] - rows["people"]
    doubled = rows["attendance_rows"] - rows["people"]
    cpu = ", ".join(f"{name} {ms}" for name, ms in sorted(c["cpu_ms_per_checkin"].items(), key=lambda kv: -kv[1]))
    total = round(sum(c["cpu_ms_per_checkin"].values()), 1)
    row = (
        f"| {c['members']:,} | {c['seconds']} | {c['statuses'].get('201', 0):,} | {c['p50_ms']} | "
        f"**{c['p99_ms']}** | {c['max_ms']} | {c['rescans']} | {c['rescan_statuses'].get('200', 0)} |"
    )
    goal = f"goal: {GOALS['members']:,} within {GOALS['seconds']} s, p99 ≤ {GOALS['p99_ms']:g} ms"
    return f"""{SECTION}

Measured by `make bench` ({r["host"]["date"]}, {r["host"]["cpus"]} cores) with `tests/bench/bench_training.py`: every
process of the platform (gateway, orgtree, dispatch, training, console, relays, workers, scheduler) on the same
cores as PostgreSQL, Redis and the load generator (SeaweedFS paused: check-in does not use it).

**A July 1 assembly checking in through the gateway** (`POST /api/training/checkins`: JWT checked twice, the
changing code's HMAC and step, session and window, the member's record, `INSERT ... ON CONFLICT DO NOTHING` of the
attendance and its `AttendanceRecorded` outbox row in one transaction): {c["members"]:,} distinct members at
{c["rate_per_s"]:g}/s (open loop, {c["seconds"]} s), each with the code the organiser's screen showed at that
moment (it changes every 10 s), after {WARM_UP} warm-up check-ins to another session; {goal}. Every
{RESCAN_EVERY}th member taps twice.

| members | seconds | checked in (201) | p50 (ms) | p99 (ms) | max (ms) | second taps | of which 200 already |
|---|---|---|---|---|---|---|---|
{row}

Counted afterwards in training's database: **{rows["attendance_rows"]:,} attendance rows** for {rows["people"]:,}
members ({lost} lost, {doubled} doubled) and **{rows["recorded_events"]:,} `AttendanceRecorded` events** in the
outbox. All answers by status: {json.dumps(c["statuses"])}.

CPU per check-in by process (ms, what ran during the check-ins: the events' relay and consumers included): {cpu};
**{total} ms in all**. Meanwhile the machine's cores were busy {busy["all"]} cores' worth on average, of which
{busy["this_run"]} for this run: the rest was other work on the same machine, and the latencies wait for it too.

Raw results:

```json
{json.dumps(r, indent=2, ensure_ascii=False)}
```
"""


if __name__ == "__main__":
    run_section(main_with)
