from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from shared.context import tenant_scope


@asynccontextmanager
async def tenant_tx(engine: AsyncEngine, tenant: uuid.UUID) -> AsyncIterator[AsyncSession]:
    """One committed transaction as the app role, bound to ``tenant`` (RLS applies)."""
    with tenant_scope(tenant):
        async with AsyncSession(engine) as session, session.begin():
            yield session
