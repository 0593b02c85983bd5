"""The districts' public boards pass the gateway without a token, out of the box; documents' other routes do not."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from deploy.local_servers import free_ports
from gateway.app import create_app
from gateway.proxy.settings import ProxySettings
from shared.settings import Settings
from tests.dispatch.receivers import serving


async def echo(request: web.Request) -> web.Response:
    return web.json_response({"path": request.path, "token": "Authorization" in request.headers})


@pytest.fixture
async def documents_url() -> AsyncIterator[str]:
    """A stand-in documents service answering every path."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_a_districts_boards_are_public_by_default_and_the_rest_of_documents_is_not(
    gateway_settings: Settings, documents_url: str
) -> None:
    proxy = ProxySettings(upstreams={"documents": documents_url})  # the default public routes
    async with serving(create_app(gateway_settings, proxy)) as url, httpx.AsyncClient(base_url=url) as http:
        board = "/api/documents/public/wenzhou-longwan/boards/three_affairs"
        answer = await http.get(board)
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"path": board, "token": False}
        assert (await http.get("/api/documents/boards")).status_code == 401
        assert (await http.get("/api/documents/public")).status_code == 401  # the prefix ends with its slash
        assert (await http.get("/api/documents/public/%2e%2e/documents")).status_code == 401
