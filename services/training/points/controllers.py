"""The points ledger's API (TRN-07): categories, entries by hand, a person's statement and ranked totals."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ATTENDEES, ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.points.schemas import (
    PersonPointsPage,
    PersonTotalView,
    PointsCategoryView,
    PointsCreate,
    PointsEntryView,
    PointsTotalsPage,
)
from services.training.points.services import PersonPoints, PointsService
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view, views

From = Annotated[str | None, QueryParameter(name="from", max_length=10, description="first day (YYYY-MM-DD), included")]
To = Annotated[str | None, QueryParameter(name="to", max_length=10, description="last day (YYYY-MM-DD), included")]
UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400)]
Period = Annotated[
    str | None, QueryParameter(name="period", description="2026, 2026-Q3 or 2026-07 (default: this year)")
]
Flag = Annotated[str | None, QueryParameter(name="flag", max_length=40, description="e.g. activist")]
Kind = Annotated[str | None, QueryParameter(name="kind", pattern="^(member|resident)$")]

ORGANISER = [requires_role(*ORGANISERS)]
READER = [requires_role(*READERS)]


def statement_view(found: PersonPoints) -> PersonPointsPage:
    return PersonPointsPage(
        person_id=found.person.id,
        name=found.person.name,
        total=found.total,
        items=views(PointsEntryView, found.entries),
        next=found.next,
    )


class PointsController(Controller):
    path = "/api/training"
    tags = ["Points"]
    guards = [requires_tenant, requires_role(*READERS, *ATTENDEES)]
    dependencies = {"points": provide_service(PointsService)}

    @get("/points/categories", operation_id="ListPointsCategories", summary="The district's points categories")
    async def categories(self, points: NamedDependency[PointsService]) -> list[PointsCategoryView]:
        return views(PointsCategoryView, await points.categories())

    @post(
        "/points",
        operation_id="EnterPoints",
        summary="Points by hand, with a reason (negative to correct); audited",
        guards=ORGANISER,
    )
    async def enter(self, points: NamedDependency[PointsService], data: JSONBody[PointsCreate]) -> PointsEntryView:
        return view(PointsEntryView, await points.credit_by_hand(data))

    @get(
        "/points/totals",
        operation_id="ListPointsTotals",
        summary="People under a unit ranked by their points in a year, quarter or month",
        guards=READER,
    )
    async def totals(
        self,
        points: NamedDependency[PointsService],
        unit_path: UnitPath = None,
        period: Period = None,
        flag: Flag = None,
        kind: Kind = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PointsTotalsPage:
        found = await points.totals(
            unit_path=unit_path, period_text=period, flag=flag, kind=kind, cursor=cursor, limit=limit
        )
        return PointsTotalsPage(
            period=found.period.label,
            starts_at=found.period.starts_at,
            ends_at=found.period.ends_at,
            items=[view(PersonTotalView, row, person_id=row.id, flags=list(row.flags)) for row in found.rows],
            next=found.next,
        )

    @get(
        "/people/{person_id:uuid}/points",
        operation_id="GetPersonPoints",
        summary="A person's points entries, newest first, and the period's total",
        guards=READER,
    )
    async def person_points(
        self,
        points: NamedDependency[PointsService],
        person_id: FromPath[UUID],
        first: From = None,
        last: To = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PersonPointsPage:
        person = await points.person(person_id)
        return statement_view(await points.statement(person, first, last, cursor, limit))

    @get("/me/points", operation_id="GetMyPoints", summary="My points entries, newest first, and the period's total")
    async def my_points(
        self,
        points: NamedDependency[PointsService],
        first: From = None,
        last: To = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PersonPointsPage:
        return statement_view(await points.statement(await points.people.me(), first, last, cursor, limit))
