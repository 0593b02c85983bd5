"""Honours and discipline: a member's warnings, the star levels and titles of members and units, and what became
of members still unqualified after re-education."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter, QueryParameter

from services.orgtree.access import EDITOR, READERS, ROLL_KEEPER, STAFF, in_district
from services.orgtree.honours.models import Disposition
from services.orgtree.honours.schemas import DispositionView, HonoursView, WarningCreate, WarningView
from services.orgtree.honours.services import DispositionService, HonourService, WarningService
from shared.http.di import provide_service
from shared.http.problems import invalid
from shared.http.views import view, views

STATES = ("transferred", "pending")


def disposition_view(row: tuple[Disposition, str | None]) -> DispositionView:
    return view(DispositionView, row[0], member_name=row[1])


class HonourController(Controller):
    path = "/api/orgtree"
    tags = ["Honours and discipline"]
    guards = in_district(*READERS)
    dependencies = {
        "honours": provide_service(HonourService),
        "warnings": provide_service(WarningService),
        "dispositions": provide_service(DispositionService),
    }

    @get("/members/{member_id:uuid}/honours", operation_id="GetMemberHonours", summary="Star level and titles")
    async def member_honours(self, honours: NamedDependency[HonourService], member_id: FromPath[UUID]) -> HonoursView:
        return await honours.of_member(member_id)

    @get("/nodes/{node_id:uuid}/honours", operation_id="GetUnitHonours", summary="A unit's star level and titles")
    async def node_honours(self, honours: NamedDependency[HonourService], node_id: FromPath[UUID]) -> HonoursView:
        return await honours.of_node(node_id)

    @post(
        "/members/{member_id:uuid}/warnings",
        operation_id="WarnMember",
        summary="Give a member a warning (publishes MemberWarned: training opens a re-education case)",
        guards=ROLL_KEEPER,
    )
    async def warn(
        self, warnings: NamedDependency[WarningService], member_id: FromPath[UUID], data: JSONBody[WarningCreate]
    ) -> WarningView:
        return view(WarningView, await warnings.warn(member_id, data))

    @get("/members/{member_id:uuid}/warnings", operation_id="ListMemberWarnings", summary="A member's warnings")
    async def warnings_of(
        self, warnings: NamedDependency[WarningService], member_id: FromPath[UUID]
    ) -> list[WarningView]:
        return views(WarningView, await warnings.of_member(member_id))

    @get(
        "/dispositions",
        operation_id="ListDispositions",
        summary="Members still unqualified after re-education: transferred, or pending with the reason",
        guards=in_district(*STAFF),
    )
    async def list_dispositions(
        self,
        dispositions: NamedDependency[DispositionService],
        state_filter: Annotated[str | None, QueryParameter(name="state", max_length=20)] = None,
        member_id: Annotated[UUID | None, QueryParameter(name="memberId")] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[DispositionView]:
        if state_filter is not None and state_filter not in STATES:
            raise invalid("query.state", f"one of: {', '.join(STATES)}")
        rows = await dispositions.list(state=state_filter, member_id=member_id, limit=limit)
        return [disposition_view(row) for row in rows]

    @post(
        "/dispositions/{disposition_id:uuid}/retry",
        operation_id="RetryDisposition",
        status_code=200,
        summary="Carry out a pending disposition again (after the street added its organ branch)",
        guards=EDITOR,
    )
    async def retry(
        self, dispositions: NamedDependency[DispositionService], disposition_id: FromPath[UUID]
    ) -> DispositionView:
        return disposition_view(await dispositions.retry(disposition_id))
