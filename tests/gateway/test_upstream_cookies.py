"""One upstream session serves every user of the gateway: a cookie an upstream sets goes to that user's browser
and is never sent with another user's request (a client's default cookie jar would keep it for the host)."""

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


@pytest.fixture
async def console() -> AsyncIterator[str]:
    """A stand-in console at a host name (an IP address would keep the cookie out of a jar anyway)."""

    async def page(request: web.Request) -> web.Response:
        response = web.json_response({"cookie": request.headers.get("Cookie")})
        if request.path == "/console/sign-in":
            response.set_cookie("session", "alice", httponly=True)
        return response

    app = web.Application()
    app.router.add_route("*", "/console/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://localhost:{port}"
    await runner.cleanup()


async def test_a_cookie_set_for_one_user_never_reaches_another(gateway_settings: Settings, console: str) -> None:
    proxy = ProxySettings(upstreams={}, console_url=console)
    async with serving(create_app(gateway_settings, proxy)) as url:
        async with httpx.AsyncClient(base_url=url) as alice:
            signed_in = await alice.get("/console/sign-in")
        assert signed_in.status_code == 200, signed_in.text
        assert "session=alice" in signed_in.headers["set-cookie"]  # Alice's browser gets it
        async with httpx.AsyncClient(base_url=url) as bob:
            anonymous = await bob.get("/console/desk")
            with_own = await bob.get("/console/desk", headers={"Cookie": "session=bob"})
    assert anonymous.json() == {"cookie": None}
    assert with_own.json() == {"cookie": "session=bob"}
