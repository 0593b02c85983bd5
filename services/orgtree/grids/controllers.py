from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from services.orgtree.access import READERS, ROLL_KEEPERS
from services.orgtree.grids.schemas import LeaderAppointment, LeaderView
from services.orgtree.grids.services import GridLeaderService
from services.orgtree.models import GridLeader, Member
from shared.http.di import provide_service
from shared.http.guards import requires_role, requires_tenant
from shared.http.problems import ProblemError
from shared.http.views import view


def leader_view(row: GridLeader, member: Member) -> LeaderView:
    return view(LeaderView, row, member_name=member.name)


class GridLeaderController(Controller):
    path = "/api/orgtree/grids/{grid_id:uuid}/leader"
    tags = ["Grids"]
    guards = [requires_tenant, requires_role(*READERS)]
    dependencies = {"leaders": provide_service(GridLeaderService)}

    @get("/", operation_id="GetGridLeader", summary="The grid's red-collar leader")
    async def get_leader(self, leaders: NamedDependency[GridLeaderService], grid_id: FromPath[UUID]) -> LeaderView:
        current = await leaders.current(grid_id)
        if current is None:
            raise ProblemError(404, "this grid has no leader", title="Not Found")
        return leader_view(*current)

    @put(
        "/",
        operation_id="AppointGridLeader",
        summary="Appoint the grid's leader (refused while one is in post)",
        guards=[requires_role(*ROLL_KEEPERS)],
    )
    async def appoint(
        self, leaders: NamedDependency[GridLeaderService], grid_id: FromPath[UUID], data: JSONBody[LeaderAppointment]
    ) -> LeaderView:
        return leader_view(*await leaders.appoint(grid_id, data))

    @delete(
        "/", operation_id="VacateGridLeader", summary="The leader steps down", guards=[requires_role(*ROLL_KEEPERS)]
    )
    async def vacate(self, leaders: NamedDependency[GridLeaderService], grid_id: FromPath[UUID]) -> None:
        await leaders.vacate(grid_id)
