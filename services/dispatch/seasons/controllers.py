"""The four-season programmes (四季服务品牌 [004], DSP-13) over HTTP: a year's programmes, a programme's activities and
summer tea points, and its report per street."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.seasons.schemas import (
    ActivityCreate,
    ActivityView,
    ProgrammeCreate,
    ProgrammeView,
    SeasonReport,
    TeaPointCreate,
    TeaPointServed,
    TeaPointView,
)
from services.dispatch.seasons.services import SeasonService
from shared.clock import china_today
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

Year = Annotated[int | None, QueryParameter(name="year", ge=2000, le=2100, description="this year by default")]
Street = Annotated[str | None, QueryParameter(name="street", max_length=200)]
Limit = Annotated[int, QueryParameter(name="limit", ge=1, le=500)]


class SeasonController(Controller):
    path = "/api/dispatch/seasons"
    tags = ["Four seasons"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"seasons": provide_service(SeasonService)}

    @get("/", operation_id="ListSeasonProgrammes", summary="The year's four-season programmes with their totals")
    async def of_year(self, seasons: NamedDependency[SeasonService], year: Year = None) -> list[ProgrammeView]:
        return await seasons.views(await seasons.of_year(year or china_today().year))

    @post("/", operation_id="OpenSeasonProgramme", summary="Open a season's programme for a year (district admin)")
    async def create(self, seasons: NamedDependency[SeasonService], data: JSONBody[ProgrammeCreate]) -> ProgrammeView:
        return (await seasons.views([await seasons.create(data)]))[0]

    @get("/{programme_id:uuid}", operation_id="GetSeasonProgramme", summary="One programme with its totals")
    async def get_programme(
        self, seasons: NamedDependency[SeasonService], programme_id: FromPath[UUID]
    ) -> ProgrammeView:
        return (await seasons.views([await seasons.get(programme_id)]))[0]

    @get("/{programme_id:uuid}/activities", operation_id="ListSeasonActivities", summary="A programme's activities")
    async def activities(
        self,
        seasons: NamedDependency[SeasonService],
        programme_id: FromPath[UUID],
        street: Street = None,
        limit: Limit = 200,
    ) -> list[ActivityView]:
        return views(ActivityView, await seasons.activities(programme_id, street, limit))

    @post(
        "/{programme_id:uuid}/activities",
        operation_id="RecordSeasonActivity",
        summary="Record an activity in a village or street",
    )
    async def add_activity(
        self, seasons: NamedDependency[SeasonService], programme_id: FromPath[UUID], data: JSONBody[ActivityCreate]
    ) -> ActivityView:
        return view(ActivityView, await seasons.add_activity(programme_id, data))

    @get("/{programme_id:uuid}/tea-points", operation_id="ListTeaPoints", summary="The summer programme's tea points")
    async def tea_points(
        self,
        seasons: NamedDependency[SeasonService],
        programme_id: FromPath[UUID],
        street: Street = None,
        limit: Limit = 500,
    ) -> list[TeaPointView]:
        return views(TeaPointView, await seasons.tea_points(programme_id, street, limit))

    @post("/{programme_id:uuid}/tea-points", operation_id="AddTeaPoint", summary="Open a free herbal-tea point")
    async def add_tea_point(
        self, seasons: NamedDependency[SeasonService], programme_id: FromPath[UUID], data: JSONBody[TeaPointCreate]
    ) -> TeaPointView:
        return view(TeaPointView, await seasons.add_tea_point(programme_id, data))

    @patch(
        "/{programme_id:uuid}/tea-points/{point_id:uuid}",
        operation_id="RecordTeaPointServed",
        summary="Record the cups poured and people served at a tea point",
    )
    async def served(
        self,
        seasons: NamedDependency[SeasonService],
        programme_id: FromPath[UUID],
        point_id: FromPath[UUID],
        data: JSONBody[TeaPointServed],
    ) -> TeaPointView:
        return view(TeaPointView, await seasons.record_served(programme_id, point_id, data))

    @get("/{programme_id:uuid}/report", operation_id="SeasonReport", summary="A season's programme summed per street")
    async def report(self, seasons: NamedDependency[SeasonService], programme_id: FromPath[UUID]) -> SeasonReport:
        return await seasons.report(programme_id)
