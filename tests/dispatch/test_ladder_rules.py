"""The ladder's rules hold: a warning says why (which clock, its limit, how late), the red mark outlives an
escalation, and a case at street supervision is resolved by nobody without its referral notice closed."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.dispatch.deadlines.sweeps import sweep_deadlines
from services.dispatch.models import Ticket, TicketStatus
from services.dispatch.tickets.transitions import move
from shared.settings import Settings
from tests.dispatch.builders import (
    District,
    as_provider,
    history,
    make_overdue,
    open_ticket,
    operator,
    set_ticket,
    staff,
)
from tests.dispatch.test_escalation import referral
from tests.platform.tokens import TestIssuer

DONE = {"note": "楼道灯已更换"}


async def ticket_view(client: AsyncTestClient[Any], issuer: TestIssuer, district: District, ticket: str) -> Any:
    return (await client.get(f"/api/dispatch/tickets/{ticket}", headers=operator(issuer, district))).json()


async def warnings(district: District, ticket: str) -> list[Any]:
    return [h for h in await history(district, ticket) if h.action == "warned"]


async def escalate(client: AsyncTestClient[Any], headers: dict[str, str], ticket: str, level: int) -> Any:
    body = {"toLevel": level, "reason": "本级无法化解"}
    return await client.post(f"/api/dispatch/tickets/{ticket}/escalations", json=body, headers=headers)


async def test_each_warning_row_says_which_clock_its_limit_and_how_late(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)  # citizen life: one day to resolve, around the clock
    assert await make_overdue(district_a, ticket["id"], "resolution", minutes=90) == 1
    await sweep_deadlines(settings)
    [yellow] = await warnings(district_a, ticket["id"])
    assert re.fullmatch(r"办理时限（1天）已超时1小时3[01]分钟，黄牌预警", yellow.reason or ""), yellow.reason
    assert (yellow.details["clock"], yellow.details["limitMinutes"], yellow.details["workingTime"]) == (
        "resolution",
        24 * 60,
        False,
    )
    assert yellow.details["lateMinutes"] in (90, 91)

    assert await make_overdue(district_a, ticket["id"], "red", minutes=5) == 1
    await sweep_deadlines(settings)
    yellow, red = await warnings(district_a, ticket["id"])
    # How late is counted from the resolution clock the red warning is about, not from the red period's end.
    assert re.fullmatch(r"办理时限（1天）已超时1小时3[0-9]分钟，黄牌后仍未办结，红牌预警", red.reason or ""), red.reason
    assert (red.details["warning"], red.details["clock"], red.details["limitMinutes"]) == ("red", "resolution", 1440)
    assert red.details["dueAt"] == yellow.details["dueAt"]
    assert red.details["redAfterMinutes"] == 24 * 60  # the district's further period, as configured
    assert red.details["lateMinutes"] >= 90
    assert (red.actor, red.actor_name, red.actor_kind) == ("system:dispatch-scheduler", None, "system")
    rows = (
        await client.get(f"/api/dispatch/tickets/{ticket['id']}/history", headers=operator(issuer, district_a))
    ).json()
    assert {r["actorName"] for r in rows if r["action"] == "warned"} == {"系统（时限监控）"}


async def test_a_sign_for_warning_names_its_limit_on_the_working_calendar(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a, categoryId=str(district_a.categories["consultation"]))

    async def offered(session: AsyncSession) -> None:  # as routing leaves it: the sign-for clock starts
        row = await session.get(Ticket, uuid.UUID(ticket["id"]))
        assert row is not None
        await move(session, row, TicketStatus.ROUTING, "offered", actor="system:dispatch-routing")

    await district_a.run(offered)
    assert await make_overdue(district_a, ticket["id"], "sign_for", minutes=3) == 1
    await sweep_deadlines(settings)
    [warned] = await warnings(district_a, ticket["id"])
    assert re.fullmatch(r"签收时限（工作时间2小时）已超时[34]分钟，黄牌预警", warned.reason or ""), warned.reason
    assert (warned.details["limitMinutes"], warned.details["workingTime"]) == (120, True)


async def test_a_ticket_keeps_its_red_mark_after_it_is_escalated(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    await make_overdue(district_a, ticket["id"], "resolution")
    await sweep_deadlines(settings)
    await make_overdue(district_a, ticket["id"], "red")
    await sweep_deadlines(settings)  # red, then the automatic climb to the village meeting
    view = await ticket_view(client, issuer, district_a, ticket["id"])
    assert (view["level"], view["warning"]) == (1, "red")

    assert (await escalate(client, staff(issuer, district_a), ticket["id"], 2)).status_code == 200
    assert (await ticket_view(client, issuer, district_a, ticket["id"]))["warning"] == "red"
    # The new rung's clock runs out too: its yellow warning is written down, the red mark is not lowered.
    await make_overdue(district_a, ticket["id"], "resolution")
    await sweep_deadlines(settings)
    view = await ticket_view(client, issuer, district_a, ticket["id"])
    assert (view["level"], view["warning"]) == (2, "red")
    assert [w.details["warning"] for w in await warnings(district_a, ticket["id"])] == ["yellow", "red", "yellow"]


async def test_a_yellow_mark_also_stays_after_a_manual_escalation(
    client: AsyncTestClient[Any], issuer: TestIssuer, settings: Settings, district_a: District
) -> None:
    ticket = await open_ticket(client, issuer, district_a)
    await make_overdue(district_a, ticket["id"], "resolution")
    await sweep_deadlines(settings)
    assert (await escalate(client, staff(issuer, district_a), ticket["id"], 1)).status_code == 200
    assert (await ticket_view(client, issuer, district_a, ticket["id"]))["warning"] == "yellow"


async def test_nobody_resolves_a_street_case_without_its_closed_referral_notice(
    client: AsyncTestClient[Any], issuer: TestIssuer, district_a: District
) -> None:
    """The rule lives where every resolution passes (the state model), so the volunteer holding the order is held to
    it as much as staff are."""
    ticket = await open_ticket(client, issuer, district_a)
    provider = await district_a.add_provider(grid=district_a.grids[0], name="张三丰")
    stamp = datetime.now(UTC)
    await set_ticket(district_a, ticket["id"], status="on_site", provider_id=provider.id, accepted_at=stamp)
    headers = staff(issuer, district_a)
    for level in (1, 2, 3):
        assert (await escalate(client, headers, ticket["id"], level)).status_code == 200
    resolve = f"/api/dispatch/tickets/{ticket['id']}/resolution"
    volunteer = as_provider(issuer, district_a, provider)
    refused = await client.post(resolve, json=DONE, headers=volunteer)
    assert refused.status_code == 409, refused.text
    assert "抄告单" in refused.json()["detail"]
    notice = await client.post(
        f"/api/dispatch/tickets/{ticket['id']}/referrals",
        headers=headers,
        json=referral(),
    )
    assert notice.status_code == 201, notice.text
    assert (await client.post(resolve, json=DONE, headers=volunteer)).status_code == 409
    assert (await ticket_view(client, issuer, district_a, ticket["id"]))["status"] == "on_site"
    closed = await client.post(
        f"/api/dispatch/referrals/{notice.json()['id']}/closure",
        json={"note": "城管中队已清理占道堆物"},
        headers=headers,
    )
    assert closed.status_code == 200
    resolved = await client.post(resolve, json=DONE, headers=volunteer)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
