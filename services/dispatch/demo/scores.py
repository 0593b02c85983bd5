"""The demo's requester scores (DSP-19, Yantian [001/SZ-29]), shown in 龙湾区: a few orders of the district's teams
and studios, each taken the way the hotline takes one (filed at the desk, offered to the provider, signed for and
reported done by its login), then scored by the served person on the phone with the operator (four scores, 1..5),
so that 群众评议 has departments to compare. Needs the teams' logins and a household placed in the directory."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.catalogue.models import ServiceCategory
from services.dispatch.closure.schemas import FeedbackCreate, ResolutionCreate
from services.dispatch.closure.services import ClosureService
from services.dispatch.directory.models import DirectoryHousehold
from services.dispatch.providers.models import Provider
from services.dispatch.routing.services import RoutingService
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from shared.auth.principal import Principal, Role
from shared.http.di import build_service

# (title, handler, station, process, result, satisfied) for each provider's orders in turn
ORDERS = (
    ("厨房水管漏水（示例）", 5, 5, 4, 5, True),
    ("楼道照明线路老化（示例）", 4, 4, 4, 4, True),
    ("独居老人政策咨询（示例）", 5, 4, 5, 5, True),
    ("邻里噪音纠纷调解（示例）", 3, 3, 2, 3, False),
    ("家电维修（示例）", 4, 5, 4, 4, True),
    ("上门保洁（示例）", 4, 3, 3, 4, True),
)
OPERATOR = uuid.UUID(int=1)  # the operator taking the resident's scores down on the phone (not the desk that filed)


def _principal(tenant_id: uuid.UUID, user_id: uuid.UUID, role: str, name: str | None = None) -> Principal:
    return Principal(user_id=user_id, tenant_id=tenant_id, roles=frozenset({role}), name=name)


async def load_scores(session: AsyncSession, tenant_id: uuid.UUID, desk: Principal) -> str:
    """File, hand over, resolve and score the demo's orders; what to print."""
    household = await session.scalar(
        select(DirectoryHousehold.household_id).where(DirectoryHousehold.grid_id.is_not(None)).limit(1)
    )
    teams = list(
        await session.scalars(
            select(Provider)
            .where(Provider.member_id.is_(None), Provider.user_id.is_not(None), Provider.active)
            .order_by(Provider.name)
            .limit(3)
        )
    )
    category = await session.scalar(select(ServiceCategory.id).where(ServiceCategory.code == "citizen_life"))
    if household is None or not teams:
        return "requester scores: no household or team login here yet"
    tickets = build_service(TicketService, session, desk)
    routing = build_service(RoutingService, session, desk)
    phone = _principal(tenant_id, OPERATOR, Role.HOTLINE_OPERATOR, "热线话务员（示例）")
    for number, (title, handler, station, process, result, satisfied) in enumerate(ORDERS):
        team = teams[number % len(teams)]
        assert team.user_id is not None
        call = TicketCreate(channel="phone", title=title, category_id=category, household_id=household)
        ticket = await tickets.create(call)
        _, offers = await routing.assign(ticket.id, team.id)
        as_team = _principal(tenant_id, team.user_id, Role.VOLUNTEER)
        await build_service(RoutingService, session, as_team).accept(offers[0].id)
        done = ResolutionCreate(note="（示例）已上门处理完毕", service_minutes=60)
        await build_service(ClosureService, session, as_team).resolve(ticket.id, done)
        form = FeedbackCreate(
            satisfied=satisfied,
            handler_score=handler,
            station_score=station,
            process_score=process,
            result_score=result,
            via="phone",
        )
        await build_service(ClosureService, session, phone).feedback(ticket.id, form)
    return f"requester scores: {len(ORDERS)} orders of {len(teams)} teams scored"
