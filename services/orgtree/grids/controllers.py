from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from services.orgtree.access import READERS, ROLL_KEEPERS
from services.orgtree.grids.schemas import LeaderAppointment, LeaderView
from services.orgtree.grids.services import GridLeaderService
from services.orgtree.models import GridLeader, Member
from shared.http.guards import principal_of, requires_role, requires_tenant
from shared.http.problems import ProblemError


def leader_view(row: GridLeader, member: Member) -> LeaderView:
    return LeaderView(grid_id=row.grid_id, member_id=member.id, member_name=member.name, kind=row.kind,
                      since=row.since)  # fmt: skip


class GridLeaderController(Controller):
    path = "/api/orgtree/grids/{grid_id:uuid}/leader"
    tags = ["Grids"]
    guards = [requires_tenant, requires_role(*READERS)]

    @get("/", operation_id="GetGridLeader", summary="The grid's red-collar leader")
    async def get_leader(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], grid_id: FromPath[UUID]
    ) -> LeaderView:
        current = await GridLeaderService(db_session, principal_of(request)).current(grid_id)
        if current is None:
            raise ProblemError(404, "this grid has no leader", title="Not Found")
        return leader_view(*current)

    @put("/", operation_id="AppointGridLeader", summary="Appoint the grid's leader (refused while one is in post)",
         guards=[requires_role(*ROLL_KEEPERS)])  # fmt: skip
    async def appoint(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        grid_id: FromPath[UUID],
        data: JSONBody[LeaderAppointment],
    ) -> LeaderView:
        return leader_view(*await GridLeaderService(db_session, principal_of(request)).appoint(grid_id, data))

    @delete(
        "/", operation_id="VacateGridLeader", summary="The leader steps down", guards=[requires_role(*ROLL_KEEPERS)]
    )
    async def vacate(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], grid_id: FromPath[UUID]
    ) -> None:
        await GridLeaderService(db_session, principal_of(request)).vacate(grid_id)
