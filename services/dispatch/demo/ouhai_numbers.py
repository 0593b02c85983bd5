"""Ouhai's 7171 lines (DSP-02, [004]): a number for the district, each town or street and each village or
community, all ending in 7171. The seed gives only the suffix, so every number is made up and marked 示例; a call
taken on Panbei community's line shows a ticket placed at the community.

The units come from orgtree's grid events: on the very first ``make dev`` the loader runs before the worker has
applied them, and the numbers are written the next time ``redcell demo load`` runs. Rerunning changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.numbers.services import NumberRepository, NumberService
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService

LEVELS = ("district", "street", "town", "village", "community")  # the three levels of 7171 lines
PANBEI = "潘北社区"
LABELS = {"district": "区民生热线", "street": "镇街民生热线", "town": "镇街民生热线"}


def synthetic_number(serial: int) -> str:
    """0577 (Wenzhou) + four made-up digits + 7171."""
    return f"0577{8000 + serial:04d}7171"


async def load_ouhai_numbers(session: AsyncSession, desk: TicketService) -> str:
    if await session.scalar(select(func.count()).select_from(HotlineNumber)):
        return "7171 numbers already loaded"
    numbers = NumberService(session, NumberRepository(session))
    units = [unit for unit in await numbers.units(None) if unit.level in LEVELS]
    if not units:
        return "7171 numbers: no units here yet (orgtree's events have not arrived; run `redcell demo load` again)"
    for serial, unit in enumerate(units):
        label = LABELS.get(unit.level, "村社民生热线")
        session.add(
            HotlineNumber(
                number=synthetic_number(serial),
                unit_id=unit.id,
                unit_level=unit.level,
                unit_name=unit.name,
                unit_path=unit.path,
                label=f"{label}（示例）",
                synthetic=True,
                active=True,
            )
        )
    await session.flush()
    panbei = next((n for n in await numbers.listed() if n.unit_name == PANBEI), None)
    if panbei is not None:
        call = TicketCreate(
            channel="phone",
            title="潘北社区：小区门口路灯不亮，晚上出行不便",
            dialled_number=panbei.number,
            caller_phone="13800007171",
        )
        await desk.create(call)
    return f"7171 numbers: {len(units)} (district, towns and streets, villages and communities; 示例)"
