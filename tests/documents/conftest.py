from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.documents.app import MIGRATIONS, create_app
from shared.db.engine import make_engine
from shared.settings import Settings
from tests.documents.builders import District, make_district
from tests.platform.plugin import prepare_database
from tests.platform.tokens import TestIssuer


@pytest.fixture(scope="session")
async def documents_db(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await prepare_database(settings, "documents", MIGRATIONS)
    engine = make_engine(settings, "documents", "app")
    yield engine
    await engine.dispose()


@pytest.fixture
def new_district(documents_db: AsyncEngine) -> Callable[..., Awaitable[District]]:
    """How ``district_a`` and ``district_b`` (tests/platform/plugin.py) are made here: a district's registry."""

    async def new(name: str, _slug: str) -> District:
        return await make_district(documents_db, name)

    return new


@pytest.fixture(scope="session")
def documents_app(settings: Settings, issuer: TestIssuer) -> Litestar:
    """One app for the session: building it (routes, schema, dependencies) costs 0.3-0.6 s, and each test's client
    still runs its own lifespan, with an engine of its own."""
    return create_app(settings, verifier=issuer.verifier())


@pytest.fixture
async def client(documents_app: Litestar, documents_db: AsyncEngine) -> AsyncIterator[AsyncTestClient[Any]]:
    async with AsyncTestClient(documents_app) as test_client:
        yield test_client
