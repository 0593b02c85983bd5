"""The people training keeps records for: members (from orgtree) and residents who attend."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from services.training.access import ORGANISERS, READERS
from services.training.paging import Cursor, Limit
from services.training.people.directory import PersonDirectory
from services.training.people.models import Person, PersonKind
from services.training.people.schemas import PersonPage, PersonView, ResidentCreate
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.views import view

UnitPath = Annotated[str | None, QueryParameter(name="unitPath", max_length=400, pattern=r"^/([^/]+/)+$")]
NamePrefix = Annotated[str | None, QueryParameter(name="q", min_length=1, max_length=50)]
Kind = Annotated[str | None, QueryParameter(name="kind", pattern="^(" + "|".join(PersonKind) + ")$")]
Active = Annotated[bool | None, QueryParameter(name="active")]


def person_view(person: Person) -> PersonView:
    return view(PersonView, person, phone=person.phone_masked)


class PersonController(Controller):
    path = "/api/training"
    tags = ["People"]
    guards = [requires_tenant]
    dependencies = {"people": provide_service(PersonDirectory)}

    @get(
        "/people",
        operation_id="ListPeople",
        guards=[requires_role(*READERS)],
        summary="Members and residents under the caller's scope, by name",
    )
    async def list_people(
        self,
        people: NamedDependency[PersonDirectory],
        unit_path: UnitPath = None,
        q: NamePrefix = None,
        kind: Kind = None,
        active: Active = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PersonPage:
        rows, next_cursor = await people.page(
            unit_path=unit_path, name_prefix=q, kind=kind, active=active, cursor=cursor, limit=limit
        )
        return PersonPage(items=[person_view(p) for p in rows], next=next_cursor)

    @post(
        "/people",
        operation_id="AddResident",
        guards=[requires_role(*ORGANISERS)],
        summary="Enter a resident who attends without being a member (phone sealed, one per number)",
    )
    async def add_resident(
        self, people: NamedDependency[PersonDirectory], data: JSONBody[ResidentCreate]
    ) -> PersonView:
        return person_view(await people.add_resident(data))

    @get(
        "/people/{person_id:uuid}",
        operation_id="GetPerson",
        guards=[requires_role(*READERS)],
        summary="One person, phone masked",
    )
    async def get_person(self, people: NamedDependency[PersonDirectory], person_id: FromPath[UUID]) -> PersonView:
        return person_view(await people.get(person_id))

    @get("/me", operation_id="GetMyPerson", summary="The caller's own person (a member whose login is linked)")
    async def me(self, people: NamedDependency[PersonDirectory]) -> PersonView:
        return person_view(await people.me())
