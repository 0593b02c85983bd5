"""Returns by the unit a ticket is placed on (退单) and their arbitration by the unit above (退单审定, DSP-18): the
evidence a return must cite, the ruling (upheld: the ticket moves to the named unit; rejected: it stays), the
ruling clock that passes the matter up when it runs out, and the ping-pong report."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.deadlines.sweeps import sweep_deadlines
from services.dispatch.models import Deadline, Ticket, TicketReturn
from shared.settings import Settings
from tests.dispatch.builders import District, bearer, history, make_overdue, put_ticket, staff
from tests.platform.tokens import TestIssuer

Client = AsyncTestClient[Any]
RETURNS = "/api/dispatch/returns"


def village_path(district: District) -> str:
    return district.grid_paths[district.grids[0]].rsplit("/", 2)[0] + "/"


def grid_leader(issuer: TestIssuer, district: District, grid: int = 0) -> dict[str, str]:
    path = district.grid_paths[district.grids[grid]]
    return bearer(issuer, district.id, ["grid_leader"], scope=path, user_id=uuid.uuid4())


def village_cadre(issuer: TestIssuer, district: District) -> dict[str, str]:
    return bearer(issuer, district.id, ["community_cadre"], scope=village_path(district), user_id=uuid.uuid4())


def boundary_return(district: District, ticket: uuid.UUID, **overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "ticketId": str(ticket),
        "basis": "grid_boundary",
        "gridId": str(district.grids[1]),
        "citation": "网格划分图：振兴路以北属第2网格",
        "reason": "事发地在振兴路以北，不属本网格",
    }
    return body | overrides


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def file_return(client: Client, issuer: TestIssuer, district: District, ticket: uuid.UUID) -> dict[str, Any]:
    response = await client.post(RETURNS, json=boundary_return(district, ticket), headers=grid_leader(issuer, district))
    assert response.status_code == 201, response.text
    filed: dict[str, Any] = response.json()
    return filed


async def returns_stored(district: District) -> int:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(TicketReturn)) or 0)

    counted: int = await district.run(count)
    return counted


async def test_the_grid_returns_with_its_boundary_and_the_village_upholds_it(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    ticket = await put_ticket(district_a)

    filed = await file_return(client, issuer, district_a, ticket)

    assert filed["state"] == "pending"
    assert (filed["returningUnitName"], filed["rulingUnitName"]) == ("第1网格", "瑶溪村")
    assert (filed["evidenceGridName"], filed["proposedUnitName"]) == ("第2网格", "第2网格")
    assert filed["dueAt"] is not None
    assert filed["ticketStatus"] == "assigned"  # the case stays open with the grid during the dispute
    cadre = village_cadre(issuer, district_a)
    awaiting = (await client.get(RETURNS, params={"state": "pending", "side": "ruling"}, headers=cadre)).json()
    assert [(row["id"], row["mayRule"]) for row in awaiting] == [(filed["id"], True)]

    ruling = {"decision": "uphold", "assignToUnitId": str(district_a.grids[1]), "note": "核对网格图，属第2网格"}
    response = await client.post(f"{RETURNS}/{filed['id']}/ruling", json=ruling, headers=cadre)

    assert response.status_code == 200, response.text
    ruled = response.json()
    assert (ruled["state"], ruled["assignedUnitName"], ruled["dueAt"]) == ("upheld", "第2网格", None)

    async def placed(session: AsyncSession) -> tuple[Any, ...]:
        row = await session.get(Ticket, ticket)
        assert row is not None
        clocks = await session.execute(select(Deadline.kind, Deadline.cancelled_at).where(Deadline.ticket_id == ticket))
        return row.unit_id, row.grid_path, dict(clocks.all())

    unit, path, clocks = await district_a.run(placed)
    assert (unit, path) == (district_a.grids[1], district_a.grid_paths[district_a.grids[1]])
    assert clocks["arbitration"] is not None  # ruled in time: the ruling clock stopped
    actions = [(row.action, row.reason) for row in await history(district_a, str(ticket))]
    assert actions == [
        ("return_filed", "事发地在振兴路以北，不属本网格"),
        ("return_upheld", "核对网格图，属第2网格"),
    ]


async def test_a_ruling_given_twice_is_written_once_and_a_different_one_is_a_409(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    ticket = await put_ticket(district_a)
    filed = await file_return(client, issuer, district_a, ticket)
    cadre = village_cadre(issuer, district_a)
    reject = {"decision": "reject", "note": "责任清单明确属本网格"}

    first = await client.post(f"{RETURNS}/{filed['id']}/ruling", json=reject, headers=cadre)
    again = await client.post(f"{RETURNS}/{filed['id']}/ruling", json=reject, headers=cadre)
    other = {"decision": "uphold", "assignToUnitId": str(district_a.grids[1]), "note": "改判"}
    changed = await client.post(f"{RETURNS}/{filed['id']}/ruling", json=other, headers=cadre)

    assert (first.status_code, again.status_code, changed.status_code) == (200, 200, 409)
    assert again.json()["ruledAt"] == first.json()["ruledAt"]
    assert [row.action for row in await history(district_a, str(ticket))] == ["return_filed", "return_rejected"]

    async def unit_of(session: AsyncSession) -> Any:
        return (await session.get(Ticket, ticket)).unit_id  # type: ignore[union-attr]

    assert await district_a.run(unit_of) == district_a.grids[0]  # rejected: it stays with the grid


async def test_a_ruling_not_given_in_time_passes_to_the_street_then_stays_at_the_district(
    client: Client, issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await put_ticket(district_a)
    filed = await file_return(client, issuer, district_a, ticket)

    assert await make_overdue(district_a, ticket, "arbitration", minutes=90) == 1
    await sweep_deadlines(settings)

    climbed = (await client.get(f"{RETURNS}/{filed['id']}", headers=staff(issuer, district_a))).json()
    assert (climbed["rulingUnitName"], climbed["escalations"], climbed["state"]) == ("状元街道", 1, "pending")
    assert (climbed["overdue"], climbed["mayRule"]) == (True, True)  # a fresh clock runs for the street
    rows = await history(district_a, str(ticket))
    assert rows[-1].action == "return_ruling_escalated"
    assert rows[-1].actor == "system:dispatch-scheduler"
    assert rows[-1].reason == "退单审定时限（工作时间18小时）已超时1小时30分钟，瑶溪村未作审定，转由上一级状元街道审定"
    # the village may no longer rule; the street may
    late = {"decision": "reject", "note": "迟到的审定"}
    refused = await client.post(f"{RETURNS}/{filed['id']}/ruling", json=late, headers=village_cadre(issuer, district_a))
    assert refused.status_code == 403

    await make_overdue(district_a, ticket, "arbitration")
    await make_overdue(district_a, ticket, "arbitration")
    await sweep_deadlines(settings)
    await sweep_deadlines(settings)
    at_root = (await client.get(f"{RETURNS}/{filed['id']}", headers=staff(issuer, district_a))).json()
    assert (at_root["rulingUnitName"], at_root["escalations"]) == ("龙湾区", 2)
    await make_overdue(district_a, ticket, "arbitration")
    await sweep_deadlines(settings)
    actions = [row.action for row in await history(district_a, str(ticket))]
    assert actions[-3:] == ["return_ruling_escalated", "return_ruling_escalated", "return_ruling_overdue"]
    stays = (await client.get(f"{RETURNS}/{filed['id']}", headers=staff(issuer, district_a))).json()
    assert (stays["rulingUnitName"], stays["overdue"], stays["mayRule"]) == ("龙湾区", True, True)


async def test_ping_pong_is_counted_per_unit(client: Client, issuer: TestIssuer, district_a: District) -> None:
    ticket = await put_ticket(district_a)
    cadre = village_cadre(issuer, district_a)
    first = await file_return(client, issuer, district_a, ticket)
    uphold = {"decision": "uphold", "assignToUnitId": str(district_a.grids[1]), "note": "属第2网格"}
    await client.post(f"{RETURNS}/{first['id']}/ruling", json=uphold, headers=cadre)
    back = boundary_return(district_a, ticket, gridId=str(district_a.grids[0]), citation="网格图：事发地属第1网格")
    second = await client.post(RETURNS, json=back, headers=grid_leader(issuer, district_a, grid=1))
    assert second.status_code == 201, second.text
    reject = {"decision": "reject", "note": "已有审定，第2网格办理"}
    await client.post(f"{RETURNS}/{second.json()['id']}/ruling", json=reject, headers=cadre)
    await file_return(client, issuer, district_a, await put_ticket(district_a))

    report = (await client.get(f"{RETURNS}/report", headers=staff(issuer, district_a))).json()

    by_unit = {
        u["unitName"]: (u["made"], u["upheld"], u["rejected"], u["pending"], u["returnedMoreThanOnce"])
        for u in report["units"]
    }
    assert by_unit == {"第1网格": (2, 1, 0, 1, 1), "第2网格": (1, 0, 1, 0, 1)}
    assert (report["total"]["made"], report["total"]["returnedMoreThanOnce"]) == (3, 1)
    village = (await client.get(f"{RETURNS}/report", headers=grid_leader(issuer, district_a, grid=1))).json()
    assert [u["unitName"] for u in village["units"]] == ["第2网格"]  # a grid leader sees their own grid's line


async def test_bad_returns_are_refused_naming_the_field_and_nothing_is_stored(
    client: Client, issuer: TestIssuer, district_a: District
) -> None:
    ticket = await put_ticket(district_a)
    leader = grid_leader(issuer, district_a)
    cases: list[tuple[dict[str, object], int, str | None]] = [
        (boundary_return(district_a, ticket, gridId=None), 422, "body.gridId"),
        (boundary_return(district_a, ticket, gridId=str(uuid.uuid4())), 422, "body.gridId"),
        (boundary_return(district_a, ticket, gridId=str(district_a.grids[0])), 422, "body.gridId"),
        (boundary_return(district_a, ticket, basis="hearsay"), 422, "body.basis"),
        (boundary_return(district_a, ticket, citation=" "), 422, "body.citation"),
        (boundary_return(district_a, ticket, basis="responsibility_list", gridId=None), 422, "body.itemId"),
        (
            boundary_return(
                district_a,
                ticket,
                basis="responsibility_list",
                gridId=None,
                itemId=str(next(iter(district_a.items.values()))),
            ),
            422,
            "body.proposedUnitId",
        ),
        (boundary_return(district_a, ticket, proposedUnitId=str(uuid.uuid4())), 422, "body.proposedUnitId"),
        (boundary_return(district_a, uuid.uuid4()), 404, None),
    ]
    for body, status, field in cases:
        response = await client.post(RETURNS, json=body, headers=leader)
        assert response.status_code == status, (body, response.text)
        if field is not None:
            assert field in fields(response) or field in response.text, response.text
    other_grid = await client.post(
        RETURNS, json=boundary_return(district_a, ticket), headers=grid_leader(issuer, district_a, grid=1)
    )
    assert other_grid.status_code == 404  # another grid's leader does not see this grid's ticket
    above = await client.post(
        RETURNS, json=boundary_return(district_a, ticket), headers=village_cadre(issuer, district_a)
    )
    assert above.status_code == 403  # the village sees the grid's ticket but is not the unit it is placed on
    assert await returns_stored(district_a) == 0


async def test_bad_rulings_and_settings_are_refused(client: Client, issuer: TestIssuer, district_a: District) -> None:
    filed = await file_return(client, issuer, district_a, await put_ticket(district_a))
    cadre = village_cadre(issuer, district_a)
    ruling = f"{RETURNS}/{filed['id']}/ruling"

    no_unit = await client.post(ruling, json={"decision": "uphold", "note": "属他处"}, headers=cadre)
    itself = {"decision": "uphold", "assignToUnitId": str(district_a.grids[0]), "note": "属他处"}
    to_itself = await client.post(ruling, json=itself, headers=cadre)
    unknown = {"decision": "uphold", "assignToUnitId": str(uuid.uuid4()), "note": "属他处"}
    to_unknown = await client.post(ruling, json=unknown, headers=cadre)
    own_ruling = await client.post(
        ruling, json={"decision": "reject", "note": "自己审"}, headers=grid_leader(issuer, district_a)
    )
    bad_decision = await client.post(ruling, json={"decision": True, "note": "属他处"}, headers=cadre)

    assert (no_unit.status_code, fields(no_unit)) == (422, ["body.assignToUnitId"])
    assert (to_itself.status_code, fields(to_itself)) == (422, ["body.assignToUnitId"])
    assert (to_unknown.status_code, fields(to_unknown)) == (422, ["body.assignToUnitId"])
    assert own_ruling.status_code == 403  # the returning unit does not rule on its own return
    assert bad_decision.status_code == 422
    assert "decision" in bad_decision.text
    still = (await client.get(f"{RETURNS}/{filed['id']}", headers=cadre)).json()
    assert (still["state"], still["ruledAt"]) == ("pending", None)

    admin = staff(issuer, district_a)
    as_text = await client.patch(f"{RETURNS}/settings", json={"rulingHours": "24"}, headers=admin)
    assert as_text.status_code == 422
    assert "rulingHours" in as_text.text
    by_cadre = await client.patch(f"{RETURNS}/settings", json={"rulingHours": 24}, headers=cadre)
    assert by_cadre.status_code == 403
    changed = await client.patch(f"{RETURNS}/settings", json={"rulingHours": 24, "workingTime": False}, headers=admin)
    assert changed.json() == {"rulingHours": 24, "workingTime": False}


async def test_another_districts_return_is_a_404(
    client: Client, issuer: TestIssuer, district_a: District, district_b: District
) -> None:
    filed = await file_return(client, issuer, district_a, await put_ticket(district_a))
    outsider = staff(issuer, district_b)

    read = await client.get(f"{RETURNS}/{filed['id']}", headers=outsider)
    ruled = await client.post(
        f"{RETURNS}/{filed['id']}/ruling", json={"decision": "reject", "note": "越权"}, headers=outsider
    )
    listed = (await client.get(RETURNS, headers=outsider)).json()
    returned = await client.post(
        RETURNS, json=boundary_return(district_a, uuid.UUID(filed["ticketId"])), headers=outsider
    )

    assert (read.status_code, ruled.status_code, returned.status_code) == (404, 404, 404)
    assert listed == []


async def test_the_demo_leaves_one_return_awaiting_the_street_and_one_ruled(district_a: District) -> None:
    from services.dispatch.demo.loader import desk_of
    from services.dispatch.demo.returns import load_returns
    from services.dispatch.models import DirectoryGrid

    second_village = uuid.uuid4()

    async def neighbour_village(session: AsyncSession) -> None:
        village_grid = await session.get(DirectoryGrid, district_a.grids[0])
        assert village_grid is not None
        chain = [*village_grid.ancestors[:2], {"id": str(second_village), "level": "village", "name": "二村"}]
        street_path = village_grid.path.rsplit("/", 3)[0] + "/"
        path = f"{street_path}{second_village.hex[:8]}/{uuid.uuid4().hex[:8]}/"
        session.add(DirectoryGrid(grid_id=uuid.uuid4(), name="二村网格", path=path, ancestors=chain))

    await district_a.run(neighbour_village)

    async def load(session: AsyncSession) -> str:
        return await load_returns(session, desk_of(district_a.id))

    said = await district_a.run(load)
    again = await district_a.run(load)

    async def rows(session: AsyncSession) -> list[tuple[str, str, str]]:
        found = await session.execute(
            select(TicketReturn.state, TicketReturn.returning_unit_name, TicketReturn.ruling_unit_name).order_by(
                TicketReturn.filed_at
            )
        )
        return [(state, by, ruler) for state, by, ruler in found.all()]

    assert said == "returns: one awaiting 状元街道's ruling, one upheld by 瑶溪村"
    assert again == "returns already loaded"
    disputed, ruled = await district_a.run(rows)
    assert disputed == ("pending", "瑶溪村", "状元街道")
    assert (ruled[0], ruled[2]) == ("upheld", "瑶溪村")
    assert ruled[1] in {"第1网格", "第2网格"}  # one grid of the village returned it to the other
