from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.orgtree.app import MIGRATIONS, create_app
from services.orgtree.models import OrgNode
from services.orgtree.nodes.services import ensure_tenant_root
from shared.context import tenant_scope
from shared.db.engine import make_engine, make_sessionmaker
from shared.settings import Settings
from tests.platform.plugin import prepare_database
from tests.platform.tokens import TestIssuer


@dataclass
class District:
    id: uuid.UUID
    root: OrgNode


@pytest.fixture(scope="session")
async def orgtree_db(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await prepare_database(settings, "orgtree", MIGRATIONS)
    engine = make_engine(settings, "orgtree", "app")
    yield engine
    await engine.dispose()


async def make_district(engine: AsyncEngine, name: str) -> District:
    tenant = uuid.uuid4()
    with tenant_scope(tenant):
        async with make_sessionmaker(engine)() as session, session.begin():
            root = await ensure_tenant_root(session, name)
    return District(tenant, root)


@pytest.fixture
def new_district(orgtree_db: AsyncEngine) -> Callable[..., Awaitable[District]]:
    """How ``district_a`` and ``district_b`` (tests/platform/plugin.py) are made here: a tenant with its roots."""

    async def new(name: str, _slug: str) -> District:
        return await make_district(orgtree_db, name)

    return new


@pytest.fixture(scope="session")
def orgtree_app(settings: Settings, issuer: TestIssuer) -> Litestar:
    """One app for the session: building it (routes, schema, dependencies) costs 0.3-0.6 s, and each test's client
    still runs its own lifespan, with an engine of its own."""
    return create_app(settings, verifier=issuer.verifier())


@pytest.fixture
async def client(orgtree_app: Litestar, orgtree_db: AsyncEngine) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(orgtree_app) as test_client:
        yield test_client


def bearer(
    issuer: TestIssuer, tenant: uuid.UUID, roles: list[str], scope: str | None = None, user_id: uuid.UUID | None = None
) -> dict[str, str]:
    return {"Authorization": f"Bearer {issuer.token(tenant=tenant, roles=roles, scope=scope, user_id=user_id)}"}
