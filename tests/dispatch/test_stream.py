"""The operators' live stream over real HTTP: a district's ticket changes reach its staff, and nobody else's."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.dispatch.app import create_app
from services.dispatch.notifications.replay import ReplayBuffer
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
        self.id: str | None = None  # the id of the last event read that had one, as EventSource keeps it

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
            elif field == "id":
                self.id = value
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
async def subscribed(api: str, headers: dict[str, str], last_event_id: str | None = None) -> AsyncIterator[Events]:
    resume = {"Last-Event-ID": last_event_id} if last_event_id else {}
    async with (
        httpx.AsyncClient(base_url=api, timeout=httpx.Timeout(10, read=60)) as http,
        http.stream("GET", "/api/dispatch/stream", headers=headers | resume) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = Events(response)
        assert await events.next() == ("comment", "listening")  # subscribed, and LISTEN is on
        yield events


async def create(api: str, district: District, issuer: TestIssuer, **overrides: object) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=api) as http:
        response = await http.post(
            "/api/dispatch/tickets", json=new_ticket(district, **overrides), headers=operator(issuer, district)
        )
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
            made_in_a["id"],
            made_in_a["number"],
            "created",
            "new",
        )
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


async def test_a_desk_that_reconnects_gets_what_it_missed_then_live_changes(
    api: str, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    desk = operator(issuer, district_a)
    async with subscribed(api, desk) as events:
        seen = await create(api, district_a, issuer)
        assert (await events.next_ticket())["ticket"] == seen["id"]
        last_seen = events.id
    assert last_seen is not None
    missed = await create(api, district_a, issuer, callerPhone=mobile(51))  # while the desk was away
    await create(api, district_b, issuer)  # another district's change is not replayed to this desk
    async with subscribed(api, desk, last_event_id=last_seen) as resumed:
        replayed = await resumed.next()
        assert replayed[0] == "ticket"
        assert (replayed[1]["ticket"], replayed[1]["action"]) == (missed["id"], "created")
        assert resumed.id not in (None, last_seen)
        live = await create(api, district_a, issuer, callerPhone=mobile(52))
        assert (await resumed.next_ticket())["ticket"] == live["id"]  # nothing twice, nothing of B's


async def test_scoped_staff_are_replayed_only_their_subtrees_changes(
    api: str, issuer: TestIssuer, district_a: District
) -> None:
    other_grid, my_grid = district_a.grids
    leader = bearer(issuer, district_a.id, ["grid_leader"], scope=district_a.grid_paths[my_grid])
    async with subscribed(api, leader) as events:
        mine = await create(api, district_a, issuer, householdId=None, gridId=str(my_grid))
        assert (await events.next_ticket())["ticket"] == mine["id"]
        last_seen = events.id
    await create(api, district_a, issuer, householdId=None, gridId=str(other_grid), callerPhone=mobile(53))
    missed = await create(api, district_a, issuer, householdId=None, gridId=str(my_grid), callerPhone=mobile(54))
    async with subscribed(api, leader, last_event_id=last_seen) as resumed:
        assert (await resumed.next_ticket())["ticket"] == missed["id"]


async def test_a_desk_is_told_to_reload_when_its_last_event_cannot_be_resumed_from(
    api: str, settings: Settings, issuer: TestIssuer, district_a: District
) -> None:
    desk = operator(issuer, district_a)
    for unknown in ("1-0", "not-an-id"):  # trimmed away long ago, or never ours
        async with subscribed(api, desk, last_event_id=unknown) as resumed:
            assert await resumed.next() == ("resync", {})
            made = await create(api, district_a, issuer)
            assert (await resumed.next_ticket())["ticket"] == made["id"]
    async with subscribed(api, desk) as events:
        await create(api, district_a, issuer, callerPhone=mobile(55))
        await events.next_ticket()
        last_seen = events.id
        admin = await asyncpg.connect(plain_dsn(admin_url(settings, "redcell_dispatch")))
        try:
            await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'redcell-dispatch-stream'"
            )
        finally:
            await admin.close()
        while (await events.next())[0] != "resync":  # listening again: changes in between were not numbered
            pass
    async with subscribed(api, desk, last_event_id=last_seen) as resumed:
        assert await resumed.next() == ("resync", {})


async def test_the_stream_ends_when_its_token_expires(api: str, issuer: TestIssuer, district_a: District) -> None:
    # Long enough for a change to arrive first on a busy machine (2 s was not, once, in CI), short enough to wait for.
    short = {"Authorization": f"Bearer {issuer.token(tenant=district_a.id, roles=['hotline_operator'], ttl_s=6)}"}
    async with subscribed(api, short) as events:
        made = await create(api, district_a, issuer)
        assert (await events.next_ticket())["ticket"] == made["id"]
        while (kind := (await events.next())[0]) == "comment":
            pass
        assert kind == "expired"
        with pytest.raises(AssertionError, match="the stream ended"):
            await events.next()


def change_of(district: District) -> dict[str, Any]:
    """A ticket change as ``tickets/history.py`` notifies it."""
    return {"id": str(uuid.uuid4()), "tenant": str(district.id), "ticket": str(uuid.uuid4()), "action": "created"}


async def test_two_api_processes_give_a_change_one_id_and_the_stream_holds_it_once(
    settings: Settings, district_a: District
) -> None:
    redis = Redis.from_url(settings.redis.url)
    try:
        first_process, second_process = ReplayBuffer(redis), ReplayBuffer(redis)
        before, change = change_of(district_a), change_of(district_a)
        start = await first_process.append(before)
        assert start is not None
        numbered = await first_process.append(change)
        assert await second_process.append(change) == numbered
        assert await second_process.since(str(district_a.id), start) == [(numbered, change)]
    finally:
        await redis.aclose()


async def test_changes_that_went_out_while_redis_was_away_make_a_desk_reload(
    settings: Settings, district_a: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis = Redis.from_url(settings.redis.url)
    try:
        buffer = ReplayBuffer(redis)
        seen = await buffer.append(change_of(district_a))
        assert seen is not None
        append = buffer._append

        async def away(**_: Any) -> None:
            raise RedisConnectionError("Redis is away")

        monkeypatch.setattr(buffer, "_append", away)
        assert await buffer.append(change_of(district_a)) is None  # sent live without an id
        monkeypatch.setattr(buffer, "_append", append)
        monkeypatch.setattr(buffer, "_retry_at", 0.0)  # Redis is back
        after = await buffer.append(change_of(district_a))
        assert after is not None
        assert await buffer.since(str(district_a.id), seen) is None  # it missed one: reload
        assert await buffer.since(str(district_a.id), after) == []
    finally:
        await redis.aclose()
