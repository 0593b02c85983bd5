"""A user's scope follows its unit: when orgtree re-hangs a unit, every membership confined to a path under it
reads the new path (one range UPDATE, in the district's RLS scope). Tokens carry the scope; the next refresh
(at most an access token's lifetime) gives the new one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events import consumer
from gateway.models import Membership
from shared.contracts.orgtree import UnitMoved
from shared.db.paths import rehang_all


@consumer.on(UnitMoved)
async def follow_moved_unit(session: AsyncSession, event: UnitMoved) -> None:
    await rehang_all(session, [Membership.scope], event.old_path, event.new_path)
