"""The streaming proxy: ``/api/<service>/...`` goes to that service unchanged, bodies streamed both ways.

Authentication has already run (the gateway's auth middleware put the verified Principal in the
scope); the proxy adds rate limits, the request id and forwarding headers. Services verify the JWT
again themselves: the gateway is not the only line of defence.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from typing import Any, cast

import aiohttp
from litestar.types import Receive, Scope, Send
from prometheus_client import Histogram

from gateway.proxy.ratelimit import RateLimiter
from gateway.proxy.settings import ProxySettings
from gateway.proxy.upstream import (
    UpstreamError,
    UpstreamPool,
    UpstreamResponse,
    UpstreamTimeoutError,
    UpstreamUnreachableError,
)
from shared.auth.frontend import HEADER as FRONTEND_HEADER
from shared.auth.frontend import from_frontend
from shared.auth.principal import Principal
from shared.context import current_request_id
from shared.http.middleware import send_problem
from shared.http.problems import RETRY_AFTER_S
from shared.logging import get_logger

log = get_logger(__name__)
RETRY_AFTER = str(RETRY_AFTER_S).encode()  # a service that is down or restarting: as the services' own 503s say
PROXIED = Histogram(
    "redcell_gateway_proxied_seconds",
    "Requests through the gateway by service and status class",
    ["service", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

# Hop-by-hop headers (RFC 9110 section 7.6.1) never cross a proxy.
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"host",
        b"x-request-id",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"expect",  # the gateway has the body already (the server answered any 100-continue)
        FRONTEND_HEADER.encode(),  # the console's key proves something to the gateway only
    }
)
_RESPONSE_DROP = frozenset({"connection", "keep-alive", "transfer-encoding", "trailer", "upgrade", "x-request-id"})
_RESPONSE_DROP_BYTES = frozenset(name.encode() for name in _RESPONSE_DROP)
_BODYLESS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})  # methods sent without a body unless one is announced
_SMALL_BODY = 64 * 1024
_KEPT_LIMITS = 10_000  # tokens whose rate-limit counters' names are kept
# Console pages that act for someone without a token (signing in, a resident's request): their POSTs are counted
# per client address here, as the public API's would be (the console's own calls then skip that count).
_COUNTED_SITE = ("/console/sign-in", "/console/r/")


def upload_patterns(routes: dict[str, int]) -> list[tuple[re.Pattern[str], int]]:
    """``upload_routes`` as patterns: an entry is a path prefix in which ``*`` stands for one segment (an id)."""
    return [(re.compile("[^/]+".join(map(re.escape, prefix.split("*")))), limit) for prefix, limit in routes.items()]


class Upstreams:
    """Keep-alive connections to every service and the console, opened with the app: a lean pool per upstream
    for requests with their body in hand (upstream.py), one aiohttp session for streams and the object store."""

    def __init__(self, settings: ProxySettings) -> None:
        self.settings = settings
        self.bases = {name: url.rstrip("/") for name, url in settings.upstreams.items()}
        self.site = settings.console_url.rstrip("/") or None
        self._session: aiohttp.ClientSession | None = None
        self.pools: dict[str, UpstreamPool] = {}

    async def open(self) -> None:
        for base in [*self.bases.values(), *([self.site] if self.site else [])]:
            self.pools[base] = UpstreamPool(base, limit=self.settings.upstream_connections)
        connector = aiohttp.TCPConnector(
            limit=self.settings.upstream_connections, ttl_dns_cache=300, keepalive_timeout=30
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=self.settings.upstream_timeout_s),
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Accept", "Content-Type"),
            # One session serves every user: a cookie an upstream sets belongs to that user's browser alone, never
            # to the session (aiohttp's default jar would send it with everyone's later requests to that host).
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def close(self) -> None:
        for pool in self.pools.values():
            await pool.close()
        if self._session is not None:
            await self._session.close()

    @property
    def session(self) -> aiohttp.ClientSession:
        assert self._session is not None, "Upstreams.open() was not called"
        return self._session


def _client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _body_chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunk: bytes = cast("bytes", message.get("body", b""))
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


async def _read_small_body(receive: Receive) -> bytes:
    parts = [chunk async for chunk in _body_chunks(receive)]
    return b"".join(parts)


async def _relay_lean(response: UpstreamResponse, send: Send) -> None:
    headers = [(name, value) for name, value in response.headers if name not in _RESPONSE_DROP_BYTES]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    whole = response.whole_body()
    if whole is not None:  # the common case: all of it arrived with the head
        await send({"type": "http.response.body", "body": whole, "more_body": False})
        return
    async for chunk in response.chunks():
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class Proxy:
    def __init__(
        self,
        upstreams: Upstreams,
        limiter: RateLimiter,
        settings: ProxySettings,
        max_body_bytes: int,
        *,
        frontend_key: str | None = None,
    ) -> None:
        self.upstreams = upstreams
        self.limiter = limiter
        self.settings = settings
        self.max_body_bytes = max_body_bytes
        self.frontend_key = frontend_key.encode() if frontend_key else None
        self._uploads = upload_patterns(settings.upload_routes)
        self._timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=settings.upstream_timeout_s)
        self._upload_timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=settings.upload_timeout_s)
        self._stream_timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=settings.stream_timeout_s)
        self._public = tuple(settings.public_routes)
        self._streams = tuple(settings.stream_routes)
        self._limits: dict[str, list[tuple[str, int]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Litestar hands a mount the path below "/api"; forward the original, still percent-encoded.
        raw = scope.get("raw_path")
        path: str = raw.decode("latin-1") if raw else "/api" + scope["path"]
        service = path.split("/", 3)[2] if path.count("/") >= 2 else ""
        base = self.upstreams.bases.get(service)
        if base is None:
            await send_problem(send, 404, "Not Found", f"no service is routed at /api/{service}")
            return
        principal = scope.get("user")
        if isinstance(principal, Principal):
            if await self._over_limit(principal, send):
                return
        elif self.is_public(scope["path"]):
            # the console's calls for residents: it counted them per address as they arrived (_COUNTED_SITE)
            if not from_frontend(scope["headers"], self.frontend_key) and await self.over_address_limit(scope, send):
                return
        else:  # the auth middleware guarantees a principal off public routes; keep the proxy safe alone
            await send_problem(send, 401, "Unauthorized", "a bearer token is required")
            return

        await self._forward(scope, receive, send, base, path=path, service=service)

    async def site(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The web console (``/console/...``): no bearer token (it keeps its own session cookie), no per-user
        limit; sign-in attempts and residents' requests are limited per client address like ``/auth/login`` and
        the public API."""
        base = self.upstreams.site
        if base is None:
            await send_problem(send, 404, "Not Found", "no console is routed here")
            return
        path: str = scope["raw_path"].decode("latin-1") if scope.get("raw_path") else scope["path"]
        method: str = cast("Any", scope)["method"]
        if method == "POST" and scope["path"].startswith(_COUNTED_SITE) and await self.over_address_limit(scope, send):
            return
        await self._forward(scope, receive, send, base, path=path, service="console")

    async def _forward(self, scope: Scope, receive: Receive, send: Send, base: str, *, path: str, service: str) -> None:
        method: str = cast("Any", scope)["method"]
        content_length = next((int(v) for k, v in scope["headers"] if k == b"content-length" and v.isdigit()), None)
        upload_limit = next((n for pattern, n in self._uploads if pattern.match(path)), None)
        limit = upload_limit or self.max_body_bytes
        if content_length is not None and content_length > limit:
            await send_problem(send, 413, "Content Too Large", f"request body exceeds {limit} bytes")
            return
        query: bytes = scope.get("query_string", b"")
        target = path + ("?" + query.decode("latin-1") if query else "")
        streaming = path.startswith(self._streams)
        small = content_length is not None and content_length <= _SMALL_BODY
        if not streaming and method != "HEAD" and (small or (content_length is None and method in _BODYLESS)):
            # the hot path: the body (if any) in hand, the answer relayed by the lean client
            whole = await _read_small_body(receive) if small else b""
            if len(whole) != (content_length or 0):  # the client went before its body was whole: nobody to answer
                return
            timeout_s = self.settings.upload_timeout_s if upload_limit else self.settings.upstream_timeout_s
            pool = self.upstreams.pools[base]
            request = self._request_head(scope, method, target, pool.authority) + whole
            await self._forward_lean(send, pool, method, request, service=service, timeout_s=timeout_s)
            return
        body: Any = None if method in _BODYLESS and content_length is None else _body_chunks(receive)
        started = time.perf_counter()
        status = "5xx"
        try:
            timeout = self._stream_timeout if streaming else self._upload_timeout if upload_limit else self._timeout
            async with self.upstreams.session.request(
                method,
                base + target,
                headers=self._forward_headers(scope),
                data=body,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                status = f"{response.status // 100}xx"
                if streaming:
                    await self._relay_stream(response, receive, send)
                else:
                    await self._relay_response(response, send)
        except TimeoutError:
            log.warning("upstream timed out", service=service)
            await send_problem(send, 504, "Gateway Timeout", f"the {service} service did not answer in time")
        except aiohttp.ClientConnectorError:
            await _unreachable(send, service)
        except aiohttp.ClientConnectionError:
            log.warning("upstream broke off", service=service)
            await send_problem(send, 502, "Bad Gateway", f"the {service} service broke off its answer")
        finally:
            PROXIED.labels(service, status).observe(time.perf_counter() - started)

    async def _forward_lean(
        self, send: Send, pool: UpstreamPool, method: str, request: bytes, *, service: str, timeout_s: float
    ) -> None:
        started = time.perf_counter()
        response: UpstreamResponse | None = None
        try:
            response = await pool.request(method, request, read_timeout_s=timeout_s)
        except UpstreamTimeoutError:
            log.warning("upstream timed out", service=service)
            await send_problem(send, 504, "Gateway Timeout", f"the {service} service did not answer in time")
        except UpstreamUnreachableError:
            await _unreachable(send, service)
        except UpstreamError:
            log.warning("upstream broke off", service=service)
            await send_problem(send, 502, "Bad Gateway", f"the {service} service broke off its answer")
        try:
            if response is not None:
                await _relay_lean(response, send)
        finally:
            if response is not None:
                response.close()
            status = f"{response.status // 100}xx" if response is not None else "5xx"
            PROXIED.labels(service, status).observe(time.perf_counter() - started)

    def _request_head(self, scope: Scope, method: str, target: str, authority: bytes) -> bytes:
        """The request line and headers as the upstream is sent them: the client's, less hop-by-hop ones, plus
        the request id and where the request came from (header names are lower case in ASGI)."""
        parts = [f"{method} {target} HTTP/1.1\r\nhost: ".encode("latin-1"), authority, b"\r\n"]
        host = None
        for name, value in scope["headers"]:
            if name not in _HOP_BY_HOP:
                parts += (name, b": ", value, b"\r\n")
            elif name == b"host":
                host = value
        request_id = current_request_id.get()
        if request_id:
            parts += (b"x-request-id: ", request_id.encode("latin-1"), b"\r\n")
        parts += (b"x-forwarded-for: ", _client_ip(scope).encode("latin-1"), b"\r\n")
        parts += (b"x-forwarded-proto: ", scope.get("scheme", "http").encode("latin-1"), b"\r\n")
        if host:  # the address the user typed: the console writes absolute links with it (a QR code's)
            parts += (b"x-forwarded-host: ", host, b"\r\n")
        parts.append(b"\r\n")
        return b"".join(parts)

    async def _over_limit(self, principal: Principal, send: Send) -> bool:
        limits = self._limits.get(principal.token_id or "")
        if limits is None:
            limits = [(f"u:{principal.user_id}", self.settings.user_rate_per_minute)]
            if principal.tenant_id is not None:
                limits.insert(0, (f"t:{principal.tenant_id}", self.settings.tenant_rate_per_minute))
            if principal.token_id:  # the same token comes back many times: its counters' names are kept
                if len(self._limits) >= _KEPT_LIMITS:
                    self._limits.clear()
                self._limits[principal.token_id] = limits
        exceeded, retry_after = self.limiter.check(limits)
        if not exceeded:
            return False
        who = "this district" if principal.tenant_id is not None and exceeded == 1 else "this user"
        await send_problem(
            send,
            429,
            "Too Many Requests",
            f"rate limit for {who} exceeded; retry in {retry_after} s",
            headers=[(b"retry-after", str(retry_after).encode())],
        )
        return True

    def is_public(self, path: str) -> bool:
        """A public route, and no dot segment that could climb out of it in the service behind."""
        return path.startswith(self._public) and ".." not in path.split("/")

    async def over_address_limit(self, scope: Scope, send: Send, *, what: str = "requests") -> bool:
        """Anonymous traffic (public routes, logins) is limited per client address; True when refused (429 sent)."""
        exceeded, retry_after = self.limiter.check(
            [(f"ip:{_client_ip(scope)}", self.settings.anonymous_rate_per_minute)]
        )
        if not exceeded:
            return False
        await send_problem(
            send,
            429,
            "Too Many Requests",
            f"too many {what} from this address; retry in {retry_after} s",
            headers=[(b"retry-after", str(retry_after).encode())],
        )
        return True

    def _forward_headers(self, scope: Scope) -> list[tuple[str, str]]:
        headers = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"] if k.lower() not in _HOP_BY_HOP
        ]
        request_id = current_request_id.get()
        if request_id:
            headers.append(("x-request-id", request_id))
        headers.append(("x-forwarded-for", _client_ip(scope)))
        headers.append(("x-forwarded-proto", scope.get("scheme", "http")))
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
        if host:  # the address the user typed: the console writes absolute links with it (a QR code's)
            headers.append(("x-forwarded-host", host))
        return headers

    async def _relay_response(self, response: aiohttp.ClientResponse, send: Send) -> None:
        raw_headers = [
            (k.lower(), v) for k, v in response.raw_headers if k.decode("latin-1").lower() not in _RESPONSE_DROP
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})
        length = response.content_length
        if length is not None and length <= _SMALL_BODY:  # the common case: one message, not a stream
            await send({"type": "http.response.body", "body": await response.read(), "more_body": False})
            return
        async for chunk in response.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _relay_stream(self, response: aiohttp.ClientResponse, receive: Receive, send: Send) -> None:
        """An endless response (server-sent events): each chunk goes on as it arrives, and the upstream
        request ends when the client disconnects (nothing else would notice until the next heartbeat failed)."""
        raw_headers = [
            (k.lower(), v) for k, v in response.raw_headers if k.decode("latin-1").lower() not in _RESPONSE_DROP
        ]
        await send({"type": "http.response.start", "status": response.status, "headers": raw_headers})

        async def relay() -> None:
            with contextlib.suppress(TimeoutError, aiohttp.ClientPayloadError, aiohttp.ClientConnectionError):
                async for chunk in response.content.iter_any():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def client_gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = [asyncio.ensure_future(relay()), asyncio.ensure_future(client_gone())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(OSError):  # the client may be gone already
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _unreachable(send: Send, service: str) -> None:
    """A service that cannot be connected to is down or restarting: 503 with Retry-After, so clients try again
    (nothing reached it, so nothing was done)."""
    log.warning("upstream unreachable", service=service)
    detail = f"the {service} service is not answering; nothing was sent to it, try again in a few seconds"
    await send_problem(send, 503, "Service Unavailable", detail, headers=[(b"retry-after", RETRY_AFTER)])
