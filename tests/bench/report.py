"""Render benchmark results into docs/benchmarks.md (figures only; the goals come from the issue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _row(label: str, t: dict[str, Any]) -> str:
    return f"| {label} | {t['rps']} | {t['errors']} | {t['gateway_cpu_cores_used']} | {t['rps_per_gateway_core']} |"


def write_report(path: Path, r: dict[str, Any]) -> None:
    o, tg, td, ob = r["gateway_overhead"], r["throughput_gateway"], r["throughput_direct"], r["outbox"]
    te = r["throughput_gateway_echo"]
    text = f"""# Benchmarks

Measured by `make bench` ({r["host"]["date"]}, {r["host"]["cpus"]} cores, Python {r["host"]["python"]}).
Every process, the load generator and PostgreSQL, Redis and SeaweedFS share these cores, so figures are
medians and percentiles of one run, compared side by side within it. The machine is shared and noisy.

## Gateway overhead

`GET /api/orgtree/nodes` (JWT verified by the gateway and again by orgtree, one RLS query), sent
{o["requests_each"]} times directly to orgtree and {o["requests_each"]} times through the gateway,
alternating, one request at a time on warm keep-alive connections.

| | p50 (ms) | p99 (ms) |
|---|---|---|
| direct to orgtree | {o["direct_p50_ms"]} | {o["direct_p99_ms"]} |
| through the gateway | {o["gateway_p50_ms"]} | {o["gateway_p99_ms"]} |
| **added by the gateway** | **{o["added_p50_ms"]}** (goal ≤ 1) | **{o["added_p99_ms"]}** (goal ≤ 5) |

## Throughput

Closed loop, {tg["concurrency"]} connections, {tg["seconds"]} s each, same request. Requests per core divide
the requests served by the CPU seconds the gateway's own process used (goal ≥ 3,000 per core).

| | requests/s | errors | cores used (of the measured process) | requests per core |
|---|---|---|---|---|
{_row("direct to orgtree (orgtree measured)", td)}
{_row("through the gateway (gateway measured)", tg)}
| through the gateway to a trivial upstream | {te["rps"]} | {te["errors"]} | {te["gateway_cpu_cores_used"]} \
| **{te["rps_per_gateway_core"]}** |

With both services, PostgreSQL and the load generator on 2 cores, end-to-end requests/s to orgtree are
bounded by orgtree and PostgreSQL. The last row routes to a trivial upstream (`tests/bench/echo_upstream.py`,
{te["concurrency"]} connections) so that the gateway itself saturates: that is the gateway's capacity per core.

## Outbox: commit → consumer started

`TenantProvisioned` written by the gateway at {ob["rate_per_s"]} events/s for {ob["events"]} events; latency from
the producing transaction's timestamp to the start of orgtree's handler transaction (both PostgreSQL's clock),
through LISTEN/NOTIFY → relay → Redis → dramatiq worker.

| events | delivered | p50 (ms) | p99 (ms) | max (ms) |
|---|---|---|---|---|
| {ob["events"]} | {ob["delivered"]} | {ob["p50_ms"]} | **{ob["p99_ms"]}** (goal ≤ 100) | {ob["max_ms"]} |

Raw results:

```json
{json.dumps(r, indent=2)}
```
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def replace_section(path: Path, heading: str, section: str) -> None:
    """Put ``section`` (starting with ``heading``) in the report: in place of its old text, up to the next
    top-level heading, or at the end; the other sections stay as they are."""
    text = path.read_text() if path.exists() else ""
    start = text.find(heading)
    if start < 0:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
