"""The operators' live stream over real HTTP: a district's ticket changes reach its staff, and nobody else's."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.dispatch.app import create_app
from services.dispatch.notifications.stream import TicketStream
from shared.auth.principal import Principal
from shared.db.urls import admin_url, database_url, plain_dsn
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, operator
from tests.dispatch.receivers import serving
from tests.dispatch.test_intake import new_ticket
from tests.orgtree.builders import mobile
from tests.platform.tokens import TestIssuer


class Events:
    """Server-sent events read off a live response, one (kind, data) at a time; comments as ("comment", text)."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next(self) -> tuple[str, Any]:
        kind, data, comment = "message", None, None
        async for line in self.lines:
            if line == "":
                if data is not None:
                    return kind, json.loads(data)
                if comment is not None:
                    return "comment", comment
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "":
                comment = value
            elif field == "event":
                kind = value
            elif field == "data":
                data = value
        raise AssertionError("the stream ended")

    async def next_ticket(self) -> dict[str, Any]:
        while True:
            kind, data = await self.next()
            if kind == "ticket":
                result: dict[str, Any] = data
                return result


@pytest.fixture
async def api(settings: Settings, issuer: TestIssuer, dispatch_db: AsyncEngine) -> AsyncIterator[str]:
    async with serving(create_app(settings, verifier=issuer.verifier())) as url:
        yield url


@asynccontextmanager
async def subscribed(api: str, headers: dict[str, str]) -> AsyncIterator[Events]:
    async with (
        httpx.AsyncClient(base_url=api, timeout=httpx.Timeout(10, read=60)) as http,
        http.stream("GET", "/api/dispatch/stream", headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        assert await events.next() == ("comment", "listening")  # subscribed, and LISTEN is on
        yield events


async def create(api: str, district: District, issuer: TestIssuer, **overrides: object) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api) as http:
        response = await http.post("/api/dispatch/tickets", json=new_ticket(district, **overrides),
                                   headers=operator(issuer, district))  # fmt: skip
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()["ticket"]
    return ticket


async def test_a_ticket_created_in_a_district_reaches_its_subscribers_only(
    api: str, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    async with (
        subscribed(api, operator(issuer, district_a)) as in_a,
        subscribed(api, operator(issuer, district_b)) as in_b,
    ):
        made_in_a = await create(api, district_a, issuer)
        seen = await in_a.next_ticket()
        assert (seen["ticket"], seen["number"], seen["action"], seen["status"]) == (
            made_in_a["id"], made_in_a["number"], "created", "new",
        )  # fmt: skip
        assert "tenant" not in seen
        assert "gridPath" not in seen
        # Changes reach every subscriber in commit order: B's first event is B's own ticket, not A's.
        made_in_b = await create(api, district_b, issuer)
        assert (await in_b.next_ticket())["ticket"] == made_in_b["id"]


async def test_scoped_staff_see_only_their_subtrees_changes(api: str, issuer: TestIssuer, district_a: District) -> None:
    other_grid, my_grid = district_a.grids
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[my_grid])
    async with subscribed(api, leader) as mine:
        await create(api, district_a, issuer, householdId=None, gridId=str(other_grid), callerPhone=mobile(41))
        await create(api, district_a, issuer, householdId=None, callerPhone=mobile(42))  # no grid yet
        in_my_grid = await create(api, district_a, issuer, householdId=None, gridId=str(my_grid))
        assert (await mine.next_ticket())["ticket"] == in_my_grid["id"]


async def test_only_staff_with_a_district_token_may_subscribe(
    api: str, issuer: TestIssuer, district_a: District
) -> None:
    async with httpx.AsyncClient(base_url=api) as http:
        assert (await http.get("/api/dispatch/stream")).status_code == 401
        volunteer = bearer(issuer, district_a.id, ["volunteer"])
        assert (await http.get("/api/dispatch/stream", headers=volunteer)).status_code == 403
        platform = bearer(issuer, None, ["platform_operator"])
        assert (await http.get("/api/dispatch/stream", headers=platform)).status_code == 403


async def test_the_stream_listens_again_after_losing_its_connection(
    api: str, settings: Settings, issuer: TestIssuer, district_a: District
) -> None:
    async with subscribed(api, operator(issuer, district_a)) as events:
        admin = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_dispatch")))
        try:
            killed = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'redcell-dispatch-stream'"
            )
        finally:
            await admin.close()
        assert killed >= 1
        while (await events.next())[0] != "resync":  # told to reload: changes in the gap were missed
            pass
        made = await create(api, district_a, issuer)
        assert (await events.next_ticket())["ticket"] == made["id"]


async def test_an_idle_stream_sends_heartbeats_and_unsubscribes_when_closed(
    settings: Settings, district_a: District, dispatch_db: AsyncEngine
) -> None:
    stream = TicketStream(plain_dsn(database_url(settings, "dispatch", "app")), heartbeat_s=0.05)
    await stream.start()
    try:
        principal = Principal(user_id=district_a.id, tenant_id=district_a.id, roles=frozenset({"hotline_operator"}))
        events = stream.events(principal)
        assert isinstance(events, AsyncGenerator)
        first = await anext(events)
        assert first.comment == "listening"
        assert stream.subscribers == 1
        assert (await anext(events)).comment == "heartbeat"
        await events.aclose()
        assert stream.subscribers == 0
    finally:
        await stream.stop()
