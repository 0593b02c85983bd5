from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
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


@pytest.fixture
async def client(
    settings: Settings, issuer: TestIssuer, documents_db: AsyncEngine
) -> AsyncIterator[AsyncTestClient[Any]]:
    app = create_app(settings, verifier=issuer.verifier())
    async with AsyncTestClient(app) as test_client:
        yield test_client
