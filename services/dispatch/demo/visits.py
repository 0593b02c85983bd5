"""The demo's micro-visits (DSP-24/25): three weeks of weekly visits by the red cells of the district's first
links, so that 走访情况 shows links visited and links left unvisited; a few matters found became tickets, and one
hospitalisation raised a mandatory visit (through the same handler as orgtree's ``HouseholdEventRecorded``).

The links come from orgtree's events: on the very first ``make dev`` the loader runs before any worker has
applied them, so the visits are written the next time ``redcell demo load`` runs. Rerunning changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.directory.models import DirectoryGrid, DirectoryHousehold, DirectoryLink
from services.dispatch.providers.models import Provider
from services.dispatch.tickets.models import Channel
from services.dispatch.tickets.schemas import TicketCreate
from services.dispatch.tickets.services import TicketService
from services.dispatch.visits.models import Visit, VisitMatter
from services.dispatch.visits.tasks import household_event_recorded
from shared.clock import china_today, now
from shared.contracts.orgtree import HouseholdEventRecorded

LINKS = 30  # the first links of the district (by household id) are visited, or not
NOTES = ("老人身体状况良好，家中无异常", "了解近期生活情况，无困难反映", "宣传防诈骗知识，发放联系卡")
MATTERS = ("楼道灯坏了，老人夜里上下楼不便", "屋顶漏水，需要修补", "想了解高龄补贴如何申请")
DEMO_EVENT = uuid.UUID("5b6f0c1e-0000-4000-8000-000000000016")  # the demo's hospitalisation (a fixed id: once)


async def load_visits(session: AsyncSession, desk: TicketService) -> str:
    """Write the demo's visits; what to print."""
    if await session.scalar(select(func.count()).select_from(Visit)):
        return "visits already loaded"
    rows = await session.execute(
        select(
            DirectoryLink.household_id,
            DirectoryLink.member_id,
            DirectoryHousehold.grid_id,
            DirectoryGrid.path,
            Provider.name,
        )
        .join(DirectoryHousehold, DirectoryHousehold.household_id == DirectoryLink.household_id)
        .join(DirectoryGrid, DirectoryGrid.grid_id == DirectoryHousehold.grid_id)
        .join(Provider, Provider.member_id == DirectoryLink.member_id, isouter=True)
        .order_by(DirectoryLink.household_id, DirectoryLink.member_id)
        .limit(LINKS)
    )
    links = rows.all()
    if not links:
        return "visits: no red-cell links here yet (run `redcell demo load` again once the worker has run)"
    at, visits, tickets = now(), 0, 0
    for number, (household_id, member_id, grid_id, path, name) in enumerate(links):
        # two links in three were visited weekly up to this week; the third stopped two weeks ago or never began
        weeks = (0, 1, 2) if number % 3 else ((2,) if number % 2 else ())
        for week in weeks:
            visit = Visit(
                household_id=household_id,
                grid_id=grid_id,
                grid_path=path,
                member_id=member_id,
                visitor_name=name or "",
                recorded_by=uuid.UUID(int=0),
                channel="in_person" if week else "phone",
                visited_at=at - timedelta(days=7 * week + 1 + number % 5, hours=number % 7),
                note=NOTES[(number + week) % len(NOTES)],
                recorded_at=at,
            )
            session.add(visit)
            await session.flush()
            visits += 1
            if week == 0 and number % 10 == 1:  # a matter that became a ticket for the hotline
                summary = MATTERS[tickets % len(MATTERS)]
                call = TicketCreate(
                    channel=Channel.VISIT, title=summary, description=visit.note, household_id=household_id
                )
                ticket = await desk.create(call)
                session.add(
                    VisitMatter(
                        visit_id=visit.id,
                        position=0,
                        summary=summary,
                        outcome="ticket",
                        ticket_id=ticket.id,
                        ticket_number=ticket.number,
                    )
                )
                tickets += 1
    household_id, member_id = links[0][0], links[0][1]
    event = HouseholdEventRecorded(
        tenant_id=desk.principal.tenant_id or uuid.UUID(int=0),
        event_id=DEMO_EVENT,
        household_id=household_id,
        kind="hospitalised",
        occurred_on=china_today(),
        linked_member_ids=[member_id],
    )
    await household_event_recorded(session, event)
    return (
        f"visits: {visits} by the red cells of {len(links)} links, {tickets} matters became tickets, 1 mandatory visit"
    )
