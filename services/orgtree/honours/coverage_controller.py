"""Red Flag coverage (ORG-21): the district's yearly targets and the share of communities holding the title."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from services.orgtree.access import DISTRICT_ADMIN, STAFF, in_district
from services.orgtree.honours.coverage import CoverageService
from services.orgtree.honours.schemas import CoverageTargets, CoverageTargetsView, RedFlagCoverage
from shared.http.di import provide_service


class CoverageController(Controller):
    path = "/api/orgtree/red-flag"
    tags = ["Honours and discipline"]
    guards = in_district(*STAFF)
    dependencies = {"coverage": provide_service(CoverageService)}

    @get("/targets", operation_id="GetRedFlagTargets", summary="The yearly coverage targets")
    async def targets(self, coverage: NamedDependency[CoverageService]) -> CoverageTargetsView:
        return await coverage.targets()

    @put("/targets", operation_id="ReplaceRedFlagTargets", summary="Replace the yearly targets", guards=DISTRICT_ADMIN)
    async def replace_targets(
        self, coverage: NamedDependency[CoverageService], data: JSONBody[CoverageTargets]
    ) -> CoverageTargetsView:
        return await coverage.replace_targets(data)

    @get(
        "/coverage",
        operation_id="RedFlagCoverage",
        summary="Per year: communities holding the Red Flag Community title, as a share, against the target",
    )
    async def coverage(
        self, coverage: NamedDependency[CoverageService], within: Annotated[UUID | None, QueryParameter()] = None
    ) -> RedFlagCoverage:
        return await coverage.coverage(within)
