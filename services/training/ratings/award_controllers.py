"""Titles' API (TRN-10): award a title to a unit or member for a period; the award history."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from services.training.access import ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.ratings.awards import AwardService
from services.training.ratings.schemas import AwardCreate, AwardsPage, AwardView
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

PersonQuery = Annotated[UUID | None, QueryParameter(name="personId")]
UnitQuery = Annotated[UUID | None, QueryParameter(name="unitId")]
PeriodQuery = Annotated[str | None, QueryParameter(name="period", max_length=10)]
TitleQuery = Annotated[str | None, QueryParameter(name="title", max_length=40)]


class AwardController(Controller):
    path = "/api/training"
    tags = ["Star ratings"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"awards": provide_service(AwardService)}

    @get("/awards", operation_id="ListAwards", summary="Titles awarded to units and members under my scope")
    async def list_awards(
        self,
        awards: NamedDependency[AwardService],
        *,
        person_id: PersonQuery = None,
        unit_id: UnitQuery = None,
        period: PeriodQuery = None,
        title: TitleQuery = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AwardsPage:
        found, following = await awards.page(
            person_id=person_id, unit_id=unit_id, period=period, title=title, cursor=cursor, limit=limit
        )
        return AwardsPage(items=views(AwardView, found), next=following)

    @post(
        "/awards",
        operation_id="AwardTitle",
        summary="Award a title for a period (once per subject and period); TitleAwarded",
        guards=[requires_role(*ORGANISERS)],
    )
    async def award(self, awards: NamedDependency[AwardService], data: JSONBody[AwardCreate]) -> AwardView:
        return view(AwardView, await awards.award(data))
