"""Same-origin access to the object store: ``/<bucket>/...`` goes to the store unchanged, bodies streamed both ways.

Browsers upload documents' files with presigned PUTs (and fetch them with presigned GETs) that the documents
service signs for the gateway's public address, so the console's page and the file share one origin (no CORS on
the bucket) and district intranets that reach the platform reach the store too. No token is asked for: the
presigned signature is the authorisation, and the store checks it. The Host header is kept as the browser sent
it, because SigV4 signs it; only GET, HEAD and PUT (a whole file or one part of a multipart upload) pass.
"""

from __future__ import annotations

import time
from typing import Any, cast

import aiohttp
import yarl
from litestar.types import Receive, Scope, Send

from gateway.proxy.forward import _HOP_BY_HOP as _API_DROP
from gateway.proxy.forward import _RESPONSE_DROP, PROXIED, Upstreams, _body_chunks
from shared.http.middleware import send_problem
from shared.logging import get_logger
from shared.settings import S3Settings

log = get_logger(__name__)
METHODS = frozenset({"GET", "HEAD", "PUT"})
# What the API proxy drops, but Host and the forwarding headers: SigV4 signs Host, and the store may verify
# against X-Forwarded-Host (SeaweedFS does), so both reach it as the browser (or the ingress) sent them.
_DROP = _API_DROP - {b"host", b"x-forwarded-for", b"x-forwarded-proto", b"x-forwarded-host"}


def objects_prefix(s3: S3Settings) -> str:
    return f"/{s3.bucket}/"


class ObjectRoute:
    def __init__(self, s3: S3Settings, upstreams: Upstreams, timeout_s: float) -> None:
        self.base = ("https://" if s3.secure else "http://") + s3.endpoint
        self.upstreams = upstreams
        self.timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=timeout_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = cast("Any", scope)["method"]
        if method not in METHODS:
            await send_problem(send, 405, "Method Not Allowed", "objects are read and written with GET, HEAD and PUT")
            return
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if raw else scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        url = yarl.URL(self.base + path + ("?" + query if query else ""), encoded=True)  # as signed, byte for byte
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"] if k not in _DROP]
        sized = any(k == b"content-length" for k, _ in scope["headers"])
        body = _body_chunks(receive) if method == "PUT" or sized else None
        started = time.perf_counter()
        status = "5xx"
        try:
            async with self.upstreams.session.request(
                method, url, headers=headers, data=body, allow_redirects=False, timeout=self.timeout
            ) as response:
                status = f"{response.status // 100}xx"
                await self._relay(response, send)
        except TimeoutError:
            log.warning("object store timed out")
            await send_problem(send, 504, "Gateway Timeout", "the object store did not answer in time")
        except aiohttp.ClientConnectionError:
            log.warning("object store unreachable")
            await send_problem(send, 502, "Bad Gateway", "the object store is unreachable")
        finally:
            PROXIED.labels("objects", status).observe(time.perf_counter() - started)

    @staticmethod
    async def _relay(response: aiohttp.ClientResponse, send: Send) -> None:
        raw_headers = [
            (k.lower(), v) for k, v in response.raw_headers if k.decode("latin-1").lower() not in _RESPONSE_DROP
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
        async for chunk in response.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
