"""An overdue warning names whom training files its accountability record against (EVT-04): the member behind a
member volunteer's order, and the answerable unit's tree path and name, whichever rung the case is at."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient

from services.dispatch.deadlines.sweeps import sweep_deadlines
from shared.settings import Settings
from tests.dispatch.builders import District, events_of, make_overdue, open_ticket, set_ticket
from tests.platform.tokens import TestIssuer


async def test_a_warning_names_the_member_volunteer_and_the_answerable_units_path(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    member = uuid.uuid4()
    provider = await district_a.add_provider(grid=district_a.grids[0], member_id=member, name="林晓红")
    ticket = await open_ticket(client, issuer, district_a)
    grid = district_a.grids[0]
    await set_ticket(district_a, ticket["id"], provider_id=provider.id, unit_id=grid)
    assert await make_overdue(district_a, ticket["id"], "resolution") == 1
    await sweep_deadlines(settings)
    # the case now answered one rung up, at the village: the red warning is the village's
    await set_ticket(district_a, ticket["id"], unit_id=district_a.village)
    assert await make_overdue(district_a, ticket["id"], "red") == 1
    await sweep_deadlines(settings)

    yellow, red = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    grid_path = district_a.grid_paths[grid]
    assert (yellow["member_id"], yellow["unit_path"], yellow["unit_name"]) == (str(member), grid_path, "第1网格")
    village_path = grid_path.rsplit("/", 2)[0] + "/"
    assert (red["member_id"], red["unit_path"], red["unit_name"]) == (str(member), village_path, "瑶溪村")
    assert yellow["warned_at"] is not None


async def test_a_teams_order_names_no_member(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    team = await district_a.add_provider(kind="professional_team", name="红船服务队")
    ticket = await open_ticket(client, issuer, district_a)
    await set_ticket(district_a, ticket["id"], provider_id=team.id, unit_id=district_a.street)
    assert await make_overdue(district_a, ticket["id"], "resolution") == 1
    await sweep_deadlines(settings)
    [event] = await events_of(district_a, "dispatch.TicketOverdue", ticket["id"])
    street_path = "/".join(district_a.grid_paths[district_a.grids[0]].split("/")[:3]) + "/"
    assert (event["member_id"], event["unit_path"], event["unit_name"]) == (None, street_path, "状元街道")
