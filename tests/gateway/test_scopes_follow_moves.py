"""A cadre confined to a unit keeps seeing it after orgtree moves it: the membership's scope follows the unit
(``orgtree.UnitMoved``), another district's memberships are untouched, and the next token carries the new path."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import gateway.tenants.scopes  # noqa: F401 - registers the handler, as gateway/worker.py does
from gateway.events import consumer
from gateway.models import Membership, Tenant, UserAccount
from gateway.tenants.services import add_user
from shared.context import tenant_scope
from shared.contracts.orgtree import UnitMoved
from shared.settings import Settings
from tests.gateway.support import PASSWORD, District, bearer, tokens, unique
from tests.platform.events import envelope

Sessions = async_sessionmaker[AsyncSession]
OLD, NEW = "/0001/0002/0003/", "/0001/0009/0003/"


async def cadre(sessions: Sessions, district: District, scope: str) -> str:
    username = unique("cadre")
    async with sessions() as session, session.begin():
        tenant = await session.get(Tenant, district.id)
        assert tenant is not None
        with tenant_scope(district.id):
            await add_user(session, tenant, username, PASSWORD, roles=["community_cadre"], scope=scope)
    return username


async def scope_of(sessions: Sessions, username: str) -> str | None:
    async with sessions() as session:
        user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        membership = await session.scalar(select(Membership).where(Membership.user_id == user.id))
        assert membership is not None
        return membership.scope


async def test_a_scope_under_a_moved_unit_follows_it_once(
    client: AsyncTestClient[Any],
    gateway_settings: Settings,
    system_sessions: Sessions,
    district_a: District,
    district_b: District,
) -> None:
    below, elsewhere = (
        await cadre(system_sessions, district_a, OLD + "0004/"),
        await cadre(system_sessions, district_a, "/0001/0005/"),
    )
    other_district = await cadre(system_sessions, district_b, OLD + "0004/")
    moved = UnitMoved(
        tenant_id=district_a.id,
        unit_id=uuid.uuid4(),
        tree="administrative",
        level="community",
        name="瑶溪社区",
        old_path=OLD,
        new_path=NEW,
        old_parent_id=uuid.uuid4(),
        new_parent_id=uuid.uuid4(),
        moved_at=datetime.now(UTC),
    )
    consumer._settings = gateway_settings
    raw = envelope(moved)
    assert await consumer.handle(raw)
    assert not await consumer.handle(raw)  # the same envelope again: applied once
    assert await scope_of(system_sessions, below) == NEW + "0004/"
    assert await scope_of(system_sessions, elsewhere) == "/0001/0005/"
    assert await scope_of(system_sessions, other_district) == OLD + "0004/"
    token = (await tokens(client, below))["accessToken"]
    me = await client.get("/auth/me", headers=bearer(token))
    assert me.json()["scope"] == NEW + "0004/"  # the next token carries the new path
