"""The programme catalogue (TRN-01) and its sessions (TRN-02)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.programmes.models import TrainingSession
from services.training.programmes.schemas import (
    CategoryCreate,
    CategoryView,
    ProgrammeCreate,
    ProgrammeUpdate,
    ProgrammeView,
    SessionCreate,
    SessionPage,
    SessionUpdate,
    SessionView,
)
from services.training.programmes.services import CatalogueService
from services.training.programmes.sessions import SessionService
from services.training.programmes.views import programme_view, session_view
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

CATALOGUE_KEEPER = [requires_role(Role.DISTRICT_ADMIN)]
ORGANISER = [requires_role(*ORGANISERS)]
StartsFrom = Annotated[datetime | None, QueryParameter(name="from", description="sessions starting at or after")]
StartsBefore = Annotated[datetime | None, QueryParameter(name="to", description="sessions starting before")]
ProgrammeId = Annotated[UUID | None, QueryParameter(name="programmeId")]
UnitPath = Annotated[
    str | None,
    QueryParameter(
        name="unitPath",
        max_length=400,
        pattern=r"^/([^/]+/)+$",
        description="sessions organised by this unit or one under it",
    ),
]


async def detail(sessions: SessionService, row: TrainingSession) -> SessionView:
    """A session as its own page shows it: with its programme and how many have attended."""
    programmes = await sessions.programmes_of([row])
    return session_view(row, programmes[row.programme_id], await sessions.attendance_count(row.id))


class ProgrammeController(Controller):
    path = "/api/training"
    tags = ["Programmes"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"catalogue": provide_service(CatalogueService)}

    @get("/categories", operation_id="ListTrainingCategories", summary="The district's training categories")
    async def categories(self, catalogue: NamedDependency[CatalogueService]) -> list[CategoryView]:
        return views(CategoryView, await catalogue.categories())

    @post(
        "/categories",
        operation_id="AddTrainingCategory",
        guards=CATALOGUE_KEEPER,
        summary="Add a category to the district's catalogue",
    )
    async def add_category(
        self, catalogue: NamedDependency[CatalogueService], data: JSONBody[CategoryCreate]
    ) -> CategoryView:
        return view(CategoryView, await catalogue.add_category(data))

    @get("/programmes", operation_id="ListProgrammes", summary="The district's programme catalogue")
    async def programmes(self, catalogue: NamedDependency[CatalogueService]) -> list[ProgrammeView]:
        return [programme_view(p) for p in await catalogue.programmes()]

    @post(
        "/programmes",
        operation_id="CreateProgramme",
        guards=CATALOGUE_KEEPER,
        summary="Add a programme to the district's catalogue",
    )
    async def create_programme(
        self, catalogue: NamedDependency[CatalogueService], data: JSONBody[ProgrammeCreate]
    ) -> ProgrammeView:
        return programme_view(await catalogue.create(data))

    @get("/programmes/{programme_id:uuid}", operation_id="GetProgramme", summary="One programme of the catalogue")
    async def get_programme(
        self, catalogue: NamedDependency[CatalogueService], programme_id: FromPath[UUID]
    ) -> ProgrammeView:
        return programme_view(await catalogue.get(programme_id))

    @patch(
        "/programmes/{programme_id:uuid}",
        operation_id="UpdateProgramme",
        guards=CATALOGUE_KEEPER,
        summary="Change a programme (active: false withdraws it from new sessions)",
    )
    async def update_programme(
        self,
        catalogue: NamedDependency[CatalogueService],
        programme_id: FromPath[UUID],
        data: JSONBody[ProgrammeUpdate],
    ) -> ProgrammeView:
        return programme_view(await catalogue.update(programme_id, data))


class SessionController(Controller):
    path = "/api/training/sessions"
    tags = ["Sessions"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"sessions": provide_service(SessionService)}

    @get("/", operation_id="ListSessions", summary="Sessions in start order, by time, programme and organising unit")
    async def list_sessions(
        self,
        sessions: NamedDependency[SessionService],
        starts_from: StartsFrom = None,
        starts_before: StartsBefore = None,
        programme_id: ProgrammeId = None,
        unit_path: UnitPath = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> SessionPage:
        rows, next_cursor = await sessions.page(
            starts_from=starts_from,
            starts_before=starts_before,
            programme_id=programme_id,
            unit_path=unit_path,
            cursor=cursor,
            limit=limit,
        )
        programmes = await sessions.programmes_of(rows)
        return SessionPage(items=[session_view(s, programmes[s.programme_id]) for s in rows], next=next_cursor)

    @post(
        "/",
        operation_id="CreateSession",
        guards=ORGANISER,
        summary="Schedule a session (category, credit hours and check-in window default from the programme)",
    )
    async def create_session(
        self, sessions: NamedDependency[SessionService], data: JSONBody[SessionCreate]
    ) -> SessionView:
        return await detail(sessions, await sessions.create(data))

    @get("/{session_id:uuid}", operation_id="GetSession", summary="One session, with how many have attended")
    async def get_session(self, sessions: NamedDependency[SessionService], session_id: FromPath[UUID]) -> SessionView:
        return await detail(sessions, await sessions.get(session_id))

    @patch(
        "/{session_id:uuid}",
        operation_id="UpdateSession",
        guards=ORGANISER,
        summary="Change a session that is not cancelled (attendance keeps what it was worth)",
    )
    async def update_session(
        self, sessions: NamedDependency[SessionService], session_id: FromPath[UUID], data: JSONBody[SessionUpdate]
    ) -> SessionView:
        return await detail(sessions, await sessions.update(session_id, data))

    @post(
        "/{session_id:uuid}/cancel",
        operation_id="CancelSession",
        guards=ORGANISER,
        status_code=200,
        summary="Cancel a session: no more check-ins, no more changes",
    )
    async def cancel_session(
        self, sessions: NamedDependency[SessionService], session_id: FromPath[UUID]
    ) -> SessionView:
        return await detail(sessions, await sessions.cancel(session_id))
