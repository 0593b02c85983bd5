"""Helpers for the gateway tests: districts and users arranged directly through the service functions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.identity.keys import KeyRing
from gateway.models import Tenant, UserAccount
from gateway.proxy.fastpath import GatewayDispatcher
from gateway.tenants.services import add_user, create_platform_operator, provision_tenant

PASSWORD = "correct-horse-battery-staple"
PROBLEM = "application/problem+json"
T = TypeVar("T")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class District:
    id: uuid.UUID
    slug: str
    admin: str


async def provision(sessions: async_sessionmaker[AsyncSession], prefix: str) -> District:
    slug = unique(prefix)
    async with sessions() as session, session.begin():
        tenant, created = await provision_tenant(
            session, slug, f"{prefix} district", admin_username=f"{slug}-admin", admin_password=PASSWORD
        )
    assert created
    return District(tenant.id, slug, f"{slug}-admin")


async def new_user(
    sessions: async_sessionmaker[AsyncSession], district: District, prefix: str, roles: list[str]
) -> str:
    username = unique(prefix)
    async with sessions() as session, session.begin():
        tenant = await session.get(Tenant, district.id)
        assert tenant is not None
        await add_user(session, tenant, username, PASSWORD, roles=roles, scope=None)
    return username


async def new_operator(sessions: async_sessionmaker[AsyncSession]) -> str:
    username = unique("operator")
    async with sessions() as session, session.begin():
        await create_platform_operator(session, username, PASSWORD)
    return username


async def user_row(sessions: async_sessionmaker[AsyncSession], username: str) -> UserAccount:
    async with sessions() as session:
        user = await session.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None
        return user


async def login(client: AsyncTestClient[Any], username: str, password: str = PASSWORD, **extra: str) -> httpx.Response:
    return await client.post("/auth/login", json={"username": username, "password": password, **extra})


async def tokens(client: AsyncTestClient[Any], username: str, password: str = PASSWORD, **extra: str) -> dict[str, Any]:
    response = await login(client, username, password, **extra)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def is_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body: dict[str, Any] = response.json()
    return body


class AppKeys:
    """The running app's key ring. The app (its lifespan, engines and requests) lives on the test client's
    portal event loop, so calls that may touch the database are run there."""

    def __init__(self, gateway: GatewayDispatcher, client: AsyncTestClient[Any]) -> None:
        self._ring: KeyRing = gateway.state.key_ring
        self._client = client

    async def _on_app_loop(self, call: Callable[[], Awaitable[T]]) -> T:
        return await asyncio.to_thread(self._client.blocking_portal.call, call)

    async def refresh(self) -> None:
        """Reload now, as every gateway process does within ``KeyRing.max_age_s`` after a rotation."""
        await self._on_app_loop(self._ring.refresh)

    async def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        return await self._on_app_loop(self._ring.signing_key)
