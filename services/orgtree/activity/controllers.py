"""The inactive-member report (ORG-18) of the caller's scope or a unit in it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter, QueryParameter

from services.orgtree.access import STAFF, in_district
from services.orgtree.activity.schemas import InactiveReport
from services.orgtree.activity.services import ActivityService
from shared.http.di import provide_service


class ActivityController(Controller):
    path = "/api/orgtree/reports"
    tags = ["Reports"]
    guards = in_district(*STAFF)
    dependencies = {"activity": provide_service(ActivityService)}

    @get(
        "/inactive-members",
        operation_id="InactiveMembers",
        summary="Members with no organisational life for the given months (6 by default), by unit",
    )
    async def inactive(
        self,
        activity: NamedDependency[ActivityService],
        within: Annotated[UUID | None, QueryParameter()] = None,
        months: Annotated[int, Parameter(ge=1, le=60)] = 6,
        limit: Annotated[int, Parameter(ge=1, le=2000)] = 500,
    ) -> InactiveReport:
        return await activity.inactive(within, months, limit)
