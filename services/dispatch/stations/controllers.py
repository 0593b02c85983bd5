"""Red Cube stations (DSP-11) over HTTP: staff set up stations and their rotas; anyone of the district's hotline
sees who is on duty; staff and the volunteers on duty work the desk (sign-ups, demands as tickets)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.stations.schemas import (
    DemandCreate,
    DemandRegistered,
    ShiftCreate,
    ShiftView,
    SignUpCreate,
    SignUpView,
    StationCreate,
    StationUnit,
    StationUpdate,
    StationView,
    StationVolunteer,
)
from services.dispatch.stations.services import StationService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant

STAFF_ONLY = [requires_role(*STAFF)]
Moment = Annotated[datetime | None, QueryParameter(name="at")]


class StationController(Controller):
    path = "/api/dispatch/stations"
    tags = ["Red Cube stations"]
    guards = [requires_tenant, requires_role(*STAFF, Role.MEMBER, Role.VOLUNTEER)]
    dependencies = {"stations": provide_service(StationService)}

    @post("/", operation_id="CreateStation", guards=STAFF_ONLY, summary="Set up a station attached to a unit")
    async def create(self, stations: NamedDependency[StationService], data: JSONBody[StationCreate]) -> StationView:
        return await stations.create(data)

    @get("/", operation_id="ListStations", summary="The district's stations, each with who is on duty now")
    async def list_stations(self, stations: NamedDependency[StationService]) -> list[StationView]:
        return await stations.page()

    @get(
        "/units",
        operation_id="StationUnits",
        guards=STAFF_ONLY,
        summary="Units of the caller's scope a station may be attached to (grids and the units above them)",
    )
    async def units(self, stations: NamedDependency[StationService]) -> list[StationUnit]:
        return await stations.units()

    @get("/{station_id:uuid}", operation_id="GetStation", summary="One station, its services and who is on duty")
    async def get_station(self, stations: NamedDependency[StationService], station_id: FromPath[UUID]) -> StationView:
        return await stations.view(await stations.get(station_id))

    @patch(
        "/{station_id:uuid}",
        operation_id="UpdateStation",
        guards=STAFF_ONLY,
        summary="Change a station's name, address, hours, extra services or close it",
    )
    async def update(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], data: JSONBody[StationUpdate]
    ) -> StationView:
        return await stations.update(station_id, data)

    @get(
        "/{station_id:uuid}/volunteers",
        operation_id="StationVolunteers",
        guards=STAFF_ONLY,
        summary="Member volunteers under the station's unit, who may go on its rota",
    )
    async def volunteers(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID]
    ) -> list[StationVolunteer]:
        return await stations.volunteers(station_id)

    @get(
        "/{station_id:uuid}/shifts",
        operation_id="StationRota",
        summary="The rota: shifts overlapping from..to (a day ago to a week ahead by default)",
    )
    async def rota(
        self,
        stations: NamedDependency[StationService],
        station_id: FromPath[UUID],
        start: Annotated[datetime | None, QueryParameter(name="from")] = None,
        end: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> list[ShiftView]:
        return await stations.rota(station_id, start, end)

    @post(
        "/{station_id:uuid}/shifts",
        operation_id="AddStationShift",
        guards=STAFF_ONLY,
        summary="Put a volunteer on the rota",
    )
    async def add_shift(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], data: JSONBody[ShiftCreate]
    ) -> ShiftView:
        return await stations.add_shift(station_id, data)

    @delete(
        "/{station_id:uuid}/shifts/{shift_id:uuid}",
        operation_id="RemoveStationShift",
        guards=STAFF_ONLY,
        summary="Take a shift off the rota",
    )
    async def remove_shift(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], shift_id: FromPath[UUID]
    ) -> None:
        await stations.remove_shift(station_id, shift_id)

    @get("/{station_id:uuid}/on-duty", operation_id="StationOnDuty", summary="Who is on duty now (or at `at`)")
    async def on_duty(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], at: Moment = None
    ) -> list[ShiftView]:
        return await stations.on_duty(station_id, at)

    @post(
        "/{station_id:uuid}/sign-ups",
        operation_id="StationSignUp",
        summary="The desk signs a resident up to volunteer (staff, or a volunteer on duty here)",
    )
    async def sign_up(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], data: JSONBody[SignUpCreate]
    ) -> SignUpView:
        return await stations.sign_up(station_id, data)

    @get("/{station_id:uuid}/sign-ups", operation_id="StationSignUps", summary="The desk's sign-ups, masked")
    async def sign_ups(self, stations: NamedDependency[StationService], station_id: FromPath[UUID]) -> list[SignUpView]:
        return await stations.sign_ups(station_id)

    @post(
        "/{station_id:uuid}/demands",
        operation_id="StationDemand",
        summary="Register a demand brought to the desk as a ticket (channel walk_in), routed as any",
    )
    async def demand(
        self, stations: NamedDependency[StationService], station_id: FromPath[UUID], data: JSONBody[DemandCreate]
    ) -> DemandRegistered:
        return await stations.register_demand(station_id, data)
