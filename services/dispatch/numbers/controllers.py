"""Hotline numbers per level (DSP-02): staff read them, the district admin lists and edits them; the desk's
intake places a call dialled on one of them at its owning unit (``tickets/services.py``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.dispatch.access import STAFF
from services.dispatch.numbers.models import HotlineNumber
from services.dispatch.numbers.schemas import NumberChange, NumberCreate, NumberView, UnitView
from services.dispatch.numbers.services import NumberService
from shared.auth.principal import Role
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

ADMIN = [requires_role(Role.DISTRICT_ADMIN)]
Level = Annotated[str | None, QueryParameter(name="level", max_length=30)]


def number_view(row: HotlineNumber) -> NumberView:
    return view(NumberView, row)


class NumberController(Controller):
    path = "/api/dispatch/numbers"
    tags = ["Hotline numbers"]
    guards = [requires_tenant, requires_role(*STAFF)]
    dependencies = {"numbers": provide_service(NumberService)}

    @get("/", operation_id="ListHotlineNumbers", summary="The district's published numbers and their owning units")
    async def list_numbers(self, numbers: NamedDependency[NumberService]) -> list[NumberView]:
        return [number_view(row) for row in await numbers.listed()]

    @get("/units", operation_id="ListNumberUnits", summary="The units a number may belong to, in tree order")
    async def list_units(self, numbers: NamedDependency[NumberService], level: Level = None) -> list[UnitView]:
        return await numbers.units(level)

    @post("/", operation_id="AddHotlineNumber", summary="Publish a number owned by a unit", guards=ADMIN)
    async def create(self, numbers: NamedDependency[NumberService], data: JSONBody[NumberCreate]) -> NumberView:
        return number_view(await numbers.create(data))

    @patch(
        "/{number_id:uuid}",
        operation_id="ChangeHotlineNumber",
        summary="Move a number to another unit, relabel it, or take it out of service",
        guards=ADMIN,
    )
    async def change(
        self, numbers: NamedDependency[NumberService], number_id: FromPath[UUID], data: JSONBody[NumberChange]
    ) -> NumberView:
        return number_view(await numbers.change(number_id, data))
