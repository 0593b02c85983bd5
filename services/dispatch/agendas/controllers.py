"""Meeting agendas (DSP-21) over HTTP: the agenda a meeting would have now, meetings recorded with their agenda,
and the outcomes applied to the cases."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.agendas.kinds import KINDS
from services.dispatch.agendas.models import Meeting, MeetingItem
from services.dispatch.agendas.schemas import (
    AgendaCase,
    AgendaPreview,
    KindView,
    MeetingCreate,
    MeetingView,
    OutcomesCreate,
)
from services.dispatch.agendas.services import AgendaService
from services.dispatch.campaigns.schemas import UnitOption
from services.dispatch.campaigns.units import all_units
from services.dispatch.catalogue.models import LadderLevel
from services.dispatch.tickets.models import Ticket
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

KindQuery = Annotated[str, QueryParameter(name="kind", pattern="^(" + "|".join(KINDS) + ")$")]
KindFilter = Annotated[str | None, QueryParameter(name="kind", pattern="^(" + "|".join(KINDS) + ")$")]


def case_of_ticket(ticket: Ticket, levels: dict[int, LadderLevel]) -> AgendaCase:
    level = levels.get(ticket.level_rank)
    return AgendaCase(
        id=None,
        ticket_id=ticket.id,
        ticket_number=ticket.number,
        ticket_title=ticket.title,
        status=ticket.status,
        level=ticket.level_rank,
        level_name=level.name if level else None,
        warning=ticket.warning,
        outcome=None,
        outcome_note=None,
        referral_number=None,
        decided_at=None,
    )


def case_of_item(item: MeetingItem, levels: dict[int, LadderLevel]) -> AgendaCase:
    level = levels.get(item.level_then)
    return view(
        AgendaCase,
        item,
        status=item.status_then,
        level=item.level_then,
        level_name=level.name if level else None,
        warning=item.warning_then,
    )


def meeting_view(meeting: Meeting, counts: tuple[int, int], agenda: list[AgendaCase] | None = None) -> MeetingView:
    return view(MeetingView, meeting, cases=counts[0], decided=counts[1], agenda=agenda)


class AgendaController(Controller):
    path = "/api/dispatch/agendas"
    tags = ["Meeting agendas"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"agendas": provide_service(AgendaService)}

    async def _full(self, agendas: AgendaService, meeting: Meeting) -> MeetingView:
        items, levels = await agendas.items(meeting), await agendas.levels()
        decided = sum(1 for item in items if item.outcome is not None)
        return meeting_view(meeting, (len(items), decided), [case_of_item(item, levels) for item in items])

    @get("/kinds", operation_id="MeetingKinds", summary="The meetings that take up cases, whose and how often")
    async def kinds(self) -> list[KindView]:
        return [KindView(code=k.code, name=k.name, unit_level=k.unit_level, cadence=k.cadence) for k in KINDS.values()]

    @get("/units", operation_id="MeetingUnits", summary="Villages and streets the caller may hold meetings for")
    async def units(self, agendas: NamedDependency[AgendaService]) -> list[UnitOption]:
        found = await all_units(agendas.session, agendas.principal)
        return [UnitOption(id=u.id, name=u.name, level=u.level, street_name=u.street_name) for u in found]

    @get("/preview", operation_id="PreviewAgenda", summary="The agenda the meeting would have now: its open cases")
    async def preview(
        self,
        agendas: NamedDependency[AgendaService],
        kind: KindQuery,
        unit_id: Annotated[UUID, QueryParameter(name="unitId")],
    ) -> AgendaPreview:
        found, unit, tickets = await agendas.preview(kind, unit_id)
        levels = await agendas.levels()
        return AgendaPreview(
            kind=found.code, unit_id=unit.id, unit_name=unit.name, cases=[case_of_ticket(t, levels) for t in tickets]
        )

    @post("/meetings", operation_id="RecordMeeting", summary="Record a meeting held, with its agenda drawn now")
    async def create(self, agendas: NamedDependency[AgendaService], data: JSONBody[MeetingCreate]) -> MeetingView:
        return await self._full(agendas, await agendas.create(data))

    @get("/meetings", operation_id="ListMeetings", summary="Meetings the caller may see, newest first")
    async def list_meetings(
        self,
        agendas: NamedDependency[AgendaService],
        kind: KindFilter = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = 50,
    ) -> list[MeetingView]:
        meetings = await agendas.page(kind, limit)
        counts = await agendas.counts([m.id for m in meetings])
        return [meeting_view(m, counts.get(m.id, (0, 0))) for m in meetings]

    @get("/meetings/{meeting_id:uuid}", operation_id="GetMeeting", summary="A meeting with its agenda and outcomes")
    async def get_meeting(self, agendas: NamedDependency[AgendaService], meeting_id: FromPath[UUID]) -> MeetingView:
        return await self._full(agendas, await agendas.get(meeting_id))

    @post(
        "/meetings/{meeting_id:uuid}/outcomes",
        operation_id="ApplyMeetingOutcomes",
        status_code=200,
        summary="Apply the meeting's outcomes to its cases together (resolved, escalated, referred, discussed)",
    )
    async def outcomes(
        self, agendas: NamedDependency[AgendaService], meeting_id: FromPath[UUID], data: JSONBody[OutcomesCreate]
    ) -> MeetingView:
        return await self._full(agendas, await agendas.decide(meeting_id, data.outcomes))
