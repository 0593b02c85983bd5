"""The boards every district starts with (DOC-06; domain-from-seeds.md section 5), and the district's public slug.
Seeding again adds only what is missing; a redelivered TenantProvisioned changes nothing."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.documents.boards.models import Board, PublicDistrict
from shared.context import require_tenant

THREE_AFFAIRS = "three_affairs"
PERFORMANCE_WALL = "performance_wall"
COMMITMENT_BOARD = "commitment_board"
SUPERVISION_BOARD = "supervision_board"

# code, name, description
BOARDS: tuple[tuple[str, str, str], ...] = (
    (THREE_AFFAIRS, "三务公开栏", "党务、村务、财务公开"),
    (PERFORMANCE_WALL, "党员考绩墙", "党员月度考绩与星级评定结果"),
    (COMMITMENT_BOARD, "承诺践诺公示栏", "党组织和党员的公开承诺及践诺情况"),
    (SUPERVISION_BOARD, "党员监督台", "群众监督党员履职，整改情况公示"),
)


async def prepare_boards(session: AsyncSession, slug: str | None = None, name: str | None = None) -> bool:
    """Seed the district's boards and, given its slug, record it for the public pages; True when anything was added."""
    tenant = require_tenant()
    rows = [
        {"tenant_id": tenant, "code": code, "name": board_name, "description": description, "position": position}
        for position, (code, board_name, description) in enumerate(BOARDS)
    ]
    added = (await session.execute(pg_insert(Board).values(rows).on_conflict_do_nothing().returning(Board.id))).all()
    if slug is None:
        return bool(added)
    district = pg_insert(PublicDistrict).values(tenant_id=tenant, slug=slug, name=name or slug)
    named = await session.execute(
        district.on_conflict_do_update(
            index_elements=[PublicDistrict.tenant_id],
            set_={"slug": district.excluded.slug, "name": district.excluded.name},
            where=(PublicDistrict.slug != district.excluded.slug) | (PublicDistrict.name != district.excluded.name),
        ).returning(PublicDistrict.tenant_id)
    )
    return bool(added) | bool(named.all())
