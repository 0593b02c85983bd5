from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.dispatch.app import MIGRATIONS, create_app
from shared.db.engine import make_engine
from shared.settings import Settings
from shared.testing.plugin import prepare_database
from shared.testing.tokens import TestIssuer
from tests.dispatch.builders import District, make_district


@pytest.fixture(scope="session")
async def dispatch_db(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await prepare_database(settings, "dispatch", MIGRATIONS)
    engine = make_engine(settings, "dispatch", "app")
    yield engine
    await engine.dispose()


@pytest.fixture
async def district_a(dispatch_db: AsyncEngine) -> District:
    return await make_district(dispatch_db, "龙湾区")


@pytest.fixture
async def district_b(dispatch_db: AsyncEngine) -> District:
    return await make_district(dispatch_db, "瓯海区")


@pytest.fixture
async def client(settings: Settings, issuer: TestIssuer, dispatch_db: AsyncEngine) -> AsyncIterator[AsyncTestClient]:
    app = create_app(settings, verifier=issuer.verifier())
    async with AsyncTestClient(app) as test_client:
        yield test_client
