"""The gateway's public routes (no token, limited per address) and stream routes (relayed as they come)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deploy.local_servers import free_ports
from gateway.app import create_app
from gateway.proxy.settings import ProxySettings
from shared.settings import Settings
from tests.dispatch.receivers import serving
from tests.gateway.support import PASSWORD, provision


@dataclass
class Upstream:
    """A stand-in dispatch service: real HTTP, with a stream that waits for the test between its events."""

    url: str = ""
    release: asyncio.Event = field(default_factory=asyncio.Event)
    gone: asyncio.Event = field(default_factory=asyncio.Event)

    async def public(self, request: web.Request) -> web.Response:
        return web.json_response({"path": request.path, "token": "Authorization" in request.headers})

    async def stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(b"data: 1\n\n")
        await self.release.wait()  # longer than the gateway's ordinary read timeout
        await response.write(b"data: 2\n\n")
        await response.write_eof()
        return response

    async def slow(self, request: web.Request) -> web.Response:
        await self.release.wait()
        return web.json_response({})

    async def endless(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        try:
            while True:
                await response.write(b": heartbeat\n\n")
                await asyncio.sleep(0.05)
        except (ConnectionResetError, asyncio.CancelledError):
            self.gone.set()
            raise


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    peer = Upstream()
    app = web.Application()
    app.router.add_route("*", "/api/dispatch/public/{tail:.*}", peer.public)
    app.router.add_get("/api/dispatch/stream", peer.stream)
    app.router.add_get("/api/dispatch/slow", peer.slow)
    app.router.add_get("/api/dispatch/endless", peer.endless)
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    peer.url = f"http://127.0.0.1:{port}"
    yield peer
    peer.release.set()
    await runner.cleanup()


@pytest.fixture
async def gateway_url(gateway_settings: Settings, upstream: Upstream) -> AsyncIterator[str]:
    proxy = ProxySettings(
        upstreams={"dispatch": upstream.url},
        upstream_timeout_s=0.3,
        anonymous_rate_per_minute=3,
        stream_routes=["/api/dispatch/stream", "/api/dispatch/endless"],
    )
    async with serving(create_app(gateway_settings, proxy)) as url:
        yield url


async def token(gateway_url: str, system_sessions: async_sessionmaker[AsyncSession]) -> str:
    district = await provision(system_sessions, "sse")
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.post("/auth/login", json={"username": district.admin, "password": PASSWORD})
    assert response.status_code == 200, response.text
    access: str = response.json()["accessToken"]
    return access


async def test_public_routes_pass_without_a_token_limited_per_address(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        path = "/api/dispatch/public/8c3e0c5e-8f0b-4f51-9a4e-1f6f1d7f0a11/verifications"
        passed = 0
        while (answer := await http.post(path, json={"phone": "13800000000"})).status_code == 200:
            assert answer.json() == {"path": path, "token": False}
            passed += 1
            assert passed <= 6, "no limit"  # 3 a minute: at most 3 + 3 if the minute turns meanwhile
        assert passed >= 3
        limited = answer
        assert limited.status_code == 429, limited.text
        assert limited.headers["content-type"].startswith("application/problem+json")
        assert int(limited.headers["retry-after"]) >= 1


async def test_only_public_routes_skip_the_token(gateway_url: str) -> None:
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        assert (await http.get("/api/dispatch/tickets")).status_code == 401
        assert (await http.get("/api/dispatch/public")).status_code == 401  # the prefix ends with its slash
        # A dot segment must not climb out of the public prefix in the service behind.
        climbing = await http.get("/api/dispatch/public/%2e%2e/tickets")
        assert climbing.status_code == 401, climbing.text


async def test_a_stream_is_relayed_as_it_comes_and_outlives_the_ordinary_read_timeout(
    gateway_url: str, upstream: Upstream, system_sessions: async_sessionmaker[AsyncSession]
) -> None:
    headers = {"Authorization": f"Bearer {await token(gateway_url, system_sessions)}"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        async with http.stream("GET", "/api/dispatch/stream", headers=headers) as response:
            assert response.status_code == 200
            lines = response.aiter_lines()
            assert await anext(lines) == "data: 1"  # arrives while the upstream still holds the response open
            await asyncio.sleep(0.6)  # silent for twice the gateway's ordinary read timeout
            upstream.release.set()
            rest = [line async for line in lines]
        assert "data: 2" in rest


async def test_an_ordinary_route_is_still_cut_by_the_read_timeout(
    gateway_url: str, system_sessions: async_sessionmaker[AsyncSession]
) -> None:
    headers = {"Authorization": f"Bearer {await token(gateway_url, system_sessions)}"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        response = await http.get("/api/dispatch/slow", headers=headers)
    assert response.status_code == 504


async def test_a_client_leaving_a_stream_ends_the_upstream_request(
    gateway_url: str, upstream: Upstream, system_sessions: async_sessionmaker[AsyncSession]
) -> None:
    headers = {"Authorization": f"Bearer {await token(gateway_url, system_sessions)}"}
    async with (
        httpx.AsyncClient(base_url=gateway_url, timeout=30) as http,
        http.stream("GET", "/api/dispatch/endless", headers=headers) as response,
    ):
        assert await anext(response.aiter_lines()) == ": heartbeat"
    await upstream.gone.wait()  # without the gateway noticing, this would wait forever (pytest-timeout fails it)
