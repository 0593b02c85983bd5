"""Photos uploaded to documents (issue 14): the browser's presigned PUT through the gateway's object route against
a plain S3 PUT of the same file by the minio client, interleaved side by side.

    .venv/bin/python -m tests.bench.bench_documents_uploads [--quick] [--write docs/benchmarks.md]

Starts its own servers and every component (``running_platform``), with documents signing its upload URLs for the
gateway's address (``REDCELL_DOCUMENTS__PUBLIC_S3_URL``, as deployed). Then 200 photos of 3 MB (40 with
``--quick``), one at a time: for each, the API grants the upload (``POST /api/documents/uploads``), the photo is
PUT to the presigned URL (through the gateway to SeaweedFS), and the upload is confirmed (the service reads the
object back: type, size, SHA-256); beside it the same bytes are PUT straight to the store by the minio client.
Reported: medians of the PUT alone and of the whole upload (grant + PUT + confirm) against the plain PUT, and
their ratios as throughputs (plain time / our time; the goal is >= 0.9 for the PUT). Figures only: the goal is
printed beside them, never asserted. Not collected by pytest.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
from minio import Minio

import tests.platform.platform as platform_module
from deploy import local_servers
from tests.bench.cli import run_section
from tests.bench.report import replace_section
from tests.platform.platform import auth, login, running_platform
from tests.platform.plugin import settings_for

SECTION = "## Documents: photo uploads (issue 14)"
GOALS = {"photos": 200, "bytes": 3 * 1000 * 1000, "ratio": 0.9}
UPLOADS = "/api/documents/uploads"


def photo(base: bytes, i: int) -> bytes:
    """A distinct 3 MB "JPEG" (its magic bytes, then noise): the store sees a new object each time."""
    return base[:-8] + i.to_bytes(8, "big")


def pinned_ports(count: int) -> list[int]:
    """The platform's ports chosen before it starts, so documents can be told the gateway's address."""
    chosen = local_servers.free_ports(count)

    def same(n: int, **_: Any) -> list[int]:
        assert n == count
        return chosen

    platform_module.free_ports = same  # type: ignore[assignment]
    return chosen


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 1)


def one_upload(http: httpx.Client, gateway: str, token: str, root: str, data: bytes) -> tuple[float, float]:
    """(seconds of the presigned PUT, seconds of grant + PUT + confirm) for one photo."""
    body = {
        "typeCode": "photo",
        "title": "主题党日活动照片",
        "filename": "IMG_0001.jpg",
        "contentType": "image/jpeg",
        "sizeBytes": len(data),
        "unitPath": root,
    }
    started = time.perf_counter()
    granted = http.post(f"{gateway}{UPLOADS}", json=body, headers=auth(token))
    assert granted.status_code == 201, granted.text
    grant = granted.json()["upload"]
    put_started = time.perf_counter()
    put = http.put(grant["url"], content=data, headers=grant["headers"])
    put_s = time.perf_counter() - put_started
    assert put.status_code == 200, put.text
    confirmed = http.post(f"{gateway}{UPLOADS}/{granted.json()['versionId']}/confirm", json={}, headers=auth(token))
    assert confirmed.status_code == 200, confirmed.text
    return put_s, time.perf_counter() - started


def measure(gateway: str, token: str, root: str, s3: Any, photos: int) -> dict[str, Any]:
    base = b"\xff\xd8\xff\xe0" + uuid.uuid4().bytes * (GOALS["bytes"] // 16)
    base = base[: GOALS["bytes"]]
    store = Minio(s3.endpoint, s3.access_key, s3.secret_key.get_secret_value(), secure=False, region=s3.region)
    puts: list[float] = []
    flows: list[float] = []
    plains: list[float] = []
    with httpx.Client(timeout=120) as http:
        for i in range(photos):
            data = photo(base, i)

            def plain(i: int = i, data: bytes = data) -> float:
                started = time.perf_counter()
                store.put_object(s3.bucket, f"bench/plain/{i}", _Reader(data), len(data), "image/jpeg")
                return time.perf_counter() - started

            if i % 2:  # alternate which goes first, so neither always meets a warmer store
                plains.append(plain())
                put_s, flow_s = one_upload(http, gateway, token, root, data)
            else:
                put_s, flow_s = one_upload(http, gateway, token, root, data)
                plains.append(plain())
            puts.append(put_s)
            flows.append(flow_s)
    plain_ms, put_ms, flow_ms = median_ms(plains), median_ms(puts), median_ms(flows)
    return {
        "photos": photos,
        "bytes": GOALS["bytes"],
        "plain_put_p50_ms": plain_ms,
        "presigned_put_p50_ms": put_ms,
        "upload_p50_ms": flow_ms,
        "put_ratio": round(plain_ms / put_ms, 2),
        "upload_ratio": round(plain_ms / flow_ms, 2),
        "plain_mb_per_s": round(GOALS["bytes"] / 1e6 / (plain_ms / 1000), 1),
        "presigned_mb_per_s": round(GOALS["bytes"] / 1e6 / (put_ms / 1000), 1),
    }


class _Reader:
    """``put_object`` reads from a stream: this one hands out the photo's bytes without copying them."""

    def __init__(self, data: bytes) -> None:
        self.view = memoryview(data)
        self.at = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.view) if size < 0 else min(len(self.view), self.at + size)
        chunk = bytes(self.view[self.at : end])
        self.at = end
        return chunk


def section(r: dict[str, Any]) -> str:
    return f"""{SECTION}

{r["photos"]} photos of {r["bytes"] / 1e6:.0f} MB, one at a time, interleaved: each through the API (grant, PUT to
the presigned URL through the gateway's `/<bucket>/` route to SeaweedFS, confirm: the service reads it back for
type, size and SHA-256) and the same bytes PUT straight to the store by the minio client. Ratios are throughputs
(plain time / ours).

| | median (ms) | MB/s | ratio to plain |
|---|---|---|---|
| plain S3 PUT (minio client, direct) | {r["plain_put_p50_ms"]} | {r["plain_mb_per_s"]} | 1 |
| presigned PUT through the gateway | {r["presigned_put_p50_ms"]} | {r["presigned_mb_per_s"]} | **{r["put_ratio"]}** \
(goal >= {GOALS["ratio"]}) |
| whole upload: grant + PUT + confirm | {r["upload_p50_ms"]} | | {r["upload_ratio"]} |
"""


def main_with(*, quick: bool = False, write: Path | None = None) -> dict[str, Any]:
    photos = 40 if quick else int(GOALS["photos"])
    root = Path(tempfile.mkdtemp(prefix="redcell-bench-documents-"))
    state = local_servers.up(root, durable=False)
    settings = settings_for(state)
    env = {**state.env(), "REDCELL_ENV": "test", "REDCELL_LOG_LEVEL": "WARNING"}
    ports = pinned_ports(len(platform_module.COMPONENTS))
    gateway_port = ports[list(platform_module.COMPONENTS).index("gateway")]
    extra = {
        "REDCELL_DOCUMENTS__PUBLIC_S3_URL": f"http://127.0.0.1:{gateway_port}",
        "REDCELL_GATEWAY__TENANT_RATE_PER_MINUTE": "100000000",
        "REDCELL_GATEWAY__USER_RATE_PER_MINUTE": "100000000",
    }
    try:
        with running_platform(env, **extra) as platform:
            admin = login(platform.gateway, platform.a.admin)["accessToken"]
            assert jwt.decode(admin, options={"verify_signature": False})["tenant"]
            measure(platform.gateway, admin, platform.a.root_path, settings.s3, 3)  # warm-up
            results = measure(platform.gateway, admin, platform.a.root_path, settings.s3, photos)
    finally:
        local_servers.down(root, remove=True)
    print(json.dumps(results, indent=2))
    if write is not None:
        replace_section(write, SECTION, section(results))
    return results


if __name__ == "__main__":
    run_section(main_with)
