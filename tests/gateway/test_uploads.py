"""Request bodies through the gateway: 1 MiB, except the routes that take uploads (imports, photos), which are
let through up to their own limit, and only those routes (``*`` in an upload route is one path segment)."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deploy.local_servers import free_ports
from gateway.app import create_app
from gateway.proxy.forward import upload_patterns
from gateway.proxy.settings import MIB, ProxySettings
from shared.settings import Settings
from tests.dispatch.receivers import serving
from tests.gateway.support import PASSWORD, is_problem, provision

PHOTO = b"\xff\xd8\xff" + bytes(3 * MIB - 3)  # a 3 MiB JPEG, as phones take them


@pytest.fixture
async def upstream() -> AsyncIterator[str]:
    """A stand-in for dispatch and the console: answers how many bytes of the body reached it."""

    async def received(request: web.Request) -> web.Response:
        return web.json_response({"path": request.path, "bytes": len(await request.read())})

    app = web.Application(client_max_size=64 * MIB)
    app.router.add_route("*", "/{tail:.*}", received)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_ports(1)[0]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def gateway_url(gateway_settings: Settings, upstream: str) -> AsyncIterator[str]:
    proxy = ProxySettings(upstreams={"dispatch": upstream}, console_url=upstream)  # the upload routes as shipped
    async with serving(create_app(gateway_settings, proxy)) as url:
        yield url


@pytest.fixture
async def token(gateway_url: str, system_sessions: async_sessionmaker[AsyncSession]) -> str:
    district = await provision(system_sessions, "upload")
    async with httpx.AsyncClient(base_url=gateway_url) as http:
        response = await http.post("/auth/login", json={"username": district.admin, "password": PASSWORD})
    assert response.status_code == 200, response.text
    access: str = response.json()["accessToken"]
    return access


async def test_a_photo_reaches_the_routes_that_take_photos(gateway_url: str, token: str) -> None:
    some = uuid.uuid4()
    paths = [  # the volunteer's forms post photos through the console, which files them in documents
        f"/console/volunteer/tasks/{some}/completion",
        f"/console/volunteer/wishes/{some}/fulfilment",
    ]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as http:
        for path in paths:
            response = await http.post(path, content=PHOTO, headers=headers)
            assert response.status_code == 200, (path, response.text)
            assert response.json() == {"path": path, "bytes": len(PHOTO)}
        # beyond the console's own 11 MiB, the gateway refuses before anything is sent on
        too_large = await http.post(
            f"/console/volunteer/tasks/{some}/completion", content=bytes(11 * MIB + 1), headers=headers
        )
        assert is_problem(too_large, 413)["detail"] == f"request body exceeds {11 * MIB} bytes"


async def test_a_large_body_elsewhere_is_refused(gateway_url: str, token: str) -> None:
    some = uuid.uuid4()
    paths = [
        "/api/dispatch/tickets",
        f"/api/dispatch/tickets/{some}/claim",
        f"/api/dispatch/wishes/{some}/fulfil",
        "/api/dispatch/wishes",
        "/console/sign-in",
        f"/console/volunteer/tasks/{some}/arrival",
        "/console/volunteer/wishes",
    ]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as http:
        for path in paths:
            response = await http.post(path, content=PHOTO, headers=headers)
            assert is_problem(response, 413)["detail"] == f"request body exceeds {MIB} bytes", path


def _limits(app: Any) -> list[tuple[str, int]]:
    """(a path with made-up ids, its body limit) of every handler allowing more than the default 1 MiB."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            limit = handler.resolve_request_max_body_size()
            if limit and limit > MIB:
                found.append((re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path), limit))
    return found


def test_every_route_that_takes_a_large_body_has_its_upload_route_at_the_gateway(settings: Settings) -> None:
    """The console's photo forms take up to 10 MiB (and the form around it; dispatch takes no photos now): the
    gateway's defaults let exactly those through, at least as much as the service itself accepts."""
    from services.console.app import create_app as console_app
    from services.dispatch.app import create_app as dispatch_app

    patterns = upload_patterns(ProxySettings().upload_routes)
    large = _limits(dispatch_app(settings)) + _limits(console_app(settings))
    assert large, "no upload routes found"
    for path, limit in large:
        allowed = next((n for pattern, n in patterns if pattern.match(path)), MIB)
        assert allowed + 1 >= limit, (path, limit, allowed)  # the services allow one byte over to say so themselves
