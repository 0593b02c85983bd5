"""``make bench``: gateway overhead and outbox latency, measured side by side in one run.

Starts its own servers and processes on loopback (never the developer's), runs bounded loads that stop
by themselves, prints JSON and, with ``--write``, rewrites docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as host
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import httpx
import psutil

from deploy import local_servers
from deploy.local_servers import free_ports, wait_for_port
from shared.db.urls import admin_url, plain_dsn
from tests.platform.plugin import settings_for
from tests.platform.processes import Platform, RunningProcess

PASSWORD = "bench-password-123"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def latency_pairs(direct: str, gateway: str, token: str, n: int) -> dict[str, Any]:
    """The same request, alternately direct and through the gateway, one at a time on warm connections."""
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {"direct": [], "gateway": []}
    async with aiohttp.ClientSession() as session:
        for _ in range(100):  # warm-up
            for base in (direct, gateway):
                async with session.get(f"{base}/api/orgtree/nodes", headers=headers) as r:
                    await r.read()
        for i in range(n):
            order = [("direct", direct), ("gateway", gateway)] if i % 2 else [("gateway", gateway), ("direct", direct)]
            for name, base in order:
                started = time.perf_counter()
                async with session.get(f"{base}/api/orgtree/nodes", headers=headers) as r:
                    await r.read()
                    assert r.status == 200, r.status
                timings[name].append((time.perf_counter() - started) * 1000)
    d, g = timings["direct"], timings["gateway"]
    return {
        "requests_each": n,
        "direct_p50_ms": round(pct(d, 50), 3),
        "direct_p99_ms": round(pct(d, 99), 3),
        "gateway_p50_ms": round(pct(g, 50), 3),
        "gateway_p99_ms": round(pct(g, 99), 3),
        "added_p50_ms": round(pct(g, 50) - pct(d, 50), 3),
        "added_p99_ms": round(pct(g, 99) - pct(d, 99), 3),
        "ratio_p50": round(pct(g, 50) / pct(d, 50), 2),
    }


NGINX_CONF = """worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    upstream echo {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://echo;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def nginx_binary(root: Path) -> str | None:
    """Debian's nginx: the installed one, else the package's binary unpacked here (``apt-get download`` needs no
    root and starts no service; the libraries it links are already on the machine). None if neither works."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if found:
        return found
    where = root / "nginx-deb"
    where.mkdir(exist_ok=True)
    try:
        subprocess.run(["apt-get", "download", "nginx"], cwd=where, check=True, capture_output=True, timeout=120)
        package = next(where.glob("nginx_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(package), str(where / "root")], check=True, capture_output=True)
    except (OSError, subprocess.SubprocessError, StopIteration):
        return None
    binary = where / "root" / "usr" / "sbin" / "nginx"
    return str(binary) if binary.exists() else None


def start_nginx(root: Path, port: int, upstream: int) -> RunningProcess | None:
    """nginx as the reference reverse proxy in front of ``upstream``: one worker, keep-alive upstream connections,
    its generated config, pid and temp files in ``root``, in the foreground so that it stops with the bench."""
    binary = nginx_binary(root)
    if binary is None:
        return None
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port, upstream=upstream))
    argv = [binary, "-p", str(root), "-e", str(root / "nginx-error.log"), "-c", str(conf), "-g", "daemon off;"]
    process = RunningProcess("nginx", argv, dict(os.environ), root / "nginx.log")
    process.start()
    wait_for_port(port, what="nginx")
    return process


async def proxies_side_by_side(direct: str, proxies: dict[str, str], token: str, n: int) -> dict[str, Any]:
    """The trivial upstream directly and through each proxy, one request at a time on warm keep-alive
    connections, the order rotating every round so that each sees the same moments of a busy machine.
    Every request carries the token (the gateway verifies it; the others pass it on)."""
    names = ["direct", *proxies]
    bases = {"direct": direct, **proxies}
    timings: dict[str, list[float]] = {name: [] for name in names}
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
        for i in range(100 + n):
            order = names[i % len(names) :] + names[: i % len(names)]
            for name in order:
                started = time.perf_counter()
                async with session.get(f"{bases[name]}/api/echo/x") as r:
                    await r.read()
                    assert r.status == 200, (name, r.status)
                if i >= 100:  # after the warm-up
                    timings[name].append((time.perf_counter() - started) * 1000)
    p50 = {name: pct(timings[name], 50) for name in names}
    p99 = {name: pct(timings[name], 99) for name in names}
    result: dict[str, Any] = {"requests_each": n}
    for name in names:
        result[f"{name}_p50_ms"] = round(p50[name], 3)
        result[f"{name}_p99_ms"] = round(p99[name], 3)
    for name in proxies:
        result[f"{name}_added_p50_ms"] = round(p50[name] - p50["direct"], 3)
        result[f"{name}_added_p99_ms"] = round(p99[name] - p99["direct"], 3)
    if "nginx" in proxies and "gateway" in proxies and result["nginx_added_p50_ms"] > 0:
        result["gateway_to_nginx_added_p50"] = round(result["gateway_added_p50_ms"] / result["nginx_added_p50_ms"], 2)
    return result


def nginx_section(side: dict[str, Any], gateway: dict[str, Any], nginx: dict[str, Any] | None) -> str:
    nginx_row = (
        f"| nginx (Debian's, 1 worker) | {nginx['rps']} | {nginx['errors']} | {nginx['gateway_cpu_cores_used']} "
        f"| **{nginx['rps_per_gateway_core']}** |"
        if nginx
        else "| nginx | not run: no nginx binary could be found or unpacked | | | |"
    )
    rows = [f"| direct to the upstream | {side['direct_p50_ms']} | {side['direct_p99_ms']} | | |"]
    for name, label in (("gateway", "through the gateway (JWT, rate limits, request id)"), ("nginx", "through nginx")):
        if f"{name}_p50_ms" in side:
            rows.append(
                f"| {label} | {side[f'{name}_p50_ms']} | {side[f'{name}_p99_ms']} "
                f"| **{side[f'{name}_added_p50_ms']}** | {side[f'{name}_added_p99_ms']} |"
            )
    return f"""## Gateway beside nginx

The trivial upstream (`tests/bench/echo_upstream.py`) directly, through the gateway (`/api/echo/x` with a
token) and through nginx (Debian's package, a generated config: one worker, keep-alive to the upstream), each
{side["requests_each"]} times, one request at a time on warm connections, the order rotating every round.
Goal: the gateway adds p50 ≤ 0.3 ms, within 3× of nginx (ratio here:
{side.get("gateway_to_nginx_added_p50", "-")}).

| | p50 (ms) | p99 (ms) | added p50 (ms) | added p99 (ms) |
|---|---|---|---|---|
{chr(10).join(rows)}

Closed loop to the same upstream, {gateway["concurrency"]} connections, CPU seconds of the proxy's own processes
(goal for the gateway ≥ 8,000 requests per core):

| | requests/s | errors | cores used | requests per core |
|---|---|---|---|---|
| the gateway | {gateway["rps"]} | {gateway["errors"]} | {gateway["gateway_cpu_cores_used"]} \
| **{gateway["rps_per_gateway_core"]}** |
{nginx_row}
"""


async def throughput(url: str, token: str, seconds: float, concurrency: int, gateway_pid: int) -> dict[str, Any]:
    """Closed-loop load for a fixed time; CPU seconds of the gateway's processes give requests per core."""
    headers = {"Authorization": f"Bearer {token}"}
    procs = [psutil.Process(gateway_pid), *psutil.Process(gateway_pid).children(recursive=True)]
    cpu_before = sum(p.cpu_times().user + p.cpu_times().system for p in procs)
    done = 0
    errors = 0
    deadline = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def loop() -> None:
            nonlocal done, errors
            while time.perf_counter() < deadline:
                async with session.get(url, headers=headers) as r:
                    await r.read()
                    if r.status == 200:
                        done += 1
                    else:
                        errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    cpu = sum(p.cpu_times().user + p.cpu_times().system for p in procs) - cpu_before
    return {
        "seconds": round(wall, 1),
        "concurrency": concurrency,
        "requests": done,
        "errors": errors,
        "rps": round(done / wall),
        "gateway_cpu_cores_used": round(cpu / wall, 2),
        "rps_per_gateway_core": round(done / cpu) if cpu else None,
    }


async def outbox_latency(settings: Any, rate: float, seconds: float) -> dict[str, Any]:
    """TenantProvisioned written to the gateway's outbox at ``rate``/s; latency until orgtree's handler began.

    Both timestamps come from the same PostgreSQL clock: the outbox row's created_at (the producing
    transaction) and the consumer's inbox processed_at (the start of the handler's transaction).
    """
    from gateway.tenants.services import provision_tenant
    from shared.db.engine import make_engine, make_sessionmaker

    engine = make_engine(settings, "gateway", "system", pool_size=4)
    sessions = make_sessionmaker(engine)
    ids: list[str] = []
    interval = 1 / rate
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        target = start + i * interval
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        async with sessions() as session, session.begin():
            tenant, _ = await provision_tenant(session, f"bench-{uuid.uuid4().hex[:12]}", "压测区")
            ids.append(str(tenant.id))
    await engine.dispose()
    gw = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_gateway")))
    org = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_orgtree")))
    try:
        deadline = time.monotonic() + 60
        rows: list[Any] = []
        while time.monotonic() < deadline:
            rows = await org.fetch(
                "SELECT message_id, processed_at FROM inbox_message WHERE tenant_id = ANY($1::uuid[])", ids
            )
            if len(rows) == len(ids):
                break
            await asyncio.sleep(0.5)
        made = {
            str(r["id"]): r["created_at"]
            for r in await gw.fetch("SELECT id, created_at FROM outbox_message WHERE tenant_id = ANY($1::uuid[])", ids)
        }
        lat = [(r["processed_at"] - made[r["message_id"]]).total_seconds() * 1000 for r in rows]
    finally:
        await gw.close()
        await org.close()
    return {
        "events": len(ids),
        "delivered": len(lat),
        "rate_per_s": rate,
        "p50_ms": round(pct(lat, 50), 1),
        "p99_ms": round(pct(lat, 99), 1),
        "max_ms": round(max(lat), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--gateway-only", action="store_true", help="only the gateway, beside nginx, and orgtree reads")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="redcell-bench-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    gateway_port, orgtree_port, echo_port, nginx_port = free_ports(4)
    env = {
        **state.env(),
        "REDCELL_ENV": "test",
        "REDCELL_LOG_LEVEL": "WARNING",
        "REDCELL_JWT__JWKS_URL": f"http://127.0.0.1:{gateway_port}/.well-known/jwks.json",
        "REDCELL_GATEWAY__UPSTREAMS": json.dumps(
            {"orgtree": f"http://127.0.0.1:{orgtree_port}", "echo": f"http://127.0.0.1:{echo_port}"}
        ),
        "REDCELL_GATEWAY__TENANT_RATE_PER_MINUTE": "100000000",
        "REDCELL_GATEWAY__USER_RATE_PER_MINUTE": "100000000",
        "REDCELL_GATEWAY__ANONYMOUS_RATE_PER_MINUTE": "100000000",
    }
    platform = Platform(base_env=env, log_dir=root)
    platform.ports.update(gateway=gateway_port, orgtree=orgtree_port)
    results: dict[str, Any] = {}
    try:
        subprocess.run([sys.executable, "-m", "shared.cli", "migrate", "--bootstrap"], env=platform.env(), check=True)
        gateway = platform.add_api("gateway")
        orgtree = platform.add_api("orgtree")
        platform.add("relay-gateway", "relay", "gateway")
        echo = platform.processes["echo"] = RunningProcess(
            "echo",
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--port",
                str(echo_port),
                "--no-ws",
                "tests.bench.echo_upstream:app",
            ],
            platform.env(),
            root / "echo.log",
        )
        echo.start()
        local_servers.wait_for_port(echo_port, what="echo upstream")
        nginx = start_nginx(root, nginx_port, echo_port)
        if nginx is not None:
            platform.processes["nginx"] = nginx
        platform.add("worker-orgtree", "worker", "orgtree")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shared.cli",
                "tenant",
                "create",
                "--slug",
                "bench-district",
                "--name",
                "压测区",
                "--admin-username",
                "bench-admin",
                "--admin-password",
                PASSWORD,
            ],
            env=platform.env(),
            check=True,
            capture_output=True,
        )
        token = httpx.post(f"{gateway}/auth/login", json={"username": "bench-admin", "password": PASSWORD}).json()[
            "accessToken"
        ]
        time.sleep(2)  # the district's root arrives through the outbox
        n = 500 if args.quick else 3000
        results["gateway_overhead"] = asyncio.run(latency_pairs(orgtree, gateway, token, n))
        gw_pid = platform.processes["api-gateway"].proc.pid  # type: ignore[union-attr]
        secs = 5 if args.quick else 15
        results["throughput_direct"] = asyncio.run(
            throughput(f"{orgtree}/api/orgtree/nodes", token, secs, 32, platform.processes["api-orgtree"].proc.pid)  # type: ignore[union-attr]
        )
        results["throughput_gateway"] = asyncio.run(throughput(f"{gateway}/api/orgtree/nodes", token, secs, 32, gw_pid))
        results["throughput_gateway_echo"] = asyncio.run(throughput(f"{gateway}/api/echo/x", token, secs, 64, gw_pid))
        proxies = {"gateway": gateway, **({"nginx": f"http://127.0.0.1:{nginx_port}"} if nginx else {})}
        results["beside_nginx"] = asyncio.run(proxies_side_by_side(f"http://127.0.0.1:{echo_port}", proxies, token, n))
        if nginx is not None:
            nginx_pid = nginx.proc.pid  # type: ignore[union-attr]
            results["throughput_nginx_echo"] = asyncio.run(
                throughput(f"http://127.0.0.1:{nginx_port}/api/echo/x", token, secs, 64, nginx_pid)
            )
        results["outbox"] = asyncio.run(outbox_latency(settings, 50, 5 if args.quick else 20))
        results["host"] = {
            "cpus": psutil.cpu_count(),
            "python": host.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
    finally:
        platform.stop_all()
        local_servers.down(root, remove=True)
    print(json.dumps(results, indent=2))
    if args.write:
        from tests.bench.report import replace_section, write_report

        write_report(args.write, results)
        section = nginx_section(
            results["beside_nginx"], results["throughput_gateway_echo"], results.get("throughput_nginx_echo")
        )
        replace_section(args.write, "## Gateway beside nginx", section)
    if args.gateway_only:
        return
    # --- orgtree at 1,000,000 members per district (tests/bench/bench_orgtree.py) -----------------------
    # Runs after the sections above, on its own servers; prints its JSON and appends its own section.
    from tests.bench.bench_orgtree import main_with as orgtree_bench

    orgtree_bench(quick=args.quick, write=args.write)
    # --- bulk import of members (tests/bench/bench_import.py), in its own process for a clean peak RSS ----
    members = "20000" if args.quick else "100000"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_import", "--members", members],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = json.loads(done.stdout)
    print(json.dumps({"bulk_import": imported}, indent=2, ensure_ascii=False))
    if args.write:
        from tests.bench.bench_import import write_section as write_import_section

        write_import_section(args.write, imported)
    # --- the same import as the console runs it: a job with its progress watched (issue 15) ---------------------
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_import", "--members", members, "--job"],
        capture_output=True,
        text=True,
        check=True,
    )
    job = json.loads(done.stdout)
    print(json.dumps({"bulk_import_job": job}, indent=2, ensure_ascii=False))
    if args.write:
        from tests.bench.bench_import import write_job_section

        write_job_section(args.write, job)
    # --- the hotline through the gateway, every process running (tests/bench/bench_dispatch.py) --------------
    from tests.bench.bench_dispatch import main_with as dispatch_bench

    dispatch_bench(quick=args.quick, write=args.write)
    # --- the console in front of it, with Chromium watching the desk (tests/bench/bench_console.py) ------------
    from tests.bench.bench_console import main_with as console_bench

    console_bench(quick=args.quick, write=args.write)
    from tests.bench.bench_console_tree import main_with as tree_bench  # the tree browser at 1,000,000 members

    tree_bench(quick=args.quick, write=args.write)
    # --- training: an assembly's check-ins through the gateway, standing and below-target at 1,000,000 members,
    # the points ledger consuming dispatch's events (tests/bench/bench_training*.py) -------------------------------
    from tests.bench.bench_training import main_with as checkin_bench
    from tests.bench.bench_training_points import main_with as ledger_bench
    from tests.bench.bench_training_standing import main_with as standing_bench

    checkin_bench(quick=args.quick, write=args.write)
    standing_bench(quick=args.quick, write=args.write)
    ledger_bench(quick=args.quick, write=args.write)


if __name__ == "__main__":
    main()
