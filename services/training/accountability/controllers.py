"""Accountability records (EVT-04) for the units and people they are against; assessments read them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from services.training.access import READERS
from services.training.accountability.schemas import AccountabilityPage, AccountabilityView
from services.training.accountability.services import AccountabilityService, Records
from services.training.paging import Cursor, Limit
from services.training.people.directory import PersonDirectory
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

From = Annotated[str | None, QueryParameter(name="from", max_length=10, description="first day (YYYY-MM-DD), included")]
To = Annotated[str | None, QueryParameter(name="to", max_length=10, description="last day (YYYY-MM-DD), included")]
UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400)]


def page_view(found: Records) -> AccountabilityPage:
    items = []
    for row in found.rows:
        person = found.people.get(row.member_id) if row.member_id else None
        named = {"person_id": person.id if person else None, "person_name": person.name if person else None}
        items.append(view(AccountabilityView, row, **named))
    return AccountabilityPage(items=items, next=found.next)


class AccountabilityController(Controller):
    path = "/api/training"
    tags = ["Accountability"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {
        "accountability": provide_service(AccountabilityService),
        "people": provide_service(PersonDirectory),
    }

    @get(
        "/accountability",
        operation_id="ListAccountabilityRecords",
        summary="Overdue warnings against units at or under a unit, newest first",
    )
    async def list_records(
        self,
        accountability: NamedDependency[AccountabilityService],
        unit_path: UnitPath = None,
        first: From = None,
        last: To = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AccountabilityPage:
        found = await accountability.page(unit_path=unit_path, first=first, last=last, cursor=cursor, limit=limit)
        return page_view(found)

    @get(
        "/people/{person_id:uuid}/accountability",
        operation_id="ListPersonAccountabilityRecords",
        summary="Overdue warnings on orders a member volunteer held, newest first",
    )
    async def person_records(
        self,
        accountability: NamedDependency[AccountabilityService],
        people: NamedDependency[PersonDirectory],
        person_id: FromPath[UUID],
        first: From = None,
        last: To = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AccountabilityPage:
        person = await people.get(person_id)
        found = await accountability.page(person=person, first=first, last=last, cursor=cursor, limit=limit)
        return page_view(found)
