"""Returns and their arbitration in 龙湾区 (issue 16, DSP-18 退单审定): a case escalated to a village, which returns
it citing the neighbouring village's grid boundary, awaiting the street's ruling; and a grid's return of a case
upheld by its village, the case now with the neighbouring grid. The district admin (``longwan-admin``) may rule for
any unit, so the pending one waits under 退单审定 for them as for the street.

Like the visits, this needs orgtree's grids in the directory: on the very first ``make dev`` it says so and is
written the next time ``redcell demo load`` runs. Rerunning changes nothing. Names the seed does not give are
marked （示例）."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import ServiceCategory
from services.dispatch.directory.models import DirectoryGrid
from services.dispatch.escalation.ladder import escalate
from services.dispatch.numbers.schemas import UnitView
from services.dispatch.returns.models import TicketReturn
from services.dispatch.returns.schemas import ReturnCreate, RulingCreate
from services.dispatch.returns.services import ReturnService
from services.dispatch.returns.units import find_unit, parent_of
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal, Role
from shared.http.di import build_service

SYNTHETIC = "（示例）"
DISPUTED = "河道边垃圾堆积，气味难闻"
RULED = "小区门口井盖松动"


def cadre(desk: Principal, role: Role, unit: UnitView, title: str) -> Principal:
    """A cadre of ``unit`` (scoped to it) acting in the demo."""
    return Principal(
        user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"redcell-demo-returns/{unit.id}"),
        tenant_id=desk.tenant_id,
        roles=frozenset({role}),
        scope=unit.path,
        name=f"{unit.name}{title}{SYNTHETIC}",
    )


async def _neighbours(session: AsyncSession) -> tuple[DirectoryGrid, DirectoryGrid, DirectoryGrid] | None:
    """Two grids of one village and a grid of another village of the same street, if the directory has them."""
    grids = list(
        await session.scalars(select(DirectoryGrid).where(DirectoryGrid.path != "").order_by(DirectoryGrid.path))
    )
    for grid in grids:
        village = grid.path.rsplit("/", 2)[0] + "/"
        street = village.rsplit("/", 2)[0] + "/"
        same = next((g for g in grids if g is not grid and g.path.startswith(village)), None)
        other = next((g for g in grids if g.path.startswith(street) and not g.path.startswith(village)), None)
        if same is not None and other is not None:
            return grid, same, other
    return None


async def load_returns(session: AsyncSession, desk: Principal) -> str:
    """Write the two returns; what to print."""
    if await session.scalar(select(func.count()).select_from(TicketReturn)):
        return "returns already loaded"
    found = await _neighbours(session)
    if found is None:
        return "returns: no village with two grids here yet (run `redcell demo load` again once the worker has run)"
    home, sibling, elsewhere = found
    village = await parent_of(session, home.grid_id)
    grid_unit = await find_unit(session, home.grid_id)
    if village is None or grid_unit is None:
        return "returns: the directory has no village above its grids"
    street = await parent_of(session, village.id)
    life = await session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == "citizen_life"))
    desk_tickets = build_service(TicketService, session, desk)

    # disputed: escalated to the village, which says the river bank is the neighbouring village's
    disputed = await desk_tickets.create(
        TicketCreate(channel="phone", title=DISPUTED, grid_id=home.grid_id, category_id=life)
    )
    await escalate(session, disputed, 1, "网格无法解决：需村里统一安排清运", actor=str(desk.user_id), automatic=False)
    by_village = build_service(ReturnService, session, cadre(desk, Role.COMMUNITY_CADRE, village, "党组织书记"))
    await by_village.file(
        ReturnCreate(
            ticket_id=disputed.id,
            basis="grid_boundary",
            grid_id=elsewhere.grid_id,
            citation=f"网格划分图{SYNTHETIC}：河道东岸属{elsewhere.name}",
            reason="堆积点在河道东岸，不在本村范围",
        )
    )

    # ruled: the grid's return of a manhole upheld by the village, the case now with the sibling grid
    ruled = await desk_tickets.create(
        TicketCreate(channel="phone", title=RULED, grid_id=home.grid_id, category_id=life)
    )
    by_grid = build_service(ReturnService, session, cadre(desk, Role.GRID_LEADER, grid_unit, "网格长"))
    filed, _, _ = await by_grid.file(
        ReturnCreate(
            ticket_id=ruled.id,
            basis="grid_boundary",
            grid_id=sibling.grid_id,
            citation=f"网格划分图{SYNTHETIC}：小区门口道路以南属{sibling.name}",
            reason="井盖在道路南侧，属相邻网格",
        )
    )
    await by_village.rule(
        filed.id,
        RulingCreate(decision="uphold", assign_to_unit_id=sibling.grid_id, note="核对网格图，井盖位于道路南侧"),
    )
    awaiting = street.name if street is not None else "上一级"
    return f"returns: one awaiting {awaiting}'s ruling, one upheld by {village.name}"
