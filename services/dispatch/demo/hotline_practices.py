"""The hotline practices of issue 16's systems 5-7 in the demo: Ouhai's 7171 lines, Jinghai's five steps and
Zhuji's mass archive, each in its district (one line printed per part loaded)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.demo.jinghai_steps import FIVE_STEPS, load_jinghai_steps
from services.dispatch.demo.ouhai_numbers import load_ouhai_numbers
from services.dispatch.demo.zhuji_archive import ARCHIVE, load_zhuji_archive
from services.dispatch.tickets.services import TicketService

NUMBERS = "wenzhou-ouhai"


async def load_hotline_practices(
    session: AsyncSession, slug: str | None, tenant_id: uuid.UUID, desk: TicketService
) -> list[str]:
    lines = []
    if slug == NUMBERS:
        lines.append(await load_ouhai_numbers(session, desk))
    if slug == FIVE_STEPS:
        lines.append(await load_jinghai_steps(session, desk))
    if slug == ARCHIVE:
        lines.append(await load_zhuji_archive(session, tenant_id, desk))
    return lines
